"""Writing messages into the outbox, once per dedupe key, inside the caller's transaction."""
from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from monitor.models import OutboxMessage, utcnow
from monitor.settings import Settings


def recipients_for(settings: Settings, route: str) -> list[str]:
    """The email addresses of route (empty when the route is not configured)."""
    configured = settings.routes.get(route)
    return list(configured.email) if configured else []


def outbox_row(
    settings: Settings,
    *,
    dedupe_key: str,
    kind: str,
    route: str,
    subject: str,
    body_text: str,
    body_html: str | None = None,
    item_id: int | None = None,
    urgent: bool = False,
    attachments: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The column values of a new outbox message."""
    now = utcnow()
    return dict(
        dedupe_key=dedupe_key,
        kind=kind,
        route=route,
        recipients=recipients_for(settings, route),
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        attachments=attachments or [],
        item_id=item_id,
        urgent=urgent,
        created_at=now,
        state="pending",
        attempts=0,
        next_attempt_at=now,
    )


def _insert(session: Session):
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def enqueue_many(session: Session, rows: list[dict[str, Any]]) -> None:
    """Add many messages at once, skipping any whose dedupe key is already in the outbox."""
    if rows:
        session.execute(_insert(session)(OutboxMessage).on_conflict_do_nothing(index_elements=["dedupe_key"]), rows)


def enqueue(session: Session, settings: Settings, **fields: Any) -> int | None:
    """Add a message (fields as outbox_row takes them) unless its dedupe key exists; return its id, or None."""
    row = outbox_row(settings, **fields)
    statement = (
        _insert(session)(OutboxMessage).values(**row)
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
        .returning(OutboxMessage.id)
    )
    return session.scalar(statement)
