"""A fake X API v2 on 127.0.0.1: the real response shapes (data, includes, meta, errors), paging, since_id,
per-endpoint failures (401, 403, 429 with and without reset, usage cap, 503, a stalled socket), request counts.

Shapes follow X's API v2 reference: timelines and search answer {"data": [...], "includes": {...},
"meta": {"result_count", "newest_id", "oldest_id", "next_token"}}; an empty result has no "data"; a field the
client did not ask for is not sent; a referenced post that cannot be found comes back in "errors" beside "data".
"""
from __future__ import annotations

import json
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable
from urllib.parse import parse_qs, urlsplit

TWITTER_EPOCH_MS = 1288834974657
ME = {"id": "1093847560123456789", "username": "HWDerbyshire", "name": "Healthwatch Derbyshire"}

ROUTES = [  # (endpoint name, method, path pattern)
    ("me", "GET", r"/2/users/me"),
    ("user_by_name", "GET", r"/2/users/by/username/(?P<username>\w+)"),
    ("mentions", "GET", r"/2/users/(?P<id>\d+)/mentions"),
    ("tweets", "GET", r"/2/users/(?P<id>\d+)/tweets"),
    ("user", "GET", r"/2/users/(?P<id>\d+)"),
    ("search", "GET", r"/2/tweets/search/recent"),
    ("dm_events", "GET", r"/2/dm_events"),
    ("hide", "PUT", r"/2/tweets/(?P<id>\d+)/hidden"),
    ("send_dm", "POST", r"/2/dm_conversations/with/(?P<id>\d+)/messages"),
]
USER_CONTEXT_ONLY = {"me", "dm_events", "hide", "send_dm"}

PROBLEMS = {
    401: {"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"},
    403: {"title": "Forbidden", "type": "about:blank", "status": 403,
          "detail": "You are not permitted to use this endpoint with your current access level."},
    429: {"title": "Too Many Requests", "detail": "Too Many Requests", "type": "about:blank", "status": 429},
    503: {"title": "Service Unavailable", "detail": "Service Unavailable", "type": "about:blank", "status": 503},
}
USAGE_CAPPED = {
    "account_id": 1417291, "product_name": "standard-basic", "title": "UsageCapExceeded", "period": "Monthly",
    "scope": "Product", "detail": "Usage cap exceeded: Monthly product cap",
    "type": "https://api.twitter.com/2/problems/usage-capped",
}
UNSUPPORTED_AUTH = {
    "title": "Unsupported Authentication", "status": 403,
    "detail": "Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint.  Supported "
              "authentication types are [OAuth 1.0a User Context, OAuth 2.0 User Context].",
    "type": "https://api.twitter.com/2/problems/unsupported-authentication",
}


@dataclass
class Failure:
    """A planned answer for one endpoint: a status with a body and headers, or a socket that never answers."""

    status: int = 503
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    stall: bool = False


