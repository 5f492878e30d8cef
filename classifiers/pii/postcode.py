"""Full UK postcodes by the GOV.UK pattern; a district alone ("DE22") and published postcodes are left out."""
from __future__ import annotations

import re

from classifiers.base import Span
from classifiers.pii.published import PublishedDetails, in_place_context, normalise_postcode

# The pattern GOV.UK publishes for postcodes, bounded so that it is never part of a longer word.
_POSTCODE = re.compile(
    r"(?<![A-Za-z0-9])(?:GIR ?0AA|(?:[A-Z][0-9]{1,2}|[A-Z][A-HJ-Y][0-9]{1,2}|[A-Z][0-9][A-Z]|[A-Z][A-HJ-Y][0-9][A-Z]?)"
    r" ?[0-9][A-Z]{2})(?![A-Za-z0-9])",
    re.IGNORECASE,
)
_ORDINAL_INWARD = re.compile(r"[0-9](?:st|nd|rd|th)$", re.IGNORECASE)


def find_postcodes(text: str, published: PublishedDetails) -> list[Span]:
    """Full postcodes in text that are not the organisation's or a service's."""
    spans = []
    for match in _POSTCODE.finditer(text):
        raw = match.group()
        # "b12 3rd" in lower case is a vitamin and a floor, not a postcode; "B12 3RD" is taken as written.
        if raw.islower() and _ORDINAL_INWARD.search(raw):
            continue
        if normalise_postcode(raw) in published.postcodes or in_place_context(text, match.start(), published):
            continue
        spans.append(Span("POSTCODE", match.start(), match.end()))
    return spans
