"""Graph API records (posts, comments, ratings, messages) turned into Items; PayloadError for a malformed one."""
from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from typing import Any

from connectors.base import Item, Media, PayloadError

PLATFORM = "facebook"
FACEBOOK_WEB = "https://www.facebook.com/"

POST_FIELDS = ("id,message,from,created_time,updated_time,permalink_url,status_type,"
               "attachments{media_type,media,url,description,target,subattachments}")
COMMENT_FIELDS = "id,message,from,created_time,parent{id},is_hidden,can_hide,attachment,permalink_url"
RATING_FIELDS = "created_time,recommendation_type,review_text,rating,has_review,reviewer,open_graph_story{id}"
MESSAGE_FIELDS = "id,message,from,created_time"


def parse_graph_time(value: Any) -> datetime:
    """Graph's "2026-11-17T09:12:44+0000" as an aware UTC datetime; raise ValueError when it is not one."""
    if not isinstance(value, str):
        raise ValueError(f"not a Graph time: {value!r}")
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S%z").astimezone(timezone.utc)


def post_item(record: Any, account: str, page_id: str) -> Item:
    """A feed record as a "post" (the Page's own) or a "visitor_post"."""
    record = _require_object(record, "post")
    external_id = _require_id(record, "post")
    author_id, author_name = _author(record)
    own = author_id == page_id
    return Item(
        platform=PLATFORM, account=account,
        external_id=external_id,
        kind="post" if own else "visitor_post",
        text=_text(record.get("message")),
        created_at=_time(record, "created_time", "post"),
        author_id=author_id, author_name=author_name,
        permalink=_optional_str(record.get("permalink_url")) or FACEBOOK_WEB + external_id,
        media=_attachments_media(record.get("attachments")),
        own=own, raw=record,
    )


def comment_item(record: Any, account: str, page_id: str, post_id: str) -> Item:
    """A comment on post_id as a "comment", or a "reply" whose parent is the comment it answers."""
    record = _require_object(record, "comment")
    external_id = _require_id(record, "comment")
    author_id, author_name = _author(record)
    parent = record.get("parent")
    parent_id = _optional_str(parent.get("id")) if isinstance(parent, dict) else None
    attachment = record.get("attachment")
    return Item(
        platform=PLATFORM, account=account,
        external_id=external_id,
        kind="reply" if parent_id else "comment",
        text=_text(record.get("message")),
        created_at=_time(record, "created_time", "comment"),
        parent_id=parent_id or post_id,
        author_id=author_id, author_name=author_name,
        permalink=_optional_str(record.get("permalink_url")) or FACEBOOK_WEB + external_id,
        media=(_media(attachment),) if isinstance(attachment, dict) else (),
        own=author_id == page_id,
        raw=record,
    )


def rating_item(record: Any, account: str, page_id: str) -> Item:
    """A recommendation (rating) with its review text as a "rating"."""
    record = _require_object(record, "rating")
    created_at = _time(record, "created_time", "rating")
    author_id, author_name = _author(record, key="reviewer")
    story = record.get("open_graph_story")
    story_id = _optional_str(story.get("id")) if isinstance(story, dict) else None
    external_id = story_id or _synthetic_rating_id(record, author_id)
    return Item(
        platform=PLATFORM, account=account,
        external_id=external_id, kind="rating",
        text=_text(record.get("review_text")),
        created_at=created_at,
        author_id=author_id, author_name=author_name,
        permalink=FACEBOOK_WEB + story_id if story_id else f"{FACEBOOK_WEB}{page_id}/reviews",
        raw=record,
    )


def message_item(record: Any, account: str, page_id: str, link: str | None = None) -> Item:
    """A Messenger message as a "message", own when the Page sent it."""
    record = _require_object(record, "message")
    author_id, author_name = _author(record)
    return Item(
        platform=PLATFORM, account=account,
        external_id=_require_id(record, "message"),
        kind="message",
        text=_text(record.get("message")),
        created_at=_time(record, "created_time", "message"),
        author_id=author_id, author_name=author_name,
        permalink=_web_link(link),
        own=author_id == page_id,
        raw=record,
    )


def _require_object(record: Any, what: str) -> dict[str, Any]:
    if not isinstance(record, dict):
        raise PayloadError(f"a {what} record is not a JSON object", raw=record)
    return record


def _require_id(record: dict[str, Any], what: str) -> str:
    value = record.get("id")
    if not isinstance(value, (str, int)) or str(value).strip() == "":
        raise PayloadError(f"a {what} record has no id", raw=record)
    return str(value)


def _time(record: dict[str, Any], key: str, what: str) -> datetime:
    try:
        return parse_graph_time(record.get(key))
    except ValueError:
        raise PayloadError(f"a {what} record has no readable {key} ({record.get(key)!r})", raw=record) from None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise PayloadError("a record's text is not a string", raw=value)
    return value


def _author(record: dict[str, Any], key: str = "from") -> tuple[str | None, str | None]:
    """The author's id and name, or None: Graph often omits `from` for people who have not used the app."""
    author = record.get(key)
    if not isinstance(author, dict):
        return None, None
    return _optional_str(author.get("id")), _optional_str(author.get("name"))


def _optional_str(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


def _synthetic_rating_id(record: dict[str, Any], author_id: str | None) -> str:
    """Ratings have no id of their own unless Graph gives the open graph story: derive a stable one."""
    basis = f"{author_id}|{record.get('created_time')}|{record.get('review_text')}"
    return "rating:" + hashlib.sha256(basis.encode("utf-8")).hexdigest()[:24]


def _web_link(link: str | None) -> str | None:
    if not link:
        return None
    return link if link.startswith("http") else FACEBOOK_WEB + link.lstrip("/")


def _attachments_media(attachments: Any) -> tuple[Media, ...]:
    """Each attachment and album subattachment of a post as Media."""
    if not isinstance(attachments, dict):
        return ()
    media: list[Media] = []
    for attachment in _records(attachments.get("data")):
        subattachments = attachment.get("subattachments")
        subattachments = _records(subattachments.get("data")) if isinstance(subattachments, dict) else []
        if subattachments:
            media.extend(_media(sub) for sub in subattachments)
        else:
            media.append(_media(attachment))
    return tuple(media)


def _records(value: Any) -> list[dict[str, Any]]:
    """The JSON objects of a Graph list; anything else in it (or a list that is not one) is ignored."""
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _media(attachment: dict[str, Any]) -> Media:
    """Graph gives no alt text on most attachments: the description stands in for it when there is one."""
    inner = attachment.get("media") if isinstance(attachment.get("media"), dict) else {}
    image = inner.get("image") if isinstance(inner.get("image"), dict) else {}
    target = attachment.get("target") if isinstance(attachment.get("target"), dict) else {}
    return Media(
        type=str(attachment.get("media_type") or attachment.get("type") or "link"),
        url=_optional_str(inner.get("source") or image.get("src") or attachment.get("url")),
        alt_text=_optional_str(attachment.get("description")),
        media_id=_optional_str(target.get("id")),
    )
