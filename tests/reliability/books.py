"""Reading the outcome from outside the daemon: its database, the mail server's log, the process's memory."""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from tests.reliability.daemon_harness import Daemon, World, wait_for


def query(db_url: str, sql: str, **params: Any) -> list[tuple]:
    """Rows of one SQL query against the daemon's database, from outside the daemon."""
    engine = create_engine(db_url)
    try:
        with engine.connect() as connection:
            return [tuple(r) for r in connection.execute(text(sql), params).all()]
    finally:
        engine.dispose()


def settled(db_url: str, world: World) -> bool:
    """Everything served is stored and processed, and the outbox holds nothing unsent."""
    try:
        stored = {(p, e) for p, e in query(db_url, "SELECT platform, external_id FROM items")}
        unprocessed = query(db_url, "SELECT count(*) FROM items WHERE processed_at IS NULL")[0][0]
        unsent = query(db_url, "SELECT count(*) FROM outbox WHERE state = 'pending'")[0][0]
    except Exception:  # noqa: BLE001 - the schema may not exist yet
        return False
    return stored >= world.served_keys() and unprocessed == 0 and unsent == 0


def unsettled(db_url: str, world: World) -> str:
    """What keeps settled() false, for a failure message."""
    stored = {(p, e) for p, e in query(db_url, "SELECT platform, external_id FROM items")}
    missing = sorted(world.served_keys() - stored)
    unprocessed = query(db_url, "SELECT platform, external_id, process_error FROM items WHERE processed_at IS NULL")
    unsent = query(db_url, "SELECT id, kind, attempts, last_error FROM outbox WHERE state = 'pending'")
    return f"not stored: {missing[:20]} ({len(missing)}); unprocessed: {unprocessed[:10]}; unsent: {unsent[:10]}"


def finish(world: World, daemon: Daemon, db_url: str) -> None:
    """Wait until everything is stored and sent, stop the daemon cleanly, check the books."""
    try:
        wait_for(lambda: settled(db_url, world), 90, "everything stored and sent after the outage")
    except AssertionError as exc:
        raise AssertionError(f"{exc}\n{unsettled(db_url, world)}\n{daemon.output()[-3000:]}") from None
    assert daemon.stop() == 0, daemon.output()[-3000:]
    stored = Counter(query(db_url, "SELECT platform, external_id FROM items"))
    assert set(stored) == world.served_keys() and max(stored.values()) == 1
    alerted = {(p, e) for p, e in query(db_url, "SELECT i.platform, i.external_id FROM outbox o JOIN items i "
                                                "ON i.id = o.item_id WHERE o.kind = 'alert'")}
    assert alerted == {key for key, due in world.due.items() if due}
    received = world.message_ids()
    assert len(received) == len(set(received)), "a message arrived twice"
    assert "Traceback" not in daemon.output(), daemon.output()[-5000:]


ADMIN_OPENERS = ("Problem: ", "Action needed: ")


def admin_subjects(world: World) -> list[str]:
    """The administrator's messages so far, in the order the mail server accepted them."""
    with world.smtp.lock:
        return [r.subject for r in world.smtp.received if r.rcpt_tos == ["admin@test.invalid"]]


def peak_rss_mb(pid: int) -> float:
    """The peak resident memory of a running process (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmHWM for process {pid}")


def current_rss_mb(pid: int) -> float:
    """The resident memory of a running process now (VmRSS), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")
