"""The poll job never lets an exception escape, keeps the account's health, and stops after an auth failure."""
from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

import connectors.registry as registry
from connectors.base import AuthError, RateLimited, TransientError
from monitor.health import daily_health_check, poll_job
from monitor.models import Account, OutboxMessage
from monitor.status import status_lines
from tests.fake_connector import FakeConnector, FakeOptions


@pytest.fixture
def fake_app(make_app, sqlite_url, monkeypatch):
    monkeypatch.setitem(registry.CONNECTORS, "fake", registry.ConnectorSpec("tests.fake_connector:FakeConnector", FakeOptions))
    FakeConnector.script, FakeConnector.calls = [], 0

    def build(token: str = "fake-token-1"):
        return make_app(sqlite_url, accounts=[{"name": "page", "connector": "fake", "token": token},
                                              {"name": "other", "connector": "replay", "path": "/nonexistent"}])
    return build


def admin_messages(app):
    with app.db.reading() as session:
        return list(session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "admin").order_by(OutboxMessage.id)))


def test_an_auth_failure_stops_that_account_with_one_alert_until_the_credentials_change(fake_app, caplog):
    app = fake_app()
    page = app.settings.accounts[0]
    FakeConnector.script = [AuthError("Error validating access token: session has expired (code 190)")] + [[]] * 5
    with caplog.at_level(logging.ERROR):
        assert poll_job(app, page) == "auth_failed"
    for _ in range(3):
        assert poll_job(app, page).startswith("stopped")
    assert FakeConnector.calls == 1, "no hammering after an auth failure"
    alerts = admin_messages(app)
    assert len(alerts) == 1 and alerts[0].urgent and "can no longer be read" in alerts[0].subject
    assert sum("is now auth failed" in r.getMessage() for r in caplog.records) == 1
    assert any("STOPPED" in line for line in status_lines(app))

    fixed = fake_app(token="fake-token-2")
    assert poll_job(fixed, fixed.settings.accounts[0]) == "ok"
    alerts = admin_messages(fixed)
    assert [a.subject for a in alerts][1:] == ["Recovered: page is being read again"]


def test_transient_failures_are_logged_when_health_changes_not_on_every_failure(fake_app, caplog):
    app = fake_app()
    page = app.settings.accounts[0]
    FakeConnector.script = [TransientError("HTTP 502")] * 3 + [[("1", "hello")]]
    with caplog.at_level(logging.WARNING):
        for _ in range(3):
            assert poll_job(app, page) == "failing"
        assert poll_job(app, page) == "ok"
    messages = [r.getMessage() for r in caplog.records]
    assert sum("is now failing" in m for m in messages) == 1
    assert sum("recovered" in m for m in messages) == 1


def test_a_rate_limit_pauses_the_account_until_the_time_given(fake_app):
    from datetime import datetime, timedelta, timezone

    app = fake_app()
    page = app.settings.accounts[0]
    FakeConnector.script = [RateLimited("slow down", retry_at=datetime.now(timezone.utc) + timedelta(hours=1))]
    assert poll_job(app, page) == "rate_limited"
    assert poll_job(app, page).startswith("paused until")
    assert FakeConnector.calls == 1


def test_an_unexpected_error_in_one_account_does_not_stop_another(fake_app):
    app = fake_app()
    FakeConnector.script = [KeyError("surprise")]
    assert poll_job(app, app.settings.accounts[0]) == "failing"
    assert poll_job(app, app.settings.accounts[1]) == "failing"  # its file is missing: reported, not raised
    FakeConnector.script = [[("2", "fine")]]
    assert poll_job(app, app.settings.accounts[0]) == "ok"


def test_the_daily_health_check_names_an_account_not_read_for_a_day(fake_app):
    from datetime import timedelta

    app = fake_app()
    FakeConnector.script = [[("1", "hello")]]
    poll_job(app, app.settings.accounts[0])
    poll_job(app, app.settings.accounts[1])
    with app.db.transaction() as session:
        for row in session.scalars(select(Account)):
            row.monitoring_started_at -= timedelta(days=2)
            if row.last_success_at:
                row.last_success_at -= timedelta(days=2)
    problems = daily_health_check(app)
    assert len(problems) == 2 and "other has not been read" in problems[1]
    daily_health_check(app)
    assert len([m for m in admin_messages(app) if m.subject.startswith("Monitor health")]) == 1


def test_a_successful_ping_lets_a_stopped_account_poll_again(fake_app):
    from monitor.commands.check_config import resume_after_auth_failure

    app = fake_app()
    page = app.settings.accounts[0]
    FakeConnector.script = [AuthError("token expired"), [("1", "back again")]]
    assert poll_job(app, page) == "auth_failed"
    assert poll_job(app, page).startswith("stopped")
    assert resume_after_auth_failure(app, page) is True
    assert poll_job(app, page) == "ok"
    assert [a.subject for a in admin_messages(app)][-1] == "Recovered: page is being read again"
    assert resume_after_auth_failure(app, page) is False


def test_a_spent_paid_allowance_pauses_the_account_with_one_administrator_alert(fake_app):
    from datetime import datetime, timedelta, timezone

    from connectors.base import QuotaExhausted

    app = fake_app()
    page = app.settings.accounts[0]
    tomorrow = datetime.now(timezone.utc) + timedelta(hours=10)
    FakeConnector.script = [QuotaExhausted("usage cap exceeded", retry_at=tomorrow)]
    assert poll_job(app, page) == "quota_exhausted"
    assert poll_job(app, page).startswith("paused until")
    alerts = admin_messages(app)
    assert len(alerts) == 1 and "paid API allowance" in alerts[0].subject
    assert any("PAUSED (paid API allowance used up)" in line for line in status_lines(app))
