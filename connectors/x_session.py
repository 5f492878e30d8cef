"""The HTTP session handed to tweepy: a timeout on every request, and the configured API host."""
from __future__ import annotations

import logging
from typing import Any

import requests

log = logging.getLogger(__name__)

TWEEPY_HOST = "https://api.twitter.com"  # hard-coded in tweepy.Client.request


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
        return super().request(method, self.rewrite(str(url)), *args, **kwargs)

    def rewrite(self, url: str) -> str:
        """Move a URL on tweepy's host to the configured api_url; leave any other URL alone."""
        if self.api_url != TWEEPY_HOST and (url == TWEEPY_HOST or url.startswith(TWEEPY_HOST + "/")):
            return self.api_url + url[len(TWEEPY_HOST):]
        return url
