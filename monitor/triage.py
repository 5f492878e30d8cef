"""Deciding what happens to an item once the detectors have spoken: cases, planned actions, alerts on routes."""
from __future__ import annotations

import logging
from collections import defaultdict
from typing import Any

from sqlalchemy.orm import Session

from classifiers.base import Finding
from monitor import cases as case_book
from monitor.alerts import LABEL_TITLES, PRIORITY, RECOMMENDATIONS, CaseSummary, Reason, compose_alert
from monitor.channels import APPRISE_KIND, apprise_reference
from monitor.models import Case, StoredItem
from monitor.outbox import outbox_row
from monitor.replies import draft_reply, plan, reply_deadline
from monitor.settings import Settings
from monitor.triage_config import Decision

log = logging.getLogger(__name__)


def reason_key(finding: Finding) -> str:
    """The decision-table row a finding belongs to: complaint_hwd or complaint_service for complaints, else its label."""
    if finding.label == "complaint":
        # A complaint whose target is unknown (a keyword rule) is treated as feedback about a service.
        return "complaint_hwd" if finding.target == "hwd" else "complaint_service"
    return finding.label


def _fallback(label: str) -> Decision:
    return Decision(title=LABEL_TITLES.get(label, label.replace("_", " ").capitalize()), action=RECOMMENDATIONS.get(label, ""))


def resolve_routes(settings: Settings, decision: Decision, label: str, findings: list[Finding]) -> tuple[str, ...]:
    """The route names a decision's alert goes to, aliases resolved, each once, in order."""
    rule_route = next((f.route for f in findings if f.route), None)
    names = []
    for route in decision.routes:
        if route == "label":
            route = settings.route_for(label, rule_route)
        elif route == "default":
            route = settings.alerts.default_route
        names.append(route)
    return tuple(dict.fromkeys(names))


def decided_reasons(settings: Settings, item: StoredItem, findings: list[Finding]) -> list[tuple[Reason, Decision, tuple[str, ...]]]:
    """Each reason the findings give, with its decision and routes, most urgent first."""
    grouped: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        grouped[reason_key(finding)].append(finding)
    if "complaint_hwd" in grouped and "complaint_service" in grouped:
        # One complaint, one case: about the organisation wins, it follows the complaints procedure.
        grouped["complaint_hwd"].extend(grouped.pop("complaint_service"))
    out = []
    for key, found in grouped.items():
        label = found[0].label
        decision = settings.triage.decision(key) or _fallback(label)
        if item.own and not decision.own_items:
            continue
        signposting = settings.triage.signposting_text(decision.signposting) if decision.signposting else ""
        reason = Reason(key=key, label=label, title=decision.title or LABEL_TITLES.get(label, label),
                        urgent=decision.urgent, action=decision.action, findings=tuple(found),
                        # Signposting goes in the drafted reply where there is one, else in the alert for a person.
                        signposting="" if decision.reply_template else signposting, hide=decision.hide)
        out.append((reason, decision, resolve_routes(settings, decision, label, found)))
    rank = {label: index for index, label in enumerate(PRIORITY)}
    out.sort(key=lambda entry: (rank.get(entry[0].label, len(rank)), entry[0].key))
    return out


def decide(session: Session, settings: Settings, item: StoredItem, findings: list[Finding]) -> list[dict[str, Any]]:
    """Open the item's case, plan its actions, and return the outbox messages its findings call for."""
    if item.own and item.parent_id:
        case_book.record_own_reply(session, item)
    if item.quiet:
        return []  # backfilled before monitoring started: recorded, not alerted
    reasons = decided_reasons(settings, item, findings)
    if not reasons:
        return []
    case, summary = _open_case(session, settings, item, reasons)
    _plan_hide(session, item, reasons)
    return _alerts(settings, item, findings, reasons, case, summary)


def _open_case(session: Session, settings: Settings, item: StoredItem,
               reasons: list[tuple[Reason, Decision, tuple[str, ...]]]) -> tuple[Case | None, CaseSummary | None]:
    chosen = next(((r, d, routes) for r, d, routes in reasons if d.case), None)
    if chosen is None:
        return None, None
    reason, decision, routes = chosen
    takeover = _takeover(reasons)
    case = case_book.open_case(session, settings, item, reason.key, decision, (takeover or routes)[0])
    needs_approval = True
    if decision.reply_template and settings.triage.private_replies and takeover is None:
        signposting = settings.triage.signposting_text(decision.signposting) if decision.signposting else ""
        case.drafted_reply = draft_reply(settings, decision.reply_template, item, signposting)
        case.reply_deadline = reply_deadline(session, settings, item)
        automatic = (settings.triage.auto_send_replies and all(d.auto_reply for _, d, _ in reasons)
                     and case_book.first_response_at(case) is None)
        plan(session, item, "private_reply", case=case, text=case.drafted_reply,
             approved_by="auto" if automatic else None)
        needs_approval = not automatic
    answered = [h["what"] for h in case.history if h["what"].startswith(("acknowledged", "responded"))]
    summary = CaseSummary(id=case.id, kind=case.kind, first_response_due=case.first_response_due,
                          resolution_due=case.resolution_due, drafted_reply=case.drafted_reply,
                          reply_needs_approval=needs_approval, reply_deadline=case.reply_deadline, answered=answered,
                          responded=case.responded_at is not None)
    return case, summary


