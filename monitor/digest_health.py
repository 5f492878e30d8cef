"""The digest's account figures: connector health, paid API reads and their cost, and how up to date each account is."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from sqlalchemy import case, func, select

from monitor.digest_week import Week
from monitor.models import Account, PollRun, StoredItem

if TYPE_CHECKING:  # pragma: no cover
    from monitor.digest_data import WeekItems
    from monitor.settings import Settings

# Own posts with these findings are counted as flagged for policy 1.4 (appropriate and up to date).
OWN_POST_CONCERNS = frozenset({"off_brand", "photo_consent", "confidential", "abusive", "spam"})


@dataclass(frozen=True)
class AccountHealth:
    """One account's polling in the week: state, runs, failures, paid reads and their estimated cost."""

    name: str
    connector: str
    state: str
    last_success_at: datetime | None
    last_error: str | None
    runs: int
    failed_runs: int
    reads: int
    cost: float


@dataclass(frozen=True)
class Freshness:
    """Policy 1.4 for one account: when the organisation last posted, and its own posts flagged this week."""

    name: str
    last_own_post: datetime | None
    days_since: int | None
    own_posts: int
    own_flagged: int
    stale: bool


def cost_per_read(settings: "Settings", account_name: str) -> float:
    """The account's cost_per_read option when its connector has one, else [digest] cost_per_read."""
    for account in settings.accounts:
        if account.name == account_name:
            value = getattr(account.options, "cost_per_read", None)
            if value is not None:
                return float(value)
    return settings.digest.cost_per_read


def account_health(session: Any, settings: "Settings", week: Week) -> list[AccountHealth]:
    """Each account's poll runs and reads in the week, with its current state."""
    runs = {
        row.account_id: row
        for row in session.execute(
            select(PollRun.account_id, func.count().label("runs"),
                   func.sum(case((PollRun.outcome.in_(("ok", "running")), 0), else_=1)).label("failed"),
                   func.coalesce(func.sum(PollRun.reads), 0).label("reads"))
            .where(PollRun.started_at >= week.starts, PollRun.started_at < week.ends)
            .group_by(PollRun.account_id)
        )
    }
    health = []
    for account in session.scalars(select(Account).order_by(Account.name)):
        row = runs.get(account.id)
        reads = int(row.reads) if row else 0
        health.append(AccountHealth(
            name=account.name, connector=account.connector, state=account.state,
            last_success_at=account.last_success_at, last_error=account.last_error,
            runs=int(row.runs) if row else 0, failed_runs=int(row.failed or 0) if row else 0,
            reads=reads, cost=reads * cost_per_read(settings, account.name),
        ))
    return health


def last_own_posts(session: Any, before: datetime) -> dict[int, datetime]:
    """Each account's newest own item created before the given moment, by account id."""
    return {
        account_id: newest
        for account_id, newest in session.execute(
            select(StoredItem.account_id, func.max(StoredItem.created_at))
            .where(StoredItem.own.is_(True), StoredItem.created_at < before)
            .group_by(StoredItem.account_id)
        )
    }


def freshness(session: Any, settings: "Settings", week: Week, items: "WeekItems") -> list[Freshness]:
    """Per account: days since the last own post at the end of the week, own posts and flagged own posts that week."""
    stale_after = settings.digest.stale_after_days
    newest = last_own_posts(session, week.ends)
    result = []
    for account in session.scalars(select(Account).order_by(Account.name)):
        last = newest.get(account.id)
        if isinstance(last, str):  # SQLite's max() of a timestamp comes back as text
            last = _parse_sqlite_time(last)
        own = [r for r in items.rows if r.account_id == account.id and r.own]
        flagged = sum(1 for r in own if items.labels.get(r.id, set()) & OWN_POST_CONCERNS)
        days = (week.ends - last).days if last else None
        since_start = (week.ends - account.monitoring_started_at).days
        stale = (days if days is not None else since_start) >= stale_after
        result.append(Freshness(account.name, last, days, len(own), flagged, stale))
    return result


def _parse_sqlite_time(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)
