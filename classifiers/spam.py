"""Spam and scams on others' items: fake cures, crypto offers, fake giveaways, link farms, impersonation."""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from classifiers import policy_model, textnorm, wordscan
from classifiers.base import Facts, Finding, Span
from classifiers.impersonation import OrganisationNames, posing_reason
from connectors.base import Item

if TYPE_CHECKING:  # pragma: no cover
    from monitor.settings import Settings

log = logging.getLogger(__name__)

NAME = "spam"
VERSION = "1"

DEFAULT_MIN_SCORE = 0.6
SCAM_SCORE = 0.9  # one scam phrase is enough
PROMO_SCORE = 0.3  # promotional phrases add up: two or three make spam
MANY_LINKS = 3
MANY_LINKS_SCORE = 0.6
SHORTENER_SCORE = 0.3
POSING_SCORE = 0.4  # an author posing as the organisation: spam when it also asks for something
WARNING_FACTOR = 0.4  # someone warning others about a scam is not spamming
# A way to reach the writer: a warning word next to one of these is part of the pitch, not a warning.
_CONTACT_ASK = re.compile(
    r"whatsapp|telegram|wa\.me|t\.me/|(?:dm|inbox|message|pm)\s+(?:me|us)|(?:email|contact|message|text)\s+(?:him|her)\b"
    r"|https?://|www\.|[\w.]+@[\w-]+\.[a-z]{2,}|(?<![\w@])@\w{3,}|i\s+can\s+help\s+you|i'?m\s+a\s+(?:certified|licensed)"
)
# What a posing account asks for that makes it a scam rather than a look-alike name.
_ASKS = re.compile(r"£\s?\d|\$\d|sort\s+code|bank|card|password|\bpin\b|details|reply\s+with|click|log\s?in|verify|whatsapp")


@dataclass(frozen=True)
class Prepared:
    """The compiled scam, promotion, shortener and warning patterns, and the organisation's names."""

    wording: wordscan.WordStartScanner  # scam and promotional wording
    shorteners: re.Pattern[str]
    warning: re.Pattern[str]
    names: OrganisationNames
    min_score: float
    model: policy_model.Scorer | None  # the learned second opinion, None when turned off
    model_threshold: float


def _compile(entries: list[str]) -> re.Pattern[str]:
    return re.compile(r"(?<![\w'])(?:" + "|".join(f"(?:{textnorm.spaced(e)})" for e in entries) + ")")


def prepare(settings: "Settings", facts: Facts | None = None) -> Prepared:
    """Compile the word lists and the configured additions."""
    section = settings.classifiers.get(NAME, {})
    lex = textnorm.load_lexicon(NAME)
    scam = list(lex["scam"]) + [textnorm.phrase(p) for p in textnorm.string_list(section, "phrases")]
    promo = list(lex["promo"]) + [textnorm.phrase(p) for p in textnorm.string_list(section, "promo_phrases")]
    shorteners = list(lex["shorteners"]) + [re.escape(d.lower()) for d in textnorm.string_list(section, "shorteners")]
    return Prepared(
        wording=wordscan.scanner_for({"scam": [textnorm.spaced(e) for e in scam],
                                           "promo": [textnorm.spaced(e) for e in promo]}),
        shorteners=re.compile(r"(?<![\w.-])(?:" + "|".join(shorteners) + r")/"),
        warning=_compile(list(lex["warning"])),
        names=OrganisationNames.from_settings(settings),
        min_score=float(section.get("min_score", DEFAULT_MIN_SCORE)),
        **policy_model.model_settings(NAME, section, settings.organisation.staff_names),
    )


def check(settings: "Settings") -> list[str]:
    """Problems with the [classifiers.spam] section, one sentence each."""
    section = settings.classifiers.get(NAME, {})
    problems = textnorm.section_problems(
        section, list_keys=("phrases", "promo_phrases", "shorteners"), number_keys=("min_score",),
        checked_elsewhere=("model_threshold",))
    problems += policy_model.threshold_problems(section)
    score = section.get("min_score", DEFAULT_MIN_SCORE)
    if isinstance(score, (int, float)) and not 0 < score <= 1:
        problems.append("min_score should be between 0 and 1 (a lower number reports more)")
    return problems


def _by_model(item: Item, prepared: Prepared) -> list[Finding]:
    """The learned second opinion, for spam worded in ways the lists do not know."""
    opinion = policy_model.second_opinion(prepared.model, prepared.model_threshold, item.text)
    if opinion is None:
        return []
    probability, score = opinion
    return [Finding(label=NAME, score=score, detector=NAME, version=VERSION,
                    evidence=f"spam or scam: wording like the spam the monitor was taught with (model {probability:.2f})")]


def detect(item: Item, prepared: Prepared) -> list[Finding]:
    """A finding when others' text reads as a scam or spam, with the reasons."""
    if item.own:
        return []
    folded = textnorm.fold(item.text)
    reasons: list[str] = []
    spans: list[Span] = []
    score = 0.0
    wording = prepared.wording.scan(folded)
    scams = [(a, b) for kind, a, b in wording if kind == "scam"]
    promos = [(a, b) for kind, a, b in wording if kind == "promo"]
    if scams:
        score += SCAM_SCORE + 0.05 * (len(scams) - 1)
        reasons.append(f"scam wording (\"{textnorm.short_quote(item.text, *scams[0])}\")")
        spans += [Span("SCAM", a, b) for a, b in scams]
    if promos:
        score += PROMO_SCORE * min(len({folded[a:b] for a, b in promos}), 4)
        reasons.append(f"promotional wording (\"{textnorm.short_quote(item.text, *promos[0])}\")")
        spans += [Span("PROMOTION", a, b) for a, b in promos]
    links = textnorm.URL_RE.findall(item.text)
    if len(links) >= MANY_LINKS:
        score += MANY_LINKS_SCORE
        reasons.append(f"{len(links)} links")
    if prepared.shorteners.search(folded):
        score += SHORTENER_SCORE
        reasons.append("a link shortener hiding where the link goes")
    posing = posing_reason(item.author_name, prepared.names) if item.author_name else None
    speaks_as = prepared.names.speaks_as.search(folded)
    if posing or speaks_as:
        asks = bool(scams) or bool(links) or bool(promos) or bool(_ASKS.search(folded))
        score += (SCAM_SCORE if asks else POSING_SCORE)
        who = f"the author {posing}" if posing else "the text speaks as the organisation"
        reasons.append(f"impersonation: {who}, on an account that is not the organisation's")
    if score == 0.0:
        return _by_model(item, prepared)
    matched = scams + promos
    warnings = [w for w in prepared.warning.finditer(folded) if not any(a < w.end() and w.start() < b for a, b in matched)]
    if warnings and not _CONTACT_ASK.search(folded) and not posing:
        score *= WARNING_FACTOR
    score = min(1.0, score)
    if score < prepared.min_score:
        return _by_model(item, prepared)
    return [Finding(label=NAME, score=round(score, 3), detector=NAME, version=VERSION, spans=tuple(spans),
                    evidence="spam or scam: " + "; ".join(reasons))]
