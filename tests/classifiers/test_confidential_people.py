"""People: a named or identifiable person with a health condition, and staff named in a hostile or revealing way."""
from __future__ import annotations

import pytest

from classifiers import confidential
from monitor.settings import settings_from_dict
from tests.classifiers.confidential_dev_scoring import as_item, entities


@pytest.mark.parametrize("text, person", [
    ("my dad Trevor Allsop has dementia and the Royal discharged him at 2am", "my dad Trevor Allsop"),
    ("Mrs Patel in bed 4 was left crying, she has dementia", "Mrs Patel in bed 4"),
    ("my neighbour at number 12 is on dialysis", "my neighbour at number 12"),
    ("Trevor Allsop has had diabetes for 20 years", "Trevor Allsop"),
    ("Sandra's husband is having chemo at the Royal", "Sandra's husband"),
    ("the lady in bed 6 had a miscarriage last night", "the lady in bed 6"),
    ("My brother is HIV positive and the receptionist said it out loud", "My brother"),
    ("My dad was admitted on Tuesday. He has dementia and nobody told us", "My dad"),
])
def test_identifiable_person_with_a_condition_is_person_health(text: str, person: str) -> None:
    assert entities(text) == [("PERSON_HEALTH", person)]


@pytest.mark.parametrize("text", [
    "I have diabetes and my husband drives me to every appointment",
    "I was diagnosed with depression last year",
    "The cancer waiting times in Derbyshire are shocking",
    "My daughter is a nurse on the stroke ward",
    "my mum did the cancer research walk on Sunday",
    "Ms Patel, the receptionist, was rude to me",
    "What a stroke of luck, got an appointment the same day",
    "My mum always said the NHS was the best thing",
])
def test_own_conditions_services_and_jobs_are_not_person_health(text: str) -> None:
    assert entities(text) == []


def test_the_condition_goes_with_the_nearest_person_before_it() -> None:
    text = "Brian has had a stroke and cannot speak, his wife is struggling"
    assert entities(text) == [("PERSON_HEALTH", "Brian")]


def test_configured_condition_terms_extend_the_lexicon() -> None:
    plain = confidential.prepare(settings_from_dict({}))
    section = {"condition_terms_extra": ["long wait syndrome"]}
    extra = confidential.prepare(settings_from_dict({"classifiers": {"confidential": section}}))
    assert entities("my dad has long wait syndrome", extra) == [("PERSON_HEALTH", "my dad")]
    assert entities("my dad has long wait syndrome", plain) == []


@pytest.mark.parametrize("text, name", [
    ("Sarah Whitfield is a useless cow", "Sarah Whitfield"),
    ("Everyone knows Priya Mistry is off sick with stress again", "Priya Mistry"),
    ("that idiot Gary at HWD hung up on me", "Gary"),
    ("sarah whitfield is clueless", "sarah whitfield"),
])
def test_staff_named_with_an_insult_or_a_private_detail_is_a_dignity_breach(text: str, name: str) -> None:
    findings = confidential.detect(as_item(text), _staff_prepared())
    assert [(s.type, text[s.start:s.end]) for s in findings[0].spans] == [("STAFF_NAME", name)]
    assert findings[0].label == "confidential"
    assert "dignity breach (policy 2.1, 3.1)" in findings[0].evidence


@pytest.mark.parametrize("text", [
    "Thanks to Sarah Whitfield for listening to us at the Belper event",
    "Sarah from Healthwatch never replied to my email",
    "Gary Openshaw said he'd call me back and didn't, not good enough",
])
def test_praise_and_criticism_of_staff_are_not_dignity_breaches(text: str) -> None:
    assert confidential.detect(as_item(text), _staff_prepared()) == []


def test_a_colleagues_health_is_reported_once_as_a_dignity_breach() -> None:
    text = "Priya Mistry has depression apparently"
    findings = confidential.detect(as_item(text), _staff_prepared())
    assert [s.type for s in findings[0].spans] == ["STAFF_NAME"]
    assert "revealing" in findings[0].evidence


def test_without_configured_staff_names_there_is_no_dignity_check() -> None:
    prepared = confidential.prepare(settings_from_dict({}))
    assert confidential.detect(as_item("Sarah Whitfield is a useless cow"), prepared) == []


def _staff_prepared() -> object:
    return confidential.prepare(settings_from_dict(
        {"organisation": {"staff_names": ["Sarah Whitfield", "Gary Openshaw", "Priya Mistry"]}}))


def test_a_named_person_scores_higher_than_one_known_only_by_relationship() -> None:
    prepared = confidential.prepare(settings_from_dict({}))
    named = confidential.detect(as_item("my dad Trevor Allsop has dementia"), prepared)[0]
    related = confidential.detect(as_item("my dad has dementia"), prepared)[0]
    assert named.score > related.score
    assert "PERSON_HEALTH (by relationship)" in related.evidence
    assert "(by relationship)" not in named.evidence
