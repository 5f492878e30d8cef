"""Personal data posted in public (policy 1.1) and staff named in hostile or revealing ways (policy 2.1, 3.1)."""
from __future__ import annotations

import bisect
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from classifiers.base import ENTITY_TYPES, Facts, Finding, Span
from classifiers.pii import dignity
from classifiers.pii.address import compile_towns, find_addresses
from classifiers.pii.dob import find_dates_of_birth
from classifiers.pii.email import find_emails
from classifiers.pii.lexicon import CONDITION_TERMS, TOWNS
from classifiers.pii.nhs_number import find_nhs_numbers
from classifiers.pii.ni_number import find_ni_numbers
from classifiers.pii.person_health import (
    ConditionLexicon, compile_conditions, find_people_with_conditions, has_condition, is_named,
)
from classifiers.pii.phone import MIN_DIGITS, find_phones
from classifiers.pii.postcode import find_postcodes
from classifiers.pii.published import PublishedDetails, normalise_phone, normalise_postcode, published_details
from connectors.base import Item

if TYPE_CHECKING:  # pragma: no cover
    from monitor.settings import Settings

log = logging.getLogger(__name__)

NAME = "confidential"
VERSION = "1"
LABEL = "confidential"
KNOWN_TYPES = (*ENTITY_TYPES, dignity.SPAN_TYPE)
_KEYS = {"published_phones", "published_emails", "published_postcodes", "condition_terms_extra", "towns_extra",
         "enabled_entities"}
# How sure one entity of each type makes the finding; several entities add up.
_TYPE_SCORES = {"NHS_NUMBER": 0.97, "NI_NUMBER": 0.95, "EMAIL": 0.9, "PHONE": 0.9, "DATE_OF_BIRTH": 0.85,
                "ADDRESS": 0.85, "POSTCODE": 0.7, "PERSON_HEALTH": 0.85, dignity.SPAN_TYPE: 0.7}
# "my mum has dementia" identifies her only through the poster; "my mum Edna Allsop" or "Mrs Patel in bed 4" on its own.
_RELATION_ONLY_SCORE = 0.6
# When two structured entities overlap, the more specific one is kept.
_PRIORITY = ("NHS_NUMBER", "NI_NUMBER", "EMAIL", "PHONE", "DATE_OF_BIRTH", "POSTCODE", "ADDRESS")
_NO_DIGITS = str.maketrans("", "", "0123456789")
_EMAIL_HINT = re.compile(r"@|\bdot\b", re.IGNORECASE)


@dataclass(frozen=True)
class PreparedConfidential:
    """What detect needs, compiled once per run."""

    enabled: frozenset[str]
    published: PublishedDetails
    towns: re.Pattern[str]
    conditions: ConditionLexicon
    staff: dignity.StaffNames | None


@lru_cache(maxsize=8)
def _conditions(extra: tuple[str, ...]) -> ConditionLexicon:
    return compile_conditions(CONDITION_TERMS, extra)


@lru_cache(maxsize=8)
def _towns(extra: tuple[str, ...]) -> re.Pattern[str]:
    return compile_towns((*TOWNS, *extra))


def prepare(settings: "Settings", facts: Facts | None = None) -> PreparedConfidential:
    """Compile the patterns and normalise the published contact details once."""
    section = settings.classifiers.get(NAME, {})
    organisation = settings.organisation
    return PreparedConfidential(
        enabled=frozenset(section.get("enabled_entities", KNOWN_TYPES)),
        published=published_details(organisation, section, settings.services),
        towns=_towns(tuple(t.lower() for t in section.get("towns_extra", []))),
        conditions=_conditions(tuple(section.get("condition_terms_extra", []))),
        staff=dignity.compile_staff_names(organisation.staff_names, [organisation.name, *organisation.other_names]),
    )


def find_entities(text: str, prepared: PreparedConfidential) -> list[Span]:
    """Every personal data entity in text, ordered by position, structured overlaps resolved."""
    enabled = prepared.enabled
    digits = len(text) - len(text.translate(_NO_DIGITS))
    found: list[Span] = []
    if digits:
        if digits >= 10 and "NHS_NUMBER" in enabled:
            found += find_nhs_numbers(text)
        if digits >= 6 and "NI_NUMBER" in enabled:
            found += find_ni_numbers(text)
        if digits >= MIN_DIGITS and "PHONE" in enabled:
            found += find_phones(text, prepared.published)
        if "DATE_OF_BIRTH" in enabled:
            found += find_dates_of_birth(text)
        if "POSTCODE" in enabled:
            found += find_postcodes(text, prepared.published)
        if "ADDRESS" in enabled:
            found += find_addresses(text, prepared.published, prepared.towns)
    if "EMAIL" in enabled and _EMAIL_HINT.search(text):
        found += find_emails(text, prepared.published)
    kept = _resolve_overlaps(found)
    if "PERSON_HEALTH" in enabled and has_condition(text, prepared.conditions):
        kept += find_people_with_conditions(text, prepared.conditions)
    return sorted(kept, key=lambda s: (s.start, s.end, s.type))


