"""Email addresses, plain or written to dodge scrapers ("name at gmail dot com"); published ones are left out."""
from __future__ import annotations

import re

from classifiers.base import Span
from classifiers.pii.published import PublishedDetails, in_email_context, is_role_mailbox

_PLAIN = re.compile(
    r"(?<![\w.+-])([A-Za-z0-9][\w.+-]*)\s?@\s?((?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,24})(?![\w-])"
)
_AT = r"(?:\s*[\[(]\s*at\s*[\])]\s*|\s+at\s+)"
_DOT = r"(?:\s*[\[(]\s*dot\s*[\])]\s*|\s+dot\s+)"
_TLDS = r"(?:com|co|uk|org|net|gov|ac|nhs|info|biz|me|io|ie|eu|scot|wales)"
# Needs the spelt "dot" and a known ending, so "meet at the shop" and "at Tesco" are never addresses.
_SPELT = re.compile(
    r"(?<![\w.+-])([A-Za-z0-9][\w.+-]*)" + _AT + r"((?:[A-Za-z0-9-]+(?:" + _DOT + r"|\.))+" + _TLDS + r")(?![\w-])",
    re.IGNORECASE,
)
_SPELT_DOT = re.compile(_DOT, re.IGNORECASE)
_NOT_A_LOCAL_PART = frozenset({"me", "us", "him", "her", "them", "it", "this", "that", "look", "or", "and", "is", "be",
                               "email", "mail", "message", "write", "contact", "here", "there", "anyone", "someone",
                               "was", "were", "are", "been", "i", "we", "they", "he", "she", "you", "i'm", "im", "shop", "shopping",
                               "looking", "work", "home", "stay", "staying", "arrived", "meet", "met", "still", "out",
                               "lunch", "tea", "dinner", "once", "one", "best", "least", "last", "first"})


def _canonical(local: str, domain: str) -> str:
    return f"{local}@{_SPELT_DOT.sub('.', domain)}".lower()


def find_emails(text: str, published: PublishedDetails) -> list[Span]:
    """Personal email addresses in text, plain or spelt out."""
    spans = []
    found: list[tuple[int, int, str, str]] = []
    if "@" in text:
        found += [(m.start(), m.end(), m.group(1), m.group(2)) for m in _PLAIN.finditer(text)]
    lowered = text.lower()
    if "dot" in lowered and ("at" in lowered):
        found += [(m.start(), m.end(), m.group(1), m.group(2)) for m in _SPELT.finditer(text)
                  if m.group(1).lower() not in _NOT_A_LOCAL_PART]
    for start, end, local, domain in sorted(found):
        if spans and start < spans[-1].end:
            continue
        if _canonical(local, domain) in published.emails or is_role_mailbox(local):
            continue
        if in_email_context(text, start):
            continue
        spans.append(Span("EMAIL", start, end))
    return spans
