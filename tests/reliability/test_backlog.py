"""A backlog after an outage is worked through by the daemon with memory that does not grow with the backlog,
on SQLite and on PostgreSQL. (The 100,000-item figure, backlog_peak_rss, is in bench/bench_daemon.py.)"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.reliability.backlog_run import reset_postgres, run_backlog
from tests.reliability.daemon_harness import ROOT

SMALL, LARGE = 5_000, 20_000
MARGIN_MB = 25.0  # generous: about eight times the noise seen between runs; a backlog held in memory is more


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_a_backlog_four_times_larger_needs_no_more_memory(database, tmp_path, request):
    runs = []
    for items in (SMALL, LARGE):
        if database == "sqlite":
            url = f"sqlite:///{tmp_path / f'backlog-{items}.db'}"
        else:
            url = request.getfixturevalue("postgres_database")
            reset_postgres(url)
        runs.append(run_backlog(tmp_path / f"run-{items}", url, items))
    small, large = runs
    print(f"{database}: peak RSS {small.peak_rss_mb:.0f} MB for {SMALL} items, {large.peak_rss_mb:.0f} MB for {LARGE}")
    assert large.alerts > small.alerts > 0
    assert large.peak_rss_mb <= small.peak_rss_mb + MARGIN_MB


def drain_peak_mb(folder: Path, count: int) -> float:
    """Fill an outbox with count pending alerts in one process, drain it in another; the drain's peak RSS."""
    folder.mkdir()
    for mode in ("fill", "flush"):
        done = subprocess.run([sys.executable, "-m", "tests.reliability.outbox_probe", mode, str(count), str(folder)],
                              cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
    return float(done.stdout.strip())


def test_an_outbox_backlog_after_a_mail_outage_is_drained_without_holding_it_in_memory(tmp_path):
    small, large = drain_peak_mb(tmp_path / "small", 1_000), drain_peak_mb(tmp_path / "large", 4_000)
    print(f"outbox drain: peak RSS {small:.0f} MB for 1000 alerts, {large:.0f} MB for 4000")
    assert large <= small + MARGIN_MB
