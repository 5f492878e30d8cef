"""Outages too slow or too intrusive for CI: the machine's PostgreSQL restarted under the daemon, and an X rate
limit without a reset time (the connector backs off for a minute)."""
from __future__ import annotations

import random
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import _postgres_reachable
from tests.reliability.backlog_run import reset_postgres
from tests.reliability.books import admin_subjects, finish, settled
from tests.reliability.daemon_harness import Daemon, World, wait_for, write_config


def pg_ctlcluster(action: str) -> subprocess.CompletedProcess:
    """Run pg_ctlcluster on the machine's own cluster (the one the tests use)."""
    version = max(p.name for p in Path("/etc/postgresql").iterdir())
    return subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action],
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def postgres_comes_back():
    """Whatever happens in the test, PostgreSQL is running again afterwards."""
    yield
    if _postgres_reachable() is not None:
        pg_ctlcluster("start")
    wait_for(lambda: _postgres_reachable() is None, 60, "PostgreSQL to be up again")


def start_world(tmp_path: Path, db_url: str) -> tuple[World, Daemon]:
    world = World(random.Random(31)).start()
    daemon = Daemon(write_config(tmp_path, world, db_url=db_url), tmp_path / "daemon.log")
    world.grow(4)
    daemon.start()
    wait_for(daemon.started, 60, "the daemon to start")
    wait_for(lambda: settled(db_url, world), 60, "the first poll to settle")
    return world, daemon


def test_a_postgresql_restart_makes_the_daemon_wait_and_resume(tmp_path, postgres_database, postgres_comes_back):
    reset_postgres(postgres_database)
    world, daemon = start_world(tmp_path, postgres_database)
    try:
        world.grow(3, due=True)
        done = pg_ctlcluster("restart")
        assert done.returncode == 0, done.stderr
        world.grow(5, due=True)
        finish(world, daemon, postgres_database)
    finally:
        if daemon.alive():
            daemon.kill()
        world.stop()


def test_a_postgresql_stopped_for_a_while_makes_the_daemon_wait_and_resume(tmp_path, postgres_database,
                                                                          postgres_comes_back):
    reset_postgres(postgres_database)
    world, daemon = start_world(tmp_path, postgres_database)
    try:
        done = pg_ctlcluster("stop")
        assert done.returncode == 0, done.stderr
        world.grow(5, due=True)
        time.sleep(8)  # several poll cycles with no database: the outage itself, not an assertion
        assert daemon.alive()
        done = pg_ctlcluster("start")
        assert done.returncode == 0, done.stderr
        finish(world, daemon, postgres_database)
    finally:
        if daemon.alive():
            daemon.kill()
        world.stop()


def test_an_x_rate_limit_without_a_reset_time_backs_off_and_recovers(tmp_path):
    world, daemon = start_world(tmp_path, f"sqlite:///{tmp_path / 'monitor.db'}")
    db_url = f"sqlite:///{tmp_path / 'monitor.db'}"
    try:
        world.x.fail("mentions", 429)
        world.grow(2, due=True, platforms=("twitter",))
        wait_for(lambda: "Problem: hwd-x cannot be read at the moment" in admin_subjects(world), 120, "the alert")
        world.grow(3, due=True, platforms=("facebook",))
        wait_for(lambda: "Recovered: hwd-x is being read again" in admin_subjects(world), 400, "the recovery")
        finish(world, daemon, db_url)
        assert admin_subjects(world) == ["Problem: hwd-x cannot be read at the moment",
                                         "Recovered: hwd-x is being read again"]
    finally:
        if daemon.alive():
            daemon.kill()
        world.stop()
