"""A small stored world for the retention and erasure tests: one person's items, alerts, cases and labels, others'."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

NOW = datetime(2026, 11, 26, 3, 30, tzinfo=timezone.utc)
ROBIN = "6617104422001"  # the person asking to be forgotten (fictional)
ROBIN_NAME = "Robin Fictional"
ROBIN_OLD_TEXT = "Disgraceful care for my dad at the fictional ward, ring me on 07700 900123"
ROBIN_NEW_TEXT = "Still waiting for a reply about my dad, Robin, 07700 900123"
OTHER = "7000000000002"
OTHER_TEXT = "The walk-in centre in Ripley was brilliant today"
OLD_OTHER_TEXT = "Useless phone line at the surgery last year"


@dataclass
class World:
    """The ids of the rows the tests look at."""

    robin_old: int
    robin_new: int
    other_recent: int
    other_old: int
    old_open: int


def build_world(app) -> World:
    """Store the world through the ORM: items, findings, cases, outbox rows, labels, actions, skipped payloads."""
    from monitor.cases import note
    from monitor.models import (
        Account, Case, Label, OutboxMessage, PlannedAction, PlatformAction, SkippedPayload, StoredFinding, StoredItem,
    )

    with app.db.transaction() as session:
        account = Account(name="fb", connector="replay", notices={})
        session.add(account)
        session.flush()

        def item(external_id: str, author: str, name: str, text: str, age: timedelta, raw: dict) -> StoredItem:
            row = StoredItem(platform="facebook", external_id=external_id, account_id=account.id, kind="comment",
                             author_id=author, author_name=name, text=text, created_at=NOW - age,
                             fetched_at=NOW - age, permalink=f"https://www.facebook.com/{external_id}", media=[],
                             raw=raw, processed_at=NOW - age)
            session.add(row)
            session.flush()
            return row

        robin_old = item("1_1", ROBIN, ROBIN_NAME, ROBIN_OLD_TEXT, timedelta(days=800),
                         {"id": "1_1", "message": ROBIN_OLD_TEXT, "from": {"id": ROBIN, "name": ROBIN_NAME}})
        robin_new = item("1_2", ROBIN, ROBIN_NAME, ROBIN_NEW_TEXT, timedelta(days=10),
                         {"id": "1_2", "message": ROBIN_NEW_TEXT, "from": {"id": ROBIN, "name": ROBIN_NAME}})
        other_recent = item("1_3", OTHER, "Sam Fictional", OTHER_TEXT, timedelta(days=3),
                            {"id": "1_3", "message": OTHER_TEXT, "parent": {"from": {"id": ROBIN, "name": ROBIN_NAME}}})
        other_old = item("1_4", OTHER, "Sam Fictional", OLD_OTHER_TEXT, timedelta(days=400),
                         {"id": "1_4", "message": OLD_OTHER_TEXT})
        old_open = item("1_5", OTHER, "Sam Fictional", "An old complaint still open", timedelta(days=900),
                        {"id": "1_5", "message": "An old complaint still open"})

        for row in (robin_old, robin_new, other_recent, old_open):
            session.add(StoredFinding(item_id=row.id, label="complaint", score=0.9, detector="keywords",
                                      detector_version="1", spans=[{"type": "PHONE", "start": 1, "end": 5}],
                                      evidence=f"matched: {row.text[:30]}", created_at=row.created_at))
        for row, state in ((robin_old, "resolved"), (robin_new, "new"), (old_open, "acknowledged")):
            case = Case(item_id=row.id, kind="complaint", state=state, route="complaints", opened_at=row.created_at,
                        drafted_reply=f"Dear {row.author_name}, thank you for telling us.", history=[])
            note(case, "opened as complaint hwd (route complaints)", at=row.created_at)
            phone = "07700 900123" if row.author_id == ROBIN else "01632 960001"
            note(case, f"responded: phoned {row.author_name} on {phone}", by="officer", at=row.created_at)
            if state == "resolved":
                note(case, "resolved: apologised to Robin", by="officer", at=row.created_at)
            session.add(case)
            session.flush()
            session.add(PlannedAction(item_id=row.id, case_id=case.id, action="private_reply",
                                      text=f"Hello {row.author_name}, please call us.", state="done",
                                      planned_at=row.created_at))
            session.add(PlatformAction(item_id=row.id, case_id=case.id, action="private_reply", ok=True,
                                       detail=f"sent: Hello {row.author_name}", at=row.created_at))
        for n, row in enumerate((robin_old, robin_new, other_recent, other_old)):
            session.add(OutboxMessage(dedupe_key=f"alert:{row.id}", kind="alert", route="complaints",
                                      recipients=["complaints@test.invalid"],
                                      subject=f"Complaint: Facebook comment by {row.author_name}",
                                      body_text=f"{row.author_name} wrote: {row.text}", body_html=f"<p>{row.text}</p>",
                                      item_id=row.id, created_at=row.created_at, state="sent",
                                      sent_at=row.created_at, message_id=f"<{n}@test.invalid>"))
        session.add(Label(item_id=robin_old.id, text=ROBIN_OLD_TEXT, labels=["complaint"], created_at=NOW))
        session.add(Label(item_id=other_recent.id, text=OTHER_TEXT, labels=["praise"], created_at=NOW))
        session.add(SkippedPayload(account_id=account.id, reason="a comment record has no id",
                                   raw={"from": {"id": ROBIN, "name": ROBIN_NAME}, "message": "?"},
                                   recorded_at=NOW - timedelta(days=2)))
        session.add(SkippedPayload(account_id=account.id, reason="a comment record has no id",
                                   raw={"message": "old and broken"}, recorded_at=NOW - timedelta(days=500)))
    return World(robin_old.id, robin_new.id, other_recent.id, other_old.id, old_open.id)


def dump(app) -> str:
    """Every column of every table as JSON lines: what a search of the database would find."""
    from monitor.models import Base

    lines = []
    with app.db.reading() as session:
        for table in Base.metadata.sorted_tables:
            for row in session.execute(select(table)).mappings():
                lines.append(table.name + " " + json.dumps(dict(row), default=str, ensure_ascii=False))
    return "\n".join(lines)
