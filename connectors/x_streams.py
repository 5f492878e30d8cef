"""What to ask X for each stream (mentions, replies, own posts, direct messages) and what its errors mean."""
from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta, timezone
from typing import Any, Callable

import requests
import tweepy

from connectors.base import AuthError, QuotaExhausted, TransientError
from connectors.x_parse import (
    DM_EVENT_FIELDS, DM_EXPANSIONS, MEDIA_FIELDS, TWEET_EXPANSIONS, TWEET_FIELDS, USER_FIELDS, snowflake_time,
)
from connectors.x_state import SEARCH_WINDOW, PollState, id_order

log = logging.getLogger(__name__)

STREAM_ORDER = ("own_posts", "replies", "mentions", "direct_messages")  # own posts first: they name the threads
QUERY_LIMIT = 512  # characters in one search query on the pay-per-use and Basic plans
MAX_PAGE = 100
MIN_PAGE = {"mentions": 5, "own_posts": 5, "search": 10, "dms": 1}
DM_PROBE_PAGE = 10  # DMs have no since_id: a small first page when we already know the latest ones
_WINDOW_MARGIN = timedelta(minutes=2)


class StreamForbidden(Exception):
    """X answered 403: the plan or the app's permissions do not cover this stream."""


class StreamThrottled(Exception):
    """X answered 429 (a rate limit); reset is the epoch second it lifts, when X said."""

    def __init__(self, message: str, reset: int | None) -> None:
        super().__init__(message)
        self.reset = reset


class UsageCapped(Exception):
    """X answered 429 because the account's usage cap or credits are spent: waiting minutes will not help."""


UsageCapReached = QuotaExhausted  # the account's usage cap or credits are spent: paused until the next UTC day


class StreamFailed(Exception):
    """X refused this request (400, 404...): skip the stream for this poll, the others go on."""


def call_x(method: Callable[..., Any], **params: Any) -> Any:
    """Call one tweepy.Client method, turning its errors into the connector's."""
    try:
        return method(**params)
    except tweepy.Unauthorized as exc:
        raise AuthError(f"X refused the credentials (401): {_short(exc)}") from None
    except tweepy.Forbidden as exc:
        raise StreamForbidden(_short(exc)) from None
    except tweepy.TooManyRequests as exc:
        if is_usage_cap(exc.response):
            raise UsageCapped(_short(exc)) from None
        raise StreamThrottled(_short(exc), exc.reset_time) from None
    except tweepy.TwitterServerError as exc:
        raise TransientError(f"X had a server error: {_short(exc)}") from None
    except tweepy.HTTPException as exc:
        raise StreamFailed(_short(exc)) from None
    except requests.Timeout:
        raise TransientError("X did not answer in time") from None
    except requests.RequestException as exc:
        raise TransientError(f"X could not be reached: {type(exc).__name__}") from None
    except ValueError as exc:  # a 200 that is not JSON (a proxy's page), or an unreadable reset header
        raise TransientError(f"X sent something unreadable: {exc}") from None


def is_usage_cap(response: requests.Response | None) -> bool:
    """Whether a 429 says the usage cap or the credits are spent, rather than a rate limit."""
    if response is None:
        return False
    try:
        body = json.dumps(response.json()).lower()
    except ValueError:
        body = (response.text or "").lower()
    return any(sign in body for sign in ("usagecapexceeded", "usage cap", "usage-capped", "credits"))


def _short(exc: tweepy.HTTPException) -> str:
    return " ".join(str(exc).split())[:300]


