"""The replay connector: the demo's and the tests' source, reading the replay format of ARCHITECTURE.md."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from connectors.replay import ReplayConnector
from monitor.settings import settings_from_dict
from tests.connectors.contract import ConnectorContract, fetch_all


def replay_connector(path: Path, batch_size: int = 500) -> ReplayConnector:
    settings = settings_from_dict({"accounts": [
        {"name": "sample", "connector": "replay", "path": str(path), "batch_size": batch_size},
    ]})
    return ReplayConnector(settings.accounts[0])


def write_lines(path: Path, records: list) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records), encoding="utf-8")
    return path


class TestReplayContract(ConnectorContract):
    @pytest.fixture
    def contract_connector(self, tmp_path):
        return replay_connector(write_lines(tmp_path / "week.jsonl", [
            {"external_id": "1", "text": "Lovely team at the Buxton stall", "kind": "comment"},
            {"external_id": "2", "text": "Still no NHS dentist in Belper", "platform": "twitter", "kind": "mention",
             "created_at": "2026-11-17T09:12:44+00:00"},
            {"external_id": "3", "text": "How do I book?", "created_at": "2026-11-17T10:00:00Z"},
        ]))


def test_only_external_id_and_text_are_required(tmp_path):
    items, _ = fetch_all(replay_connector(write_lines(tmp_path / "a.jsonl", [{"external_id": 7, "text": "hello"}])))
    item = items[0]
    assert (item.external_id, item.kind, item.platform, item.own, item.media) == ("7", "comment", "facebook", False, ())


def test_a_bad_line_is_skipped_and_kept_while_the_rest_is_read(tmp_path):
    connector = replay_connector(write_lines(tmp_path / "a.jsonl", [
        {"external_id": "1", "text": "first"}, "{not json", {"text": "no id"}, {"external_id": "4", "text": "last"},
    ]))
    batch = connector.fetch(None)
    assert [i.external_id for i in batch.items] == ["1", "4"]
    assert len(batch.skipped) == 2
    assert "not JSON" in batch.skipped[0].reason and "external_id is missing" in batch.skipped[1].reason


def test_a_folder_is_read_in_name_order_in_batches(tmp_path):
    write_lines(tmp_path / "b.jsonl", [{"external_id": f"b{i}", "text": "x"} for i in range(3)])
    write_lines(tmp_path / "a.jsonl", [{"external_id": f"a{i}", "text": "x"} for i in range(3)])
    connector = replay_connector(tmp_path, batch_size=2)
    first = connector.fetch(None)
    assert [i.external_id for i in first.items] == ["a0", "a1"] and first.has_more
    items, _ = fetch_all(connector, first.next_cursor)
    assert [i.external_id for i in items] == ["a2", "b0", "b1", "b2"]


def test_lines_appended_later_are_read_at_the_next_poll(tmp_path):
    path = write_lines(tmp_path / "a.jsonl", [{"external_id": "1", "text": "x"}])
    connector = replay_connector(path)
    _, cursor = fetch_all(connector)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps({"external_id": "2", "text": "y"}) + "\n")
    items, _ = fetch_all(connector, cursor)
    assert [i.external_id for i in items] == ["2"]


def test_times_are_read_as_utc(tmp_path):
    items, _ = fetch_all(replay_connector(write_lines(tmp_path / "a.jsonl", [
        {"external_id": "1", "text": "x", "created_at": "2026-11-17T09:00:00+01:00"},
    ])))
    assert items[0].created_at.isoformat() == "2026-11-17T08:00:00+00:00"


def test_the_bundled_demo_week_reads_without_a_skipped_line():
    root = Path(__file__).resolve().parents[2]
    for name in ("facebook-week.jsonl", "x-week.jsonl"):
        connector = replay_connector(root / "config" / "demo" / name)
        batch = connector.fetch(None)
        assert batch.skipped == [] and len(batch.items) > 50


def test_media_that_is_not_a_list_is_named_and_the_line_skipped(tmp_path):
    connector = replay_connector(write_lines(tmp_path / "a.jsonl", [
        {"external_id": "1", "text": "photo", "media": 1}, {"external_id": "2", "text": "next"},
    ]))
    batch = connector.fetch(None)
    assert [i.external_id for i in batch.items] == ["2"]
    assert "media must be a list" in batch.skipped[0].reason
