"""The replay connector: items from JSON-lines files, for the demo, tests and replaying recorded data."""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from connectors.base import ITEM_KINDS, Batch, Connector, Cursor, Item, Media, PayloadError, SkippedRecord, TransientError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Position:
    file_index: int
    line: int  # lines of that file already returned


def parse_replay_line(data: Any, account: str, default_platform: str, fetched_at: datetime) -> Item:
    """Turn one decoded replay line into an Item; raise PayloadError saying what is wrong."""
    if not isinstance(data, dict):
        raise PayloadError("a replay line must be a JSON object", raw=data)
    external_id, text = data.get("external_id"), data.get("text")
    if not isinstance(external_id, (str, int)) or str(external_id).strip() == "":
        raise PayloadError("external_id is missing", raw=data)
    if not isinstance(text, str):
        raise PayloadError("text is missing or not a string", raw=data)
    kind = data.get("kind") or "comment"
    if kind not in ITEM_KINDS:
        raise PayloadError(f"kind {kind!r} is not one of {', '.join(ITEM_KINDS)}", raw=data)
    return Item(
        platform=str(data.get("platform") or default_platform),
        account=account,
        external_id=str(external_id),
        kind=kind,
        text=text,
        created_at=_parse_time(data.get("created_at"), fetched_at, data),
        parent_id=_optional_str(data.get("parent_id")),
        author_id=_optional_str(data.get("author_id")),
        author_name=_optional_str(data.get("author_name")),
        permalink=_optional_str(data.get("permalink")),
        media=tuple(_parse_media(m, data) for m in _media_list(data)),
        own=bool(data.get("own", False)),
        raw=data,
    )


def _optional_str(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


def _parse_time(value: Any, default: datetime, raw: Any) -> datetime:
    if value in (None, ""):
        return default
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise PayloadError(f"created_at {value!r} is not an ISO 8601 time", raw=raw) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


def _media_list(data: dict) -> list:
    media = data.get("media") or []
    if not isinstance(media, list):
        raise PayloadError("media must be a list of objects with type, url and alt_text", raw=data)
    return media


def _parse_media(value: Any, raw: Any) -> Media:
    if not isinstance(value, dict):
        raise PayloadError("each media entry must be an object with type, url and alt_text", raw=raw)
    return Media(
        type=str(value.get("type") or "photo"),
        url=_optional_str(value.get("url")),
        alt_text=_optional_str(value.get("alt_text")),
        media_id=_optional_str(value.get("media_id") or value.get("id")),
    )


class ReplayConnector(Connector):
    """Reads a JSON-lines file, or every *.jsonl file of a folder in name order, resuming where it stopped."""

    name = "replay"
    platform = "replay"

    def _files(self) -> list[Path]:
        path = Path(self.account.options.path)
        if path.is_dir():
            return sorted(p for p in path.iterdir() if p.suffix in (".jsonl", ".json") and p.is_file())
        if path.is_file():
            return [path]
        raise TransientError(f"replay path {path} does not exist")

    def fetch(self, cursor: Cursor | None) -> Batch:
        """The next batch_size lines after the cursor (file name and line number)."""
        files = self._files()
        position = self._position(cursor, files)
        limit = self.account.options.batch_size
        items: list[Item] = []
        skipped: list[SkippedRecord] = []
        fetched_at = datetime.now(timezone.utc)
        file_index, line_no = position.file_index, position.line
        if not files or file_index >= len(files):
            return Batch(items=[], next_cursor=cursor, has_more=False)
        while True:
            lines = self._lines(files[file_index])
            while line_no < len(lines) and len(items) + len(skipped) < limit:
                text = lines[line_no]
                line_no += 1
                if not text.strip():
                    continue
                try:
                    data = json.loads(text)
                    items.append(parse_replay_line(data, self.account.name, self.account.options.platform, fetched_at))
                except json.JSONDecodeError as exc:
                    skipped.append(SkippedRecord(f"{files[file_index].name}:{line_no}: not JSON ({exc.msg})", text))
                except PayloadError as exc:
                    skipped.append(SkippedRecord(f"{files[file_index].name}:{line_no}: {exc}", exc.raw))
            if line_no < len(lines) or file_index + 1 >= len(files):
                break  # the batch is full, or this was the last file (new lines appended later are read next time)
            file_index, line_no = file_index + 1, 0
        has_more = line_no < len(lines) or file_index + 1 < len(files)
        next_cursor = {"file": files[file_index].name, "line": line_no, "finished": [f.name for f in files[:file_index]]}
        return Batch(items=items, next_cursor=next_cursor, has_more=has_more, skipped=skipped)

    def _lines(self, path: Path) -> list[str]:
        try:
            return path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise TransientError(f"replay file {path} cannot be read ({exc})") from None

    @staticmethod
    def _position(cursor: Cursor | None, files: list[Path]) -> _Position:
        if not cursor:
            return _Position(0, 0)
        finished = set(cursor.get("finished", []))
        names = [f.name for f in files]
        current = cursor.get("file")
        if current in names:
            return _Position(names.index(current), int(cursor.get("line", 0)))
        # The file read last is gone: resume at the first file not read to the end.
        for index, name in enumerate(names):
            if name not in finished:
                return _Position(index, 0)
        return _Position(len(files), 0)
