"""The complaint model's lifecycle: its settings, training with a recall threshold, saving, and reloading."""
from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Sequence

import joblib
import sklearn

from classifiers.complaint_eval import TARGET_RECALL, complaint_metrics, held_out_split, threshold_for_recall
from classifiers.complaint_model import ComplaintModel, train_model
from classifiers.corpus_io import CORPUS_DIR, Example, corpus_files, examples_digest, files_digest, read_corpus_dir, read_csv_corpus

log = logging.getLogger(__name__)

MODEL_FORMAT = "1"  # bump when the recipe changes: every saved model is then retrained
MODEL_FILE = "complaint-model.joblib"
METRICS_FILE = "complaint-model.json"
_lock = threading.Lock()
_loaded: dict[str, tuple[float, "ModelBundle"]] = {}


@dataclass(frozen=True)
class ModelSettings:
    """The [classifiers.complaint] section, with its defaults."""

    model_dir: Path = Path("var/models")
    corpus_dir: Path = CORPUS_DIR
    extra_corpora: tuple[Path, ...] = ()
    target_recall: float = TARGET_RECALL
    complaint_threshold: float | None = None  # None: chosen on held-out data for target_recall
    question_threshold: float = 0.5
    praise_threshold: float = 0.5
    hwd_threshold: float = 0.5
    correction_weight: float = 5.0
    service_words: tuple[str, ...] = ()


@dataclass
class ModelBundle:
    """A trained model with what it was trained on, its thresholds and its held-out figures."""

    model: ComplaintModel
    version: str
    corpus_hash: str
    corrections: list[Example]
    thresholds: dict[str, float]
    metrics: dict[str, Any]
    trained_at: str
    held_out_scores: dict[str, list[float]] = field(default_factory=dict)  # truth and complaint scores
    sklearn_version: str = sklearn.__version__
    format: str = MODEL_FORMAT
    summary: dict[str, Any] = field(default_factory=dict)


def corpus_hash(config: ModelSettings) -> str:
    """A SHA-256 over the recipe's format, the corpus files and the extra corpora (names and contents)."""
    digest = hashlib.sha256(f"format {MODEL_FORMAT}\n".encode())
    digest.update(files_digest(corpus_files(config.corpus_dir)).encode())
    digest.update(files_digest(config.extra_corpora).encode())
    return digest.hexdigest()


def training_examples(config: ModelSettings, corrections: Sequence[Example] = ()) -> list[Example]:
    """The corpus, the extra corpora and the corrections, in that order."""
    examples = read_corpus_dir(config.corpus_dir)
    for path in config.extra_corpora:
        examples.extend(read_csv_corpus(path))
    return examples + list(corrections)


def train_bundle(config: ModelSettings, corrections: Sequence[Example] = ()) -> ModelBundle:
    """Train on everything; the complaint threshold and the figures come from a model trained without a held-out fifth."""
    examples = training_examples(config, corrections)
    corrected = {id(e) for e in corrections}
    splittable = [e for e in examples if e.complaint is not None and id(e) not in corrected]
    train_part, held_out = held_out_split(splittable)
    held_out_ids = {id(e) for e in held_out}
    trial = train_model([e for e in examples if id(e) not in held_out_ids])
    scores = trial.scores([e.text for e in held_out])
    truth = [int(bool(e.complaint)) for e in held_out]
    chosen = threshold_for_recall(truth, scores["complaint"], config.target_recall)
    threshold = config.complaint_threshold if config.complaint_threshold is not None else chosen
    metrics: dict[str, Any] = {
        "held_out": {
            "complaint_at_threshold": complaint_metrics(truth, scores["complaint"], threshold),
            "complaint_at_0.5": complaint_metrics(truth, scores["complaint"], 0.5),
            "target_recall": config.target_recall,
            "train_rows": len(examples) - len(held_out),
        }
    }
    for head, cut in (("question", config.question_threshold), ("praise", config.praise_threshold)):
        known = [(i, e) for i, e in enumerate(held_out) if e.label(head) is not None]
        if head in scores and known:
            head_truth = [int(bool(e.label(head))) for _, e in known]
            metrics["held_out"][head] = complaint_metrics(head_truth, scores[head][[i for i, _ in known]], cut)
    model = train_model(examples)
    digest = corpus_hash(config)
    data_hash = hashlib.sha256((digest + examples_digest(corrections)).encode()).hexdigest()
    return ModelBundle(
        model=model,
        version=f"{MODEL_FORMAT}.{data_hash[:12]}",
        corpus_hash=digest,
        corrections=list(corrections),
        thresholds={"complaint": round(float(threshold), 4), "question": config.question_threshold,
                    "praise": config.praise_threshold, "hwd": config.hwd_threshold},
        metrics=metrics,
        held_out_scores={"truth": truth, "complaint": [float(v) for v in scores["complaint"]]},
        trained_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        summary={"examples": len(examples), "corrections": len(corrections), "extra_corpora": [str(p) for p in config.extra_corpora],
                 **model.info},
    )


