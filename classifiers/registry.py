"""Detector names mapped to their modules; runs the detectors the configuration enables."""
from __future__ import annotations

import importlib
import logging
from types import ModuleType
from typing import TYPE_CHECKING, Any

from classifiers.base import Facts, Finding
from connectors.base import Item

if TYPE_CHECKING:  # pragma: no cover
    from monitor.settings import Settings

log = logging.getLogger(__name__)

# Each module exposes NAME, VERSION, prepare(settings, facts) and detect(item, prepared); optionally
# check(settings) -> [sentence] to validate its own [classifiers.NAME] section.
DETECTORS: dict[str, str] = {
    "keywords": "classifiers.keywords",
    "complaint": "classifiers.complaint",
    "confidential": "classifiers.confidential",
    "safeguarding": "classifiers.safeguarding",
    "abusive": "classifiers.abusive",
    "spam": "classifiers.spam",
    "off_brand": "classifiers.off_brand",
    "photo_consent": "classifiers.photo_consent",
}


def _module(name: str) -> ModuleType:
    return importlib.import_module(DETECTORS[name])


def validate_detector_settings(settings: "Settings") -> list[str]:
    """One sentence per problem with the enabled detectors and their [classifiers.NAME] sections."""
    problems = []
    for name in settings.detectors.enabled:
        if name not in DETECTORS:
            problems.append(f"detectors.enabled: {name!r} is not a known detector (known: {', '.join(sorted(DETECTORS))})")
            continue
        try:
            module = _module(name)
        except ImportError as exc:
            problems.append(f"detectors.enabled: the {name} detector cannot be loaded ({exc})")
            continue
        check = getattr(module, "check", None)
        if check is not None:
            problems.extend(f"classifiers.{name}: {p}" for p in check(settings))
    for name in settings.classifiers:
        if name not in DETECTORS:
            problems.append(f"classifiers.{name}: there is no detector called {name!r}")
    return problems


class DetectorSuite:
    """The enabled detectors, prepared once, run over items."""

    def __init__(self, settings: "Settings", facts: Facts | None = None) -> None:
        self._detectors: list[tuple[ModuleType, Any]] = []
        for name in settings.detectors.enabled:
            module = _module(name)
            self._detectors.append((module, module.prepare(settings, facts or Facts())))

    @property
    def names(self) -> list[str]:
        """The names of the detectors this suite runs, in order."""
        return [module.NAME for module, _ in self._detectors]

    def run(self, item: Item) -> list[Finding]:
        """Every enabled detector's findings for item."""
        findings: list[Finding] = []
        for module, prepared in self._detectors:
            findings.extend(module.detect(item, prepared))
        return findings
