"""Dates of birth: a day and month (with or without the year) next to DOB, born, date of birth, birthday."""
from __future__ import annotations

import re

from classifiers.base import Span

_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|"
          r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_DAY = r"(?:[12][0-9]|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)?[0-9]{2}"
_DATE = (
    r"(?:(?:[12][0-9]|3[01]|0?[1-9])[/.-](?:1[0-2]|0?[1-9])[/.-](?:(?:19|20)[0-9]{2}|[0-9]{2})"
    r"|" + _DAY + r"(?:\s+of)?\s+" + _MONTH + r"(?:,?\s+" + _YEAR + r"(?![0-9]))?"
    r"|" + _MONTH + r"\s+(?:the\s+)?" + _DAY + r"(?:,?\s+" + _YEAR + r"(?![0-9]))?)"
)
_CUE = r"(?:d\.?\s?o\.?\s?b\.?|date\s+of\s+birth|born(?:\s+on)?|birthday(?:\s+is)?|b'?day(?:\s+is)?|birth\s+date)"
# The cue, then at most a few filler words ("is", "was", "on the"), then the date.
_DATE_OF_BIRTH = re.compile(
    r"(?<!\w)" + _CUE + r"(?:\s*[:\-=]\s*|\s+)(?:(?:is|was|on|the|of|'s|:)\s+){0,3}(" + _DATE + r")(?![\w/])"
    r"|(?<![\w/])(" + _DATE + r")\s*\(?\s*(?:d\.?o\.?b\.?|date\s+of\s+birth)(?!\w)",
    re.IGNORECASE,
)

_ANY_CUE = re.compile(r"d\.?\s?o\.?\s?b|birth|born|b'?day", re.IGNORECASE)


def find_dates_of_birth(text: str) -> list[Span]:
    """Dates of birth in text; the span covers the date only."""
    if not _ANY_CUE.search(text):
        return []
    spans = []
    for match in _DATE_OF_BIRTH.finditer(text):
        group = 1 if match.group(1) else 2
        spans.append(Span("DATE_OF_BIRTH", match.start(group), match.end(group)))
    return spans