def _overlaps_any(span: Span, others: list[Span]) -> bool:
    return any(span.start < other.end and other.start < span.end for other in others)


def _resolve_overlaps(spans: list[Span]) -> list[Span]:
    kept: list[Span] = []
    starts: list[int] = []  # kept spans never overlap: ordered by start, they are ordered by end too
    by_start: list[Span] = []
    for span in sorted(spans, key=lambda s: (_PRIORITY.index(s.type), s.start)):
        # Only the kept span starting last before this one ends can overlap it: O(log n), not a scan of all.
        index = bisect.bisect_left(starts, span.end)
        if index and by_start[index - 1].end > span.start:
            continue
        kept.append(span)
        starts.insert(index, span.start)
        by_start.insert(index, span)
    return kept


def _relation_only(span: Span, text: str) -> bool:
    return span.type == "PERSON_HEALTH" and not is_named(text[span.start:span.end])


def _score(spans: list[Span], text: str) -> float:
    remaining = 1.0
    for span in spans:
        remaining *= 1.0 - (_RELATION_ONLY_SCORE if _relation_only(span, text) else _TYPE_SCORES.get(span.type, 0.5))
    return round(min(0.99, 1.0 - remaining), 3)


def _evidence(spans: list[Span], dignity_kinds: set[str], text: str) -> str:
    counts: dict[str, int] = {}
    for span in spans:
        kind = span.type + (" (by relationship)" if _relation_only(span, text) else "")
        counts[kind] = counts.get(kind, 0) + 1
    personal = [f"{t} x{n}" if n > 1 else t for t, n in counts.items() if t != dignity.SPAN_TYPE]
    parts = []
    if personal:
        parts.append("personal data in public (policy 1.1): " + ", ".join(personal))
    if dignity_kinds:
        how = " and ".join(sorted(dignity_kinds))
        parts.append(f"dignity breach (policy 2.1, 3.1): a staff or volunteer name in a {how} context")
    return "; ".join(parts)


def detect(item: Item, prepared: PreparedConfidential) -> list[Finding]:
    """One confidential finding when the item's text holds personal data or a staff dignity breach."""
    text = item.text
    if not text:
        return []
    spans = find_entities(text, prepared)
    dignity_kinds: set[str] = set()
    if prepared.staff is not None and dignity.SPAN_TYPE in prepared.enabled:
        staff_spans, dignity_kinds = dignity.find_dignity_breaches(text, prepared.staff, prepared.conditions)
        # A colleague's health named is reported once, as the dignity breach it is.
        spans = [s for s in spans if s.type != "PERSON_HEALTH" or not _overlaps_any(s, staff_spans)]
        spans = sorted({*spans, *staff_spans}, key=lambda s: (s.start, s.end, s.type))
    if not spans:
        return []
    return [Finding(label=LABEL, score=_score(spans, text), detector=NAME,
                    version=VERSION, spans=tuple(spans), evidence=_evidence(spans, dignity_kinds, text))]


def check(settings: "Settings") -> list[str]:
    """One sentence per problem in the [classifiers.confidential] section."""
    section: dict[str, Any] = settings.classifiers.get(NAME, {})
    problems = [f"unknown key {key!r} (known: {', '.join(sorted(_KEYS))})" for key in sorted(set(section) - _KEYS)]
    for key in sorted(_KEYS & set(section)):
        value = section[key]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            problems.append(f"{key} must be a list of non-empty strings")
            section = {**section, key: []}
    for phone in section.get("published_phones", []):
        if normalise_phone(phone) is None:
            problems.append(f"published_phones: {phone!r} is not a UK phone number")
    for postcode in section.get("published_postcodes", []):
        if not re.fullmatch(r"[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}", normalise_postcode(postcode)):
            problems.append(f"published_postcodes: {postcode!r} is not a full UK postcode")
    for email in section.get("published_emails", []):
        if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}", email.strip()):
            problems.append(f"published_emails: {email!r} is not an email address")
    for entity in section.get("enabled_entities", []):
        if entity not in KNOWN_TYPES:
            problems.append(f"enabled_entities: {entity!r} is not an entity type (known: {', '.join(KNOWN_TYPES)})")
    for phone in settings.organisation.published_phones:
        if normalise_phone(phone) is None:
            problems.append(f"organisation.published_phones: {phone!r} is not a UK phone number")
    return problems
