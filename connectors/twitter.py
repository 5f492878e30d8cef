"""The X (Twitter) connector: mentions, replies in the account's threads, own posts and direct messages."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Callable

import tweepy

from connectors.base import (
    ActionResult, Batch, Connector, Cursor, Item, PayloadError, RateLimited, SkippedRecord,
    TransientError,
)
from connectors.x_account import DM_NEEDS_USER_CONTEXT, check_credentials, hide_reply, identify, send_direct_message
from connectors.x_parse import Includes, ParseContext, dm_to_item, log_partial_errors, tweet_to_item
from connectors.x_session import XSession
from connectors.x_state import PollState, from_iso, iso, newer_id, next_utc_midnight
from connectors.x_streams import (
    STREAM_ORDER, StreamFailed, StreamForbidden, StreamThrottled, UsageCapped, UsageCapReached, plan_stream,
    request_page,
)

if TYPE_CHECKING:  # pragma: no cover
    from connectors.options import TwitterOptions
    from monitor.settings import AccountSettings

log = logging.getLogger(__name__)

PAGES_PER_FETCH = 10


def utc_now() -> datetime:
    """The current moment, aware UTC (the connector's default clock)."""
    return datetime.now(timezone.utc)


@dataclass
class _Run:
    """What one fetch gathered so far."""

    now: datetime
    pages_left: int
    items: list[Item] = field(default_factory=list)
    skipped: list[SkippedRecord] = field(default_factory=list)
    notices: dict[str, str] = field(default_factory=dict)
    reads: int = 0
    attempted: int = 0  # streams this fetch tried to read
    read_ok: set[str] = field(default_factory=set)  # streams read without an error
    transient: list[str] = field(default_factory=list)
    returned: set[str] = field(default_factory=set)  # post ids already returned in this poll
    more: bool = False
    budget_spent: bool = False
    usage_capped: str | None = None


class TwitterConnector(Connector):
    """An X account read through API v2 with tweepy.Client, within a daily read budget."""

    name = "twitter"
    platform = "twitter"

    def __init__(self, account: "AccountSettings") -> None:
        super().__init__(account)
        self.options: TwitterOptions = account.options
        self.clock: Callable[[], datetime] = utc_now
        self.pages_per_fetch = PAGES_PER_FETCH
        opts = self.options
        user_keys = [opts.consumer_key, opts.consumer_secret, opts.access_token, opts.access_token_secret]
        self.user_context = all(user_keys)
        self.session = XSession(opts.api_url, opts.timeout)
        self.client = tweepy.Client(
            bearer_token=_secret(opts.bearer_token), consumer_key=_secret(opts.consumer_key),
            consumer_secret=_secret(opts.consumer_secret), access_token=_secret(opts.access_token),
            access_token_secret=_secret(opts.access_token_secret), return_type=dict,
            wait_on_rate_limit=False,  # it sleeps in a hot loop without a reset header
        )
        self.client.session = self.session

    # reading
    def fetch(self, cursor: Cursor | None) -> Batch:
        """Read every configured stream from cursor on; raises AuthError, RateLimited, TransientError."""
        now = self.clock()
        state = PollState(cursor)
        capped = from_iso(state.capped_until)
        if capped is not None and capped > now:
            raise UsageCapReached(f"the X account's usage cap is spent until {capped:%Y-%m-%d %H:%M} UTC", capped)
        state.capped_until = None
        state.roll_day(now)
        run = _Run(now=now, pages_left=self.pages_per_fetch, returned=set(state.poll_ids))
        user_id, handle = identify(self, state)
        streams, waiting = self._streams_due(state, run)
        for stream in streams:
            if run.budget_spent or run.usage_capped:
                break
            if run.pages_left <= 0:
                self._queue(stream, state)
                run.more = True
                continue
            self._read_guarded(stream, state, run, user_id, handle, waiting)
        return self._finish(state, run, waiting)

    def _streams_due(self, state: PollState, run: _Run) -> tuple[list[str], list[datetime]]:
        """The streams to read now (a continuation reads only unfinished ones) and the pauses of the others."""
        configured = [s for s in STREAM_ORDER if s in self.options.streams]
        if state.more:
            due, waiting = self._due([s for s in configured if s in state.pending], state, run)
            if due:
                return due, waiting
            state.more, state.poll_ids = False, []  # the unfinished streams must wait: start a whole poll
            run.returned.clear()
        return self._due(configured, state, run)

    def _due(self, streams: list[str], state: PollState, run: _Run) -> tuple[list[str], list[datetime]]:
        due, waiting = [], []
        for stream in streams:
            if stream == "direct_messages" and not self.user_context:
                if stream not in state.noted:  # said once, not every cycle
                    run.notices[stream] = DM_NEEDS_USER_CONTEXT
                continue
            if state.disabled_reason(stream, run.now):
                continue
            until = state.paused_until(stream, run.now)
            if until is not None:
                waiting.append(until)
                continue
            due.append(stream)
        return due, waiting

    def _read_guarded(self, stream: str, state: PollState, run: _Run, user_id: str, handle: str | None,
                      waiting: list[datetime]) -> None:
        """Read one stream; its 403, 429 or outage is recorded without stopping the others."""
        run.attempted += 1
        try:
            self._read_stream(stream, state, run, user_id, handle)
        except StreamForbidden as exc:
            state.disable(stream, str(exc), run.now)
            run.notices[stream] = f"X refused the {stream} stream (403: plan or app permissions), switched off: {exc}"
            log.warning("X %s: %s", self.account.name, run.notices[stream])
        except StreamThrottled as exc:
            until = state.pause(stream, exc.reset, run.now)
            waiting.append(until)
            log.info("X %s: %s rate-limited until %s", self.account.name, stream, iso(until))
        except UsageCapped as exc:
            run.usage_capped = str(exc)
        except StreamFailed as exc:
            state.pending.pop(stream, None)
            run.notices[stream] = f"X refused a {stream} request: {exc}"
            log.warning("X %s: %s", self.account.name, run.notices[stream])
        except TransientError as exc:
            run.transient.append(f"{stream}: {exc}")
            log.warning("X %s: %s: %s", self.account.name, stream, exc)
        else:
            state.read_fine(stream)
            run.read_ok.add(stream)

    def _read_stream(self, stream: str, state: PollState, run: _Run, user_id: str, handle: str | None) -> None:
        """Page through one stream's queries; its position moves only once every page is in this batch."""
        plan = state.pending.get(stream) or plan_stream(stream, state, user_id, handle, run.now,
                                                        self.account.backfill)
        if plan is None:
            state.pending.pop(stream, None)
            return
        state.pending[stream] = plan
        while plan["index"] < len(plan["queries"]):
            if run.pages_left <= 0:
                run.more = True
                return
            reads_left = state.reads_left(self.options.daily_read_cap)
            if reads_left <= 0:
                run.budget_spent = True
                return
            query = plan["queries"][plan["index"]]
            probe = stream == "direct_messages" and not plan["token"] and bool(state.dm_seen)
            payload = request_page(self.client, query, plan["token"], reads_left, self.user_context, probe)
            run.pages_left -= 1
            records = payload.get("data") or []
            state.reads_today += len(records)
            run.reads += len(records)
            log_partial_errors(payload, stream)
            reached_known = self._keep_page(stream, payload, records, plan, state, run, user_id, handle)
            meta = payload.get("meta") or {}
            plan["newest"] = newer_id(plan["newest"], meta.get("newest_id"))
            plan["token"] = None if reached_known else meta.get("next_token")
            if not plan["token"]:
                plan["index"] += 1
        del state.pending[stream]
        if plan["newest"]:
            state.since[stream] = newer_id(state.since.get(stream), plan["newest"])
        if stream == "replies":
            for conversation in state.conversations:
                conversation["searched"] = conversation["searched"] or conversation["id"] in plan["conversations"]

    def _keep_page(self, stream: str, payload: dict[str, Any], records: list[Any], plan: dict[str, Any],
                   state: PollState, run: _Run, user_id: str, handle: str | None) -> bool:
        """Turn a page into Items; for direct messages, True once it reaches one already stored."""
        own_threads = frozenset(str(c["id"]) for c in state.conversations)
        ctx = ParseContext(self.account.name, user_id, handle, run.now, own_threads)
        includes = Includes(payload)
        if stream == "direct_messages":
            return self._keep_dms(records, includes, ctx, plan, state, run)
        for record in records:
            try:
                item = tweet_to_item(record, includes, stream, ctx)
            except PayloadError as exc:
                run.skipped.append(SkippedRecord(str(exc), exc.raw))
                continue
            plan["newest"] = newer_id(plan["newest"], item.external_id)
            if item.external_id in run.returned:
                continue  # a reply in the organisation's thread that mentions it: already returned by search
            run.returned.add(item.external_id)
            state.poll_ids.append(item.external_id)
            run.items.append(item)
            conversation = (item.raw or {}).get("data", {}).get("conversation_id")
            if item.own and item.kind == "post" and conversation in (None, item.external_id):
                state.watch_conversation(item.external_id, item.created_at)
        return False

    def _keep_dms(self, records: list[Any], includes: Includes, ctx: ParseContext, plan: dict[str, Any],
                  state: PollState, run: _Run) -> bool:
        seen = set(state.dm_seen)
        cutoff = from_iso(plan.get("cutoff"))
        new_ids: list[str] = []
        reached_known = False
        for record in records:
            try:
                item = dm_to_item(record, includes, ctx)
            except PayloadError as exc:
                run.skipped.append(SkippedRecord(str(exc), exc.raw))
                continue
            event_id = str(record["id"])
            if event_id in seen or (cutoff is not None and item is not None and item.created_at < cutoff):
                new_ids.append(event_id)
                reached_known = True
                break
            new_ids.append(event_id)
            if item is not None:
                run.items.append(item)
        state.remember_dms(new_ids)
        return reached_known

    def _clear_notices(self, state: PollState, run: _Run) -> None:
        """Send an empty line for a notice whose condition is over (a stream reads again, a new day)."""
        over = {key for key in state.noted if key not in run.notices and (
            key in run.read_ok or (key == "read_budget" and not run.budget_spent)
            or (key == "account" and not run.usage_capped))}
        run.notices.update({key: "" for key in over})
        state.noted = sorted((set(state.noted) - over) | {k for k, v in run.notices.items() if v})

    @staticmethod
    def _queue(stream: str, state: PollState) -> None:
        """Keep a stream this fetch had no pages left for, so the continuation plans and reads it."""
        state.pending.setdefault(stream, {})

    def _finish(self, state: PollState, run: _Run, waiting: list[datetime]) -> Batch:
        """The batch, or the error when nothing at all could be read."""
        nothing_read = not run.items and not run.reads
        if run.usage_capped:
            until = next_utc_midnight(run.now)
            message = (f"the X account's usage cap or credits are spent ({run.usage_capped}); "
                       f"reading pauses until {until:%Y-%m-%d %H:%M} UTC")
            log.error("X %s: %s", self.account.name, message)
            if nothing_read:
                raise UsageCapReached(message, until)
            state.capped_until = iso(until)
            run.notices["account"] = message
        elif nothing_read and not run.read_ok:
            if run.transient and len(run.transient) == run.attempted:
                raise TransientError("; ".join(run.transient))
            if waiting and not run.attempted:
                raise RateLimited("every X stream is rate-limited", min(waiting))
        if run.budget_spent:
            run.notices["read_budget"] = (
                f"the daily read cap of {self.options.daily_read_cap} is reached "
                f"({state.reads_today} reads today); reading resumes after midnight UTC")
            log.warning("X %s: %s", self.account.name, run.notices["read_budget"])
        self._clear_notices(state, run)
        state.more = run.more
        return Batch(items=run.items, next_cursor=state.to_cursor(), has_more=run.more, skipped=run.skipped,
                     notices=run.notices, reads=run.reads)

    # actions and checks: connectors/x_account.py
    def hide(self, item: Item) -> ActionResult:
        """Hide someone's reply in one of the organisation's own threads (user context only)."""
        return hide_reply(self, item)

    def private_reply(self, item: Item, text: str) -> ActionResult:
        """Send the item's author a direct message (user context only)."""
        return send_direct_message(self, item, text)

    def ping(self) -> list[str]:
        """Check the credentials with /2/users/me (user keys) or a user lookup (bearer token)."""
        return check_credentials(self)

    def close(self) -> None:
        """Close the HTTP session."""
        self.session.close()


def _secret(value: Any) -> str | None:
    return value.get_secret_value() if value is not None else None

