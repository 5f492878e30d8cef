"""Contact details the organisation and services publish, which are not personal data, and the contexts that say so."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable

import phonenumbers

from classifiers.pii.context import before, literal_alternation
from classifiers.pii.lexicon import RELATIONS

_PLACES = (
    "surgery", "practice", "gp", "gps", "pals", "hospital", "hospitals", "ward", "reception", "clinic", "pharmacy",
    "chemist", "helpline", "help line", "switchboard", "office", "offices", "team", "council", "service",
    "healthwatch", "hwd", "advocacy", "dentist", "dentists", "dental practice", "samaritans", "nhs", "trust",
    "centre", "center", "health centre", "medical centre", "hospice", "infirmary", "unit", "department",
    "ombudsman", "cloverleaf", "icb", "ambulance", "minor injuries", "walk-in", "walk in", "library", "hall",
    "church", "venue", "event", "drop-in", "drop in", "headquarters", "hq", "home office", "care home",
    "nursing home", "appointments line", "booking line", "main number", "main line", "royal", "opticians",
    "optician", "physio", "outpatients", "a&e", "a & e", "emergency department", "urgent care", "111",
)
_PLACE_PATTERN = literal_alternation(_PLACES)
# Premises, for addresses and postcodes: "my GP practice at", "the library, SK17 6DA".
_PREMISES = (
    "surgery", "practice", "gp", "gps", "pals", "hospital", "hospitals", "ward", "reception", "clinic", "pharmacy",
    "chemist", "office", "offices", "council", "healthwatch", "hwd", "dentist", "dentists", "dental practice",
    "centre", "center", "health centre", "medical centre", "hospice", "infirmary", "unit", "department",
    "minor injuries", "walk-in", "walk in", "library", "hall", "church", "venue", "event", "drop-in", "drop in",
    "headquarters", "hq", "care home", "nursing home", "royal", "opticians", "optician", "physio", "outpatients",
    "a&e", "a & e", "emergency department", "urgent care", "stall", "market", "museum", "school", "college",
    "university", "station", "car park",
)

# "call the surgery on", "PALS number is", "ring 111": what follows is a number the service publishes.
_PHONE_CONTEXT = re.compile(
    r"(?:\b(?:call|ring|phone|contact|dial|text|try|reach|rang|called|phoned)\s+(?:up\s+)?(?:the\s+|your\s+|their\s+|"
    r"local\s+|main\s+)*(?<!\w)(?:" + _PLACE_PATTERN + r")(?!\w)"
    r"|(?<!\w)(?:" + _PLACE_PATTERN + r")(?:'?s)?\s+(?:(?:main|direct|phone|telephone|contact|general|"
    r"enquiries|enquiry|appointments?|switchboard)\s+)*(?:number|no\.?|tel|telephone|line|phone|on)(?!\w)"
    r"|(?<!\w)(?:" + _PLACE_PATTERN + r")(?:'?s)?\s*(?:is|:|-|–)?\s*$)",
    re.IGNORECASE,
)
# "call Derbyshire Carers Association on": a named organisation, by the word that ends its name.
_ORGANISATION_CALL = re.compile(
    r"\b(?:call|ring|phone|contact|try|dial)\s+(?:the\s+)?(?:[A-Z][\w&'-]*\s+){0,4}(?-i:Association|Trust|Carers|"
    r"Charity|Society|Services?|Team|Line|Helpline|Centre|Center|Advocacy|Foundation|Group|Network|Council|Partnership|"
    r"Hospice|Surgery|Practice|Hospital|Pharmacy|Clinic|Unit|Alliance|Forum|Project|Hub|Mind|UK|Trust)"
    r"(?:\s+(?:on|at|is|:))?\s*$",
    re.IGNORECASE,
)
# "PALS email is", "email the practice at", "the council's address is".
_EMAIL_CONTEXT = re.compile(
    r"(?:\b(?:e-?mail|contact|write\s+to|message)\s+(?:the\s+|your\s+|their\s+|local\s+)*(?<!\w)(?:" + _PLACE_PATTERN
    + r")(?!\w)|(?<!\w)(?:" + _PLACE_PATTERN + r")(?:'s)?\s+(?:(?:main|contact|general|enquiries|complaints)\s+)*"
    r"(?:e-?mail|address|contact)(?!\w))",
    re.IGNORECASE,
)
# "my GP practice at 12 Market Street", "Royal Derby Hospital, Uttoxeter Road, DE22 3NE".
_PLACE_CONTEXT = re.compile(r"(?<!\w)(?:" + literal_alternation(_PREMISES) + r")(?!\w)", re.IGNORECASE)
# A later mention of someone's own home or number takes the detail back to a person.
_PERSONAL_CUE = re.compile(
    r"\b(?:me|my\s+(?:home|house|address|number|mobile|phone|flat|place|door|own|" + literal_alternation(RELATIONS)
    + r")|his|her|him|their\s+home|home|house|lives?|living|live|mobile|personal|mum'?s|dad'?s|nan'?s|private|"
    r"i'?m\s+at|we'?re\s+at|text\s+me|(?:i|we|he|she|they)\s+moved)\b",
    re.IGNORECASE,
)
_ROLE_MAILBOXES = frozenset({
    "pals", "enquiries", "enquiry", "info", "contact", "admin", "reception", "office", "hello", "help", "support",
    "feedback", "complaints", "team", "noreply", "no-reply", "appointments", "bookings", "general", "mail",
    "referrals", "press", "media", "communications", "comms",
})
_PERSONAL_TYPES = frozenset({
    phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE, phonenumbers.PhoneNumberType.PERSONAL_NUMBER,
    phonenumbers.PhoneNumberType.VOIP, phonenumbers.PhoneNumberType.UNKNOWN,
})


@dataclass(frozen=True)
class PublishedDetails:
    """The configured published contact details, normalised for comparison, and the services' names."""

    phones: frozenset[str] = frozenset()  # E.164
    emails: frozenset[str] = frozenset()  # lower case
    postcodes: frozenset[str] = frozenset()  # upper case, no spaces
    place_names: re.Pattern[str] | None = None  # the organisation's and services' names


