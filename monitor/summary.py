"""A first weekly summary: what came in during one ISO week and what the monitor raised, as one HTML page."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from monitor.alerts import KIND_TITLES, LABEL_TITLES, PLATFORM_TITLES
from monitor.models import OutboxMessage, StoredFinding, StoredItem
from monitor.render import render

if TYPE_CHECKING:  # pragma: no cover
    from monitor.app import App


@dataclass
class WeekSummary:
    """The figures of one week."""

    week: str
    starts: datetime
    ends: datetime
    items: int = 0
    by_platform_kind: list[tuple[str, str, int]] = field(default_factory=list)
    by_label: list[tuple[str, int]] = field(default_factory=list)
    alerts: list[tuple[str, str, bool]] = field(default_factory=list)  # subject, route, urgent


def week_bounds(week_monday: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """Monday 00:00 to the next Monday 00:00, local time, as aware datetimes."""
    start = datetime.combine(week_monday, time(0), tzinfo=zone)
    return start, datetime.combine(week_monday + timedelta(days=7), time(0), tzinfo=zone)


def latest_item_week(app: "App") -> date | None:
    """The Monday of the week holding the newest stored item, or None when there are no items."""
    with app.db.reading() as session:
        newest = session.scalar(select(func.max(StoredItem.created_at)))
    if newest is None:
        return None
    local = newest.astimezone(ZoneInfo(app.settings.organisation.timezone)).date()
    return local - timedelta(days=local.weekday())


def summarise_week(app: "App", week_monday: date) -> WeekSummary:
    """Count the week's items by platform and kind, its findings by label, and the alerts raised for them."""
    zone = ZoneInfo(app.settings.organisation.timezone)
    starts, ends = week_bounds(week_monday, zone)
    iso = week_monday.isocalendar()
    summary = WeekSummary(week=f"{iso.year}-W{iso.week:02d}", starts=starts, ends=ends)
    in_week = (StoredItem.created_at >= starts, StoredItem.created_at < ends)
    with app.db.reading() as session:
        rows = session.execute(
            select(StoredItem.platform, StoredItem.kind, func.count()).where(*in_week)
            .group_by(StoredItem.platform, StoredItem.kind)
        ).all()
        labels = session.execute(
            select(StoredFinding.label, func.count(func.distinct(StoredFinding.item_id)))
            .join(StoredItem, StoredItem.id == StoredFinding.item_id).where(*in_week).group_by(StoredFinding.label)
        ).all()
        alerts = session.execute(
            select(OutboxMessage.subject, OutboxMessage.route, OutboxMessage.urgent)
            .join(StoredItem, StoredItem.id == OutboxMessage.item_id).where(*in_week).order_by(OutboxMessage.id)
        ).all()
    summary.by_platform_kind = sorted(
        ((PLATFORM_TITLES.get(p, p), KIND_TITLES.get(k, k), n) for p, k, n in rows), key=lambda r: (r[0], -r[2])
    )
    summary.items = sum(n for _, _, n in rows)
    summary.by_label = sorted(((LABEL_TITLES.get(l, l), n) for l, n in labels), key=lambda r: -r[1])
    # The subject ends "by <author>": a summary read by the board names no member of the public.
    summary.alerts = [(s.split(" by ", 1)[0], r, bool(u)) for s, r, u in alerts]
    return summary


def render_summary(app: "App", summary: WeekSummary) -> str:
    """The summary as a self-contained HTML page."""
    return render("summary.html.j2", summary=summary, organisation=app.settings.organisation.name,
                  last_day=summary.ends - timedelta(days=1))
