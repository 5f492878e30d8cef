"""Items with their findings and cases, in the replay format plus what the monitor made of them."""
from __future__ import annotations

from typing import Any, Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from classifiers.base import ENTITY_TYPES
from monitor.models import Case, StoredItem

EXPORT_CHUNK = 1000


def item_record(row: StoredItem, cases: list[Case]) -> dict[str, Any]:
    """One exported line: the item in replay shape, its labels, complaint target, entities and case."""
    findings = row.findings
    complaint = next((f for f in findings if f.label == "complaint"), None)
    case = cases[0] if cases else None
    return {
        "platform": row.platform,
        "kind": row.kind,
        "external_id": row.external_id,
        "parent_id": row.parent_id,
        "author_id": row.author_id,
        "author_name": row.author_name,
        "text": row.text,
        "created_at": row.created_at.isoformat().replace("+00:00", "Z"),
        "own": row.own,
        "permalink": row.permalink,
        "media": [{k: m.get(k) for k in ("type", "url", "alt_text")} for m in row.media or []],
        "labels": sorted({f.label for f in findings}),
        "complaint_target": complaint.target if complaint else None,
        "entities": [s for f in findings for s in f.spans if s.get("type") in ENTITY_TYPES],
        "case": None if case is None else {
            "id": case.id, "kind": case.kind, "state": case.state,
            "targets": {
                "first_response_due": case.first_response_due.isoformat() if case.first_response_due else None,
                "resolution_due": case.resolution_due.isoformat() if case.resolution_due else None,
            },
        },
    }


def export_items(session: Session) -> Iterator[dict[str, Any]]:
    """Every stored item, oldest first, read in chunks so memory stays bounded."""
    last_id = 0
    while True:
        rows = list(session.scalars(
            select(StoredItem).where(StoredItem.id > last_id).order_by(StoredItem.id)
            .limit(EXPORT_CHUNK).options(selectinload(StoredItem.findings))
        ))
        if not rows:
            return
        ids = [r.id for r in rows]
        cases: dict[int, list[Case]] = {}
        for case in session.scalars(select(Case).where(Case.item_id.in_(ids)).order_by(Case.id)):
            cases.setdefault(case.item_id, []).append(case)
        for row in rows:
            yield item_record(row, cases.get(row.id, []))
        last_id = ids[-1]
        session.expunge_all()
