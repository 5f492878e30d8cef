"""The database tables, as SQLAlchemy 2 ORM classes."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Index, MetaData, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


class OutsideText(TypeDecorator[str]):
    """Text from outside (platforms, people): PostgreSQL cannot hold NUL, so there it becomes U+FFFD.

    SQLite keeps the text byte for byte; the raw payload column keeps the original on both.
    """

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Any) -> str | None:
        if value is not None and dialect.name == "postgresql" and "\x00" in value:
            return value.replace("\x00", "\ufffd")
        return value


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON(), list[Any]: JSON()}


class Account(Base):
    """A watched account, with its health as the poll job last saw it."""

    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    connector: Mapped[str] = mapped_column(String(40))
    monitoring_started_at: Mapped[datetime] = mapped_column(default=utcnow)
    state: Mapped[str] = mapped_column(String(20), default="new")  # new, ok, failing, auth_failed, rate_limited
    last_success_at: Mapped[datetime | None]
    last_error_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    failing_since: Mapped[datetime | None]
    paused_until: Mapped[datetime | None]
    credentials_fingerprint: Mapped[str | None] = mapped_column(String(64))  # of the refused credentials
    notices: Mapped[dict[str, Any]] = mapped_column(default=dict)
    items_seen: Mapped[int] = mapped_column(default=0)


class Cursor(Base):
    """An account's polling position, moved only together with the items it covers."""

    __tablename__ = "cursors"

    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class StoredItem(Base):
    """One item from a platform, stored once, with its raw payload beside the normalised columns."""

    __tablename__ = "items"
    __table_args__ = (
        UniqueConstraint("platform", "external_id", name="uq_items_platform_external_id"),
        Index("ix_items_unprocessed", "processed_at", "id"),
        Index("ix_items_created_at", "created_at"),
        Index("ix_items_author", "platform", "author_id"),
        Index("ix_items_parent", "platform", "parent_id"),  # replies found from the item they answer
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(20))
    external_id: Mapped[str] = mapped_column(String(200))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    parent_id: Mapped[str | None] = mapped_column(String(200))
    author_id: Mapped[str | None] = mapped_column(String(200))
    author_name: Mapped[str | None] = mapped_column(OutsideText)
    text: Mapped[str] = mapped_column(OutsideText)
    created_at: Mapped[datetime]
    fetched_at: Mapped[datetime] = mapped_column(default=utcnow)
    permalink: Mapped[str | None] = mapped_column(OutsideText)
    media: Mapped[list[Any]] = mapped_column(default=list)
    own: Mapped[bool] = mapped_column(Boolean, default=False)
    raw: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    quiet: Mapped[bool] = mapped_column(Boolean, default=False)  # backfilled: findings, no alerts
    processed_at: Mapped[datetime | None]
    process_attempts: Mapped[int] = mapped_column(default=0)
    process_error: Mapped[str | None] = mapped_column(Text)

    findings: Mapped[list["StoredFinding"]] = relationship(back_populates="item", cascade="all, delete-orphan")


