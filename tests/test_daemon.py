"""`run`: the daemon polls on schedule and stops cleanly, within seconds, on SIGTERM or SIGINT."""
from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]


def start_daemon(tmp_path: Path) -> subprocess.Popen:
    (tmp_path / "feed.jsonl").write_text(
        json.dumps({"external_id": "1", "text": "The wait was disgraceful", "created_at": "2099-01-01T00:00:00Z"}) + "\n"
    )
    config = tmp_path / "monitor.toml"
    config.write_text(f"""
[database]
url = "sqlite:///{tmp_path / 'monitor.db'}"
[outbox]
folder = "{tmp_path / 'outbox'}"
[[keyword_rules]]
name = "complaints"
label = "complaint"
words = ["disgraceful"]
[[accounts]]
name = "sample"
connector = "replay"
path = "{tmp_path / 'feed.jsonl'}"
poll_every = "1s"
""")
    return subprocess.Popen([sys.executable, str(ROOT / "run_monitor.py"), "--config", str(config), "run"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def wait_for(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("condition not met in time")


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_the_daemon_stops_cleanly_within_ten_seconds(tmp_path, signum):
    process = start_daemon(tmp_path)
    try:
        wait_for(lambda: any((tmp_path / "outbox").glob("*-alert.eml")) if (tmp_path / "outbox").exists() else False)
        process.send_signal(signum)
        started = time.monotonic()
        code = process.wait(timeout=10)
        stopped_in = time.monotonic() - started
    finally:
        if process.poll() is None:
            process.kill()
    output = process.stdout.read()
    assert code == 0, output
    assert stopped_in < 10
    assert "monitor stopped" in output and "Traceback" not in output
    engine = create_engine(f"sqlite:///{tmp_path / 'monitor.db'}")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM items WHERE processed_at IS NULL")).scalar() == 0
        assert connection.execute(text("SELECT count(*) FROM poll_runs WHERE outcome = 'running'")).scalar() == 0
    engine.dispose()
