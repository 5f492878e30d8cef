"""The full backlog of the issue: 100,000 items after an outage, every detector on, within 400 MB, on SQLite and
on PostgreSQL."""
from __future__ import annotations

import pytest

from tests.reliability.backlog_run import reset_postgres, run_backlog

ALL_DETECTORS = '["keywords", "complaint", "confidential", "safeguarding", "abusive", "spam", "off_brand", "photo_consent"]'


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_a_backlog_of_100000_items_is_worked_through_within_400_mb(database, tmp_path, request):
    if database == "sqlite":
        url = f"sqlite:///{tmp_path / 'backlog.db'}"
    else:
        url = request.getfixturevalue("postgres_database")
        reset_postgres(url)
    run = run_backlog(tmp_path / "run", url, 100_000, detectors=ALL_DETECTORS, timeout=1800)
    print(f"{database}: {run}")
    assert run.peak_rss_mb <= 400
