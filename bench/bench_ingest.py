"""ingest_rate and ingest_peak_rss: 10,000 replayed items through store, detectors, triage and outbox on SQLite.

The ingest figure covers everything up to the outbox rows being committed; writing the alerts out as .eml files
(one fsync each) is measured on its own as outbox_eml_rate, and fitting the learned policy heads (once per
process, when the daemon starts) as policy_model_fit_time.
"""
from __future__ import annotations

import json
import resource
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.figures import figure  # noqa: E402

ITEMS = 10_000
TEXTS = [
    "Waited 6 hours at A&E in Chesterfield, disgraceful",
    "Thank you for coming to the Buxton market stall, lovely to chat",
    "How do I find an NHS dentist taking new patients near Belper?",
    "My GP surgery never answers the phone at 8am, useless",
    "Shared with my mum's carers group",
    "Brilliant report on care homes, well done all",
    "I can't go on like this anymore",
    "Anyone know if the drop-in at Matlock library is on this week?",
]


def write_backlog(folder: Path) -> Path:
    start = datetime.now(timezone.utc)
    path = folder / "backlog.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for i in range(ITEMS):
            handle.write(json.dumps({
                "external_id": f"bench-{i}", "text": f"{TEXTS[i % len(TEXTS)]} #{i}", "kind": "comment",
                "author_id": f"person-{i % 700}", "author_name": f"Person {i % 700}",
                "created_at": (start + timedelta(seconds=i)).isoformat(),
            }) + "\n")
    return path


def main() -> None:
    """Time one poll of the whole backlog, its processing and the outbox, in this process."""
    from classifiers import policy_model
    from monitor.app import App
    from monitor.notifier import flush_outbox
    from monitor.pipeline import poll_account, process_pending
    from monitor.settings import load_settings

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        backlog = write_backlog(folder)
        config = folder / "bench.toml"
        demo = (Path(__file__).resolve().parents[1] / "config" / "demo.toml").read_text(encoding="utf-8")
        head = demo.split("[[accounts]]")[0]
        rules = "[[keyword_rules]]" + demo.split("[[keyword_rules]]", 1)[1]
        head = head.replace("var/demo/monitor.db", str(folder / "bench.db")).replace("var/demo", str(folder))
        config.write_text(head + f"""
[[accounts]]
name = "backlog"
connector = "replay"
path = "{backlog}"
alert_on_backfill = true

""" + rules, encoding="utf-8")
        app = App(load_settings(config))
        app.db  # migrations are not part of the figure
        started = time.perf_counter()
        policy_model.trained_model()  # fitted once when the daemon starts: its own figure, not part of ingest
        fitting = time.perf_counter() - started
        started = time.perf_counter()
        poll_account(app, app.settings.accounts[0])
        processed = process_pending(app)
        elapsed = time.perf_counter() - started
        started = time.perf_counter()
        sent = flush_outbox(app).sent
        sending = time.perf_counter() - started
        app.close()
    assert processed == ITEMS, processed
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(figure("policy_model_fit_time", fitting, "s", "<=", 30, digits=1))
    print(figure("ingest_rate", ITEMS / elapsed, "items/s", ">=", 1000))
    print(figure("ingest_peak_rss", peak_mb, "MB", "<=", 300))
    print(figure("outbox_eml_rate", sent / sending, "messages/s", ">=", 100))


if __name__ == "__main__":
    main()
