"""`forget --author ID` erases a person's data across the tables (UK GDPR erasure), records that it did without
keeping the data, leaves everyone else's alone, and is safe to run again."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from monitor.cli import main
from monitor.erasure import ERASED, forget_author, subject_digest
from tests.reliability.protection_world import (
    OTHER_TEXT, ROBIN, ROBIN_NAME, ROBIN_NEW_TEXT, ROBIN_OLD_TEXT, build_world, dump,
)

ACCOUNTS = [{"name": "fb", "connector": "replay", "path": "x"}]


def test_forgetting_an_author_leaves_nothing_of_them_in_any_table(db_url, make_app):
    from monitor.models import Case, Erasure, Label, StoredItem

    app = make_app(db_url, accounts=ACCOUNTS)
    world = build_world(app)
    result = forget_author(app, ROBIN, requested_by="Data protection officer")

    stored = dump(app)
    for personal in (ROBIN, ROBIN_NAME, ROBIN_OLD_TEXT, ROBIN_NEW_TEXT, "07700 900123", "Dear Robin", "Hello Robin"):
        assert personal not in stored, f"{personal!r} is still stored"
    assert result.counts["items"] == 2 and result.counts["cases"] == 2 and result.counts["outbox"] == 2
    assert result.counts["labels"] == 1 and result.counts["skipped_payloads"] == 1
    assert result.counts["items_mentioning"] == 1, "another item's payload named the person: dropped"
    with app.db.reading() as session:
        erased = session.get(StoredItem, world.robin_old)
        other = session.get(StoredItem, world.other_recent)
        case = session.scalar(select(Case).where(Case.item_id == world.robin_old))
        record = session.scalar(select(Erasure))
        labels = session.scalars(select(Label.text)).all()
    assert erased.text == ERASED and erased.author_id is None and erased.raw is None
    assert other.text == OTHER_TEXT and other.author_name == "Sam Fictional", "other people's data stays"
    assert other.raw is None, "its payload named the person"
    assert labels == [OTHER_TEXT]
    assert case.state == "resolved" and [h["by"] for h in case.history] == ["monitor", "officer", "officer"]
    assert case.history[1]["what"] == f"responded: {ERASED}", "the trail keeps who did what, not the text"
    assert record.kind == "forget" and record.subject == subject_digest(ROBIN, None)
    assert record.requested_by == "Data protection officer" and record.counts == result.counts


def test_forgetting_twice_changes_nothing_more(db_url, make_app):
    app = make_app(db_url, accounts=ACCOUNTS)
    build_world(app)
    forget_author(app, ROBIN)
    before = dump(app)
    again = forget_author(app, ROBIN)
    assert again.total == 0 and len(again.earlier) == 1
    assert dump(app) == before


def test_forgetting_on_one_platform_leaves_the_other(sqlite_url, make_app):
    app = make_app(sqlite_url, accounts=ACCOUNTS)
    build_world(app)
    assert forget_author(app, ROBIN, platform="twitter").total == 0
    assert ROBIN_OLD_TEXT in dump(app)


def _config(tmp_path: Path) -> Path:
    config = tmp_path / "monitor.toml"
    config.write_text(f"[database]\nurl = 'sqlite:///{tmp_path / 'monitor.db'}'\n"
                      f"[[accounts]]\nname = 'fb'\nconnector = 'replay'\npath = 'x'\n", encoding="utf-8")
    return config


def test_the_forget_command_prints_a_summary_and_a_sentence_when_nothing_matches(tmp_path, capsys):
    from monitor.app import App

    config = _config(tmp_path)
    app = App.from_file(config)
    build_world(app)
    app.close()

    assert main(["--config", str(config), "forget", "--author", ROBIN, "--by", "DPO"]) == 0
    first = capsys.readouterr().out
    assert "Erased the data of author" in first and "items: 2 row(s)" in first and "run `train`" in first

    assert main(["--config", str(config), "forget", "--author", ROBIN]) == 0
    assert "already erased on" in capsys.readouterr().out

    assert main(["--config", str(config), "forget", "--author", "999"]) == 0
    assert capsys.readouterr().out.strip() == ("Nothing is stored about author 999: no item has that author id, "
                                               "so nothing was erased.")

    assert main(["--config", str(config), "forget", "--author", " "]) == 2
    assert "--author needs the author's id" in capsys.readouterr().err


def test_the_eml_copies_of_the_persons_alerts_are_deleted(sqlite_url, make_app):
    from monitor.models import OutboxMessage
    from monitor.notifier import FolderTransport

    app = make_app(sqlite_url, accounts=ACCOUNTS)
    world = build_world(app)
    transport = FolderTransport(app.settings.outbox.folder)
    with app.db.reading() as session:
        rows = session.scalars(select(OutboxMessage)).all()
    for row in rows:
        transport.path_for(row).write_text(row.body_text, encoding="utf-8")
    result = forget_author(app, ROBIN)
    left = {p.read_text(encoding="utf-8") for p in app.settings.outbox.folder.glob("*.eml")}
    assert result.counts["eml_files"] == 2
    assert len(left) == 2 and not any(ROBIN_NAME in text for text in left)
    assert world.other_recent in {r.item_id for r in rows}
