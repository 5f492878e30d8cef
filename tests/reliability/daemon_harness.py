"""The daemon as the organisation runs it: `run_monitor.py run` in a subprocess, against the fake Graph and X
servers and a real SMTP server on loopback, with helpers to grow the platforms' content and read the outcome."""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable

from tests.connectors.fake_graph import PAGE_ID, PAGE_NAME, TOKEN
from tests.connectors.fake_x import ME, FakeX
from tests.reliability.faulty_graph import FaultyGraph
from tests.smtp_server import RecordingSMTPServer

ROOT = Path(__file__).resolve().parents[2]
PAGE = {"id": PAGE_ID, "name": PAGE_NAME}
X_KEYS = {"consumer_key": "ck-fake", "consumer_secret": "cs-fake", "access_token": f"{ME['id']}-at-fake",
          "access_token_secret": "ats-fake"}
PEOPLE = [("6617104422001", "Dana Whitlock"), ("6617104422002", "Owen Pargeter"), ("6617104422003", "Priya Kaur"),
          ("6617104422004", "Tom Ashworth")]
X_PEOPLE = [("2200000001", "dana_whitlock", "Dana Whitlock"), ("2200000002", "owen_pargeter", "Owen Pargeter"),
            ("2200000003", "priya_kaur", "Priya Kaur")]
# Whether a text is due an alert follows from the configured keyword rules below, nothing else.
TEXTS = [
    ("The discharge from the Royal was disgraceful, nobody told us anything", True),
    ("Thank you for the drop-in at Belper library, really helpful", False),
    ("I can't go on waiting like this, I am at the end of my tether", True),
    ("Does anyone know when the dentist list in Ilkeston opens?", False),
    ("The reception at my surgery was useless again this morning", True),
    ("Lovely staff at the Chesterfield clinic", False),
]


def wait_for(condition: Callable[[], Any], timeout: float = 60.0, what: str = "condition") -> Any:
    """Poll condition until it gives something true; fail with what after timeout seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not met within {timeout:.0f} s")
        time.sleep(0.1)


@dataclass
class World:
    """The fake platforms and the mail server, and what they were given to serve."""

    rng: random.Random
    graph: FaultyGraph = field(default_factory=FaultyGraph)
    x: FakeX = field(default_factory=FakeX)
    smtp: RecordingSMTPServer = field(default_factory=RecordingSMTPServer)
    due: dict[tuple[str, str], bool] = field(default_factory=dict)  # (platform, id) -> an alert is due
    _serial: int = 0
    _facebook_last: datetime | None = None

    def start(self) -> "World":
        """Serve the platforms and the mail server on loopback."""
        self.graph.start()
        self.x.start()
        for user_id, username, name in X_PEOPLE:
            self.x.user(user_id, username, name)
        self.smtp.start()
        return self

    def stop(self) -> None:
        """Stop every server (safe to call twice)."""
        for stop in (self.graph.stop, self.x.stop, self.smtp.stop):
            try:
                stop()
            except Exception:  # noqa: BLE001 - already stopped
                pass

    def _text(self, due: bool | None) -> tuple[str, bool]:
        self._serial += 1
        words, is_due = self.rng.choice([t for t in TEXTS if due is None or t[1] == due])
        return f"{words} (#{self._serial})", is_due

    def _facebook_time(self) -> datetime:
        """Now, but each Facebook record in a second of its own.

        Graph times have whole seconds, and the Facebook connector's mark skips anything in the second it last
        saw (reported, and pinned by test_a_comment_in_the_second_of_the_last_poll_is_read): the rounds test
        crashes, so they keep to one record per second rather than fail on that every few runs.
        """
        now = datetime.now(timezone.utc).replace(microsecond=0)
        if self._facebook_last is not None and now <= self._facebook_last:
            now = self._facebook_last + timedelta(seconds=1)
        self._facebook_last = now
        return now

    def grow(self, count: int, due: bool | None = None, platforms: tuple[str, ...] = ("facebook", "twitter")) -> None:
        """Add count new records: Page posts, comments on them, and mentions on X, as people write them.

        due=True gives only texts the keyword rules alert on, False only texts they do not; None either.
        """
        kinds = [k for k, p in (("post", "facebook"), ("comment", "facebook"), ("comment", "facebook"),
                                ("mention", "twitter")) if p in platforms]
        for _ in range(count):
            now = datetime.now(timezone.utc)
            words, due_now = self._text(due)
            kind = self.rng.choice(kinds)
            if kind == "comment" and self.graph.posts:
                post = self.rng.choice(self.graph.posts)
                comment_id = f"{post['id'].split('_')[1]}_c{self._serial}"
                person_id, name = self.rng.choice(PEOPLE)
                self.graph.add_comment(post["id"], comment_id, words, self._facebook_time(),
                                       {"id": person_id, "name": name})
                self.due[("facebook", comment_id)] = due_now
            elif kind == "mention":
                user_id, _, _ = self.rng.choice(X_PEOPLE)
                post_id = self.x.post(self.x.users[user_id], f"@HWDerbyshire {words}", now)
                self.due[("twitter", post_id)] = due_now
            else:
                post_id = f"{PAGE_ID}_{100000 + self._serial}"
                person_id, name = self.rng.choice(PEOPLE)
                self.graph.add_post(post_id, words, self._facebook_time(), {"id": person_id, "name": name})
                self.due[("facebook", post_id)] = due_now

    def served_keys(self) -> set[tuple[str, str]]:
        """Every record the fake servers hold, by (platform, id), read from the servers' own content."""
        keys = {("facebook", p["id"]) for p in self.graph.posts}
        keys |= {("facebook", c["id"]) for comments in self.graph.comments.values() for c in comments}
        keys |= {("twitter", post_id) for post_id in self.x.posts}
        return keys

    def message_ids(self) -> list[str]:
        """The Message-ID of every message the SMTP server accepted, in the order it accepted them."""
        with self.smtp.lock:
            return [str(r.message["Message-ID"]) for r in self.smtp.received]


