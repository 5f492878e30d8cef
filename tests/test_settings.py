"""Configuration: one TOML file, every problem reported at once, secrets from the environment or a file."""
from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from monitor.errors import ConfigError
from monitor.settings import load_settings, settings_from_dict

ROOT = Path(__file__).resolve().parents[1]


def problems_of(raw: dict) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        settings_from_dict(raw)
    return caught.value.problems


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "run_monitor.py"), *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, env=env)


def test_check_config_names_all_three_problems_and_exits_2_without_a_traceback():
    result = run_cli("--config", "tests/fixtures/configs/three-problems.toml", "check-config")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr + result.stdout
    lines = [l for l in result.stderr.splitlines() if l.startswith("configuration problem:")]
    assert len(lines) == 3, result.stderr
    assert "connector 'myspace' is unknown" in lines[0] and "accounts[1] (old-network)" in lines[0]
    assert "accounts[2] (hwd-facebook): page_id is missing" in lines[1]
    assert "accounts[3] (sample): poll_every" in lines[2] and "'soon' is not a duration" in lines[2]
    assert all("three-problems.toml" in l for l in lines)


def test_the_shipped_configurations_are_valid(monkeypatch):
    monkeypatch.setenv("HWD_FACEBOOK_TOKEN", "example-token")
    monkeypatch.setenv("HWD_X_BEARER", "example-bearer")
    monkeypatch.setenv("HWD_SMTP_PASSWORD", "example-password")
    for name in ("demo.toml", "monitor.example.toml"):
        settings = load_settings(ROOT / "config" / name)
        assert settings.accounts


def test_a_missing_file_and_broken_toml_are_one_sentence_each(tmp_path):
    with pytest.raises(ConfigError, match="no such configuration file"):
        load_settings(tmp_path / "absent.toml")
    (tmp_path / "broken.toml").write_text("[database\nurl = 1\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(tmp_path / "broken.toml")


def test_secrets_come_from_the_environment_or_a_file(tmp_path, monkeypatch):
    monkeypatch.setenv("PAGE_TOKEN", "token-from-env")
    (tmp_path / "smtp.pw").write_text("pw-from-file\n")
    settings = settings_from_dict({
        "accounts": [{"name": "fb", "connector": "facebook", "page_id": "1", "access_token": {"env": "PAGE_TOKEN"}}],
        "smtp": {"host": "localhost", "username": "u", "password": {"file": str(tmp_path / "smtp.pw")}},
    })
    assert settings.accounts[0].options.access_token.get_secret_value() == "token-from-env"
    assert settings.smtp.password.get_secret_value() == "pw-from-file"
    assert "token-from-env" not in repr(settings) and "pw-from-file" not in repr(settings)
    assert set(settings.secret_values()) == {"token-from-env", "pw-from-file"}


def test_an_unset_secret_is_reported_without_its_value(monkeypatch):
    monkeypatch.delenv("NOT_SET_ANYWHERE", raising=False)
    found = problems_of({"accounts": [
        {"name": "fb", "connector": "facebook", "page_id": "1", "access_token": {"env": "NOT_SET_ANYWHERE"}},
    ]})
    assert found == ["accounts[1].access_token: environment variable NOT_SET_ANYWHERE is not set"]


def test_every_problem_is_reported_at_once():
    found = problems_of({
        "database": {"url": "mysql://x"},
        "smtp": {"host": "mail", "security": "tls-please"},
        "unknown_section": {},
        "accounts": [{"name": "a", "connector": "replay"}, {"name": "a", "connector": "replay", "path": "x"}],
        "keyword_rules": [{"name": "r", "label": "complaint", "patterns": ["(unclosed"]}],
    })
    text = "\n".join(found)
    assert "unknown_section is not a known setting" in text
    assert "smtp.security" in text
    assert "accounts[1] (a): path is missing" in text
    assert "database.url" in text
    assert "not a valid regular expression" in text
    assert len(found) >= 5


def test_durations_are_read_as_people_write_them():
    settings = settings_from_dict({"accounts": [{"name": "s", "connector": "replay", "path": "x", "poll_every": "1h30m"}]})
    assert settings.accounts[0].poll_every == timedelta(minutes=90)


def test_a_route_that_does_not_exist_is_named():
    found = problems_of({"routes": {"comms": {"email": ["a@b.invalid"]}}, "alerts": {"label_routes": {"safeguarding": "lead"}}})
    assert any("route 'lead' is not defined" in p for p in found)


def test_an_x_account_needs_some_credentials():
    found = problems_of({"accounts": [{"name": "x", "connector": "twitter"}]})
    assert any("bearer_token" in p for p in found)
