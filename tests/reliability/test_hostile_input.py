"""Hostile and odd input: any Unicode, NUL bytes, right-to-left text, HTML and header injection never crash a
parser, a template or the store, and everything rendered is inert."""
from __future__ import annotations

import json
from datetime import datetime, timezone

from hypothesis import HealthCheck, given, settings, strategies as st

from classifiers.base import Finding, Span
from connectors.replay import parse_replay_line
from connectors.base import PayloadError
from monitor.mail import header_safe
from monitor.redact import redact

ANY_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=300)
NASTY = st.sampled_from([
    "<script>alert(1)</script>", "\u202eevil\u202c", "\x00", "Bcc: x@example.com", "\r\nBcc: x@example.com",
    "{{ 7*7 }}", "{% raw %}", "\ufeff", "👩‍⚕️🏥", "مرحبا بكم", "שלום", "\u2028\u2029", "a" * 1000,
])
TEXTS = st.one_of(ANY_TEXT, st.lists(st.one_of(ANY_TEXT, NASTY), max_size=6).map("".join))
NOW = datetime(2026, 11, 17, tzinfo=timezone.utc)
QUICK = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@QUICK
@given(st.dictionaries(st.sampled_from(["external_id", "text", "kind", "created_at", "media", "own", "author_name",
                                        "parent_id", "platform"]),
                       st.one_of(TEXTS, st.integers(), st.none(), st.booleans(), st.lists(TEXTS, max_size=2))))
def test_the_replay_parser_accepts_or_names_the_problem(record):
    try:
        item = parse_replay_line(json.loads(json.dumps(record)), "a", "facebook", NOW)
    except PayloadError as exc:
        assert str(exc)
    else:
        assert item.text == record["text"]
        assert item.created_at.tzinfo is not None


@QUICK
@given(TEXTS)
def test_a_header_value_is_always_one_line(value):
    safe = header_safe(value)
    assert "\n" not in safe and "\r" not in safe and len(safe) <= 200


@QUICK
@given(TEXTS, st.lists(st.tuples(st.integers(0, 400), st.integers(0, 400)), max_size=4))
def test_redaction_never_crashes_and_removes_what_it_is_given(text, raw_spans):
    spans = [Span("PHONE", min(a, b), max(a, b)) for a, b in raw_spans if min(a, b) < max(a, b) <= len(text)]
    redacted = redact(text, spans)
    for span in spans:
        removed = text[span.start:span.end]
        if removed.strip() and len(removed) > 3 and removed not in "[phone number removed]":
            assert removed not in redacted or text.count(removed) > 1


@QUICK
@given(TEXTS, TEXTS)
def test_alerts_render_outside_text_inert(text, author):
    from monitor.alerts import compose_alert
    from monitor.models import StoredItem
    from monitor.settings import settings_from_dict

    item = StoredItem(id=1, platform="facebook", external_id="1", kind="comment", text=text, author_name=author,
                      created_at=NOW, media=[], own=False, quiet=False)
    alert = compose_alert(settings_from_dict({}), item, [Finding("complaint", 0.9, "t", "1", evidence="why")], "comms")
    assert "<script>" not in alert.body_html
    assert _escaped(text) in alert.body_html, "the text is shown, escaped, never interpreted"
    assert text in alert.body_text


def _escaped(value: str) -> str:
    from markupsafe import escape

    return str(escape(value))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(TEXTS)
def test_texts_are_stored_as_given(db_url, make_app, text):
    from connectors.base import Batch, Item
    from monitor.models import StoredItem
    from monitor.store import ensure_account, save_batch
    from sqlalchemy import delete, select

    app = make_app(db_url, accounts=[{"name": "a", "connector": "replay", "path": "x"}])
    account = app.settings.accounts[0]
    with app.db.transaction() as session:
        session.execute(delete(StoredItem))
        save_batch(session, account, ensure_account(session, account),
                   Batch([Item("facebook", "a", "1", "comment", text, NOW, raw={"message": text})], None))
    with app.db.reading() as session:
        row = session.scalar(select(StoredItem))
    assert row.raw == {"message": text}
    assert row.text == text if "\x00" not in text or app.db.is_sqlite else row.text == text.replace("\x00", "\ufffd")
