"""Corporate identity (policy 1.5): the right name, CamelCase hashtags, alt text, one link; no one posing as us."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from classifiers import off_brand
from connectors.base import Item, Media
from monitor.settings import settings_from_dict
from tests.classifiers.policy_dev_scoring import score


def own_post(text: str, media: tuple[Media, ...] = ()) -> Item:
    return Item("facebook", "hwd", "p1", "post", text, datetime(2026, 3, 2, tzinfo=timezone.utc),
                author_name="Healthwatch Derbyshire", own=True, media=media)


def comment(text: str, author: str) -> Item:
    return Item("facebook", "hwd", "c1", "comment", text, datetime(2026, 3, 2, tzinfo=timezone.utc), author_name=author)


@pytest.fixture(scope="module")
def prepared():
    return off_brand.prepare(settings_from_dict({"organisation": {"handles": {"x": "HWDerbyshire"}}}), None)


def evidence(item: Item, prepared) -> str:
    found = off_brand.detect(item, prepared)
    return found[0].evidence if found else ""


@pytest.mark.parametrize("text, wrong", [
    ("HealthWatch Derbyshire wants to hear from you", '"HealthWatch"'),
    ("Health Watch Derbyshire is at Ripley market", '"Health Watch"'),
    ("health watch derbyshire annual meeting", '"health watch"'),
    ("Healthwatch's Derbyshire report is out", "\"Healthwatch's Derbyshire\""),
    ("The HWatch team is growing", '"HWatch"'),
])
def test_the_name_written_wrongly_is_named(text, wrong, prepared):
    assert f"the name is written {wrong}" in evidence(own_post(text), prepared)


@pytest.mark.parametrize("text", [
    "Healthwatch Derbyshire wants to hear from you",
    "Read Healthwatch Derbyshire's report",
    "HEALTHWATCH DERBYSHIRE annual report",
    "Visit https://www.healthwatchderbyshire.co.uk/HealthWatch-news",
    "Thanks @HWDerbyshire for sharing",
])
def test_the_right_name_web_addresses_and_our_handle_are_fine(text, prepared):
    assert off_brand.detect(own_post(text), prepared) == []


def test_the_wrong_names_come_from_configuration():
    settings = settings_from_dict({"brand": {"wrong_names": ["HW Derbys"]}})
    prepared = off_brand.prepare(settings, None)
    assert off_brand.detect(own_post("Thanks from HW Derbys"), prepared)
    assert off_brand.detect(own_post("HealthWatch Derbyshire"), prepared) == []


@pytest.mark.parametrize("tag, sentence", [
    ("#healthwatchderbyshire", "is not in CamelCase"),
    ("#nhs", "is not in CamelCase"),  # a single lower-case word is flagged too: write #NHS
    ("#HEALTHWATCHDERBYSHIRE", "is all in capitals"),
])
def test_hashtags_must_be_camel_case(tag, sentence, prepared):
    assert sentence in evidence(own_post(f"Come and see us {tag}"), prepared)


@pytest.mark.parametrize("tag", ["#HealthwatchDerbyshire", "#NHS", "#NHS75", "#2024", "#CarersWeek"])
def test_camel_case_acronyms_and_numbers_are_fine(tag, prepared):
    assert off_brand.detect(own_post(f"Come and see us {tag}"), prepared) == []


def test_more_hashtags_or_links_than_the_house_style_allows(prepared):
    assert "3 hashtags (the house style is at most 2)" in evidence(own_post("#GP #NHS #Derbyshire"), prepared)
    assert "2 links (the house style is at most 1)" in evidence(own_post("https://a.example and www.b.example"), prepared)


def test_the_limits_come_from_configuration():
    prepared = off_brand.prepare(settings_from_dict({"brand": {"max_hashtags": 3, "max_links": 2}}), None)
    assert off_brand.detect(own_post("#GP #NHS #Derbyshire https://a.example https://b.example"), prepared) == []


def test_images_without_meaningful_alt_text_are_named(prepared):
    media = (Media("photo", media_id="m1"), Media("photo", media_id="m2", alt_text="IMG_4021.jpg"),
             Media("photo", media_id="m3", alt_text="Volunteers at a stall"), Media("video", media_id="v1"))
    assert "2 image(s) without alt text (m1, m2)" in evidence(own_post("Our stall", media), prepared)


def test_a_handle_like_ours_but_wrong_is_flagged(prepared):
    assert "@HWDerbyshlre is not the organisation's handle" in evidence(own_post("Thanks @HWDerbyshlre"), prepared)


@pytest.mark.parametrize("author", ["Healthwatch Derbyshire Support", "Hea1thwatch Derbyshlre", "HWD Official"])
def test_an_account_posing_as_the_organisation_is_flagged(author, prepared):
    [finding] = off_brand.detect(comment("Please message us", author), prepared)
    assert "not the organisation's" in finding.evidence and finding.score >= 0.9


def test_text_speaking_as_the_organisation_from_another_account_is_flagged(prepared):
    posing = comment("This is Healthwatch Derbyshire, send your details", "Kim Lowe")
    assert "speaks as the organisation" in evidence(posing, prepared)


@pytest.mark.parametrize("author, text", [
    ("Healthwatch Derby", "Great report"),
    ("Healthwatch England", "Thanks for the mention"),
    ("Pat Greene", "HealthWatch Derbyshire is rubbish"),
    ("Jan Cole", "I volunteer for Healthwatch Derbyshire"),
])
def test_genuine_partners_and_the_public_naming_us_are_not_off_brand(author, text, prepared):
    assert off_brand.detect(comment(text, author), prepared) == []


def test_configuration_problems_are_plain_sentences():
    settings = settings_from_dict({"detectors": {"enabled": []},
                                   "brand": {"max_hashtags": "two", "wrong_names": ["Healthwatch Derbyshire"]}})
    problems = off_brand.check(settings)
    assert "brand.max_hashtags should be a whole number, 0 or more (got 'two')" in problems
    assert any("lists the organisation's own name" in p for p in problems)


def test_development_set_precision_and_recall_are_at_least_80_percent():
    result = score("off_brand")
    assert result.tp + result.fn + result.fp + result.tn >= 120
    assert result.precision >= 0.80, "\n".join(result.mistakes)
    assert result.recall >= 0.80, "\n".join(result.mistakes)
