"""A fake Graph API: a real HTTP server on 127.0.0.1 answering a Page's reads in the shapes Meta documents.

Content is plain Graph-shaped records; the server sorts and pages them like Graph (newest activity first,
cursors and `next` URLs that carry the access token), nests comments and messages when `fields` asks for them,
counts every call, and can be told to fail the next matching call with a real error body, an HTML 500 or a stall.
"""
from __future__ import annotations

import base64
import json
import re
import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlparse

PAGE_ID = "104729318530001"
PAGE_NAME = "Healthwatch Derbyshire (fictional test Page)"
TOKEN = "EAAG-fake-page-token"
ALL_PERMISSIONS = ("pages_read_engagement", "pages_read_user_content", "pages_manage_engagement", "pages_messaging",
                   "pages_show_list")

ERRORS = {
    "expired": (400, 190, 463, "Error validating access token: Session has expired on Thursday, 26-Nov-26."),
    "password_changed": (400, 190, 460, "Error validating access token: The session has been invalidated because "
                                        "the user changed their password."),
    "not_admin": (400, 190, 492, "Error validating access token: The user is not an admin of the Page."),
    "app_limit": (403, 4, None, "(#4) Application request limit reached"),
    "page_limit": (400, 32, None, "(#32) Page request limit reached"),
    "buc_limit": (400, 80001, None, "(#80001) There have been too many calls to this Page account. Wait a bit "
                                    "and try again."),
    "no_messaging": (403, 230, None, "(#230) Requires pages_messaging permission to manage the object"),
}


