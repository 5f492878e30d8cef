"""Hostile text in the weekly digest and in outbox rows: escaped in HTML, never a template, never a header."""
from __future__ import annotations

import email
from email import policy
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from monitor.digest import compose_digest
from monitor.digest_week import parse_week
from monitor.mail import build_message
from monitor.models import Account, OutboxMessage, StoredFinding, StoredItem
from monitor.settings import settings_from_dict
from tests.digest.known_week import WEEK, at, build_known_week, digest_app

HOSTILE = [
    "<script>alert('x')</script> my GP surgery",
    "<img src=x onerror=alert(1)> waited at the pharmacy",
    "{{ settings.smtp.password }} {% for x in range(9) %}loop{% endfor %} dentist",
    "\u202egnitiaw\u202c at A&E \x00 with a NUL",
    "Subject: free\r\nBcc: victim@example.com\r\n\r\n<b>injected</b>",
    "مرحبا my mum's care home 👩‍⚕️ שלום",
]


@pytest.fixture
def digest(tmp_path, sqlite_url):
    app = digest_app(tmp_path, sqlite_url)
    build_known_week(app)
    with app.db.transaction() as session:
        account = session.query(Account).filter_by(name="hwd-facebook").one()
        for n, text in enumerate(HOSTILE):
            for label in ("safeguarding", "confidential", "complaint"):
                item = StoredItem(platform="facebook", external_id=f"h{n}{label}", account_id=account.id,
                                  kind="comment", text=text, created_at=at(18, 9 + n), author_id=f"id{n}",
                                  author_name=text, processed_at=at(18, 9 + n))
                session.add(item)
                session.flush()
                session.add(StoredFinding(item_id=item.id, label=label, score=0.9, detector="t", detector_version="1",
                                          target="service" if label == "complaint" else None, spans=[],
                                          evidence=text))
            own = StoredItem(platform="facebook", external_id=f"own{n}", account_id=account.id, kind="post",
                             text=text, created_at=at(19, 9 + n), own=True, author_name="Healthwatch Derbyshire",
                             processed_at=at(19, 9 + n))
            session.add(own)
            session.flush()
            session.add(StoredFinding(item_id=own.id, label="off_brand", score=0.9, detector="t", detector_version="1",
                                      spans=[], evidence=text))
    yield compose_digest(app, parse_week(WEEK, ZoneInfo("Europe/London")), now=at(23, 8))
    app.close()


def test_hostile_text_in_the_digest_is_shown_escaped_and_never_run(digest):
    html = digest.body_html
    for tag in ("<script", "<img src=x", "<b>injected"):
        assert tag not in html, "no markup from outside reaches the HTML"
    assert "&lt;script&gt;alert(" in html, "the text is shown, escaped"
    assert "{% for x in range(9) %}loop{% endfor %}" in html and "looploop" not in html, \
        "outside text is shown as written, never run as a template"
    assert "\n" not in digest.subject and "\r" not in digest.subject


def test_the_digest_email_carries_no_injected_header(digest, sqlite_url):
    row = OutboxMessage(id=7, dedupe_key="d", kind="digest", route="comms", recipients=["comms@test.invalid"],
                        subject=digest.subject, body_text=digest.body_text, body_html=digest.body_html,
                        attachments=digest.attachments(), created_at=at(23, 8), state="pending")
    parsed = email.message_from_bytes(build_message(row, settings_from_dict({})).as_bytes(), policy=policy.default)
    assert parsed["Bcc"] is None and parsed.get_all("Subject") and len(parsed.get_all("Subject")) == 1


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(subject=st.one_of(st.text(max_size=300), st.sampled_from(HOSTILE)),
       body=st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=300))
def test_no_outside_text_in_an_outbox_row_can_add_a_header(subject, body):
    # Subjects and bodies carry outside text (an author's name, a post); recipients and routes are configuration.
    row = OutboxMessage(id=1, dedupe_key="k", kind="alert", route="comms", recipients=["comms@test.invalid"],
                        subject=subject,
                        body_text=body, body_html=None, attachments=[], created_at=at(23, 8), state="pending")
    raw = build_message(row, settings_from_dict({})).as_bytes()
    parsed = email.message_from_bytes(raw, policy=policy.compat32)
    names = [name.lower() for name in parsed.keys()]
    assert "bcc" not in names and "cc" not in names
    assert names.count("subject") == 1 and names.count("to") == 1
