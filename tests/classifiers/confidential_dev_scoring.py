"""Entity-level scoring of the confidential detector on its development set (shared by tests and bench)."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from classifiers import confidential
from connectors.base import Item
from monitor.settings import Settings, settings_from_dict

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
DEV_SET = FIXTURES / "confidential_dev.jsonl"
HOLDOUT_SET = FIXTURES / "confidential_holdout.jsonl"
DEV_SETTINGS = FIXTURES / "confidential_dev_settings.json"
STRUCTURED = ("NHS_NUMBER", "NI_NUMBER", "PHONE", "EMAIL", "POSTCODE", "DATE_OF_BIRTH", "ADDRESS")


@dataclass
class Tally:
    """True positives, false positives and false negatives, overall and per entity type."""

    tp: dict[str, int] = field(default_factory=dict)
    fp: dict[str, int] = field(default_factory=dict)
    fn: dict[str, int] = field(default_factory=dict)
    mistakes: list[str] = field(default_factory=list)

    def precision(self, types: tuple[str, ...] | None = None) -> float:
        """Share of reported entities that are in the development set (exact type and offsets)."""
        tp, fp = self._sum(self.tp, types), self._sum(self.fp, types)
        return tp / (tp + fp) if tp + fp else 1.0

    def recall(self, types: tuple[str, ...] | None = None) -> float:
        """Share of the development set's entities that were reported (exact type and offsets)."""
        tp, fn = self._sum(self.tp, types), self._sum(self.fn, types)
        return tp / (tp + fn) if tp + fn else 1.0

    @staticmethod
    def _sum(counts: dict[str, int], types: tuple[str, ...] | None) -> int:
        return sum(n for t, n in counts.items() if types is None or t in types)


def dev_settings() -> Settings:
    """The configuration the development set was written against."""
    return settings_from_dict(json.loads(DEV_SETTINGS.read_text(encoding="utf-8")))


def dev_rows(path: Path = DEV_SET) -> list[dict]:
    """The development set's rows (or another set written the same way)."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def as_item(text: str, index: int = 0) -> Item:
    """A Facebook comment holding text."""
    return Item(platform="facebook", account="page", external_id=f"dev-{index}", kind="comment", text=text,
                created_at=datetime(2026, 1, 5, 12, 0, tzinfo=timezone.utc))


def score_dev_set(prepared: object | None = None, path: Path = DEV_SET) -> Tally:
    """Run the detector over the development set and count exact matches per entity type."""
    prepared = prepared or confidential.prepare(dev_settings())
    tally = Tally()
    for index, row in enumerate(dev_rows(path)):
        expected = {(e["type"], e["start"], e["end"]) for e in row["entities"]}
        findings = confidential.detect(as_item(row["text"], index), prepared)
        got = {(s.type, s.start, s.end) for f in findings for s in f.spans}
        for kind, bucket in (("tp", expected & got), ("fp", got - expected), ("fn", expected - got)):
            counts = getattr(tally, kind)
            for entity_type, start, end in bucket:
                counts[entity_type] = counts.get(entity_type, 0) + 1
                if kind != "tp":
                    tally.mistakes.append(f"{kind} {entity_type} {row['text'][start:end]!r} in {row['text']!r}")
    return tally


def entities(text: str, prepared: object | None = None) -> list[tuple[str, str]]:
    """(type, covered text) for each entity the detector reports in text, with the development settings."""
    prepared = prepared or _dev_prepared()
    findings = confidential.detect(as_item(text), prepared)
    return [(s.type, text[s.start:s.end]) for f in findings for s in f.spans]


_CACHE: dict[str, object] = {}


def _dev_prepared() -> object:
    if "dev" not in _CACHE:
        _CACHE["dev"] = confidential.prepare(dev_settings())
    return _CACHE["dev"]
