"""Spam and scams on others' items: hidden from the page (moderation norms), never a complaint to answer."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from classifiers import spam
from connectors.base import Item
from monitor.settings import settings_from_dict
from tests.classifiers.policy_dev_scoring import score


def item(text: str, author: str = "Jo Fenwick", own: bool = False) -> Item:
    return Item("facebook", "hwd", "c1", "comment", text, datetime(2026, 3, 2, tzinfo=timezone.utc),
                author_name=author, own=own)


@pytest.fixture(scope="module")
def prepared():
    return spam.prepare(settings_from_dict({}), None)


@pytest.mark.parametrize("text", [
    "I made £5,000 a week trading bitcoin with Mrs Anna, WhatsApp +44 7700 900123",
    "Dr Okoro cured my diabetes naturally with herbal medicine",
    "CONGRATULATIONS! You have been selected to receive a £500 voucher, claim your reward here",
    "GIVEAWAY! Share and tag 3 friends to win a free iPhone http://bit.ly/abc",
    "Your page will be disabled for violating our Community Standards. Verify your account here",
    "https://a.example https://b.example https://c.example great deals",
])
def test_scams_fake_cures_giveaways_and_link_farms_are_spam(text, prepared):
    [finding] = spam.detect(item(text), prepared)
    assert finding.label == "spam" and finding.score >= 0.6


def test_an_account_posing_as_the_organisation_and_asking_for_details_is_a_scam(prepared):
    [finding] = spam.detect(item("Please DM us your bank details to receive your refund",
                                 author="Healthwatch Derbyshire Support"), prepared)
    assert "impersonation" in finding.evidence and finding.score >= 0.9


def test_a_posing_account_that_asks_for_nothing_is_left_to_the_brand_check(prepared):
    assert spam.detect(item("Thanks for the update", author="Healthwatch Derbyshire Support"), prepared) == []


@pytest.mark.parametrize("text", [
    "Got a text saying my NHS account was suspended and to click a link, is this a scam?",
    "Beware: fake texts about cost of living payments going round, don't click the links",
    "My dad lost £5,000 to a crypto scam, where can he get help?",
])
def test_people_warning_about_scams_are_not_spam(text, prepared):
    assert spam.detect(item(text), prepared) == []


@pytest.mark.parametrize("text, author", [
    ("Waited 9 hours at A&E. Disgraceful.", "Jo Fenwick"),
    ("I earn £11 an hour as a carer and it's not enough", "Jo Fenwick"),
    ("Congratulations to the midwives who won the team award!", "Jo Fenwick"),
    ("Great report, we'll share it with our members", "Healthwatch Derby"),
    ("See the NHS website for advice https://www.nhs.uk/conditions/diabetes/", "Jo Fenwick"),
])
def test_ordinary_comments_and_genuine_partners_are_not_spam(text, author, prepared):
    assert spam.detect(item(text, author), prepared) == []


def test_the_organisations_own_prize_draw_is_not_spam(prepared):
    text = "Prize draw: complete our survey to win a £50 voucher! Share and tag your friends"
    assert spam.detect(item(text, "Healthwatch Derbyshire", own=True), prepared) == []


def test_spans_mark_the_scam_wording(prepared):
    text = "Hello, I made £3,000 a week with crypto"
    [finding] = spam.detect(item(text), prepared)
    assert any(text[s.start:s.end] == "made £3,000 a week" for s in finding.spans)


def test_configured_phrases_and_shorteners_count():
    settings = settings_from_dict({"classifiers": {"spam": {"phrases": ["magic beans"], "shorteners": ["sho.rt"]}}})
    prepared = spam.prepare(settings, None)
    assert spam.detect(item("Buy my magic beans"), prepared)
    assert spam.check(settings) == []


def test_a_threshold_outside_0_to_1_is_reported():
    settings = settings_from_dict({"detectors": {"enabled": []}, "classifiers": {"spam": {"min_score": 0}}})
    assert spam.check(settings) == ["min_score should be between 0 and 1 (a lower number reports more)"]


def test_development_set_precision_and_recall_are_at_least_80_percent():
    result = score("spam")
    assert result.tp + result.fn + result.fp + result.tn >= 120
    assert result.precision >= 0.80, "\n".join(result.mistakes)
    assert result.recall >= 0.80, "\n".join(result.mistakes)


def test_the_learned_second_opinion_can_be_turned_off():
    settings = settings_from_dict({"classifiers": {"spam": {"model_threshold": False}}})
    prepared = spam.prepare(settings, None)
    assert prepared.model is None and spam.check(settings) == []


def test_a_model_threshold_that_is_not_a_probability_is_reported():
    settings = settings_from_dict({"detectors": {"enabled": []}, "classifiers": {"spam": {"model_threshold": 2}}})
    assert any("model_threshold should be a number between 0 and 1" in p for p in spam.check(settings))
