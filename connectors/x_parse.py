"""X API v2 payloads (posts, direct message events and their includes) turned into Items."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Mapping

import tweepy

from connectors.base import Item, Media, PayloadError

log = logging.getLogger(__name__)

# Only public fields: the non-public metrics fail on other people's posts.
TWEET_FIELDS = list(tweepy.PUBLIC_TWEET_FIELDS)
TWEET_EXPANSIONS = ["author_id", "attachments.media_keys", "referenced_tweets.id"]
USER_FIELDS = ["username", "name"]
MEDIA_FIELDS = ["type", "url", "preview_image_url", "alt_text"]
DM_EVENT_FIELDS = [
    "id", "text", "event_type", "created_at", "dm_conversation_id", "sender_id", "participant_ids",
    "referenced_tweets", "attachments",
]
DM_EXPANSIONS = ["sender_id", "attachments.media_keys", "referenced_tweets.id"]

_TWITTER_EPOCH_MS = 1288834974657
_FIRST_SNOWFLAKE = 10**15  # smaller ids (fixtures, fakes) carry no timestamp


@dataclass(frozen=True)
class ParseContext:
    """What turning a payload into Items needs to know about the account and the moment of fetching."""

    account: str
    user_id: str | None
    handle: str | None
    fetched_at: datetime
    own_conversations: frozenset[str] = frozenset()


class Includes:
    """A response's `includes`, indexed: users by id, media by key, posts by id."""

    def __init__(self, payload: Mapping[str, Any]) -> None:
        includes = payload.get("includes") if isinstance(payload, Mapping) else None
        includes = includes if isinstance(includes, Mapping) else {}
        self.users = {str(u["id"]): u for u in _mappings(includes.get("users")) if "id" in u}
        self.media = {str(m["media_key"]): m for m in _mappings(includes.get("media")) if "media_key" in m}
        self.tweets = {str(t["id"]): t for t in _mappings(includes.get("tweets")) if "id" in t}


def parse_time(value: Any) -> datetime | None:
    """An X timestamp ("2026-11-20T09:14:03.000Z") as aware UTC, or None when absent or unreadable."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        log.warning("unreadable X timestamp %r", value)
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


def snowflake_time(post_id: str | None) -> datetime | None:
    """When a post or event id was minted (X ids are snowflakes), or None for ids that are not."""
    try:
        number = int(post_id or "")
    except ValueError:
        return None
    if number < _FIRST_SNOWFLAKE:
        return None
    return datetime.fromtimestamp(((number >> 22) + _TWITTER_EPOCH_MS) / 1000, tz=timezone.utc)


def log_partial_errors(payload: Mapping[str, Any], stream: str) -> None:
    """Log the `errors` X sends beside `data` in a 200 (a deleted referenced post, a suspended author)."""
    for error in payload.get("errors") or []:
        if isinstance(error, Mapping):
            log.warning("X %s: partial error %s: %s (%s)", stream, error.get("title"), error.get("detail"),
                        error.get("resource_id") or error.get("value") or "")
        else:
            log.warning("X %s: partial error %s", stream, error)


def replied_to_id(record: Mapping[str, Any]) -> str | None:
    """The id of the post this one replies to, from referenced_tweets."""
    for ref in _mappings(record.get("referenced_tweets")):
        if ref.get("type") == "replied_to" and ref.get("id"):
            return str(ref["id"])
    return None


def permalink(username: str | None, post_id: str) -> str:
    """The public address of a post; x.com/i/status/ works when the author's handle is unknown."""
    return f"https://x.com/{username or 'i'}/status/{post_id}"


