"""How cases are shown on the command line: one line each in a list, everything about one in `cases show`."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from monitor.alerts import CASE_TITLES, KIND_TITLES, PLATFORM_TITLES, local_time
from monitor.cases import first_response_at, missed_targets
from monitor.models import Case, PlannedAction, PlatformAction, StoredItem, utcnow
from monitor.settings import Settings

PREVIEW = 70


def _preview(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= PREVIEW else flat[: PREVIEW - 1] + "…"


def case_line(settings: Settings, case: Case, item: StoredItem) -> str:
    """One line: id, state, kind, the next target, who wrote and the start of what they wrote."""
    missed = missed_targets(case, utcnow())
    if case.state == "resolved":
        target = f"resolved {local_time(settings, case.resolved_at)}"
    elif first_response_at(case) is None and case.first_response_due:
        target = f"reply by {local_time(settings, case.first_response_due)}"
    elif case.resolution_due and case.responded_at is None:
        target = f"respond by {local_time(settings, case.resolution_due)}"
    else:
        target = "answered"
    flag = " OVERDUE" if missed else ""
    author = item.author_name or "unknown"
    return (f"#{case.id} {case.state:<12} {CASE_TITLES.get(case.kind, case.kind)}: {target}{flag} | "
            f"{PLATFORM_TITLES.get(item.platform, item.platform)} {author}: {_preview(item.text)}")


def case_details(session: Session, settings: Settings, case: Case) -> str:
    """Everything about a case: the item, its targets, the drafted reply, planned and taken actions, the history."""
    item = session.get(StoredItem, case.item_id)
    platform = PLATFORM_TITLES.get(item.platform, item.platform)
    lines = [
        f"Case {case.id}: {CASE_TITLES.get(case.kind, case.kind)} ({case.reason.replace('_', ' ')}), {case.state}",
        f"Route: {case.route}",
        f"{platform} {KIND_TITLES.get(item.kind, item.kind)} by {item.author_name or 'unknown'}, "
        f"{local_time(settings, item.created_at)}" + (f": {item.permalink}" if item.permalink else ""),
        "",
        item.text,
        "",
    ]
    for label, value in (("First response due", case.first_response_due), ("Full response due", case.resolution_due),
                         ("Acknowledged", case.acknowledged_at), ("Responded", case.responded_at),
                         ("Escalated", case.escalated_at), ("Resolved", case.resolved_at),
                         ("Private reply possible until", case.reply_deadline)):
        if value is not None:
            lines.append(f"{label}: {local_time(settings, value)}")
    missed = missed_targets(case, utcnow())
    if missed:
        lines.append("Overdue: " + ", ".join(m.replace("_", " ") for m in missed))
    planned = session.scalars(select(PlannedAction).where(PlannedAction.item_id == item.id)).all()
    if case.drafted_reply:
        reply = next((p for p in planned if p.action == "private_reply"), None)
        state = reply.state.replace("_", " ") if reply else "not planned"
        lines += ["", f"Drafted private reply ({state}; `cases approve {case.id}` sends it):", case.drafted_reply.rstrip()]
    for action in planned:
        if action.action != "private_reply":
            lines.append(f"Planned {action.action.replace('_', ' ')}: {action.state.replace('_', ' ')}"
                         + (f" ({action.detail})" if action.detail else ""))
    taken = session.scalars(select(PlatformAction).where(PlatformAction.item_id == item.id)
                            .order_by(PlatformAction.at)).all()
    if taken:
        lines += ["", "Actions on the platform:"]
        lines += [f"- {local_time(settings, a.at)} {a.action.replace('_', ' ')}: {'done' if a.ok else 'failed'}"
                  f"{' (' + a.detail + ')' if a.detail else ''}, by {a.requested_by}" for a in taken]
    lines += ["", "History:"] + [f"- {h['at']} {h['by']}: {h['what']}" for h in case.history or ()]
    return "\n".join(lines)
