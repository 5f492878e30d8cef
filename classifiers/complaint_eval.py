"""Measuring the complaint model: held-out splits, stratified cross-validation, the recall threshold."""
from __future__ import annotations

import logging
from typing import Any, Callable, Sequence

import numpy
from sklearn.metrics import accuracy_score, f1_score, precision_score, recall_score, roc_auc_score
from sklearn.model_selection import StratifiedKFold, train_test_split

from classifiers.complaint_model import SEED, train_model
from classifiers.corpus_io import Example

log = logging.getLogger(__name__)

DECISION_THRESHOLD = 0.5  # what evaluate reports: the calibrated probability's natural cut
TARGET_RECALL = 0.90

Scorer = Callable[[Sequence[Example], Sequence[Example]], numpy.ndarray]


def complaint_metrics(truth: Sequence[int], probabilities: Sequence[float], threshold: float = DECISION_THRESHOLD) -> dict[str, Any]:
    """macro_f1, accuracy, roc_auc, precision and recall (complaint class) of probabilities cut at threshold."""
    truth = numpy.asarray(truth, dtype=int)
    probabilities = numpy.asarray(probabilities, dtype=float)
    predicted = (probabilities >= threshold).astype(int)
    both_classes = len(set(truth.tolist())) == 2
    return {
        "macro_f1": round(float(f1_score(truth, predicted, average="macro", zero_division=0)), 4),
        "accuracy": round(float(accuracy_score(truth, predicted)), 4),
        "roc_auc": round(float(roc_auc_score(truth, probabilities)), 4) if both_classes else None,
        "precision": round(float(precision_score(truth, predicted, zero_division=0)), 4),
        "recall": round(float(recall_score(truth, predicted, zero_division=0)), 4),
        "threshold": round(float(threshold), 4),
        "n": int(len(truth)),
        "complaints": int(truth.sum()),
    }


def threshold_for_recall(truth: Sequence[int], probabilities: Sequence[float], recall: float = TARGET_RECALL) -> float:
    """The highest threshold whose recall of complaints on these (held-out) rows is at least `recall`."""
    truth = numpy.asarray(truth, dtype=int)
    positives = numpy.sort(numpy.asarray(probabilities, dtype=float)[truth == 1])[::-1]
    if len(positives) == 0:
        return DECISION_THRESHOLD
    needed = int(numpy.ceil(recall * len(positives)))
    # Catching the `needed` highest-scored complaints means cutting at the needed-th score.
    return float(positives[max(needed, 1) - 1])


def model_scorer(train: Sequence[Example], test: Sequence[Example]) -> numpy.ndarray:
    """Train the complaint head alone on train; complaint probabilities for test."""
    model = train_model(train, heads=("complaint",), with_target=False)
    return model.scores([e.text for e in test])["complaint"]


def baseline_scorer(train: Sequence[Example], test: Sequence[Example]) -> numpy.ndarray:
    """The published baseline's recipe: plain word TF-IDF and a default logistic regression."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    pipeline = make_pipeline(TfidfVectorizer(), LogisticRegression(max_iter=1000))
    pipeline.fit([e.text for e in train], [int(bool(e.complaint)) for e in train])
    return pipeline.predict_proba([e.text for e in test])[:, 1]


def known_complaints(examples: Sequence[Example]) -> list[Example]:
    """The examples whose complaint answer is known."""
    return [e for e in examples if e.complaint is not None]


def evaluate_split(train: Sequence[Example], test: Sequence[Example], scorer: Scorer = model_scorer) -> dict[str, Any]:
    """Train on one set, measure on another."""
    train, test = known_complaints(train), known_complaints(test)
    _require_both_classes(train, "training")
    probabilities = scorer(train, test)
    return complaint_metrics([int(bool(e.complaint)) for e in test], probabilities)


def cv_folds(examples: Sequence[Example], folds: int, seed: int = SEED) -> list[tuple[numpy.ndarray, numpy.ndarray]]:
    """Stratified folds (shuffled with a fixed seed) over the examples' complaint answers."""
    labels = numpy.array([int(bool(e.complaint)) for e in examples])
    if folds < 2 or folds > int(min(numpy.bincount(labels, minlength=2))):
        raise ValueError(f"cannot make {folds} stratified folds from {int(labels.sum())} complaints in {len(labels)} rows")
    return list(StratifiedKFold(folds, shuffle=True, random_state=seed).split(numpy.zeros(len(labels)), labels))


def evaluate_cv(examples: Sequence[Example], folds: int = 10, scorer: Scorer = model_scorer,
                splits: list[tuple[numpy.ndarray, numpy.ndarray]] | None = None) -> dict[str, Any]:
    """Stratified k-fold cross-validation; figures over the pooled out-of-fold predictions.

    Everything tuned (C of each head, the calibration) is fitted inside each training fold only.
    """
    examples = known_complaints(examples)
    _require_both_classes(examples, "cross-validation")
    splits = splits or cv_folds(examples, folds)
    probabilities = numpy.zeros(len(examples))
    fold_f1 = []
    truth = numpy.array([int(bool(e.complaint)) for e in examples])
    for train_index, test_index in splits:
        fold_probabilities = scorer([examples[i] for i in train_index], [examples[i] for i in test_index])
        probabilities[test_index] = fold_probabilities
        fold_f1.append(f1_score(truth[test_index], fold_probabilities >= DECISION_THRESHOLD, average="macro"))
    metrics = complaint_metrics(truth, probabilities)
    metrics["folds"] = len(splits)
    metrics["macro_f1_fold_mean"] = round(float(numpy.mean(fold_f1)), 4)
    return metrics


def held_out_split(examples: Sequence[Example], fraction: float = 0.2, seed: int = SEED) -> tuple[list[Example], list[Example]]:
    """A stratified split of examples with a known complaint answer into training and held-out parts."""
    labels = [int(bool(e.complaint)) for e in examples]
    train, held_out = train_test_split(list(examples), test_size=fraction, stratify=labels, random_state=seed)
    return train, held_out


def _require_both_classes(examples: Sequence[Example], what: str) -> None:
    answers = {bool(e.complaint) for e in examples}
    if answers != {True, False}:
        raise ValueError(f"the {what} data needs both complaints and non-complaints ({len(examples)} rows given)")
