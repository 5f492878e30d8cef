"""The poll job: polls one account, never lets an exception escape, and keeps the account's health."""
from __future__ import annotations

import hashlib
import logging
from datetime import datetime, timedelta
from threading import Event
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from connectors.base import AuthError, QuotaExhausted, RateLimited, TransientError
from monitor.logsetup import scrub
from monitor.models import Account, utcnow
from monitor.outbox import enqueue
from monitor.store import ensure_account

if TYPE_CHECKING:  # pragma: no cover
    from monitor.app import App
    from monitor.settings import AccountSettings

log = logging.getLogger(__name__)

FAILING_STATES = ("failing", "auth_failed", "rate_limited", "quota_exhausted")
RATE_LIMIT_FIRST_WAIT = timedelta(minutes=2)
RATE_LIMIT_MAX_WAIT = timedelta(hours=1)
# The database itself unreachable or locked: nothing can be recorded, so the job says so in one line and the next
# run tries again (a traceback per run would bury the one line that matters).
DATABASE_DOWN = (OperationalError, PoolTimeout)


def database_problem(exc: BaseException) -> str:
    """The first line of what the database driver said, scrubbed of secrets."""
    said = str(getattr(exc, "orig", None) or exc).strip()
    return scrub(said.splitlines()[0] if said else type(exc).__name__)


def credentials_fingerprint(account: "AccountSettings") -> str:
    """A short digest of the account's configured options, to notice when its credentials change."""
    options = account.options
    if options is None:
        return ""
    values = []
    for name in sorted(type(options).model_fields):
        value = getattr(options, name)
        values.append(f"{name}={value.get_secret_value() if hasattr(value, 'get_secret_value') else value}")
    return hashlib.sha256("\n".join(values).encode("utf-8")).hexdigest()[:32]


def should_poll(app: "App", account: "AccountSettings", now: datetime | None = None) -> tuple[bool, str]:
    """Whether account may be polled now, and why not: stopped after an auth failure, or paused by a rate limit."""
    now = now or utcnow()
    with app.db.transaction() as session:
        row = ensure_account(session, account)
        if row.state == "auth_failed" and row.credentials_fingerprint == credentials_fingerprint(account):
            return False, "stopped: the platform refused the credentials; fix them in the configuration"
        if row.paused_until is not None and row.paused_until > now:
            return False, f"paused until {row.paused_until.isoformat(timespec='seconds')} (rate limit)"
    return True, ""


def poll_job(app: "App", account: "AccountSettings", stop: Event | None = None) -> str:
    """Poll account, process what came in and send the alerts; return the account's state, never raise."""
    try:
        return _poll_job(app, account, stop)
    except DATABASE_DOWN as exc:
        log.warning("account %s not polled: the database is unavailable (%s); the next run tries again",
                    account.name, database_problem(exc))
        return "database unavailable"


def _poll_job(app: "App", account: "AccountSettings", stop: Event | None) -> str:
    from monitor.notifier import flush_outbox
    from monitor.pipeline import poll_account, process_pending

    allowed, why = should_poll(app, account)
    if not allowed:
        log.debug("account %s not polled: %s", account.name, why)
        return why
    try:
        result = poll_account(app, account, stop=stop)
    except AuthError as exc:
        return _record_failure(app, account, "auth_failed", str(exc))
    except QuotaExhausted as exc:
        return _record_failure(app, account, "quota_exhausted", str(exc), retry_at=exc.retry_at)
    except RateLimited as exc:
        return _record_failure(app, account, "rate_limited", str(exc), retry_at=exc.retry_at)
    except TransientError as exc:
        return _record_failure(app, account, "failing", str(exc))
    except Exception as exc:  # noqa: BLE001 - a poll job must never take the scheduler down
        log.debug("account %s: unexpected error", account.name, exc_info=True)
        return _record_failure(app, account, "failing", f"{type(exc).__name__}: {exc}")
    _record_success(app, account, result.new)
    try:
        process_pending(app, stop=stop)
        flush_outbox(app, stop=stop)
    except DATABASE_DOWN as exc:
        log.warning("processing after the poll of %s waits for the database (%s)", account.name,
                    database_problem(exc))
    except Exception:  # noqa: BLE001 - the items are stored; the next run processes and sends them
        log.exception("processing after the poll of %s failed; it will be retried", account.name)
    return "ok"


