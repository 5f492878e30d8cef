"""Cases: opened by the triage, answered by the organisation's own replies or by hand, escalated when late."""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Sequence

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from monitor.models import Case, PlannedAction, StoredItem, utcnow
from monitor.settings import Settings
from monitor.triage_config import Decision
from monitor.workdays import WorkingCalendar

log = logging.getLogger(__name__)

OPEN_STATES = ("new", "acknowledged", "responded", "escalated")
TARGETS = ("first_response", "resolution")


def calendar_for(settings: Settings) -> WorkingCalendar:
    """The organisation's working calendar, from [triage] and its time zone."""
    return WorkingCalendar(settings.triage, settings.organisation.timezone)


def note(case: Case, what: str, by: str = "monitor", at: datetime | None = None) -> None:
    """Add a line to the case's audit trail."""
    entry = {"at": (at or utcnow()).isoformat(timespec="seconds"), "by": by, "what": what}
    case.history = [*(case.history or []), entry]  # a new list, so the JSON column is seen to change


# Built once: statement construction costs more than the query itself on the per-item path.
_CASE_OF_ITEM = select(Case).where(Case.item_id == bindparam("item_id"), Case.kind == bindparam("kind"))
_OWN_REPLIES = (
    select(StoredItem.platform, StoredItem.external_id, StoredItem.created_at)
    .where(StoredItem.platform == bindparam("platform"), StoredItem.parent_id == bindparam("parent_id"),
           StoredItem.own.is_(True))
    .order_by(StoredItem.created_at).limit(1)
)


def open_case(session: Session, settings: Settings, item: StoredItem, reason: str, decision: Decision,
              route: str) -> Case:
    """The case for item under decision, opened now with its targets counted from when the person wrote."""
    existing = session.scalar(_CASE_OF_ITEM, {"item_id": item.id, "kind": decision.case})
    if existing is not None:
        return existing
    calendar = calendar_for(settings)
    case = Case(
        item_id=item.id, kind=decision.case, reason=reason, state="new", route=route, opened_at=item.created_at,
        first_response_due=calendar.due(item.created_at, decision.first_response) if decision.first_response else None,
        resolution_due=calendar.due(item.created_at, decision.resolution) if decision.resolution else None,
        reply_counts_as=decision.reply_counts_as, history=[],
    )
    note(case, f"opened as {reason.replace('_', ' ')} (route {route})")
    session.add(case)
    session.flush()
    # The organisation may already have replied: a reply stored before the case was opened still counts.
    for platform, external_id, created_at in session.execute(
        _OWN_REPLIES, {"platform": item.platform, "parent_id": item.external_id}
    ):
        record_response(case, created_at, by="own account", how=f"reply {platform}:{external_id}")
    return case


def record_own_reply(session: Session, reply: StoredItem) -> list[Case]:
    """Record an own-account reply as the first response of the open cases on the item it answers."""
    cases = session.scalars(
        select(Case).join(StoredItem, Case.item_id == StoredItem.id)
        .where(StoredItem.platform == reply.platform, StoredItem.external_id == reply.parent_id,
               Case.state.in_(OPEN_STATES))
    ).all()
    for case in cases:
        record_response(case, reply.created_at, by="own account", how=f"reply {reply.platform}:{reply.external_id}")
    return list(cases)


def record_response(case: Case, at: datetime, by: str, how: str) -> bool:
    """Record a reply to the person at `at` as the case's acknowledgement or response; False when nothing changed."""
    if case.reply_counts_as == "acknowledged":
        if case.acknowledged_at is not None and case.acknowledged_at <= at:
            return False
        case.acknowledged_at = at
        if case.state in ("new", "escalated"):
            case.state = "acknowledged"
        note(case, f"acknowledged: {how}", by=by, at=at)
        return True
    if case.responded_at is not None and case.responded_at <= at:
        return False
    case.responded_at = at
    if case.state in ("new", "acknowledged", "escalated"):
        case.state = "responded"
    note(case, f"responded: {how}", by=by, at=at)
    return True


def acknowledge(case: Case, by: str, at: datetime | None = None) -> None:
    """Mark the case acknowledged by a person."""
    at = at or utcnow()
    if case.state == "resolved":
        raise ValueError(f"case {case.id} is already resolved")
    if case.acknowledged_at is None:
        case.acknowledged_at = at
    if case.state in ("new", "escalated"):
        case.state = "acknowledged"
    note(case, "acknowledged", by=by, at=at)


def resolve(session: Session, case: Case, by: str, why: str = "", at: datetime | None = None) -> None:
    """Close the case, and withdraw any private reply still waiting for approval."""
    at = at or utcnow()
    if case.state == "resolved":
        raise ValueError(f"case {case.id} is already resolved")
    case.state, case.resolved_at = "resolved", at
    note(case, "resolved" + (f": {why}" if why else ""), by=by, at=at)
    for action in session.scalars(select(PlannedAction).where(PlannedAction.case_id == case.id,
                                                              PlannedAction.state == "awaiting_approval")):
        action.state, action.detail = "cancelled", "the case was resolved before the reply was approved"


def first_response_at(case: Case) -> datetime | None:
    """When the person first heard back: acknowledgement, response or resolution, whichever came first."""
    moments = [m for m in (case.acknowledged_at, case.responded_at, case.resolved_at) if m is not None]
    return min(moments) if moments else None


def missed_targets(case: Case, now: datetime) -> list[str]:
    """The case's targets that have passed unmet: first_response, resolution."""
    if case.state == "resolved":
        return []
    missed = []
    if case.first_response_due is not None and now > case.first_response_due and first_response_at(case) is None:
        missed.append("first_response")
    if case.resolution_due is not None and now > case.resolution_due and case.responded_at is None:
        missed.append("resolution")
    return missed


def relabel(session: Session, settings: Settings, case: Case, labels: Sequence[str], target: str | None,
            by: str) -> str:
    """Bring the case in line with a person's correction; return what changed, in words."""
    labels = set(labels)
    if "complaint" in labels:
        reason = f"complaint_{target or 'service'}"
    elif "question" in labels:
        reason = "question"
    else:
        resolve(session, case, by, why=f"relabelled as {', '.join(sorted(labels)) or 'none'}: no reply needed")
        return "resolved: no reply is needed"
    if reason == case.reason:
        note(case, f"relabel confirmed {reason.replace('_', ' ')}", by=by)
        return "unchanged"
    decision = settings.triage.decision(reason)
    if decision is None or decision.case is None:
        resolve(session, case, by, why=f"relabelled as {reason.replace('_', ' ')}, which opens no case")
        return "resolved: that label opens no case"
    calendar = calendar_for(settings)
    case.kind, case.reason, case.reply_counts_as = decision.case, reason, decision.reply_counts_as
    case.first_response_due = calendar.due(case.opened_at, decision.first_response) if decision.first_response else None
    case.resolution_due = calendar.due(case.opened_at, decision.resolution) if decision.resolution else None
    note(case, f"relabelled as {reason.replace('_', ' ')}; targets recounted", by=by)
    return f"now {reason.replace('_', ' ')}"
