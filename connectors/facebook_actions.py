"""What the triage may do on a Facebook Page (hide, private reply, public reply) and the token check."""
from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from connectors.base import ActionNotSupported, ActionResult, AuthError, ConnectorError, Item
from connectors.graph_session import PermissionMissing

if TYPE_CHECKING:  # pragma: no cover
    from connectors.graph_session import GraphClient

log = logging.getLogger(__name__)

PRIVATE_REPLY_WINDOW = timedelta(days=7)
PRIVATE_REPLY_KINDS = ("comment", "reply", "visitor_post")
PERMISSION_USES = {
    "pages_read_engagement": "without it the Page's posts and comments cannot be read",
    "pages_read_user_content": "without it visitor posts, other people's comments and recommendations cannot be read",
    "pages_manage_engagement": "without it comments cannot be hidden and public replies cannot be posted",
    "pages_messaging": "without it Messenger messages cannot be read and private replies cannot be sent",
}


class FacebookActions:
    """Hide, private reply, public reply and ping for FacebookConnector (which provides client and options)."""

    client: "GraphClient"
    page_id: str
    options: Any

    def hide(self, item: Item) -> ActionResult:
        """Hide a comment or reply (POST /{comment} is_hidden=true), only when Graph said can_hide."""
        if item.kind not in ("comment", "reply"):
            raise ActionNotSupported(f"Facebook can only hide comments and replies, not a {item.kind}")
        if not (item.raw or {}).get("can_hide"):
            raise ActionNotSupported("Facebook does not let the Page hide this comment (can_hide is false)")
        response = self._act("hide", item, item.external_id, "pages_manage_engagement", is_hidden="true")
        if isinstance(response, ActionResult):
            return response
        ok = bool(response.get("success"))
        return ActionResult(ok, "hidden" if ok else f"Facebook did not confirm hiding: {json.dumps(response)[:200]}")

    def private_reply_deadline(self, item: Item) -> datetime | None:
        """Facebook allows one private reply to a comment or visitor post, within 7 days of it."""
        if item.kind not in PRIVATE_REPLY_KINDS:
            return None
        return item.created_at.astimezone(timezone.utc) + PRIVATE_REPLY_WINDOW

    def private_reply(self, item: Item, text: str) -> ActionResult:
        """Send the author the one private reply allowed (POST /{page}/messages, recipient the comment or post)."""
        if item.own or item.kind not in PRIVATE_REPLY_KINDS:
            raise ActionNotSupported(f"Facebook allows private replies only to other people's comments and "
                                     f"visitor posts, not to this {'own ' if item.own else ''}{item.kind}")
        deadline = self.private_reply_deadline(item)
        if deadline is not None and datetime.now(timezone.utc) > deadline:
            raise ActionNotSupported(f"the 7 days Facebook allows for a private reply ended on "
                                     f"{deadline:%Y-%m-%d %H:%M} UTC: contact the person another way")
        recipient_key = "post_id" if item.kind == "visitor_post" else "comment_id"
        response = self._act(
            "private reply", item, f"{self.page_id}/messages", "pages_messaging",
            recipient=json.dumps({recipient_key: item.external_id}),
            message=json.dumps({"text": text}),
            messaging_type="RESPONSE",
        )
        if isinstance(response, ActionResult):
            return response
        message_id = response.get("message_id")
        return ActionResult(bool(message_id), "private reply sent" if message_id else "Facebook sent no message id",
                            external_id=str(message_id) if message_id else None)

    def public_reply(self, item: Item, text: str) -> ActionResult:
        """Reply in public under a post or comment, only when the configuration allows public replies."""
        if not self.options.allow_public_replies:
            raise ActionNotSupported("public replies are off for this account (allow_public_replies = false)")
        if item.kind not in ("post", "visitor_post", "comment", "reply"):
            raise ActionNotSupported(f"Facebook has no public reply to a {item.kind}")
        # Facebook threads are two levels deep: an answer to a reply goes under the comment it replied to.
        target = item.parent_id if item.kind == "reply" and item.parent_id else item.external_id
        response = self._act("public reply", item, f"{target}/comments", "pages_manage_engagement", message=text)
        if isinstance(response, ActionResult):
            return response
        reply_id = response.get("id")
        return ActionResult(bool(reply_id), "public reply posted" if reply_id else "Facebook sent no comment id",
                            external_id=str(reply_id) if reply_id else None)

    def ping(self) -> list[str]:
        """Check the token is a working token for the configured Page; one sentence per missing permission."""
        try:
            me = self.client.get("me", fields="id,name")
            permissions = self.client.get("me/permissions")
        except AuthError as exc:
            return [str(exc)]
        except ConnectorError as exc:
            return [f"Facebook could not check the token: {exc}"]
        problems = []
        if str(me.get("id")) != self.page_id:
            problems.append(f"the access token is for {me.get('name') or 'someone else'} ({me.get('id')}), not for "
                            f"the Page {self.page_id}: use that Page's access token (see docs/facebook.md)")
        granted = {p.get("permission") for p in permissions.get("data") or () if isinstance(p, dict)
                   and p.get("status") == "granted"}
        for permission, use in PERMISSION_USES.items():
            if permission not in granted:
                problems.append(f"the Facebook token lacks the {permission} permission: {use}")
        return problems

    def _act(self, action: str, item: Item, path: str, permission: str, **data: Any) -> dict[str, Any] | ActionResult:
        """POST one action; AuthError, RateLimited and TransientError go up, a refusal becomes a failed result."""
        try:
            return self.client.post(path, **data)
        except PermissionMissing as exc:
            raise ActionNotSupported(f"the token lacks {permission}, needed to {action} ({exc})") from None
        except ConnectorError as exc:
            if type(exc) is not ConnectorError:  # AuthError, RateLimited, TransientError: the caller decides
                raise
            log.warning("Facebook refused to %s item %s: %s", action, item.external_id, exc)
            return ActionResult(False, str(exc))
