"""Logging: one format for the daemon and the commands, with configured secrets scrubbed from every line."""
from __future__ import annotations

import logging
import re
import sys
from typing import Any

_SECRETS: set[str] = set()
# Credentials platforms put in URLs (Graph's paging.next links carry the access token).
_URL_CREDENTIALS = re.compile(r"(?i)\b(access_token|appsecret_proof|client_secret|oauth_token|oauth_signature)=[^&#\s\"']+")


class SecretScrubber(logging.Filter):
    """Replaces any configured secret value in a log record by '***'."""

    def filter(self, record: logging.LogRecord) -> bool:
        if _SECRETS:
            message = record.getMessage()
            scrubbed = message
            for secret in _SECRETS:
                scrubbed = scrubbed.replace(secret, "***")
            if scrubbed != message:
                record.msg, record.args = scrubbed, None
        return True


def register_secrets(values: list[str]) -> None:
    """Remember secret values so that no log line can carry them."""
    _SECRETS.update(v for v in values if v and len(v) >= 4)


def scrub(text: str) -> str:
    """text with every registered secret value, and any credential in a URL, replaced by '***'."""
    for secret in _SECRETS:
        text = text.replace(secret, "***")
    return _URL_CREDENTIALS.sub(r"\1=***", text)


def scrub_payload(value: Any) -> Any:
    """A copy of a JSON payload with every string scrubbed: raw payloads are stored, tokens in them must not be."""
    if isinstance(value, str):
        return scrub(value) if _SECRETS or "=" in value else value
    if isinstance(value, dict):
        return {key: scrub_payload(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [scrub_payload(item) for item in value]
    return value


class ScrubbingFormatter(logging.Formatter):
    """Formats a record, traceback included, then scrubs the whole line: exception text can carry a token too."""

    def format(self, record: logging.LogRecord) -> str:
        return scrub(super().format(record))


def configure_logging(verbose: bool = False, level: str = "INFO") -> None:
    """Send log lines to stderr, scrubbed of secrets; debug level when verbose."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_hwd_monitor", False):
            root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler._hwd_monitor = True  # type: ignore[attr-defined]
    handler.setFormatter(ScrubbingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(SecretScrubber())
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else getattr(logging, level, logging.INFO))
    for noisy in ("apscheduler", "urllib3", "requests_oauthlib", "tweepy", "alembic", "mail.log"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
