"""Outages around the running daemon: the mail server down, the database locked, one platform failing in every way
it does. The daemon waits, keeps the other account going, tells the administrator once and loses nothing.

The mail server is down here for real seconds (retry_first 1 s); thirty minutes of simulated time with the
backoff schedule is tests/test_notifier.py. PostgreSQL restarted or stopped under the daemon, and X's 429 without
a reset time (a minute of backoff), are in tests/soak/test_outages_long.py (`make soak`).
"""
from __future__ import annotations

import random
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.reliability.books import ADMIN_OPENERS, admin_subjects, finish, query, settled
from tests.reliability.daemon_harness import ROOT, Daemon, World, wait_for, write_config


@pytest.fixture
def running(tmp_path: Path):
    """A world, and the daemon watching it with everything already settled once."""
    world = World(random.Random(9)).start()
    db_url = f"sqlite:///{tmp_path / 'monitor.db'}"
    daemon = Daemon(write_config(tmp_path, world, db_url=db_url), tmp_path / "daemon.log")
    try:
        world.grow(4)
        daemon.start()
        wait_for(daemon.started, 60, "the daemon to start")
        wait_for(lambda: settled(db_url, world), 60, "the first poll to settle")
        yield world, daemon, db_url
    finally:
        if daemon.alive():
            daemon.kill()
        world.stop()


def outbox_id(message_id: str) -> int:
    """The outbox row a Message-ID was made for (<hwd-monitor.ID.DIGEST@domain>)."""
    return int(message_id.split(".")[1])


def test_alerts_written_while_the_mail_server_is_down_arrive_afterwards_in_order_and_once(running):
    world, daemon, db_url = running
    before = len(world.message_ids())
    world.smtp.stop()
    world.grow(6, due=True)
    wait_for(lambda: query(db_url, "SELECT count(*) FROM outbox WHERE state = 'pending' AND failure = 'connection' "
                                   "AND attempts >= 2")[0][0] >= 1, 60, "the daemon to retry while the server is down")
    world.grow(4, due=True)
    def pending() -> int:
        return query(db_url, "SELECT count(*) FROM outbox WHERE state = 'pending'")[0][0]

    wait_for(lambda: pending() >= 10, 60, "all ten alerts queued")
    waiting = pending()
    world.smtp.start()
    finish(world, daemon, db_url)
    after = [outbox_id(m) for m in world.message_ids()[before:]]
    assert len(after) == waiting
    assert after == sorted(after), "a message overtook one queued before it"


def test_a_database_locked_by_another_writer_makes_the_daemon_wait_not_fail(running, tmp_path):
    world, daemon, db_url = running
    blocker = sqlite3.connect(tmp_path / "monitor.db", isolation_level=None)
    try:
        blocker.execute("BEGIN IMMEDIATE")  # the write lock, as a backup tool or a second process would hold it
        world.grow(6)
        time.sleep(4)  # the lock is held for a few seconds: the outage itself, not an assertion
        stored = set(query(db_url, "SELECT platform, external_id FROM items"))
        assert not (world.served_keys() <= stored), "nothing new can have been stored under the lock"
        assert daemon.alive()
    finally:
        blocker.rollback()
        blocker.close()
    finish(world, daemon, db_url)
    assert not query(db_url, "SELECT outcome FROM poll_runs WHERE outcome NOT IN ('ok', 'running')")


def resume_credentials(daemon: Daemon) -> None:
    """What the administrator does after renewing a token: `check-config --ping`."""
    done = subprocess.run([sys.executable, str(ROOT / "run_monitor.py"), "--config", str(daemon.config),
                           "check-config", "--ping"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("fault", ["html500", "stall", "malformed", "expired"])
def test_a_facebook_fault_gives_one_alert_and_one_recovery_while_x_carries_on(running, fault):
    world, daemon, db_url = running
    world.graph.stall_seconds = 6.0  # longer than the configured 3 s timeout
    if fault == "malformed":
        world.graph.malformed = 1
    else:
        world.graph.fail_next(fault)
    world.grow(1, platforms=("facebook",))
    opened = wait_for(lambda: [s for s in admin_subjects(world) if s.startswith(ADMIN_OPENERS)], 60,
                      "the administrator to be told")
    assert opened == [("Action needed: hwd-facebook can no longer be read" if fault == "expired"
                       else "Problem: hwd-facebook cannot be read at the moment")]
    world.grow(3, due=True, platforms=("twitter",))  # the other account, during the outage
    wait_for(lambda: {k for k in world.due if k[0] == "twitter"} <= set(query(db_url, "SELECT platform, "
             "external_id FROM items WHERE processed_at IS NOT NULL")), 60, "X to be read during the outage")
    if fault == "expired":
        resume_credentials(daemon)
    wait_for(lambda: "Recovered: hwd-facebook is being read again" in admin_subjects(world), 60, "the recovery")
    finish(world, daemon, db_url)
    assert admin_subjects(world) == opened + ["Recovered: hwd-facebook is being read again"]


def test_an_x_rate_limit_with_a_reset_time_pauses_x_only_until_then(running):
    world, daemon, db_url = running
    world.x.fail("mentions", 429, reset=time.time() + 3)
    world.grow(2, due=True, platforms=("twitter",))
    wait_for(lambda: "Problem: hwd-x cannot be read at the moment" in admin_subjects(world), 60, "the alert")
    world.grow(3, due=True, platforms=("facebook",))
    wait_for(lambda: "Recovered: hwd-x is being read again" in admin_subjects(world), 60, "the recovery")
    finish(world, daemon, db_url)
    assert admin_subjects(world) == ["Problem: hwd-x cannot be read at the moment",
                                     "Recovered: hwd-x is being read again"]
