"""Storage, on SQLite and on PostgreSQL: items stored once, the cursor moved only with its items, UTC kept."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from connectors.base import Batch, Item, Media, SkippedRecord
from monitor.migrate import current_revision, head_revision
from monitor.models import Cursor, SkippedPayload, StoredItem
from monitor.store import ensure_account, item_from_row, load_cursor, save_batch

T0 = datetime(2026, 11, 17, 9, 30, tzinfo=timezone.utc)


def item(external_id: str, text: str = "The wait at A&E was disgraceful", **fields) -> Item:
    return Item(platform="facebook", account="sample", external_id=external_id, kind="comment", text=text,
                created_at=fields.pop("created_at", T0), **fields)


def store(app, batch: Batch) -> list[int]:
    account = app.settings.accounts[0]
    with app.db.transaction() as session:
        return save_batch(session, account, ensure_account(session, account), batch)


@pytest.fixture
def app(make_app, db_url, tmp_path):
    return make_app(db_url, accounts=[{"name": "sample", "connector": "replay", "path": str(tmp_path)}])


def test_migrations_bring_an_empty_database_to_the_newest_schema(app):
    assert current_revision(app.db) == head_revision()


def test_an_item_fetched_twice_is_stored_once(app):
    first = store(app, Batch([item("1"), item("2")], {"line": 2}))
    again = store(app, Batch([item("1"), item("2"), item("3")], {"line": 3}))
    assert len(first) == 2 and len(again) == 1
    with app.db.reading() as session:
        assert session.scalar(select(func.count()).select_from(StoredItem)) == 3


def test_the_cursor_moves_only_together_with_its_items(app):
    store(app, Batch([item("1")], {"line": 1}))
    account = app.settings.accounts[0]
    with pytest.raises(RuntimeError):
        with app.db.transaction() as session:
            save_batch(session, account, ensure_account(session, account), Batch([item("2")], {"line": 2}))
            raise RuntimeError("crash before commit")
    with app.db.reading() as session:
        account_id = ensure_account(session, account).id
        assert load_cursor(session, account_id) == {"line": 1}
        assert session.scalar(select(func.count()).select_from(StoredItem)) == 1


def test_times_come_back_in_utc(app):
    local = datetime(2026, 11, 17, 10, 30, tzinfo=timezone(timedelta(hours=1)))
    store(app, Batch([item("1", created_at=local)], None))
    with app.db.reading() as session:
        row = session.scalar(select(StoredItem))
    assert row.created_at == local and row.created_at.utcoffset() == timedelta(0)


def test_text_media_and_raw_payload_are_kept_as_given(app):
    text = "Mum's appointment 🙁 — “cancelled” again\nSecond line\t<b>not markup</b> ١٢٣ עברית"
    raw = {"id": "1", "message": text, "nested": {"list": [1, 2, None]}}
    store(app, Batch([item("1", text=text, raw=raw, media=(Media("photo", "https://x.invalid/p.jpg", None),))], None))
    with app.db.reading() as session:
        row = session.scalar(select(StoredItem))
    assert row.text == text and row.raw == raw
    assert item_from_row(row).media == (Media("photo", "https://x.invalid/p.jpg", None, None),)


def test_a_skipped_record_is_kept_with_its_payload(app):
    store(app, Batch([item("1")], None, skipped=[SkippedRecord("created_time is not a time", {"id": "9"})]))
    with app.db.reading() as session:
        kept = session.scalar(select(SkippedPayload))
    assert kept.raw == {"id": "9"} and "created_time" in kept.reason


def test_items_older_than_the_start_of_monitoring_are_stored_quietly(app):
    old = item("old", created_at=datetime.now(timezone.utc) - timedelta(days=2))
    new = item("new", created_at=datetime.now(timezone.utc) + timedelta(seconds=5))
    store(app, Batch([old, new], None))
    with app.db.reading() as session:
        quiet = dict(session.execute(select(StoredItem.external_id, StoredItem.quiet)).all())
    assert quiet == {"old": True, "new": False}


def test_the_cursor_row_belongs_to_the_account(app):
    store(app, Batch([], {"since": 5}))
    with app.db.reading() as session:
        cursors = list(session.scalars(select(Cursor)))
    assert [c.position for c in cursors] == [{"since": 5}]


def test_a_notice_whose_cause_is_over_disappears(app):
    from monitor.models import Account

    store(app, Batch([], None, notices={"direct_messages": "not permitted with a bearer token", "ratings": "x"}))
    store(app, Batch([], None, notices={"direct_messages": ""}))
    with app.db.reading() as session:
        assert session.scalar(select(Account)).notices == {"ratings": "x"}
