"""The complaint detector: complaint (about the organisation or a service), question and praise.

The model trains itself from classifiers/corpus/ at first use and is kept in `[classifiers.complaint] model_dir`;
see docs/complaint-model.md.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from classifiers.base import Facts, Finding
from classifiers.complaint_features import normalise_text
from classifiers.complaint_store import ModelBundle, ModelSettings, ensure_model, operating_thresholds
from classifiers.complaint_target import TargetMatcher, build_matcher, decide_target
from classifiers.corpus_io import CORPUS_DIR, Example
from connectors.base import Item

if TYPE_CHECKING:  # pragma: no cover
    from monitor.settings import Settings

log = logging.getLogger(__name__)

NAME = "complaint"
VERSION = "1"
KNOWN_KEYS = {
    "model_dir", "corpus_dir", "extra_corpora", "target_recall", "complaint_threshold", "question_threshold",
    "praise_threshold", "hwd_threshold", "correction_weight", "service_words",
}
PROBABILITY_KEYS = ("target_recall", "complaint_threshold", "question_threshold", "praise_threshold", "hwd_threshold")


@dataclass(frozen=True)
class Prepared:
    """What detect needs: the trained bundle, the name matcher, and the officer's corrected texts."""

    bundle: ModelBundle
    matcher: TargetMatcher
    corrected: dict[str, Example]
    thresholds: dict[str, float]
    threshold_origin: str  # how the complaint threshold was set, for the evidence

    @property
    def version(self) -> str:
        """The model version recorded in every finding."""
        return self.bundle.version



def model_settings(settings: "Settings") -> ModelSettings:
    """The [classifiers.complaint] section as ModelSettings (call check first: this assumes it is valid)."""
    section: dict[str, Any] = settings.classifiers.get(NAME, {})
    defaults = ModelSettings()
    threshold = section.get("complaint_threshold")
    return ModelSettings(
        model_dir=Path(section.get("model_dir", defaults.model_dir)),
        corpus_dir=Path(section.get("corpus_dir", CORPUS_DIR)),
        extra_corpora=tuple(Path(p) for p in section.get("extra_corpora", [])),
        target_recall=float(section.get("target_recall", defaults.target_recall)),
        complaint_threshold=None if threshold is None else float(threshold),
        question_threshold=float(section.get("question_threshold", defaults.question_threshold)),
        praise_threshold=float(section.get("praise_threshold", defaults.praise_threshold)),
        hwd_threshold=float(section.get("hwd_threshold", defaults.hwd_threshold)),
        correction_weight=float(section.get("correction_weight", defaults.correction_weight)),
        service_words=tuple(str(w) for w in section.get("service_words", [])),
    )


def check(settings: "Settings") -> list[str]:
    """One sentence per problem with the [classifiers.complaint] section."""
    section = settings.classifiers.get(NAME, {})
    problems = [f"{key} is not a known setting (known: {', '.join(sorted(KNOWN_KEYS))})" for key in sorted(set(section) - KNOWN_KEYS)]
    for key in PROBABILITY_KEYS:
        value = section.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < 1):
            problems.append(f"{key}: expected a number between 0 and 1 (got {value!r})")
    weight = section.get("correction_weight")
    if weight is not None and (isinstance(weight, bool) or not isinstance(weight, (int, float)) or weight <= 0):
        problems.append(f"correction_weight: expected a positive number (got {weight!r})")
    for key in ("model_dir", "corpus_dir"):
        if key in section and not isinstance(section[key], str):
            problems.append(f"{key}: expected a folder path as a string (got {section[key]!r})")
    extras = section.get("extra_corpora", [])
    if not isinstance(extras, list) or not all(isinstance(p, str) for p in extras):
        problems.append("extra_corpora: expected a list of CSV file paths")
    else:
        problems.extend(_extra_corpus_problem(Path(p)) for p in extras if _extra_corpus_problem(Path(p)))
    words = section.get("service_words", [])
    if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
        problems.append("service_words: expected a list of words or phrases")
    for index, service in enumerate(settings.services, start=1):
        if not isinstance(service, dict) or not isinstance(service.get("name"), str):
            problems.append(f"services[{index}]: each service needs a name (and may have aliases and a kind)")
        elif not isinstance(service.get("aliases", []), list):
            problems.append(f"services[{index}] ({service['name']}): aliases must be a list of names")
    return problems


