"""Off-brand: own posts that misuse the organisation's name, hashtags, links or images; accounts posing as it."""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from classifiers import textnorm
from classifiers.base import Facts, Finding, Span
from classifiers.impersonation import OrganisationNames, posing_reason
from connectors.base import Item

if TYPE_CHECKING:  # pragma: no cover
    from monitor.settings import Settings

log = logging.getLogger(__name__)

NAME = "off_brand"
VERSION = "1"

DEFAULT_WRONG_NAMES = ("HealthWatch", "Health Watch", "Healthwatch's Derbyshire", "HWatch")
DEFAULT_MAX_HASHTAGS = 2
DEFAULT_MAX_LINKS = 1
IMAGE_TYPES = ("photo", "image", "animated_gif")
# Alt text that says nothing about the picture: a file name, or just "image".
_EMPTY_ALT = re.compile(
    r"^\s*(?:[\w\-. ]*\.(?:jpe?g|png|gif|webp|heic)|(?:img|image|photo|picture|pic|dsc|screenshot|untitled)?[\s_\-\d]*)\s*$",
    re.IGNORECASE,
)
_HASHTAG = re.compile(r"(?<![\w&#/])#([^\W_][\w]*)")
_MENTION = re.compile(r"(?<![\w@])@(\w{2,})")
_SHOUTING_LETTERS = 7  # an all-capitals hashtag this long is hard to read: #HEALTHWATCHDERBYSHIRE
SCORES = {"wrong_name": 0.8, "posing": 0.9, "speaks_as": 0.7, "hashtags": 0.6, "camel_case": 0.6,
          "alt_text": 0.7, "links": 0.6, "handle": 0.7}


@dataclass(frozen=True)
class Prepared:
    """The compiled wrong names, the house rules' numbers and the organisation's names and handles."""

    wrong_names: re.Pattern[str] | None
    max_hashtags: int
    max_links: int
    allowed_hashtags: frozenset[str]
    handles: frozenset[str]
    names: OrganisationNames


def _wrong_name_pattern(name: str) -> str:
    # A variant whose error is its capitals ("HealthWatch") is matched exactly; others in any case.
    exact = any(ch.isupper() for word in name.split() for ch in word[1:])
    words = r"\s+".join(re.escape(w) for w in name.split())
    body = words.replace("'", "['\u2019]")
    return (body if exact else f"(?i:{body})")


def prepare(settings: "Settings", facts: Facts | None = None) -> Prepared:
    """Read the [brand] rules and compile the wrong names."""
    brand = settings.brand
    wrong = [w for w in brand.get("wrong_names", DEFAULT_WRONG_NAMES) if isinstance(w, str) and w.strip()]
    # Not inside a web address, a handle or a hashtag: those have their own rules.
    names = "|".join(_wrong_name_pattern(w) for w in wrong)
    pattern = rf"(?<![\w@#/.])(?:{names})(?![\w.]*/)(?!\w)" if wrong else None
    return Prepared(
        wrong_names=re.compile(pattern) if pattern else None,
        max_hashtags=int(brand.get("max_hashtags", DEFAULT_MAX_HASHTAGS)),
        max_links=int(brand.get("max_links", DEFAULT_MAX_LINKS)),
        allowed_hashtags=frozenset(str(h).lstrip("#").lower() for h in brand.get("allowed_hashtags", [])),
        handles=frozenset(h.lstrip("@").lower() for h in settings.organisation.handles.values()),
        names=OrganisationNames.from_settings(settings),
    )


def check(settings: "Settings") -> list[str]:
    """Problems with the [brand] rules this detector reads, one sentence each."""
    brand = settings.brand
    problems = []
    for key in ("wrong_names", "allowed_hashtags", "genuine_lookalikes"):
        value = brand.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            problems.append(f"brand.{key} should be a list of names in quotes")
    for key in ("max_hashtags", "max_links"):
        value = brand.get(key, 0)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            problems.append(f"brand.{key} should be a whole number, 0 or more (got {value!r})")
    if brand.get("wrong_names") and settings.organisation.name in brand["wrong_names"]:
        problems.append("brand.wrong_names lists the organisation's own name, so every post would be off-brand")
    return problems


