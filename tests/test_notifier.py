"""The notifier against a real SMTP server: sent once, in order, retried after an outage, headers inert."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from monitor.models import OutboxMessage, StoredItem, utcnow
from monitor.notifier import flush_outbox
from monitor.outbox import enqueue, enqueue_many
from monitor.triage import decide
from classifiers.base import Finding
from tests.smtp_server import RecordingSMTPServer


def smtp_app(make_app, url, server, **smtp):
    return make_app(url, smtp={"host": "127.0.0.1", "port": server.port, "security": "plain",
                               "sender": "Monitor <monitor@test.invalid>", "timeout": "5s", **smtp})


def queue(app, n: int, route: str = "comms") -> None:
    with app.db.transaction() as session:
        for i in range(n):
            enqueue(session, app.settings, dedupe_key=f"test:{i}", kind="alert", route=route,
                    subject=f"Alert {i}", body_text=f"Body {i}\n", body_html=f"<p>Body {i}</p>")


def test_each_message_is_sent_once_with_text_and_html(make_app, sqlite_url, smtp_server):
    app = smtp_app(make_app, sqlite_url, smtp_server)
    queue(app, 3)
    assert flush_outbox(app).sent == 3
    assert flush_outbox(app).sent == 0
    assert smtp_server.subjects() == ["Alert 0", "Alert 1", "Alert 2"]
    first = smtp_server.received[0]
    assert first.rcpt_tos == ["comms@test.invalid"]
    assert {p.get_content_type() for p in first.message.walk()} >= {"text/plain", "text/html"}
    assert first.message["Message-ID"].startswith("<hwd-monitor.1.")


def test_the_smtp_login_is_used_when_configured(make_app, sqlite_url):
    server = RecordingSMTPServer(username="monitor", password="s3cret-pass")
    server.start()
    try:
        app = smtp_app(make_app, sqlite_url, server, username="monitor", password="s3cret-pass")
        queue(app, 1)
        assert flush_outbox(app).sent == 1
        wrong = smtp_app(make_app, sqlite_url.replace("monitor.db", "other.db"), server, username="monitor",
                         password="wrong")
        queue(wrong, 1)
        result = flush_outbox(wrong)
        assert result.sent == 0 and result.held
    finally:
        server.stop()
    assert len(server.received) == 1


def test_an_smtp_outage_loses_nothing_and_keeps_the_order(make_app, sqlite_url, smtp_server):
    app = smtp_app(make_app, sqlite_url, smtp_server)
    smtp_server.stop()
    queue(app, 4)
    start = utcnow()
    for minute in range(0, 30, 2):  # thirty minutes of simulated time with the server down
        assert flush_outbox(app, now=start + timedelta(minutes=minute)).sent == 0
    with app.db.reading() as session:
        waiting = list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
    assert [m.state for m in waiting] == ["pending"] * 4
    assert waiting[0].attempts > 1 and waiting[0].failure == "connection"
    assert all(m.attempts == 0 for m in waiting[1:]), "nothing overtakes the message waiting for the server"
    smtp_server.start()
    assert flush_outbox(app, now=start + timedelta(hours=2)).sent == 4
    assert flush_outbox(app, now=start + timedelta(hours=3)).sent == 0
    assert smtp_server.subjects() == ["Alert 0", "Alert 1", "Alert 2", "Alert 3"]


def test_retries_back_off_exponentially(make_app, sqlite_url, smtp_server):
    app = smtp_app(make_app, sqlite_url, smtp_server)
    smtp_server.stop()
    queue(app, 1)
    start = utcnow()
    waits = []
    for _ in range(5):
        flush_outbox(app, now=start)
        with app.db.reading() as session:
            row = session.scalar(select(OutboxMessage))
        waits.append((row.next_attempt_at - start).total_seconds())
        start = row.next_attempt_at
    assert waits == pytest.approx([1, 2, 4, 8, 10], abs=0.01)  # retry_first 1s, doubling, capped at 10s


def test_a_route_without_recipients_does_not_hold_up_the_others(make_app, sqlite_url, smtp_server):
    app = smtp_app(make_app, sqlite_url, smtp_server)
    with app.db.transaction() as session:
        enqueue(session, app.settings, dedupe_key="x", kind="alert", route="nobody", subject="Lost?", body_text="x")
    queue(app, 1)
    result = flush_outbox(app)
    assert result.sent == 1 and result.failed == 1
    with app.db.reading() as session:
        stuck = session.scalar(select(OutboxMessage).where(OutboxMessage.route == "nobody"))
    assert stuck.state == "pending" and "no email recipients" in stuck.last_error


def test_script_and_header_injection_in_an_item_are_inert(make_app, sqlite_url, smtp_server):
    app = smtp_app(make_app, sqlite_url, smtp_server)
    with app.db.transaction() as session:
        item = StoredItem(platform="facebook", external_id="x1", account_id=None, kind="comment",
                          author_name="Mallory\r\nBcc: someone@example.com", text="<script>alert(1)</script> disgraceful",
                          created_at=datetime(2026, 11, 17, 9, 0, tzinfo=timezone.utc), media=[], own=False, quiet=False)
        from monitor.models import Account

        account = Account(name="a", connector="replay", notices={})
        session.add(account)
        session.flush()
        item.account_id = account.id
        session.add(item)
        session.flush()
        enqueue_many(session, decide(session, app.settings, item, [Finding("complaint", 0.9, "keywords", "1", evidence="test")]))
    assert flush_outbox(app).sent == 1
    received = smtp_server.received[0]
    assert received.rcpt_tos == ["complaints@test.invalid"]
    assert received.message["Bcc"] is None
    assert "\n" not in received.subject and "Bcc: someone@example.com" in received.subject
    html = received.message.get_body(("html",)).get_content()
    assert "<script>" not in html and "&lt;script&gt;" in html


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_mail_goes_over_tls_with_a_login(make_app, sqlite_url, tmp_path, security):
    from tests.smtp_server import self_signed_tls

    context, certificate = self_signed_tls(tmp_path)
    server = RecordingSMTPServer(username="monitor", password="tls-pass", tls_context=context,
                                 implicit_tls=security == "ssl")
    server.start()
    try:
        app = smtp_app(make_app, sqlite_url, server, security=security, username="monitor", password="tls-pass",
                       ca_file=str(certificate))
        queue(app, 2)
        assert flush_outbox(app).sent == 2
    finally:
        server.stop()
    assert server.subjects() == ["Alert 0", "Alert 1"]


def test_an_untrusted_certificate_is_refused_and_the_message_waits(make_app, sqlite_url, tmp_path):
    from tests.smtp_server import self_signed_tls

    context, _ = self_signed_tls(tmp_path)
    server = RecordingSMTPServer(tls_context=context)
    server.start()
    try:
        app = smtp_app(make_app, sqlite_url, server, security="starttls")
        queue(app, 1)
        result = flush_outbox(app)
    finally:
        server.stop()
    assert result.sent == 0 and result.held and server.received == []
