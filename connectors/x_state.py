"""The X connector's cursor: per-stream positions, pauses, the day's read count, the threads to watch."""
from __future__ import annotations

import copy
from datetime import datetime, time, timedelta, timezone
from typing import Any, Mapping

BACKOFF_FIRST = timedelta(minutes=1)  # a 429 without a reset header
BACKOFF_MAX = timedelta(hours=1)
RESET_MIN = timedelta(seconds=5)  # a reset header in the past must not become a tight loop
RESET_MAX = timedelta(hours=24)
DISABLED_RECHECK = timedelta(hours=24)  # a 403 stream is tried again a day later (permissions may be fixed)
SEEN_DM_LIMIT = 200
CONVERSATION_LIMIT = 50
SEARCH_WINDOW = timedelta(days=7)  # search_recent_tweets only sees the last 7 days


def iso(moment: datetime) -> str:
    """A UTC moment as the ISO string kept in the cursor."""
    return moment.astimezone(timezone.utc).isoformat()


def from_iso(value: Any) -> datetime | None:
    """An ISO string from the cursor as aware UTC, or None."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def next_utc_midnight(now: datetime) -> datetime:
    """The start of the next UTC day after now."""
    day = now.astimezone(timezone.utc).date() + timedelta(days=1)
    return datetime.combine(day, time(0), tzinfo=timezone.utc)


def id_order(value: str) -> tuple[int, str]:
    """Sort key putting numeric ids (snowflakes) in numeric order without converting them."""
    return (len(value), value)


def newer_id(a: str | None, b: str | None) -> str | None:
    """The larger (more recent) of two ids, either of which may be None."""
    if a is None or b is None:
        return a or b
    return max(a, b, key=id_order)


class PollState:
    """The cursor while one fetch runs; `to_cursor()` gives the JSON the pipeline stores."""

    def __init__(self, cursor: Mapping[str, Any] | None) -> None:
        raw: dict[str, Any] = copy.deepcopy(dict(cursor or {}))
        self.first_poll = cursor is None
        self.since: dict[str, str] = dict(raw.get("since") or {})
        self.pending: dict[str, dict[str, Any]] = dict(raw.get("pending") or {})
        self.more = bool(raw.get("more"))
        # posts returned earlier in a poll that spans batches; a reply can come back from the mentions stream
        self.poll_ids: list[str] = list(raw.get("poll_ids") or []) if self.more else []
        self.dm_seen: list[str] = list(raw.get("dm_seen") or [])
        self.conversations: list[dict[str, Any]] = list(raw.get("conversations") or [])
        self.paused: dict[str, str] = dict(raw.get("paused") or {})
        self.backoff: dict[str, int] = dict(raw.get("backoff") or {})
        self.disabled: dict[str, dict[str, str]] = dict(raw.get("disabled") or {})
        self.reads_day: str | None = raw.get("reads_day")
        self.reads_today: int = int(raw.get("reads_today") or 0)
        self.capped_until: str | None = raw.get("capped_until")
        self.user_id: str | None = raw.get("user_id")
        self.handle: str | None = raw.get("handle")
        self.noted: list[str] = list(raw.get("noted") or [])  # notices shown in `status` until they clear

    def to_cursor(self) -> dict[str, Any]:
        """The state as a JSON-serialisable cursor."""
        cursor: dict[str, Any] = {
            "since": dict(self.since),
            "dm_seen": list(self.dm_seen),
            "conversations": [dict(c) for c in self.conversations],
            "reads_day": self.reads_day,
            "reads_today": self.reads_today,
        }
        optional = {
            "pending": self.pending, "more": self.more, "poll_ids": self.poll_ids if self.more else [], "paused": self.paused, "backoff": self.backoff,
            "disabled": self.disabled, "capped_until": self.capped_until, "user_id": self.user_id,
            "handle": self.handle, "noted": self.noted,
        }
        cursor.update({key: copy.deepcopy(value) for key, value in optional.items() if value})
        return cursor

    # the read budget
    def roll_day(self, now: datetime) -> None:
        """Start a new day's read count when the UTC date has changed."""
        today = now.astimezone(timezone.utc).date().isoformat()
        if self.reads_day != today:
            self.reads_day, self.reads_today = today, 0

    def reads_left(self, cap: int) -> int:
        """How many reads today's cap still allows."""
        return max(cap - self.reads_today, 0)

    # rate limits and switched-off streams
    def paused_until(self, stream: str, now: datetime) -> datetime | None:
        """When a rate-limited stream may be read again, or None when it may be read now."""
        until = from_iso(self.paused.get(stream))
        return until if until is not None and until > now else None

    def pause(self, stream: str, reset_epoch: int | None, now: datetime) -> datetime:
        """Skip a stream until X's reset time, or with a growing, capped backoff when X gave none."""
        if reset_epoch is not None:
            reset = datetime.fromtimestamp(reset_epoch, tz=timezone.utc)
            until = min(max(reset, now + RESET_MIN), now + RESET_MAX)
        else:
            attempt = self.backoff.get(stream, 0) + 1
            self.backoff[stream] = attempt
            until = now + min(BACKOFF_FIRST * 2 ** min(attempt - 1, 16), BACKOFF_MAX)
        self.paused[stream] = iso(until)
        return until

    def read_fine(self, stream: str) -> None:
        """Forget a stream's pause and backoff after a successful read."""
        self.paused.pop(stream, None)
        self.backoff.pop(stream, None)
        self.disabled.pop(stream, None)

    def disable(self, stream: str, reason: str, now: datetime) -> None:
        """Switch a stream off (X said 403) until it is worth asking again."""
        self.disabled[stream] = {"reason": reason, "until": iso(now + DISABLED_RECHECK)}
        self.pending.pop(stream, None)

    def disabled_reason(self, stream: str, now: datetime) -> str | None:
        """Why a stream is switched off, or None when it may be read."""
        entry = self.disabled.get(stream)
        if not entry:
            return None
        until = from_iso(entry.get("until"))
        if until is not None and until <= now:
            return None
        return entry.get("reason") or "switched off"

    # direct messages
    def remember_dms(self, event_ids: list[str]) -> None:
        """Add event ids to the bounded list of recent direct messages already stored."""
        merged = set(self.dm_seen) | set(event_ids)
        self.dm_seen = sorted(merged, key=id_order, reverse=True)[:SEEN_DM_LIMIT]

    # the organisation's threads
    def watch_conversation(self, conversation_id: str, started: datetime) -> None:
        """Remember a thread the organisation started, so replies in it are searched for."""
        if any(c.get("id") == conversation_id for c in self.conversations):
            return
        self.conversations.append({"id": conversation_id, "at": iso(started), "searched": False})

    def expire_conversations(self, now: datetime) -> None:
        """Drop threads older than the search window, keep the newest few."""
        fresh = [c for c in self.conversations if (from_iso(c.get("at")) or now) > now - SEARCH_WINDOW]
        fresh.sort(key=lambda c: id_order(str(c.get("id"))), reverse=True)
        self.conversations = fresh[:CONVERSATION_LIMIT]
