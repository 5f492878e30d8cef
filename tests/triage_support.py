"""Helpers for the triage tests: store an item as a connector would, decide on it as the pipeline does."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, ClassVar

from sqlalchemy import select

from classifiers.base import Finding, Span
from connectors.base import ActionNotSupported, ActionResult, Batch, Connector
from connectors.registry import CONNECTORS, ConnectorSpec
from monitor.models import Account, Case, OutboxMessage, PlannedAction, PlatformAction, StoredItem
from monitor.outbox import enqueue_many
from monitor.triage import decide

# Tuesday 17 November 2026, 10:00 in London (GMT): a working morning.
TUESDAY = datetime(2026, 11, 17, 10, 0, tzinfo=timezone.utc)


def complaint(target: str | None = "hwd", score: float = 0.9) -> Finding:
    return Finding("complaint", score, "complaint", "test", evidence="says the service let them down", target=target)


def finding(label: str, spans: tuple[Span, ...] = (), route: str | None = None) -> Finding:
    return Finding(label, 0.9, label, "test", spans=spans, evidence=f"looks like {label}", route=route)


class ActingConnector(Connector):
    """A connector whose hides and private replies succeed, recorded in `done`; fetch returns nothing."""

    name = "acting"
    platform = "facebook"
    done: ClassVar[list[tuple[str, str, str]]] = []
    deadline: ClassVar[datetime | None] = None
    refuse: ClassVar[bool] = False

    def fetch(self, cursor):
        return Batch(items=[], next_cursor=cursor)

    def hide(self, item):
        ActingConnector.done.append(("hide", item.external_id, ""))
        return ActionResult(True, "hidden")

    def private_reply(self, item, text):
        if ActingConnector.refuse:
            raise ActionNotSupported("the platform does not allow a private reply here")
        ActingConnector.done.append(("private_reply", item.external_id, text))
        return ActionResult(True, "sent")

    def private_reply_deadline(self, item):
        return ActingConnector.deadline


def install_acting_connector(monkeypatch) -> None:
    """Register the acting connector under the name "acting" for one test."""
    from tests.fake_connector import FakeOptions

    monkeypatch.setitem(CONNECTORS, "acting", ConnectorSpec("tests.triage_support:ActingConnector", FakeOptions))
    ActingConnector.done, ActingConnector.deadline, ActingConnector.refuse = [], None, False


def store(app, external_id: str, text: str = "text", *, account: str = "page", created_at: datetime = TUESDAY,
          **fields: Any) -> int:
    """Store an item as the connector would have; return its id."""
    with app.db.transaction() as session:
        row = session.scalar(select(Account).where(Account.name == account))
        if row is None:
            row = Account(name=account, connector="acting", notices={})
            session.add(row)
            session.flush()
        values = dict(platform="facebook", kind="comment", author_name="Pat Example", media=[], own=False, quiet=False)
        values.update(fields)
        item = StoredItem(external_id=external_id, account_id=row.id, text=text, created_at=created_at, **values)
        session.add(item)
        session.flush()
        return item.id


def run_decide(app, item_id: int, findings: list[Finding]) -> list[dict]:
    """Decide on a stored item as the pipeline does, in one transaction, writing the outbox rows."""
    with app.db.transaction() as session:
        item = session.get(StoredItem, item_id)
        rows = decide(session, app.settings, item, findings)
        enqueue_many(session, rows)
        return rows


def cases_of(app, item_id: int | None = None) -> list[Case]:
    with app.db.reading() as session:
        query = select(Case).order_by(Case.id)
        if item_id is not None:
            query = query.where(Case.item_id == item_id)
        return list(session.scalars(query))


def outbox(app, kind: str | None = None) -> list[OutboxMessage]:
    with app.db.reading() as session:
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        if kind is not None:
            query = query.where(OutboxMessage.kind == kind)
        return list(session.scalars(query))


def planned(app) -> list[PlannedAction]:
    with app.db.reading() as session:
        return list(session.scalars(select(PlannedAction).order_by(PlannedAction.id)))


def platform_actions(app) -> list[PlatformAction]:
    with app.db.reading() as session:
        return list(session.scalars(select(PlatformAction).order_by(PlatformAction.id)))