def backfill_start(now: datetime, backfill: timedelta, window: timedelta | None = None) -> str:
    """The start_time for a first poll: backfill ago, within the endpoint's window."""
    start = now - backfill
    if window is not None:
        start = max(start, now - window + _WINDOW_MARGIN)
    return start.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def plan_stream(stream: str, state: PollState, user_id: str, handle: str | None, now: datetime,
                backfill: timedelta) -> dict[str, Any] | None:
    """The queries one stream needs this poll, as JSON kept in the cursor until they are all done."""
    plan: dict[str, Any] = {"index": 0, "token": None, "newest": None}
    if stream in ("mentions", "own_posts"):
        params: dict[str, Any] = {"id": user_id}
        if stream == "own_posts":
            params["exclude"] = ["retweets"]
        since = state.since.get(stream)
        params.update({"since_id": since} if since else {"start_time": backfill_start(now, backfill)})
        plan["queries"] = [{"call": stream, "params": params}]
    elif stream == "replies":
        state.expire_conversations(now)
        if not state.conversations:
            return None
        plan["queries"] = _reply_queries(state, handle, now, backfill)
        plan["conversations"] = [c["id"] for c in state.conversations]
    elif stream == "direct_messages":
        plan["queries"] = [{"call": "dms", "params": {}}]
        plan["cutoff"] = None if state.dm_seen else (now - backfill).isoformat()
    else:
        raise ValueError(f"unknown X stream {stream!r}")
    return plan


def _reply_queries(state: PollState, handle: str | None, now: datetime, backfill: timedelta) -> list[dict]:
    """Conversation searches; threads never searched start from their first post, the rest from since_id."""
    since = state.since.get("replies")
    searched = [c["id"] for c in state.conversations if c.get("searched") and since]
    new = [c["id"] for c in state.conversations if not (c.get("searched") and since)]
    queries = []
    for ids, chunk_since in [(chunk, since) for chunk in _chunks(searched, handle)] + [
        (chunk, min(chunk, key=id_order) if since else None) for chunk in _chunks(new, handle)
    ]:
        params: dict[str, Any] = {"query": _search_text(ids, handle)}
        minted = snowflake_time(chunk_since)
        if chunk_since and (minted is None or minted > now - SEARCH_WINDOW + _WINDOW_MARGIN):
            params["since_id"] = chunk_since
        else:
            params["start_time"] = backfill_start(now, backfill, SEARCH_WINDOW)
        queries.append({"call": "search", "params": params})
    return queries


def _search_text(ids: list[str], handle: str | None) -> str:
    terms = " OR ".join(f"conversation_id:{i}" for i in ids)
    text = f"({terms})" if len(ids) > 1 else terms
    return f"{text} -from:{handle}" if handle else text


def _chunks(ids: list[str], handle: str | None) -> list[list[str]]:
    chunks: list[list[str]] = []
    for conversation_id in ids:
        if chunks and len(_search_text(chunks[-1] + [conversation_id], handle)) <= QUERY_LIMIT:
            chunks[-1].append(conversation_id)
        else:
            chunks.append([conversation_id])
    return chunks


def request_page(client: tweepy.Client, query: dict[str, Any], token: str | None, reads_left: int,
                 user_auth: bool, probe: bool = False) -> dict[str, Any]:
    """Ask X for one page of a planned query; returns the JSON payload."""
    call, params = query["call"], dict(query["params"])
    size = min(MAX_PAGE, max(MIN_PAGE[call], reads_left))
    if probe:
        size = min(size, DM_PROBE_PAGE)
    common = {"expansions": TWEET_EXPANSIONS, "tweet_fields": TWEET_FIELDS, "user_fields": USER_FIELDS,
              "media_fields": MEDIA_FIELDS, "max_results": size}
    if call == "dms":
        return call_x(client.get_direct_message_events, event_types="MessageCreate", user_auth=True,
                      dm_event_fields=DM_EVENT_FIELDS, expansions=DM_EXPANSIONS, user_fields=USER_FIELDS,
                      media_fields=MEDIA_FIELDS, max_results=size, **_token("pagination_token", token))
    method = {"mentions": client.get_users_mentions, "own_posts": client.get_users_tweets,
              "search": client.search_recent_tweets}[call]
    token_name = "next_token" if call == "search" else "pagination_token"
    return call_x(method, user_auth=user_auth, **params, **common, **_token(token_name, token))


def _token(name: str, token: str | None) -> dict[str, str]:
    return {name: token} if token else {}