def normalise_phone(raw: str) -> str | None:
    """The E.164 form of a UK phone number as written, or None when it is not one."""
    try:
        return phonenumbers.format_number(phonenumbers.parse(raw, "GB"), phonenumbers.PhoneNumberFormat.E164)
    except phonenumbers.NumberParseException:
        return None


def normalise_postcode(raw: str) -> str:
    """A postcode in upper case without spaces, for comparison."""
    return re.sub(r"\s+", "", raw).upper()


def published_details(
    organisation: Any, section: dict[str, Any], services: Iterable[dict[str, Any]]
) -> PublishedDetails:
    """The organisation's published details plus the detector's extra ones and the services' names."""
    phones = [*organisation.published_phones, *section.get("published_phones", [])]
    emails = [*organisation.published_emails, *section.get("published_emails", [])]
    postcodes = [*organisation.published_postcodes, *section.get("published_postcodes", [])]
    names = [organisation.name, *organisation.other_names]
    for service in services:
        names += [service.get("name", ""), *service.get("aliases", []), *service.get("other_names", [])]
    names = [n for n in names if isinstance(n, str) and len(n.strip()) > 2]
    place_names = re.compile(r"(?<!\w)(?:" + literal_alternation(names) + r")(?!\w)", re.IGNORECASE) if names else None
    return PublishedDetails(
        phones=frozenset(filter(None, (normalise_phone(p) for p in phones))),
        emails=frozenset(e.strip().lower() for e in emails),
        postcodes=frozenset(normalise_postcode(p) for p in postcodes),
        place_names=place_names,
    )


def _context_wins(pattern: re.Pattern[str], window: str) -> bool:
    last_context = max((m.end() for m in pattern.finditer(window)), default=-1)
    if last_context < 0:
        return False
    last_personal = max((m.end() for m in _PERSONAL_CUE.finditer(window)), default=-1)
    return last_context > last_personal


def in_phone_context(text: str, start: int, published: PublishedDetails) -> bool:
    """True when the words before start say the number belongs to a service ("call the surgery on")."""
    window = before(text, start, 60)
    if _context_wins(_PHONE_CONTEXT, window) or _ORGANISATION_CALL.search(window):
        return True
    return published.place_names is not None and _context_wins(published.place_names, window)


def in_email_context(text: str, start: int) -> bool:
    """True when the words before start say the address belongs to a service ("PALS email is")."""
    return _context_wins(_EMAIL_CONTEXT, before(text, start, 60))


def in_place_context(text: str, start: int, published: PublishedDetails) -> bool:
    """True when the words before start name a service's premises ("my GP practice at", "the Royal Derby Hospital,")."""
    window = before(text, start, 70)
    if _context_wins(_PLACE_CONTEXT, window):
        return True
    return published.place_names is not None and _context_wins(published.place_names, window)


def is_role_mailbox(local_part: str) -> bool:
    """True for a shared mailbox such as pals@ or enquiries@, which names a service rather than a person."""
    return any(word in _ROLE_MAILBOXES for word in re.split(r"[._\-+]", local_part.lower()))


def is_personal_phone_type(number: phonenumbers.PhoneNumber) -> bool:
    """True for the kinds of number a person has (mobile, landline); 0300/0800/09 numbers are services'."""
    return phonenumbers.number_type(number) in _PERSONAL_TYPES
