"""The Facebook Page connector against a fake Graph API server on 127.0.0.1."""
from __future__ import annotations

import json
import socket
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from connectors.base import ActionNotSupported, AuthError, Item, RateLimited, TransientError
from connectors.facebook import FacebookConnector
from connectors.options import FacebookOptions
from monitor.settings import AccountSettings
from tests.connectors.contract import ConnectorContract
from tests.connectors.fake_graph import PAGE_ID, PAGE_NAME, TOKEN, FakeGraph

NOW = datetime.now(timezone.utc).replace(microsecond=0)
PAGE = {"id": PAGE_ID, "name": PAGE_NAME}
DANA = {"id": "6617104422001", "name": "Dana Whitlock"}
OWEN = {"id": "6617104422002", "name": "Owen Pargeter"}


@pytest.fixture
def graph():
    fake = FakeGraph()
    fake.start()
    yield fake
    fake.stop()


def connector_for(graph: FakeGraph, **options: Any) -> FacebookConnector:
    """A connector for the fake Page; options override FacebookOptions' defaults."""
    settings = {"page_id": PAGE_ID, "access_token": TOKEN, "graph_url": graph.base_url, "timeout": 2.0, **options}
    account = AccountSettings(name="hwd-facebook", connector="facebook", options=FacebookOptions(**settings),
                              backfill=timedelta(days=7))
    return FacebookConnector(account)


def poll(connector: FacebookConnector, cursor: Any = None) -> tuple[list[Item], Any, list, dict]:
    """Fetch as the pipeline does: batch after batch while has_more, each cursor JSON-serialisable."""
    items, skipped, notices = [], [], {}
    while True:
        batch = connector.fetch(cursor)
        items += batch.items
        skipped += batch.skipped
        notices.update(batch.notices)
        cursor = json.loads(json.dumps(batch.next_cursor)) if batch.next_cursor is not None else cursor
        if not batch.has_more:
            return items, cursor, skipped, notices


