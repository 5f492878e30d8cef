"""The digest's complaint figures: complaints received by target, response targets met or missed, open cases."""
from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Callable

from sqlalchemy import and_, or_, select

from monitor.digest_week import Week
from monitor.models import Case, StoredFinding, StoredItem

if TYPE_CHECKING:  # pragma: no cover
    from monitor.digest_data import WeekItems

TARGETS = ("hwd", "service")
# The triage opens a "complaint" case for a complaint about us and a "feedback" case for one about a service.
CASE_TARGETS = {"complaint": "hwd", "feedback": "service"}
CASE_TITLES = {"complaint": "Complaint about us", "feedback": "Complaint about a service",
               "reply_needed": "Question needing a reply"}
# Status of a complaint received this week, as it stood at the end of the week.
STATUSES = ("answered in time", "answered late", "awaiting reply, in time", "overdue", "no case opened")
AGE_BANDS = ((2, "under 2 days"), (8, "2 to 7 days"), (31, "8 to 30 days"), (None, "over 30 days"))
OPEN_CASES_LISTED = 10


@dataclass
class ComplaintFigures:
    """Complaints about one target (the organisation or a service) in one week."""

    received: int = 0
    status: Counter[str] = field(default_factory=Counter)
    met: int = 0  # first-response targets decided this week: met...
    missed: int = 0  # ...or missed
    median_hours: float | None = None  # median first response of the cases first answered this week
    answered: int = 0


@dataclass(frozen=True)
class OpenCase:
    """A case still open at the end of the week."""

    kind: str
    platform: str
    opened_at: datetime
    age_days: int
    overdue: bool
    answered: bool


@dataclass
class OpenCases:
    """The cases open at the end of the week: how many, how old, the oldest listed."""

    total: int = 0
    overdue: int = 0
    bands: list[tuple[str, int]] = field(default_factory=list)
    oldest: list[OpenCase] = field(default_factory=list)


def target_of(finding_target: str | None, case_kind: str = "") -> str:
    """hwd for complaints about the organisation; service for the rest (a complaint with no target is feedback)."""
    if case_kind in CASE_TARGETS:
        return CASE_TARGETS[case_kind]
    return finding_target if finding_target in TARGETS else "service"


def first_response(case: Any) -> datetime | None:
    """When the case was first answered: acknowledged or responded, whichever came first."""
    moments = [m for m in (case.acknowledged_at, case.responded_at) if m is not None]
    return min(moments) if moments else None


def _status(case: Any, as_of: datetime) -> str:
    if case is None:
        return "no case opened"
    answered = first_response(case)
    due = case.first_response_due
    if answered is not None and answered < as_of:
        return "answered in time" if due is None or answered <= due else "answered late"
    return "overdue" if due is not None and due < as_of else "awaiting reply, in time"


def _complaint_cases(session: Any, condition: Any) -> list[Any]:
    """Complaint cases matching condition, each with its item's platform and its complaint finding's target."""
    return list(session.execute(
        select(Case.id, Case.item_id, Case.kind, Case.opened_at, Case.first_response_due, Case.acknowledged_at,
               Case.responded_at, StoredItem.platform, StoredFinding.target)
        .join(StoredItem, StoredItem.id == Case.item_id)
        .outerjoin(StoredFinding, and_(StoredFinding.item_id == Case.item_id, StoredFinding.label == "complaint"))
        .where(Case.kind.in_(tuple(CASE_TARGETS)), condition)
    ))


WorkingTime = Callable[[datetime, datetime], timedelta]


def complaint_figures(session: Any, items: "WeekItems", week: Week,
                      working_time: WorkingTime) -> dict[str, ComplaintFigures]:
    """Complaints received in the week by target and status, and the response targets decided in the week."""
    figures = {target: ComplaintFigures() for target in TARGETS}
    received = items.with_label("complaint")
    ids = [row.id for row in received]
    cases: dict[int, Any] = {}
    for start in range(0, len(ids), 500):
        for case in _complaint_cases(session, Case.item_id.in_(ids[start:start + 500])):
            cases.setdefault(case.item_id, case)
    for row in received:
        targets = {f.target for f in items.findings[row.id] if f.label == "complaint"}
        target = "hwd" if "hwd" in targets else "service"
        figures[target].received += 1
        figures[target].status[_status(cases.get(row.id), week.ends)] += 1

    def in_week(column: Any) -> Any:
        return and_(column >= week.starts, column < week.ends)

    decided = _complaint_cases(session, or_(in_week(Case.acknowledged_at), in_week(Case.responded_at),
                                            in_week(Case.first_response_due)))
    hours: dict[str, list[float]] = {target: [] for target in TARGETS}
    seen: set[int] = set()
    for case in decided:
        if case.id in seen:
            continue
        seen.add(case.id)
        figure = figures[target_of(case.target, case.kind)]
        answered, due = first_response(case), case.first_response_due
        # A target is decided once: when the answer came in time, or when the due moment passed without one.
        decided_at = answered if answered is not None and (due is None or answered <= due) else due
        if decided_at is not None and week.starts <= decided_at < week.ends:
            if due is not None and decided_at == due and (answered is None or answered > due):
                figure.missed += 1
            else:
                figure.met += 1
        if answered is not None and week.starts <= answered < week.ends:
            taken = working_time(case.opened_at, answered)
            hours[target_of(case.target, case.kind)].append(taken.total_seconds() / 3600)
    for target, values in hours.items():
        figures[target].answered = len(values)
        figures[target].median_hours = statistics.median(values) if values else None
    return figures


def open_cases(session: Any, week: Week) -> OpenCases:
    """The cases open at the end of the week, their ages and the oldest of them."""
    as_of = week.ends
    rows = session.execute(
        select(Case.kind, Case.opened_at, Case.first_response_due, Case.resolution_due, Case.acknowledged_at,
               Case.responded_at, Case.resolved_at, StoredItem.platform)
        .join(StoredItem, StoredItem.id == Case.item_id)
        .where(Case.opened_at < as_of, or_(Case.resolved_at.is_(None), Case.resolved_at >= as_of))
        .order_by(Case.opened_at)
    ).all()
    result = OpenCases(total=len(rows))
    bands: Counter[str] = Counter()
    listed = []
    for row in rows:
        age = (as_of - row.opened_at).days
        answered = first_response(row)
        answered = answered if answered is not None and answered < as_of else None
        overdue = bool((row.resolution_due and row.resolution_due < as_of)
                       or (answered is None and row.first_response_due and row.first_response_due < as_of))
        result.overdue += overdue
        bands[next(label for limit, label in AGE_BANDS if limit is None or age < limit)] += 1
        if len(listed) < OPEN_CASES_LISTED:
            listed.append(OpenCase(row.kind, row.platform, row.opened_at, age, overdue, answered is not None))
    result.bands = [(label, bands[label]) for _, label in AGE_BANDS]
    result.oldest = listed
    return result
