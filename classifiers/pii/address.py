"""Street addresses: a house number and a street, with a town, a postcode or a home nearby."""
from __future__ import annotations

import re
from typing import Iterable

from classifiers.base import Span
from classifiers.pii.context import after, before, literal_alternation
from classifiers.pii.lexicon import NOT_STREET_WORDS, STREET_TYPES
from classifiers.pii.published import PublishedDetails, in_place_context

_ADDRESS = re.compile(
    r"(?<![\w£$.,/:-])(?:(?:flat|apartment|apt|unit|room)\s*\d{1,4}[a-z]?\s*,?\s+)?"
    r"\d{1,4}[a-z]?,?\s+((?:[A-Za-z][A-Za-z'.-]*\s+){1,3})(?:" + literal_alternation(STREET_TYPES) + r")\.?(?!\w)",
    re.IGNORECASE,
)
_NOT_STREET = frozenset(NOT_STREET_WORDS)
_RESIDENCE = re.compile(
    r"\b(?:lives?|living|live|lived|stays?|staying|address(?:\s+is)?|home|house|moved|flat|door|"
    r"round|over|come\s+to|delivered\s+to|sent\s+to)\b[^.!?]{0,12}$",
    re.IGNORECASE,
)
# "14 Elm Tree Avenue, Uttoxeter": the usual way of writing a town after the street, for towns not listed.
_COMMA_PLACE = re.compile(
    r"^\s*,\s*(?!(?-i:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|June|"
    r"July|August|September|October|November|December|I|The|And|But|So|Then|Thanks|Please)\b)(?-i:[A-Z][a-z]{2,})"
)
_TRAILING_POSTCODE = re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}\b", re.IGNORECASE)


def compile_towns(towns: Iterable[str]) -> re.Pattern[str]:
    """One pattern for the known town names, matched as whole words."""
    return re.compile(r"(?<!\w)(?:" + literal_alternation(towns) + r")(?!\w)", re.IGNORECASE)


def find_addresses(text: str, published: PublishedDetails, towns: re.Pattern[str]) -> list[Span]:
    """Home addresses in text: number and street, from the flat or house number to the street's type."""
    spans = []
    for match in _ADDRESS.finditer(text):
        words = match.group(1).lower().split()
        if any(word.strip(".,'") in _NOT_STREET for word in words):
            continue
        following = after(text, match.end(), 45)
        nearby = towns.search(following) or _TRAILING_POSTCODE.search(following) or _COMMA_PLACE.search(following)
        lead_in = before(text, match.start(), 40)
        if not nearby and not _RESIDENCE.search(lead_in) and not towns.search(lead_in[-25:]):
            continue
        if in_place_context(text, match.start(), published):
            continue
        spans.append(Span("ADDRESS", match.start(), match.end()))
    return spans
