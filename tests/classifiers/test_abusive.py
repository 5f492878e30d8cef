"""Abuse, threats and discrimination (policy 1.1, equal opportunities); swearing in a complaint is not abuse."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from classifiers import abusive
from connectors.base import Item
from monitor.settings import settings_from_dict
from tests.classifiers.policy_dev_scoring import score


def item(text: str) -> Item:
    return Item("facebook", "hwd", "c1", "comment", text, datetime(2026, 3, 2, tzinfo=timezone.utc))


@pytest.fixture(scope="module")
def prepared():
    settings = settings_from_dict({"organisation": {"staff_names": ["Priya Marsh", "Tom Ellery"]}})
    return abusive.prepare(settings, None)


def findings(text: str, prepared) -> list:
    return abusive.detect(item(text), prepared)


@pytest.mark.parametrize("text, kind", [
    ("I know where you live", "a threat"),
    ("I'm going to smash your face in", "a threat"),
    ("You're a useless bunch of idiots", "name-calling aimed at someone"),
    ("Immigrants should all be deported", "discriminatory content about a group"),
    ("Old people are a waste of NHS money", "discriminatory content about a group"),
    ("Women belong in the kitchen not running a charity", "discriminatory content about a group"),
    ("Go back to your own country", "discriminatory content"),
    ("Priya Marsh is a fat lazy cow", "hostile words about a named member of staff"),
])
def test_abuse_threats_and_discrimination_are_flagged_with_the_kind_named(text, kind, prepared):
    [finding] = findings(text, prepared)
    assert finding.label == "abusive" and kind in finding.evidence


@pytest.mark.parametrize("text", [
    "you're a useless c*nt",
    "you r3t4rd",
    "u r a pathetic l0ser",
    "F*** you healthwatch",
    "y\u043eu're \u0430 w\u0430nker",  # Cyrillic letters that look Latin
])
def test_masked_and_look_alike_spellings_are_read_as_what_they_say(text, prepared):
    assert findings(text, prepared)


@pytest.mark.parametrize("text", [
    "The f***ing wait at A&E was 9 hours",
    "Bloody useless system, on hold for 2 hours again",
    "This is s**t service from start to finish",
    "Your service is useless and I want to complain",
])
def test_swearing_inside_a_complaint_is_not_abuse(text, prepared):
    assert findings(text, prepared) == []


@pytest.mark.parametrize("text", [
    "someone called my son a r****d at school, what can we do",
    "A man in the waiting room called the receptionist a p*ki, who do I report it to?",
    "I heard a porter say immigrants should all be sent back, I was shocked",
    'The carer told my mum "you\'re a stupid old cow", I want to report it',
])
def test_quoting_abuse_to_report_it_is_not_abuse(text, prepared):
    assert findings(text, prepared) == []


@pytest.mark.parametrize("text", [
    "Trans people face long waits at gender clinics, we want to hear your views",
    "Immigrants make up a big part of the NHS workforce and we thank them",
    "Older people deserve better care at home",
])
def test_talking_about_a_group_is_not_discrimination(text, prepared):
    assert findings(text, prepared) == []


@pytest.mark.parametrize("text", [
    "The faggots and mash on the ward were cold again",
    "A pokey little waiting room with no windows",
    "Are you a dog owner? Therapy dogs are welcome",
    "Thank you Dick and all the volunteers",
    "I'm going to get you the details of the PALS team",
])
def test_ordinary_words_that_contain_or_resemble_slurs_are_left_alone(text, prepared):
    assert findings(text, prepared) == []


def test_naming_staff_kindly_or_plainly_is_not_harassment(prepared):
    assert findings("Thanks Priya Marsh for sorting my appointment", prepared) == []
    assert findings("Tom Ellery said the report is out in March", prepared) == []


def test_the_staff_name_is_a_span_with_exact_offsets(prepared):
    text = "Honestly, Tom Ellery is a useless idiot"
    [finding] = findings(text, prepared)
    [span] = [s for s in finding.spans if s.type == "STAFF_NAME"]
    assert text[span.start:span.end] == "Tom Ellery"


def test_a_threat_scores_higher_than_name_calling(prepared):
    [threat] = findings("I'll kill you", prepared)
    [insult] = findings("you muppets", prepared)
    assert threat.score > insult.score


def test_configured_words_extend_the_lists():
    section = {"insults": ["numbskull"], "phrases": ["get out of our town"]}
    settings = settings_from_dict({"classifiers": {"abusive": section}})
    prepared = abusive.prepare(settings, None)
    assert findings("you numbskulls", prepared)
    assert findings("Get out of our town", prepared)
    assert abusive.check(settings) == []


def test_a_list_setting_that_is_not_a_list_is_reported():
    settings = settings_from_dict({"detectors": {"enabled": []}, "classifiers": {"abusive": {"insults": "numbskull"}}})
    assert abusive.check(settings) == ["insults should be a list of words or phrases in quotes"]


def test_development_set_precision_and_recall_are_at_least_80_percent():
    result = score("abusive")
    assert result.tp + result.fn + result.fp + result.tn >= 120
    assert result.precision >= 0.80, "\n".join(result.mistakes)
    assert result.recall >= 0.80, "\n".join(result.mistakes)


def test_the_alert_does_not_repeat_a_slur_in_full(prepared):
    [finding] = findings("the nurse is a retard", prepared)
    assert "retard" not in finding.evidence and '"is a r*****"' in finding.evidence


def test_the_learned_second_opinion_can_be_turned_off():
    settings = settings_from_dict({"classifiers": {"abusive": {"model_threshold": False}}})
    prepared = abusive.prepare(settings, None)
    assert prepared.model is None and abusive.check(settings) == []


@pytest.fixture(scope="module")
def lists_only():
    settings = settings_from_dict({"organisation": {"staff_names": ["Priya Marsh", "Tom Ellery"]},
                                   "classifiers": {"abusive": {"model_threshold": False}}})
    return abusive.prepare(settings, None)


@pytest.mark.parametrize("text", [
    "Tom finishes at half 4 on a Friday doesn't he. I'll remember that.",
    "Just so you know, I know which bus the receptionist gets",
    "Enjoy your weekend while it lasts x",
])
def test_a_veiled_threat_aimed_at_someone_is_flagged(text, lists_only):
    [finding] = findings(text, lists_only)
    assert "a veiled threat" in finding.evidence


@pytest.mark.parametrize("text", [
    "Enjoyed the weekend at the Matlock show, it lasts till Sunday",
    "Mark my words, the new bus timetable will be a disaster",
])
def test_menacing_words_aimed_at_nobody_are_not_a_threat(text, lists_only):
    assert findings(text, lists_only) == []


def test_a_threat_quoted_by_the_person_it_was_made_to_is_a_report_not_abuse(lists_only):
    reported = "My daughter's a carer and a client's son told her 'I know where you live'. What can she do?"
    assert findings(reported, lists_only) == []
    assert findings("I know where you live", lists_only) != []
