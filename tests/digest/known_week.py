"""A known database for the digest tests: week 2026-W47 (Mon 16 to Sun 22 November 2026, UK time = UTC)."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from monitor.app import App
from monitor.models import Account, Base, Case, Label, PollRun, StoredFinding, StoredItem
from tests.conftest import make_settings

WEEK = "2026-W47"
NHS_NUMBER = "943 476 5919"
PHONE = "07700 900123"
WRITER = "Dorothy Quenby"  # fictional


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    """A moment in 2026, UTC (November: the UK is on GMT)."""
    return datetime(2026, month, day, hour, minute, tzinfo=timezone.utc)


def digest_app(tmp_path: Path, db_url: str, **sections: Any) -> App:
    """An App with two accounts (a replay Facebook page and an X account at 1p a read), tables created."""
    (tmp_path / "empty.jsonl").write_text("")
    accounts = [
        {"name": "hwd-facebook", "connector": "replay", "path": str(tmp_path / "empty.jsonl"), "platform": "facebook"},
        {"name": "hwd-x", "connector": "twitter", "bearer_token": "test-token-not-real", "cost_per_read": 0.01},
    ]
    services = [
        {"name": "University Hospitals of Derby and Burton", "aliases": ["Royal Derby", "Derby Royal"], "kind": "hospital"},
        {"name": "GP surgeries", "aliases": ["GP", "surgery"], "kind": "primary care"},
        {"name": "Pharmacies", "aliases": ["pharmacy", "chemist"], "kind": "primary care"},
    ]
    settings = make_settings(tmp_path, db_url, accounts=accounts, services=services,
                             organisation={"mail_domain": "test.invalid", "handles": {"twitter": "HWDerbyshire"}},
                             **sections)
    app = App(settings, migrate=False)
    Base.metadata.create_all(app.db.engine)
    return app


def _item(session, account: Account, external_id: str, created_at: datetime, text: str, kind: str = "comment",
          own: bool = False, author: str = "Sam Fictional") -> StoredItem:
    item = StoredItem(platform="facebook" if account.connector == "replay" else "twitter", external_id=external_id,
                      account_id=account.id, kind=kind, text=text, created_at=created_at, own=own,
                      author_id=f"id-{author}", author_name=author, processed_at=created_at)
    session.add(item)
    session.flush()
    return item


def _finding(session, item: StoredItem, label: str, target: str | None = None, spans: list[dict] | None = None,
             evidence: str = "") -> None:
    session.add(StoredFinding(item_id=item.id, label=label, score=0.9, detector="test", detector_version="1",
                              target=target, spans=spans or [], evidence=evidence))


def _case(session, item: StoredItem, kind: str, due: datetime | None, **moments: datetime) -> None:
    session.add(Case(item_id=item.id, kind=kind, route="complaints", opened_at=item.created_at,
                     first_response_due=due, **moments))


def build_known_week(app: App) -> None:
    """Fill the database with the week described in test_digest_content.py."""
    with app.db.transaction() as session:
        facebook = Account(name="hwd-facebook", connector="replay", state="ok", monitoring_started_at=at(1, 9, month=9))
        x = Account(name="hwd-x", connector="twitter", state="rate_limited", last_error="429 from the platform",
                    monitoring_started_at=at(1, 9, month=9))
        session.add_all([facebook, x])
        session.flush()

        old = _item(session, facebook, "old-1", at(1, 12, month=10), "Still no word about my mum's care assessment")
        _finding(session, old, "complaint", "service")
        _case(session, old, "feedback", at(2, 17, month=10))  # still open at the week's end: over 30 days old
        _item(session, x, "x-own-old", at(2, 10), "Our annual report is out", kind="post", own=True, author="HWDerbyshire")
        previous = _item(session, facebook, "prev-1", at(15, 23, 59), "Three months waiting for an NHS dentist")
        _finding(session, previous, "complaint", "service")
        _item(session, facebook, "prev-2", at(10, 14), "Thanks for the event in Matlock")

        post = _item(session, facebook, "post-1", at(16, 10), "Tell HealthWatch Derbyshire about your GP", kind="post",
                     own=True, author="Healthwatch Derbyshire")
        _finding(session, post, "off_brand", evidence="the name is written 'HealthWatch': write 'Healthwatch'")
        gp = _item(session, facebook, "c1", at(16, 11), "The GP surgery in Ripley never answers, still waiting for a call back")
        _finding(session, gp, "complaint", "service")
        _case(session, gp, "feedback", at(17, 17), responded_at=at(16, 14), resolved_at=at(17, 9))
        us = _item(session, facebook, "c2", at(17, 9, 30), "Healthwatch never replied to my email about the survey, disgraceful")
        _finding(session, us, "complaint", "hwd")
        _case(session, us, "complaint", at(23, 17), acknowledged_at=at(18, 10, 30))
        ae = _item(session, facebook, "c3", at(18, 12), "Waited nine hours in A&E at the Royal Derby last night")
        _finding(session, ae, "complaint", "service")
        _case(session, ae, "feedback", at(19, 17))
        text = f"My NHS number is {NHS_NUMBER} please can someone call me on {PHONE} about my results"
        private = _item(session, facebook, "c4", at(19, 15), text, author=WRITER)
        start = text.index(NHS_NUMBER)
        phone = text.index(PHONE)
        _finding(session, private, "confidential", spans=[
            {"type": "NHS_NUMBER", "start": start, "end": start + len(NHS_NUMBER)},
            {"type": "PHONE", "start": phone, "end": phone + len(PHONE)}])
        worry = _item(session, facebook, "c5", at(20, 16), "My neighbour is left on his own with no food in the house",
                      author=WRITER)
        _finding(session, worry, "safeguarding")
        spam = _item(session, facebook, "c6", at(21, 8), "Crypto giveaway at the pharmacy, send your bank details")
        _finding(session, spam, "spam")
        mention = _item(session, x, "x1", at(22, 23, 30), "@HWDerbyshire @kezza_fictional the pharmacy in Ripley has had no meds for weeks",
                        kind="mention")
        _finding(session, mention, "complaint", "service")
        _item(session, facebook, "next-1", at(23, 0, 30), "A GP complaint from the next week")

        session.add_all([
            Label(item_id=gp.id, text=gp.text, labels=["complaint"], target="service", created_at=at(18, 9)),
            Label(item_id=spam.id, text=spam.text, labels=[], created_at=at(21, 10)),
            Label(item_id=previous.id, text=previous.text, labels=["complaint"], created_at=at(12, 10)),
        ])
        session.add_all([
            PollRun(account_id=x.id, started_at=at(16, 9), finished_at=at(16, 9, 1), reads=100, outcome="ok"),
            PollRun(account_id=x.id, started_at=at(18, 9), finished_at=at(18, 9, 1), reads=50, outcome="ok"),
            PollRun(account_id=x.id, started_at=at(20, 9), finished_at=at(20, 9, 1), reads=0, outcome="rate_limited"),
            PollRun(account_id=x.id, started_at=at(9, 9), finished_at=at(9, 9, 1), reads=999, outcome="ok"),
            PollRun(account_id=facebook.id, started_at=at(16, 9), finished_at=at(16, 9, 1), reads=0, outcome="ok"),
        ])
