"""The pipeline, on SQLite and PostgreSQL: each item processed once, each alert written once, backfill quiet."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from monitor.models import OutboxMessage, StoredFinding, StoredItem
from monitor.notifier import flush_outbox
from monitor.pipeline import poll_account, process_pending


def write_replay(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def recent(minutes: int) -> str:
    """A time after the start of monitoring, however slowly the suite runs."""
    return (datetime.now(timezone.utc) + timedelta(minutes=10 + minutes)).isoformat()


@pytest.fixture
def replay_file(tmp_path):
    return write_replay(tmp_path / "feed.jsonl", [
        {"external_id": "c1", "text": "The wait at Royal Derby was disgraceful", "created_at": recent(1),
         "author_name": "Jo Bramley"},
        {"external_id": "c2", "text": "Thanks for the stall in Buxton", "created_at": recent(2)},
        {"external_id": "c3", "text": "I can't go on like this", "created_at": recent(3)},
        {"external_id": "c4", "text": "Old and useless, this was before we started", "created_at": "2026-01-05T10:00:00Z"},
    ])


@pytest.fixture
def app(make_app, db_url, replay_file):
    return make_app(db_url, accounts=[{"name": "sample", "connector": "replay", "path": str(replay_file)}])


def counts(app):
    with app.db.reading() as session:
        return (
            session.scalar(select(func.count()).select_from(StoredItem)),
            session.scalar(select(func.count()).select_from(StoredFinding)),
            session.scalar(select(func.count()).select_from(OutboxMessage)),
        )


def test_a_poll_stores_classifies_and_alerts_each_item_once(app):
    result = poll_account(app, app.settings.accounts[0])
    assert result.new == 4
    assert process_pending(app) == 4
    assert counts(app) == (4, 3, 2)  # two findings alerted; the old complaint is recorded but quiet
    poll_account(app, app.settings.accounts[0])
    assert process_pending(app) == 0
    assert counts(app) == (4, 3, 2)


def test_safeguarding_goes_to_the_safeguarding_route_marked_urgent(app):
    poll_account(app, app.settings.accounts[0])
    process_pending(app)
    with app.db.reading() as session:
        alerts = {m.route: m for m in session.scalars(select(OutboxMessage))}
    assert set(alerts) == {"complaints", "safeguarding"}
    assert alerts["safeguarding"].urgent and alerts["safeguarding"].subject.startswith("[URGENT] Safeguarding")
    assert alerts["safeguarding"].recipients == ["safeguarding@test.invalid"]
    assert "Samaritans" in alerts["safeguarding"].body_text
    assert not alerts["complaints"].urgent and "Jo Bramley" in alerts["complaints"].subject


def test_the_first_poll_backfills_quietly(app):
    poll_account(app, app.settings.accounts[0])
    process_pending(app)
    with app.db.reading() as session:
        old = session.scalar(select(StoredItem).where(StoredItem.external_id == "c4"))
        labels = [f.label for f in old.findings]
        alerted = session.scalar(select(func.count()).where(OutboxMessage.item_id == old.id))
    assert labels == ["complaint"] and alerted == 0


def test_alert_on_backfill_alerts_on_old_items_too(make_app, db_url, replay_file):
    app = make_app(db_url, accounts=[{"name": "sample", "connector": "replay", "path": str(replay_file),
                                      "alert_on_backfill": True}])
    poll_account(app, app.settings.accounts[0])
    process_pending(app)
    assert counts(app)[2] == 3


def test_a_detector_that_fails_on_one_item_does_not_stop_the_others(app, monkeypatch):
    from classifiers import keywords

    real = keywords.detect

    def flaky(item, rules):
        if item.external_id == "c2":
            raise ValueError("cannot read this one")
        return real(item, rules)

    monkeypatch.setattr(keywords, "detect", flaky)
    poll_account(app, app.settings.accounts[0])
    assert process_pending(app) == 3
    with app.db.reading() as session:
        failed = session.scalar(select(StoredItem).where(StoredItem.external_id == "c2"))
    assert failed.processed_at is None and "cannot read this one" in failed.process_error
    monkeypatch.setattr(keywords, "detect", real)
    assert process_pending(app) == 1


def test_the_outbox_is_written_to_eml_files_once(app, tmp_path):
    poll_account(app, app.settings.accounts[0])
    process_pending(app)
    assert flush_outbox(app).sent == 2
    assert flush_outbox(app).sent == 0
    files = sorted((tmp_path / "outbox").glob("*.eml"))
    assert len(files) == 2
    assert oct(files[0].stat().st_mode & 0o777) == "0o600"
