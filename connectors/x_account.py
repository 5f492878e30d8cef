"""Account-level calls of the X connector: who the account is, the credentials check, hiding and messaging."""
from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from connectors.base import ActionNotSupported, ActionResult, AuthError, Item, RateLimited, TransientError
from connectors.x_state import PollState, next_utc_midnight
from connectors.x_streams import (
    StreamFailed, StreamForbidden, StreamThrottled, UsageCapped, UsageCapReached, call_x,
)

if TYPE_CHECKING:  # pragma: no cover
    from connectors.twitter import TwitterConnector

log = logging.getLogger(__name__)

DM_NEEDS_USER_CONTEXT = (
    "direct messages are not read: they need the four OAuth 1.0a user keys, a bearer token is not enough"
)
NEEDS_USER_CONTEXT = "{what} on X needs the four OAuth 1.0a user keys of the organisation's account"


def identify(connector: "TwitterConnector", state: PollState) -> tuple[str, str | None]:
    """The account's user id and handle: configured, cached in the cursor, or asked of X once."""
    options = connector.options
    user_id = options.user_id or state.user_id
    handle = (options.handle or state.handle or "").lstrip("@") or None
    if user_id and handle:
        return user_id, handle
    try:
        found = _look_up_account(connector, user_id, handle)
    except (StreamForbidden, StreamFailed) as exc:
        raise AuthError(f"X would not say which account this is: {exc}") from None
    except StreamThrottled as exc:
        retry = datetime.fromtimestamp(exc.reset, tz=timezone.utc) if exc.reset else None
        raise RateLimited(f"X rate-limited the account lookup: {exc}", retry) from None
    except UsageCapped as exc:
        raise UsageCapReached(f"the X account's usage cap is spent: {exc}",
                              next_utc_midnight(connector.clock())) from None
    data = (found or {}).get("data") or {}
    if not data.get("id"):
        raise TransientError("X's account lookup answered without the account")
    state.user_id, state.handle = str(data["id"]), data.get("username")
    return user_id or state.user_id, handle or state.handle


def _look_up_account(connector: "TwitterConnector", user_id: str | None, handle: str | None) -> dict:
    client = connector.client
    if connector.user_context:
        return call_x(client.get_me, user_auth=True, user_fields=["username"])
    if user_id:
        return call_x(client.get_user, id=user_id, user_fields=["username"])
    if handle:
        return call_x(client.get_user, username=handle, user_fields=["username"])
    raise AuthError("with only a bearer token, the X account needs user_id or handle configured")


def check_credentials(connector: "TwitterConnector") -> list[str]:
    """One sentence per problem with the account's credentials and permissions (empty: all good)."""
    options = connector.options
    problems: list[str] = []
    if "direct_messages" in options.streams and not connector.user_context:
        problems.append(DM_NEEDS_USER_CONTEXT + ".")
    try:
        found = _look_up_account(connector, options.user_id, (options.handle or "").lstrip("@") or None)
    except AuthError as exc:
        return problems + [f"{exc}."]
    except TransientError as exc:
        return problems + [f"{exc} (api_url {options.api_url})."]
    except StreamForbidden as exc:
        return problems + [f"X refused the account lookup (403), check the app's project and permissions: {exc}."]
    except StreamThrottled:
        return problems + ["X is rate-limiting this app just now, so the credentials could not be checked."]
    except UsageCapped:
        return problems + ["The X account's usage cap or credits are spent: nothing can be read until they renew."]
    except StreamFailed as exc:
        return problems + [f"X refused the account lookup: {exc}."]
    data = (found or {}).get("data") or {}
    if connector.user_context and options.user_id and str(data.get("id")) != options.user_id:
        problems.append(
            f"The OAuth 1.0a user keys belong to @{data.get('username')} (id {data.get('id')}), "
            f"not to the configured user_id {options.user_id}."
        )
    return problems


def hide_reply(connector: "TwitterConnector", item: Item) -> ActionResult:
    """Hide someone's reply in one of the organisation's own threads (PUT /2/tweets/:id/hidden)."""
    if not connector.user_context:
        raise ActionNotSupported(NEEDS_USER_CONTEXT.format(what="Hiding replies"))
    if item.own or item.kind != "reply":
        raise ActionNotSupported("X only lets the organisation hide other people's replies in its own threads")
    try:
        answer = call_x(connector.client.hide_reply, id=item.external_id, user_auth=True)
    except (StreamForbidden, StreamFailed) as exc:
        return ActionResult(False, f"X refused to hide the reply: {exc}", item.external_id)
    except (StreamThrottled, UsageCapped) as exc:
        return ActionResult(False, f"X is rate-limiting hiding just now: {exc}", item.external_id)
    hidden = bool(((answer or {}).get("data") or {}).get("hidden"))
    log.info("X %s: reply %s hidden=%s", connector.account.name, item.external_id, hidden)
    return ActionResult(hidden, "hidden" if hidden else "X did not confirm the reply is hidden", item.external_id)


def send_direct_message(connector: "TwitterConnector", item: Item, text: str) -> ActionResult:
    """Send the item's author one direct message (POST /2/dm_conversations/with/:id/messages)."""
    if not connector.user_context:
        raise ActionNotSupported(NEEDS_USER_CONTEXT.format(what="Sending direct messages"))
    if item.own:
        raise ActionNotSupported("the organisation's own items have no one to message")
    if not item.author_id:
        return ActionResult(False, "X did not say who wrote this item, so there is no one to message")
    try:
        answer = call_x(connector.client.create_direct_message, participant_id=item.author_id, text=text,
                        user_auth=True)
    except (StreamForbidden, StreamFailed) as exc:
        return ActionResult(False, f"X refused the direct message (the person may not accept them): {exc}")
    except (StreamThrottled, UsageCapped) as exc:
        return ActionResult(False, f"X is rate-limiting direct messages just now: {exc}")
    event_id = ((answer or {}).get("data") or {}).get("dm_event_id")
    log.info("X %s: direct message %s sent about %s", connector.account.name, event_id, item.external_id)
    return ActionResult(True, "direct message sent", str(event_id) if event_id else None)
