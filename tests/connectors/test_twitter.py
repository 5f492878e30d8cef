"""The X connector against a fake X API v2 server on 127.0.0.1."""
from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from connectors.base import ActionNotSupported, AuthError, Item, RateLimited, TransientError
from connectors.options import TwitterOptions
from connectors.twitter import TwitterConnector
from connectors.x_session import XSession
from connectors.x_streams import UsageCapReached
from monitor.settings import AccountSettings
from tests.connectors.contract import ConnectorContract
from tests.connectors.fake_x import ME, USAGE_CAPPED, FakeX

NOW = datetime.now(timezone.utc).replace(microsecond=0)
USER_KEYS = {"consumer_key": "ck-fake", "consumer_secret": "cs-fake", "access_token": f"{ME['id']}-at-fake",
             "access_token_secret": "ats-fake"}


class Clock:
    """A clock the test moves by hand, shared by the connector and the fake server's reset headers."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def epoch(self) -> float:
        """The same moment as epoch seconds."""
        return self.now.timestamp()


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def x(clock):
    fake = FakeX(clock=clock.epoch).start()
    yield fake
    fake.stop()


@pytest.fixture
def people(x) -> dict[str, dict[str, str]]:
    return {
        "dana": x.user("2200000001", "dana_whitlock", "Dana Whitlock"),
        "owen": x.user("2200000002", "owen_pargeter", "Owen Pargeter"),
        "priya": x.user("2200000003", "priya_kaur", "Priya Kaur"),
    }


def connector_for(x: FakeX, clock: Clock, **options: Any) -> TwitterConnector:
    """A connector for the fake account, user context unless the options say otherwise."""
    settings = {**USER_KEYS, "api_url": x.base_url, "timeout": 2.0, **options}
    account = AccountSettings(name="hwd-x", connector="twitter", options=TwitterOptions(**settings),
                              backfill=timedelta(days=7))
    connector = TwitterConnector(account)
    connector.clock = clock
    return connector


def poll(connector: TwitterConnector, cursor: Any = None) -> tuple[list[Item], Any, dict[str, str], int]:
    """Fetch as the pipeline does: batch after batch while has_more, each cursor stored as JSON."""
    items, notices, reads = [], {}, 0
    for _ in range(50):
        batch = connector.fetch(cursor)
        items += batch.items
        notices.update(batch.notices)
        reads += batch.reads
        cursor = json.loads(json.dumps(batch.next_cursor))
        if not batch.has_more:
            return items, cursor, notices, reads
    raise AssertionError("the connector never finished")


def small_world(x: FakeX, people: dict[str, dict[str, str]]) -> dict[str, str]:
    """The account's thread with replies, a mention, an own reply, direct messages, and an old mention."""
    ids = {}
    ids["thread"] = x.post(ME, "Our drop-in at Chesterfield library is on Tuesday.", NOW - timedelta(days=3),
                           media=[{"type": "photo", "url": "https://pbs.twimg.com/media/fake1.jpg",
                                   "alt_text": "Volunteers at the library stall"}])
    ids["reply"] = x.post(people["dana"], "@HWDerbyshire Waited six weeks for a GP appointment in Belper.",
                          NOW - timedelta(days=2), reply_to=ids["thread"])
    ids["nested"] = x.post(people["owen"], "Same here in Matlock, it is the same story.",
                           NOW - timedelta(days=2, hours=-1), reply_to=ids["reply"])
    ids["mention"] = x.post(people["priya"], "@HWDerbyshire does anyone know if the dentist list in Ilkeston is open?",
                            NOW - timedelta(days=1))
    ids["own_reply"] = x.post(ME, "@priya_kaur Thanks Priya, we will find out and come back to you.",
                              NOW - timedelta(hours=20), reply_to=ids["mention"])
    ids["old"] = x.post(people["owen"], "@HWDerbyshire an old one", NOW - timedelta(days=10))
    ids["dm"] = x.direct_message(people["dana"], "Can I tell you about my mum's care home privately?",
                                 NOW - timedelta(hours=5))
    ids["own_dm"] = x.direct_message(ME, "Of course, Dana. Call us on 01632 960123.", NOW - timedelta(hours=4))
    return ids


def by_id(items: list[Item]) -> dict[str, Item]:
    return {item.external_id: item for item in items}


