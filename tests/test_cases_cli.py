"""`cases list|show|ack|resolve|approve|relabel` as an officer uses them."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from monitor.app import App
from monitor.cli import main
from monitor.health import poll_job
from monitor.models import Label, PlatformAction
from tests.triage_support import cases_of



@pytest.fixture
def config(tmp_path):
    feed = tmp_path / "feed.jsonl"
    soon = datetime.now(timezone.utc) + timedelta(minutes=1)  # after monitoring starts: alerted, not backfill
    records = [
        {"external_id": "c1", "text": "The discharge from Royal Derby was disgraceful", "author_name": "Jo Bramley"},
        {"external_id": "q1", "text": "Is the Buxton stall on today?", "author_name": "Sam Lee"},
    ]
    feed.write_text("".join(json.dumps({**r, "created_at": soon.isoformat()}) + "\n" for r in records))
    path = tmp_path / "monitor.toml"
    path.write_text(f"""
[database]
url = "sqlite:///{tmp_path / 'monitor.db'}"
[outbox]
folder = "{tmp_path / 'outbox'}"
[routes.comms]
email = ["comms@test.invalid"]
[routes.complaints]
email = ["complaints@test.invalid"]
[routes.admin]
email = ["admin@test.invalid"]
[alerts]
label_routes = {{ complaint = "complaints" }}
[[accounts]]
name = "feed"
connector = "replay"
path = "{feed}"
[[keyword_rules]]
name = "complaints"
label = "complaint"
words = ["disgraceful"]
[[keyword_rules]]
name = "questions"
label = "question"
phrases = ["on today"]
""")
    app = App.from_file(path)
    poll_job(app, app.settings.accounts[0])
    app.close()
    return path


def cases(config, *args: str) -> int:
    return main(["--config", str(config), "cases", *args])


def test_list_shows_each_open_case_with_its_target(config, capsys):
    assert cases(config, "list") == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2
    assert any(line.startswith("#1 new") and "feedback about a service: reply by" in line and "Jo Bramley" in line
               for line in out)


def test_show_gives_the_item_targets_drafted_reply_and_history(config, capsys):
    assert cases(config, "show", "1") == 0
    out = capsys.readouterr().out
    assert "Case 1: feedback about a service (complaint service), new" in out
    assert "The discharge from Royal Derby was disgraceful" in out and "First response due:" in out
    assert "Drafted private reply (awaiting approval; `cases approve 1` sends it)" in out and "PALS" in out
    assert "monitor: opened as complaint service (route complaints)" in out


def test_ack_respond_and_resolve_move_the_case_on_and_are_kept_in_the_history(config, capsys):
    assert cases(config, "ack", "1", "--by", "amira") == 0
    assert cases(config, "respond", "1", "--by", "amira", "--note", "letter sent") == 0
    assert cases(config, "resolve", "1", "--by", "amira", "--note", "signposted to PALS by phone") == 0
    assert cases(config, "resolve", "1") == 2
    assert "case 1 is already resolved" in capsys.readouterr().err
    app = App.from_file(config)
    case = cases_of(app)[0]
    app.close()
    assert case.state == "resolved"
    assert [h["what"] for h in case.history][-3:] == ["acknowledged", "responded: letter sent",
                                                      "resolved: signposted to PALS by phone"]
    assert case.responded_at is not None


def test_approve_on_a_platform_that_cannot_reply_privately_says_so_and_sends_nothing(config, capsys):
    assert cases(config, "approve", "1", "--by", "amira") == 1
    assert "not done (replay cannot reply privately)" in capsys.readouterr().out
    app = App.from_file(config)
    with app.db.reading() as session:
        [action] = session.scalars(select(PlatformAction)).all()
    app.close()
    assert (action.action, action.ok, action.requested_by) == ("private_reply", False, "amira")


def test_approve_with_edited_text_sends_that_text(config, tmp_path, capsys):
    edited = tmp_path / "reply.txt"
    edited.write_text("Hi Jo, sorry to hear this. Reply here and we'll help.\n")
    cases(config, "approve", "1", "--text-file", str(edited))
    app = App.from_file(config)
    case = cases_of(app)[0]
    app.close()
    assert case.drafted_reply.startswith("Hi Jo, sorry to hear this.")
    assert "private reply approved with edited text" in [h["what"] for h in case.history]


def test_relabel_stores_the_correction_for_training_and_recounts_the_targets(config, capsys):
    assert cases(config, "relabel", "1", "complaint", "--target", "hwd") == 0
    assert "now complaint hwd" in capsys.readouterr().out
    app = App.from_file(config)
    with app.db.reading() as session:
        [label] = session.scalars(select(Label)).all()
    case = cases_of(app)[0]
    app.close()
    assert (label.labels, label.target, label.text) == (["complaint"], "hwd", "The discharge from Royal Derby was disgraceful")
    assert (case.kind, case.reason) == ("complaint", "complaint_hwd") and case.resolution_due is not None


def test_relabel_as_none_closes_the_case(config, capsys):
    assert cases(config, "relabel", "2", "none") == 0
    app = App.from_file(config)
    states = [c.state for c in cases_of(app)]
    app.close()
    assert states == ["new", "resolved"]


def test_an_unknown_case_is_one_sentence(config, capsys):
    assert cases(config, "show", "99") == 2
    assert capsys.readouterr().err.strip() == "error: there is no case with id 99 (see `cases list`)"
