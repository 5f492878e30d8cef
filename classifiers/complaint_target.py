"""Whom a complaint is about: the organisation itself (hwd) or an NHS or care service (service)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable

if TYPE_CHECKING:  # pragma: no cover
    from monitor.settings import Settings

# Words that name a kind of NHS or care service whatever its local name; configuration may add more.
GENERIC_SERVICE_WORDS = (
    "GP", "GPs", "surgery", "doctor's", "doctors", "docs", "hospital", "A&E", "A and E", "ward", "consultant",
    "dentist", "dental", "pharmacy", "chemist", "ambulance", "paramedics", "111", "NHS 111", "care home",
    "nursing home", "carers", "social worker", "social services", "adult social care", "the council",
    "mental health team", "CAMHS", "crisis team", "walk-in centre", "minor injuries", "district nurse",
    "health visitor", "midwife", "maternity", "physio", "outpatients", "receptionist", "PALS",
)


@dataclass(frozen=True)
class TargetMatcher:
    """Compiled names: the organisation's (names, handles, staff) and the services' (names, aliases, kinds)."""

    organisation: re.Pattern[str] | None
    services: re.Pattern[str] | None


@dataclass(frozen=True)
class TargetDecision:
    """A complaint's target and the plain reason for it."""

    target: str  # "hwd" or "service"
    reason: str


def _names_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    cleaned = sorted({n.strip() for n in names if n and n.strip()}, key=len, reverse=True)
    if not cleaned:
        return None
    parts = [r"\s+".join(re.escape(word) for word in name.split()) for name in cleaned]
    return re.compile(r"(?<![\w@])@?(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)


def organisation_names(settings: "Settings") -> list[str]:
    """The names the organisation goes by: name, short name, other names, handles (with and without @), staff."""
    org = settings.organisation
    handles = [h.lstrip("@") for h in org.handles.values()]
    return [org.name, org.short_name, *org.other_names, *handles, *org.staff_names]


def service_names(services: Iterable[dict[str, Any]], extra_words: Iterable[str] = ()) -> list[str]:
    """Every configured service's name and aliases, plus the generic service words and any configured ones."""
    names: list[str] = []
    for service in services:
        names.append(str(service.get("name", "")))
        names.extend(str(a) for a in service.get("aliases", []) or [])
    return names + list(GENERIC_SERVICE_WORDS) + list(extra_words)


def build_matcher(settings: "Settings", extra_service_words: Iterable[str] = ()) -> TargetMatcher:
    """The matcher for this configuration's organisation and services."""
    return TargetMatcher(
        organisation=_names_pattern(organisation_names(settings)),
        services=_names_pattern(service_names(settings.services, extra_service_words)),
    )


def _first(pattern: re.Pattern[str] | None, text: str) -> str | None:
    if pattern is None:
        return None
    found = pattern.search(text)
    return found.group(0) if found else None


def decide_target(text: str, matcher: TargetMatcher, hwd_probability: float | None, hwd_threshold: float = 0.5) -> TargetDecision:
    """hwd when only the organisation is named, service when only a service is; otherwise the model, else service."""
    org = _first(matcher.organisation, text)
    service = _first(matcher.services, text)
    if org and not service:
        return TargetDecision("hwd", f"names the organisation ({org!r})")
    if service and not org:
        return TargetDecision("service", f"names a service ({service!r})")
    named = f"names both {org!r} and {service!r}; " if org and service else ""
    if hwd_probability is not None and hwd_probability >= hwd_threshold:
        return TargetDecision("hwd", f"{named}reads as about the organisation (target score {hwd_probability:.2f})")
    if hwd_probability is None:
        return TargetDecision("service", f"{named}no sign it is about the organisation, so treated as about a service")
    return TargetDecision("service", f"{named}reads as about a service (organisation score {hwd_probability:.2f})")