def graph_time(moment: datetime) -> str:
    """A datetime in Graph's format, e.g. 2026-11-17T09:12:44+0000."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+0000")


@dataclass
class Failure:
    """Fail the next call whose path contains path_part (any call when empty)."""

    kind: str
    path_part: str = ""


@dataclass
class FakeGraph:
    """The content and behaviour of the fake Page; start() serves it and gives the base URL."""

    page_id: str = PAGE_ID
    posts: list[dict[str, Any]] = field(default_factory=list)
    comments: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    ratings: list[dict[str, Any]] = field(default_factory=list)
    conversations: list[dict[str, Any]] = field(default_factory=list)
    messages: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    permissions: tuple[str, ...] = ALL_PERMISSIONS
    me: dict[str, str] = field(default_factory=lambda: {"id": PAGE_ID, "name": PAGE_NAME})
    usage_header: dict[str, Any] | None = None
    failures: list[Failure] = field(default_factory=list)
    calls: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    actions: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    stall_seconds: float = 5.0
    base_url: str = ""

    # --- content -----------------------------------------------------------------------------------------------
    def add_post(self, post_id: str, message: str | None, created: datetime, author: dict[str, str] | None,
                 **extra: Any) -> dict[str, Any]:
        """A feed record; author None leaves `from` out, as Graph does for people who have not used the app."""
        record = {"id": post_id, "created_time": graph_time(created), "updated_time": graph_time(created),
                  "permalink_url": f"https://www.facebook.com/{post_id}", **extra}
        if message is not None:
            record["message"] = message
        if author is not None:
            record["from"] = author
        self.posts.append(record)
        return record

    def add_comment(self, post_id: str, comment_id: str, message: str, created: datetime,
                    author: dict[str, str] | None, parent_id: str | None = None, **extra: Any) -> dict[str, Any]:
        """A comment (a reply when parent_id is given); like Graph, the post's updated_time moves to it."""
        record = {"id": comment_id, "message": message, "created_time": graph_time(created),
                  "permalink_url": f"https://www.facebook.com/{post_id}?comment_id={comment_id}",
                  "is_hidden": False, "can_hide": True, **extra}
        if author is not None:
            record["from"] = author
        if parent_id is not None:
            record["parent"] = {"id": parent_id}
        self.comments.setdefault(post_id, []).append(record)
        for post in self.posts:
            if post["id"] == post_id and post["updated_time"] < record["created_time"]:
                post["updated_time"] = record["created_time"]
        return record

    def add_message(self, conversation_id: str, message_id: str, text: str, created: datetime,
                    author: dict[str, str]) -> None:
        """A Messenger message; the conversation's updated_time moves to it."""
        conversation = next((c for c in self.conversations if c["id"] == conversation_id), None)
        if conversation is None:
            conversation = {"id": conversation_id, "link": f"/{self.page_id}/inbox/{conversation_id}/",
                            "updated_time": graph_time(created)}
            self.conversations.append(conversation)
        conversation["updated_time"] = max(conversation["updated_time"], graph_time(created))
        self.messages.setdefault(conversation_id, []).append(
            {"id": message_id, "message": text, "created_time": graph_time(created), "from": author})

    def fail_next(self, kind: str, path_part: str = "") -> None:
        """Make the next call whose path contains path_part fail as kind (see ERRORS, "html500", "stall")."""
        self.failures.append(Failure(kind, path_part))

    def calls_to(self, path_part: str) -> int:
        """How many calls went to a path containing path_part."""
        return sum(1 for _, path, _ in self.calls if path_part in path)

    # --- server ------------------------------------------------------------------------------------------------
    def start(self) -> str:
        """Serve on 127.0.0.1 in a thread; return the base URL (with the trailing slash)."""
        fake = self

        class Handler(_GraphHandler):
            graph = fake

        self._stopping = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)
        self._thread.start()
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}/"
        return self.base_url

    def stop(self) -> None:
        """Stop serving (a stalled answer is released at once)."""
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()

    # --- answers -----------------------------------------------------------------------------------------------
    def answer(self, method: str, path: str, params: dict[str, str]) -> tuple[int, dict[str, Any]]:
        """Route one call; return the HTTP status and the JSON body."""
        parts = [p for p in path.strip("/").split("/") if p]
        if parts and re.fullmatch(r"v\d+\.\d+", parts[0]):
            parts = parts[1:]
        if params.get("access_token") != TOKEN:
            return _error(400, 190, None, "Invalid OAuth access token - Cannot parse access token")
        if method == "POST":
            return self._post(parts, params)
        if parts == ["me"]:
            return 200, dict(self.me)
        if parts == ["me", "permissions"]:
            return 200, {"data": [{"permission": p, "status": "granted"} for p in self.permissions]}
        if len(parts) == 2 and parts[0] == self.page_id and parts[1] == "feed":
            posts = sorted(self.posts, key=lambda p: str(p.get("updated_time", "")), reverse=True)
            return 200, self._page(path, params, [self._with_comments(p, params) for p in posts])
        if len(parts) == 2 and parts[1] == "comments":
            return 200, self._page(path, params, self._comments_of(parts[0], params))
        if parts == [self.page_id, "ratings"]:
            ratings = sorted(self.ratings, key=lambda r: str(r.get("created_time", "")), reverse=True)
            return 200, self._page(path, params, ratings)
        if parts == [self.page_id, "conversations"]:
            if "pages_messaging" not in self.permissions:
                return _error(*ERRORS["no_messaging"])
            conversations = sorted(self.conversations, key=lambda c: c["updated_time"], reverse=True)
            return 200, self._page(path, params, [self._with_messages(c, params) for c in conversations])
        if len(parts) == 2 and parts[1] == "messages":
            newest_first = sorted(self.messages.get(parts[0], []), key=lambda m: m["created_time"], reverse=True)
            return 200, self._page(path, params, newest_first)
        return _error(400, 100, 33, f"Unsupported get request. Object with ID '{parts[0] if parts else ''}' "
                                    "does not exist")

    def _post(self, parts: list[str], params: dict[str, str]) -> tuple[int, dict[str, Any]]:
        self.actions.append(("/".join(parts), params))
        if parts == [self.page_id, "messages"]:
            if "pages_messaging" not in self.permissions:
                return _error(*ERRORS["no_messaging"])
            return 200, {"recipient_id": "6617104422001", "message_id": f"m_fake{len(self.actions)}"}
        if len(parts) == 2 and parts[1] == "comments":
            return 200, {"id": f"{parts[0]}_reply{len(self.actions)}"}
        if len(parts) == 1 and "is_hidden" in params:
            return 200, {"success": True}
        return _error(400, 100, None, "(#100) Invalid parameter")

    def _comments_of(self, post_id: str, params: dict[str, str]) -> list[dict[str, Any]]:
        comments = self.comments.get(post_id, [])
        if params.get("filter") != "stream":  # Graph's default "toplevel" filter leaves replies out
            comments = [c for c in comments if "parent" not in c]
        return sorted(comments, key=lambda c: str(c.get("created_time", "")),
                      reverse=params.get("order") == "reverse_chronological")

    def _with_comments(self, post: dict[str, Any], params: dict[str, str]) -> dict[str, Any]:
        nested = re.search(r"comments\.([^{,]*)", params.get("fields", ""))
        if nested is None or not self.comments.get(post["id"]):
            return dict(post)
        modifiers = nested.group(1)
        limit = int((re.search(r"limit\((\d+)\)", modifiers) or [0, 25])[1])
        sub_params = {"limit": str(limit), "access_token": TOKEN,
                      "fields": _nested_fields(params["fields"], "comments")}
        if "filter(stream)" in modifiers:
            sub_params["filter"] = "stream"
        if "order(reverse_chronological)" in modifiers:
            sub_params["order"] = "reverse_chronological"
        comments = self._comments_of(post["id"], sub_params)
        return {**post, "comments": self._page(f"/v23.0/{post['id']}/comments", sub_params, comments)}

    def _with_messages(self, conversation: dict[str, Any], params: dict[str, str]) -> dict[str, Any]:
        nested = re.search(r"messages\.limit\((\d+)\)", params.get("fields", ""))
        if nested is None:
            return dict(conversation)
        sub_params = {"limit": nested.group(1), "access_token": TOKEN,
                      "fields": _nested_fields(params["fields"], "messages")}
        newest_first = sorted(self.messages.get(conversation["id"], []), key=lambda m: m["created_time"], reverse=True)
        return {**conversation, "messages": self._page(f"/v23.0/{conversation['id']}/messages", sub_params,
                                                       newest_first)}

    def _page(self, path: str, params: dict[str, str], records: list[dict[str, Any]]) -> dict[str, Any]:
        """One page of records with Graph's cursor paging; `next` only when more remain."""
        limit = int(params.get("limit", 25))
        start = _offset(params.get("after"))
        chunk = records[start:start + limit]
        body: dict[str, Any] = {"data": chunk}
        if chunk:
            body["paging"] = {"cursors": {"before": _cursor(start), "after": _cursor(start + len(chunk))}}
            if start + len(chunk) < len(records):
                next_params = {**params, "after": _cursor(start + len(chunk)), "access_token": TOKEN}
                body["paging"]["next"] = f"{self.base_url.rstrip('/')}{path}?{urlencode(next_params)}"
        return body


