"""Rounds of grow-the-platforms, start-the-daemon, SIGKILL-it-at-a-random-moment; then the books are checked."""
from __future__ import annotations

import random
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from tests.reliability.books import query, settled, unsettled
from tests.reliability.daemon_harness import Daemon, World, wait_for, write_config

CRASHPOINTS = ["after_fetch", "after_store", "after_detect", "after_triage", "after_send"]


@dataclass
class CrashReport:
    """What the rounds did and what came out."""

    rounds: int
    kills: int
    crashpoint_deaths: int
    items_served: int
    alerts_sent: int
    messages_received: int
    resent_same_id: int  # re-sent after a kill between the SMTP server's "250" and the database's "sent"


def run_crash_rounds(folder: Path, rounds: int, seed: int, db_url: str | None = None) -> CrashReport:
    """Run the rounds, let the daemon finish in peace, check every item and alert; return the counts."""
    rng = random.Random(seed)
    world = World(rng).start()
    db_url = db_url or f"sqlite:///{folder / 'monitor.db'}"
    daemon = Daemon(write_config(folder, world, db_url=db_url), folder / "daemon.log")
    kills = crashpoint_deaths = 0
    try:
        world.grow(6)
        for _ in range(rounds):
            world.grow(rng.randint(0, 4))
            crash_at = rng.choice(CRASHPOINTS) if rng.random() < 0.25 else None
            daemon.start(crash_at=crash_at)
            wait_for(lambda: daemon.started() or not daemon.alive(), 60, "the daemon to start")
            # The random moment: anywhere in the next few poll cycles (polls run every second).
            deadline = time.monotonic() + rng.uniform(0.0, 2.5)
            while time.monotonic() < deadline and daemon.alive():
                if rng.random() < 0.3:
                    world.grow(1)  # content also appears while the daemon is in the middle of a poll
                time.sleep(rng.uniform(0.05, 0.4))
            if daemon.alive():
                daemon.kill()
                kills += 1
            else:
                code = daemon.kill()
                assert code == -9, f"the daemon exited by itself with {code}:\n{daemon.output()[-3000:]}"
                crashpoint_deaths += 1
        daemon.start()
        wait_for(daemon.started, 60, "the daemon to start for the last time")
        try:
            wait_for(lambda: settled(db_url, world), 90, "every item stored and every alert sent after the last restart")
        except AssertionError as exc:
            raise AssertionError(f"{exc}\n{unsettled(db_url, world)}\n{daemon.output()[-3000:]}") from None
        assert daemon.stop() == 0, daemon.output()[-3000:]
        return _check(db_url, world, daemon, rounds, kills, crashpoint_deaths)
    finally:
        if daemon.alive():
            daemon.kill()
        world.stop()


def _check(db_url: str, world: World, daemon: Daemon, rounds: int, kills: int, deaths: int) -> CrashReport:
    served = world.served_keys()
    stored = Counter((p, e) for p, e in query(db_url, "SELECT platform, external_id FROM items"))
    assert set(stored) == served, f"missing {served - set(stored)}, unexpected {set(stored) - served}"
    assert max(stored.values()) == 1

    outbox = query(db_url, "SELECT o.kind, o.state, o.message_id, i.platform, i.external_id FROM outbox o "
                           "LEFT JOIN items i ON i.id = o.item_id")
    assert {state for _, state, *_ in outbox} == {"sent"}
    alerted = Counter((platform, external_id) for kind, _, _, platform, external_id in outbox if kind == "alert")
    due = {key for key, is_due in world.due.items() if is_due}
    assert set(alerted) == due, f"no alert for {due - set(alerted)}; alerts not due for {set(alerted) - due}"
    assert max(alerted.values(), default=1) == 1

    sent_ids = Counter(message_id for _, _, message_id, _, _ in outbox)
    received = Counter(world.message_ids())
    assert max(sent_ids.values()) == 1
    assert set(received) == set(sent_ids), "the mail server's log and the outbox disagree"
    resent = sum(count - 1 for count in received.values())
    assert resent <= kills, "more re-sends than kills: something other than the send window sends twice"
    assert "Traceback" not in daemon.output(), daemon.output()[-5000:]
    return CrashReport(rounds, kills, deaths, len(served), len(sent_ids), sum(received.values()), resent)
