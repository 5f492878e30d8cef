"""Alerts as they arrive: by email through a real SMTP server, to chat channels through apprise, nothing injected."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from classifiers.base import Span
from monitor.channels import ChannelTransport
from monitor.notifier import SmtpTransport, flush_outbox
from tests.triage_support import complaint, finding, install_acting_connector, outbox, run_decide, store


class ChatServer:
    """A local HTTP server standing in for a Teams or Slack webhook: records each JSON body, or refuses."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.status = 200
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the http.server spelling
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if recorder.status == 200:
                    recorder.received.append(json.loads(body))
                self.send_response(recorder.status)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def chat():
    server = ChatServer()
    yield server
    server.stop()


@pytest.fixture
def build(make_app, sqlite_url, monkeypatch, smtp_server):
    install_acting_connector(monkeypatch)

    def factory(**routes):
        return make_app(sqlite_url, accounts=[{"name": "page", "connector": "acting"}],
                        smtp={"host": "127.0.0.1", "port": smtp_server.port, "security": "plain",
                              "sender": "Monitor <monitor@test.invalid>", "timeout": "5s"},
                        routes=routes)

    return factory


def send(app):
    return flush_outbox(app, transport=ChannelTransport(SmtpTransport(app.settings.smtp), app.settings))


def test_a_script_and_a_header_injection_from_outside_arrive_inert(build, smtp_server):
    app = build()
    item = store(app, "x1", "<script>alert(1)</script> you never replied", author_name="Mallory\nBcc: someone@example.com")
    run_decide(app, item, [complaint("hwd")])
    assert send(app).sent == 1
    [received] = smtp_server.received
    assert sorted(received.rcpt_tos) == ["comms@test.invalid", "complaints@test.invalid"]
    assert received.message["Bcc"] is None and "\n" not in received.subject
    assert "Mallory Bcc: someone@example.com" in received.subject
    html = received.message.get_body(("html",)).get_content()
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    text = received.message.get_body(("plain",)).get_content()
    assert "<script>alert(1)</script>" in text  # plain text is shown as written, never interpreted


def test_an_alert_reaches_a_chat_channel_through_apprise(build, smtp_server, chat):
    app = build(safeguarding={"email": ["safeguarding@test.invalid"], "apprise": [f"json://127.0.0.1:{chat.port}/hook"]})
    run_decide(app, store(app, "g1", "I can't go on"), [finding("safeguarding")])
    assert send(app).sent == 2
    [posted] = chat.received
    assert posted["title"].startswith("[URGENT] Safeguarding concern") and "Samaritans" in posted["message"]
    assert smtp_server.subjects()[0].startswith("[URGENT] Safeguarding concern")


def test_apprise_urls_are_never_written_to_the_outbox(build, chat):
    url = f"json://127.0.0.1:{chat.port}/secret-token-123"
    app = build(safeguarding={"email": ["safeguarding@test.invalid"], "apprise": [url]})
    run_decide(app, store(app, "g2", "I can't go on"), [finding("safeguarding")])
    assert all("secret-token-123" not in json.dumps(m.recipients) + m.body_text for m in outbox(app))


def test_personal_data_is_removed_before_it_goes_to_a_chat_channel(build, chat):
    app = build(comms={"email": ["comms@test.invalid"], "apprise": [f"json://127.0.0.1:{chat.port}/hook"]})
    text = "ring me on 07700 900123"
    run_decide(app, store(app, "p1", text), [finding("confidential", spans=(Span("PHONE", 11, 23),))])
    send(app)
    assert "07700 900123" not in chat.received[0]["message"] and "[phone number removed]" in chat.received[0]["message"]


def test_a_refusing_chat_channel_does_not_hold_back_the_emails_and_is_retried(build, smtp_server, chat):
    chat.status = 500
    app = build(safeguarding={"email": ["safeguarding@test.invalid"], "apprise": [f"json://127.0.0.1:{chat.port}/hook"]})
    run_decide(app, store(app, "g3", "I can't go on"), [finding("safeguarding")])
    run_decide(app, store(app, "c3", "disgraceful"), [complaint("service")])
    result = send(app)
    assert (result.sent, result.failed) == (2, 1) and len(smtp_server.received) == 2
    [waiting] = [m for m in outbox(app) if m.state == "pending"]
    assert waiting.kind == "apprise" and "did not accept" in waiting.last_error


def test_the_same_alerts_flushed_twice_are_sent_once(build, smtp_server, chat):
    app = build(safeguarding={"email": ["safeguarding@test.invalid"], "apprise": [f"json://127.0.0.1:{chat.port}/hook"]})
    run_decide(app, store(app, "g4", "I can't go on"), [finding("safeguarding")])
    send(app)
    send(app)
    assert len(smtp_server.received) == 1 and len(chat.received) == 1
