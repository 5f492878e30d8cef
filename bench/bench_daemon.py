"""The daemon's own figures: alert_latency, idle_rss, backlog_peak_rss and graph_calls_per_cycle.

alert_latency: the real daemon (`run_monitor.py run`, a subprocess) watches the fake Graph server with
poll_every = "60s" and sends through a real SMTP server (aiosmtpd) on loopback. A comment's latency is the time
from the moment it appears on the fake Page to the moment the SMTP server has accepted its alert. Waiting for
one poll interval per comment would take many minutes, so within ONE poll interval several comments appear: one
immediately after the first poll read the feed (the worst case: it waits the whole 60 s) and others at random
phases of the interval (seeded); each is timed from its own appearance to its alert's arrival, and the figure is
the longest of them. The first poll also loads every detector's model (with a warm-up comment that alerts), so
the comments are classified by a daemon in its steady state. The SMTP server is watched every 20 ms, so the
figure is at most 20 ms late.

idle_rss: the same daemon's resident memory between two polls, after it has classified and alerted (every
detector enabled, models loaded).

backlog_peak_rss: the daemon's peak resident memory (VmHWM) working through 100,000 recorded items after an
outage (replay connector, batch_size 500, files of 2,000 items) on SQLite, every detector enabled.

graph_calls_per_cycle: the Facebook connector's Graph calls for one poll of a Page with 300 posts of which 3
have a new comment (the case of tests/connectors/test_facebook.py).
"""
from __future__ import annotations

import random
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.figures import figure  # noqa: E402

ALL_DETECTORS = '["keywords", "complaint", "confidential", "safeguarding", "abusive", "spam", "off_brand", "photo_consent"]'
BACKLOG_ITEMS = 100_000
SEED = 65


def _watch_smtp(server, seen: dict[str, float], stop: threading.Event) -> None:
    """Note when each Message-ID was first accepted by the SMTP server."""
    while not stop.is_set():
        with server.lock:
            for received in server.received:
                seen.setdefault(str(received.message["Subject"]), time.monotonic())
        stop.wait(0.02)


def alert_latency_and_idle_rss(folder: Path) -> tuple[float, float]:
    """Seconds from a new comment to its alert at the SMTP server (worst of several), and the idle RSS in MB."""
    from tests.reliability.books import current_rss_mb
    from tests.reliability.daemon_harness import PEOPLE, Daemon, World, wait_for, write_config

    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEED)
    world = World(rng).start()
    config = write_config(folder, world, poll_every="60s", extra="")
    text = config.read_text(encoding="utf-8").replace('enabled = ["keywords"]', f"enabled = {ALL_DETECTORS}")
    config.write_text(text.replace('streams = ["mentions"]', 'streams = ["mentions"]\nenabled = false'),
                      encoding="utf-8")
    daemon = Daemon(config, folder / "daemon.log")
    seen: dict[str, float] = {}
    stop = threading.Event()
    watcher = threading.Thread(target=_watch_smtp, args=(world.smtp, seen, stop), daemon=True)
    watcher.start()
    try:
        world.graph.add_post("104729318530001_1", "Our drop-in at Belper library is on Tuesday.",
                             datetime.now(timezone.utc) - timedelta(hours=1), {"id": "104729318530001",
                                                                                "name": "Healthwatch Derbyshire"})
        world.graph.add_comment("104729318530001_1", "1_warm", "The wait at the Royal was disgraceful (warm-up)",
                                datetime.now(timezone.utc) - timedelta(minutes=30), {"id": "6617104422009",
                                                                                     "name": "Warm Up"})
        daemon.start()
        wait_for(daemon.started, 120, "the daemon to start")
        # The worst case is a comment written just after a poll read the feed: start the interval there.
        wait_for(lambda: _feed_calls(world), 120, "the first poll")
        interval_start = time.monotonic()
        phases = sorted([0.0] + [rng.uniform(1.0, 55.0) for _ in range(3)])
        appeared: dict[str, float] = {}
        for index, phase in enumerate(phases):
            while time.monotonic() < interval_start + phase:
                time.sleep(0.01)
            person_id, name = PEOPLE[index % len(PEOPLE)]
            words = f"The discharge from the Royal was disgraceful, nobody told us anything (latency {index})"
            world.graph.add_comment("104729318530001_1", f"1_lat{index}", words, world._facebook_time(),
                                    {"id": person_id, "name": name})
            appeared[name] = time.monotonic()
        wait_for(lambda: all(any(name in subject for subject in seen) for name in appeared), 150,
                 "every latency comment's alert")
        assert any("Warm Up" in subject for subject in seen), "the first poll's alert never came"
        latencies = [min(t for subject, t in seen.items() if name in subject) - appeared[name] for name in appeared]
        # Between polls now: the next poll is about 60 s after the last one.
        time.sleep(5)
        idle = current_rss_mb(daemon.process.pid)
        daemon.stop()
        return max(latencies), idle
    finally:
        stop.set()
        if daemon.alive():
            daemon.kill()
        world.stop()