def _record_success(app: "App", account: "AccountSettings", new_items: int) -> None:
    now = utcnow()
    with app.db.transaction() as session:
        row = ensure_account(session, account)
        was, since = row.state, row.failing_since
        row.state, row.last_success_at = "ok", now
        row.failing_since, row.paused_until, row.credentials_fingerprint = None, None, None
        if was in FAILING_STATES:
            log.warning("account %s recovered (it had been %s since %s)", account.name, was.replace("_", " "),
                        since.isoformat(timespec="seconds") if since else "an unknown time")
            enqueue(
                session, app.settings,
                dedupe_key=f"recovered:{account.name}:{since.isoformat() if since else now.isoformat()}",
                kind="admin", route=app.settings.alerts.admin_route,
                subject=f"Recovered: {account.name} is being read again",
                body_text=f"The account {account.name} is being read again. It had been {was.replace('_', ' ')} "
                f"since {since.isoformat(timespec='minutes') if since else 'an unknown time'}.\n",
            )
    if new_items:
        log.info("account %s: %d new item(s)", account.name, new_items)


def _record_failure(app: "App", account: "AccountSettings", state: str, error: str,
                    retry_at: datetime | None = None) -> str:
    now = utcnow()
    error = scrub(error)
    with app.db.transaction() as session:
        row = ensure_account(session, account)
        changed = row.state != state
        outage_starts = row.state not in FAILING_STATES
        if outage_starts:
            row.failing_since = now
        row.state, row.last_error, row.last_error_at = state, error, now
        if state == "auth_failed":
            row.credentials_fingerprint = credentials_fingerprint(account)
            enqueue(
                session, app.settings,
                dedupe_key=f"auth:{account.name}:{row.failing_since.isoformat()}",
                kind="admin", route=app.settings.alerts.admin_route, urgent=True,
                subject=f"Action needed: {account.name} can no longer be read",
                body_text=f"The platform refused the credentials of {account.name}: {error}\n\n"
                "Polling of this account has stopped; other accounts carry on. Put a new token in the "
                "configuration (or the file or environment variable it names) and restart the monitor, or run "
                "`run_monitor.py check-config --ping`; polling resumes as soon as the credentials change.\n",
            )
        if state == "quota_exhausted":
            enqueue(
                session, app.settings,
                dedupe_key=f"quota:{account.name}:{row.failing_since.isoformat()}",
                kind="admin", route=app.settings.alerts.admin_route,
                subject=f"Paused: {account.name} has used up its paid API allowance",
                body_text=f"The platform says the paid allowance of {account.name} is spent: {error}\n\n"
                f"Reading pauses until {(retry_at or now).isoformat(timespec='minutes')} and then resumes by itself. "
                "To read sooner, raise the allowance with the platform (or the configured daily cap).\n",
            )
        if state in ("failing", "rate_limited") and outage_starts:
            # One message when an outage starts (auth and quota failures have their own above); the recovery
            # message closes it.
            enqueue(
                session, app.settings,
                dedupe_key=f"outage:{account.name}:{row.failing_since.isoformat()}",
                kind="admin", route=app.settings.alerts.admin_route,
                subject=f"Problem: {account.name} cannot be read at the moment",
                body_text=f"Reading {account.name} failed: {error}\n\nThe monitor keeps trying by itself and other "
                "accounts carry on. You will get one message when the account is read again.\n",
            )
        if state in ("rate_limited", "quota_exhausted"):
            row.paused_until = retry_at or now + _rate_limit_wait(row)
    if changed:
        log.error("account %s is now %s: %s", account.name, state.replace("_", " "), error)
    return state


def _rate_limit_wait(row: Account) -> timedelta:
    """Exponential wait for rate limits that give no reset time, by how long the limit has lasted."""
    lasted = utcnow() - (row.failing_since or utcnow())
    return min(RATE_LIMIT_MAX_WAIT, max(RATE_LIMIT_FIRST_WAIT, lasted))


def daily_health_check(app: "App") -> list[str]:
    """Tell the administrator about accounts not read for a day; return the problems found."""
    now = utcnow()
    problems = []
    with app.db.transaction() as session:
        rows = {row.name: row for row in session.scalars(select(Account))}
        for account in app.settings.accounts:
            row = rows.get(account.name)
            if not account.enabled or row is None:
                continue
            stale_after = max(timedelta(days=1), account.poll_every * 3)
            last = row.last_success_at or row.monitoring_started_at
            if now - last > stale_after:
                problems.append(f"{account.name} has not been read since {last.isoformat(timespec='minutes')} "
                                f"({row.state}: {row.last_error or 'no error recorded'})")
        if problems:
            enqueue(
                session, app.settings,
                dedupe_key=f"health:{now.date().isoformat()}", kind="admin", route=app.settings.alerts.admin_route,
                subject=f"Monitor health: {len(problems)} account(s) not being read",
                body_text="\n".join(f"- {p}" for p in problems) + "\n",
            )
    return problems