def _takeover(reasons: list[tuple[Reason, Decision, tuple[str, ...]]]) -> tuple[str, ...] | None:
    """The routes of an item taken over (safeguarding): its own first, then those of the item's other cases.

    The whole item goes in one urgent email; the complaints lead still receives it, so a complaint is never
    lost from that inbox when the safeguarding finding turns out to be a false alarm.
    """
    taking = next((routes for _, decision, routes in reasons if decision.takes_over), None)
    if taking is None:
        return None
    others = (route for _, decision, routes in reasons if decision.case and not decision.takes_over for route in routes)
    return tuple(dict.fromkeys((*taking, *others)))


def _plan_hide(session: Session, item: StoredItem, reasons: list[tuple[Reason, Decision, tuple[str, ...]]]) -> None:
    hides = {r.hide for r, _, _ in reasons}
    # "never" wins: safeguarding concerns and legitimate complaints stay visible whatever else the item is.
    if "auto" in hides and "never" not in hides and not item.own:
        plan(session, item, "hide", approved_by="auto")


def _alerts(settings: Settings, item: StoredItem, findings: list[Finding],
            reasons: list[tuple[Reason, Decision, tuple[str, ...]]], case: Case | None,
            summary: CaseSummary | None) -> list[dict[str, Any]]:
    groups: dict[tuple[str, ...], list[Reason]] = defaultdict(list)
    case_routes: tuple[str, ...] | None = None
    takeover = _takeover(reasons)
    if case is not None:
        case_routes = takeover or next(routes for reason, _, routes in reasons if reason.key == case.reason)
        if settings.triage.private_route and takeover is None:
            case_routes = tuple(dict.fromkeys((*case_routes, settings.triage.private_route)))
    for reason, decision, routes in reasons:
        if not (decision.alert or (takeover and decision.case)):
            continue
        if takeover is not None:
            routes = takeover
        elif case_routes is not None and decision.case:
            routes = case_routes  # a question inside a complaint is part of the complaint's case: one alert
        groups[routes].append(reason)
    messages = []
    for routes, grouped in groups.items():
        with_case = summary if routes == case_routes else None
        private = tuple(r for r in routes if _is_private(settings, r))
        public = tuple(r for r in routes if r not in private)
        private_recipients = {a for r in private for a in _emails(settings, r)}
        for part, is_private in ((private, True), (public, False)):
            if not part:
                continue
            recipients = [a for a in dict.fromkeys(a for r in part for a in _emails(settings, r))
                          if is_private or a not in private_recipients]
            if not recipients and not is_private and private:
                continue  # everyone on the public routes already gets the private alert
            messages.extend(_rows(settings, item, findings, grouped, part, recipients, is_private, with_case))
    return messages


def _rows(settings: Settings, item: StoredItem, findings: list[Finding], reasons: list[Reason], routes: tuple[str, ...],
          recipients: list[str], private: bool, case: CaseSummary | None) -> list[dict[str, Any]]:
    alert = compose_alert(settings, item, findings, routes[0], reasons=reasons, case=case, private=private)
    key = f"alert:{item.platform}:{item.external_id}:{'+'.join(routes)}"
    common = dict(subject=alert.subject, body_text=alert.body_text, item_id=item.id, urgent=alert.urgent)
    row = outbox_row(settings, dedupe_key=key, kind="alert", route=routes[0], body_html=alert.body_html, **common)
    row["recipients"] = recipients
    rows = [row]
    for route in routes:
        configured = settings.routes.get(route)
        for index, _url in enumerate(configured.apprise if configured is not None else ()):
            extra = outbox_row(settings, dedupe_key=f"{key}:apprise:{route}:{index}", kind=APPRISE_KIND, route=route,
                               **common)
            extra["recipients"] = [apprise_reference(index)]  # the URL holds secrets: read when sending
            rows.append(extra)
    return rows


def _is_private(settings: Settings, route: str) -> bool:
    configured = settings.routes.get(route)
    return bool(configured and configured.private)


def _emails(settings: Settings, route: str) -> list[str]:
    configured = settings.routes.get(route)
    return list(configured.email) if configured else []
