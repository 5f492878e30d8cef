"""Hostile and odd input reaching the connectors' parsers and the detectors: odd Graph and X records become an
Item or a named PayloadError, never another exception; every detector survives any text and points inside it."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from connectors.base import Item, PayloadError
from connectors.facebook_parse import comment_item, message_item, post_item, rating_item
from connectors.x_parse import Includes, ParseContext, dm_to_item, tweet_to_item

NOW = datetime(2026, 11, 17, 9, 0, tzinfo=timezone.utc)
QUICK = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ANY_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=200)
NASTY = st.sampled_from([
    "<script>alert(1)</script>", "\u202eevil\u202c", "\x00", "\r\nBcc: x@example.com", "👩‍⚕️🏥", "مرحبا بكم",
    "שלום", "\u2028\u2029", "\ufeff", "{{ 7*7 }}", "07700 900123", "DE1 1AA", "943 476 5919",
])
TEXTS = st.one_of(ANY_TEXT, st.lists(st.one_of(ANY_TEXT, NASTY), max_size=5).map("".join))
SCALARS = st.one_of(TEXTS, st.integers(), st.floats(allow_nan=True), st.none(), st.booleans())
JSON_VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                            st.dictionaries(TEXTS, inner, max_size=3)), max_leaves=8)
GRAPH_TIME = st.one_of(st.just("2026-11-17T09:12:44+0000"), st.just("2026-13-45T99:99:99+0000"), SCALARS)
X_TIME = st.one_of(st.just("2026-11-20T09:14:03.000Z"), st.just("20261120"), SCALARS)


def _record(keys: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[Any]:
    """A record with any subset of keys, each of the plausible kind or anything at all, or not a record at all."""
    fields = {k: st.one_of(v, JSON_VALUES) for k, v in keys.items()}
    return st.one_of(st.fixed_dictionaries({}, optional=fields), JSON_VALUES)


AUTHOR = st.fixed_dictionaries({}, optional={"id": st.one_of(st.text(max_size=20), st.integers()), "name": TEXTS})
GRAPH_RECORD = _record({
    "id": st.one_of(st.text(max_size=30), st.integers()), "message": TEXTS, "review_text": TEXTS,
    "created_time": GRAPH_TIME, "updated_time": GRAPH_TIME, "from": AUTHOR, "reviewer": AUTHOR,
    "parent": st.fixed_dictionaries({}, optional={"id": SCALARS}), "permalink_url": TEXTS,
    "attachment": st.dictionaries(st.sampled_from(["media", "target", "description", "url", "media_type"]),
                                  JSON_VALUES, max_size=4),
    "attachments": st.fixed_dictionaries({}, optional={"data": st.lists(
        st.dictionaries(st.sampled_from(["media", "subattachments", "target", "media_type", "description"]),
                        JSON_VALUES, max_size=4), max_size=3)}),
    "open_graph_story": st.fixed_dictionaries({}, optional={"id": SCALARS}),
})
X_RECORD = _record({
    "id": st.one_of(st.text(max_size=30), st.integers()), "text": TEXTS, "created_at": X_TIME,
    "author_id": SCALARS, "sender_id": SCALARS, "conversation_id": SCALARS, "dm_conversation_id": SCALARS,
    "event_type": st.sampled_from(["MessageCreate", "ParticipantsJoin", ""]),
    "referenced_tweets": st.lists(st.fixed_dictionaries({}, optional={"type": st.just("replied_to"), "id": SCALARS}),
                                  max_size=2),
    "attachments": st.fixed_dictionaries({}, optional={"media_keys": st.lists(SCALARS, max_size=2)}),
})
X_PAYLOAD = st.fixed_dictionaries({}, optional={"includes": st.one_of(JSON_VALUES, st.fixed_dictionaries({}, optional={
    "users": st.lists(st.one_of(JSON_VALUES, st.fixed_dictionaries({"id": SCALARS}, optional={"username": SCALARS})),
                      max_size=2),
    "media": st.lists(st.one_of(JSON_VALUES, st.fixed_dictionaries({"media_key": SCALARS}, optional={
        "url": SCALARS, "type": SCALARS, "alt_text": SCALARS})), max_size=2),
    "tweets": st.lists(JSON_VALUES, max_size=2),
}))})
CTX = ParseContext("x", "2244994945", "HWDerbyshire", NOW, frozenset({"1"}))


def _assert_sound(item: Item) -> None:
    assert isinstance(item.text, str) and isinstance(item.external_id, str) and item.external_id
    assert item.created_at.tzinfo is not None
    assert item.author_id is None or isinstance(item.author_id, str)
    assert item.author_name is None or isinstance(item.author_name, str)
    assert item.permalink is None or isinstance(item.permalink, str)
    for media in item.media:
        assert media.url is None or isinstance(media.url, str)
        assert media.alt_text is None or isinstance(media.alt_text, str)


@QUICK
@given(GRAPH_RECORD, st.sampled_from(["post", "comment", "rating", "message"]))
def test_a_graph_record_is_an_item_or_a_named_payload_error(record, kind):
    build = {
        "post": lambda: post_item(record, "fb", "104729318530001"),
        "comment": lambda: comment_item(record, "fb", "104729318530001", "104729318530001_1"),
        "rating": lambda: rating_item(record, "fb", "104729318530001"),
        "message": lambda: message_item(record, "fb", "104729318530001", "/inbox/1/"),
    }[kind]
    try:
        item = build()
    except PayloadError as exc:
        assert str(exc)
    else:
        _assert_sound(item)
        text_key = "review_text" if kind == "rating" else "message"
        assert item.text == (record.get(text_key) or ""), "the text is kept byte for byte"


@QUICK
@given(X_RECORD, X_PAYLOAD, st.sampled_from(["mentions", "replies", "own_posts", "direct_messages"]))
def test_an_x_record_is_an_item_or_a_named_payload_error(record, payload, stream):
    try:
        includes = Includes(payload)
        item = dm_to_item(record, includes, CTX) if stream == "direct_messages" else \
            tweet_to_item(record, includes, stream, CTX)
    except PayloadError as exc:
        assert str(exc)
    else:
        if item is not None:
            _assert_sound(item)
            if isinstance(record.get("text"), str):
                assert item.text == record["text"], "the text is kept byte for byte"


MEGABYTE_TEXTS = [
    "a" * 1_000_000,
    "Disgraceful service at the surgery. " * 28_000,
    "\x00\u202e👩‍⚕️ شكرا " * 90_000,
    ("Call me on 07700 900123 or write to 1 Fictional Road, Derby DE1 1AA. " * 15_000)[:1_000_000],
]


@pytest.mark.parametrize("text", MEGABYTE_TEXTS, ids=["letters", "complaint", "rtl-nul-emoji", "personal-data"])
def test_a_one_megabyte_record_parses_and_keeps_its_text(text):
    record = {"id": "1_2", "message": text, "created_time": "2026-11-17T09:12:44+0000",
              "from": {"id": "1", "name": text[:1000]}}
    assert comment_item(record, "fb", "9", "1").text == text
    tweet = tweet_to_item({"id": "1", "text": text, "author_id": "5"}, Includes({}), "mentions", CTX)
    assert tweet.text == text


@pytest.fixture(scope="module")
def detectors():
    """Every registered detector, prepared once with the default configuration."""
    from classifiers.base import Facts
    from classifiers.registry import DETECTORS, _module
    from monitor.settings import settings_from_dict

    configured = settings_from_dict({
        "organisation": {"published_phones": ["01632 960000"], "staff_names": ["Jo Fictional"]},
        "keyword_rules": [{"name": "c", "label": "complaint", "words": ["disgraceful"], "patterns": [r"\bwait\w*"]}],
        "detectors": {"enabled": list(DETECTORS)},
    })
    prepared = []
    for name in DETECTORS:
        module = _module(name)
        prepared.append((name, module, module.prepare(configured, Facts())))
    return prepared


def _check_findings(detectors, text: str, kind: str = "comment", own: bool = False) -> None:
    item = Item("facebook", "fb", "1", kind, text, NOW, author_id="7", author_name="A. Fictional", own=own)
    for name, module, prepared in detectors:
        for finding in module.detect(item, prepared):
            assert 0.0 <= finding.score <= 1.0, (name, finding)
            for span in finding.spans:
                assert 0 <= span.start < span.end <= len(text), (name, span, len(text))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(text=TEXTS, kind=st.sampled_from(["comment", "post", "message"]), own=st.booleans())
def test_every_detector_survives_any_text_and_points_inside_it(detectors, text, kind, own):
    _check_findings(detectors, text, kind, own)


@pytest.mark.parametrize("text", MEGABYTE_TEXTS, ids=["letters", "complaint", "rtl-nul-emoji", "personal-data"])
def test_every_detector_survives_a_one_megabyte_text(detectors, text):
    _check_findings(detectors, text)
