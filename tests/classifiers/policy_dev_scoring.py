"""Scoring the policy detectors (safeguarding, abusive, spam, off_brand, photo_consent) on their development sets.

Shared by the tests and bench/bench_detectors.py. Each development set is JSON lines written for the purpose
(fictional people): text, own, author_name, media, label (true when the detector should fire), note, and
optionally external_id.
"""
from __future__ import annotations

import importlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from types import ModuleType

from classifiers import policy_model
from classifiers.base import Facts
from connectors.base import Item, Media
from monitor.settings import Settings, settings_from_dict

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
POLICY_DETECTORS = ("safeguarding", "abusive", "spam", "off_brand", "photo_consent")
ORDINARY_DEV = FIXTURES / "ordinary_dev.jsonl"  # everyday comments, a negative example for every learned head

# The consent register the photo_consent development set was written against.
DEV_FACTS = Facts(
    consented_media=frozenset(f"m-consented-{i}" for i in range(1, 10)),
    consented_posts=frozenset(f"post-consented-{i}" for i in range(1, 6)),
)


def dev_settings() -> Settings:
    """The configuration the development sets were written against: staff names and the organisation's handles."""
    return settings_from_dict({
        "organisation": {
            "staff_names": ["Priya Marsh", "Tom Ellery", "Sue Hadley"],
            "handles": {"x": "HWDerbyshire", "facebook": "healthwatchderbyshire"},
        },
    })


def dev_items(name: str, path: Path | None = None) -> list[tuple[Item, dict]]:
    """The development set of detector name, each row as an Item with the row itself."""
    path = path or FIXTURES / f"{name}_dev.jsonl"
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        row = json.loads(line)
        item = Item(
            platform="facebook", account="hwd", external_id=row.get("external_id", f"{name}-dev-{number}"),
            kind="post" if row["own"] else "comment", text=row["text"],
            created_at=datetime(2026, 3, 2, 10, 0, tzinfo=timezone.utc), author_name=row.get("author_name"),
            own=row["own"], media=tuple(Media(**m) for m in row.get("media", [])),
        )
        rows.append((item, row))
    return rows


@dataclass
class Score:
    """How a detector did on a labelled set: counts, precision, recall and the mistakes, one line each."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    mistakes: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        """Share of the items it flagged that should be flagged."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """Share of the items that should be flagged that it flagged."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def detector(name: str) -> ModuleType:
    """The detector module called name."""
    return importlib.import_module(f"classifiers.{name}")


def score(name: str, path: Path | None = None) -> Score:
    """Run detector name over its development set (or the set at path) and count what it got right."""
    module = detector(name)
    prepared = module.prepare(dev_settings(), DEV_FACTS)
    result = Score()
    for item, row in dev_items(name, path):
        fired = any(f.label == name for f in module.detect(item, prepared))
        if fired and row["label"]:
            result.tp += 1
        elif fired:
            result.fp += 1
            result.mistakes.append(f"flagged but should not be ({row['note']}): {row['text'][:80]}")
        elif row["label"]:
            result.fn += 1
            result.mistakes.append(f"missed ({row['note']}): {row['text'][:80]}")
        else:
            result.tn += 1
    return result


def examples_from_dev_sets() -> str:
    """The learned model's examples (classifiers/corpus/policy_examples.jsonl) as the development sets give them."""
    lines = []
    for name in policy_model.HEADS:
        for _, row in dev_items(name):
            record = {"text": row["text"], "labels": [name] if row["label"] else [], "source": f"{name}_dev"}
            lines.append(json.dumps(record, ensure_ascii=False))
    if ORDINARY_DEV.exists():  # everyday comments: none of the heads, so short chit-chat is not taken for a sign
        for _, row in dev_items("ordinary", ORDINARY_DEV):
            lines.append(json.dumps({"text": row["text"], "labels": [], "source": "ordinary_dev"}, ensure_ascii=False))
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # python -m tests.classifiers.policy_dev_scoring: rewrite the model's examples
    policy_model.EXAMPLES.write_text(examples_from_dev_sets(), encoding="utf-8")
    print(f"wrote {policy_model.EXAMPLES}")
