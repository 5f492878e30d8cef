"""Storing what the connectors fetch: items stored once, moved together with the cursor that covers them."""
from __future__ import annotations

import logging
from dataclasses import asdict
from datetime import datetime
from typing import Any, Iterable

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from connectors.base import Batch, Item, Media
from monitor.logsetup import scrub, scrub_payload
from monitor.models import Account, Cursor, SkippedPayload, StoredItem, utcnow
from monitor.settings import AccountSettings

log = logging.getLogger(__name__)


def ensure_account(session: Session, account: AccountSettings) -> Account:
    """The account's row, created (with monitoring starting now) the first time it is seen."""
    row = session.scalar(select(Account).where(Account.name == account.name))
    if row is None:
        row = Account(name=account.name, connector=account.connector, monitoring_started_at=utcnow(), notices={})
        session.add(row)
        session.flush()
    elif row.connector != account.connector:
        row.connector = account.connector
    return row


def load_cursor(session: Session, account_id: int) -> dict[str, Any] | None:
    """The account's stored polling position, or None before its first poll."""
    row = session.get(Cursor, account_id)
    return dict(row.position) if row is not None else None


def _insert(session: Session):  # -> an insert construct with ON CONFLICT support for this dialect
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def item_row(item: Item, account_id: int, quiet: bool) -> dict[str, Any]:
    """The column values of an item as stored."""
    return {
        "platform": item.platform,
        "external_id": item.external_id,
        "account_id": account_id,
        "kind": item.kind,
        "parent_id": item.parent_id,
        "author_id": item.author_id,
        "author_name": item.author_name,
        "text": item.text,
        "created_at": item.created_at,
        "fetched_at": utcnow(),
        "permalink": item.permalink,
        "media": [asdict(m) for m in item.media],
        "own": item.own,
        "raw": scrub_payload(_jsonable(item.raw)),
        "quiet": quiet,
        "process_attempts": 0,
    }


def _jsonable(raw: Any) -> Any:
    """The raw payload as a JSON object: dicts as they are, anything else wrapped."""
    if raw is None or isinstance(raw, dict):
        return raw
    if isinstance(raw, (list, str, int, float, bool)):
        return {"value": raw}
    return {"value": repr(raw)}


def save_batch(session: Session, account: AccountSettings, account_row: Account, batch: Batch) -> list[int]:
    """Store the batch's new items and move the cursor, in the caller's transaction; return the new ids."""
    started = account_row.monitoring_started_at
    rows = [
        item_row(item, account_row.id, quiet=(not account.alert_on_backfill and item.created_at < started))
        for item in _unique(batch.items)
    ]
    new_ids: list[int] = []
    if rows:
        insert = _insert(session)
        statement = (
            insert(StoredItem)
            .on_conflict_do_nothing(index_elements=["platform", "external_id"])
            .returning(StoredItem.id)
        )
        new_ids = list(session.scalars(statement, rows))
    for record in batch.skipped:
        log.warning("account %s: skipped a record: %s", account.name, record.reason)
        session.add(SkippedPayload(account_id=account_row.id, reason=scrub(record.reason),
                                   raw=scrub_payload(_jsonable(record.raw))))
    if batch.next_cursor is not None:
        cursor = session.get(Cursor, account_row.id)
        if cursor is None:
            session.add(Cursor(account_id=account_row.id, position=dict(batch.next_cursor), updated_at=utcnow()))
        else:
            cursor.position = dict(batch.next_cursor)
            cursor.updated_at = utcnow()
    account_row.items_seen += len(new_ids)
    if batch.notices:
        # A notice whose cause is over comes back as an empty string: the line disappears from `status`.
        merged = {**(account_row.notices or {}), **batch.notices}
        account_row.notices = {stream: scrub(str(line)) for stream, line in merged.items() if line}
    return new_ids


def _unique(items: Iterable[Item]) -> list[Item]:
    seen: set[tuple[str, str]] = set()
    unique = []
    for item in items:
        key = (item.platform, item.external_id)
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return unique


def item_from_row(row: StoredItem, account_name: str = "") -> Item:
    """The Item a stored row holds, as the detectors see it."""
    return Item(
        platform=row.platform,
        account=account_name,
        external_id=row.external_id,
        kind=row.kind,
        text=row.text,
        created_at=row.created_at,
        parent_id=row.parent_id,
        author_id=row.author_id,
        author_name=row.author_name,
        permalink=row.permalink,
        media=tuple(Media(**m) for m in row.media or ()),
        own=row.own,
        raw=row.raw,
    )


def when(value: datetime | None) -> str:
    """A stored time as ISO 8601 text, or an empty string."""
    return value.isoformat() if value else ""
