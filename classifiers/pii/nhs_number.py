"""NHS numbers: ten digits in the usual spacings that pass the modulus 11 check."""
from __future__ import annotations

import re

from classifiers.base import Span

# Not part of a longer run of digits, however the longer run is spaced.
_CANDIDATE = re.compile(r"(?<![\d])(?<!\d[ -])(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?![\d])(?![ -]\d)")


def passes_modulus_11(digits: str) -> bool:
    """True when the tenth digit is the modulus 11 check digit of the first nine (weights 10 down to 2)."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1)))
    check = 11 - total % 11
    if check == 11:
        check = 0
    if check == 10:
        return False
    return check == int(digits[9])


def find_nhs_numbers(text: str) -> list[Span]:
    """Valid NHS numbers in text; a ten-digit number failing the check is never one."""
    spans = []
    for match in _CANDIDATE.finditer(text):
        if passes_modulus_11("".join(match.groups())):
            spans.append(Span("NHS_NUMBER", match.start(), match.end()))
    return spans