def _extra_corpus_problem(path: Path) -> str | None:
    if not path.is_file():
        return f"extra_corpora: {path} does not exist"
    try:
        with path.open(encoding="utf-8") as handle:
            header = {column.strip() for column in handle.readline().split(",")}
    except (OSError, UnicodeDecodeError) as exc:
        return f"extra_corpora: {path} cannot be read ({exc})"
    if "text" not in header or not ({"label", "labels"} & header):
        return f"extra_corpora: {path} needs a header with the columns text and label (0/1), or text and labels"
    return None


_ANNOUNCED: set[tuple[str, float]] = set()


def prepare(settings: "Settings", facts: Facts | None = None) -> Prepared:
    """Load the model (training it first when there is none or the corpus changed) and compile the names."""
    config = model_settings(settings)
    bundle = ensure_model(config)
    thresholds, origin = operating_thresholds(bundle, config)
    announced = (bundle.version, thresholds["complaint"])
    # The suite is prepared again for every poll (the consent register may have changed): say it once a process.
    level = logging.DEBUG if announced in _ANNOUNCED else logging.INFO
    _ANNOUNCED.add(announced)
    log.log(level, "complaint model %s ready; complaint threshold %.3f %s", bundle.version, thresholds["complaint"], origin)
    corrected = {normalise_text(e.text).lower(): e for e in bundle.corrections}
    return Prepared(bundle, build_matcher(settings, config.service_words), corrected, thresholds, origin)


def detect(item: Item, prepared: Prepared) -> list[Finding]:
    """complaint (with its target), question and praise findings for the text of an item not written by us."""
    if item.own or not item.text.strip():
        return []
    if prepared.corrected:
        correction = prepared.corrected.get(normalise_text(item.text).lower())
        if correction is not None:
            return _from_correction(item.text, correction, prepared)
    return findings_from_scores(item.text, prepared.bundle.model.score_one(item.text), prepared)


def findings_from_scores(text: str, scores: dict[str, float], prepared: Prepared) -> list[Finding]:
    """The findings for one text's head scores, each over its threshold."""
    thresholds = prepared.thresholds
    findings = []
    complaint = scores.get("complaint", 0.0)
    if complaint >= thresholds["complaint"]:
        decision = decide_target(text, prepared.matcher, scores.get("target_hwd"), thresholds.get("hwd", 0.5))
        findings.append(Finding(
            label="complaint", score=round(complaint, 4), detector=NAME, version=prepared.version, target=decision.target,
            evidence=(f"complaint score {complaint:.2f} is over the threshold {thresholds['complaint']:.2f} "
                      f"({prepared.threshold_origin}); about {'the organisation' if decision.target == 'hwd' else 'a service'}: "
                      f"{decision.reason}"),
        ))
    for label in ("question", "praise"):
        score = scores.get(label)
        if score is not None and score >= thresholds[label]:
            findings.append(Finding(
                label=label, score=round(score, 4), detector=NAME, version=prepared.version,
                evidence=f"{label} score {score:.2f} is over the threshold {thresholds[label]:.2f}",
            ))
    return findings


def _from_correction(text: str, correction: Example, prepared: Prepared) -> list[Finding]:
    findings = []
    for label in ("complaint", "question", "praise"):
        if correction.label(label):
            target = None
            if label == "complaint":
                target = correction.target or decide_target(text, prepared.matcher, None).target
            findings.append(Finding(
                label=label, score=1.0, detector=NAME, version=prepared.version, target=target,
                evidence=f"an officer labelled this same text as {label}" + (f" about {target}" if target else ""),
            ))
    return findings