def test_every_stream_is_stored_with_its_kind_parent_and_author(x, clock, people):
    ids = small_world(x, people)
    items, cursor, notices, reads = poll(connector_for(x, clock))
    found = by_id(items)
    assert set(found) == {ids[k] for k in ("thread", "reply", "nested", "mention", "own_reply", "dm", "own_dm")}
    assert len(items) == len(found), "a reply found by both mentions and search is returned once per stream only"
    thread = found[ids["thread"]]
    assert (thread.kind, thread.own, thread.parent_id) == ("post", True, None)
    assert thread.media[0].alt_text == "Volunteers at the library stall"
    assert thread.permalink == f"https://x.com/HWDerbyshire/status/{ids['thread']}"
    reply = found[ids["reply"]]
    assert (reply.kind, reply.parent_id, reply.author_id, reply.author_name) == (
        "reply", ids["thread"], people["dana"]["id"], "dana_whitlock")
    assert (found[ids["nested"]].kind, found[ids["nested"]].parent_id) == ("reply", ids["reply"])
    mention = found[ids["mention"]]
    assert (mention.kind, mention.own, mention.author_name) == ("mention", False, "priya_kaur")
    assert mention.created_at == NOW - timedelta(days=1)
    own_reply = found[ids["own_reply"]]
    assert (own_reply.kind, own_reply.own, own_reply.parent_id) == ("reply", True, ids["mention"])
    dm = found[ids["dm"]]
    assert (dm.kind, dm.own, dm.author_id, dm.author_name) == ("message", False, people["dana"]["id"], "dana_whitlock")
    assert found[ids["own_dm"]].own is True
    assert reads >= len(found)
    assert notices == {}


def test_a_second_poll_stores_nothing_new(x, clock, people):
    small_world(x, people)
    connector = connector_for(x, clock)
    _, cursor, _, _ = poll(connector)
    clock.now += timedelta(minutes=5)
    again, _, _, _ = poll(connector, cursor)
    assert again == []


def test_what_arrives_after_a_poll_is_picked_up_once(x, clock, people):
    ids = small_world(x, people)
    connector = connector_for(x, clock)
    _, cursor, _, _ = poll(connector)
    clock.now += timedelta(minutes=5)
    new_thread = x.post(ME, "Tell us about hospital discharge in Derby.", clock.now - timedelta(minutes=3))
    new_reply = x.post(people["owen"], "Sent home without my medicines.", clock.now - timedelta(minutes=2),
                       reply_to=new_thread)
    old_thread_reply = x.post(people["priya"], "Belper too.", clock.now - timedelta(minutes=1), reply_to=ids["thread"])
    new_dm = x.direct_message(people["priya"], "Thank you for calling back.", clock.now - timedelta(minutes=1))
    items, cursor, _, _ = poll(connector, cursor)
    assert sorted(i.external_id for i in items) == sorted([new_thread, new_reply, old_thread_reply, new_dm])
    clock.now += timedelta(minutes=5)
    assert poll(connector, cursor)[0] == []


def test_posts_lacking_created_at_or_author_are_stored_with_what_they_have(x, clock, people):
    no_author = x.post(people["dana"], "@HWDerbyshire who do I complain to about my GP?", NOW - timedelta(hours=2),
                       omit=("author_id",))
    no_time = x.post(people["owen"], "@HWDerbyshire the Royal Derby car park again", NOW - timedelta(hours=1),
                     omit=("created_at",))
    bare_dm = x.direct_message(people["priya"], "hello?", NOW - timedelta(hours=1), omit=("sender_id", "created_at"))
    found = by_id(poll(connector_for(x, clock))[0])
    assert found[no_author].author_id is None and found[no_author].author_name is None
    assert found[no_author].permalink == f"https://x.com/i/status/{no_author}"
    assert found[no_time].created_at == NOW and found[no_time].author_name == "owen_pargeter"
    assert (found[bare_dm].author_id, found[bare_dm].created_at) == (None, NOW)


def test_since_id_moves_only_after_the_last_page_of_a_stream(x, clock, people):
    posted = [x.post(people["dana"], f"@HWDerbyshire question {n}", NOW - timedelta(minutes=60 - n)) for n in range(12)]
    x.page_limit = 5
    connector = connector_for(x, clock, streams=["mentions"])
    connector.pages_per_fetch = 1
    batch = connector.fetch(None)
    assert batch.has_more and len(batch.items) == 5
    assert "mentions" not in batch.next_cursor["since"], "the position must not pass posts not yet returned"
    items, cursor, _, _ = poll(connector, json.loads(json.dumps(batch.next_cursor)))
    assert sorted(i.external_id for i in batch.items + items) == sorted(posted)
    assert cursor["since"]["mentions"] == max(posted, key=int)
    assert x.requests["mentions"] == 3


def test_a_poll_spread_over_many_batches_returns_each_item_once(x, clock, people):
    ids = small_world(x, people)
    x.page_limit = 1
    connector = connector_for(x, clock)
    connector.pages_per_fetch = 1
    items, cursor, _, _ = poll(connector)
    keys = [i.external_id for i in items]
    assert sorted(keys) == sorted(set(keys)), "the reply that mentions the account comes once, not twice"
    assert set(keys) == {ids[k] for k in ("thread", "reply", "nested", "mention", "own_reply", "dm", "own_dm")}
    clock.now += timedelta(minutes=5)
    assert poll(connector, cursor)[0] == []


