"""Killing the process (SIGKILL) between any two steps of the pipeline loses nothing and sends nothing twice."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
CRASHPOINTS = ["after_fetch", "after_store", "after_detect", "after_triage", "after_send"]


def write_config(tmp_path: Path, smtp_port: int) -> Path:
    now = datetime.now(timezone.utc)
    lines = []
    for i in range(10):
        words = ["Lovely drop-in, thank you", "The discharge was disgraceful", "I can't go on any more"][i % 3]
        lines.append({"external_id": f"item-{i}", "text": f"{words} ({i})", "author_name": f"Person {i}",
                      "created_at": (now + timedelta(seconds=i + 1)).isoformat()})
    (tmp_path / "feed.jsonl").write_text("".join(json.dumps(l) + "\n" for l in lines), encoding="utf-8")
    config = tmp_path / "monitor.toml"
    config.write_text(f"""
[database]
url = "sqlite:///{tmp_path / 'monitor.db'}"
[smtp]
host = "127.0.0.1"
port = {smtp_port}
security = "plain"
timeout = "5s"
[routes.comms]
email = ["comms@test.invalid"]
[routes.safeguarding]
email = ["safeguarding@test.invalid"]
[routes.admin]
email = ["admin@test.invalid"]
[alerts]
label_routes = {{ safeguarding = "safeguarding" }}
[detectors]
enabled = ["keywords"]
[[keyword_rules]]
name = "complaints"
label = "complaint"
words = ["disgraceful"]
[[keyword_rules]]
name = "at-risk"
label = "safeguarding"
phrases = ["can't go on"]
[[accounts]]
name = "sample"
connector = "replay"
path = "{tmp_path / 'feed.jsonl'}"
batch_size = 3
alert_on_backfill = true
""", encoding="utf-8")
    return config


def poll_once(config: Path, crash_at: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "HWD_MONITOR_CRASH_AT"}
    if crash_at:
        env["HWD_MONITOR_CRASH_AT"] = crash_at
    return subprocess.run([sys.executable, str(ROOT / "run_monitor.py"), "--config", str(config), "poll", "--once"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("crash_at", CRASHPOINTS)
def test_a_kill_between_steps_loses_nothing_and_sends_nothing_twice(crash_at, tmp_path, smtp_server):
    config = write_config(tmp_path, smtp_server.port)
    crashed = poll_once(config, crash_at)
    assert crashed.returncode == -signal.SIGKILL, crashed.stderr
    recovered = poll_once(config)
    assert recovered.returncode == 0, recovered.stderr
    poll_once(config)  # and once more: still nothing new

    engine = create_engine(f"sqlite:///{tmp_path / 'monitor.db'}")
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT external_id FROM items ORDER BY external_id")).scalars().all()
        unprocessed = connection.execute(text("SELECT count(*) FROM items WHERE processed_at IS NULL")).scalar()
        outbox = connection.execute(text("SELECT state, count(*) FROM outbox GROUP BY state")).all()
    engine.dispose()
    assert stored == sorted(f"item-{i}" for i in range(10))
    assert unprocessed == 0
    assert outbox == [("sent", 6)]  # three complaints, three safeguarding concerns
    message_ids = [r.message["Message-ID"] for r in smtp_server.received]
    assert len(message_ids) == 6 and len(set(message_ids)) == 6
    assert sorted(r.rcpt_tos[0] for r in smtp_server.received) == ["comms@test.invalid"] * 3 + ["safeguarding@test.invalid"] * 3
