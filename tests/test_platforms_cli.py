"""The command line against the fake Graph and X servers: `poll --once` stores every kind, `export` shows it,
a second poll stores nothing new, and a refused token stops only that account with one administrator alert."""
from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.connectors.fake_graph import PAGE_ID, TOKEN, FakeGraph
from tests.connectors.fake_x import ME, FakeX
from tests.connectors.test_facebook import small_page

ROOT = Path(__file__).resolve().parents[1]
NOW = datetime.now(timezone.utc).replace(microsecond=0)


@pytest.fixture
def platforms():
    graph, x = FakeGraph(), FakeX()
    graph.start()
    x.start()
    small_page(graph)
    dana = x.user("2200000001", "dana_whitlock", "Dana Whitlock")
    owen = x.user("2200000002", "owen_pargeter", "Owen Pargeter")
    own = x.post(ME, "Our survey on GP access closes Friday.", NOW - timedelta(hours=5))
    x.post(dana, "@HWDerbyshire why is there no NHS dentist in Belper?", NOW - timedelta(hours=4))
    x.post(owen, "Filled it in, the 8am queue is hopeless", NOW - timedelta(hours=3), reply_to=own)
    x.post(dana, "@HWDerbyshire no time and no author on this one", NOW - timedelta(hours=2),
           omit=("created_at", "author_id"))
    x.direct_message(owen, "Can I tell you about my dad's discharge?", NOW - timedelta(hours=1))
    yield graph, x
    graph.stop()
    x.stop()


def write_config(tmp_path: Path, graph: FakeGraph, x: FakeX) -> Path:
    config = tmp_path / "monitor.toml"
    config.write_text(f"""
[database]
url = "sqlite:///{tmp_path / 'monitor.db'}"
[outbox]
folder = "{tmp_path / 'outbox'}"
[detectors]
enabled = ["keywords"]
[[accounts]]
name = "hwd-facebook"
connector = "facebook"
page_id = "{PAGE_ID}"
access_token = {{ env = "TEST_FB_TOKEN" }}
graph_url = "{graph.base_url}"
timeout = 3
[[accounts]]
name = "hwd-x"
connector = "twitter"
consumer_key = "ck-fake"
consumer_secret = "cs-fake"
access_token = "{ME['id']}-at-fake"
access_token_secret = "ats-fake"
api_url = "{x.base_url}"
timeout = 3
""", encoding="utf-8")
    return config


def cli(config: Path, *args: str, token: str = TOKEN) -> subprocess.CompletedProcess:
    env = {**__import__("os").environ, "TEST_FB_TOKEN": token}
    return subprocess.run([sys.executable, str(ROOT / "run_monitor.py"), "--config", str(config), *args],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def count(tmp_path: Path, sql: str) -> int:
    engine = create_engine(f"sqlite:///{tmp_path / 'monitor.db'}")
    with engine.connect() as connection:
        value = connection.execute(text(sql)).scalar()
    engine.dispose()
    return value


def test_poll_once_stores_every_kind_and_export_shows_it(platforms, tmp_path):
    graph, x = platforms
    config = write_config(tmp_path, graph, x)
    first = cli(config, "poll", "--once")
    assert first.returncode == 0, first.stderr
    assert "hwd-facebook: ok" in first.stdout and "hwd-x: ok" in first.stdout
    exported = [json.loads(line) for line in cli(config, "export").stdout.splitlines()]
    kinds = {(r["platform"], r["kind"]) for r in exported}
    assert {("facebook", k) for k in ("post", "visitor_post", "comment", "reply", "rating", "message")} <= kinds
    assert {("twitter", k) for k in ("post", "mention", "reply", "message")} <= kinds
    reply = next(r for r in exported if r["external_id"] == "1_r1")
    assert reply["parent_id"] == "1_c1" and reply["own"] is True and reply["permalink"]
    anonymous = next(r for r in exported if r["text"].endswith("no time and no author on this one"))
    assert anonymous["author_id"] is None and anonymous["created_at"]
    stored = count(tmp_path, "SELECT count(*) FROM items")

    second = cli(config, "poll", "--once")
    assert second.returncode == 0, second.stderr
    assert count(tmp_path, "SELECT count(*) FROM items") == stored


def test_a_refused_token_stops_only_that_account_with_one_alert_then_recovers(platforms, tmp_path):
    graph, x = platforms
    config = write_config(tmp_path, graph, x)
    graph.fail_next("expired")
    for _ in range(3):  # one refusal, then two more cycles: the account stays stopped without asking again
        result = cli(config, "poll", "--once")
        assert "hwd-x: ok" in result.stdout, "the other account goes on"
    status = cli(config, "status").stdout
    assert "hwd-facebook (facebook): STOPPED" in status and "the token has expired (code 190, subcode 463)" in status
    assert count(tmp_path, "SELECT count(*) FROM outbox WHERE kind = 'admin'") == 1

    assert graph.calls_to("/feed") == 1
    ping = cli(config, "check-config", "--ping")
    assert ping.returncode == 0 and "polling resumes" in ping.stdout
    recovered = cli(config, "poll", "--once")
    assert "hwd-facebook: ok" in recovered.stdout
    assert "recovered" in recovered.stderr
    engine = create_engine(f"sqlite:///{tmp_path / 'monitor.db'}")
    with engine.connect() as connection:
        subjects = connection.execute(text("SELECT subject FROM outbox WHERE kind = 'admin' ORDER BY id")).scalars().all()
    engine.dispose()
    assert subjects == ["Action needed: hwd-facebook can no longer be read", "Recovered: hwd-facebook is being read again"]