def test_errors_beside_data_are_logged_and_the_rest_stored(x, clock, people, caplog):
    orphan = x.post(people["dana"], "@HWDerbyshire replying to a deleted post", NOW - timedelta(hours=1),
                    reply_to="1234567890123456789")
    with caplog.at_level(logging.WARNING, logger="connectors.x_parse"):
        found = by_id(poll(connector_for(x, clock, streams=["mentions"]))[0])
    assert found[orphan].parent_id == "1234567890123456789"
    assert "Could not find tweet" in caplog.text


def test_429_without_reset_makes_only_a_handful_of_requests_in_a_minute(x, clock, people):
    small_world(x, people)
    x.fail("mentions", 429, times=0)
    connector = connector_for(x, clock, streams=["mentions"])
    cursor = None
    for _ in range(120):  # a fetch every half second for a simulated minute
        try:
            cursor = json.loads(json.dumps(connector.fetch(cursor).next_cursor))
        except RateLimited as exc:
            assert exc.retry_at is not None and exc.retry_at > clock.now
        clock.now += timedelta(seconds=0.5)
    assert 1 <= x.requests["mentions"] <= 3
    clock.now += timedelta(hours=3)
    for _ in range(5):  # the backoff grows but stays bounded
        try:
            cursor = connector.fetch(cursor).next_cursor
        except RateLimited:
            pass
        clock.now += timedelta(hours=1, seconds=1)
    assert x.requests["mentions"] >= 5


def test_429_with_a_reset_time_skips_the_stream_until_then(x, clock, people):
    small_world(x, people)
    reset = clock.epoch() + 600
    x.fail("mentions", 429, reset=reset)
    connector = connector_for(x, clock, streams=["mentions"])
    cursor = connector.fetch(None).next_cursor
    clock.now += timedelta(minutes=5)
    with pytest.raises(RateLimited) as raised:
        connector.fetch(cursor)
    assert raised.value.retry_at == datetime.fromtimestamp(reset, tz=timezone.utc)
    clock.now += timedelta(minutes=6)
    assert {i.kind for i in connector.fetch(cursor).items} == {"mention", "reply"}
    assert x.requests["mentions"] == 2


def test_one_failing_stream_does_not_stop_the_others(x, clock, people):
    ids = small_world(x, people)
    x.fail("mentions", 403, times=0)
    x.fail("search", 503)
    connector = connector_for(x, clock)
    items, cursor, notices, _ = poll(connector)
    assert {ids["thread"], ids["own_reply"], ids["dm"], ids["own_dm"]} <= set(by_id(items))
    assert "403" in notices["mentions"]
    clock.now += timedelta(minutes=5)
    items, cursor, _, _ = poll(connector, cursor)
    assert set(by_id(items)) == {ids["reply"], ids["nested"]}, "search recovers at the next poll"
    assert x.requests["mentions"] == 1, "a stream X forbids is switched off, not retried every poll"


def test_direct_messages_x_refuses_are_switched_off_with_a_status_line(x, clock, people):
    small_world(x, people)
    x.fail("dm_events", 403, times=0)
    items, _, notices, _ = poll(connector_for(x, clock))
    assert "direct_messages" in notices and {i.kind for i in items} == {"post", "reply", "mention"}


def test_refused_credentials_raise_auth_error(x, clock, people):
    small_world(x, people)
    x.fail("mentions", 401)
    with pytest.raises(AuthError):
        connector_for(x, clock, user_id=ME["id"], handle="HWDerbyshire").fetch(None)


def test_a_spent_usage_cap_pauses_the_account_until_the_next_utc_day(x, clock, people):
    small_world(x, people)
    x.fail("tweets", 429, body=USAGE_CAPPED, times=0)
    with pytest.raises(UsageCapReached) as raised:
        connector_for(x, clock).fetch(None)
    assert isinstance(raised.value, RateLimited)
    tomorrow = (NOW + timedelta(days=1)).date()
    assert raised.value.retry_at == datetime(tomorrow.year, tomorrow.month, tomorrow.day, tzinfo=timezone.utc)
    assert x.requests["mentions"] == 0


def test_a_stalled_socket_is_a_transient_error(x, clock, people):
    small_world(x, people)
    x.fail("mentions", stall=True)
    with pytest.raises(TransientError):
        connector_for(x, clock, streams=["mentions"], timeout=0.3).fetch(None)


def test_server_errors_everywhere_are_transient(x, clock, people):
    for endpoint in ("me", "tweets", "search", "mentions", "dm_events"):
        x.fail(endpoint, 503, times=0)
    with pytest.raises(TransientError):
        connector_for(x, clock).fetch(None)


