"""The schedule: one poll job per enabled account at its interval, the outbox drain, the daily health check."""
from __future__ import annotations

from threading import Event

from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from monitor.scheduler import build_scheduler


def test_jobs_are_built_from_the_configuration_with_fixed_ids(make_app, sqlite_url, tmp_path):
    app = make_app(sqlite_url, accounts=[
        {"name": "page", "connector": "replay", "path": str(tmp_path), "poll_every": "2m"},
        {"name": "x", "connector": "replay", "path": str(tmp_path), "poll_every": "5m"},
        {"name": "retired", "connector": "replay", "path": str(tmp_path), "enabled": False},
    ], schedule={"health_check_at": "07:30:00", "outbox_every": "30s"})
    scheduler = build_scheduler(app, Event())
    scheduler.start(paused=True)  # job defaults are applied when the scheduler starts
    try:
        jobs = {job.id: job for job in scheduler.get_jobs()}
    finally:
        scheduler.shutdown(wait=False)
    assert set(jobs) == {"poll:page", "poll:x", "outbox", "health", "digest", "stale-accounts", "cases", "retention"}
    assert "day_of_week='mon'" in str(jobs["digest"].trigger) and "hour='8'" in str(jobs["digest"].trigger)
    assert jobs["poll:page"].trigger.interval.total_seconds() == 120
    assert jobs["poll:x"].trigger.interval.total_seconds() == 300
    assert isinstance(jobs["outbox"].trigger, IntervalTrigger) and jobs["outbox"].trigger.interval.total_seconds() == 30
    health = jobs["health"].trigger
    assert isinstance(health, CronTrigger) and str(health.timezone) == "Europe/London"
    assert "hour='7'" in str(health) and "minute='30'" in str(health) and "day_of_week='mon-sun'" in str(health)
    assert all(job.misfire_grace_time == 900 and job.coalesce and job.max_instances == 1 for job in jobs.values())


def test_no_daily_job_may_sit_in_the_hour_the_clocks_change():
    import pytest

    from monitor.errors import ConfigError
    from monitor.settings import settings_from_dict

    with pytest.raises(ConfigError, match="between 01:00 and 02:00"):
        settings_from_dict({"schedule": {"health_check_at": "01:30:00"}})
