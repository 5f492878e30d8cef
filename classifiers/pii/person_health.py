"""A named or identifiable person together with a health condition or treatment (special category data)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from classifiers.base import Span
from classifiers.pii.context import after, before, literal_alternation, sentence_bounds
from classifiers.pii.lexicon import (
    DESCRIBED_PEOPLE, FIRST_NAMES, NOT_A_CONDITION_AFTER, OCCUPATION_BEFORE, RELATION_ADJECTIVES, RELATIONS,
    STREET_TYPES, TITLES,
)

# Acronyms only count in capitals: "MS" is multiple sclerosis, "ms" and "Ms" are not.
# ("ME" is left out: "CALL ME" in capitals is far commoner than the illness.)
_ACRONYMS = ("HIV", "MS", "TIA", "MND", "STI", "OCD", "DVT", "PTSD", "COPD", "IVF", "CFS")
# First names that are also ordinary words; alone they need a surname or a title to count.
_AMBIGUOUS_NAMES = frozenset({"june", "dawn", "rose", "ray", "bill", "sue", "rob", "mark", "kim", "lee", "will",
                              "sam", "pat", "joy", "hope", "grace", "faith", "frank", "jack", "tom"})

_NAME = r"(?-i:[A-Z][a-z]+(?:[-'][A-Z][a-z]+)?)"
_FIRST = r"(?-i:" + "|".join(sorted((n.capitalize() for n in FIRST_NAMES), key=len, reverse=True)) + r")"
_SAFE_FIRST = r"(?-i:" + "|".join(sorted((n.capitalize() for n in FIRST_NAMES if n not in _AMBIGUOUS_NAMES),
                                         key=len, reverse=True)) + r")"
_PLACE_WORDS = literal_alternation([*STREET_TYPES, "hospital", "surgery", "ward", "centre", "unit", "practice",
                                    "road", "royal", "infirmary", "clinic", "house", "court", "lodge", "manor"])
_WHERE = r"(?:\s+(?:at|in|on|from)\s+(?:number|no\.?|bed|room|flat|bay)\s+\d{1,3}[a-z]?)?"
_PERSON = re.compile(
    # my dad, my 84 year old nan Edna, our neighbour at number 12
    r"(?<!\w)(?:my|our|his|her|their|your)\s+(?:(?:" + literal_alternation(RELATION_ADJECTIVES) + r")\s+|"
    r"\d{1,3}[\s-]*(?:year|yr)s?[\s-]*old\s+){0,2}(?:" + literal_alternation(RELATIONS) + r")(?!\w)"
    r"(?:,?\s+(?!(?:" + _PLACE_WORDS + r")\b)" + _NAME + r"(?:\s+(?!(?:" + _PLACE_WORDS + r")\b)"
    + _NAME + r")?(?!\w))?" + _WHERE +
    # Sandra's husband
    r"|(?<!\w)" + _NAME + r"'s\s+(?:" + literal_alternation(RELATIONS) + r")(?!\w)" +
    # our Kelly (a Derbyshire way of naming family)
    r"|(?<!\w)our\s+" + _FIRST + r"(?!\w)" +
    # Mrs Patel in bed 4
    r"|(?<!\w)(?-i:(?:" + "|".join(t.capitalize() for t in TITLES) + r")\.?)\s+" + _NAME + r"(?:\s+" + _NAME + r")?" + _WHERE +
    # the lady in bed 4, the man next door
    r"|(?<!\w)(?:the|a)\s+(?:" + literal_alternation(DESCRIBED_PEOPLE) + r")\s+(?:(?:in|at|from|on)\s+"
    r"(?:number|no\.?|bed|room|flat|bay)\s+\d{1,3}[a-z]?|next\s+door|opposite|across\s+the\s+road)"
    # Trevor Allsop; Trevor has
    r"|(?<!\w)" + _FIRST + r"\s+(?!(?:" + _PLACE_WORDS + r")\b)" + _NAME + r"(?!\w)"
    r"|(?<!\w)" + _SAFE_FIRST + r"(?='s\s|\s+(?:has|had|is|was|got|needs|needed|started|finished|takes|took|"
    r"can't|cannot|couldn't|went|goes|died|passed))",
    re.IGNORECASE,
)
_FIRST_PERSON = re.compile(r"\b(?:I|I'm|Im|I've|Ive|I'd|me|myself|my(?!\s+(?:\w+\s+){0,2}(?:"
                           + literal_alternation(RELATIONS) + r")\b))(?!\w)", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"[,;:()]|\s(?:but|and|while|whereas|because|so)\s", re.IGNORECASE)
_PRONOUN = re.compile(r"\b(?:he|she|they|his|her|their|him|them)\b", re.IGNORECASE)
_NOT_CONDITION_AFTER = re.compile(r"^\s*(?:" + literal_alternation(NOT_A_CONDITION_AFTER) + r")(?!\w)", re.IGNORECASE)
_OCCUPATION = re.compile(r"(?:" + literal_alternation(OCCUPATION_BEFORE) + r")(?!\w)[^.!?]{0,20}$", re.IGNORECASE)
_FIGURATIVE = re.compile(r"\s*(?:of\s+luck|of\s+genius|to\s+(?:see|get|know|go|hear))", re.IGNORECASE)
_PLACED = re.compile(r"\b(?:number|no\.?|bed|room|flat|bay)\s+\d|next\s+door|opposite|across\s+the\s+road",
                     re.IGNORECASE)
_NOT_NAMES = frozenset({"my", "our", "his", "her", "their", "your", *RELATIONS, *RELATION_ADJECTIVES})


def is_named(mention: str) -> bool:
    """True when the mention names the person or where to find them, beyond a relationship ("my mum")."""
    if _PLACED.search(mention):
        return True
    words = (w.split("'")[0] for w in mention.split())
    return any(w[:1].isupper() and w.lower() not in _NOT_NAMES for w in words)


@dataclass(frozen=True)
class ConditionLexicon:
    """The compiled condition and treatment terms: words in any case, acronyms in capitals only."""

    words: re.Pattern[str]
    acronyms: re.Pattern[str]


def compile_conditions(terms: Iterable[str], extra: Iterable[str] = ()) -> ConditionLexicon:
    """Compile the condition lexicon plus configured extra terms."""
    all_terms = [t for t in (*terms, *extra) if t.upper() not in _ACRONYMS]
    acronyms = [t for t in (*_ACRONYMS, *(e for e in extra if e.isupper()))]
    return ConditionLexicon(
        words=re.compile(r"(?<!\w)(?:" + literal_alternation(all_terms) + r")(?!\w)", re.IGNORECASE),
        acronyms=re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, acronyms)) + r")(?!\w)"),
    )


def _conditions(text: str, lexicon: ConditionLexicon) -> list[re.Match[str]]:
    found = []
    for match in (*lexicon.words.finditer(text), *lexicon.acronyms.finditer(text)):
        if _NOT_CONDITION_AFTER.search(after(text, match.end(), 25)):
            continue
        if _FIGURATIVE.match(text, match.end(), match.end() + 20):
            continue
        if _OCCUPATION.search(before(text, match.start(), 30)):
            continue
        found.append(match)
    return found


def _clause_start(text: str, sentence_start: int, position: int) -> int:
    start = sentence_start
    for match in _CLAUSE_BREAK.finditer(text, sentence_start, position):
        start = match.end()
    return start


def _owned_by_poster(text: str, condition: re.Match[str], sentence_start: int, people: list[re.Match[str]]) -> bool:
    # "I have diabetes and my husband drives me": the nearest owner before the term is the poster.
    clause = _clause_start(text, sentence_start, condition.start())
    last_self = max((m.end() for m in _FIRST_PERSON.finditer(text, clause, condition.start())), default=-1)
    last_person = max((p.end() for p in people if clause <= p.start() < condition.start()), default=-1)
    return last_self > last_person


def has_condition(text: str, lexicon: ConditionLexicon) -> bool:
    """Cheap test: does text mention any condition or treatment at all."""
    return bool(lexicon.words.search(text) or lexicon.acronyms.search(text))


def _previous_sentence(text: str, sentence_start: int) -> tuple[int, int]:
    last = sentence_start - 1
    while last > 0 and text[last] in " \t\n.!?":
        last -= 1
    return sentence_bounds(text, last, last) if last > 0 else (0, 0)


def _person_for(text: str, condition: re.Match[str], people: list[re.Match[str]]) -> tuple[re.Match[str] | None, int]:
    # The nearest mention before the term in its sentence, else the first after it, else (with "he", "she"...)
    # the last one in the sentence before.
    start, end = sentence_bounds(text, condition.start(), condition.end())
    here = [p for p in people if start <= p.start() < end]
    for person in here:
        if person.start() <= condition.start() < person.end():  # "my autistic son"
            return person, start
    preceding = [p for p in here if p.end() <= condition.start()]
    if preceding:
        return preceding[-1], start
    if _PRONOUN.search(text, start, condition.start()):
        prev_start, prev_end = _previous_sentence(text, start)
        earlier = [p for p in people if prev_start <= p.start() < prev_end]
        if earlier:
            return earlier[-1], start
    return (here[0] if here else None), start


def find_people_with_conditions(text: str, lexicon: ConditionLexicon) -> list[Span]:
    """The mentions of identifiable people whose health condition or treatment the text discloses."""
    conditions = _conditions(text, lexicon)
    if not conditions:
        return []
    people = list(_PERSON.finditer(text))
    if not people:
        return []
    spans: dict[tuple[int, int], Span] = {}
    for condition in conditions:
        person, sentence_start = _person_for(text, condition, people)
        if person is None or _owned_by_poster(text, condition, sentence_start, people):
            continue
        spans[person.span()] = Span("PERSON_HEALTH", person.start(), person.end())
    return list(spans.values())