def test_the_daily_read_cap_stops_reading_and_says_so(x, clock, people):
    small_world(x, people)
    connector = connector_for(x, clock, daily_read_cap=3)
    items, cursor, notices, reads = poll(connector)
    assert "read_budget" in notices
    assert x.requests["mentions"] == 0 and x.requests["dm_events"] == 0
    assert cursor["reads_today"] == reads >= 3
    clock.now += timedelta(minutes=5)
    assert poll(connector, cursor)[3] == 0, "no more reads today"
    clock.now += timedelta(days=1)
    later, cursor, notices, _ = poll(connector_for(x, clock, daily_read_cap=100), cursor)
    assert x.requests["mentions"] == 1 and cursor["reads_day"] == clock.now.date().isoformat()
    assert notices["read_budget"] == "", "an empty line clears the notice in `status`"


def test_with_a_bearer_token_only_direct_messages_are_skipped_with_one_status_line(x, clock, people):
    ids = small_world(x, people)
    connector = connector_for(x, clock, consumer_key=None, consumer_secret=None, access_token=None,
                              access_token_secret=None, bearer_token="bearer-fake", user_id=ME["id"])
    items, cursor, notices, _ = poll(connector)
    assert "OAuth 1.0a" in notices["direct_messages"]
    assert ids["mention"] in by_id(items) and x.requests["dm_events"] == 0
    assert all(auth == "bearer" for _, auth in x.auth_used)
    clock.now += timedelta(minutes=5)
    assert poll(connector, cursor)[2] == {}, "said once, not every cycle"


def test_the_user_id_is_looked_up_once_and_kept(x, clock, people):
    small_world(x, people)
    _, cursor, _, _ = poll(connector_for(x, clock))
    assert cursor["user_id"] == ME["id"] and cursor["handle"] == "HWDerbyshire"
    poll(connector_for(x, clock), cursor)
    assert x.requests["me"] == 1


def test_hiding_a_reply_in_the_organisations_thread(x, clock, people):
    ids = small_world(x, people)
    connector = connector_for(x, clock)
    found = by_id(poll(connector)[0])
    result = connector.hide(found[ids["reply"]])
    assert result.ok and x.hidden == {ids["reply"]}
    with pytest.raises(ActionNotSupported):
        connector.hide(found[ids["mention"]])
    with pytest.raises(ActionNotSupported):
        connector.hide(found[ids["thread"]])


def test_a_private_reply_is_a_direct_message_to_the_author(x, clock, people):
    ids = small_world(x, people)
    connector = connector_for(x, clock)
    found = by_id(poll(connector)[0])
    result = connector.private_reply(found[ids["mention"]], "Hello Priya, could you call us on 01632 960123?")
    assert result.ok and x.sent == [{"participant_id": people["priya"]["id"],
                                     "text": "Hello Priya, could you call us on 01632 960123?"}]


def test_actions_need_the_user_keys(x, clock, people):
    ids = small_world(x, people)
    connector = connector_for(x, clock, consumer_key=None, consumer_secret=None, access_token=None,
                              access_token_secret=None, bearer_token="bearer-fake", user_id=ME["id"])
    reply = by_id(poll(connector)[0])[ids["reply"]]
    with pytest.raises(ActionNotSupported):
        connector.hide(reply)
    with pytest.raises(ActionNotSupported):
        connector.private_reply(reply, "hello")


def test_ping_reports_one_sentence_per_problem(x, clock):
    assert connector_for(x, clock).ping() == []
    x.fail("me", 401)
    [problem] = connector_for(x, clock).ping()
    assert "401" in problem
    bearer = connector_for(x, clock, consumer_key=None, consumer_secret=None, access_token=None,
                           access_token_secret=None, bearer_token="bearer-fake", user_id=ME["id"])
    [problem] = bearer.ping()
    assert "direct messages" in problem
    assert connector_for(x, clock, user_id="42").ping()[0].startswith("The OAuth 1.0a user keys belong to @HWDerbyshire")


def test_the_session_sends_tweepys_requests_to_the_configured_host():
    session = XSession("http://127.0.0.1:9/", timeout=3)
    assert session.rewrite("https://api.twitter.com/2/users/me") == "http://127.0.0.1:9/2/users/me"
    assert session.rewrite("https://upload.twitter.com/1.1/media") == "https://upload.twitter.com/1.1/media"
    assert XSession().rewrite("https://api.twitter.com/2/users/me") == "https://api.twitter.com/2/users/me"


class TestTwitterContract(ConnectorContract):
    @pytest.fixture
    def contract_connector(self, x, clock, people):
        small_world(x, people)
        return connector_for(x, clock)