def _hashtag_problem(tag: str, allowed: frozenset[str]) -> str | None:
    if tag.lower() in allowed or tag.isdigit():
        return None
    letters = [ch for ch in tag if ch.isalpha()]
    if letters and not any(ch.isupper() for ch in letters):
        return f"#{tag} is not in CamelCase (start each word with a capital)"
    if len(letters) >= _SHOUTING_LETTERS and not any(ch.islower() for ch in letters):
        return f"#{tag} is all in capitals (start each word with a capital instead)"
    if letters and letters[0].islower():
        return f"#{tag} should start with a capital"
    return None


def _own_post_problems(item: Item, prepared: Prepared) -> list[tuple[str, str, tuple[Span, ...]]]:
    text = item.text
    found: list[tuple[str, str, tuple[Span, ...]]] = []
    if prepared.wrong_names is not None:
        wrong = list(prepared.wrong_names.finditer(text))
        if wrong:
            names = ", ".join(sorted({f'"{m.group()}"' for m in wrong}))
            spans = tuple(Span("WRONG_NAME", m.start(), m.end()) for m in wrong)
            found.append(("wrong_name", f"the name is written {names}", spans))
    tags = list(_HASHTAG.finditer(text))
    if len(tags) > prepared.max_hashtags:
        found.append(("hashtags", f"{len(tags)} hashtags (the house style is at most {prepared.max_hashtags})",
                      tuple(Span("HASHTAG", m.start(), m.end()) for m in tags)))
    for m in tags:
        problem = _hashtag_problem(m.group(1), prepared.allowed_hashtags)
        if problem:
            found.append(("camel_case", problem, (Span("HASHTAG", m.start(), m.end()),)))
    links = list(textnorm.URL_RE.finditer(text))
    if len(links) > prepared.max_links:
        found.append(("links", f"{len(links)} links (the house style is at most {prepared.max_links})",
                      tuple(Span("LINK", m.start(), m.end()) for m in links)))
    no_alt = [m for m in item.media if m.type in IMAGE_TYPES and (not m.alt_text or _EMPTY_ALT.match(m.alt_text))]
    if no_alt:
        which = ", ".join(m.media_id or m.url or "an image" for m in no_alt)
        found.append(("alt_text", f"{len(no_alt)} image(s) without alt text ({which})", ()))
    if prepared.handles:
        for m in _MENTION.finditer(text):
            handle = m.group(1).lower()
            if handle not in prepared.handles and posing_reason(handle, prepared.names) is not None:
                sentence = f"@{m.group(1)} is not the organisation's handle"
                found.append(("handle", sentence, (Span("HANDLE", m.start(), m.end()),)))
    return found


def detect(item: Item, prepared: Prepared) -> list[Finding]:
    """Own posts: one finding listing every house-style problem; others' items: posing as the organisation."""
    if item.own:
        problems = _own_post_problems(item, prepared)
    else:
        problems = []
        reason = posing_reason(item.author_name, prepared.names) if item.author_name else None
        if reason:
            problems.append(("posing", f"an account that is not the organisation's {reason} ({item.author_name!r})", ()))
        said = prepared.names.speaks_as.search(textnorm.fold(item.text))
        if said:
            problems.append(("speaks_as", "the text speaks as the organisation from an account that is not its own",
                             (Span("POSING", said.start(), said.end()),)))
    if not problems:
        return []
    kinds = {kind for kind, _, _ in problems}
    score = min(1.0, max(SCORES[k] for k in kinds) + 0.05 * (len(kinds) - 1))
    spans = tuple(span for _, _, group in problems for span in group)
    return [Finding(label=NAME, score=round(score, 3), detector=NAME, version=VERSION, spans=spans,
                    evidence="off-brand: " + "; ".join(sentence for _, sentence, _ in problems))]
