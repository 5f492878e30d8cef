"""`digest [--week YYYY-Www] [--out FILE] [--send]` as a person runs it."""
from __future__ import annotations

from pathlib import Path

import pytest

from monitor.app import App
from monitor.cli import main
from monitor.settings import load_settings
from tests.digest.known_week import build_known_week


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "monitor.toml"
    path.write_text(f"""
[database]
url = "sqlite:///{tmp_path / 'monitor.db'}"
[outbox]
folder = "{tmp_path / 'outbox'}"
[routes.comms]
email = ["comms@test.invalid"]
[routes.admin]
email = ["admin@test.invalid"]
[alerts]
admin_route = "admin"
""")
    app = App(load_settings(path))  # migrated, as the command will find it
    build_known_week(app)
    app.close()
    return path


def test_out_writes_one_self_contained_html_file(config, tmp_path, capsys):
    out = tmp_path / "reports" / "digest.html"
    assert main(["--config", str(config), "digest", "--week", "2026-W47", "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert page.count("data:image/png;base64,") == 3 and "cid:" not in page
    assert "week 2026-W47" in page and f"digest for 2026-W47: {out}" in capsys.readouterr().out


def test_send_emails_the_digest_once_and_says_so_the_second_time(config, tmp_path, capsys):
    assert main(["--config", str(config), "digest", "--week", "2026-W47", "--send"]) == 0
    assert "to route comms: sent" in capsys.readouterr().out
    assert main(["--config", str(config), "digest", "--week", "2026-W47", "--send"]) == 0
    assert "already queued" in capsys.readouterr().err
    assert len(list((tmp_path / "outbox").glob("*-digest.eml"))) == 1


def test_without_out_or_send_the_plain_text_is_printed(config, capsys):
    assert main(["--config", str(config), "digest", "--week", "2026-W47"]) == 0
    assert "COMPLAINTS" in capsys.readouterr().out


def test_a_week_written_wrongly_is_refused_in_one_sentence(config, capsys):
    assert main(["--config", str(config), "digest", "--week", "2026-47"]) == 2
    assert "write it as YYYY-Www" in capsys.readouterr().err
    assert main(["--config", str(config), "digest", "--week", "2026-W54"]) == 2
    assert "2026 has no week 54" in capsys.readouterr().err
