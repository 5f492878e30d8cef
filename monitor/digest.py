"""The weekly digest: compose it for one ISO week, write it as one HTML file, or queue it once to the digest route."""
from __future__ import annotations

import base64
import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import css_inline
from sqlalchemy import select

from monitor.alerts import KIND_TITLES, LABEL_TITLES, PLATFORM_TITLES
from monitor.charts import TARGET_TITLES, Chart, digest_charts
from monitor.digest_cases import CASE_TITLES
from monitor.digest_data import DigestData, collect
from monitor.digest_week import Week, last_complete_week
from monitor.models import OutboxMessage, utcnow
from monitor.outbox import enqueue
from monitor.render import render

if TYPE_CHECKING:  # pragma: no cover
    from monitor.app import App
    from monitor.settings import Settings

log = logging.getLogger(__name__)

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
CHANGE_LABELS = ("complaint", "safeguarding", "confidential", "abusive", "spam", "question", "praise")
_CID = re.compile(r'src="cid:([A-Za-z0-9_.-]+)"')


@dataclass(frozen=True)
class ComposedDigest:
    """A digest ready to send: subject, plain text, HTML referring to its charts by cid, and the charts."""

    week: Week
    subject: str
    body_text: str
    body_html: str
    charts: tuple[Chart, ...]
    data: DigestData

    def attachments(self) -> list[dict[str, Any]]:
        """The charts as outbox attachments: inline parts the HTML names by cid."""
        return [{"cid": c.cid, "filename": c.filename, "mime": "image/png", "base64": base64.b64encode(c.png).decode()}
                for c in self.charts]

    def standalone_html(self) -> str:
        """The HTML with each chart embedded as a data URI: one file that opens in a browser."""
        pngs = {c.cid: c.png for c in self.charts}
        return _CID.sub(lambda m: f'src="data:image/png;base64,{base64.b64encode(pngs[m.group(1)]).decode()}"'
                        if m.group(1) in pngs else m.group(0), self.body_html)


def digest_key(week: Week) -> str:
    """The outbox dedupe key of a week's digest: the record that it was sent, so it never goes twice."""
    return f"digest:{week.label}"


def change(now: int, before: int) -> str:
    """Week-on-week change as a person reads it: "+5 (+25%)", "-2 (-10%)", "no change", "new"."""
    if now == before:
        return "no change"
    if before == 0:
        return f"+{now} (new)"
    return f"{now - before:+d} ({(now - before) / before:+.0%})"


def _changes(data: DigestData) -> list[tuple[str, int, int, str]]:
    rows = [("Items", data.total, data.previous_total)]
    rows += [(LABEL_TITLES.get(label, label), data.label_counts[label], data.previous_label_counts[label])
             for label in CHANGE_LABELS]
    rows.append(("Corrections by the officer", data.corrections, data.previous_corrections))
    return [(what, now, before, change(now, before)) for what, now, before in rows]


def _context(settings: "Settings", data: DigestData, charts: list[Chart]) -> dict[str, Any]:
    last_day = data.week.days[-1]
    return dict(
        data=data,
        settings=settings,
        week=data.week,
        first_day=data.week.monday.strftime("%A %d %B %Y"),
        last_day=last_day.strftime("%A %d %B %Y"),
        charts={c.cid: c for c in charts},
        changes=_changes(data),
        platforms=PLATFORM_TITLES,
        kinds=KIND_TITLES,
        targets=TARGET_TITLES,
        case_titles=CASE_TITLES,
        total_reads=sum(a.reads for a in data.accounts),
        total_cost=sum(a.cost for a in data.accounts),
        currency=settings.digest.currency,
        zone=data.week.zone,
        correction_rate=(data.corrections / data.flagged) if data.flagged else None,
        stale_after=settings.digest.stale_after_days,
    )


