"""Erasing one person's data across the tables on request (UK GDPR article 17), recording that it was done."""
from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Text, cast, delete, null, or_, select, update
from sqlalchemy.orm import Session

from monitor.models import (
    Account, Case, Erasure, Label, OutboxMessage, PlannedAction, PlatformAction, SkippedPayload, StoredFinding, StoredItem,
    utcnow,
)

if TYPE_CHECKING:  # pragma: no cover
    from monitor.app import App

log = logging.getLogger(__name__)

ERASED = "[erased on request]"


@dataclass
class ErasureResult:
    """What one erasure changed, per table, and when the same person was erased before."""

    counts: dict[str, int] = field(default_factory=dict)
    earlier: list[datetime] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Rows changed in all."""
        return sum(self.counts.values())


def subject_digest(author_id: str, platform: str | None) -> str:
    """The digest an erasure is recorded under: lets a repeated request be recognised, never shows the id."""
    return hashlib.sha256(f"{platform or '*'}:{author_id}".encode("utf-8")).hexdigest()


def redact_history(history: list[Any] | None, marker: str) -> list[Any]:
    """A case's audit trail with the free text after each entry's verb replaced by marker; who and when stay."""
    redacted = []
    for entry in history or ():
        if isinstance(entry, dict) and isinstance(entry.get("what"), str) and ":" in entry["what"]:
            verb = entry["what"].split(":", 1)[0]
            entry = {**entry, "what": f"{verb}: {marker}"}
        redacted.append(entry)
    return redacted


def erase_dependents(session: Session, item_ids: Any, marker: str) -> dict[str, int]:
    """Remove texts that quote or concern the items (a select of ids): evidence, labels, replies, outbox bodies."""
    counts = {
        "findings": session.execute(
            update(StoredFinding).where(StoredFinding.item_id.in_(item_ids)).values(spans=[], evidence="")
            .execution_options(synchronize_session=False)).rowcount,
        # A label is the text itself, kept for training: a redacted one teaches nothing, so it goes.
        "labels": session.execute(delete(Label).where(Label.item_id.in_(item_ids))
                                  .execution_options(synchronize_session=False)).rowcount,
        "planned_actions": session.execute(
            update(PlannedAction).where(PlannedAction.item_id.in_(item_ids), PlannedAction.text.is_not(None))
            .values(text=marker).execution_options(synchronize_session=False)).rowcount,
        "platform_actions": session.execute(
            update(PlatformAction).where(PlatformAction.item_id.in_(item_ids)).values(detail=marker)
            .execution_options(synchronize_session=False)).rowcount,
        "outbox": session.execute(
            update(OutboxMessage).where(OutboxMessage.item_id.in_(item_ids))
            .values(subject=marker, body_text=marker, body_html=None, attachments=[])
            .execution_options(synchronize_session=False)).rowcount,
    }
    cases = 0
    for case in session.scalars(select(Case).where(Case.item_id.in_(item_ids)).execution_options(yield_per=500)):
        case.drafted_reply = None if case.drafted_reply is None else marker
        case.history = redact_history(case.history, marker)
        cases += 1
    counts["cases"] = cases
    return counts


def forget_author(app: "App", author_id: str, platform: str | None = None, requested_by: str = "officer") -> ErasureResult:
    """Erase everything stored about author_id (on platform, or any) and record the erasure; safe to repeat."""
    digest = subject_digest(author_id, platform)
    result = ErasureResult()
    with app.db.transaction() as session:
        result.earlier = list(session.scalars(
            select(Erasure.at).where(Erasure.kind == "forget", Erasure.subject == digest).order_by(Erasure.at)))
        authored = select(StoredItem.id).where(StoredItem.author_id == author_id)
        if platform:
            authored = authored.where(StoredItem.platform == platform)
        item_ids = list(session.scalars(authored))
        messages = list(session.execute(select(OutboxMessage.id, OutboxMessage.kind)
                                        .where(OutboxMessage.item_id.in_(item_ids)))) if item_ids else []
        counts = erase_dependents(session, item_ids, ERASED) if item_ids else {}
        counts["items"] = session.execute(
            update(StoredItem).where(StoredItem.id.in_(item_ids))
            .values(text=ERASED, author_id=None, author_name=None, permalink=None, media=[], raw=null())
            .execution_options(synchronize_session=False)).rowcount if item_ids else 0
        counts["items_mentioning"] = _drop_payloads_naming(session, author_id, platform)
        skipped = delete(SkippedPayload).where(_naming(SkippedPayload.raw, author_id))
        if platform:  # a skipped record has no platform of its own: its account's connector says it
            skipped = skipped.where(SkippedPayload.account_id.in_(select(Account.id).where(Account.connector == platform)))
        counts["skipped_payloads"] = session.execute(
            skipped.execution_options(synchronize_session=False)).rowcount
        result.counts = {table: n for table, n in counts.items() if n}
        if result.total:
            session.add(Erasure(kind="forget", subject=digest, platform=platform, requested_by=requested_by,
                                counts=result.counts, at=utcnow()))
    removed = remove_eml_files(app, messages)
    if removed:
        result.counts["eml_files"] = removed
    if result.total:
        log.info("erased an author's data on request: %s", result.counts)
    return result


def remove_eml_files(app: "App", messages: list[Any]) -> int:
    """Delete the .eml copies the folder transport wrote for these outbox rows (id, kind); return how many."""
    from monitor.notifier import FolderTransport

    folder = app.settings.outbox.folder
    if not messages or not folder.is_dir():
        return 0
    transport = FolderTransport(folder)
    removed = 0
    for row in messages:
        path = transport.path_for(OutboxMessage(id=row[0], kind=row[1]))
        try:
            path.unlink()
            removed += 1
        except FileNotFoundError:
            continue
    return removed


def _naming(column: Any, author_id: str) -> Any:
    """A JSON column holding author_id as a string value (quoted, so "12" does not match 2012): SQLite and PostgreSQL."""
    return cast(column, Text).contains(json.dumps(author_id), autoescape=True)


def _drop_payloads_naming(session: Session, author_id: str, platform: str | None) -> int:
    """Other items' raw payloads that carry the person (X sends the replied-to author in `includes`): dropped."""
    query = update(StoredItem).where(_naming(StoredItem.raw, author_id),
                                     or_(StoredItem.author_id.is_(None), StoredItem.author_id != author_id))
    if platform:
        query = query.where(StoredItem.platform == platform)
    return session.execute(query.values(raw=null()).execution_options(synchronize_session=False)).rowcount


def summary_lines(author_id: str, platform: str | None, result: ErasureResult) -> list[str]:
    """What `forget` prints: one line per table, or one sentence when nothing matched."""
    who = f"author {author_id}" + (f" on {platform}" if platform else "")
    if not result.total:
        if result.earlier:
            return [f"Nothing left to erase for {who}: already erased on "
                    f"{result.earlier[-1].isoformat(timespec='minutes')}."]
        return [f"Nothing is stored about {who}: no item has that author id, so nothing was erased."]
    lines = [f"Erased the data of {who}; the erasure is recorded (without the data) in the erasures table:"]
    lines += [f"  {table}: {count} row(s)" for table, count in sorted(result.counts.items())]
    if "labels" in result.counts:
        lines.append("The complaint model was trained with some of these labels: run `train` to retrain it without them.")
    return lines

