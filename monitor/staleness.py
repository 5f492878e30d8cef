"""Policy 1.4, up to date: a daily check that tells the communications officer when an account has gone quiet."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from monitor.digest_health import last_own_posts
from monitor.models import Account, utcnow
from monitor.outbox import enqueue

if TYPE_CHECKING:  # pragma: no cover
    from monitor.app import App

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Lapse:
    """An account with no own post since lapse_start (its last own post, or when monitoring began)."""

    account: str
    lapse_start: datetime
    days: int
    ever_posted: bool


def stale_accounts(app: "App", now: datetime | None = None) -> list[Lapse]:
    """The enabled accounts with no own post for at least [digest] stale_after_days."""
    now = now or utcnow()
    limit = timedelta(days=app.settings.digest.stale_after_days)
    enabled = {a.name for a in app.settings.accounts if a.enabled}
    lapses = []
    with app.db.reading() as session:
        newest = last_own_posts(session, now)
        for account in session.scalars(select(Account).order_by(Account.name)):
            if account.name not in enabled:
                continue
            last = newest.get(account.id)
            start = last or account.monitoring_started_at
            if now - start >= limit:
                lapses.append(Lapse(account.name, start, (now - start).days, last is not None))
    return lapses


def stale_account_job(app: "App", now: datetime | None = None) -> list[str]:
    """Alert the digest route once per lapse about each account gone quiet; return the accounts alerted about."""
    try:
        lapses = stale_accounts(app, now)
        alerted = []
        with app.db.transaction() as session:
            for lapse in lapses:
                since = lapse.lapse_start.strftime("%d %B %Y")
                what = f"since {since}" if lapse.ever_posted else f"since monitoring began on {since}"
                queued = enqueue(
                    session, app.settings,
                    # One alert per lapse: a new own post starts a new lapse with a new key.
                    dedupe_key=f"stale:{lapse.account}:{lapse.lapse_start.isoformat()}",
                    kind="stale", route=app.settings.digest.route,
                    subject=f"Up to date? {lapse.account} has had no post of ours for {lapse.days} days",
                    body_text=f"The account {lapse.account} has had no post by the organisation {what} "
                    f"({lapse.days} days). The social networking policy (1.4) asks that our accounts are checked "
                    f"regularly and kept up to date: consider posting, or say in the account that it is not "
                    f"monitored.\n\nYou will not be told again until the account has posted and then gone quiet "
                    f"for {app.settings.digest.stale_after_days} days once more.\n",
                )
                if queued is not None:
                    alerted.append(lapse.account)
                    log.info("account %s has had no own post for %d days: comms told", lapse.account, lapse.days)
        return alerted
    except Exception:  # noqa: BLE001 - a scheduled job must never take the scheduler down; it runs again tomorrow
        log.exception("the up-to-date check failed; it runs again tomorrow")
        return []