class _GraphHandler(BaseHTTPRequestHandler):
    graph: FakeGraph

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._serve("GET", dict(parse_qsl(urlparse(self.path).query)))

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8")
        self._serve("POST", {**dict(parse_qsl(urlparse(self.path).query)), **dict(parse_qsl(body))})

    def _serve(self, method: str, params: dict[str, str]) -> None:
        fake = self.graph
        path = urlparse(self.path).path
        fake.calls.append((method, path, params))
        failure = next((f for f in fake.failures if f.path_part in path), None)
        if failure is not None:
            fake.failures.remove(failure)
            if failure.kind == "stall":
                fake._stopping.wait(fake.stall_seconds)
                return self._send(200, b'{"data": []}', "application/json")
            if failure.kind == "html500":
                return self._send(500, b"<!DOCTYPE html><html><body><h1>Sorry, something went wrong.</h1>"
                                       b"</body></html>", "text/html; charset=utf-8")
            status, body = _error(*ERRORS[failure.kind])
            headers = _limit_headers(failure.kind, fake.page_id)
        else:
            status, body = fake.answer(method, path, params)
            headers = {"x-app-usage": json.dumps(fake.usage_header)} if fake.usage_header else {}
        self._send(status, json.dumps(body).encode("utf-8"), "application/json; charset=UTF-8", headers)

    def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("facebook-api-version", "v23.0")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (the stall case)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the tests count calls instead."""


def _error(status: int, code: int, subcode: int | None, message: str) -> tuple[int, dict[str, Any]]:
    error: dict[str, Any] = {"message": message, "type": "OAuthException", "code": code,
                             "fbtrace_id": "AbCdEfGhIjKlMnOpQrStUvW"}
    if subcode is not None:
        error["error_subcode"] = subcode
    if code == 190:
        error["error_user_title"] = "Session expired"
    return status, {"error": error}


def _limit_headers(kind: str, page_id: str) -> dict[str, str]:
    if kind == "app_limit":
        return {"x-app-usage": json.dumps({"call_count": 100, "total_cputime": 40, "total_time": 52})}
    if kind in ("page_limit", "buc_limit"):
        usage = {page_id: [{"type": "pages", "call_count": 100, "total_cputime": 18, "total_time": 25,
                            "estimated_time_to_regain_access": 17}]}
        return {"x-business-use-case-usage": json.dumps(usage)}
    return {}


def _nested_fields(fields: str, edge: str) -> str:
    match = re.search(edge + r"\.[^{]*\{([^}]*)\}", fields)
    return match.group(1) if match else ""


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode().rstrip("=")


def _offset(cursor: str | None) -> int:
    if not cursor:
        return 0
    padded = cursor + "=" * (-len(cursor) % 4)
    return int(base64.urlsafe_b64decode(padded).decode().split(":")[1])
