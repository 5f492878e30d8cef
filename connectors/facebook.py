"""The Facebook Page connector: posts, visitor posts, comments and replies, recommendations and Messenger messages."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, Callable

from connectors.base import AuthError, Batch, Connector, Cursor, Item, PayloadError, SkippedRecord
from connectors.facebook_actions import FacebookActions
from connectors.facebook_parse import (
    COMMENT_FIELDS, MESSAGE_FIELDS, POST_FIELDS, RATING_FIELDS,
    comment_item, message_item, parse_graph_time, post_item, rating_item,
)
from connectors.graph_session import GraphClient, PermissionMissing, next_page_args

if TYPE_CHECKING:  # pragma: no cover
    from monitor.settings import AccountSettings

log = logging.getLogger(__name__)

MAX_BATCH_ITEMS = 250  # checked before each page is asked for, so a batch stays at a few hundred items
PAGE_SIZE = 25
NESTED_PAGE_SIZE = 25
RETRY_DENIED_STREAM_AFTER = timedelta(days=1)

DENIED_NOTICES = {
    "ratings": ("Recommendations are not read: the token lacks pages_read_user_content ({why}). Add it to the "
                "Page token (docs/facebook.md); the connector asks again once a day."),
    "conversations": ("Messenger messages are not read: the token lacks pages_messaging ({why}). Add it to the "
                      "Page token (docs/facebook.md); the connector asks again once a day."),
}
RESUMED_NOTICES = {
    "ratings": "Recommendations are read again.",
    "conversations": "Messenger messages are read again.",
}


class _BatchFull(Exception):
    """Enough items for one batch, or usage too high to go on: return what we have, has_more=True."""


@dataclass
class _Collected:
    items: list[Item] = field(default_factory=list)
    skipped: list[SkippedRecord] = field(default_factory=list)
    notices: dict[str, str] = field(default_factory=dict)

    def add(self, build: Callable[[], Item]) -> Item | None:
        """Build one item, or keep the record as skipped when it is malformed."""
        try:
            item = build()
        except PayloadError as exc:
            log.warning("skipped a malformed Facebook record: %s", exc)
            self.skipped.append(SkippedRecord(str(exc), exc.raw))
            return None
        self.items.append(item)
        return item


class FacebookConnector(FacebookActions, Connector):
    """A Facebook Page read through the Graph API with facebook-sdk, polled per stream with time cursors."""

    name = "facebook"
    platform = "facebook"

    def __init__(self, account: "AccountSettings") -> None:
        super().__init__(account)
        self.options = account.options
        self.page_id = str(self.options.page_id)
        self.client = GraphClient(
            self.options.access_token.get_secret_value(),
            graph_url=self.options.graph_url,
            api_version=self.options.api_version,
            timeout=self.options.timeout,
        )

    def fetch(self, cursor: Cursor | None) -> Batch:
        """Read what changed since cursor on each configured stream; a first poll reads account.backfill only."""
        now = datetime.now(timezone.utc)
        state = _initial_state(cursor, now - self.account.backfill)
        collected = _Collected()
        streams = set(self.options.streams)
        readers: list[tuple[str, Callable[[dict[str, Any], _Collected], None]]] = []
        if streams & {"feed", "comments"}:
            readers.append(("feed", self._read_feed))
        if "ratings" in streams:
            readers.append(("ratings", self._read_ratings))
        if "conversations" in streams:
            readers.append(("conversations", self._read_conversations))
        read_streams = [name for name, _ in readers]
        for stream, read in readers:
            paused_until = state["paused"].get(stream)
            if paused_until is not None and paused_until > now.timestamp():
                continue
            try:
                read(state, collected)
            except _BatchFull:
                return Batch(_drop_seen_at_the_edge(collected.items, state, read_streams), state, has_more=True,
                             skipped=collected.skipped, notices=collected.notices)
            except PermissionMissing as exc:
                self._stream_denied(stream, exc, state, collected, now)
                continue
            if state["paused"].pop(stream, None) is not None:
                collected.notices[stream] = RESUMED_NOTICES.get(stream, f"{stream} is read again.")
        return Batch(_drop_seen_at_the_edge(collected.items, state, read_streams), state, has_more=False,
                     skipped=collected.skipped, notices=collected.notices)

    def close(self) -> None:
        """Close the HTTP connections."""
        self.client.close()

    def _stream_denied(self, stream: str, exc: PermissionMissing, state: dict[str, Any],
                       collected: _Collected, now: datetime) -> None:
        if stream == "feed":
            raise AuthError(f"Facebook: the token cannot read the Page's feed: it needs pages_read_engagement and "
                            f"pages_read_user_content (see docs/facebook.md) ({exc})") from None
        log.warning("account %s: %s stream not permitted: %s", self.account.name, stream, exc)
        state["paused"][stream] = int((now + RETRY_DENIED_STREAM_AFTER).timestamp())
        state.pop(f"{stream}_pass", None)
        collected.notices[stream] = DENIED_NOTICES[stream].format(why=f"Facebook error code {exc.code}")

    def _read_feed(self, state: dict[str, Any], collected: _Collected) -> None:
        """The feed newest activity first: new posts, and the new comments of posts whose updated_time moved."""
        streams = set(self.options.streams)
        fields = POST_FIELDS
        if "comments" in streams:
            fields += (f",comments.filter(stream).order(reverse_chronological).limit({NESTED_PAGE_SIZE})"
                       f"{{{COMMENT_FIELDS}}}")

        def take(record: Any, stop_at: int) -> int | None:
            activity = _record_time(record, "updated_time", "created_time")
            if activity is None:
                collected.skipped.append(SkippedRecord("a feed record has no readable updated_time", record))
                return None
            if activity < stop_at:  # the mark's own second is read again (see _drop_seen_at_the_edge)
                return activity
            if "feed" in streams:
                created = _record_time(record, "created_time")
                if created is None or created >= stop_at:  # an unreadable time makes post_item skip the record
                    collected.add(lambda: post_item(record, self.account.name, self.page_id))
            if "comments" in streams and isinstance(record.get("id"), str):
                self._read_comments(record["id"], record.get("comments"), stop_at, collected)
            return activity

        self._read_pass("feed", state, collected, f"{self.page_id}/feed", {"fields": fields, "limit": PAGE_SIZE}, take)

    def _read_comments(self, post_id: str, nested: Any, stop_at: int, collected: _Collected) -> None:
        """New comments and replies of one post, newest first, asking for more pages only while they are new."""
        page = nested if isinstance(nested, dict) else {}
        self._read_newest_first(page, lambda r: comment_item(r, self.account.name, self.page_id, post_id),
                                f"{post_id}/comments", stop_at, collected)

    def _read_newest_first(self, page: dict[str, Any], build: Callable[[Any], Item], path: str, stop_at: int,
                           collected: _Collected) -> None:
        """Records of a nested list, newest first, asking for more pages only while they are new."""
        while True:
            for record in page.get("data") or ():
                item = collected.add(lambda: build(record))
                if item is not None and item.created_at.timestamp() < stop_at:
                    collected.items.pop()
                    return
            args = next_page_args(page)
            if args is None:
                return
            page = self.client.get(path, **args)

    def _read_ratings(self, state: dict[str, Any], collected: _Collected) -> None:
        """Recommendations newest first, with their review text."""
        def take(record: Any, stop_at: int) -> int | None:
            created = _record_time(record, "created_time")
            if created is None:
                collected.skipped.append(SkippedRecord("a rating has no readable created_time", record))
                return None
            if created >= stop_at:
                collected.add(lambda: rating_item(record, self.account.name, self.page_id))
            return created

        self._read_pass("ratings", state, collected, f"{self.page_id}/ratings",
                        {"fields": RATING_FIELDS, "limit": PAGE_SIZE}, take)

    def _read_conversations(self, state: dict[str, Any], collected: _Collected) -> None:
        """Messenger conversations with new activity, and their new messages."""
        fields = f"id,updated_time,link,messages.limit({NESTED_PAGE_SIZE}){{{MESSAGE_FIELDS}}}"

        def take(record: Any, stop_at: int) -> int | None:
            activity = _record_time(record, "updated_time")
            if activity is None:
                collected.skipped.append(SkippedRecord("a conversation has no readable updated_time", record))
                return None
            if activity >= stop_at and isinstance(record.get("id"), str):
                self._read_messages(record, stop_at, collected)
            return activity

        self._read_pass("conversations", state, collected, f"{self.page_id}/conversations",
                        {"platform": "messenger", "fields": fields, "limit": PAGE_SIZE}, take)

    def _read_messages(self, conversation: dict[str, Any], stop_at: int, collected: _Collected) -> None:
        link = conversation.get("link") if isinstance(conversation.get("link"), str) else None
        page = conversation.get("messages") if isinstance(conversation.get("messages"), dict) else {}
        self._read_newest_first(page, lambda r: message_item(r, self.account.name, self.page_id, link),
                                f"{conversation['id']}/messages", stop_at, collected)

    def _read_pass(self, stream: str, state: dict[str, Any], collected: _Collected, path: str,
                   first_args: dict[str, Any], take: Callable[[Any, int], int | None]) -> None:
        """Page through a newest-first list until a record at or before the stream's mark; resumable mid-way.

        `take` handles one record and returns its time (None when unreadable); the pass ends at the first record
        no newer than the mark, and the mark then moves to the newest time seen. Between pages, the pass position
        (the next page's arguments, never the token) is kept in the cursor so a batch can end there.
        """
        current = state.get(f"{stream}_pass") or {
            "stop_at": state[f"{stream}_since"], "newest": state[f"{stream}_since"], "args": None,
        }
        while True:
            if len(collected.items) >= MAX_BATCH_ITEMS or (collected.items and self.client.usage_is_high()):
                raise _BatchFull()
            self.client.raise_if_usage_high()
            response = self.client.get(path, **(current["args"] or first_args))
            reached_mark = False
            for record in response.get("data") or ():
                seen = take(record, current["stop_at"])
                if seen is None:
                    continue
                if seen < current["stop_at"]:
                    reached_mark = True
                    break
                current["newest"] = max(current["newest"], seen)
            next_args = None if reached_mark else next_page_args(response)
            if next_args is None:
                state[f"{stream}_since"] = current["newest"]
                state.pop(f"{stream}_pass", None)
                return
            current["args"] = next_args
            state[f"{stream}_pass"] = current


EDGE_IDS_KEPT = 500


def _drop_seen_at_the_edge(items: list[Item], state: dict[str, Any], streams: list[str]) -> list[Item]:
    """Items not already returned; remembers those in the marks' own seconds, which the next poll reads again.

    Graph times have whole seconds, so a poll re-reads the second its mark stands at (something written in that
    second after the last poll would otherwise be lost); the ids returned in that second keep it exact.
    """
    seen = dict(state.get("edge_ids") or {})
    fresh = [item for item in items if item.external_id not in seen]
    marks = [state[f"{stream}_since"] for stream in streams if isinstance(state.get(f"{stream}_since"), int)]
    edge = min(marks) if marks else 0
    for item in items:
        seen[item.external_id] = int(item.created_at.timestamp())
    kept = sorted(((i, t) for i, t in seen.items() if t >= edge), key=lambda pair: -pair[1])[:EDGE_IDS_KEPT]
    state["edge_ids"] = dict(kept)
    return fresh


def _initial_state(cursor: Cursor | None, backfill_start: datetime) -> dict[str, Any]:
    """A private copy of the cursor, with every stream's mark at the backfill start when it has none yet."""
    start = int(backfill_start.timestamp())
    state: dict[str, Any] = {key: _copy(value) for key, value in (cursor or {}).items()}
    for stream in ("feed", "ratings", "conversations"):
        state.setdefault(f"{stream}_since", start)
    state.setdefault("paused", {})
    return state


def _copy(value: Any) -> Any:
    return {k: _copy(v) for k, v in value.items()} if isinstance(value, dict) else value


def _record_time(record: Any, *keys: str) -> int | None:
    """The first readable Graph time among keys, as a unix timestamp."""
    if not isinstance(record, dict):
        return None
    for key in keys:
        try:
            return int(parse_graph_time(record.get(key)).timestamp())
        except ValueError:
            continue
    return None