def _feed_calls(world) -> int:
    return sum(1 for _, path, _ in list(world.graph.calls) if path.endswith("/feed"))


def backlog_peak_rss(folder: Path) -> float:
    """The daemon's peak RSS in MB over a 100,000-item backlog on SQLite."""
    from tests.reliability.backlog_run import run_backlog

    run = run_backlog(folder, f"sqlite:///{folder / 'backlog.db'}", BACKLOG_ITEMS, detectors=ALL_DETECTORS,
                      timeout=600)
    return run.peak_rss_mb


def graph_calls_per_cycle() -> int:
    """Graph calls for one poll of 300 posts, 3 of them with a new comment."""
    from connectors.facebook import FacebookConnector
    from connectors.options import FacebookOptions
    from monitor.settings import AccountSettings
    from tests.connectors.fake_graph import PAGE_ID, PAGE_NAME, TOKEN, FakeGraph

    now = datetime.now(timezone.utc).replace(microsecond=0)
    page, owen = {"id": PAGE_ID, "name": PAGE_NAME}, {"id": "6617104422002", "name": "Owen Pargeter"}
    graph = FakeGraph()
    graph.start()
    try:
        for n in range(300):
            graph.add_post(f"{PAGE_ID}_{1000 + n}", f"Update number {n}", now - timedelta(hours=2 * n + 1), page)
        account = AccountSettings(name="hwd-facebook", connector="facebook", backfill=timedelta(days=7),
                                  options=FacebookOptions(page_id=PAGE_ID, access_token=TOKEN,
                                                          graph_url=graph.base_url, timeout=5.0))
        connector = FacebookConnector(account)
        cursor = None
        while True:
            batch = connector.fetch(cursor)
            cursor = batch.next_cursor
            if not batch.has_more:
                break
        graph.calls.clear()
        for n, post in ((5, 1005), (150, 1150), (290, 1290)):
            graph.add_comment(f"{PAGE_ID}_{post}", f"c{n}", "I had the same problem in Ilkeston.",
                              now - timedelta(minutes=n % 7 + 1), owen)
        found = []
        while True:
            batch = connector.fetch(cursor)
            found += [i.external_id for i in batch.items]
            cursor = batch.next_cursor
            if not batch.has_more:
                break
        assert sorted(found) == ["c150", "c290", "c5"], found
        return len(graph.calls)
    finally:
        graph.stop()


def main() -> None:
    """Print the four figures; the backlog runs beside the latency daemon, which mostly waits for its poll."""
    print(figure("graph_calls_per_cycle", graph_calls_per_cycle(), "calls", "<=", 10), flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        backlog: dict[str, float] = {}

        def work_through_backlog() -> None:
            backlog["peak"] = backlog_peak_rss(Path(tmp) / "backlog")

        worker = threading.Thread(target=work_through_backlog)
        worker.start()
        try:
            latency, idle = alert_latency_and_idle_rss(Path(tmp) / "latency")
            print(figure("alert_latency", latency, "s", "<=", 65, digits=1), flush=True)
            print(figure("idle_rss", idle, "MB", "<=", 250), flush=True)
        finally:
            worker.join()
        print(figure("backlog_peak_rss", backlog["peak"], "MB", "<=", 400), flush=True)


if __name__ == "__main__":
    main()