def save_bundle(bundle: ModelBundle, model_dir: Path) -> Path:
    """Write the bundle (joblib) and its figures (JSON) into model_dir, each replaced atomically."""
    model_dir.mkdir(parents=True, exist_ok=True, mode=0o700)  # the model keeps the corrected texts
    path = model_dir / MODEL_FILE
    _atomic_write(path, lambda handle: joblib.dump(bundle, handle, compress=3))
    described = {"version": bundle.version, "corpus_hash": bundle.corpus_hash, "trained_at": bundle.trained_at,
                 "thresholds": bundle.thresholds, "metrics": bundle.metrics, "summary": bundle.summary,
                 "sklearn": bundle.sklearn_version}
    _atomic_write(model_dir / METRICS_FILE, lambda handle: handle.write(json.dumps(described, indent=2).encode()))
    log.info("saved complaint model %s to %s", bundle.version, path)
    return path


def _atomic_write(path: Path, write: Any) -> None:
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def load_bundle(model_dir: Path) -> ModelBundle | None:
    """The saved bundle in model_dir, or None when there is none or it cannot be read."""
    path = model_dir / MODEL_FILE
    if not path.exists():
        return None
    try:
        bundle = joblib.load(path)
    except Exception as exc:  # noqa: BLE001 - an unreadable model is retrained, never fatal
        log.warning("the saved complaint model %s cannot be read (%s); it will be retrained", path, exc)
        return None
    return bundle if isinstance(bundle, ModelBundle) else None


def is_current(bundle: ModelBundle, config: ModelSettings) -> bool:
    """Whether a saved bundle was trained on today's corpus, by this recipe, with this scikit-learn."""
    return (
        bundle.format == MODEL_FORMAT
        and bundle.sklearn_version == sklearn.__version__
        and bundle.corpus_hash == corpus_hash(config)
    )


def ensure_model(config: ModelSettings) -> ModelBundle:
    """The current model: loaded from model_dir, or trained now (keeping earlier corrections) and saved."""
    path = config.model_dir / MODEL_FILE
    with _lock:
        cached = _loaded.get(str(path))
        mtime = path.stat().st_mtime if path.exists() else -1.0
        if cached and cached[0] == mtime and is_current(cached[1], config):
            return cached[1]
        bundle = load_bundle(config.model_dir)
        if bundle is None or not is_current(bundle, config):
            kept = bundle.corrections if bundle is not None else []
            log.info("training the complaint model (%s)", "first use" if bundle is None else "the corpus changed")
            bundle = train_bundle(config, kept)
            try:
                save_bundle(bundle, config.model_dir)
                mtime = path.stat().st_mtime
            except OSError as exc:
                log.warning("the complaint model cannot be saved in %s (%s); it will be retrained at the next start",
                            config.model_dir, exc)
        _loaded[str(path)] = (mtime, bundle)
        return bundle


def retrain(config: ModelSettings, corrections: Sequence[Example]) -> ModelBundle:
    """Train now on the corpus, the extra corpora and the given corrections, and save."""
    with _lock:
        bundle = train_bundle(config, corrections)
        save_bundle(bundle, config.model_dir)
        path = config.model_dir / MODEL_FILE
        _loaded[str(path)] = (path.stat().st_mtime, bundle)
        return bundle


def operating_thresholds(bundle: ModelBundle, config: ModelSettings) -> tuple[dict[str, float], str]:
    """The thresholds to use under this configuration, and one sentence on how the complaint one was set.

    A configured complaint_threshold wins; otherwise the threshold is chosen on the saved held-out scores for the
    configured target_recall, so changing that setting needs no retraining.
    """
    truth = bundle.held_out_scores.get("truth", [])
    scores = bundle.held_out_scores.get("complaint", [])
    thresholds = {"question": config.question_threshold, "praise": config.praise_threshold, "hwd": config.hwd_threshold}
    if config.complaint_threshold is not None:
        thresholds["complaint"] = config.complaint_threshold
        origin = "configured"
    elif truth:
        thresholds["complaint"] = threshold_for_recall(truth, scores, config.target_recall)
        origin = f"set for {config.target_recall:.0%} recall on held-out data"
    else:
        thresholds["complaint"] = bundle.thresholds["complaint"]
        origin = "chosen at training"
    if truth:
        at = complaint_metrics(truth, scores, thresholds["complaint"])
        origin += f"; there it gives recall {at['recall']:.2f} at precision {at['precision']:.2f}"
    return thresholds, origin
