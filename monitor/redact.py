"""Removing personal data from text before it travels in an alert or a digest."""
from __future__ import annotations

from typing import Iterable

from classifiers.base import ENTITY_TYPES, Finding, Span

_READABLE = {
    "NHS_NUMBER": "NHS number",
    "PHONE": "phone number",
    "EMAIL": "email address",
    "POSTCODE": "postcode",
    "ADDRESS": "address",
    "DATE_OF_BIRTH": "date of birth",
    "NI_NUMBER": "National Insurance number",
    "PERSON_HEALTH": "name",
    "STAFF_NAME": "staff name",
}


def personal_spans(findings: Iterable[Finding]) -> list[Span]:
    """The spans of personal data among the findings, merged where they overlap."""
    spans = sorted((s for f in findings for s in f.spans if s.type in ENTITY_TYPES), key=lambda s: (s.start, -s.end))
    merged: list[Span] = []
    for span in spans:
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            merged[-1] = Span(last.type, last.start, max(last.end, span.end))
        else:
            merged.append(span)
    return merged


def redact(text: str, spans: Iterable[Span]) -> str:
    """text with each span replaced by a note of what was removed, e.g. "[NHS number removed]"."""
    out, position = [], 0
    for span in sorted(spans, key=lambda s: s.start):
        # A span running past the end (a detector's offset bug) is cut at the end, never skipped: when in
        # doubt, more is removed, not less.
        span = Span(span.type, max(span.start, position), min(span.end, len(text)))
        if span.end <= span.start:
            continue
        out.append(text[position:span.start])
        out.append(f"[{_READABLE.get(span.type, 'personal data')} removed]")
        position = span.end
    out.append(text[position:])
    return "".join(out)
