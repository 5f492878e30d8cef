"""The photo consent register (policy 1.3): `consent add|list|remove`, and the detector reading it."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from classifiers import photo_consent
from connectors.base import Item, Media
from monitor.app import App
from monitor.cli import main
from monitor.commands.consent import parse_given_at
from monitor.errors import InputError
from monitor.pipeline import load_facts
from monitor.settings import load_settings


@pytest.fixture
def config(tmp_path: Path) -> Path:
    """A configuration whose database is an SQLite file in the test's folder."""
    path = tmp_path / "monitor.toml"
    path.write_text(
        f'[database]\nurl = "sqlite:///{tmp_path / "monitor.db"}"\n\n'
        f'[outbox]\nfolder = "{tmp_path / "outbox"}"\n',
        encoding="utf-8",
    )
    return path


def consent(config: Path, *args: str) -> int:
    return main(["--config", str(config), "consent", *args])


def own_photo_post(post_id: str = "post-17", media_id: str = "photo-3") -> Item:
    return Item("facebook", "hwd", post_id, "post", "Our volunteers at the Belper picnic",
                datetime(2026, 3, 14, 10, 0, tzinfo=timezone.utc), own=True,
                media=(Media("photo", media_id=media_id, alt_text="Volunteers at a picnic table"),))


def findings_after_register(config: Path, item: Item) -> list:
    app = App(load_settings(config))
    try:
        prepared = photo_consent.prepare(app.settings, load_facts(app))
    finally:
        app.close()
    return photo_consent.detect(item, prepared)


def test_consent_recorded_for_a_post_covers_its_photos(config, capsys):
    assert findings_after_register(config, own_photo_post())  # no record yet: the photo is flagged
    assert consent(config, "add", "--post", "post-17", "--given-by", "Jan Cole (parent)", "--given-at", "2026-03-14") == 0
    assert "post post-17, consent given by Jan Cole (parent)" in capsys.readouterr().out
    assert findings_after_register(config, own_photo_post()) == []


def test_consent_recorded_for_one_photo_covers_only_that_photo(config):
    assert consent(config, "add", "--media", "photo-3", "--given-by", "Ray Dunn") == 0
    assert findings_after_register(config, own_photo_post(media_id="photo-3")) == []
    assert findings_after_register(config, own_photo_post(media_id="photo-4"))


def test_list_shows_each_record_with_who_and_when(config, capsys):
    consent(config, "add", "--post", "post-1", "--given-by", "Mel Grant", "--given-at", "2026-01-05T09:30",
            "--notes", "signed form in the events folder")
    consent(config, "add", "--media", "photo-9", "--given-by", "Sam Okafor", "--platform", "x")
    capsys.readouterr()
    assert consent(config, "list") == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2
    assert "photo photo-9 on x, consent given by Sam Okafor" in lines[0]  # newest first
    assert "post post-1, consent given by Mel Grant at 2026-01-05 09:30 UTC (signed form in the events folder)" in lines[1]
    consent(config, "list", "--post", "post-1")
    assert "Sam Okafor" not in capsys.readouterr().out


def test_withdrawn_consent_is_removed_and_the_photo_is_flagged_again(config, capsys):
    consent(config, "add", "--post", "post-17", "--given-by", "Jan Cole")
    record_id = capsys.readouterr().out.split(":")[0].split()[-1]
    assert consent(config, "remove", record_id) == 0
    assert "removed" in capsys.readouterr().out
    assert findings_after_register(config, own_photo_post())


def test_removing_a_record_that_does_not_exist_is_one_sentence(config, capsys):
    assert consent(config, "remove", "99") == 2
    assert "there is no consent record 99" in capsys.readouterr().err


def test_a_post_or_a_photo_must_be_named_and_not_both(config, capsys):
    assert consent(config, "add", "--given-by", "Jan Cole") == 2
    assert consent(config, "add", "--post", "p", "--media", "m", "--given-by", "Jan Cole") == 2


def test_an_empty_name_is_refused(config, capsys):
    assert consent(config, "add", "--post", "p1", "--given-by", "  ") == 2
    assert "say who gave consent" in capsys.readouterr().err


def test_a_local_date_is_read_in_the_organisations_time_zone():
    now = datetime(2026, 8, 1, tzinfo=timezone.utc)
    assert parse_given_at("2026-07-01T10:00", "Europe/London", now) == datetime(2026, 7, 1, 9, 0, tzinfo=timezone.utc)


def test_consent_dated_in_the_future_or_not_a_date_is_refused():
    now = datetime(2026, 8, 1, tzinfo=timezone.utc)
    with pytest.raises(InputError, match="in the future"):
        parse_given_at("2026-09-01", "Europe/London", now)
    with pytest.raises(InputError, match="not a date"):
        parse_given_at("last Tuesday", "Europe/London", now)
