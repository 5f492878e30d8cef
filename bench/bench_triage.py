"""triage_rate and escalation_scan_time: deciding on items (cases, drafts, alerts) and the case watcher's scan.

triage_rate: items decided per second inside the pipeline's kind of transaction (one per 500 items), on SQLite,
with a mix of complaints, questions, safeguarding, personal data and nothing at all. escalation_scan_time: one
watcher run over the ~3,300 cases that opened, every target missed (the worst case: an office away for a month).
"""
from __future__ import annotations

import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.figures import figure  # noqa: E402

ITEMS = 5_000
CHUNK = 500
START = datetime(2026, 11, 16, 9, 0, tzinfo=timezone.utc)


def main() -> None:
    from classifiers.base import Finding, Span
    from monitor.app import App
    from monitor.escalation import escalate_overdue
    from monitor.models import Account, Base, StoredItem
    from monitor.outbox import enqueue_many
    from monitor.settings import settings_from_dict
    from monitor.triage import decide

    folder = Path(tempfile.mkdtemp(prefix="bench-triage-"))
    settings = settings_from_dict({
        "database": {"url": f"sqlite:///{folder / 'monitor.db'}"},
        "routes": {"comms": {"email": ["comms@bench.invalid"]},
                   "complaints": {"email": ["complaints@bench.invalid"], "escalation": ["chief@bench.invalid"]},
                   "safeguarding": {"email": ["safeguarding@bench.invalid"]}, "admin": {"email": ["a@bench.invalid"]}},
        "alerts": {"label_routes": {"complaint": "complaints", "safeguarding": "safeguarding"}},
    })
    app = App(settings, migrate=False)
    Base.metadata.create_all(app.db.engine)
    mix = [
        ("Nobody replied to my email about the survey", [Finding("complaint", 0.9, "c", "1", target="hwd")]),
        ("Six hours at A&E, disgraceful", [Finding("complaint", 0.9, "c", "1", target="service")]),
        ("When is the Buxton stall?", [Finding("question", 0.8, "q", "1")]),
        ("i cant go on", [Finding("safeguarding", 0.9, "s", "1")]),
        ("ring me on 07700 900123", [Finding("confidential", 0.9, "p", "1", spans=(Span("PHONE", 11, 23),))]),
        ("lovely day at the fair", []),
    ]
    with app.db.transaction() as session:
        account = Account(name="bench", connector="replay", notices={})
        session.add(account)
        session.flush()
        session.add_all(StoredItem(platform="facebook", external_id=f"i{n}", account_id=account.id, kind="comment",
                                   text=mix[n % len(mix)][0], author_name=f"Person {n}", media=[], own=False,
                                   quiet=False, created_at=START + timedelta(minutes=n)) for n in range(ITEMS))
    started = time.perf_counter()
    for first in range(0, ITEMS, CHUNK):
        with app.db.transaction() as session:
            rows = session.query(StoredItem).order_by(StoredItem.id).offset(first).limit(CHUNK).all()
            messages = []
            for row in rows:
                messages.extend(decide(session, settings, row, mix[(row.id - 1) % len(mix)][1]))
            enqueue_many(session, messages)
    rate = ITEMS / (time.perf_counter() - started)
    print(figure("triage_rate", rate, "items/s", ">=", 300))
    started = time.perf_counter()
    escalate_overdue(app, now=START + timedelta(days=60))
    print(figure("escalation_scan_time", time.perf_counter() - started, "s", "<=", 30, digits=2))
    app.close()


if __name__ == "__main__":
    main()
