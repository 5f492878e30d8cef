"""Reading labelled examples: the project's corpus folder, extra CSV corpora and the officer's corrections."""
from __future__ import annotations

import csv
import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from monitor.errors import InputError

log = logging.getLogger(__name__)

CORPUS_DIR = Path(__file__).resolve().parent / "corpus"
HEADS = ("complaint", "question", "praise")
TARGETS = ("hwd", "service")


@dataclass(frozen=True)
class Example:
    """One labelled text. A label left as None is unknown (an extra corpus that only marks complaints)."""

    text: str
    complaint: bool | None
    question: bool | None = None
    praise: bool | None = None
    target: str | None = None  # "hwd" or "service" for a complaint whose target is known
    weight: float = 1.0
    source: str = ""

    def label(self, head: str) -> bool | None:
        """This example's answer for one head (complaint, question or praise), None when unknown."""
        return getattr(self, head)


def corpus_files(folder: Path = CORPUS_DIR) -> list[Path]:
    """Every *.csv file in the corpus folder, in a stable order."""
    return sorted(Path(folder).glob("*.csv"))


def read_corpus_dir(folder: Path = CORPUS_DIR) -> list[Example]:
    """Every example in every *.csv file of the corpus folder."""
    files = corpus_files(folder)
    if not files:
        raise InputError(f"the complaint corpus folder {folder} has no *.csv files")
    examples: list[Example] = []
    for path in files:
        examples.extend(read_csv_corpus(path))
    return examples


def read_csv_corpus(path: str | Path) -> list[Example]:
    """Examples from a CSV file: the corpus format (text,labels,target) or the binary one (text,label 0/1)."""
    path = Path(path)
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            columns = set(reader.fieldnames or ())
            if "text" not in columns or not ({"labels", "label"} & columns):
                raise InputError(f"{path}: expected a CSV file with columns text and labels (or text and label 0/1)")
            parse = _corpus_row if "labels" in columns else _binary_row
            return [parse(row, f"{path.name}:{line}") for line, row in enumerate(reader, start=2) if (row.get("text") or "").strip()]
    except FileNotFoundError:
        raise InputError(f"{path}: no such corpus file") from None
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputError(f"{path}: cannot be read as a UTF-8 CSV file ({exc})") from None


def _corpus_row(row: dict[str, Any], where: str) -> Example:
    labels = set((row.get("labels") or "").lower().split())
    unknown = labels - set(HEADS)
    if unknown:
        raise InputError(f"{where}: unknown label {sorted(unknown)[0]!r} (expected complaint, question, praise or nothing)")
    target = (row.get("target") or "").strip().lower() or None
    if target is not None and target not in TARGETS:
        raise InputError(f"{where}: target {target!r} is neither hwd nor service")
    return Example(
        text=row["text"],
        complaint="complaint" in labels,
        question="question" in labels,
        praise="praise" in labels,
        target=target if "complaint" in labels else None,
        source=where,
    )


def _binary_row(row: dict[str, Any], where: str) -> Example:
    value = (row.get("label") or "").strip().lower()
    if value not in ("0", "1", "true", "false", "complaint", "none", ""):
        raise InputError(f"{where}: label {value!r} is not 0 or 1")
    return Example(text=row["text"], complaint=value in ("1", "true", "complaint"), source=where)


def examples_from_corrections(rows: Iterable[Any], weight: float) -> list[Example]:
    """Examples from rows of the labels table (text, labels list, target): every head is known."""
    examples = []
    for row in rows:
        labels = {str(label).lower() for label in (row.labels or [])}
        examples.append(
            Example(
                text=row.text,
                complaint="complaint" in labels,
                question="question" in labels,
                praise="praise" in labels,
                target=row.target if "complaint" in labels and row.target in TARGETS else None,
                weight=weight,
                source=f"correction:{getattr(row, 'id', '')}",
            )
        )
    return examples


def files_digest(paths: Iterable[Path]) -> str:
    """A SHA-256 over the names and bytes of the given files, in order."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(Path(path).name.encode("utf-8") + b"\0")
        digest.update(Path(path).read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def examples_digest(examples: Iterable[Example]) -> str:
    """A SHA-256 over the texts and answers of examples (for the corrections part of a model's data)."""
    digest = hashlib.sha256()
    for example in examples:
        digest.update(repr((example.text, example.complaint, example.question, example.praise, example.target, example.weight)).encode("utf-8"))
    return digest.hexdigest()
