"""UK phone numbers, found and parsed by the phonenumbers library; published and service numbers are left out."""
from __future__ import annotations

import re

import phonenumbers
from phonenumbers import Leniency, PhoneNumberMatcher

from classifiers.base import Span
from classifiers.pii.published import PublishedDetails, in_phone_context, is_personal_phone_type

# Ofcom's ranges for drama, which the library's metadata does not count as valid; a real person's number
# is valid, and a fictional one written as a real one should be treated the same way.
_DRAMA_PREFIXES = ("7700900", "1632960", "1134960", "1144960", "1154960", "1164960", "1174960", "1184960",
                   "1214960", "1314960", "1414960", "1514960", "1614960", "1914980", "2079460", "2890180",
                   "2920180")
MIN_DIGITS = 10
# Cheap test before the library runs: a trunk 0 or +44 / 0044 starting a group of digits.
_UK_START = re.compile(r"(?<![\w+])(?:\+\s?44|0044|\(?0\d)")


def _written_as_uk_number(raw: str) -> bool:
    # People write UK numbers with a trunk 0 or an international prefix; a bare 10-digit run is a reference.
    head = raw.lstrip("(").lstrip()
    return head.startswith(("0", "+"))


def _is_real_or_drama(number: phonenumbers.PhoneNumber) -> bool:
    if phonenumbers.is_valid_number(number):
        return True
    national = str(number.national_number)
    return number.country_code == 44 and len(national) == 10 and national.startswith(_DRAMA_PREFIXES)


def find_phones(text: str, published: PublishedDetails) -> list[Span]:
    """Personal UK phone numbers in text, with the spans the library reports."""
    if not _UK_START.search(text):
        return []
    spans = []
    for match in PhoneNumberMatcher(text, "GB", leniency=Leniency.POSSIBLE):
        number = match.number
        if not _written_as_uk_number(match.raw_string) or not _is_real_or_drama(number):
            continue
        if number.country_code != 44 or not is_personal_phone_type(number):
            continue
        if phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) in published.phones:
            continue
        if in_phone_context(text, match.start, published):
            continue
        spans.append(Span("PHONE", match.start, match.end))
    return spans