def write_config(folder: Path, world: World, db_url: str | None = None, poll_every: str = "1s",
                 facebook_timeout: float = 3.0, extra: str = "") -> Path:
    """A configuration watching the fake Page and the fake X account, alerting through the SMTP server."""
    db_url = db_url or f"sqlite:///{folder / 'monitor.db'}"
    config = folder / "monitor.toml"
    config.write_text(f"""
[organisation]
mail_domain = "test.invalid"
[database]
url = "{db_url}"
[smtp]
host = "127.0.0.1"
port = {world.smtp.port}
security = "plain"
timeout = "5s"
[outbox]
folder = "{folder / 'outbox'}"
retry_first = "1s"
retry_max = "2s"
[schedule]
outbox_every = "1s"
[detectors]
enabled = ["keywords"]
[routes.comms]
email = ["comms@test.invalid"]
[routes.complaints]
email = ["complaints@test.invalid"]
[routes.safeguarding]
email = ["safeguarding@test.invalid"]
[routes.admin]
email = ["admin@test.invalid"]
[alerts]
label_routes = {{ complaint = "complaints", safeguarding = "safeguarding" }}
[[keyword_rules]]
name = "complaints"
label = "complaint"
words = ["disgraceful", "useless"]
[[keyword_rules]]
name = "at-risk"
label = "safeguarding"
phrases = ["can't go on"]
[[accounts]]
name = "hwd-facebook"
connector = "facebook"
poll_every = "{poll_every}"
alert_on_backfill = true
page_id = "{PAGE_ID}"
access_token = "{TOKEN}"
graph_url = "{world.graph.base_url}"
streams = ["feed", "comments"]
timeout = {facebook_timeout}
[[accounts]]
name = "hwd-x"
connector = "twitter"
poll_every = "{poll_every}"
alert_on_backfill = true
api_url = "{world.x.base_url}"
streams = ["mentions"]
timeout = 3.0
consumer_key = "{X_KEYS['consumer_key']}"
consumer_secret = "{X_KEYS['consumer_secret']}"
access_token = "{X_KEYS['access_token']}"
access_token_secret = "{X_KEYS['access_token_secret']}"
{extra}
""", encoding="utf-8")
    return config


class Daemon:
    """`run_monitor.py --config X run` as a child process; its output is appended to one log file."""

    def __init__(self, config: Path, log_path: Path, env: dict[str, str] | None = None) -> None:
        self.config, self.log_path = config, log_path
        self.env = {k: v for k, v in os.environ.items() if k != "HWD_MONITOR_CRASH_AT"} | (env or {})
        self.process: subprocess.Popen | None = None
        self.starts = 0

    def start(self, crash_at: str | None = None) -> None:
        """Start the daemon (optionally set to kill itself at a named crashpoint)."""
        env = dict(self.env)
        if crash_at:
            env["HWD_MONITOR_CRASH_AT"] = crash_at
        self._log_offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, str(ROOT / "run_monitor.py"), "--config", str(self.config), "run"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        self.starts += 1

    def started(self) -> bool:
        """Whether this run has logged that its scheduler is running."""
        return "monitor started" in self.output(since_start=True)

    def output(self, since_start: bool = False) -> str:
        """What the daemon printed (in all runs, or only the current one)."""
        if not self.log_path.exists():
            return ""
        data = self.log_path.read_bytes()
        return data[self._log_offset:].decode("utf-8", "replace") if since_start else data.decode("utf-8", "replace")

    def alive(self) -> bool:
        """Whether the child process is still running."""
        return self.process is not None and self.process.poll() is None

    def kill(self) -> int | None:
        """SIGKILL the daemon, as a power cut would; return its exit status."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        code = self.process.wait(timeout=30)
        self.process = None
        return code

    def stop(self, timeout: float = 30.0) -> int | None:
        """SIGTERM and wait for the clean stop; SIGKILL if it does not come."""
        if self.process is None:
            return None
        self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait(timeout=30)
        self.process = None
        return code
