"""The command line as a person uses it: demo, export, status, classify, migrate, and clear errors."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def cli(*args: str, cwd: Path = ROOT, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "run_monitor.py"), *args], cwd=cwd, input=stdin,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory) -> Path:
    """A copy of the demo configuration in a folder of its own, where the demo has run once."""
    folder = tmp_path_factory.mktemp("demo")
    shutil.copytree(ROOT / "config", folder / "config")
    first = cli("--config", "config/demo.toml", "demo", cwd=folder)
    assert first.returncode == 0, first.stderr
    (folder / "first-run.txt").write_text(first.stdout)
    return folder


def test_the_demo_says_what_it_did_and_where(demo_dir):
    output = (demo_dir / "first-run.txt").read_text()
    assert "items: 195 new" in output
    assert "weekly summary: var/demo/digest-2026-W47.html" in output
    assert len(list((demo_dir / "var/demo/outbox").glob("*.eml"))) > 5
    assert (demo_dir / "var/demo/monitor.db").exists()


def test_running_the_demo_again_adds_nothing(demo_dir):
    before = sorted(p.name for p in (demo_dir / "var/demo/outbox").glob("*.eml"))
    again = cli("--config", "config/demo.toml", "demo", cwd=demo_dir)
    assert again.returncode == 0, again.stderr
    assert "items: 0 new" in again.stdout and "alerts: 0 new" in again.stdout
    assert sorted(p.name for p in (demo_dir / "var/demo/outbox").glob("*.eml")) == before


def test_export_gives_each_item_in_the_replay_shape_with_its_labels(demo_dir):
    result = cli("--config", "config/demo.toml", "export", cwd=demo_dir)
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 195
    keys = {"platform", "kind", "external_id", "parent_id", "author_id", "author_name", "text", "created_at", "own",
            "permalink", "media", "labels", "complaint_target", "entities", "case"}
    assert all(keys <= set(r) for r in records)
    assert {r["platform"] for r in records} == {"facebook", "twitter"}


def test_status_shows_each_account_and_the_outbox(demo_dir):
    result = cli("--config", "config/demo.toml", "status", cwd=demo_dir)
    assert result.returncode == 0, result.stderr
    assert "demo-facebook (replay): OK" in result.stdout and "items seen 120" in result.stdout
    assert "outbox: 0 waiting" in result.stdout


def test_classify_reads_json_lines_and_adds_labels(tmp_path):
    result = cli("--config", "config/demo.toml", "classify",
                 stdin=json.dumps({"text": "The wait at A&E was disgraceful", "platform": "facebook"}) + "\n")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["text"] == "The wait at A&E was disgraceful"
    assert "complaint" in record["labels"] and set(record) >= {"labels", "complaint_target", "scores", "entities"}


def test_classify_names_a_bad_line_and_writes_nothing(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"text": "fine"}) + "\n{broken\n")
    result = cli("--config", "config/demo.toml", "classify", "--input", str(source), "--output", str(tmp_path / "out.jsonl"))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1] == "error: line 2: not valid JSON (Expecting property name enclosed in double quotes)"
    assert not (tmp_path / "out.jsonl").exists()


def test_an_unknown_account_is_one_sentence(demo_dir):
    result = cli("--config", "config/demo.toml", "poll", "--once", "--account", "nope", cwd=demo_dir)
    assert result.returncode == 2
    assert "there is no account called 'nope'" in result.stderr and "Traceback" not in result.stderr


def test_migrate_reports_the_revision(tmp_path):
    config = tmp_path / "m.toml"
    config.write_text(f'[database]\nurl = "sqlite:///{tmp_path / "m.db"}"\n')
    result = cli("--config", str(config), "migrate")
    assert result.returncode == 0 and "database at revision" in result.stdout
