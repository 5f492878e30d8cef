"""Abuse: threats, name-calling aimed at someone, slurs and discrimination, harassment of named staff."""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from classifiers import policy_model, textnorm, wordscan
from classifiers.base import Facts, Finding, Span
from connectors.base import Item

if TYPE_CHECKING:  # pragma: no cover
    from monitor.settings import Settings

log = logging.getLogger(__name__)

NAME = "abusive"
VERSION = "1"

# kind -> (what the evidence calls it, score)
KINDS: dict[str, tuple[str, float]] = {
    "threat": ("a threat", 0.95),
    "veiled": ("a veiled threat", 0.8),
    "slur": ("a slur", 0.9),
    "hate": ("discriminatory content", 0.85),
    "discrimination": ("discriminatory content about a group", 0.85),
    "harassment": ("hostile words about a named member of staff", 0.85),
    "directed": ("name-calling aimed at someone", 0.75),
    "configured": ("a configured abusive phrase", 0.8),
    "learned": ("wording like the abusive messages the monitor was taught with", 0.6),
}
_REPORT_WINDOW = 80  # characters before a match in which "called me", "shouted" etc. mean it is being reported
_NAME_WINDOW = 80  # characters either side of a staff name searched for hostile words
_WORD_END = r"(?:e?s)?(?![a-z])"


@dataclass(frozen=True)
class Prepared:
    """The compiled abuse patterns, the reporting context and the staff names."""

    abuse: wordscan.WordStartScanner
    reporting: re.Pattern[str]
    staff: re.Pattern[str] | None
    hostile_to_staff: re.Pattern[str]
    slur_words: re.Pattern[str]  # to mask slurs in the evidence
    veiled: wordscan.WordStartScanner  # menacing words that are a threat when the message is aimed at someone
    aimed: re.Pattern[str]  # "you", the organisation, its staff (first names too), someone in a role
    model: policy_model.Scorer | None  # the learned second opinion, None when turned off
    model_threshold: float


def _masked_words(entries: tuple[str, ...] | list[str]) -> str:
    return "|".join(r"\s+".join(textnorm.masked_word(w) for w in e.split()) for e in entries)


def _with_insults(template: str, insult_words: list[str]) -> list[str]:
    """A [directed] pattern with {INSULT} filled in, split by first letter when it starts with the insult."""
    if "{INSULT}" not in template:
        return [template]
    template = template.replace("{INSULT}", "{INSULT}" + _WORD_END)
    if wordscan.starts_with(template, "{INSULT}"):
        return wordscan.by_first_character(template, "{INSULT}", insult_words)
    return [template.replace("{INSULT}", f"(?:{'|'.join(insult_words)})")]


def prepare(settings: "Settings", facts: Facts | None = None) -> Prepared:
    """Compile the word lists, the configured additions and the staff names."""
    section = settings.classifiers.get(NAME, {})
    lex = textnorm.load_lexicon(NAME)
    insults = list(lex.get("insult", ())) + textnorm.string_list(section, "insults")
    slurs = list(lex.get("slur", ())) + textnorm.string_list(section, "slurs")
    insult_words = [_masked_words([w]) for w in insults + slurs + list(lex.get("slur_directed", ()))]
    slur = f"(?:{_masked_words(slurs)}){_WORD_END}"
    slur_aimed = [r"you", r"u", r"ya", r"ur", r"your", r"dirty", r"filthy", r"bloody", r"fucking", r"f\*+ing",
                  r"bunch\s+of", r"all", r"those", r"these", r"them", r"stupid", r"little", r"fat", r"what\s+an?",
                  r"(?:is|are|was|he'?s|she'?s)(?:\s+an?)?"]
    slur_directed = rf"{{AIMED}}\s+(?:\w+\s+)?(?:{_masked_words(lex.get('slur_directed', ()))}){_WORD_END}"
    groups = [textnorm.spaced(p) for p in lex.get("group", ())]
    hostile = "|".join(textnorm.spaced(p) for p in lex.get("hostile", ()))
    kinds = {
        "threat": [textnorm.spaced(p) for p in lex.get("threat", ())],
        "directed": [part for p in lex.get("directed", ()) for alternative in wordscan.alternatives(textnorm.spaced(p))
                     for part in _with_insults(alternative, insult_words)],
        "slur": [slur] + wordscan.by_first_character(slur_directed, "{AIMED}", slur_aimed),
        "hate": [textnorm.spaced(p) for p in lex.get("hate_phrase", ())],
        "discrimination": wordscan.by_first_character(
            rf"{{GROUP}}(?:\W+\w+){{0,6}}?\W+(?<!n't\s)(?<!not\s)(?<!never\s)(?:{hostile})", "{GROUP}", groups),
        "configured": [textnorm.phrase(p) for p in textnorm.string_list(section, "phrases")],
    }
    staff_names = [n for n in settings.organisation.staff_names if n.strip()]
    staff = textnorm.compile_any([textnorm.phrase(textnorm.fold(n)) for n in staff_names])
    threat_words = (r"kill|hurt|batter|smash|stab|punch|slap|know\s+where\s+(?:she|he)\s+lives|watch\s+(?:her|his)\s+back"
                    r"|when\s+(?:he|she)\s+leaves|outside\s+(?:her|his)\s+(?:house|office|home)")
    demeaning = _masked_words(lex.get("demeaning", ()))
    hostile_to_staff = rf"(?<![a-z])(?:{_masked_words(insults)}|{demeaning}|{threat_words}){_WORD_END}"
    first_names = [n.split()[0] for n in staff_names]
    aimed = "|".join([textnorm.spaced(p) for p in lex.get("aimed", ())]
                     + [textnorm.phrase(textnorm.fold(n)) for n in first_names])
    return Prepared(
        abuse=wordscan.scanner_for(kinds),
        reporting=re.compile("|".join(f"(?:{textnorm.spaced(p)})" for p in lex.get("reporting", ()))),
        staff=staff,
        hostile_to_staff=re.compile(hostile_to_staff),
        veiled=wordscan.scanner_for({"veiled": [textnorm.spaced(p) for p in lex.get("veiled", ())]}),
        aimed=re.compile(aimed),
        slur_words=re.compile(rf"(?<![a-z])(?:{_masked_words(slurs + list(lex.get('slur_directed', ())))}){_WORD_END}"),
        **policy_model.model_settings(NAME, section, settings.organisation.staff_names),
    )


