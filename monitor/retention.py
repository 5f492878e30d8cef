"""The retention periods of [retention]: payloads, texts and sent message bodies older than them are purged."""
from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import Text, cast, delete, null, select, update

from monitor.erasure import ERASED, erase_dependents, remove_eml_files
from monitor.models import Case, Erasure, OutboxMessage, SkippedPayload, StoredItem, utcnow

if TYPE_CHECKING:  # pragma: no cover
    from monitor.app import App

log = logging.getLogger(__name__)


def removed_marker(days: int) -> str:
    """What replaces a text removed by the retention period."""
    return f"[removed after {days} days]"


def purge_expired(app: "App", now: datetime | None = None) -> dict[str, int]:
    """Purge what is older than the retention periods, in one transaction; record it; return rows per table.

    Items with an open case keep their text until the case is resolved; a resolved case keeps its trail
    (who did what, when) with the free text redacted. Running it again changes nothing.
    """
    retention = app.settings.retention
    now = now or utcnow()
    raw_cut = now - timedelta(days=retention.raw_payload_days)
    text_cut = now - timedelta(days=retention.text_days)
    outbox_cut = now - timedelta(days=retention.outbox_days)
    marker = removed_marker(retention.text_days)
    counts: dict[str, int] = {}
    with app.db.transaction() as session:
        counts["items.raw"] = session.execute(
            update(StoredItem)
            .where(StoredItem.created_at < raw_cut, StoredItem.raw.is_not(None), cast(StoredItem.raw, Text) != "null")
            .values(raw=null()).execution_options(synchronize_session=False)).rowcount
        counts["skipped_payloads"] = session.execute(
            delete(SkippedPayload).where(SkippedPayload.recorded_at < raw_cut)
            .execution_options(synchronize_session=False)).rowcount
        open_cases = select(Case.item_id).where(Case.state != "resolved")
        expired_ids = list(session.scalars(
            select(StoredItem.id).where(StoredItem.created_at < text_cut, StoredItem.text.not_in([marker, ERASED]),
                                        StoredItem.id.not_in(open_cases))))
        outbox_marker = removed_marker(retention.outbox_days)
        sent_expired = (OutboxMessage.state == "sent", OutboxMessage.sent_at < outbox_cut,
                        OutboxMessage.body_text.not_in([outbox_marker, marker, ERASED]))
        messages = list(session.execute(select(OutboxMessage.id, OutboxMessage.kind).where(*sent_expired)))
        for start in range(0, len(expired_ids), 5000):  # bounded statements, whatever the backlog
            chunk = expired_ids[start:start + 5000]
            messages += session.execute(select(OutboxMessage.id, OutboxMessage.kind)
                                        .where(OutboxMessage.item_id.in_(chunk))).all()
            for table, n in erase_dependents(session, chunk, marker).items():
                counts[table] = counts.get(table, 0) + n
            counts["items"] = counts.get("items", 0) + session.execute(
                update(StoredItem).where(StoredItem.id.in_(chunk))
                .values(text=marker, author_id=None, author_name=None, media=[], raw=null())
                .execution_options(synchronize_session=False)).rowcount
        counts["outbox"] = counts.get("outbox", 0) + session.execute(
            update(OutboxMessage).where(*sent_expired)
            .values(subject=outbox_marker, body_text=outbox_marker, body_html=None, attachments=[])
            .execution_options(synchronize_session=False)).rowcount
        # A file removed before a failed commit was only a copy: its row keeps the body until the next purge.
        counts["eml_files"] = remove_eml_files(app, list(set(messages)))
        counts = {table: n for table, n in counts.items() if n}
        if counts:
            session.add(Erasure(kind="retention", requested_by="monitor", counts=counts, at=now))
    return counts


def retention_job(app: "App") -> None:
    """The daily retention run for the scheduler: purge, log what went, never raise."""
    try:
        counts = purge_expired(app)
    except Exception:  # noqa: BLE001 - a failed purge is retried tomorrow; the daemon carries on
        log.exception("the retention purge failed; it runs again tomorrow")
        return
    if counts:
        log.info("retention: purged %s", ", ".join(f"{table} {n}" for table, n in sorted(counts.items())))
