"""Cases over time: answered by the organisation's own replies, escalated once when late, replies sent only once approved."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from monitor.escalation import escalate_overdue, escalation_job
from monitor.models import Case, StoredItem
from monitor.pipeline import process_pending
from monitor.replies import approve, run_planned_actions
from tests.triage_support import (TUESDAY, ActingConnector, cases_of, complaint, finding, install_acting_connector,
                                  outbox, planned, platform_actions, run_decide, store)

ROUTES = {"complaints": {"email": ["complaints@test.invalid"], "escalation": ["chief@test.invalid"]}}
WEEK_LATER = TUESDAY + timedelta(days=7)


@pytest.fixture
def build(make_app, sqlite_url, monkeypatch):
    install_acting_connector(monkeypatch)

    def factory(db_url: str = sqlite_url, **triage):
        sections = {"routes": ROUTES, "accounts": [{"name": "page", "connector": "acting"}]}
        if triage:
            sections["triage"] = triage
        return make_app(db_url, **sections)

    return factory


def test_an_own_reply_after_the_case_opened_records_the_first_response(build):
    app = build()
    run_decide(app, store(app, "c1", "You never replied"), [complaint("hwd")])
    reply_at = TUESDAY + timedelta(hours=2)
    run_decide(app, store(app, "r1", "Sorry, please message us", own=True, kind="reply", parent_id="c1",
                          created_at=reply_at), [])
    [case] = cases_of(app)
    assert case.state == "acknowledged" and case.acknowledged_at == reply_at  # a complaint: the reply acknowledges it
    assert case.history[-1]["what"] == "acknowledged: reply facebook:r1" and case.history[-1]["by"] == "own account"


def test_an_own_reply_stored_before_the_case_opened_still_counts(build):
    app = build()
    question = store(app, "q1", "When are you open?")
    reply_at = TUESDAY + timedelta(minutes=30)
    store(app, "r2", "9 to 5", own=True, kind="reply", parent_id="q1", created_at=reply_at)
    run_decide(app, question, [finding("question")])
    [case] = cases_of(app)
    assert case.state == "responded" and case.responded_at == reply_at
    assert "Already answered: responded: reply facebook:r2" in outbox(app)[0].body_text


def test_replies_in_one_poll_are_matched_whichever_comes_first(build):
    app = build()
    # The pipeline decides items in the order they were stored: here the reply was stored first.
    store(app, "r3", "Sorry about that", own=True, kind="reply", parent_id="c3", created_at=TUESDAY + timedelta(hours=1))
    store(app, "c3", "Disgraceful", created_at=TUESDAY)
    with app.db.transaction() as session:
        rows = list(session.scalars(select(StoredItem).order_by(StoredItem.id)))
    for row in rows:
        run_decide(app, row.id, [complaint("service")] if row.external_id == "c3" else [])
    [case] = cases_of(app)
    assert case.responded_at == TUESDAY + timedelta(hours=1)
    assert sum(1 for h in case.history if h["what"].startswith("responded")) == 1


def test_a_missed_target_is_escalated_once_to_the_escalation_contacts(build, db_url):
    app = build(db_url)
    run_decide(app, store(app, "c4", "Nobody replied"), [complaint("hwd")])
    assert escalate_overdue(app, now=TUESDAY + timedelta(days=6)) == 0  # due Tuesday 24th at 17:00
    assert escalate_overdue(app, now=WEEK_LATER + timedelta(hours=8)) == 1
    assert escalate_overdue(app, now=WEEK_LATER + timedelta(hours=9)) == 0
    [escalation] = outbox(app, kind="escalation")
    assert escalation.recipients == ["chief@test.invalid"] and escalation.urgent
    assert escalation.subject.startswith("[OVERDUE] Overdue: complaint (complaints procedure), not answered in time")
    [case] = cases_of(app)
    assert case.state == "escalated" and case.escalated_at is not None


def test_each_missed_target_is_escalated_separately(build):
    app = build()
    run_decide(app, store(app, "c5", "Nobody replied"), [complaint("hwd")])
    assert escalate_overdue(app, now=TUESDAY + timedelta(days=60)) == 2
    keys = sorted(m.dedupe_key for m in outbox(app, kind="escalation"))
    case_id = cases_of(app)[0].id
    assert keys == [f"escalation:{case_id}:first_response", f"escalation:{case_id}:resolution"]


def test_an_answered_or_resolved_case_is_not_escalated(build):
    app = build()
    run_decide(app, store(app, "c6"), [finding("question")])
    run_decide(app, store(app, "c7"), [finding("question")])
    run_decide(app, store(app, "r6", own=True, kind="reply", parent_id="c6", created_at=TUESDAY + timedelta(hours=1)), [])
    from monitor.cases import resolve

    with app.db.transaction() as session:
        resolve(session, session.scalar(select(Case).join(StoredItem).where(StoredItem.external_id == "c7")), by="test")
    assert escalate_overdue(app, now=WEEK_LATER) == 0


def test_no_private_reply_is_sent_before_approval(build):
    app = build()
    run_decide(app, store(app, "c8", "Waited hours"), [complaint("service")])
    assert escalation_job(app, now=TUESDAY + timedelta(hours=1)) == 0
    assert ActingConnector.done == [] and planned(app)[0].state == "awaiting_approval"


def test_an_approved_reply_is_sent_once_and_recorded(build):
    app = build()
    run_decide(app, store(app, "c9", "Waited hours"), [complaint("service")])
    [case] = cases_of(app)
    with app.db.transaction() as session:
        approve(session, session.get(Case, case.id), by="amira")
    lines = run_planned_actions(app, case_id=case.id)
    assert lines == [f"private reply of item {case.item_id}: done (sent)"]
    assert run_planned_actions(app) == []
    [(action, external_id, text)] = ActingConnector.done
    assert (action, external_id) == ("private_reply", "c9") and text == case.drafted_reply
    [record] = platform_actions(app)
    assert (record.action, record.ok, record.requested_by, record.case_id) == ("private_reply", True, "amira", case.id)
    [case] = cases_of(app)
    assert case.state == "responded"
    with app.db.transaction() as session, pytest.raises(ValueError, match="already done"):
        approve(session, session.get(Case, case.id), by="amira")


def test_replies_go_by_themselves_only_when_configured(build):
    app = build(auto_send_replies=True)
    run_decide(app, store(app, "c10", "Waited hours"), [complaint("service")])
    escalation_job(app)
    assert [a for a, _, _ in ActingConnector.done] == ["private_reply"]


def test_a_reply_past_the_platforms_deadline_is_not_sent_and_says_why(build):
    app = build()
    run_decide(app, store(app, "c11"), [complaint("service")])
    ActingConnector.deadline = TUESDAY + timedelta(days=7)
    case_id = cases_of(app)[0].id
    with app.db.transaction() as session:
        approve(session, session.get(Case, case_id), by="amira")
    [line] = run_planned_actions(app, now=TUESDAY + timedelta(days=8))
    assert "not done" in line and "deadline for a private reply passed" in line
    assert ActingConnector.done == [] and platform_actions(app)[0].ok is False


def test_an_automatic_hide_is_carried_out_and_recorded(build):
    app = build(decisions={"spam": {"hide": "auto"}})
    run_decide(app, store(app, "s1", "crypto giveaway"), [finding("spam")])
    escalation_job(app)
    assert ActingConnector.done == [("hide", "s1", "")]
    assert [(a.action, a.ok, a.requested_by) for a in platform_actions(app)] == [("hide", True, "auto")]


def test_an_action_interrupted_by_a_crash_is_never_repeated(build):
    app = build(decisions={"spam": {"hide": "auto"}})
    run_decide(app, store(app, "s2", "crypto giveaway"), [finding("spam")])
    from monitor.models import PlannedAction

    with app.db.transaction() as session:
        action = session.scalar(select(PlannedAction))
        action.state, action.attempted_at = "sending", datetime.now(timezone.utc) - timedelta(hours=1)  # answer lost
    run_planned_actions(app)
    assert ActingConnector.done == [] and planned(app)[0].state == "failed"
    assert "check on the platform" in platform_actions(app)[0].detail


def test_an_action_another_run_is_sending_right_now_is_left_to_it(build):
    app = build(decisions={"spam": {"hide": "auto"}})
    run_decide(app, store(app, "s3", "crypto giveaway"), [finding("spam")])
    from monitor.models import PlannedAction

    with app.db.transaction() as session:
        action = session.scalar(select(PlannedAction))
        action.state, action.attempted_at = "sending", datetime.now(timezone.utc)
    assert run_planned_actions(app) == []
    assert planned(app)[0].state == "sending" and platform_actions(app) == []


def test_the_pipeline_opens_a_case_for_a_new_complaint_with_its_alert(make_app, sqlite_url, tmp_path):
    feed = tmp_path / "feed.jsonl"
    now = (datetime.now(timezone.utc) + timedelta(minutes=1)).isoformat()  # after monitoring started: not backfill
    feed.write_text('{"external_id": "p1", "text": "disgraceful service", "created_at": "%s"}\n' % now)
    app = make_app(sqlite_url, accounts=[{"name": "feed", "connector": "replay", "path": str(feed)}])
    from monitor.pipeline import poll_account

    poll_account(app, app.settings.accounts[0])
    assert process_pending(app) == 1
    [case] = cases_of(app)
    assert case.kind == "feedback" and len(outbox(app)) == 1


def test_a_reply_awaiting_approval_is_reminded_once_a_day_before_the_platforms_deadline(build):
    from monitor.escalation import remind_reply_windows

    ActingConnector.deadline = TUESDAY + timedelta(days=7)
    app = build()
    run_decide(app, store(app, "c12"), [complaint("service")])
    assert remind_reply_windows(app, now=TUESDAY + timedelta(days=5)) == 0
    assert remind_reply_windows(app, now=TUESDAY + timedelta(days=6, hours=1)) == 1
    assert remind_reply_windows(app, now=TUESDAY + timedelta(days=6, hours=2)) == 0
    [reminder] = outbox(app, kind="reminder")
    assert reminder.subject.startswith("Private reply window closes Tue 24 Nov 10:00: case")
