"""A backlog after an outage: the daemon started on a replay file of many items, watched until all are processed,
its peak resident memory read from /proc before it is stopped."""
from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from tests.reliability.books import peak_rss_mb, query
from tests.reliability.daemon_harness import Daemon, wait_for

TEXTS = [
    ("Waited 6 hours at A&E in Chesterfield, disgraceful", True),
    ("Thank you for coming to the Buxton market stall, lovely to chat", False),
    ("How do I find an NHS dentist taking new patients near Belper?", False),
    ("Shared with my mum's carers group", False),
    ("Brilliant report on care homes, well done all", False),
    ("Anyone know if the drop-in at Matlock library is on this week?", False),
    ("The new leaflet about hearing aids is really clear", False),
]
DUE_EVERY = 97  # about one item in a hundred is due an alert
# Comments of a realistic length (about 700 characters): a pipeline holding the whole backlog would show.
STORY = (" We went along to the drop-in at the library on the Tuesday with my dad, and the volunteers took the "
         "time to go through the leaflet about hearing aid clinics with us and explained where to find them.") * 3
FILE_ITEMS = 2_000


@dataclass
class BacklogRun:
    """What one backlog run measured."""

    items: int
    peak_rss_mb: float
    seconds: float
    alerts: int


def write_backlog(folder: Path, items: int) -> int:
    """Replay files (2,000 items each, as recorded) written over the outage; return how many are due an alert.

    One file per 2,000 items rather than one huge file: the replay connector reads a whole file at each fetch
    (connectors/replay.py _lines), which is memory and time in proportion to the file, not to the backlog.
    """
    folder.mkdir(parents=True, exist_ok=True)
    start = datetime.now(timezone.utc) - timedelta(days=1)
    due = 0
    for first in range(0, items, FILE_ITEMS):
        with (folder / f"recorded-{first // FILE_ITEMS:05d}.jsonl").open("w", encoding="utf-8") as handle:
            for i in range(first, min(items, first + FILE_ITEMS)):
                text, is_due = TEXTS[0] if i % DUE_EVERY == 0 else TEXTS[1 + i % (len(TEXTS) - 1)]
                due += is_due
                handle.write(json.dumps({
                    "external_id": f"backlog-{i}", "text": f"{text} #{i}.{STORY}", "kind": "comment",
                    "author_id": f"person-{i % 700}", "author_name": f"Person {i % 700}",
                    "created_at": (start + timedelta(seconds=i)).isoformat(),
                }) + "\n")
    return due


def write_backlog_config(folder: Path, db_url: str, backlog: Path, detectors: str = '["keywords"]') -> Path:
    """A daemon configuration reading the backlog in batches of 500, alerts to an .eml folder."""
    config = folder / "backlog.toml"
    config.write_text(f"""
[organisation]
mail_domain = "test.invalid"
[database]
url = "{db_url}"
[outbox]
folder = "{folder / 'outbox'}"
[detectors]
enabled = {detectors}
[routes.comms]
email = ["comms@test.invalid"]
[routes.complaints]
email = ["complaints@test.invalid"]
[routes.admin]
email = ["admin@test.invalid"]
[alerts]
label_routes = {{ complaint = "complaints" }}
[[keyword_rules]]
name = "complaints"
label = "complaint"
words = ["disgraceful"]
[[accounts]]
name = "backlog"
connector = "replay"
path = "{backlog}"
batch_size = 500
poll_every = "2s"
backfill = "7d"
alert_on_backfill = true
""", encoding="utf-8")
    return config


def run_backlog(folder: Path, db_url: str, items: int, detectors: str = '["keywords"]',
                timeout: float = 600.0) -> BacklogRun:
    """Start the daemon on a backlog of items; return its peak memory once every item is processed and sent."""
    folder.mkdir(parents=True, exist_ok=True)
    backlog = folder / "backlog"
    due = write_backlog(backlog, items)
    daemon = Daemon(write_backlog_config(folder, db_url, backlog, detectors), folder / "daemon.log")
    started = time.monotonic()
    try:
        daemon.start()

        def done() -> bool:
            try:
                processed = query(db_url, "SELECT count(*) FROM items WHERE processed_at IS NOT NULL")[0][0]
                sent = query(db_url, "SELECT count(*) FROM outbox WHERE kind = 'alert' AND state = 'sent'")[0][0]
                pending = query(db_url, "SELECT count(*) FROM outbox WHERE state = 'pending'")[0][0]
            except Exception:  # noqa: BLE001 - the schema may not be there yet
                return False
            # The keyword rule's alerts at least; the other detectors may find a few more.
            return processed == items and sent >= due and pending == 0

        wait_for(lambda: done() or not daemon.alive(), timeout, f"{items} items processed")
        assert daemon.alive(), daemon.output()[-3000:]
        seconds = time.monotonic() - started
        peak = peak_rss_mb(daemon.process.pid)
        assert daemon.stop() == 0, daemon.output()[-3000:]
    finally:
        if daemon.alive():
            daemon.kill()
    stored = query(db_url, "SELECT count(*), count(DISTINCT external_id) FROM items")[0]
    assert stored == (items, items)
    keyword_alerts = query(db_url, "SELECT count(DISTINCT f.item_id) FROM findings f JOIN outbox o ON o.item_id = "
                                   "f.item_id WHERE f.detector = 'keywords' AND o.kind = 'alert'")[0][0]
    assert keyword_alerts == due
    assert "Traceback" not in daemon.output(), daemon.output()[-5000:]
    return BacklogRun(items, peak, seconds, due)


def reset_postgres(url: str) -> None:
    """Empty the PostgreSQL test database's schema."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def machine() -> str:
    """One line saying what this ran on."""
    return f"{os.cpu_count()} cores"