def small_page(graph: FakeGraph) -> None:
    """A Page with one of everything, and one post older than the backfill window."""
    graph.add_post(f"{PAGE_ID}_1", "Our drop-in at Chesterfield library is on Tuesday.", NOW - timedelta(days=2), PAGE,
                   attachments={"data": [{"media_type": "photo", "url": "https://www.facebook.com/photo/1",
                                          "description": "Volunteers at the library stall",
                                          "media": {"image": {"src": "https://scontent.example/1.jpg"}},
                                          "target": {"id": "7001", "url": "https://www.facebook.com/photo/1"}}]})
    graph.add_post(f"{PAGE_ID}_2", "Waited six weeks for a GP appointment in Belper.", NOW - timedelta(days=1), DANA)
    graph.add_post(f"{PAGE_ID}_3", "Does anyone know if the dentist list is open?", NOW - timedelta(hours=3), None)
    graph.add_post(f"{PAGE_ID}_0", "An old post from last month.", NOW - timedelta(days=30), PAGE)
    graph.add_comment(f"{PAGE_ID}_1", "1_c1", "Will there be someone to help with forms?", NOW - timedelta(hours=30),
                      OWEN)
    graph.add_comment(f"{PAGE_ID}_1", "1_c2", "Great news.", NOW - timedelta(hours=29), None)
    graph.add_comment(f"{PAGE_ID}_1", "1_r1", "Yes, bring the letter with you.", NOW - timedelta(hours=28), PAGE,
                      parent_id="1_c1")
    graph.ratings.append({"created_time": (NOW - timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M:%S+0000"),
                          "recommendation_type": "positive", "review_text": "They listened to me.",
                          "reviewer": OWEN, "open_graph_story": {"id": "8001"}})
    graph.ratings.append({"created_time": (NOW - timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M:%S+0000"),
                          "recommendation_type": "negative", "review_text": "Nobody called me back."})
    graph.add_message("t_901", "m_1", "Can I tell you about my mum's care home?", NOW - timedelta(hours=2), DANA)
    graph.add_message("t_901", "m_2", "Of course, what happened?", NOW - timedelta(hours=1), PAGE)


def by_id(items: list[Item]) -> dict[str, Item]:
    return {item.external_id: item for item in items}


class TestFacebookContract(ConnectorContract):
    @pytest.fixture
    def contract_connector(self, graph):
        small_page(graph)
        return connector_for(graph)


def test_first_poll_reads_each_kind_with_its_parent_author_and_permalink(graph):
    small_page(graph)
    items, _, skipped, _ = poll(connector_for(graph))
    found = by_id(items)
    assert skipped == []
    assert found[f"{PAGE_ID}_1"].kind == "post" and found[f"{PAGE_ID}_1"].own
    assert found[f"{PAGE_ID}_2"].kind == "visitor_post" and found[f"{PAGE_ID}_2"].author_name == "Dana Whitlock"
    assert (found["1_c1"].kind, found["1_c1"].parent_id, found["1_c1"].author_id) == ("comment", f"{PAGE_ID}_1",
                                                                                        OWEN["id"])
    assert (found["1_r1"].kind, found["1_r1"].parent_id, found["1_r1"].own) == ("reply", "1_c1", True)
    assert found["8001"].kind == "rating" and found["8001"].text == "They listened to me."
    assert found["m_1"].kind == "message" and not found["m_1"].own and found["m_2"].own
    assert found["1_c1"].permalink == f"https://www.facebook.com/{PAGE_ID}_1?comment_id=1_c1"
    assert found["m_1"].permalink == f"https://www.facebook.com/{PAGE_ID}/inbox/t_901/"


def test_nothing_older_than_the_backfill_window_is_read_on_the_first_poll(graph):
    small_page(graph)
    items, _, _, _ = poll(connector_for(graph))
    assert f"{PAGE_ID}_0" not in by_id(items)
    assert len(items) == 10


def test_missing_from_is_never_required(graph):
    small_page(graph)
    found = by_id(poll(connector_for(graph))[0])
    assert found[f"{PAGE_ID}_3"].author_id is None and found[f"{PAGE_ID}_3"].kind == "visitor_post"
    assert found["1_c2"].author_id is None and found["1_c2"].author_name is None
    rating_without_reviewer = [i for i in found.values() if i.kind == "rating" and i.author_id is None]
    assert len(rating_without_reviewer) == 1 and rating_without_reviewer[0].external_id.startswith("rating:")


def test_times_are_utc_aware_and_media_keeps_type_url_and_description(graph):
    small_page(graph)
    found = by_id(poll(connector_for(graph))[0])
    post = found[f"{PAGE_ID}_1"]
    assert post.created_at == NOW - timedelta(days=2) and post.created_at.utcoffset() == timedelta(0)
    assert post.media[0].type == "photo" and post.media[0].url == "https://scontent.example/1.jpg"
    assert post.media[0].alt_text == "Volunteers at the library stall" and post.media[0].media_id == "7001"


def test_second_poll_finds_nothing_new(graph):
    small_page(graph)
    connector = connector_for(graph)
    _, cursor, _, _ = poll(connector)
    items, _, _, _ = poll(connector, cursor)
    assert items == []


def test_new_comments_and_replies_on_an_old_post_are_read_on_the_next_poll(graph):
    small_page(graph)
    connector = connector_for(graph)
    _, cursor, _, _ = poll(connector)
    graph.add_comment(f"{PAGE_ID}_0", "0_c1", "Is this still running?", NOW - timedelta(minutes=3), DANA)
    graph.add_comment(f"{PAGE_ID}_0", "0_r1", "No, it ended.", NOW - timedelta(minutes=2), PAGE, parent_id="0_c1")
    graph.add_post(f"{PAGE_ID}_4", "New opening hours from December.", NOW - timedelta(minutes=1), PAGE)
    found = by_id(poll(connector, cursor)[0])
    assert sorted(found) == ["0_c1", "0_r1", f"{PAGE_ID}_4"]
    assert found["0_r1"].parent_id == "0_c1" and found["0_c1"].parent_id == f"{PAGE_ID}_0"


def test_a_page_of_300_posts_with_3_new_comments_costs_at_most_10_calls(graph):
    for n in range(300):
        graph.add_post(f"{PAGE_ID}_{1000 + n}", f"Update number {n}", NOW - timedelta(hours=2 * n + 1), PAGE)
    connector = connector_for(graph)
    first, cursor, _, _ = poll(connector)
    assert len(first) == 84  # posts of the last 7 days (168 hours, one every 2 hours)
    graph.calls.clear()
    for n, post in ((5, 1005), (150, 1150), (290, 1290)):
        graph.add_comment(f"{PAGE_ID}_{post}", f"c{n}", "I had the same problem in Ilkeston.",
                          NOW - timedelta(minutes=n % 7 + 1), OWEN)
    items, _, _, _ = poll(connector, cursor)
    print(f"Graph calls for one cycle with 3 changed posts out of 300: {len(graph.calls)}")
    assert sorted(i.external_id for i in items) == ["c150", "c290", "c5"]
    assert len(graph.calls) <= 10


def test_a_long_backfill_comes_in_several_batches_each_item_once(graph):
    for n in range(300):
        post_id = f"{PAGE_ID}_{1000 + n}"
        graph.add_post(post_id, f"Update number {n}", NOW - timedelta(minutes=10 * n + 5), PAGE)
        graph.add_comment(post_id, f"c{n}", "Thank you.", NOW - timedelta(minutes=10 * n + 1), OWEN)
    connector = connector_for(graph)
    batches = 0
    cursor, ids = None, []
    while True:
        batch = connector.fetch(cursor)
        batches += 1
        ids += [i.external_id for i in batch.items]
        cursor = batch.next_cursor
        if not batch.has_more:
            break
    assert batches >= 2 and len(ids) == 600 and len(set(ids)) == 600


@pytest.mark.parametrize("kind, why", [
    ("expired", "expired"), ("password_changed", "password"), ("not_admin", "no longer an admin"),
])
def test_a_refused_token_is_an_auth_error_that_says_why_and_how_to_fix(graph, kind, why):
    graph.fail_next(kind)
    with pytest.raises(AuthError) as raised:
        connector_for(graph).fetch(None)
    assert why in str(raised.value) and "docs/facebook.md" in str(raised.value)
    assert TOKEN not in str(raised.value)


@pytest.mark.parametrize("kind", ["app_limit", "page_limit", "buc_limit"])
def test_rate_limits_are_rate_limited(graph, kind):
    graph.fail_next(kind)
    with pytest.raises(RateLimited) as raised:
        connector_for(graph).fetch(None)
    if kind == "app_limit":
        assert raised.value.retry_at is None  # x-app-usage gives no time: the scheduler backs off exponentially
    else:
        assert raised.value.retry_at > datetime.now(timezone.utc) + timedelta(minutes=10)


def test_usage_at_90_percent_stops_before_the_next_call(graph):
    graph.usage_header = {"call_count": 93, "total_cputime": 12, "total_time": 20}
    with pytest.raises(RateLimited):
        connector_for(graph).fetch(None)
    assert len(graph.calls) == 1


@pytest.mark.parametrize("kind", ["html500", "stall"])
def test_server_errors_and_stalls_are_transient(graph, kind):
    graph.fail_next(kind)
    with pytest.raises(TransientError):
        connector_for(graph, timeout=0.3).fetch(None)


def test_an_unreachable_server_is_transient(graph):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    with pytest.raises(TransientError):
        connector_for(graph, graph_url=f"http://127.0.0.1:{closed_port}/").fetch(None)


def test_a_malformed_record_is_skipped_and_the_rest_returned(graph):
    small_page(graph)
    graph.add_post(f"{PAGE_ID}_9", "Broken", NOW - timedelta(hours=1), DANA)["created_time"] = "yesterday"
    graph.add_comment(f"{PAGE_ID}_2", "2_c1", "fine", NOW - timedelta(hours=6), OWEN)
    del graph.add_comment(f"{PAGE_ID}_2", "2_cx", "no id", NOW - timedelta(hours=7), OWEN)["id"]
    items, _, skipped, _ = poll(connector_for(graph))
    assert len(items) == 11
    assert sorted(s.raw.get("message") for s in skipped) == ["Broken", "no id"]


def test_messages_without_permission_give_one_notice_and_are_not_asked_again(graph):
    small_page(graph)
    graph.permissions = ("pages_read_engagement", "pages_read_user_content", "pages_manage_engagement")
    connector = connector_for(graph)
    items, cursor, _, notices = poll(connector)
    assert "pages_messaging" in notices["conversations"] and not [i for i in items if i.kind == "message"]
    assert [i for i in items if i.kind == "post"]
    _, _, _, second_notices = poll(connector, cursor)
    assert second_notices == {} and graph.calls_to("conversations") == 1


def test_hide_only_a_comment_graph_says_can_be_hidden(graph):
    small_page(graph)
    graph.add_comment(f"{PAGE_ID}_2", "2_c9", "Page admin's own comment", NOW - timedelta(hours=1), OWEN,
                      can_hide=False)
    connector = connector_for(graph)
    found = by_id(poll(connector)[0])
    assert connector.hide(found["1_c1"]).ok
    assert graph.actions[-1] == ("1_c1", {"is_hidden": "true", "access_token": TOKEN})
    with pytest.raises(ActionNotSupported):
        connector.hide(found["2_c9"])


def test_private_reply_is_allowed_only_within_7_days_of_the_comment(graph):
    small_page(graph)
    connector = connector_for(graph)
    comment = by_id(poll(connector)[0])["1_c1"]
    assert connector.private_reply_deadline(comment) == comment.created_at + timedelta(days=7)
    result = connector.private_reply(comment, "Please message us your phone number and we will call you.")
    assert result.ok and result.external_id.startswith("m_")
    assert json.loads(graph.actions[-1][1]["recipient"]) == {"comment_id": "1_c1"}
    old = Item(**{**comment.__dict__, "created_at": NOW - timedelta(days=8)})
    with pytest.raises(ActionNotSupported):
        connector.private_reply(old, "Too late")


def test_public_replies_need_allow_public_replies(graph):
    small_page(graph)
    found = by_id(poll(connector_for(graph))[0])
    with pytest.raises(ActionNotSupported):
        connector_for(graph).public_reply(found["1_r1"], "Thank you")
    assert connector_for(graph, allow_public_replies=True).public_reply(found["1_r1"], "Thank you").ok
    assert graph.actions[-1][0] == "1_c1/comments"  # an answer to a reply goes under its comment


def test_ping_reports_each_missing_permission(graph):
    graph.permissions = ("pages_read_engagement", "pages_read_user_content")
    problems = connector_for(graph).ping()
    assert len(problems) == 2
    assert any("pages_messaging" in p for p in problems) and any("pages_manage_engagement" in p for p in problems)


def test_ping_reports_a_refused_token_as_one_sentence(graph):
    graph.fail_next("expired")
    problems = connector_for(graph).ping()
    assert len(problems) == 1 and "expired" in problems[0] and "docs/facebook.md" in problems[0]


def test_the_cursor_never_holds_the_token(graph):
    for n in range(80):
        graph.add_post(f"{PAGE_ID}_{n}", f"Post {n}", NOW - timedelta(minutes=n + 1), PAGE)
        for c in range(5):
            graph.add_comment(f"{PAGE_ID}_{n}", f"{n}_c{c}", "Thanks", NOW - timedelta(minutes=n, seconds=c), OWEN)
    batch = connector_for(graph).fetch(None)
    assert batch.has_more and TOKEN not in json.dumps(batch.next_cursor)
