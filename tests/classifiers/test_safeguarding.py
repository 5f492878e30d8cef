"""Safeguarding: anyone who may be at risk of harm must reach a person at once. Recall comes first."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from classifiers import safeguarding
from connectors.base import Item
from monitor.settings import settings_from_dict
from tests.classifiers.policy_dev_scoring import score


def item(text: str, own: bool = False) -> Item:
    return Item("facebook", "hwd", "c1", "comment", text, datetime(2026, 3, 2, tzinfo=timezone.utc), own=own)


@pytest.fixture(scope="module")
def prepared():
    return safeguarding.prepare(settings_from_dict({}), None)


def findings(text: str, prepared) -> list:
    return safeguarding.detect(item(text), prepared)


@pytest.mark.parametrize("text, sign", [
    ("I can't go on, everyone would be better off without me", "suicidal thoughts"),
    ("Some days I just want to end it all", "suicidal thoughts"),
    ("I've started cutting myself again", "self-harm"),
    ("Goodbye everyone. This is my last post", "a goodbye message"),
    ("Giving away all my things, I won't need them where I'm going", "giving things away"),
    ("Mum's carers never turn up and she has no food in the house for days", "neglect"),
    ("They lock him in his room at night at the care home", "neglect"),
    ("Her son takes all her pension and leaves her with nothing", "abuse of an older or disabled adult"),
    ("My partner controls all my money and I'm scared to go home", "domestic abuse"),
    ("The kids next door are left home alone every night", "a child at risk"),
])
def test_each_kind_of_sign_is_flagged_and_named_in_the_evidence(text, sign, prepared):
    [finding] = findings(text, prepared)
    assert finding.label == "safeguarding" and finding.detector == "safeguarding"
    assert sign in finding.evidence


@pytest.mark.parametrize("text", [
    "My mum has dementia and lives alone, she knocked on my door at 3am asking for her mother",
    "He grabs my arm so hard it leaves marks and then says sorry",
    "I've been stockpiling my tablets",
    "My teenage son has scars all up his arms and won't talk to me",
])
def test_subtle_signs_are_flagged_too(text, prepared):
    assert findings(text, prepared)


@pytest.mark.parametrize("text", [
    "This wait is killing me",
    "I could kill for a coffee",
    "Dying to see the report!",
    "My phone died while I was on hold to 111",
    "We can't go on like this, the town needs a dentist",
    "Goodbye everyone, it's my last day at Healthwatch after 6 years!",
    "Mum has bruises from her blood thinners, the GP says it's normal",
])
def test_everyday_expressions_are_not_signs(text, prepared):
    assert findings(text, prepared) == []


@pytest.mark.parametrize("text", [
    "Book your place on our free safeguarding training: learn to spot the signs of self-harm",
    "World Suicide Prevention Day: if you are struggling, call Samaritans on 116 123",
    "News: the council launched a campaign to raise awareness of domestic abuse",
])
def test_training_adverts_and_campaign_news_are_not_flagged(text, prepared):
    assert findings(text, prepared) == []


def test_someone_at_risk_writing_under_a_campaign_post_is_still_flagged(prepared):
    text = "I saw your suicide prevention campaign. I want to end it all and nobody listens"
    assert findings(text, prepared)


def test_curly_apostrophes_and_capitals_do_not_hide_a_sign(prepared):
    assert findings("I CAN\u2019T GO ON ANY MORE", prepared)


def test_spans_point_at_the_words_and_evidence_quotes_only_a_few(prepared):
    text = "Honestly I " + "really " * 30 + "want to end it all tonight because nothing ever changes here"
    [finding] = findings(text, prepared)
    for span in finding.spans:
        assert text[span.start:span.end].lower().startswith(("end", "want", "nothing"))
    assert len(finding.evidence) < 160


def test_an_explicit_sign_scores_higher_than_a_warning_sign_alone(prepared):
    [explicit] = findings("I want to kill myself", prepared)
    [subtle] = findings("My dad has been in the same clothes for a week", prepared)
    assert explicit.score > subtle.score >= 0.5


def test_configured_phrases_are_signs_and_configured_expressions_are_not():
    settings = settings_from_dict({"classifiers": {"safeguarding": {
        "phrases": ["feeling unsafe at night"], "ignore_phrases": ["killing me softly"]}}})
    prepared = safeguarding.prepare(settings, None)
    assert findings("I keep feeling unsafe at night", prepared)
    assert safeguarding.check(settings) == []


def test_a_mistyped_setting_is_reported_in_plain_words():
    settings = settings_from_dict({"detectors": {"enabled": []},
                                   "classifiers": {"safeguarding": {"min_score": 3, "phrase": ["x"]}}})
    problems = safeguarding.check(settings)
    assert any("min_score should be between 0 and 1" in p for p in problems)
    assert any("phrase is not a known setting" in p for p in problems)


def test_development_set_recall_is_at_least_95_percent_and_precision_80():
    result = score("safeguarding")
    assert result.tp + result.fn >= 150, "the development set should hold at least 150 items at risk"
    assert result.recall >= 0.95, "\n".join(result.mistakes)
    assert result.precision >= 0.80, "\n".join(result.mistakes)


def test_a_lower_min_score_also_reports_weak_warning_signs():
    text = "I'm scared to leave the house these days"
    lists_only = {"model_threshold": False}
    assert findings(text, safeguarding.prepare(settings_from_dict({"classifiers": {"safeguarding": lists_only}}), None)) == []
    low = settings_from_dict({"classifiers": {"safeguarding": {**lists_only, "min_score": 0.3}}})
    [finding] = findings(text, safeguarding.prepare(low, None))
    assert finding.score == safeguarding.WEAK_SCORE and "warning signs" in finding.evidence


def test_the_learned_second_opinion_catches_wording_the_lists_do_not_know(prepared):
    [finding] = findings("I just want to sleep forever and not have to face anything", prepared)
    assert "taught with" in finding.evidence and 0.5 <= finding.score <= 0.8


def test_the_learned_second_opinion_can_be_turned_off():
    settings = settings_from_dict({"classifiers": {"safeguarding": {"model_threshold": False}}})
    assert findings("I just want to sleep forever and not have to face anything", safeguarding.prepare(settings, None)) == []
    assert safeguarding.check(settings) == []


@pytest.mark.parametrize("text", [
    "I used to self harm as a teenager, now I'm a mental health nurse. It does get better.",
    "This time last year I was in a really dark place. Today I'm 12 months sober and happy",
])
def test_a_risk_told_as_past_and_over_is_not_an_alert(text, prepared):
    assert findings(text, prepared) == []


def test_a_past_risk_that_is_happening_again_is_still_an_alert(prepared):
    assert findings("I used to self harm years ago and last night I started again", prepared) != []


def test_a_campaign_about_warning_signs_is_not_a_person_at_risk(prepared):
    assert findings("Know the signs of county lines: new phones, unexplained cash, older 'friends'", prepared) == []
