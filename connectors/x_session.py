"""The HTTP session handed to tweepy: a timeout on every request, and the configured API host."""
from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlparse

import requests

log = logging.getLogger(__name__)

TWEEPY_HOST = "https://api.twitter.com"  # hard-coded in tweepy.Client.request


class ForeignHostRefused(requests.RequestException):
    """A request to another host than the configured api_url's: the credentials go only there."""


class XSession(requests.Session):
    """A requests.Session that never waits forever and sends tweepy's requests to api_url."""

    def __init__(self, api_url: str = TWEEPY_HOST, timeout: float = 20.0) -> None:
        super().__init__()
        self.api_url = api_url.rstrip("/")
        self.timeout = timeout

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
        """Send one request, with the session's timeout unless the caller gave one, to the configured host."""
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.timeout
        target = self.rewrite(str(url if isinstance(url, str) else url.decode()))
        if urlparse(target).netloc != urlparse(self.api_url).netloc:
            log.warning("refused an X request to %s: only %s is configured", urlparse(target).netloc,
                        urlparse(self.api_url).netloc)
            raise ForeignHostRefused(f"refused a request to {urlparse(target).netloc}")
        return super().request(method, target, *args, **kwargs)

    def rewrite(self, url: str) -> str:
        """Move a URL on tweepy's host to the configured api_url; leave any other URL alone."""
        if self.api_url != TWEEPY_HOST and (url == TWEEPY_HOST or url.startswith(TWEEPY_HOST + "/")):
            return self.api_url + url[len(TWEEPY_HOST):]
        return url
