"""Shared helpers for the complaint model's tests: settings, one trained model per session, items."""
from __future__ import annotations

import csv
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from connectors.base import Item
from monitor.settings import Settings, settings_from_dict

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "classifiers" / "corpus"
HOLDOUT = ROOT / "tests" / "fixtures" / "complaint_holdout.csv"
RESEARCH_DEV = ROOT.parent / "shared" / "data" / "complaints2019" / "dev.csv"
SERVICES = [
    {"name": "University Hospitals of Derby and Burton", "aliases": ["Royal Derby", "Derby Royal", "Queen's Burton"], "kind": "hospital"},
    {"name": "Derbyshire Healthcare", "aliases": ["Radbourne Unit", "Kingsway"], "kind": "mental health"},
]
_trained: dict[str, Path] = {}


def complaint_settings(model_dir: Path, **section: Any) -> Settings:
    """Settings with the complaint detector enabled, its model in model_dir, and the services configured."""
    return settings_from_dict({
        "detectors": {"enabled": ["complaint"]},
        "organisation": {"handles": {"x": "@HWDerbyshire"}, "staff_names": ["Priya Chandra"]},
        "services": SERVICES,
        "classifiers": {"complaint": {"model_dir": str(model_dir), **{k: v for k, v in section.items()}}},
    })


def trained_model_dir(tmp_path_factory: Any) -> Path:
    """A model folder shared by the whole session, the model trained there once from the real corpus."""
    if "dir" not in _trained:
        from classifiers import complaint

        folder = tmp_path_factory.mktemp("complaint-model")
        complaint.prepare(complaint_settings(folder))
        _trained["dir"] = folder
    return _trained["dir"]


def comment(text: str, own: bool = False) -> Item:
    """A Facebook comment with this text."""
    return Item(platform="facebook", account="hwd-facebook", external_id=f"c-{abs(hash(text))}", kind="comment",
                text=text, created_at=datetime(2026, 11, 20, 10, 0, tzinfo=timezone.utc), own=own)


def small_corpus(folder: Path, rows_per_file: int = 40) -> Path:
    """A copy of the first rows of each corpus file: enough to train in well under a second."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in sorted(CORPUS.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as source:
            rows = list(csv.reader(source))
        with (folder / path.name).open("w", encoding="utf-8", newline="") as out:
            csv.writer(out).writerows(rows[: rows_per_file + 1])
    return folder
