"""Recognising accounts and texts that pose as the organisation; shared by the off_brand and spam detectors."""
from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from typing import TYPE_CHECKING

from classifiers import textnorm

if TYPE_CHECKING:  # pragma: no cover
    from monitor.settings import Settings

SIMILARITY = 0.88  # how close a squashed name must be to the organisation's to count as posing (1.0: identical)
ROLE_WORDS = ("support", "official", "team", "admin", "help", "helpdesk", "care", "service", "services", "info",
              "customer", "desk", "uk", "hq", "page", "account", "verify", "verification", "security")
# Other organisations whose names look like ours but are genuine (Derby city has its own Healthwatch).
DEFAULT_GENUINE_LOOKALIKES = ("Healthwatch Derby", "Healthwatch England", "Healthwatch Nottinghamshire",
                              "Healthwatch Staffordshire", "Healthwatch Sheffield", "Healthwatch Leicestershire")


def squash(text: str) -> str:
    """Letters only, lower-case, look-alikes and leetspeak read as letters: how a name reads to the eye."""
    return "".join(ch for ch in textnorm.fold_leet(textnorm.fold(text)) if ch.isalpha())


@dataclass(frozen=True)
class OrganisationNames:
    """The organisation's names and handles, squashed, and the genuine look-alikes to leave alone."""

    full_names: tuple[str, ...]
    short_names: tuple[str, ...]
    genuine: frozenset[str]
    speaks_as: re.Pattern[str]

    @classmethod
    def from_settings(cls, settings: "Settings") -> "OrganisationNames":
        """The names from [organisation] and the look-alikes from [brand] genuine_lookalikes."""
        org = settings.organisation
        full = {squash(org.name)} | {squash(h) for h in org.handles.values() if len(squash(h)) >= 6}
        full |= {squash(n) for n in org.other_names if len(squash(n)) >= 12}
        short = {squash(n) for n in [org.short_name, *org.other_names] if 2 <= len(squash(n)) < 12}
        genuine_names = settings.brand.get("genuine_lookalikes", list(DEFAULT_GENUINE_LOOKALIKES))
        names = [org.name, *[n for n in org.other_names if len(n) >= 6]]
        said = "|".join(textnorm.phrase(textnorm.fold(n)) for n in names if n.strip())
        speaks_as = re.compile(
            rf"(?:this\s+is|we\s+are|we're|message\s+from|on\s+behalf\s+of|from\s+the\s+team\s+at|here\s+at|"
            rf"official\s+(?:page|account)\s+of|admin\s+of|support\s+team\s+(?:of|at|from))\s+(?:the\s+)?(?:{said})"
            rf"(?:\s+(?:support|team|admin|help\s*desk|official))?"
        )
        return cls(tuple(sorted(f for f in full if f)), tuple(sorted(short)),
                   frozenset(squash(g) for g in genuine_names if isinstance(g, str)), speaks_as)


@lru_cache(maxsize=4096)
def posing_reason(author_name: str, names: OrganisationNames) -> str | None:
    """Why an author name (not the organisation's own account) looks like the organisation's, or None."""
    squashed = squash(author_name)
    if not squashed or squashed in names.genuine:
        return None
    for full in names.full_names:
        if full in squashed:
            return "uses the organisation's name"
        for size in (len(full) - 1, len(full), len(full) + 1):
            for start in range(0, max(0, len(squashed) - size) + 1):
                window = squashed[start:start + size]
                if len(window) >= len(full) - 1 and SequenceMatcher(None, window, full).ratio() >= SIMILARITY:
                    return "uses a name very like the organisation's"
    words = re.findall(r"[a-z0-9]+", textnorm.fold(author_name))
    if any(squash(w) in names.short_names for w in words) and any(w in ROLE_WORDS for w in words):
        return "uses the organisation's short name with a word like 'support' or 'official'"
    return None
