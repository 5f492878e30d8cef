"""Photos only with the consent of all those pictured (policy 1.3): a register entry or a marker in the post."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from classifiers import photo_consent
from classifiers.base import Facts
from connectors.base import Item, Media
from monitor.settings import settings_from_dict
from tests.classifiers.policy_dev_scoring import score

REGISTER = Facts(consented_posts=frozenset({"post-with-consent"}), consented_media=frozenset({"photo-ok"}))


def post(text: str, *media: Media, own: bool = True, post_id: str = "post-1") -> Item:
    return Item("facebook", "hwd", post_id, "post", text, datetime(2026, 3, 2, tzinfo=timezone.utc), own=own, media=media)


@pytest.fixture(scope="module")
def prepared():
    return photo_consent.prepare(settings_from_dict({}), REGISTER)


def test_an_own_photo_without_consent_is_flagged_naming_the_photo(prepared):
    [finding] = photo_consent.detect(post("Our volunteers", Media("photo", media_id="photo-7")), prepared)
    assert finding.label == "photo_consent" and "photo-7" in finding.evidence
    assert "consent add --post post-1" in finding.evidence


def test_only_the_photos_without_consent_are_named(prepared):
    item = post("Our stall", Media("photo", media_id="photo-ok"), Media("photo", media_id="photo-8"))
    [finding] = photo_consent.detect(item, prepared)
    assert "photo-8" in finding.evidence and "photo-ok" not in finding.evidence


def test_a_consent_record_for_the_post_covers_all_its_photos(prepared):
    item = post("Our stall", Media("photo", media_id="a"), Media("photo", media_id="b"), post_id="post-with-consent")
    assert photo_consent.detect(item, prepared) == []


@pytest.mark.parametrize("text", ["Our stall #ConsentGiven", "Our stall (photos used with permission)",
                                  "Our stall (Photos Used With Permission)"])
def test_a_configured_marker_in_the_text_means_consent(text, prepared):
    assert photo_consent.detect(post(text, Media("photo", media_id="photo-9")), prepared) == []


def test_the_markers_come_from_configuration():
    settings = settings_from_dict({"classifiers": {"photo_consent": {"markers": ["[consent on file]"]}}})
    prepared = photo_consent.prepare(settings, REGISTER)
    assert photo_consent.detect(post("Stall [consent on file]", Media("photo", media_id="x")), prepared) == []
    assert photo_consent.detect(post("Stall #ConsentGiven", Media("photo", media_id="x")), prepared)


def test_videos_need_consent_but_link_previews_do_not(prepared):
    assert photo_consent.detect(post("Clip", Media("video", media_id="v1")), prepared)
    assert photo_consent.detect(post("Survey", Media("link", url="https://forms.example/s")), prepared) == []


@pytest.mark.parametrize("alt", ["Poster: tell us about your GP", "Logo of Healthwatch Derbyshire", "Chart of waiting times"])
def test_graphics_with_nobody_in_them_need_no_consent(alt, prepared):
    assert photo_consent.detect(post("Have your say", Media("photo", media_id="g1", alt_text=alt)), prepared) == []


def test_a_photo_of_people_holding_a_poster_still_needs_consent(prepared):
    media = Media("photo", media_id="g2", alt_text="Two receptionists holding our poster")
    assert photo_consent.detect(post("Spot our poster", media), prepared)


def test_others_photos_and_own_posts_without_photos_are_not_checked(prepared):
    assert photo_consent.detect(post("Look at this", Media("photo", media_id="p"), own=False), prepared) == []
    assert photo_consent.detect(post("Survey closes Friday"), prepared) == []


def test_an_unknown_setting_is_reported():
    settings = settings_from_dict({"detectors": {"enabled": []}, "classifiers": {"photo_consent": {"marker": "x"}}})
    assert photo_consent.check(settings) == ["marker is not a known setting (known: markers, media_types, no_people_alt)"]


def test_development_set_precision_and_recall_are_at_least_80_percent():
    result = score("photo_consent")
    assert result.tp + result.fn + result.fp + result.tn >= 120
    assert result.precision >= 0.80, "\n".join(result.mistakes)
    assert result.recall >= 0.80, "\n".join(result.mistakes)
