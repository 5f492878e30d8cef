"""Configured secrets never leave the process: not in logs, the database, emails, .eml files, printed errors or
`status`, even when the platforms echo them back in error messages and paging links."""
from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select

from monitor.cli import main
from tests.connectors import fake_graph
from tests.connectors.fake_graph import PAGE_ID, TOKEN as PAGE_TOKEN, FakeGraph
from tests.connectors.fake_x import ME, FakeX
from tests.smtp_server import RecordingSMTPServer, free_port

BEARER = "AAAA-x-bearer-do-not-leak-5d1c"
SMTP_PASSWORD = "smtp-password-do-not-leak-77e2"
APPRISE_SECRET = "apprise-hook-do-not-leak-91ab"
SECRETS = (PAGE_TOKEN, BEARER, SMTP_PASSWORD, APPRISE_SECRET)
NOW = datetime.now(timezone.utc)
PERSON = {"id": "6617104422001", "name": "Robin Fictional"}


@pytest.fixture
def graph():
    fake = FakeGraph()
    fake.start()
    fake.add_post(f"{PAGE_ID}_1", "Our drop-in at Ripley library is on Tuesday.", NOW - timedelta(hours=5),
                  {"id": PAGE_ID, "name": "HWD"})
    for n in range(30):  # more than one nested page: the post's raw payload carries a paging.next with the token
        fake.add_comment(f"{PAGE_ID}_1", f"{PAGE_ID}_1_{n}", f"Disgraceful wait at the surgery, day {n}.",
                         NOW - timedelta(hours=4, minutes=-n), PERSON)
    yield fake
    fake.stop()


@pytest.fixture
def x():
    fake = FakeX().start()
    dana = fake.user("2200000001", "dana_fictional", "Dana Fictional")
    fake.post(dana, "@HWDerbyshire useless service at the walk-in centre", NOW - timedelta(hours=2))
    yield fake
    fake.stop()


def _configuration(tmp_path: Path, graph: FakeGraph, x: FakeX, smtp: RecordingSMTPServer | None) -> Path:
    (tmp_path / "bearer").write_text(BEARER + "\n", encoding="utf-8")
    mail = (f"[smtp]\nhost = '127.0.0.1'\nport = {smtp.port}\nsecurity = 'plain'\nusername = 'monitor'\n"
            f"password = '{SMTP_PASSWORD}'\nsender = 'Monitor <monitor@test.invalid>'\n") if smtp else ""
    config = tmp_path / "monitor.toml"
    config.write_text(f"""
[database]
url = 'sqlite:///{tmp_path / "monitor.db"}'
[outbox]
folder = '{tmp_path / "outbox"}'
retry_first = '1s'
{mail}
[organisation]
mail_domain = 'test.invalid'
[routes.comms]
email = ['comms@test.invalid']
apprise = ['json://monitor:{APPRISE_SECRET}@127.0.0.1:{free_port()}/hook']
[routes.admin]
email = ['admin@test.invalid']
[detectors]
enabled = ['keywords', 'confidential']
[[keyword_rules]]
name = 'complaints'
label = 'complaint'
words = ['disgraceful', 'useless']
[[accounts]]
name = 'fb'
connector = 'facebook'
page_id = '{PAGE_ID}'
access_token = '{PAGE_TOKEN}'
graph_url = '{graph.base_url}'
streams = ['feed', 'comments']
timeout = 2.0
[[accounts]]
name = 'x'
connector = 'twitter'
user_id = '{ME["id"]}'
bearer_token = {{ file = '{tmp_path / "bearer"}' }}
api_url = '{x.base_url}'
streams = ['mentions']
timeout = 2.0
""", encoding="utf-8")
    return config


def _echoing_failures(graph: FakeGraph, x: FakeX, monkeypatch: pytest.MonkeyPatch) -> list:
    """Failures whose messages carry the tokens, as careless servers and proxies send them; one per poll."""
    feed_url = f"{graph.base_url}v23.0/{PAGE_ID}/feed?access_token={PAGE_TOKEN}&limit=25"
    monkeypatch.setitem(fake_graph.ERRORS, "echo_transient",
                        (503, 2, None, f"Service temporarily unavailable for {feed_url}"))
    monkeypatch.setitem(fake_graph.ERRORS, "echo_refused", (400, 100, None, f"(#100) Bad parameter {PAGE_TOKEN}"))
    monkeypatch.setitem(fake_graph.ERRORS, "echo_auth",
                        (400, 190, 467, f"Error validating access token {PAGE_TOKEN}: the session was invalidated"))
    problem = {"title": "Invalid Request", "type": "about:blank", "status": 400,
               "detail": f"The bearer token {BEARER} is not valid for this request"}
    return [
        lambda: (graph.fail_next("echo_transient", "feed"), x.fail("mentions", 503, body={**problem, "status": 503})),
        lambda: (graph.fail_next("echo_refused", "feed"), x.fail("mentions", 400, body=problem)),
        lambda: _new_complaints(graph, x),  # a clean cycle: items stored, alerts sent, "recovered" messages
        lambda: (graph.fail_next("echo_auth", "feed"), x.fail("mentions", 401, body={**problem, "status": 401})),
    ]


