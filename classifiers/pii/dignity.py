"""Staff and volunteers named with insults or private details: a breach of their dignity (policy 2.1, 3.1)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from classifiers.base import Span
from classifiers.pii.context import literal_alternation, sentence_bounds
from classifiers.pii.lexicon import HOSTILE_TERMS, REVEALING_TERMS
from classifiers.pii.person_health import ConditionLexicon, has_condition

SPAN_TYPE = "STAFF_NAME"
_HOSTILE = re.compile(r"(?<!\w)(?:" + literal_alternation(HOSTILE_TERMS) + r")(?!\w)", re.IGNORECASE)
_REVEALING = re.compile(r"(?<!\w)(?:" + literal_alternation(REVEALING_TERMS) + r")(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class StaffNames:
    """The configured staff and volunteer names, as one pattern: full names, or a first name with the organisation."""

    pattern: re.Pattern[str]


def compile_staff_names(names: Iterable[str], organisation_names: Iterable[str]) -> StaffNames | None:
    """A pattern for the staff names, or None when none are configured."""
    full = [n.strip() for n in names if n.strip()]
    if not full:
        return None
    firsts = sorted({n.split()[0] for n in full if len(n.split()) > 1})
    org = literal_alternation([o for o in organisation_names if o.strip()])
    parts = [r"(?<!\w)(?:" + literal_alternation(full) + r")(?!\w)"]
    if firsts and org:
        parts.append(r"(?<!\w)(?:" + literal_alternation(firsts) + r")(?=\s+(?:from|at|of|@)\s+(?:" + org + r")(?!\w))")
    return StaffNames(re.compile("|".join(parts), re.IGNORECASE))


def find_dignity_breaches(text: str, staff: StaffNames, conditions: ConditionLexicon) -> tuple[list[Span], set[str]]:
    """Staff names in a sentence with an insult or a private detail, and which of the two it was."""
    spans, kinds = [], set()
    for match in staff.pattern.finditer(text):
        start, end = sentence_bounds(text, match.start(), match.end())
        # The insult may follow in the next sentence: "Thanks Priya... NOT. Total waste of space".
        end = sentence_bounds(text, min(end + 1, len(text)), min(end + 1, len(text)))[1] if end < len(text) else end
        sentence = text[start:end]
        if _HOSTILE.search(sentence):
            kinds.add("hostile")
        elif _REVEALING.search(sentence) or has_condition(sentence, conditions):
            kinds.add("revealing")
        else:
            continue
        spans.append(Span(SPAN_TYPE, match.start(), match.end()))
    return spans, kinds