def tweet_to_item(tweet: Mapping[str, Any], includes: Includes, stream: str, ctx: ParseContext) -> Item:
    """One post from the mentions, replies or own_posts stream as an Item; raises PayloadError without an id."""
    post_id = _required_id(tweet, "post")
    author_id = _optional_str(tweet.get("author_id"))
    user = includes.users.get(author_id or "")
    own = stream == "own_posts" or (author_id is not None and author_id == ctx.user_id)
    parent_id = replied_to_id(tweet)
    if own:
        kind = "reply" if parent_id else "post"
    elif stream == "replies" or _in_own_thread(tweet, parent_id, includes, ctx):
        kind = "reply"  # someone else's reply in a thread the organisation started
    else:
        kind = "mention"
    username = _optional_str((user or {}).get("username")) or (ctx.handle if own else None)
    return Item(
        platform="twitter",
        account=ctx.account,
        external_id=post_id,
        kind=kind,
        text=str(tweet.get("text") or ""),
        created_at=parse_time(tweet.get("created_at")) or ctx.fetched_at,
        parent_id=parent_id,
        author_id=author_id or (ctx.user_id if own else None),
        author_name=username,
        permalink=permalink(username, post_id),
        media=_media(tweet, includes),
        own=own,
        raw=_raw(tweet, includes, user),
    )


def dm_to_item(event: Mapping[str, Any], includes: Includes, ctx: ParseContext) -> Item | None:
    """One direct message event as an Item (None for events that are not messages)."""
    event_id = _required_id(event, "direct message event")
    if event.get("event_type", "MessageCreate") != "MessageCreate":
        return None
    sender_id = _optional_str(event.get("sender_id"))
    user = includes.users.get(sender_id or "")
    conversation = _optional_str(event.get("dm_conversation_id"))
    return Item(
        platform="twitter",
        account=ctx.account,
        external_id=event_id,
        kind="message",
        text=str(event.get("text") or ""),
        created_at=parse_time(event.get("created_at")) or ctx.fetched_at,
        author_id=sender_id,
        author_name=_optional_str((user or {}).get("username")),
        permalink=f"https://x.com/messages/{conversation}" if conversation else None,
        media=_media(event, includes),
        own=sender_id is not None and sender_id == ctx.user_id,
        raw=_raw(event, includes, user),
    )


def _in_own_thread(tweet: Mapping[str, Any], parent_id: str | None, includes: Includes, ctx: ParseContext) -> bool:
    """Whether a post sits in a thread the organisation started (known threads, or a reply to its first post)."""
    conversation = _optional_str(tweet.get("conversation_id"))
    if conversation in ctx.own_conversations:
        return True
    parent = includes.tweets.get(parent_id or "") or {}
    return conversation is not None and conversation == parent_id and parent.get("author_id") == ctx.user_id


def _required_id(record: Mapping[str, Any], what: str) -> str:
    value = _optional_str(record.get("id")) if isinstance(record, Mapping) else None
    if not value:
        raise PayloadError(f"an X {what} without an id", raw=record)
    return value


def _optional_str(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


def _mappings(value: Any) -> list[Mapping[str, Any]]:
    """The objects of a JSON list; anything else in it (or a value that is not a list) is ignored."""
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []


def _media_keys(record: Mapping[str, Any]) -> list[Any]:
    attachments = record.get("attachments")
    keys = attachments.get("media_keys") if isinstance(attachments, Mapping) else None
    return [k for k in keys if isinstance(k, (str, int))] if isinstance(keys, list) else []


def _media(record: Mapping[str, Any], includes: Includes) -> tuple[Media, ...]:
    keys = _media_keys(record)
    found = []
    for key in keys:
        media = includes.media.get(str(key))
        if media is None:
            found.append(Media(type="unknown", media_id=str(key)))
            continue
        found.append(Media(
            type=str(media.get("type") or "unknown"),
            url=_optional_str(media.get("url") or media.get("preview_image_url")),
            alt_text=_optional_str(media.get("alt_text")),
            media_id=str(key),
        ))
    return tuple(found)


def _raw(record: Mapping[str, Any], includes: Includes, user: Mapping[str, Any] | None) -> dict[str, Any]:
    """The record in the API's own shape, with the includes that belong to it."""
    keys = _media_keys(record)
    refs = [str(r.get("id")) for r in _mappings(record.get("referenced_tweets"))]
    related: dict[str, Any] = {}
    if user:
        related["users"] = [dict(user)]
    media = [dict(includes.media[str(k)]) for k in keys if str(k) in includes.media]
    if media:
        related["media"] = media
    tweets = [dict(includes.tweets[r]) for r in refs if r in includes.tweets]
    if tweets:
        related["tweets"] = tweets
    raw: dict[str, Any] = {"data": dict(record)}
    if related:
        raw["includes"] = related
    return raw
