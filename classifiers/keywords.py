"""Configured keyword rules: words, phrases or regular expressions that give a label and a route."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from classifiers.base import Facts, Finding, Span
from connectors.base import Item

if TYPE_CHECKING:  # pragma: no cover
    from monitor.settings import KeywordRule, Settings

NAME = "keywords"
VERSION = "1"


@dataclass(frozen=True)
class CompiledRule:
    """A keyword rule with its words, phrases and patterns compiled into one expression."""

    name: str
    label: str
    route: str | None
    score: float
    pattern: re.Pattern[str]


def _compile(rule: "KeywordRule") -> CompiledRule:
    parts = [rf"(?<!\w){re.escape(w)}(?!\w)" for w in rule.words]
    parts += [r"(?<!\w)" + r"\s+".join(re.escape(p) for p in phrase.split()) + r"(?!\w)" for phrase in rule.phrases]
    parts += [f"(?:{p})" for p in rule.patterns]
    flags = 0 if rule.case_sensitive else re.IGNORECASE
    return CompiledRule(rule.name, rule.label, rule.route, rule.score, re.compile("|".join(parts), flags))


def prepare(settings: "Settings", facts: Facts | None = None) -> list[CompiledRule]:
    """Compile the configured rules once."""
    return [_compile(rule) for rule in settings.keyword_rules]


def detect(item: Item, rules: list[CompiledRule]) -> list[Finding]:
    """One finding per rule that matches the item's text, with the matching spans."""
    findings = []
    for rule in rules:
        spans = tuple(Span("KEYWORD", m.start(), m.end()) for m in rule.pattern.finditer(item.text) if m.end() > m.start())
        if spans:
            words = sorted({item.text[s.start:s.end].lower() for s in spans})
            findings.append(
                Finding(
                    label=rule.label,
                    score=rule.score,
                    detector=NAME,
                    version=VERSION,
                    spans=spans,
                    evidence=f"keyword rule {rule.name!r} matched: {', '.join(words)}",
                    route=rule.route,
                )
            )
    return findings
