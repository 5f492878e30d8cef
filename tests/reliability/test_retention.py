"""Retention: raw payloads and texts older than the configured periods are purged; cases keep their trail with the
texts redacted; open cases keep their texts until resolved; sent message bodies go after their own period."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from monitor.errors import ConfigError
from monitor.retention import purge_expired, removed_marker, retention_job
from monitor.settings import settings_from_dict
from tests.reliability.protection_world import (
    NOW, OLD_OTHER_TEXT, ROBIN_NEW_TEXT, ROBIN_OLD_TEXT, build_world, dump,
)

ACCOUNTS = [{"name": "fb", "connector": "replay", "path": "x"}]
MARKER = removed_marker(730)


def test_texts_older_than_the_period_are_removed_and_cases_keep_their_trail(db_url, make_app):
    from monitor.models import Case, Label, OutboxMessage, PlannedAction, StoredFinding, StoredItem

    app = make_app(db_url, accounts=ACCOUNTS)
    world = build_world(app)
    counts = purge_expired(app, now=NOW)

    stored = dump(app)
    assert ROBIN_OLD_TEXT not in stored and "apologised to Robin" not in stored
    with app.db.reading() as session:
        old = session.get(StoredItem, world.robin_old)
        case = session.scalar(select(Case).where(Case.item_id == world.robin_old))
        finding = session.scalar(select(StoredFinding).where(StoredFinding.item_id == world.robin_old))
        action = session.scalar(select(PlannedAction).where(PlannedAction.item_id == world.robin_old))
        alert = session.scalar(select(OutboxMessage).where(OutboxMessage.item_id == world.robin_old))
        labels = session.scalar(select(func.count()).select_from(Label).where(Label.item_id == world.robin_old))
        still_open = session.get(StoredItem, world.old_open)
        recent = session.get(StoredItem, world.robin_new)
    assert old.text == MARKER and old.author_name is None and old.author_id is None and old.raw is None
    assert old.external_id == "1_1" and old.created_at is not None, "what it was and when stay, for the figures"
    assert finding.label == "complaint" and finding.evidence == "" and finding.spans == []
    assert case.state == "resolved" and case.drafted_reply == MARKER
    assert [(h["by"], h["what"]) for h in case.history] == [
        ("monitor", "opened as complaint hwd (route complaints)"), ("officer", f"responded: {MARKER}"),
        ("officer", f"resolved: {MARKER}")]
    assert action.text == MARKER and alert.body_text == MARKER and alert.body_html is None
    assert labels == 0, "a label is the text itself: it goes with it"
    assert still_open.text == "An old complaint still open", "an open case keeps its text until it is resolved"
    assert recent.text == ROBIN_NEW_TEXT and recent.raw is not None
    assert counts["items"] == 1 and counts["cases"] == 1


def test_raw_payloads_go_after_their_own_shorter_period(db_url, make_app):
    from monitor.models import SkippedPayload, StoredItem

    app = make_app(db_url, accounts=ACCOUNTS)
    world = build_world(app)
    purge_expired(app, now=NOW)
    with app.db.reading() as session:
        year_old = session.get(StoredItem, world.other_old)
        skipped = session.scalars(select(SkippedPayload.reason)).all()
    assert year_old.raw is None and year_old.text == OLD_OTHER_TEXT, "400 days: payload gone, text kept"
    assert len(skipped) == 1, "the 500-day-old skipped payload is gone, the recent one kept"


def test_sent_message_bodies_go_after_the_outbox_period(sqlite_url, make_app):
    from monitor.models import OutboxMessage

    app = make_app(sqlite_url, accounts=ACCOUNTS, retention={"outbox_days": 5})
    world = build_world(app)
    purge_expired(app, now=NOW)
    with app.db.reading() as session:
        bodies = dict(session.execute(select(OutboxMessage.item_id, OutboxMessage.body_text)).all())
    assert bodies[world.robin_new] == removed_marker(5), "sent ten days ago"
    assert bodies[world.other_recent].endswith("brilliant today"), "sent three days ago"


def test_a_second_purge_changes_nothing_and_each_purge_is_recorded_once(db_url, make_app):
    from monitor.models import Erasure

    app = make_app(db_url, accounts=ACCOUNTS)
    build_world(app)
    first = purge_expired(app, now=NOW)
    before = dump(app)
    assert purge_expired(app, now=NOW) == {}
    assert dump(app) == before
    with app.db.reading() as session:
        records = session.scalars(select(Erasure)).all()
    assert [(r.kind, r.counts) for r in records] == [("retention", first)]
    assert ROBIN_OLD_TEXT not in str(records[0].counts)


def test_the_retention_job_never_raises(sqlite_url, make_app, caplog, monkeypatch):
    import monitor.retention

    caplog.set_level("INFO", logger="monitor.retention")
    app = make_app(sqlite_url, accounts=ACCOUNTS)
    build_world(app)
    retention_job(app)
    assert "retention: purged" in caplog.text

    def locked(_app):
        raise RuntimeError("database is locked")

    monkeypatch.setattr(monitor.retention, "purge_expired", locked)
    retention_job(app)  # logs, and the daemon goes on
    assert "retention purge failed" in caplog.text


def test_a_resolved_case_loses_its_text_at_the_next_purge(sqlite_url, make_app):
    from monitor.models import Case, StoredItem

    app = make_app(sqlite_url, accounts=ACCOUNTS)
    world = build_world(app)
    purge_expired(app, now=NOW)
    with app.db.transaction() as session:
        session.scalar(select(Case).where(Case.item_id == world.old_open)).state = "resolved"
    purge_expired(app, now=NOW + timedelta(days=1))
    with app.db.reading() as session:
        assert session.get(StoredItem, world.old_open).text == MARKER


@pytest.mark.parametrize("section,fragment", [
    ({"text_days": 30, "raw_payload_days": 365}, "text_days (30) must be at least raw_payload_days (365)"),
    ({"raw_payload_days": 0}, "retention.raw_payload_days"),
    ({"outbox_days": "a week"}, "retention.outbox_days"),
    ({"keep_forever": True}, "retention.keep_forever is not a known setting"),
])
def test_a_bad_retention_section_is_one_sentence(section, fragment):
    with pytest.raises(ConfigError) as raised:
        settings_from_dict({"retention": section})
    assert len(raised.value.problems) == 1 and fragment in raised.value.problems[0]


def test_eml_copies_of_expired_messages_are_deleted(sqlite_url, make_app):
    from monitor.models import OutboxMessage
    from monitor.notifier import FolderTransport

    app = make_app(sqlite_url, accounts=ACCOUNTS, retention={"outbox_days": 5})
    build_world(app)
    transport = FolderTransport(app.settings.outbox.folder)
    with app.db.reading() as session:
        for row in session.scalars(select(OutboxMessage)):
            transport.path_for(row).write_text(row.body_text, encoding="utf-8")
    counts = purge_expired(app, now=NOW)
    left = [p.read_text(encoding="utf-8") for p in app.settings.outbox.folder.glob("*.eml")]
    assert counts["eml_files"] == 3 and len(left) == 1 and left[0].endswith("brilliant today")
