"""Safeguarding: explicit and subtle signs that someone may be at risk of harm. Recall comes first."""
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

NAME = "safeguarding"
VERSION = "1"

# sign -> (what the evidence calls it, how strongly it alone suggests risk)
SIGNS: dict[str, tuple[str, float]] = {
    "suicidal": ("suicidal thoughts", 0.95),
    "self_harm": ("self-harm", 0.9),
    "goodbye": ("a goodbye message", 0.7),
    "giving_away": ("giving things away or putting affairs in order", 0.7),
    "hopelessness": ("hopelessness or not coping", 0.6),
    "neglect": ("neglect of someone who depends on others", 0.8),
    "abuse_of_adult": ("abuse of an older or disabled adult", 0.85),
    "domestic_abuse": ("domestic abuse", 0.85),
    "child_at_risk": ("a child at risk", 0.85),
    "configured": ("a configured safeguarding phrase", 0.8),
    "warning_signs": ("several warning signs together", 0.65),
    "learned": ("wording like the messages about people at risk the monitor was taught with", 0.5),
}
# Warning signs add up to CUES_ENOUGH: a strong cue alone, a medium one next to a person ([person] in the word
# list), or words from two families of risk.
CUE_WEIGHTS = {"cue_strong": 0.6, "cue_medium": 0.45, "cue": 0.15, "person": 0.15}
CUES_ENOUGH = 0.6
CUES_WEAK = 0.45  # one family of risk words and a person: a weak finding, scored WEAK_SCORE
WEAK_SCORE = 0.35  # below the default min_score; a lower min_score brings these in (more alerts, fewer misses)
FAMILIES = ("family_death", "family_fear", "family_violence", "family_control", "family_care_failure")
FAMILY_WEIGHT = 0.3  # two families, or one with a cue word and a person: 0.6
DEFAULT_MIN_SCORE = 0.5
_QUOTED = re.compile(r"\"[^\"]{0,200}\"|(?<!\w)'[^']{3,200}'(?!\w)")  # quoted words, not apostrophes
_FIRST_PERSON = re.compile(r"(?<![\w'])(?:i|i'm|im|me|my|myself|mine)(?![\w'])")


@dataclass(frozen=True)
class Prepared:
    """The compiled signs, everyday expressions and subject-only context."""

    scanner: wordscan.WordStartScanner  # the signs and the warning-sign cues
    families: wordscan.WordStartScanner  # the families of risk words, scanned only when nothing else decided
    person: re.Pattern[str]
    idioms: re.Pattern[str] | None
    not_at_risk: re.Pattern[str] | None
    resolved: re.Pattern[str] | None  # told as past and over ("years ago", "now I'm a nurse")
    still_at_risk: re.Pattern[str] | None  # ...unless it is happening again or still
    min_score: float
    model: policy_model.Scorer | None  # the learned second opinion, None when turned off
    model_threshold: float


def prepare(settings: "Settings", facts: Facts | None = None) -> Prepared:
    """Compile the word list and the configured additions into one pattern per purpose."""
    section = settings.classifiers.get(NAME, {})
    lexicon = textnorm.load_lexicon(NAME)
    kinds = {sign: [textnorm.spaced(p) for p in lexicon.get(sign, ())] for sign in SIGNS if sign in lexicon}
    kinds["configured"] = [textnorm.phrase(p) for p in textnorm.string_list(section, "phrases")]
    for cue in ("cue_strong", "cue_medium", "cue"):
        kinds[cue] = [rf"{textnorm.spaced(p)}(?!\w)" for p in lexicon[cue]]
    families = {family: [rf"{textnorm.spaced(p)}(?!\w)" for p in lexicon[family]] for family in FAMILIES}
    idioms = [textnorm.spaced(p) for p in lexicon.get("idioms", ())]
    idioms += [textnorm.phrase(p) for p in textnorm.string_list(section, "ignore_phrases")]
    not_at_risk = [textnorm.spaced(p) for p in lexicon.get("not_at_risk", ())]
    return Prepared(
        scanner=wordscan.scanner_for(kinds),
        families=wordscan.scanner_for(families),
        person=re.compile("|".join(f"(?:{textnorm.spaced(p)})" for p in lexicon["person"])),
        idioms=textnorm.compile_any(idioms),
        not_at_risk=textnorm.compile_any(not_at_risk),
        resolved=textnorm.compile_any(textnorm.spaced(p) for p in lexicon.get("resolved", ())),
        still_at_risk=textnorm.compile_any(textnorm.spaced(p) for p in lexicon.get("still_at_risk", ())),
        min_score=float(section.get("min_score", DEFAULT_MIN_SCORE)),
        **policy_model.model_settings(NAME, section, settings.organisation.staff_names),
    )


def check(settings: "Settings") -> list[str]:
    """Problems with the [classifiers.safeguarding] section, one sentence each."""
    section = settings.classifiers.get(NAME, {})
    problems = textnorm.section_problems(section, list_keys=("phrases", "ignore_phrases"),
                                         number_keys=("min_score",), checked_elsewhere=("model_threshold",))
    problems += policy_model.threshold_problems(section)
    score = section.get("min_score", DEFAULT_MIN_SCORE)
    if isinstance(score, (int, float)) and not 0 < score <= 1:
        problems.append("min_score should be between 0 and 1 (a lower number reports more)")
    return problems