def check(settings: "Settings") -> list[str]:
    """Problems with the [classifiers.abusive] section, one sentence each."""
    section = settings.classifiers.get(NAME, {})
    problems = textnorm.section_problems(section, list_keys=("phrases", "insults", "slurs"),
                                         checked_elsewhere=("model_threshold",))
    return problems + policy_model.threshold_problems(section)


def _is_reported(text: str, start: int, end: int, reporting: re.Pattern[str]) -> bool:
    """Whether the words are quoted or told as something said to someone, to report it."""
    before = text[max(0, start - _REPORT_WINDOW):start]
    if reporting.search(before):
        return True
    return _is_quoted(text, start, end)


def _is_quoted(text: str, start: int, end: int) -> bool:
    """Whether the words stand inside quotation marks."""
    return any(q in text[max(0, start - 3):start] for q in "\"'") and any(q in text[end:end + 3] for q in "\"'")


def _masked(quote: str, slur_words: re.Pattern[str]) -> str:
    """The quote with any slur in it masked after its first letter, so alerts do not repeat slurs."""
    chars = list(quote)
    for m in slur_words.finditer(textnorm.fold_leet(textnorm.fold(quote))):
        chars[m.start() + 1:m.end()] = "*" * (m.end() - m.start() - 1)
    return "".join(chars)


def _by_model(item: Item, prepared: Prepared) -> list[Finding]:
    """The learned second opinion, for abuse worded in ways the lists do not know."""
    opinion = policy_model.second_opinion(prepared.model, prepared.model_threshold, item.text)
    if opinion is None:
        return []
    probability, score = opinion
    return [Finding(label=NAME, score=score, detector=NAME, version=VERSION,
                    evidence=f"abusive: {KINDS['learned'][0]} (model {probability:.2f}); no listed words, please read it")]


def detect(item: Item, prepared: Prepared) -> list[Finding]:
    """A finding for threats, name-calling, slurs, discrimination or hostility to named staff."""
    folded = textnorm.fold(item.text)
    leet = textnorm.fold_leet(folded)
    found: dict[str, tuple[int, int]] = {}
    spans: list[Span] = []
    for kind, start, end in prepared.abuse.scan(leet):
        if kind == "slur" and sum(ch.isalpha() for ch in leet[start:end]) < 3:
            continue  # "f*****" on its own could be any swear word
        if _is_reported(leet, start, end, prepared.reporting) and (kind != "threat" or _is_quoted(leet, start, end)):
            continue  # told to us to report it; a threat only when it is quoted, so "he'll kill you" still counts
        found.setdefault(kind, (start, end))
        spans.append(Span(kind.upper(), start, end))
    if prepared.staff is not None:
        for m in prepared.staff.finditer(folded):
            window_start = max(0, m.start() - _NAME_WINDOW)
            hostile = prepared.hostile_to_staff.search(leet, window_start, m.end() + _NAME_WINDOW)
            if hostile and not _is_reported(leet, hostile.start(), hostile.end(), prepared.reporting):
                found.setdefault("harassment", (m.start(), m.end()))
                spans.append(Span("STAFF_NAME", m.start(), m.end()))
    if not found:
        menace = prepared.veiled.scan(leet)
        if menace and prepared.aimed.search(leet):
            _, start, end = menace[0]
            found["veiled"] = (start, end)
            spans.append(Span("VEILED", start, end))
    if not found:
        return _by_model(item, prepared)
    score = min(1.0, max(KINDS[k][1] for k in found) + 0.05 * (len(found) - 1))
    quotes = {k: textnorm.short_quote(item.text, a, b, limit=30) for k, (a, b) in found.items()}
    described = "; ".join(f"{KINDS[k][0]} (\"{_masked(q, prepared.slur_words)}\")" for k, q in quotes.items())
    return [Finding(label=NAME, score=round(score, 3), detector=NAME, version=VERSION, spans=tuple(spans),
                    evidence=f"abusive: {described}")]
