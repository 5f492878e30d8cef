"""The daemon's scheduler: APScheduler jobs rebuilt from the configuration at start, stopped by a signal."""
from __future__ import annotations

import logging
import signal
from threading import Event
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from monitor.digest import digest_job
from monitor.escalation import escalation_job
from monitor.health import DATABASE_DOWN, daily_health_check, database_problem, poll_job
from monitor.staleness import stale_account_job
from monitor.notifier import flush_outbox
from monitor.retention import retention_job

if TYPE_CHECKING:  # pragma: no cover
    from monitor.app import App

log = logging.getLogger(__name__)


def build_scheduler(app: "App", stop: Event) -> BackgroundScheduler:
    """A scheduler with one poll job per enabled account, the outbox drain and the daily health check."""
    settings = app.settings
    zone = ZoneInfo(settings.organisation.timezone)
    scheduler = BackgroundScheduler(
        timezone=zone,
        job_defaults={
            "coalesce": True,
            "max_instances": 1,
            "misfire_grace_time": int(settings.schedule.misfire_grace.total_seconds()),
        },
    )
    for account in settings.accounts:
        if not account.enabled:
            continue
        scheduler.add_job(
            poll_job, IntervalTrigger(seconds=account.poll_every.total_seconds(), timezone=zone),
            args=[app, account, stop], id=f"poll:{account.name}", name=f"poll {account.name}",
            replace_existing=True, next_run_time=_now(zone),
        )
    scheduler.add_job(
        _drain_outbox, IntervalTrigger(seconds=settings.schedule.outbox_every.total_seconds(), timezone=zone),
        args=[app, stop], id="outbox", name="send the outbox", replace_existing=True,
    )
    digest = settings.digest
    scheduler.add_job(
        digest_job, CronTrigger(day_of_week=digest.day, hour=digest.at.hour, minute=digest.at.minute, timezone=zone),
        args=[app], id="digest", name="weekly digest", replace_existing=True,
        next_run_time=_now(zone),  # at start: sends a digest missed while the monitor was down, within the grace
    )
    scheduler.add_job(
        stale_account_job,
        CronTrigger(day_of_week="mon-sun", hour=digest.stale_check_at.hour, minute=digest.stale_check_at.minute,
                    timezone=zone),
        args=[app], id="stale-accounts", name="up-to-date check (policy 1.4)", replace_existing=True,
    )
    scheduler.add_job(
        escalation_job, IntervalTrigger(minutes=5, timezone=zone), args=[app, stop], id="cases",
        name="case watcher: escalations and reminders", replace_existing=True,
    )
    scheduler.add_job(
        retention_job, CronTrigger(day_of_week="mon-sun", hour=3, minute=30, timezone=zone), args=[app],
        id="retention", name="retention purge", replace_existing=True,
    )
    at = settings.schedule.health_check_at
    scheduler.add_job(
        daily_health_check, CronTrigger(day_of_week="mon-sun", hour=at.hour, minute=at.minute, timezone=zone),
        args=[app], id="health", name="daily health check", replace_existing=True,
    )
    return scheduler


def _now(zone: ZoneInfo):
    from datetime import datetime

    return datetime.now(zone)


def _drain_outbox(app: "App", stop: Event) -> None:
    try:
        flush_outbox(app, stop=stop)
    except DATABASE_DOWN as exc:
        log.warning("sending the outbox waits for the database (%s)", database_problem(exc))
    except Exception:  # noqa: BLE001 - the drain runs again at the next interval
        log.exception("sending the outbox failed; it will be retried")


def run_daemon(app: "App", stop: Event | None = None) -> int:
    """Run the scheduler until SIGTERM or SIGINT, then stop cleanly; return the exit code."""
    stop = stop or Event()
    app.db  # migrate before the first job runs
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    scheduler = build_scheduler(app, stop)
    scheduler.start()
    names = ", ".join(a.name for a in app.settings.accounts if a.enabled) or "no accounts"
    log.info("monitor started: watching %s", names)
    try:
        while not stop.wait(timeout=1.0):
            pass
    finally:
        log.info("stopping: letting running jobs finish")
        scheduler.shutdown(wait=True)
        app.close()
    log.info("monitor stopped")
    return 0
