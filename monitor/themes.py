"""Matching feedback to the configured themes (GP access, dentistry...) and to the services people name."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable


@dataclass(frozen=True)
class Matcher:
    """One compiled expression per name (a theme or a service), matched as whole words, ignoring case."""

    names: tuple[str, ...]
    patterns: tuple[re.Pattern[str], ...]

    def names_in(self, text: str) -> list[str]:
        """The names whose words occur in text, each once, in configuration order."""
        return [name for name, pattern in zip(self.names, self.patterns) if pattern.search(text)]

    def count(self, texts: Iterable[str]) -> Counter[str]:
        """How many of texts mention each name (a text counts once per name)."""
        counts: Counter[str] = Counter()
        for text in texts:
            counts.update(self.names_in(text))
        return counts


def _phrase(words: str) -> str:
    # Any spacing between the words of a phrase.
    return r"\s+".join(re.escape(part) for part in words.split())


def _compile(entries: tuple[tuple[str, tuple[str, ...]], ...]) -> Matcher:
    names, patterns = [], []
    for name, words in entries:
        parts = [_phrase(w) for w in words if w.strip()]
        if parts:
            names.append(name)
            # No letter or digit directly either side: one check around the whole alternation is much faster.
            patterns.append(re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE))
    return Matcher(tuple(names), tuple(patterns))


@lru_cache(maxsize=8)
def _cached(entries: tuple[tuple[str, tuple[str, ...]], ...]) -> Matcher:
    return _compile(entries)


def theme_matcher(themes: dict[str, list[str]]) -> Matcher:
    """A matcher for the theme taxonomy {theme: [keywords]}."""
    return _cached(tuple((name, tuple(words)) for name, words in themes.items()))


def service_matcher(services: list[dict[str, Any]]) -> Matcher:
    """A matcher for settings.services [{name, aliases, kind}]: a service is named by its name or an alias."""
    entries = []
    for service in services:
        name = str(service.get("name", "")).strip()
        if name:
            aliases = tuple(str(a) for a in service.get("aliases", []) if str(a).strip())
            entries.append((name, (name, *aliases)))
    return _cached(tuple(entries))


def service_kinds(services: list[dict[str, Any]]) -> dict[str, str]:
    """Each configured service's kind (hospital, mental health...), by name."""
    return {str(s.get("name")): str(s.get("kind", "")) for s in services if s.get("name")}
