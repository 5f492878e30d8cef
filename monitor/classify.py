"""Classifying texts given as JSON lines, outside the pipeline: the `classify` command's work."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any, Iterable, Iterator

from classifiers.base import ENTITY_TYPES, Finding
from classifiers.registry import DetectorSuite
from connectors.base import Item
from monitor.errors import InputError


def item_from_input(record: Any, line_no: int) -> Item:
    """The Item a `classify` input line describes; raise InputError naming the line when it is unusable."""
    if not isinstance(record, dict):
        raise InputError(f"line {line_no}: expected a JSON object with a 'text' field")
    text = record.get("text")
    if not isinstance(text, str):
        raise InputError(f"line {line_no}: 'text' is missing or not a string")
    return Item(
        platform=str(record.get("platform") or "facebook"),
        account="classify",
        external_id=str(record.get("external_id") or f"line-{line_no}"),
        kind=str(record.get("kind") or "comment"),
        text=text,
        created_at=datetime.now(timezone.utc),
        author_name=record.get("author") if isinstance(record.get("author"), str) else None,
        own=bool(record.get("own", False)),
        media=(),
    )


def result_fields(findings: list[Finding]) -> dict[str, Any]:
    """labels, complaint_target, scores and entities from a list of findings."""
    scores: dict[str, float] = {}
    for finding in findings:
        scores[finding.label] = max(scores.get(finding.label, 0.0), round(float(finding.score), 4))
    complaint = next((f for f in findings if f.label == "complaint"), None)
    entities = sorted(
        {(s.type, s.start, s.end) for f in findings for s in f.spans if s.type in ENTITY_TYPES},
        key=lambda e: (e[1], e[2], e[0]),
    )
    return {
        "labels": sorted(scores),
        "complaint_target": complaint.target if complaint else None,
        "scores": scores,
        "entities": [{"type": t, "start": s, "end": e} for t, s, e in entities],
    }


def classify_lines(suite: DetectorSuite, lines: Iterable[str]) -> Iterator[dict[str, Any]]:
    """Each input line's fields plus what the detectors found."""
    for line_no, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"line {line_no}: not valid JSON ({exc.msg})") from None
        item = item_from_input(record, line_no)
        yield {**record, **result_fields(suite.run(item))}
