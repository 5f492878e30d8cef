"""The Graph API transport: facebook-sdk's GraphAPI over a session with a timeout, a base URL and usage headers."""
from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, TypeVar
from urllib.parse import parse_qsl, urlparse

import facebook
import requests

from connectors.base import AuthError, ConnectorError, RateLimited, TransientError

log = logging.getLogger(__name__)

RATE_LIMIT_CODES = frozenset({4, 17, 32, 613, 80001, 80002, 80003, 80004, 80005, 80006, 80008, 80014})
TRANSIENT_CODES = frozenset({1, 2})
USAGE_HEADERS = ("x-business-use-case-usage", "x-app-usage", "x-page-usage", "x-ad-account-usage")
USAGE_LIMIT_PERCENT = 90

# What each code 190 subcode means for the person who must fix it.
TOKEN_PROBLEMS = {
    458: "the person who created the token removed the app from their Facebook account",
    460: "the token stopped working because the Facebook password of the person who created it changed",
    463: "the token has expired",
    464: "the person who created the token has not confirmed their Facebook account",
    467: "the token is no longer valid (the person who created it logged out or the token was revoked)",
    492: "the person who created the token is no longer an admin of the Page",
}
TOKEN_FIX = ("create a new long-lived Page access token (see docs/facebook.md) and put it in the account's "
             "access_token; polling resumes when the token changes or `check-config --ping` succeeds")

Result = TypeVar("Result")


class PermissionMissing(ConnectorError):
    """The token lacks a permission this call needs (Graph codes 10, 200-299, 230)."""

    def __init__(self, message: str, code: int | None) -> None:
        super().__init__(message)
        self.code = code


class ForeignHostRefused(requests.RequestException):
    """A request to another host than the configured Graph URL's (e.g. a paging link pointing elsewhere)."""


