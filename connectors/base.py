"""The connector contract: what a source of items gives the pipeline, and the errors it may raise."""
from __future__ import annotations

import abc
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, Mapping

if TYPE_CHECKING:  # pragma: no cover
    from monitor.settings import AccountSettings

ITEM_KINDS = ("post", "comment", "reply", "mention", "visitor_post", "rating", "message")

Cursor = Mapping[str, Any]
"""A connector's polling position: JSON-serialisable, opaque to the pipeline (per-stream since ids, times)."""


@dataclass(frozen=True)
class Media:
    """A photo, video or link attached to an item."""

    type: str
    url: str | None = None
    alt_text: str | None = None
    media_id: str | None = None


@dataclass(frozen=True)
class Item:
    """One post, comment, reply, mention, visitor post, rating or message, normalised across platforms."""

    platform: str
    account: str
    external_id: str
    kind: str
    text: str
    created_at: datetime  # timezone-aware, UTC
    parent_id: str | None = None
    author_id: str | None = None
    author_name: str | None = None
    permalink: str | None = None
    media: tuple[Media, ...] = ()
    own: bool = False  # written by the organisation's own account
    raw: Mapping[str, Any] | None = None  # the payload as the platform sent it


@dataclass(frozen=True)
class SkippedRecord:
    """A record the connector could not turn into an Item: kept, logged, never silently dropped."""

    reason: str
    raw: Any


@dataclass(frozen=True)
class Batch:
    """What one fetch returned: items, the cursor that covers them, and whether more is waiting."""

    items: list[Item]
    next_cursor: Cursor | None
    has_more: bool = False
    skipped: list[SkippedRecord] = field(default_factory=list)
    notices: dict[str, str] = field(default_factory=dict)  # stream -> one line for `status`
    reads: int = 0  # paid API reads this fetch used (for read budgets)


@dataclass(frozen=True)
class ActionResult:
    """The outcome of an action on the platform (hide, private reply), recorded with the case."""

    ok: bool
    detail: str = ""
    external_id: str | None = None


class ConnectorError(Exception):
    """Base of the errors a connector raises."""


class AuthError(ConnectorError):
    """The credentials were refused: stop polling this account and tell a person."""


class RateLimited(ConnectorError):
    """The platform asked us to wait; retry_at is when (UTC), or None for exponential backoff."""

    def __init__(self, message: str, retry_at: datetime | None = None) -> None:
        super().__init__(message)
        self.retry_at = retry_at


class QuotaExhausted(RateLimited):
    """The account's paid usage cap or credits are spent: waiting helps only after retry_at; tell a person."""


class TransientError(ConnectorError):
    """A timeout, a connection failure or a server error: try again at the next poll."""


class PayloadError(ConnectorError):
    """A record could not be parsed; raw is kept and logged, the rest of the batch goes on."""

    def __init__(self, message: str, raw: Any = None) -> None:
        super().__init__(message)
        self.raw = raw


class ActionNotSupported(ConnectorError):
    """The platform, or this account's permissions, do not allow that action."""


class Connector(abc.ABC):
    """A source of items for one configured account."""

    name: ClassVar[str]
    platform: ClassVar[str]

    def __init__(self, account: "AccountSettings") -> None:
        self.account = account

    @abc.abstractmethod
    def fetch(self, cursor: Cursor | None) -> Batch:
        """Return the next batch after cursor (None: first poll); raises AuthError, RateLimited, TransientError."""

    def ping(self) -> list[str]:
        """Check the credentials against the platform; return one sentence per problem (empty: all good)."""
        return []

    def hide(self, item: Item) -> ActionResult:
        """Hide a comment from public view; raises ActionNotSupported where the platform does not allow it."""
        raise ActionNotSupported(f"{self.name} cannot hide items")

    def private_reply(self, item: Item, text: str) -> ActionResult:
        """Send the person one private message about item; raises ActionNotSupported where not allowed."""
        raise ActionNotSupported(f"{self.name} cannot reply privately")

    def private_reply_deadline(self, item: Item) -> datetime | None:
        """The last moment a private reply to item is allowed, or None when there is no limit."""
        return None

    def close(self) -> None:
        """Release network resources."""