def _new_complaints(graph: FakeGraph, x: FakeX) -> None:
    now = datetime.now(timezone.utc) + timedelta(seconds=1)
    graph.add_comment(f"{PAGE_ID}_1", f"{PAGE_ID}_1_new", "Disgraceful: call me on 07700 900123.", now, PERSON)
    x.post(x.users["2200000001"], "@HWDerbyshire still useless, nobody called back", now)


@pytest.mark.parametrize("delivery", ["smtp", "folder"])
def test_no_configured_secret_appears_anywhere(tmp_path, graph, x, capsys, monkeypatch, delivery):
    smtp = RecordingSMTPServer(username="monitor", password=SMTP_PASSWORD) if delivery == "smtp" else None
    if smtp:
        smtp.start()
    try:
        config = _configuration(tmp_path, graph, x, smtp)
        out = []
        for provoke in [lambda: None] + _echoing_failures(graph, x, monkeypatch):
            provoke()
            main(["--config", str(config), "--verbose", "poll", "--once"])
            out.append(capsys.readouterr())
        assert main(["--config", str(config), "status"]) == 0
        out.append(capsys.readouterr())
        graph.fail_next("echo_refused")
        main(["--config", str(config), "check-config", "--ping"])
        out.append(capsys.readouterr())
        assert "Bad parameter ***" in out[-1].err, "the ping's failure was provoked"
        main(["--config", str(config), "poll", "--once", "--account", "nobody"])
        out.append(capsys.readouterr())
    finally:
        if smtp:
            smtp.stop()
        logging.getLogger().handlers[:] = [h for h in logging.getLogger().handlers
                                           if not getattr(h, "_hwd_monitor", False)]

    printed = "\n".join(o.out + o.err for o in out)
    assert "refused the credentials" in printed or "auth" in printed, "the failures were provoked"
    _assert_clean("the printed output and logs", printed)
    _assert_clean("the database", _every_column_of_every_table(tmp_path / "monitor.db"))
    for suffix in ("", "-wal"):
        path = Path(str(tmp_path / "monitor.db") + suffix)
        if path.exists():
            _assert_clean(f"the bytes of {path.name}", path.read_bytes().decode("latin-1"))
    if smtp:
        assert any("Disgraceful" in r.message.as_string() for r in smtp.received), "alerts went through SMTP"
        _assert_clean("the emails", "\n".join(r.message.as_string() for r in smtp.received))
    else:
        emails = sorted((tmp_path / "outbox").glob("*.eml"))
        assert len(emails) >= 3, "alerts were written as .eml files"
        _assert_clean("the .eml files", "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in emails))


def _every_column_of_every_table(path: Path) -> str:
    from monitor.db import Database
    from monitor.models import Base

    database = Database(f"sqlite:///{path}")
    dumped = []
    try:
        with database.reading() as session:
            for table in Base.metadata.sorted_tables:
                for row in session.execute(select(table)).mappings():
                    dumped.append(json.dumps(dict(row), default=str, ensure_ascii=False))
    finally:
        database.dispose()
    assert any('"Disgraceful wait' in line for line in dumped), "the items were stored"
    return "\n".join(dumped)


def _assert_clean(where: str, text: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"a configured secret ({secret[:6]}...) appears in {where}"
    assert f"access_token={PAGE_TOKEN}" not in text


def test_a_traceback_in_the_log_is_scrubbed_too(capsys):
    from monitor.logsetup import configure_logging, register_secrets

    register_secrets([BEARER])
    configure_logging()
    try:
        try:
            raise RuntimeError(f"GET https://api.example.invalid/2/users?token={BEARER} failed")
        except RuntimeError:
            logging.getLogger("tests.security").exception("the poll failed")
    finally:
        logging.getLogger().handlers[:] = [h for h in logging.getLogger().handlers
                                           if not getattr(h, "_hwd_monitor", False)]
    logged = capsys.readouterr().err
    assert "the poll failed" in logged and "Traceback" in logged
    assert BEARER not in logged


def test_a_graph_paging_link_keeps_no_token_when_stored():
    from monitor.logsetup import scrub_payload

    raw = {"comments": {"paging": {"next": "https://graph.facebook.com/v23.0/1/comments?access_token=EAAGzzz&after=QVF"}}}
    assert scrub_payload(raw) == {"comments": {"paging": {
        "next": "https://graph.facebook.com/v23.0/1/comments?access_token=***&after=QVF"}}}
