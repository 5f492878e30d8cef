"""The decision table: what each kind of item opens, where its alert goes, and what is recommended."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from classifiers.base import Span
from monitor.errors import ConfigError
from tests.triage_support import (TUESDAY, cases_of, complaint, finding, install_acting_connector, outbox, planned,
                                  run_decide, store)

ROUTES = {
    "complaints": {"email": ["complaints@test.invalid"], "escalation": ["chief@test.invalid"]},
    "safeguarding": {"email": ["safeguarding@test.invalid"]},
}


@pytest.fixture
def build(make_app, sqlite_url, monkeypatch):
    install_acting_connector(monkeypatch)

    def factory(db_url: str = sqlite_url, **triage):
        sections = {"routes": ROUTES, "accounts": [{"name": "page", "connector": "acting"}]}
        if triage:
            sections["triage"] = triage
        return make_app(db_url, **sections)

    return factory


def test_a_complaint_about_us_opens_a_case_under_the_complaints_procedure(build, db_url):
    app = build(db_url)
    item = store(app, "c1", "You never replied to my email about the survey")
    run_decide(app, item, [complaint("hwd")])
    [case] = cases_of(app)
    assert (case.kind, case.reason, case.state, case.route) == ("complaint", "complaint_hwd", "new", "complaints")
    assert case.first_response_due == datetime(2026, 11, 24, 17, 0, tzinfo=timezone.utc)  # 5 working days
    assert case.resolution_due == datetime(2026, 12, 15, 17, 0, tzinfo=timezone.utc)  # 20 working days
    [alert] = outbox(app)
    assert alert.recipients == ["complaints@test.invalid", "comms@test.invalid"]
    assert alert.subject.startswith("Complaint about us: Facebook comment by Pat Example (reply by Tue 24 Nov 17:00)")
    assert "complaints procedure" in alert.body_text and f"cases approve {case.id}" in alert.body_text


def test_a_complaint_about_a_service_is_feedback_with_a_signposting_reply(build):
    app = build()
    item = store(app, "c2", "Waited six hours at A&E, disgraceful")
    run_decide(app, item, [complaint("service")])
    [case] = cases_of(app)
    assert case.kind == "feedback"
    for who in ("PALS", "Cloverleaf Advocacy", "NHS Derby and Derbyshire Integrated Care Board", "Ombudsman"):
        assert who in case.drafted_reply
    assert "Hi Pat," in case.drafted_reply and "don't share personal or health details" in case.drafted_reply
    [alert] = outbox(app)
    assert alert.route == "complaints" and "Drafted private reply" in alert.body_text


def test_a_keyword_complaint_without_a_target_is_treated_as_about_a_service(build):
    app = build()
    run_decide(app, store(app, "c3", "useless"), [complaint(None)])
    assert [c.reason for c in cases_of(app)] == ["complaint_service"]


def test_the_signposting_text_comes_from_configuration(build):
    app = build(signposting={"service": "Ask the Friendly Advocacy Project."})
    run_decide(app, store(app, "c4"), [complaint("service")])
    assert "Friendly Advocacy Project" in cases_of(app)[0].drafted_reply


def test_a_question_needs_a_reply_by_the_next_working_day(build):
    app = build()
    run_decide(app, store(app, "q1", "When is the Buxton stall?"), [finding("question")])
    [case] = cases_of(app)
    assert case.kind == "reply_needed"
    assert case.first_response_due == datetime(2026, 11, 18, 17, 0, tzinfo=timezone.utc)
    assert outbox(app)[0].route == "comms"


def test_a_complaint_with_a_question_in_it_is_one_case_and_one_alert(build):
    app = build()
    run_decide(app, store(app, "cq"), [finding("question"), complaint("hwd"), complaint(None)])
    assert [c.reason for c in cases_of(app)] == ["complaint_hwd"]
    [alert] = outbox(app)
    assert "Complaint about us (also: question needing a reply)" in alert.subject


def test_personal_data_is_an_urgent_alert_with_the_data_removed_and_hiding_recommended(build):
    app = build()
    text = "My NHS number is 943 476 5919, please help"
    run_decide(app, store(app, "p1", text), [finding("confidential", spans=(Span("NHS_NUMBER", 17, 29),))])
    [alert] = outbox(app)
    assert alert.urgent and alert.subject.startswith("[URGENT] Personal data in public")
    assert "943 476 5919" not in alert.body_text and "[NHS number removed]" in alert.body_text
    assert "Hide the comment, then contact the person privately" in alert.body_text
    assert planned(app) == [] and cases_of(app) == []


def test_personal_data_is_hidden_automatically_only_when_configured(build):
    app = build(decisions={"confidential": {"hide": "auto"}})
    run_decide(app, store(app, "p2", "call me on 07700 900123"), [finding("confidential", spans=(Span("PHONE", 11, 23),))])
    [hide] = planned(app)
    assert (hide.action, hide.state, hide.approved_by) == ("hide", "approved", "auto")


def test_spam_is_hidden_automatically_only_when_configured(build):
    app = build()
    run_decide(app, store(app, "s1", "crypto giveaway"), [finding("spam")])
    assert planned(app) == []
    app = build(decisions={"spam": {"hide": "auto"}})
    run_decide(app, store(app, "s2", "crypto giveaway"), [finding("spam")])
    assert [(p.action, p.state) for p in planned(app)] == [("hide", "approved")]


def test_a_safeguarding_concern_goes_to_the_safeguarding_lead_at_once_at_night_with_signposting(build):
    app = build(safeguarding_lines=["Derbyshire adult social care (test line): 01632 960001"])
    saturday_night = datetime(2026, 11, 21, 23, 40, tzinfo=timezone.utc)
    item = store(app, "g1", "I can't go on", kind="message", created_at=saturday_night)
    run_decide(app, item, [finding("safeguarding")])
    [alert] = outbox(app)
    assert alert.route == "safeguarding" and alert.recipients == ["safeguarding@test.invalid"] and alert.urgent
    assert alert.subject.startswith("[URGENT] Safeguarding concern")
    for line in ("Samaritans: call 116 123", "NHS 111, option 2", "call 999", "01632 960001"):
        assert line in alert.body_text


def test_a_safeguarding_concern_is_never_hidden_or_answered_automatically(build):
    app = build(auto_send_replies=True, decisions={"spam": {"hide": "auto"}})
    item = store(app, "g2", "can't go on, and the GP surgery is useless")
    run_decide(app, item, [finding("safeguarding"), finding("spam"), complaint("service")])
    assert planned(app) == []  # no hide, and no templated reply to a person who may be at risk


def test_a_complaint_from_someone_at_risk_is_one_safeguarding_alert_that_also_reaches_the_complaints_lead(build):
    app = build()
    item = store(app, "g3", "14 months on the waiting list, i cant go on")
    run_decide(app, item, [finding("safeguarding"), complaint("service"), finding("question")])
    [case] = cases_of(app)
    assert (case.kind, case.route, case.drafted_reply) == ("feedback", "safeguarding", None)
    [alert] = outbox(app)
    assert alert.route == "safeguarding"
    assert alert.recipients[0] == "safeguarding@test.invalid" and "complaints@test.invalid" in alert.recipients
    assert alert.subject.startswith("[URGENT] Safeguarding concern (also: complaint about a service, question")
    assert f"Case {case.id}" in alert.body_text


def test_spam_phrased_as_a_question_is_still_hidden_but_a_complaint_never_is(build):
    app = build(decisions={"spam": {"hide": "auto"}})
    run_decide(app, store(app, "s3", "Want to earn 500 a day? crypto"), [finding("spam"), finding("question")])
    run_decide(app, store(app, "s4", "they asked for my bank details, disgraceful"), [finding("spam"), complaint("service")])
    assert [(p.action, p.item_id) for p in planned(app) if p.action == "hide"] == [("hide", 1)]


def test_abuse_goes_to_moderation_with_hiding_recommended(build):
    app = build()
    run_decide(app, store(app, "a1", "you lot are scum"), [finding("abusive")])
    [alert] = outbox(app)
    assert "Abusive" in alert.subject and "Hide the content" in alert.body_text


def test_off_brand_and_photo_consent_go_to_the_communications_officer(build):
    app = build()
    run_decide(app, store(app, "o1", "HealthWatch Derbyshire at the fair", own=True, kind="post"),
               [finding("off_brand"), finding("photo_consent")])
    [alert] = outbox(app)
    assert alert.route == "comms" and "Off-brand post (also: photo without a consent record)" in alert.subject


def test_praise_is_counted_not_alerted(build):
    app = build()
    run_decide(app, store(app, "pr1", "Thank you!"), [finding("praise")])
    assert outbox(app) == [] and cases_of(app) == []


def test_the_organisations_own_posts_open_no_complaint_or_question_case(build):
    app = build()
    item = store(app, "own1", "Sorry for the wait, disgraceful of us. Any questions?", own=True)
    run_decide(app, item, [complaint("hwd"), finding("question")])
    assert cases_of(app) == [] and outbox(app) == []


def test_backfilled_items_open_no_case_and_send_nothing(build):
    app = build()
    run_decide(app, store(app, "old", quiet=True), [complaint("hwd")])
    assert cases_of(app) == [] and outbox(app) == []


def test_a_keyword_rule_of_the_organisations_own_goes_to_its_route(build):
    app = build()
    run_decide(app, store(app, "k1", "vote for us"), [finding("election", route="safeguarding")])
    [alert] = outbox(app)
    assert alert.route == "safeguarding" and "Election" in alert.subject


def test_a_private_route_gets_the_text_whole_and_the_others_redacted_nobody_twice(make_app, sqlite_url, monkeypatch):
    install_acting_connector(monkeypatch)
    app = make_app(sqlite_url, accounts=[{"name": "page", "connector": "acting"}], routes={
        "complaints": {"email": ["complaints@test.invalid", "comms@test.invalid"]},
        "inbox": {"email": ["inbox@test.invalid", "complaints@test.invalid"], "private": True},
    }, triage={"private_route": "inbox"})
    text = "You lost my form, my number is 07700 900123"
    start = text.index("07700")
    phone = Span("PHONE", start, start + len("07700 900123"))
    run_decide(app, store(app, "pv", text), [complaint("hwd"), finding("confidential", spans=(phone,))])
    by_recipients = {tuple(m.recipients): m for m in outbox(app) if "Complaint" in m.subject}
    assert set(by_recipients) == {("inbox@test.invalid", "complaints@test.invalid"), ("comms@test.invalid",)}
    assert "07700 900123" in by_recipients[("inbox@test.invalid", "complaints@test.invalid")].body_text
    assert "07700 900123" not in by_recipients[("comms@test.invalid",)].body_text


def test_a_decision_naming_an_unknown_route_is_a_configuration_problem(make_app, sqlite_url):
    with pytest.raises(ConfigError) as caught:
        make_app(sqlite_url, triage={"decisions": {"spam": {"routes": ["moderators"]}},
                                     "private_route": "comms", "opens": "09:00"})
    assert any("triage.decisions.spam.routes: route 'moderators' is not defined" in p for p in caught.value.problems)
    assert any("triage.private_route: route 'comms' must have private = true" in p for p in caught.value.problems)


def test_rows_no_finding_can_reach_and_broken_reply_templates_are_configuration_problems(make_app, sqlite_url):
    with pytest.raises(ConfigError) as caught:
        make_app(sqlite_url, triage={"reply_templates": {"reply_question": "Hi {{ name"},
                                     "decisions": {"complaint": {"case": "complaint"},
                                                   "question": {"reply_template": "reply_nowhere"}}})
    problems = "\n".join(caught.value.problems)
    assert "triage.decisions.complaint: complaints are decided as complaint_hwd" in problems
    assert "triage.reply_templates.reply_question: not a usable template" in problems
    assert "triage.decisions.question.reply_template: there is no template 'reply_nowhere'" in problems


def test_every_problem_in_the_triage_section_is_reported_at_once(make_app, sqlite_url):
    with pytest.raises(ConfigError) as caught:
        make_app(sqlite_url, triage={"working_days": ["funday"], "bank_holidays": "XX",
                                     "decisions": {"question": {"first_response": "soon"}}})
    problems = "\n".join(caught.value.problems)
    assert "triage.working_days" in problems and "triage.bank_holidays" in problems
    assert "triage.decisions.question.first_response: 'soon' is not a target" in problems


def test_the_same_item_decided_twice_writes_one_alert_and_one_case(build):
    app = build()
    item = store(app, "twice")
    run_decide(app, item, [complaint("hwd")])
    run_decide(app, item, [complaint("hwd")])
    assert len(cases_of(app)) == 1 and len(outbox(app)) == 1
    assert TUESDAY.weekday() == 1