class GraphSession(requests.Session):
    """A requests session that sends facebook-sdk's calls to our base URL, with a timeout, noting usage headers."""

    def __init__(self, graph_url: str, timeout: float) -> None:
        super().__init__()
        self.graph_url = graph_url if graph_url.endswith("/") else graph_url + "/"
        self.timeout = timeout
        self.calls = 0
        self.usage: dict[str, Any] = {}
        self.hooks["response"].append(self._note_usage)

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        """Send one request, rewriting facebook-sdk's default base URL to ours and always with a timeout."""
        sdk_base = facebook.FACEBOOK_GRAPH_URL
        if url.startswith(sdk_base):
            url = self.graph_url + url[len(sdk_base):]
        if urlparse(url).netloc != urlparse(self.graph_url).netloc:
            # The token goes with every request: never to a host the configuration does not name.
            log.warning("refused a Graph request to %s: only %s is configured", urlparse(url).netloc,
                        urlparse(self.graph_url).netloc)
            raise ForeignHostRefused(f"refused a request to {urlparse(url).netloc}")
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.timeout
        self.calls += 1
        return super().request(method, url, *args, **kwargs)

    def _note_usage(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        usage: dict[str, Any] = {}
        for header in USAGE_HEADERS:
            value = response.headers.get(header)
            if not value:
                continue
            try:
                usage[header] = json.loads(value)
            except ValueError:
                log.debug("unreadable %s header ignored", header)
        self.usage = usage

    def usage_percent(self) -> int:
        """The highest percentage of any rate limit the last response reported."""
        return max((_percent(v) for v in _usage_entries(self.usage)), default=0)

    def regain_access_at(self) -> datetime | None:
        """When the API says calls will be allowed again, from the last response's usage headers."""
        minutes = [v.get("estimated_time_to_regain_access") for v in _usage_entries(self.usage)]
        minutes = [m for m in minutes if isinstance(m, (int, float)) and m > 0]
        if not minutes:
            return None
        return datetime.now(timezone.utc) + timedelta(minutes=max(minutes))


def _usage_entries(usage: dict[str, Any]) -> list[dict[str, Any]]:
    """Flatten the usage headers: x-app-usage is one object, x-business-use-case-usage maps ids to lists."""
    entries: list[dict[str, Any]] = []
    for header, value in usage.items():
        if header == "x-business-use-case-usage" and isinstance(value, dict):
            for per_id in value.values():
                if isinstance(per_id, list):
                    entries.extend(e for e in per_id if isinstance(e, dict))
        elif isinstance(value, dict):
            entries.append(value)
    return entries


def _percent(entry: dict[str, Any]) -> int:
    numbers = [entry.get(k) for k in ("call_count", "total_cputime", "total_time", "acc_id_util_pct")]
    return max((int(n) for n in numbers if isinstance(n, (int, float))), default=0)


class GraphClient:
    """facebook-sdk's GraphAPI bound to one account's session, turning its failures into the connector errors."""

    def __init__(self, access_token: str, graph_url: str, api_version: str, timeout: float) -> None:
        self.session = GraphSession(graph_url, timeout)
        self.api = facebook.GraphAPI(access_token, version="3.1", timeout=timeout, session=self.session)
        # facebook-sdk only accepts versions up to 3.1 at construction; later ones work once set here.
        self.api.version = api_version if api_version.startswith("v") else "v" + api_version

    @property
    def calls(self) -> int:
        """Graph calls made so far through this client."""
        return self.session.calls

    def usage_is_high(self) -> bool:
        """True when the last response said a rate limit is at 90 % or more."""
        return self.session.usage_percent() >= USAGE_LIMIT_PERCENT

    def raise_if_usage_high(self) -> None:
        """Stop before the next call when the usage headers say the limit is nearly reached."""
        if self.usage_is_high():
            raise RateLimited(
                f"Graph API usage is at {self.session.usage_percent()} % of the limit: waiting before the next call",
                retry_at=self.session.regain_access_at(),
            )

    def get(self, path: str, **args: Any) -> dict[str, Any]:
        """GET an object or a connection, e.g. get("123/feed", fields=..., limit=25)."""
        return self._call(lambda: self.api.request(f"{self.api.version}/{path}", args))

    def post(self, path: str, **data: Any) -> dict[str, Any]:
        """POST to an object or a connection, e.g. post("123_456", is_hidden="true")."""
        return self._call(lambda: self.api.request(f"{self.api.version}/{path}", post_args=data, method="POST"))

    def close(self) -> None:
        """Close the HTTP connections."""
        self.session.close()

    def _call(self, call: Callable[[], Result]) -> Result:
        try:
            result = call()
        except facebook.GraphAPIError as exc:
            raise self.translate(exc) from None
        except requests.Timeout:
            raise TransientError("the Graph API did not answer in time") from None
        except requests.RequestException as exc:
            raise TransientError(f"the Graph API could not be reached ({type(exc).__name__})") from None
        except (ValueError, KeyError) as exc:  # unreadable JSON, or no content-type at all
            raise TransientError(f"the Graph API sent an unreadable answer ({type(exc).__name__})") from None
        if not isinstance(result, dict):
            raise TransientError("the Graph API sent an answer that is not a JSON object")
        return result

    def translate(self, exc: facebook.GraphAPIError) -> ConnectorError:
        """Map a GraphAPIError to AuthError, RateLimited, TransientError, PermissionMissing or ConnectorError."""
        error = exc.result.get("error") if isinstance(exc.result, dict) else None
        error = error if isinstance(error, dict) else {}
        code, subcode = exc.code, error.get("error_subcode")
        message = str(error.get("message") or exc.message)
        if code == 190:
            why = TOKEN_PROBLEMS.get(subcode, "the Page access token was refused")
            return AuthError(f"Facebook: {why} (code 190{_sub(subcode)}): {TOKEN_FIX}")
        if code in RATE_LIMIT_CODES or (code == 368):
            return RateLimited(f"Facebook rate limit reached (code {code}{_sub(subcode)}): {message}",
                               retry_at=self.session.regain_access_at())
        if code is None or code in TRANSIENT_CODES or error.get("is_transient"):
            return TransientError(f"the Graph API failed: {_short(message)}")
        if code == 10 or code == 230 or (isinstance(code, int) and 200 <= code <= 299):
            return PermissionMissing(f"Facebook refused a call for lack of permission (code {code}): {message}", code)
        return ConnectorError(f"Facebook refused the call (code {code}{_sub(subcode)}): {message}")


def _sub(subcode: Any) -> str:
    return f", subcode {subcode}" if subcode else ""


def _short(message: str) -> str:
    text = " ".join(str(message).split())
    return text if len(text) <= 200 else text[:197] + "..."


def next_page_args(response: dict[str, Any]) -> dict[str, str] | None:
    """The query arguments of paging.next without the access token, or None on the last page."""
    next_url = (response.get("paging") or {}).get("next")
    if not isinstance(next_url, str) or not next_url:
        return None
    return {k: v for k, v in parse_qsl(urlparse(next_url).query) if k != "access_token"}