def _speaks_for_themselves(folded: str) -> bool:
    return _FIRST_PERSON.search(_QUOTED.sub(" ", folded)) is not None


def _told_as_past(folded: str, prepared: Prepared) -> bool:
    """Whether the text tells of a risk that is over (and nothing says it is happening again or still)."""
    if prepared.resolved is None or not prepared.resolved.search(folded):
        return False
    return prepared.still_at_risk is None or not prepared.still_at_risk.search(folded)


def _outside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return not any(s < end and start < e for s, e in spans)


def _warning_score(cues: list[tuple[str, int, int]], families: list[tuple[str, int, int]], folded: str,
                   prepared: Prepared) -> float:
    """How strongly warning-sign cues and families of risk words together suggest risk (0.6 is enough)."""
    total = sum(CUE_WEIGHTS[kind] for kind, _ in {(kind, folded[a:b]) for kind, a, b in cues})
    total += FAMILY_WEIGHT * len({kind for kind, _, _ in families})
    if total and prepared.person.search(folded):
        total += CUE_WEIGHTS["person"]
    return round(total, 3)


def detect(item: Item, prepared: Prepared) -> list[Finding]:
    """A finding when the text shows a sign that someone may be at risk, naming the sign."""
    findings = _by_word_lists(item, prepared)
    if findings or prepared.model is None:
        return findings
    return _by_model(item, prepared)


def _by_model(item: Item, prepared: Prepared) -> list[Finding]:
    """The learned second opinion, for wording the lists do not know."""
    probability = prepared.model.probability(item.text)  # type: ignore[union-attr]
    if probability < prepared.model_threshold:
        return []
    folded = textnorm.fold(item.text)
    if prepared.not_at_risk is not None and prepared.not_at_risk.search(folded) and not _speaks_for_themselves(folded):
        return []
    if _told_as_past(folded, prepared):
        return []
    score = policy_model.scaled_score(probability, prepared.model_threshold, floor=0.5, span=0.3)
    if score < prepared.min_score:
        return []
    return [Finding(label=NAME, score=score, detector=NAME, version=VERSION,
                    evidence=f"possible risk of harm: {SIGNS['learned'][0]} (model {probability:.2f}); "
                    "no listed sign, so please read it")]


def _by_word_lists(item: Item, prepared: Prepared) -> list[Finding]:
    """Findings from the signs, cues and families of risk words in the word list."""
    folded = textnorm.fold(item.text)
    found = prepared.scanner.scan(folded)
    matches = [m for m in found if m[0] in SIGNS]
    cues = [m for m in found if m[0] not in SIGNS]
    families: list[tuple[str, int, int]] = []
    if not matches and _warning_score(cues, [], folded, prepared) < CUES_ENOUGH:
        # A word counts once: family words already counted as a cue are not counted again.
        families = [f for f in prepared.families.scan(folded) if _outside([(a, b) for _, a, b in cues], f[1], f[2])]
        enough = CUES_WEAK if prepared.min_score <= WEAK_SCORE else CUES_ENOUGH
        if _warning_score(cues, families, folded, prepared) < enough:
            return []
    if prepared.idioms is not None:
        idiom_spans = [(m.start(), m.end()) for m in prepared.idioms.finditer(folded)]
        if idiom_spans:
            matches, cues, families = ([m for m in group if _outside(idiom_spans, m[1], m[2])]
                                       for group in (matches, cues, families))
    if prepared.not_at_risk is not None and prepared.not_at_risk.search(folded):
        if not _speaks_for_themselves(folded):
            log.debug("safeguarding signs in %s read as training, campaign or news", item.external_id)
            return []
    if _told_as_past(folded, prepared):
        log.debug("safeguarding signs in %s told as past and over", item.external_id)
        return []
    signs: dict[str, list[tuple[int, int]]] = {}
    for sign, start, end in matches:
        signs.setdefault(sign, []).append((start, end))
    if signs:
        score = min(1.0, max(SIGNS[s][1] for s in signs) + 0.05 * (len(signs) - 1))
    else:
        total = _warning_score(cues, families, folded, prepared)
        if total < CUES_WEAK:
            return []
        matches = sorted(cues + families, key=lambda m: m[1])
        signs["warning_signs"] = [(a, b) for _, a, b in matches][:3]
        if total >= CUES_ENOUGH:
            score = min(SIGNS["warning_signs"][1] + 0.05 * (total - CUES_ENOUGH) / 0.15, 0.8)
        else:
            score = WEAK_SCORE
    if score < prepared.min_score:
        return []
    quotes = {s: dict.fromkeys(f'"{textnorm.short_quote(item.text, a, b)}"' for a, b in where[:3]) for s, where in signs.items()}
    described = "; ".join(f"{SIGNS[s][0]} ({', '.join(quoted)})" for s, quoted in quotes.items())
    spans = tuple(Span(f"SIGN_{kind.upper()}", a, b) for kind, a, b in matches)
    return [
        Finding(
            label=NAME,
            score=round(score, 3),
            detector=NAME,
            version=VERSION,
            spans=spans,
            evidence=f"possible risk of harm: {described}",
        )
    ]
