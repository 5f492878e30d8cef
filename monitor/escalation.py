"""The case watcher: one escalation per missed target, to the route's escalation contacts; approved actions carried out."""
from __future__ import annotations

import logging
from datetime import datetime, timedelta
from threading import Event
from typing import TYPE_CHECKING

from sqlalchemy import or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from classifiers.base import Finding, Span
from monitor.alerts import CASE_TITLES, KIND_TITLES, PLATFORM_TITLES, local_time
from monitor.cases import OPEN_STATES, missed_targets, note
from monitor.mail import header_safe
from monitor.models import Case, OutboxMessage, PlannedAction, StoredFinding, StoredItem, utcnow
from monitor.outbox import outbox_row
from monitor.redact import personal_spans, redact
from monitor.render import render
from monitor.settings import Settings

if TYPE_CHECKING:  # pragma: no cover
    from monitor.app import App

log = logging.getLogger(__name__)

TARGET_TITLES = {"first_response": "The first response", "resolution": "The full response"}
REPLY_WINDOW_WARNING = timedelta(hours=24)
MISSED_WORDS = {"first_response": "not answered in time", "resolution": "no full response in time"}


def escalation_job(app: "App", stop: Event | None = None, *, now: datetime | None = None) -> int:
    """The scheduled watcher: carry out approved replies and hides, then escalate missed targets; never raise."""
    from monitor.replies import run_planned_actions

    if stop is not None and stop.is_set():
        return 0
    try:
        for line in run_planned_actions(app, now=now):
            log.info("planned action: %s", line)
        remind_reply_windows(app, now)
        return escalate_overdue(app, now)
    except Exception:  # noqa: BLE001 - the watcher runs again at the next interval
        log.exception("the case watcher failed; it will run again")
        return 0


def escalate_overdue(app: "App", now: datetime | None = None) -> int:
    """Write one escalation per case and missed target (never a second); return how many were written."""
    now = now or utcnow()
    written = 0
    with app.db.transaction() as session:
        overdue = session.scalars(
            select(Case).where(Case.state.in_(OPEN_STATES),
                               or_(Case.first_response_due < now, Case.resolution_due < now)).order_by(Case.id)
        ).all()
        for case in overdue:
            for target in missed_targets(case, now):
                if _escalate(session, app.settings, case, target, now):
                    written += 1
    if written:
        log.warning("%d case target(s) missed: escalated", written)
    return written


def _escalate(session: Session, settings: Settings, case: Case, target: str, now: datetime) -> bool:
    key = f"escalation:{case.id}:{target}"
    if session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == key)) is not None:
        return False  # escalated before: the people on the route have already been told
    item = session.get(StoredItem, case.item_id)
    due = case.first_response_due if target == "first_response" else case.resolution_due
    route = settings.routes.get(case.route)
    recipients = list(route.escalation or route.email) if route else []
    private = bool(route and route.private)
    findings = [_finding(f) for f in session.scalars(select(StoredFinding).where(StoredFinding.item_id == item.id))]
    spans = personal_spans(findings)
    title = CASE_TITLES.get(case.kind, case.kind)
    headline = f"Overdue: {title}, {MISSED_WORDS[target]}"
    platform_title = PLATFORM_TITLES.get(item.platform, item.platform.capitalize())
    if case.state in ("new", "acknowledged"):
        case.state = "escalated"
    case.escalated_at = case.escalated_at or now
    note(case, f"escalated: {TARGET_TITLES[target].lower()} was due by {local_time(settings, due)}", at=now)
    context = dict(
        headline=headline, case=case, case_title=title, target_title=TARGET_TITLES[target],
        due=local_time(settings, due), opened=local_time(settings, case.opened_at), platform_title=platform_title,
        kind_title=KIND_TITLES.get(item.kind, item.kind), author=item.author_name, created_at=item.created_at,
        permalink=item.permalink, text=item.text if private else redact(item.text, spans),
        redacted=bool(spans) and not private, organisation=settings.organisation.name,
    )
    subject = f"[OVERDUE] {headline}: case {case.id}, {platform_title} {KIND_TITLES.get(item.kind, item.kind)}"
    if item.author_name:
        subject += f" by {header_safe(item.author_name, limit=80)}"
    row = outbox_row(settings, dedupe_key=key, kind="escalation", route=case.route,
                     subject=header_safe(subject, limit=250), body_text=render("escalation.txt.j2", **context),
                     body_html=render("escalation.html.j2", **context), item_id=item.id, urgent=True)
    row["recipients"] = recipients
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    session.execute(insert(OutboxMessage).values(**row).on_conflict_do_nothing(index_elements=["dedupe_key"]))
    return True


def remind_reply_windows(app: "App", now: datetime | None = None) -> int:
    """Warn once when a drafted private reply still awaits approval a day before the platform's deadline."""
    now = now or utcnow()
    written = 0
    with app.db.transaction() as session:
        waiting = session.scalars(
            select(Case).join(PlannedAction, PlannedAction.case_id == Case.id)
            .where(PlannedAction.action == "private_reply", PlannedAction.state == "awaiting_approval",
                   Case.reply_deadline > now, Case.reply_deadline <= now + REPLY_WINDOW_WARNING)
        ).all()
        for case in waiting:
            closes = local_time(app.settings, case.reply_deadline)
            body = (f"The drafted private reply of case {case.id} has not been approved, and the platform allows it "
                    f"only until {closes}.\n\nSend it with `run_monitor.py cases approve {case.id}` (or "
                    f"`cases show {case.id}` to read it first), or contact the person another way.\n")
            row = outbox_row(app.settings, dedupe_key=f"reply-window:{case.id}", kind="reminder", route=case.route,
                             subject=f"Private reply window closes {closes}: case {case.id}", body_text=body,
                             item_id=case.item_id, urgent=True)
            insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
            inserted = session.scalar(insert(OutboxMessage).values(**row)
                                      .on_conflict_do_nothing(index_elements=["dedupe_key"]).returning(OutboxMessage.id))
            if inserted is not None:
                note(case, f"reminded: the private reply window closes {closes}", at=now)
                written += 1
    return written


def _finding(row: StoredFinding) -> Finding:
    spans = tuple(Span(s["type"], s["start"], s["end"]) for s in row.spans or ())
    return Finding(label=row.label, score=row.score, detector=row.detector, version=row.detector_version,
                   spans=spans, evidence=row.evidence, target=row.target, route=row.route)
