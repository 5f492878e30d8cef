"""Logging: one format for the daemon and the commands, with configured secrets scrubbed from every line."""
from __future__ import annotations

import logging
import sys

_SECRETS: set[str] = set()


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
    """text with every registered secret value replaced by '***'."""
    for secret in _SECRETS:
        text = text.replace(secret, "***")
    return text


def configure_logging(verbose: bool = False, level: str = "INFO") -> None:
    """Send log lines to stderr, scrubbed of secrets; debug level when verbose."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_hwd_monitor", False):
            root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler._hwd_monitor = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(SecretScrubber())
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else getattr(logging, level, logging.INFO))
    for noisy in ("apscheduler", "urllib3", "requests_oauthlib", "tweepy", "alembic", "mail.log"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
