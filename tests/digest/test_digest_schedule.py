"""The scheduled digest (once per week, a missed one sent within the grace period) and the up-to-date check."""
from __future__ import annotations

from sqlalchemy import select

from monitor.digest import digest_job, scheduled_before
from monitor.models import OutboxMessage
from monitor.staleness import stale_account_job
from tests.digest.known_week import _item, at, build_known_week, digest_app


def _digests(app) -> list[tuple[str, str]]:
    with app.db.reading() as session:
        rows = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "digest").order_by(OutboxMessage.id))
        return [(r.dedupe_key, r.state) for r in rows]


def test_the_digest_is_due_at_the_configured_day_and_time_in_uk_time(tmp_path, sqlite_url):
    app = digest_app(tmp_path, sqlite_url, digest={"day": "mon", "at": "08:00:00"})
    assert scheduled_before(app.settings, at(23, 8)).isoformat() == "2026-11-23T08:00:00+00:00"
    assert scheduled_before(app.settings, at(23, 7, 59)).isoformat() == "2026-11-16T08:00:00+00:00"
    # In summer 08:00 UK time is 07:00 UTC.
    assert scheduled_before(app.settings, at(6, 7, 30, month=7)).isoformat() == "2026-07-06T08:00:00+01:00"
    app.close()


def test_a_digest_missed_while_the_daemon_was_down_is_sent_once_and_never_twice_per_week(tmp_path, sqlite_url):
    app = digest_app(tmp_path, sqlite_url, digest={"grace": "3d"})
    build_known_week(app)
    # Down over Monday 08:00; back on Tuesday morning, restarted twice, then the job fires on every start.
    assert digest_job(app, now=at(23, 7)).startswith("2026-W46")  # before the time: last week's slot, long gone
    assert digest_job(app, now=at(24, 10)) == "2026-W47: sent"
    assert digest_job(app, now=at(24, 10, 5)) == "2026-W47: already sent"
    assert digest_job(app, now=at(25, 18)) == "2026-W47: already sent"
    assert digest_job(app, now=at(30, 8)) == "2026-W48: sent"
    assert digest_job(app, now=at(30, 8, 1)) == "2026-W48: already sent"
    assert _digests(app) == [("digest:2026-W47", "sent"), ("digest:2026-W48", "sent")]
    written = sorted(p.name for p in (tmp_path / "outbox").glob("*-digest.eml"))
    assert len(written) == 2
    app.close()


def test_a_digest_missed_for_longer_than_the_grace_period_is_not_sent_late(tmp_path, sqlite_url):
    app = digest_app(tmp_path, sqlite_url, digest={"grace": "1d"})
    build_known_week(app)
    assert digest_job(app, now=at(24, 9)).startswith("2026-W47: too late")
    assert _digests(app) == []
    app.close()


def test_an_account_without_an_own_post_for_the_configured_days_is_reported_once_per_lapse(tmp_path, sqlite_url):
    app = digest_app(tmp_path, sqlite_url, digest={"stale_after_days": 14})
    build_known_week(app)
    # The X account last posted on 2 November; Facebook on 16 November.
    assert stale_account_job(app, now=at(26, 9)) == ["hwd-x"]
    assert stale_account_job(app, now=at(27, 9)) == []
    with app.db.transaction() as session:
        from monitor.models import Account

        x = session.scalar(select(Account).where(Account.name == "hwd-x"))
        _item(session, x, "x-own-new", at(28, 10), "Our winter survey is open", kind="post", own=True)
    assert stale_account_job(app, now=at(29, 9)) == []
    # A new lapse: quiet again for 14 days after the new post, and Facebook is stale by now too.
    assert stale_account_job(app, now=at(12, 11, month=12)) == ["hwd-facebook", "hwd-x"]
    with app.db.reading() as session:
        stale = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "stale")).all()
    assert len(stale) == 3 and {r.route for r in stale} == {"comms"}
    assert all("policy (1.4)" in r.body_text for r in stale)
    app.close()


def test_an_account_that_never_posted_is_stale_counted_from_when_monitoring_began(tmp_path, sqlite_url):
    app = digest_app(tmp_path, sqlite_url)
    with app.db.transaction() as session:
        from monitor.models import Account

        session.add(Account(name="hwd-x", connector="twitter", monitoring_started_at=at(1, 9)))
    assert stale_account_job(app, now=at(14, 9)) == []
    assert stale_account_job(app, now=at(15, 9)) == ["hwd-x"]
    app.close()


def test_no_digest_is_sent_for_a_week_before_monitoring_began(tmp_path, sqlite_url):
    from monitor.models import Account

    app = digest_app(tmp_path, sqlite_url, digest={"grace": "3d"})
    build_known_week(app)
    with app.db.transaction() as session:
        for account in session.scalars(select(Account)):
            account.monitoring_started_at = at(23, 7)  # first started on the Monday the W47 digest is due
    assert digest_job(app, now=at(23, 8, 5)) == "2026-W47: not sent (monitoring began after that week)"
    assert _digests(app) == []
    app.close()