class FakeX:
    """The fake API's world (users, posts, DM events) and its server."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self.clock = clock  # epoch seconds, for x-rate-limit-reset
        self.users: dict[str, dict[str, str]] = {ME["id"]: dict(ME)}
        self.posts: dict[str, dict[str, Any]] = {}
        self.media: dict[str, dict[str, Any]] = {}
        self.dm_events: dict[str, dict[str, Any]] = {}
        self.requests: Counter[str] = Counter()
        self.auth_used: list[tuple[str, str]] = []  # (endpoint, "oauth1" | "bearer")
        self.hidden: set[str] = set()
        self.sent: list[dict[str, Any]] = []
        self.failures: dict[str, list[Failure]] = {}
        self.forever: dict[str, Failure] = {}
        self.page_limit = 100  # X's own maximum; lower it to see paging with a few posts
        self._sequence = 0
        self._release = threading.Event()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self.server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> "FakeX":
        """Serve in a background thread."""
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def stop(self) -> None:
        """Release stalled requests and stop serving."""
        self._release.set()
        self.server.shutdown()
        self.server.server_close()

    # the world
    def user(self, user_id: str, username: str, name: str) -> dict[str, str]:
        """Add a person; returns their user object."""
        self.users[user_id] = {"id": user_id, "username": username, "name": name}
        return self.users[user_id]

    def mint_id(self, at: datetime) -> str:
        """A snowflake id for a moment, as X makes them."""
        self._sequence += 1
        return str(((int(at.timestamp() * 1000) - TWITTER_EPOCH_MS) << 22) + self._sequence)

    def post(self, author: dict[str, str], text: str, at: datetime, *, reply_to: str | None = None,
             media: list[dict[str, Any]] = (), omit: tuple[str, ...] = (), post_id: str | None = None) -> str:
        """Add a post (a reply when reply_to names its parent); omit drops fields X sometimes leaves out."""
        post_id = post_id or self.mint_id(at)
        record: dict[str, Any] = {
            "id": post_id, "text": text, "edit_history_tweet_ids": [post_id], "author_id": author["id"],
            "created_at": at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "conversation_id": post_id, "lang": "en", "possibly_sensitive": False, "reply_settings": "everyone",
            "public_metrics": {"retweet_count": 0, "reply_count": 0, "like_count": 0, "quote_count": 0,
                               "bookmark_count": 0, "impression_count": 12},
        }
        if reply_to:
            parent = self.posts.get(reply_to, {})
            record["conversation_id"] = parent.get("conversation_id", reply_to)
            record["in_reply_to_user_id"] = parent.get("author_id", "0")
            record["referenced_tweets"] = [{"type": "replied_to", "id": reply_to}]
        mentions = [
            {"start": m.start(), "end": m.end(), "username": u["username"], "id": u["id"]}
            for u in self.users.values() for m in re.finditer("@" + u["username"], text, re.IGNORECASE)
        ]
        if mentions:
            record["entities"] = {"mentions": mentions}
        if media:
            keys = []
            for index, item in enumerate(media):
                key = f"3_{post_id}{index}"
                self.media[key] = {"media_key": key, **item}
                keys.append(key)
            record["attachments"] = {"media_keys": keys}
        for name in omit:
            record.pop(name, None)
        record["_at"] = at
        self.posts[post_id] = record
        return post_id

    def direct_message(self, sender: dict[str, str], text: str, at: datetime, omit: tuple[str, ...] = ()) -> str:
        """Add a direct message between sender and the account."""
        event_id = self.mint_id(at)
        other = sender["id"] if sender["id"] != ME["id"] else "0"
        record = {
            "id": event_id, "event_type": "MessageCreate", "text": text, "sender_id": sender["id"],
            "dm_conversation_id": "-".join(sorted([other, ME["id"]])),
            "created_at": at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        }
        for name in omit:
            record.pop(name, None)
        record["_at"] = at
        self.dm_events[event_id] = record
        return event_id

    # failures
    def fail(self, endpoint: str, status: int = 503, *, reset: float | None = None, body: Any = None,
             times: int = 1, stall: bool = False) -> None:
        """Answer the next `times` requests to an endpoint with this failure (times=0: until cleared)."""
        headers = {}
        if status == 429:
            headers = {"x-rate-limit-limit": "75", "x-rate-limit-remaining": "0"}
            if reset is not None:
                headers["x-rate-limit-reset"] = str(int(reset))
        failure = Failure(status, body if body is not None else PROBLEMS.get(status), headers, stall)
        if times == 0:
            self.forever[endpoint] = failure
        else:
            self.failures.setdefault(endpoint, []).extend([failure] * times)

    def clear_failures(self) -> None:
        """Answer normally again."""
        self.failures.clear()
        self.forever.clear()

    def planned_failure(self, endpoint: str) -> Failure | None:
        """The failure the next request to endpoint gets, if any."""
        queue = self.failures.get(endpoint)
        if queue:
            return queue.pop(0)
        return self.forever.get(endpoint)

    # answers
    def answer(self, endpoint: str, method: str, args: dict[str, str], query: dict[str, str],
               body: Any, auth: str) -> tuple[int, Any, dict[str, str]]:
        """The status, JSON body and headers for one request."""
        if endpoint in USER_CONTEXT_ONLY and auth != "oauth1":
            return 403, UNSUPPORTED_AUTH, {}
        if endpoint == "me":
            return 200, {"data": _pick(ME, query.get("user.fields"), USER_DEFAULT)}, {}
        if endpoint in ("user", "user_by_name"):
            user = self.users.get(args.get("id", "")) or next(
                (u for u in self.users.values() if u["username"].lower() == args.get("username", "").lower()), None)
            if user is None:
                return 200, {"errors": [{"title": "Not Found Error", "detail": "Could not find user.",
                                         "type": "https://api.twitter.com/2/problems/resource-not-found"}]}, {}
            return 200, {"data": _pick(user, query.get("user.fields"), USER_DEFAULT)}, {}
        if endpoint == "hide":
            self.hidden.add(args["id"])
            return 200, {"data": {"hidden": True}}, {}
        if endpoint == "send_dm":
            self.sent.append({"participant_id": args["id"], **(body or {})})
            return 201, {"data": {"dm_conversation_id": f"{args['id']}-{ME['id']}", "dm_event_id": "9" * 18}}, {}
        if endpoint == "dm_events":
            events = sorted(self.dm_events.values(), key=lambda e: int(e["id"]), reverse=True)
            return 200, self._page(events, query, "dm_event.fields", dm=True), {}
        posts = sorted(self._matching(endpoint, args, query), key=lambda p: int(p["id"]), reverse=True)
        return 200, self._page(posts, query, "tweet.fields"), {}

    def _matching(self, endpoint: str, args: dict[str, str], query: dict[str, str]) -> list[dict[str, Any]]:
        posts = list(self.posts.values())
        if endpoint == "mentions":
            username = self.users.get(args["id"], {}).get("username", "")
            posts = [p for p in posts if f"@{username}".lower() in p["text"].lower()]
        elif endpoint == "tweets":
            posts = [p for p in posts if p.get("author_id") == args["id"]]
        elif endpoint == "search":
            text = query.get("query", "")
            conversations = set(re.findall(r"conversation_id:(\d+)", text))
            excluded = {u.lower() for u in re.findall(r"-from:(\w+)", text)}
            posts = [p for p in posts if p.get("conversation_id") in conversations and p["id"] not in conversations
                     and self.users.get(p.get("author_id", ""), {}).get("username", "").lower() not in excluded]
        if "since_id" in query:
            posts = [p for p in posts if int(p["id"]) > int(query["since_id"])]
        if "start_time" in query:
            start = datetime.fromisoformat(query["start_time"].replace("Z", "+00:00"))
            posts = [p for p in posts if p["_at"] >= start]
        return posts

    def _page(self, records: list[dict[str, Any]], query: dict[str, str], fields_key: str,
              dm: bool = False) -> dict[str, Any]:
        size = min(int(query.get("max_results", 10)), self.page_limit)
        offset = int((query.get("pagination_token") or query.get("next_token") or "p0")[1:])
        page = records[offset:offset + size]
        if not page:
            return {"meta": {"result_count": 0}}
        default = DM_DEFAULT if dm else TWEET_DEFAULT
        payload: dict[str, Any] = {"data": [_pick(r, query.get(fields_key), default) for r in page]}
        includes, errors = self._includes(page, query.get("expansions", ""), query)
        if includes:
            payload["includes"] = includes
        if errors:
            payload["errors"] = errors
        meta: dict[str, Any] = {"result_count": len(page)}
        if not dm:
            meta.update(newest_id=page[0]["id"], oldest_id=page[-1]["id"])
        if offset + size < len(records):
            meta["next_token"] = f"p{offset + size}"
        if offset:
            meta["previous_token"] = f"p{max(offset - size, 0)}"
        payload["meta"] = meta
        return payload

    def _includes(self, page: list[dict[str, Any]], expansions: str, query: dict[str, str]) -> tuple[dict, list]:
        wanted = set(filter(None, expansions.split(",")))
        users, media, tweets, errors = {}, {}, {}, []
        for record in page:
            for key in ("author_id", "sender_id"):
                if key in wanted and record.get(key) in self.users:
                    users[record[key]] = _pick(self.users[record[key]], query.get("user.fields"), USER_DEFAULT)
            if "attachments.media_keys" in wanted:
                for media_key in (record.get("attachments") or {}).get("media_keys", []):
                    if media_key in self.media:
                        media[media_key] = _pick(self.media[media_key], query.get("media.fields"), MEDIA_DEFAULT)
            if "referenced_tweets.id" in wanted:
                for ref in record.get("referenced_tweets") or []:
                    if ref["id"] in self.posts:
                        tweets[ref["id"]] = _pick(self.posts[ref["id"]], query.get("tweet.fields"), TWEET_DEFAULT)
                    else:
                        errors.append({
                            "value": ref["id"], "detail": f"Could not find tweet with referenced_tweets.id: [{ref['id']}].",
                            "title": "Not Found Error", "resource_type": "tweet", "parameter": "referenced_tweets.id",
                            "resource_id": ref["id"], "type": "https://api.twitter.com/2/problems/resource-not-found",
                        })
        includes = {k: list(v.values()) for k, v in (("users", users), ("media", media), ("tweets", tweets)) if v}
        return includes, errors


TWEET_DEFAULT = {"id", "text", "edit_history_tweet_ids"}
DM_DEFAULT = {"id", "event_type", "text"}
USER_DEFAULT = {"id", "name", "username"}
MEDIA_DEFAULT = {"media_key", "type"}


def _pick(record: dict[str, Any], fields: str | None, default: set[str]) -> dict[str, Any]:
    """Only the fields asked for (plus the defaults), as the API sends them."""
    keep = default | set(filter(None, (fields or "").split(",")))
    return {k: v for k, v in record.items() if k in keep and not k.startswith("_")}


def _handler_for(fake: FakeX) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:  # keep test output quiet
            pass

        def _serve(self) -> None:
            url = urlsplit(self.path)
            query = {k: v[-1] for k, v in parse_qs(url.query).items()}
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"null") if length else None
            for endpoint, method, pattern in ROUTES:
                match = re.fullmatch(pattern, url.path)
                if match and method == self.command:
                    break
            else:
                return self._send(404, {"title": "Not Found Error", "detail": f"no route {url.path}"}, {})
            fake.requests[endpoint] += 1
            auth = "oauth1" if self.headers.get("Authorization", "").startswith("OAuth ") else "bearer"
            fake.auth_used.append((endpoint, auth))
            failure = fake.planned_failure(endpoint)
            if failure is not None and failure.stall:
                fake._release.wait(30)
                return None
            if failure is not None:
                return self._send(failure.status, failure.body, failure.headers)
            status, payload, headers = fake.answer(endpoint, self.command, match.groupdict(), query, body, auth)
            return self._send(status, payload, headers)

        def _send(self, status: int, payload: Any, headers: dict[str, str]) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_PUT = do_POST = _serve

    return Handler
