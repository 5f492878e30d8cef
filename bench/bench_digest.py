"""digest_year_time: the weekly digest of one week over a year of data (250,000 items) on SQLite.

The year's database is built with bulk inserts first (its build time goes to stderr, untimed); the figure is the
whole digest of one week: the queries, the themes, the charts, the templates and the CSS inlining.
"""
from __future__ import annotations

import random
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.figures import figure  # noqa: E402

ITEMS = 250_000
YEAR_START = datetime(2025, 11, 24, tzinfo=timezone.utc)  # a Monday; the year runs to 2026-11-23
TEXTS = [
    ("Waited 6 hours at A&E at the Royal Derby, disgraceful", "complaint", "service"),
    ("Thank you for coming to the Buxton market stall, lovely to chat", "praise", None),
    ("How do I find an NHS dentist taking new patients near Belper?", "question", None),
    ("My GP surgery never answers the phone at 8am, still waiting for a call back", "complaint", "service"),
    ("Nobody from Healthwatch replied to my email about the survey", "complaint", "hwd"),
    ("The pharmacy in Ripley has had no meds for three weeks", "complaint", "service"),
    ("Mum was discharged from Chesterfield Royal with no care package", "complaint", "service"),
    ("The crisis team at the Radbourne Unit were kind and listened", "praise", None),
    ("Ambulance took four hours, EMAS are stretched", "complaint", "service"),
    ("Anyone know if the drop-in at Matlock library is on this week?", None, None),
    ("Crypto giveaway, send your bank details now", "spam", None),
    ("My neighbour is left on his own with no food in the house", "safeguarding", None),
    ("Call me on 07700 900123 about my results", "confidential", None),
]


def build_year(url: str) -> tuple[float, int]:
    """Fill a fresh database with a year of items, findings, cases, labels and poll runs; return (seconds, items)."""
    from sqlalchemy import insert

    from monitor.db import Database
    from monitor.models import Account, Base, Case, Label, PollRun, StoredFinding, StoredItem

    started = time.perf_counter()
    rng = random.Random(47)
    database = Database(url)
    Base.metadata.create_all(database.engine)
    seconds_per_item = 365 * 24 * 3600 / ITEMS
    with database.transaction() as session:
        session.execute(insert(Account), [
            {"id": 1, "name": "hwd-facebook", "connector": "facebook", "state": "ok", "monitoring_started_at": YEAR_START},
            {"id": 2, "name": "hwd-x", "connector": "twitter", "state": "ok", "monitoring_started_at": YEAR_START},
        ])
        items, findings, cases = [], [], []
        for n in range(ITEMS):
            text, label, target = TEXTS[rng.randrange(len(TEXTS))]
            created = YEAR_START + timedelta(seconds=n * seconds_per_item)
            account = 1 + (n % 3 == 0)
            own = n % 40 == 0
            items.append({"id": n + 1, "platform": "facebook" if account == 1 else "twitter", "external_id": f"b{n}",
                          "account_id": account, "kind": "post" if own else "comment", "text": f"{text} #{n}",
                          "created_at": created, "fetched_at": created, "own": own, "author_id": f"p{n % 900}",
                          "author_name": f"Person {n % 900}", "processed_at": created, "media": []})
            if label and not own:
                spans = [{"type": "PHONE", "start": 11, "end": 23}] if label == "confidential" else []
                findings.append({"item_id": n + 1, "label": label, "score": 0.9, "detector": "bench",
                                 "detector_version": "1", "target": target, "spans": spans, "evidence": "",
                                 "created_at": created})
                if label == "complaint":
                    answered = created + timedelta(hours=rng.choice((2, 20, 60)))
                    cases.append({"item_id": n + 1, "kind": "complaint" if target == "hwd" else "feedback",
                                  "route": "complaints", "state": "responded", "opened_at": created,
                                  "first_response_due": created + timedelta(days=1), "responded_at": answered,
                                  "resolved_at": answered + timedelta(days=3) if n % 7 else None, "history": []})
        session.execute(insert(StoredItem), items)
        session.execute(insert(StoredFinding), findings)
        session.execute(insert(Case), cases)
        session.execute(insert(Label), [
            {"item_id": f["item_id"], "text": "", "labels": [f["label"]], "given_by": "officer",
             "created_at": items[f["item_id"] - 1]["created_at"] + timedelta(hours=3)} for f in findings[::25]
        ])
        runs = []
        moment = YEAR_START
        while moment < YEAR_START + timedelta(days=365):
            for account in (1, 2):
                runs.append({"account_id": account, "started_at": moment, "finished_at": moment + timedelta(seconds=2),
                             "reads": 3 if account == 2 else 0, "outcome": "ok"})
            moment += timedelta(minutes=10)
        session.execute(insert(PollRun), runs)
    database.dispose()
    return time.perf_counter() - started, len(items)


def main() -> None:
    """Build the year, then time the digest of its last complete week."""
    from zoneinfo import ZoneInfo

    from monitor.app import App
    from monitor.digest import compose_digest
    from monitor.digest_week import last_complete_week
    from monitor.settings import settings_from_dict

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'year.db'}"
        build_seconds, count = build_year(url)
        print(f"built a year of {count} items in {build_seconds:.1f} s", file=sys.stderr)
        demo = settings_from_dict({"database": {"url": url}})
        services = __import__("tomllib").loads((Path(__file__).resolve().parents[1] / "config/demo.toml").read_text())
        settings = demo.model_copy(update={"services": services.get("services", [])})
        app = App(settings, migrate=False)
        week = last_complete_week(YEAR_START + timedelta(days=365), ZoneInfo("Europe/London"))
        started = time.perf_counter()
        digest = compose_digest(app, week)
        elapsed = time.perf_counter() - started
        app.close()
        print(f"digest of {week.label}: {digest.data.total} items that week, {len(digest.body_html)} bytes of HTML",
              file=sys.stderr)
    print(figure("digest_year_time", elapsed, "s", "<=", 5, digits=2))


if __name__ == "__main__":
    main()
