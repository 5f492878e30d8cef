"""National Insurance numbers: two letters with the prefix rules, six digits, a letter A to D."""
from __future__ import annotations

import re

from classifiers.base import Span

# D, F, I, Q, U, V never first or second; O never second; BG, GB, KN, NK, NT, TN, ZZ not allocated.
_NI_NUMBER = re.compile(
    r"(?<![A-Za-z0-9])(?!(?:BG|GB|KN|NK|NT|TN|ZZ))[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]"
    r"[ -]?\d{2}[ -]?\d{2}[ -]?\d{2}[ -]?[A-D](?![A-Za-z0-9])",
    re.IGNORECASE,
)


def find_ni_numbers(text: str) -> list[Span]:
    """National Insurance numbers in text, spaced or not."""
    return [Span("NI_NUMBER", m.start(), m.end()) for m in _NI_NUMBER.finditer(text)]
