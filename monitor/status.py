"""What `status` says: per account, its state, last success, last error and items seen; the outbox backlog."""
from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import func, select

from monitor.logsetup import scrub
from monitor.models import Account, OutboxMessage, StoredItem

if TYPE_CHECKING:  # pragma: no cover
    from monitor.app import App

STATE_WORDS = {
    "new": "not polled yet",
    "ok": "OK",
    "failing": "FAILING",
    "auth_failed": "STOPPED (credentials refused; fix them in the configuration)",
    "rate_limited": "PAUSED (rate limited)",
    "quota_exhausted": "PAUSED (paid API allowance used up)",
}


def _when(value) -> str:
    return value.isoformat(timespec="minutes").replace("+00:00", "Z") if value else "never"


def status_lines(app: "App") -> list[str]:
    """Plain lines describing the monitor's health, secrets scrubbed."""
    lines = []
    with app.db.reading() as session:
        rows = {row.name: row for row in session.scalars(select(Account))}
        pending = session.scalar(select(func.count()).where(OutboxMessage.state == "pending")) or 0
        oldest = session.scalar(select(func.min(OutboxMessage.created_at)).where(OutboxMessage.state == "pending"))
        unprocessed = session.scalar(select(func.count()).where(StoredItem.processed_at.is_(None))) or 0
    for account in app.settings.accounts:
        row = rows.get(account.name)
        if row is None:
            lines.append(f"{account.name} ({account.connector}): not polled yet")
            continue
        state = STATE_WORDS.get(row.state, row.state)
        lines.append(f"{account.name} ({account.connector}): {state}; last success {_when(row.last_success_at)}; "
                     f"items seen {row.items_seen}")
        if row.last_error and row.state != "ok":
            lines.append(f"  last error {_when(row.last_error_at)}: {scrub(row.last_error)}")
        if row.paused_until and row.state in ("rate_limited", "quota_exhausted"):
            lines.append(f"  paused until {_when(row.paused_until)}")
        for stream, notice in sorted((row.notices or {}).items()):
            lines.append(f"  {stream}: {scrub(str(notice))}")
    lines.append(f"outbox: {pending} waiting" + (f" (oldest from {_when(oldest)})" if pending else ""))
    if unprocessed:
        lines.append(f"items waiting to be classified: {unprocessed}")
    return lines
