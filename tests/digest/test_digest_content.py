"""What the weekly digest says about a known week (2026-W47), and what it never shows."""
from __future__ import annotations

import email
from zoneinfo import ZoneInfo

import pytest

from monitor.digest import compose_digest, queue_digest
from monitor.digest_week import parse_week
from monitor.mail import build_message
from monitor.models import OutboxMessage, utcnow
from tests.conftest import make_settings
from tests.digest.known_week import NHS_NUMBER, PHONE, WEEK, WRITER, at, build_known_week, digest_app

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def digest(tmp_path, sqlite_url):
    app = digest_app(tmp_path, sqlite_url)
    build_known_week(app)
    yield compose_digest(app, parse_week(WEEK, LONDON), now=at(23, 8))
    app.close()


def test_the_week_runs_monday_to_sunday_and_counts_volumes_against_the_week_before(tmp_path, db_url):
    app = digest_app(tmp_path, db_url)
    build_known_week(app)
    data = compose_digest(app, parse_week(WEEK, LONDON), now=at(23, 8)).data
    app.close()
    assert data.total == 8 and data.previous_total == 2
    assert ("facebook", "comment", 6, 2) in data.volume and ("twitter", "mention", 1, 0) in data.volume
    assert data.daily["facebook"] == [2, 1, 1, 1, 1, 1, 0] and data.daily["twitter"] == [0, 0, 0, 0, 0, 0, 1]
    assert data.label_counts["complaint"] == 4 and data.previous_label_counts["complaint"] == 1


def test_complaints_are_split_about_us_and_about_services_with_targets_met_and_missed(digest):
    us, services = digest.data.complaints["hwd"], digest.data.complaints["service"]
    assert us.received == 1 and us.status["answered in time"] == 1
    assert services.received == 3
    assert services.status["answered in time"] == 1 and services.status["overdue"] == 1
    assert services.status["no case opened"] == 1
    assert (us.met, us.missed) == (1, 0) and (services.met, services.missed) == (1, 1)


def test_median_first_reply_is_counted_in_working_hours(digest):
    # Tue 09:30 to Wed 10:30: 7.5 working hours on Tuesday and 1.5 on Wednesday, not 25 elapsed hours.
    assert digest.data.complaints["hwd"].median_hours == pytest.approx(9.0)
    assert digest.data.complaints["service"].median_hours == pytest.approx(3.0)


def test_open_cases_are_those_unresolved_at_the_end_of_the_week_with_their_ages(digest):
    cases = digest.data.open_cases
    assert cases.total == 3 and cases.overdue == 2  # the A&E case and the one from October
    assert dict(cases.bands) == {"under 2 days": 0, "2 to 7 days": 2, "8 to 30 days": 0, "over 30 days": 1}
    assert cases.oldest[0].age_days == 52


def test_incidents_are_counted_and_shown_without_personal_data_or_the_writers_name(digest):
    assert len(digest.data.safeguarding) == 1 and len(digest.data.confidential) == 1
    line = digest.data.confidential[0].line
    assert "[NHS number removed]" in line and "[phone number removed]" in line
    for body in (digest.body_html, digest.body_text):
        assert NHS_NUMBER not in body and PHONE not in body and WRITER not in body
        assert "left on his own" in body


def test_other_peoples_handles_and_staff_names_are_removed_but_our_own_handle_is_kept():
    from monitor.digest_data import Scrubber, one_liner

    scrubber = Scrubber.for_organisation(["HWDerbyshire"], ["Karen Whitworth"])
    line = one_liner("@HWDerbyshire @kezza_fictional Whitworth ignored me, we know your car KAREN", [], scrubber)
    assert line == "@HWDerbyshire @[handle] [staff name removed] ignored me, we know your car [staff name removed]"


def test_brand_issues_of_our_own_posts_are_listed(digest):
    assert [i.detail for i in digest.data.brand] == ["off_brand"]
    assert "HealthWatch" in digest.body_html


def test_themes_and_services_come_from_configuration_and_spam_is_not_feedback(digest):
    themes = {name: (now, before) for name, now, before in digest.data.themes}
    assert themes["Waiting times"] == (2, 1)
    assert themes["GP access"][0] == 1 and themes["Urgent and emergency care"][0] == 1
    assert themes["Pharmacy"][0] == 1  # the mention; the spam comment also says pharmacy and is not counted
    assert themes["Dentistry"] == (0, 1)
    named = {name: n for name, _, n in digest.data.services}
    assert named == {"GP surgeries": 1, "University Hospitals of Derby and Burton": 1, "Pharmacies": 1}


def test_corrections_by_the_officer_are_the_labels_given_that_week(digest):
    assert digest.data.corrections == 2 and digest.data.previous_corrections == 1


def test_connector_health_sums_the_weeks_paid_reads_and_costs_them(digest):
    accounts = {a.name: a for a in digest.data.accounts}
    x = accounts["hwd-x"]
    assert (x.runs, x.failed_runs, x.reads, x.state) == (3, 1, 150, "rate_limited")
    assert x.cost == pytest.approx(1.50)
    assert accounts["hwd-facebook"].cost == 0
    assert "US$ 1.50" in digest.body_html


def test_up_to_date_shows_days_since_our_last_post_and_our_flagged_posts(digest):
    fresh = {f.name: f for f in digest.data.freshness}
    assert (fresh["hwd-facebook"].days_since, fresh["hwd-facebook"].own_flagged, fresh["hwd-facebook"].stale) == (6, 1, False)
    assert fresh["hwd-x"].days_since == 20 and fresh["hwd-x"].stale


def test_no_template_syntax_is_left_unrendered(digest):
    for body in (digest.body_html, digest.body_text, digest.standalone_html()):
        assert "{{" not in body and "{%" not in body and "}}" not in body and "%}" not in body


def test_the_email_has_its_css_inlined_and_every_chart_as_an_inline_part_named_by_cid(tmp_path, sqlite_url, digest):
    html = digest.body_html
    assert "<style" not in html and 'style="' in html
    cids = {c.cid for c in digest.charts}
    assert len(cids) >= 3 and all(f'src="cid:{cid}"' in html for cid in cids)
    assert all(c.alt and f'alt="{c.alt[:30]}' in html for c in digest.charts)
    row = OutboxMessage(id=1, dedupe_key="digest:x", kind="digest", route="comms", recipients=["comms@test.invalid"],
                        subject=digest.subject, body_text=digest.body_text, body_html=html,
                        attachments=digest.attachments(), created_at=utcnow())
    message = email.message_from_bytes(build_message(row, make_settings(tmp_path, sqlite_url)).as_bytes())
    images = [part for part in message.walk() if part.get_content_type() == "image/png"]
    assert {part["Content-ID"].strip("<>") for part in images} == cids


def test_the_standalone_file_embeds_the_charts_as_data_uris(digest):
    page = digest.standalone_html()
    assert "cid:" not in page and page.count('src="data:image/png;base64,') == len(digest.charts)


def test_a_week_is_queued_once_whatever_the_number_of_sends(tmp_path, sqlite_url):
    app = digest_app(tmp_path, sqlite_url)
    build_known_week(app)
    week = parse_week(WEEK, LONDON)
    first = queue_digest(app, compose_digest(app, week))
    second = queue_digest(app, compose_digest(app, week))
    with app.db.reading() as session:
        rows = session.query(OutboxMessage).filter_by(kind="digest").all()
    app.close()
    assert first is not None and second is None
    assert [(r.dedupe_key, r.route) for r in rows] == [("digest:2026-W47", "comms")]
