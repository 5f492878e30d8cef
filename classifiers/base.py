"""The detector contract: a Finding, and the shape of a detector module."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from connectors.base import Item

LABELS = (
    "complaint", "question", "praise", "confidential", "safeguarding", "abusive", "spam",
    "off_brand", "photo_consent",
)
ENTITY_TYPES = (
    "NHS_NUMBER", "PHONE", "EMAIL", "POSTCODE", "ADDRESS", "DATE_OF_BIRTH", "NI_NUMBER", "PERSON_HEALTH",
    "STAFF_NAME",  # a member of staff or a volunteer named in a hostile or revealing way (policy 2.1, 3.1)
)


@dataclass(frozen=True)
class Span:
    """A stretch of the item's text, by character offsets [start, end), with what it is."""

    type: str
    start: int
    end: int


@dataclass(frozen=True)
class Finding:
    """One thing a detector says about an item, with how sure it is and why."""

    label: str
    score: float
    detector: str
    version: str
    spans: tuple[Span, ...] = ()
    evidence: str = ""  # a plain sentence a person can read: why the detector said so
    target: str | None = None  # for complaints: "hwd" (the organisation) or "service"
    route: str | None = None  # a route named by the rule that fired (keyword rules), else None


Prepare = Callable[[Any, "Facts"], Any]
"""`prepare(settings, facts) -> config`: done before each processing run (compile patterns, load a model)."""

Detect = Callable[[Item, Any], "list[Finding]"]
"""`detect(item, config) -> [Finding]`: a pure function of the item and the prepared configuration."""


@dataclass(frozen=True)
class Facts:
    """What the database knows that some detectors need, loaded by the pipeline before each run."""

    consented_media: frozenset[str] = frozenset()  # media ids with a consent record
    consented_posts: frozenset[str] = frozenset()  # post external ids with a consent record
