"""A table of broken configuration files: each gives one clear sentence per problem and exit code 2, no traceback."""
from __future__ import annotations

from pathlib import Path

import pytest

from monitor.cli import main

ROOT = Path(__file__).resolve().parents[2]
REPLAY = 'connector = "replay"\npath = "config/demo/x-week.jsonl"'

# (name, file content, the sentences expected: each a fragment that must appear in its own line)
BROKEN = [
    ("not toml", "[database\nurl = 1", ["not valid TOML"]),
    ("unknown section", "[databse]\nurl = 'sqlite:///x.db'", ["databse is not a known setting"]),
    ("unknown key", "[database]\nurl = 'sqlite:///x.db'\npool = 5", ["database.pool is not a known setting"]),
    ("unsupported database", "[database]\nurl = 'mysql://x'", ["database.url: expected a sqlite:///PATH or postgresql"]),
    ("smtp without host", "[smtp]\nport = 25", ["smtp.host is missing"]),
    ("smtp security", "[smtp]\nhost = 'mail'\nsecurity = 'tls'", ["smtp.security"]),
    ("smtp port text", "[smtp]\nhost = 'mail'\nport = 'twenty-five'", ["smtp.port"]),
    ("account without name", f"[[accounts]]\n{REPLAY}", ["accounts[1] (unnamed): name is missing"]),
    ("account without connector", "[[accounts]]\nname = 'a'", ["accounts[1] (a): connector is missing"]),
    ("unknown connector", "[[accounts]]\nname = 'a'\nconnector = 'myspace'", ["connector 'myspace' is unknown"]),
    ("facebook without page_id", "[[accounts]]\nname = 'fb'\nconnector = 'facebook'\naccess_token = 't'",
     ["accounts[1] (fb): page_id is missing"]),
    ("facebook without token", "[[accounts]]\nname = 'fb'\nconnector = 'facebook'\npage_id = '1'",
     ["accounts[1] (fb): access_token is missing"]),
    ("x without credentials", "[[accounts]]\nname = 'x'\nconnector = 'twitter'", ["needs bearer_token"]),
    ("poll interval", f"[[accounts]]\nname = 'a'\n{REPLAY}\npoll_every = 'soon'", ["'soon' is not a duration"]),
    ("negative cap", "[[accounts]]\nname = 'x'\nconnector = 'twitter'\nbearer_token = 'b'\ndaily_read_cap = -1",
     ["daily_read_cap"]),
    ("duplicate account", f"[[accounts]]\nname = 'a'\n{REPLAY}\n[[accounts]]\nname = 'a'\n{REPLAY}",
     ["name 'a' is used by another account"]),
    ("unset secret", "[[accounts]]\nname = 'fb'\nconnector = 'facebook'\npage_id = '1'\n"
     "access_token = { env = 'HWD_TEST_SURELY_UNSET' }", ["environment variable HWD_TEST_SURELY_UNSET is not set"]),
    ("unreadable secret file", "[[accounts]]\nname = 'fb'\nconnector = 'facebook'\npage_id = '1'\n"
     "access_token = { file = '/nonexistent/token' }", ["secret file /nonexistent/token cannot be read"]),
    ("undefined route", "[routes.comms]\nemail = ['a@b.invalid']\n[routes.admin]\nemail = ['i@b.invalid']\n"
     "[alerts]\nlabel_routes = { safeguarding = 'lead' }",
     ["route 'lead' is not defined"]),
    ("route without recipients with smtp", "[smtp]\nhost = 'mail'\n[routes.comms]\ndescription = 'x'\n"
     "[routes.admin]\nemail = ['i@b.invalid']",
     ["routes.comms.email: at least one address is needed"]),
    ("keyword rule with nothing to match", "[[keyword_rules]]\nname = 'r'\nlabel = 'complaint'",
     ["needs words, phrases or patterns"]),
    ("bad regular expression", "[[keyword_rules]]\nname = 'r'\nlabel = 'x'\npatterns = ['(unclosed']",
     ["is not a valid regular expression"]),
    ("an address that is not an address", "[routes.comms]\nemail = ['Comms Team: comms@example.org']",
     ["is not a plain email address"]),
    ("unknown detector", "[detectors]\nenabled = ['keywords', 'mind_reader']", ["'mind_reader' is not a known detector"]),
    ("time zone", "[organisation]\ntimezone = 'Europe/Derby'", ["'Europe/Derby' is not a known time zone"]),
    ("health check in the clock-change hour", "[schedule]\nhealth_check_at = '01:15:00'", ["between 01:00 and 02:00"]),
    ("log level", "[logging]\nlevel = 'LOUD'", ["logging.level"]),
    ("texts kept shorter than payloads", "[retention]\ntext_days = 30\nraw_payload_days = 365",
     ["text_days (30) must be at least raw_payload_days (365)"]),
    ("retention period in words", "[retention]\noutbox_days = 'a quarter'", ["retention.outbox_days"]),
    ("three problems at once", "[[accounts]]\nname = 'a'\nconnector = 'myspace'\n[[accounts]]\nname = 'fb'\n"
     "connector = 'facebook'\naccess_token = 't'\n[[accounts]]\nname = 's'\n" + REPLAY + "\npoll_every = 'soon'",
     ["connector 'myspace' is unknown", "page_id is missing", "'soon' is not a duration"]),
]


@pytest.mark.parametrize("name,content,expected", BROKEN, ids=[b[0] for b in BROKEN])
def test_a_broken_configuration_is_one_sentence_per_problem_and_exit_2(tmp_path, capsys, name, content, expected):
    config = tmp_path / "broken.toml"
    config.write_text(content + "\n", encoding="utf-8")
    code = main(["--config", str(config), "check-config"])  # in-process; test_settings runs the real script once
    stderr = capsys.readouterr().err
    assert code == 2, stderr
    assert "Traceback" not in stderr
    problems = [l for l in stderr.splitlines() if l.startswith("configuration problem: ")]
    assert len(problems) == len(expected), stderr
    for line, fragment in zip(problems, expected):
        assert fragment in line, (line, fragment)
        assert str(config) in line, "each sentence names the file"


def test_there_are_at_least_twenty_broken_files():
    assert len(BROKEN) >= 20
