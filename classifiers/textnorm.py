"""Shared text handling for the policy detectors: folding look-alikes, masked words, word lists and patterns."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

LEXICON_DIR = Path(__file__).with_name("lexicons")

# Every fold keeps the text's length, so a match in the folded text has the same offsets in the original.
_LOOKALIKES = {
    "\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u0060": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-", "\u00a0": " ", "\u2009": " ",
    # Cyrillic and Greek letters that look Latin, used to slip past filters
    "\u0430": "a", "\u0435": "e", "\u043e": "o", "\u0440": "p", "\u0441": "c", "\u0445": "x", "\u0443": "y",
    "\u0456": "i", "\u0458": "j", "\u0455": "s", "\u04bb": "h", "\u0501": "d", "\u03bf": "o", "\u03b1": "a",
    "\u03b5": "e", "\u03b9": "i", "\u03ba": "k", "\u03bd": "v", "\u03c1": "p", "\u03c4": "t", "\u03c5": "u",
}
# "!" and "|" are left alone: they end far more sentences than they replace letters.
_LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "€": "e"}
_FOLD_TABLE = str.maketrans(_LOOKALIKES)
# Characters people type in place of letters they do not want to spell out.
MASK_CHARS = "*#%"
URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>()\"']+", re.IGNORECASE)


def _lower_same_length(text: str) -> str:
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    # A few characters (such as a dotted capital I) grow when lower-cased: keep those as they are.
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)


def fold(text: str) -> str:
    """Lower-case text with curly quotes, dashes and look-alike letters made plain, keeping its length."""
    return _lower_same_length(text.translate(_FOLD_TABLE))


# Next to a letter and not part of a number: "l0ser" and "w@nker", but not "10am" or "@sarah".
_LEET_CHARS = re.compile(r"(?<=[a-z])[013457@$€](?![0-9])|(?<![0-9])[013457$€](?=[a-z*])")


def fold_leet(folded: str) -> str:
    """Already folded text with leetspeak read as letters (0->o, 1->i, 3->e, @->a, $->s) inside words only.

    A digit or symbol is read as a letter only next to a letter, so "80" and "@name" stay as they are.
    """
    return _LEET_CHARS.sub(lambda m: _LEET[m.group()], folded)


def masked_word(word: str) -> str:
    """A pattern for word spelt out or with letters after the first replaced by *, #, % or similar."""
    word = word.lower()
    # A word list entry may itself be kept masked: each * there stands for one vowel or mask character.
    first, rest = word[0], word[1:]
    parts = [re.escape(first)]
    for ch in rest:
        if ch == "*":
            parts.append(rf"[aeiouy{re.escape(MASK_CHARS)}]")
        elif ch.isalpha():
            parts.append(f"[{re.escape(ch)}{re.escape(MASK_CHARS)}]")
        else:
            parts.append(re.escape(ch))
    return "".join(parts)


def phrase(text: str) -> str:
    """A pattern for a plain phrase: any spacing between words, apostrophes optional, whole words only."""
    words = text.lower().split()
    parts = []
    for word in words:
        parts.append(re.escape(word).replace("'", "'?"))
    return r"(?<![\w])" + r"\s+".join(parts) + r"(?![\w])"


def spaced(pattern: str) -> str:
    """A word-list pattern with its spaces made flexible: " ?" is optional spacing, " " any run of spaces."""
    return pattern.replace(" ?", r"\s*").replace(" ", r"\s+")


def compile_any(patterns: Iterable[str]) -> re.Pattern[str] | None:
    """One compiled alternation of patterns (each already a regular expression), or None when empty."""
    patterns = [p for p in patterns if p]
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{p})" for p in patterns))


@lru_cache(maxsize=None)
def load_lexicon(name: str) -> dict[str, tuple[str, ...]]:
    """The sections of classifiers/lexicons/NAME.txt: `[section]` headers, one entry (word or pattern) a line."""
    sections: dict[str, list[str]] = {}
    current = "default"
    path = LEXICON_DIR / f"{name}.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1].strip()
            sections.setdefault(current, [])
            continue
        sections.setdefault(current, []).append(line)
    return {key: tuple(values) for key, values in sections.items()}


def short_quote(text: str, start: int, end: int, limit: int = 40) -> str:
    """The matched words for evidence, cut short so an alert never repeats a long passage."""
    quoted = " ".join(text[start:end].split())
    return quoted if len(quoted) <= limit else quoted[: limit - 3].rstrip() + "..."


def section_problems(
    section: dict[str, Any], list_keys: Iterable[str] = (), number_keys: Iterable[str] = (),
    bool_keys: Iterable[str] = (), checked_elsewhere: Iterable[str] = (),
) -> list[str]:
    """Plain sentences for unknown keys and wrongly typed values in a detector's configuration section."""
    list_keys, number_keys, bool_keys = set(list_keys), set(number_keys), set(bool_keys)
    others = set(checked_elsewhere)
    problems = []
    for key, value in section.items():
        if key in list_keys:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                problems.append(f"{key} should be a list of words or phrases in quotes")
        elif key in number_keys:
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                problems.append(f"{key} should be a number (got {value!r})")
        elif key in bool_keys:
            if not isinstance(value, bool):
                problems.append(f"{key} should be true or false (got {value!r})")
        elif key not in others:
            known = ", ".join(sorted(list_keys | number_keys | bool_keys | others)) or "none"
            problems.append(f"{key} is not a known setting (known: {known})")
    return problems


def string_list(section: dict[str, Any], key: str) -> list[str]:
    """A list of strings from a configuration section, ignoring anything that is not one (check() reports it)."""
    value = section.get(key, [])
    if not isinstance(value, list):
        return []
    return [v for v in value if isinstance(v, str) and v.strip()]