def compose_digest(app: "App", week: Week, now: datetime | None = None) -> ComposedDigest:
    """Read the week's figures, draw the charts and render the email (HTML with CSS inlined, and plain text)."""
    data = collect(app, week, made_at=now or utcnow())
    charts = digest_charts(data, PLATFORM_TITLES)
    context = _context(app.settings, data, charts)
    html = css_inline.inline(render("digest.html.j2", **context))
    text = render("digest.txt.j2", **context)
    subject = f"{app.settings.organisation.name}: social media digest, week {week.label}"
    return ComposedDigest(week, subject, text, html, tuple(charts), data)


def queue_digest(app: "App", digest: ComposedDigest) -> int | None:
    """Put the digest in the outbox for the digest route; None when that week's digest is already there."""
    with app.db.transaction() as session:
        return enqueue(session, app.settings, dedupe_key=digest_key(digest.week), kind="digest",
                       route=app.settings.digest.route, subject=digest.subject, body_text=digest.body_text,
                       body_html=digest.body_html, attachments=digest.attachments())


def already_queued(app: "App", week: Week) -> datetime | None:
    """When the week's digest was put in the outbox, or None when it never was."""
    with app.db.reading() as session:
        return session.scalar(select(OutboxMessage.created_at).where(OutboxMessage.dedupe_key == digest_key(week)))


def latest_item_week(app: "App") -> Week | None:
    """The week holding the newest stored item (the demo's week), or None when nothing is stored."""
    from sqlalchemy import func

    from monitor.digest_week import week_containing
    from monitor.models import StoredItem

    with app.db.reading() as session:
        newest = session.scalar(select(func.max(StoredItem.created_at)))
    return week_containing(newest, ZoneInfo(app.settings.organisation.timezone)) if newest else None


def scheduled_before(settings: "Settings", now: datetime) -> datetime:
    """The latest scheduled digest moment at or before now (e.g. the last Monday 08:00, local time)."""
    zone = ZoneInfo(settings.organisation.timezone)
    local = now.astimezone(zone)
    at = settings.digest.at
    days_back = (local.weekday() - WEEKDAYS.index(settings.digest.day)) % 7
    day = local.date() - timedelta(days=days_back)
    moment = datetime.combine(day, at, tzinfo=zone)
    return moment if moment <= local else datetime.combine(day - timedelta(days=7), at, tzinfo=zone)


def _monitoring_began_after(app: "App", moment: datetime) -> bool:
    """Whether no account was being monitored before moment: a week before the first poll has no digest."""
    from sqlalchemy import func

    from monitor.models import Account

    with app.db.reading() as session:
        first = session.scalar(select(func.min(Account.monitoring_started_at)))
    return first is None or first >= moment


def digest_job(app: "App", now: datetime | None = None) -> str:
    """Send the last complete week's digest if it is due, within the grace period and not yet sent; never raise."""
    from monitor.notifier import flush_outbox

    try:
        now = now or utcnow()
        scheduled = scheduled_before(app.settings, now)
        zone = ZoneInfo(app.settings.organisation.timezone)
        week = last_complete_week(scheduled, zone)
        if now - scheduled > app.settings.digest.grace:
            log.debug("digest for %s not sent: more than the grace period after %s", week.label, scheduled)
            return f"{week.label}: too late (due {scheduled.isoformat(timespec='minutes')})"
        if already_queued(app, week) is not None:
            return f"{week.label}: already sent"
        if _monitoring_began_after(app, week.ends):
            return f"{week.label}: not sent (monitoring began after that week)"
        queued = queue_digest(app, compose_digest(app, week, now))
        if queued is None:
            return f"{week.label}: already sent"  # another run queued it while this one composed
        log.info("weekly digest for %s queued for route %s", week.label, app.settings.digest.route)
        flush_outbox(app)
        return f"{week.label}: sent"
    except Exception:  # noqa: BLE001 - a scheduled job must never take the scheduler down; it runs again
        log.exception("the weekly digest could not be made; it will be tried again")
        return "failed"