class StoredFinding(Base):
    """What one detector said about one item."""

    __tablename__ = "findings"
    __table_args__ = (Index("ix_findings_label", "label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(40))
    score: Mapped[float] = mapped_column(Float)
    detector: Mapped[str] = mapped_column(String(40))
    detector_version: Mapped[str] = mapped_column(String(80))
    target: Mapped[str | None] = mapped_column(String(20))
    route: Mapped[str | None] = mapped_column(String(60))
    spans: Mapped[list[Any]] = mapped_column(default=list)
    evidence: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    item: Mapped[StoredItem] = relationship(back_populates="findings")


class Case(Base):
    """Something a person must deal with, with its targets and its state."""

    __tablename__ = "cases"
    __table_args__ = (UniqueConstraint("item_id", "kind", name="uq_cases_item_id_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(20), default="new")  # new, acknowledged, responded, resolved, escalated
    route: Mapped[str] = mapped_column(String(60))
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    first_response_due: Mapped[datetime | None]
    resolution_due: Mapped[datetime | None]
    acknowledged_at: Mapped[datetime | None]
    responded_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
    escalated_at: Mapped[datetime | None]
    drafted_reply: Mapped[str | None] = mapped_column(Text)
    history: Mapped[list[Any]] = mapped_column(default=list)  # audit trail: [{at, by, what}]
    reason: Mapped[str] = mapped_column(String(40), default="")  # the decision: complaint_hwd, question...
    reply_counts_as: Mapped[str] = mapped_column(String(20), default="responded")  # what an own reply records
    reply_deadline: Mapped[datetime | None]  # the last moment the platform allows a private reply


class PlannedAction(Base):
    """An action on a platform the triage decided on (hide, private reply), waiting for approval or its turn."""

    __tablename__ = "planned_actions"
    __table_args__ = (
        UniqueConstraint("item_id", "action", name="uq_planned_actions_item_id_action"),
        Index("ix_planned_actions_state", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(30))  # hide, private_reply
    state: Mapped[str] = mapped_column(String(20), default="awaiting_approval")  # approved, done, failed, cancelled
    text: Mapped[str | None] = mapped_column(Text)  # the private reply to send
    requested_by: Mapped[str] = mapped_column(String(100), default="monitor")
    approved_by: Mapped[str | None] = mapped_column(String(100))
    planned_at: Mapped[datetime] = mapped_column(default=utcnow)
    approved_at: Mapped[datetime | None]
    attempted_at: Mapped[datetime | None]  # when the platform was asked (state "sending")
    done_at: Mapped[datetime | None]
    detail: Mapped[str] = mapped_column(Text, default="")


class OutboxMessage(Base):
    """A message waiting to be sent, written in the same transaction as the decision that caused it."""

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("dedupe_key", name="uq_outbox_dedupe_key"),
        Index("ix_outbox_pending", "state", "next_attempt_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dedupe_key: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(30))  # alert, escalation, admin, digest
    route: Mapped[str] = mapped_column(String(60))
    recipients: Mapped[list[Any]] = mapped_column(default=list)
    subject: Mapped[str] = mapped_column(Text)
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    attachments: Mapped[list[Any]] = mapped_column(default=list)  # [{cid, filename, mime, base64}]
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id", ondelete="SET NULL"), index=True)
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    state: Mapped[str] = mapped_column(String(20), default="pending")  # pending, sent
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    failure: Mapped[str | None] = mapped_column(String(20))  # "connection" holds the queue; "message" skips this one
    sent_at: Mapped[datetime | None]
    message_id: Mapped[str | None] = mapped_column(String(300))


class Label(Base):
    """A correction or label given by a person: what the complaint model learns from."""

    __tablename__ = "labels"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)  # the text labelled, kept so retraining needs no join
    labels: Mapped[list[Any]] = mapped_column(default=list)  # e.g. ["complaint"], [] for none
    target: Mapped[str | None] = mapped_column(String(20))
    given_by: Mapped[str] = mapped_column(String(100), default="officer")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ConsentRecord(Base):
    """Consent of the people pictured in a photo (policy 1.3), by post or media id."""

    __tablename__ = "consent_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str | None] = mapped_column(String(20))
    post_id: Mapped[str | None] = mapped_column(String(200), index=True)
    media_id: Mapped[str | None] = mapped_column(String(200), index=True)
    given_by: Mapped[str] = mapped_column(Text)
    given_at: Mapped[datetime]
    notes: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class PollRun(Base):
    """One polling cycle of one account: when, how many items, and how it ended."""

    __tablename__ = "poll_runs"
    __table_args__ = (Index("ix_poll_runs_account_started", "account_id", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    items_fetched: Mapped[int] = mapped_column(default=0)
    items_new: Mapped[int] = mapped_column(default=0)
    skipped: Mapped[int] = mapped_column(default=0)
    reads: Mapped[int] = mapped_column(default=0)  # paid API reads used
    outcome: Mapped[str] = mapped_column(String(20), default="running")  # ok, error, auth, rate_limited
    error: Mapped[str | None] = mapped_column(Text)


class SkippedPayload(Base):
    """A record a connector could not parse: kept so a parser fix can replay it."""

    __tablename__ = "skipped_payloads"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(Text)
    raw: Mapped[Any] = mapped_column(JSON)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class PlatformAction(Base):
    """An action taken on a platform (hide, private reply, public reply) and its result."""

    __tablename__ = "platform_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id", ondelete="SET NULL"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(30))
    ok: Mapped[bool] = mapped_column(Boolean)
    detail: Mapped[str] = mapped_column(Text, default="")
    requested_by: Mapped[str] = mapped_column(String(100), default="monitor")
    at: Mapped[datetime] = mapped_column(default=utcnow)


class Erasure(Base):
    """A record that personal data was erased (a person's request, or the retention period): never the data."""

    __tablename__ = "erasures"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(String(20))  # forget, retention
    subject: Mapped[str | None] = mapped_column(String(64), index=True)  # the author id's digest, for `forget`
    platform: Mapped[str | None] = mapped_column(String(20))
    requested_by: Mapped[str] = mapped_column(String(100), default="monitor")
    counts: Mapped[dict[str, Any]] = mapped_column(default=dict)  # rows changed per table
