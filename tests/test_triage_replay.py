"""The demo week replayed through the whole pipeline: one case and one alert per complaint, safeguarding at once,
one escalation per missed target, and nothing new the second time."""
from __future__ import annotations

import json
import tomllib
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select

from classifiers.registry import DETECTORS
from monitor.app import App
from monitor.escalation import escalate_overdue
from monitor.health import poll_job
from monitor.models import Case, Cursor, OutboxMessage, StoredFinding, StoredItem
from monitor.settings import settings_from_dict

ROOT = Path(__file__).resolve().parents[1]
TRUTH = json.loads((ROOT / "tests/fixtures/demo_truth.json").read_text())
NEW_YEAR = datetime(2027, 1, 4, 12, 0, tzinfo=timezone.utc)


def demo_settings(folder: Path):
    """config/demo.toml with its files in folder, and every registered detector enabled."""
    raw = tomllib.loads((ROOT / "config/demo.toml").read_text())
    raw["database"] = {"url": f"sqlite:///{folder / 'monitor.db'}"}
    raw["outbox"] = {**raw.get("outbox", {}), "folder": str(folder / "outbox")}
    for key in ("summary", "digest"):
        if isinstance(raw.get(key), dict) and "folder" in raw[key]:
            raw[key]["folder"] = str(folder / key)
    for account in raw["accounts"]:
        account["path"] = str(ROOT / account["path"])
    raw["detectors"] = {"enabled": list(DETECTORS)}  # the demo may enable fewer while detectors are finished
    return settings_from_dict(raw)


@pytest.fixture(scope="module")
def replayed(tmp_path_factory):
    """The demo week polled once per account, as the daemon's poll jobs would."""
    app = App(demo_settings(tmp_path_factory.mktemp("replay")))
    for account in app.settings.accounts:
        assert poll_job(app, account) == "ok"
    yield app
    app.close()


def labelled(app, label: str) -> dict[int, str]:
    with app.db.reading() as session:
        rows = session.execute(select(StoredItem.id, StoredItem.external_id).join(StoredFinding)
                               .where(StoredFinding.label == label, StoredItem.own.is_(False))).all()
    return dict(rows)


def test_every_complaint_found_has_exactly_one_case_and_one_alert(replayed):
    complaints = labelled(replayed, "complaint")
    assert len(complaints) >= 30
    with replayed.db.reading() as session:
        case_counts = Counter(session.scalars(select(Case.item_id).where(Case.item_id.in_(complaints))))
        alerts = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "alert",
                                                             OutboxMessage.item_id.in_(complaints))).all()
    # A complaint from someone at risk is part of the safeguarding alert: "(also: complaint about a service)".
    complaint_alerts = Counter(a.item_id for a in alerts if "complaint" in a.subject.lower())
    assert set(case_counts) == set(complaints) and set(case_counts.values()) == {1}
    assert set(complaint_alerts) == set(complaints) and set(complaint_alerts.values()) == {1}


def test_complaints_about_us_follow_the_complaints_procedure(replayed):
    truth_hwd = {e for e, labels in TRUTH.items() if "complaint_hwd" in labels}
    with replayed.db.reading() as session:
        rows = session.execute(select(StoredItem.external_id, Case.kind).join(Case, Case.item_id == StoredItem.id)).all()
    kinds = dict(rows)
    found = [kinds[e] for e in truth_hwd if e in kinds]
    assert found and Counter(found).most_common(1)[0][0] == "complaint"


def test_the_safeguarding_items_are_alerted_to_the_safeguarding_route_in_the_same_poll(replayed):
    concerns = labelled(replayed, "safeguarding")
    assert "m_JGwJPGMnO59pa6qeVsHOUBKh7e9m3Tko" in concerns.values()  # "i dont think i can go on"
    with replayed.db.reading() as session:
        sent = session.execute(select(OutboxMessage.item_id, OutboxMessage.state, OutboxMessage.urgent)
                               .where(OutboxMessage.route == "safeguarding")).all()
    assert {item_id for item_id, _, _ in sent} == set(concerns)
    assert all(state == "sent" and urgent for _, state, urgent in sent)  # sent before the poll job returned


def test_cases_answered_by_the_organisations_own_replies_are_recorded(replayed):
    with replayed.db.reading() as session:
        answered = session.scalar(select(func.count()).select_from(Case).where(
            (Case.acknowledged_at.is_not(None)) | (Case.responded_at.is_not(None))))
    assert answered >= 10  # the demo page replies to many of the complaints


def test_cases_left_unanswered_are_escalated_once_per_missed_target(replayed):
    with replayed.db.reading() as session:
        open_cases = session.scalars(select(Case)).all()
    from monitor.cases import missed_targets

    expected = sum(len(missed_targets(c, NEW_YEAR)) for c in open_cases)
    assert expected > 0
    assert escalate_overdue(replayed, now=NEW_YEAR) == expected
    assert escalate_overdue(replayed, now=NEW_YEAR) == 0
    with replayed.db.reading() as session:
        keys = session.scalars(select(OutboxMessage.dedupe_key).where(OutboxMessage.kind == "escalation")).all()
    assert len(keys) == len(set(keys)) == expected


def test_replaying_the_same_week_again_sends_nothing_new(replayed):
    with replayed.db.transaction() as session:
        before = session.scalar(select(func.count()).select_from(OutboxMessage))
        session.execute(delete(Cursor))  # the connector delivers the whole week once more
    for account in replayed.settings.accounts:
        assert poll_job(replayed, account) == "ok"
    with replayed.db.reading() as session:
        assert session.scalar(select(func.count()).select_from(OutboxMessage)) == before
        assert session.scalar(select(func.count()).where(OutboxMessage.state == "pending")) == 0
