"""The complaint, question and praise model: shared TF-IDF features, one calibrated linear head per label."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.svm import LinearSVC

from classifiers.complaint_features import build_features, drop_fitted_stop_words
from classifiers.corpus_io import HEADS, Example

log = logging.getLogger(__name__)

C_GRID = (0.1, 0.3, 1.0)  # LinearSVC regularisation, chosen per head on inner folds of the training data
INNER_FOLDS = 3
CALIBRATION_FOLDS = 5
SEED = 0


@dataclass
class LinearHead:
    """A linear scorer with Platt scaling: probability = 1 / (1 + exp(-(a * (w.x + b) + c)))."""

    weights: numpy.ndarray  # float32, one per feature
    intercept: float
    slope: float
    offset: float
    c: float = 1.0

    def probabilities(self, features: sparse.csr_matrix) -> numpy.ndarray:
        """Calibrated probabilities of the positive class, one per row."""
        margin = features @ self.weights + self.intercept
        return _sigmoid(self.slope * margin + self.offset)


@dataclass
class ComplaintModel:
    """Fitted features and heads: complaint, question, praise, and the hwd-vs-service target of a complaint."""

    features: Any  # the fitted sklearn Pipeline from build_features
    heads: dict[str, LinearHead]
    target_head: LinearHead | None = None  # probability that a complaint is about the organisation
    info: dict[str, Any] = field(default_factory=dict)

    def _all_heads(self) -> dict[str, LinearHead]:
        heads = dict(self.heads)
        if self.target_head is not None:
            heads["target_hwd"] = self.target_head
        return heads

    def scores(self, texts: Sequence[str]) -> dict[str, numpy.ndarray]:
        """Each head's probabilities for texts, plus "target_hwd" when a target head was trained."""
        heads = self._all_heads()
        weights, intercepts, slopes, offsets = _stacked(heads)
        margins = self.features.transform(texts) @ weights + intercepts
        probabilities = _sigmoid(slopes * margins + offsets)
        return {name: probabilities[:, i] for i, name in enumerate(heads)}

    def score_one(self, text: str) -> dict[str, float]:
        """The same as scores([text]) without the per-call overheads of scikit-learn (for one item at a time)."""
        fast = self.__dict__.get("_fast")
        if fast is None:
            fast = self.__dict__["_fast"] = _FastScorer(self.features, self._all_heads())
        return fast.score(text)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("_fast", None)
        return state


def _stacked(heads: dict[str, LinearHead]) -> tuple[numpy.ndarray, ...]:
    weights = numpy.column_stack([h.weights for h in heads.values()])
    return (
        weights,
        numpy.array([h.intercept for h in heads.values()], dtype=numpy.float32),
        numpy.array([h.slope for h in heads.values()]),
        numpy.array([h.offset for h in heads.values()]),
    )


class _FastScorer:
    """TF-IDF (sublinear tf, l2 per vectoriser) and the linear heads, computed directly for one text."""

    def __init__(self, features: Any, heads: dict[str, LinearHead]) -> None:
        self.names = list(heads)
        self.weights, self.intercepts, self.slopes, self.offsets = _stacked(heads)
        self.normalise = features.named_steps["normalise"].func
        self.blocks = []
        offset = 0
        for _, vectoriser in features.named_steps["tfidf"].transformer_list:
            self.blocks.append((vectoriser.build_analyzer(), vectoriser.vocabulary_, vectoriser.idf_, offset))
            offset += len(vectoriser.vocabulary_)

    def score(self, text: str) -> dict[str, float]:
        """Each head's probability for text."""
        normalised = self.normalise([text])[0]
        margins = self.intercepts.astype(float)
        for analyse, vocabulary, idf, offset in self.blocks:
            counts: dict[int, int] = {}
            for term in analyse(normalised):
                index = vocabulary.get(term)
                if index is not None:
                    counts[index] = counts.get(index, 0) + 1
            if not counts:
                continue
            indices = numpy.fromiter(counts, dtype=numpy.int64, count=len(counts))
            values = (1.0 + numpy.log(numpy.fromiter(counts.values(), dtype=float, count=len(counts)))) * idf[indices]
            values /= numpy.sqrt(values @ values)
            margins += values @ self.weights[indices + offset]
        probabilities = _sigmoid(self.slopes * margins + self.offsets)
        return {name: float(p) for name, p in zip(self.names, probabilities)}


def _sigmoid(values: numpy.ndarray) -> numpy.ndarray:
    return 1.0 / (1.0 + numpy.exp(-numpy.clip(values, -30, 30)))


def _svc(c: float) -> LinearSVC:
    return LinearSVC(C=c, class_weight="balanced", max_iter=5000, random_state=SEED)


def choose_c(matrix: sparse.csr_matrix, labels: numpy.ndarray, weights: numpy.ndarray, grid: Sequence[float] = C_GRID) -> float:
    """The C of the grid with the best macro F1 on inner stratified folds of the given (training) rows only."""
    from sklearn.metrics import f1_score

    folds = min(INNER_FOLDS, int(min(numpy.bincount(labels, minlength=2))))
    if folds < 2 or len(grid) == 1:
        return grid[len(grid) // 2]
    splitter = StratifiedKFold(folds, shuffle=True, random_state=SEED)
    best_c, best_score = grid[0], -1.0
    for c in grid:
        predicted = numpy.zeros_like(labels)
        for train, test in splitter.split(matrix, labels):
            model = _svc(c).fit(matrix[train], labels[train], sample_weight=weights[train])
            predicted[test] = model.predict(matrix[test])
        score = f1_score(labels, predicted, average="macro")
        if score > best_score + 1e-9:
            best_c, best_score = c, score
    return best_c


def fit_head(matrix: sparse.csr_matrix, labels: numpy.ndarray, weights: numpy.ndarray, c: float | None = None) -> LinearHead:
    """A LinearSVC (balanced classes) with C tuned on inner folds, Platt-scaled on out-of-fold margins."""
    if c is None:
        c = choose_c(matrix, labels, weights)
    folds = min(CALIBRATION_FOLDS, int(min(numpy.bincount(labels, minlength=2))))
    svc = _svc(c).fit(matrix, labels, sample_weight=weights)
    if folds >= 2:
        splitter = StratifiedKFold(folds, shuffle=True, random_state=SEED)
        margins = cross_val_predict(_svc(c), matrix, labels, cv=splitter, method="decision_function", params={"sample_weight": weights})
    else:
        margins = svc.decision_function(matrix)
    platt = LogisticRegression(C=1e4).fit(margins.reshape(-1, 1), labels)
    return LinearHead(
        weights=svc.coef_.ravel().astype(numpy.float32),
        intercept=float(svc.intercept_[0]),
        slope=float(platt.coef_[0, 0]),
        offset=float(platt.intercept_[0]),
        c=c,
    )


def fit_target_head(matrix: sparse.csr_matrix, examples: Sequence[Example]) -> LinearHead | None:
    """A logistic head for complaint target hwd (1) vs service (0), from complaints whose target is known."""
    rows = [i for i, e in enumerate(examples) if e.complaint and e.target in ("hwd", "service")]
    labels = numpy.array([examples[i].target == "hwd" for i in rows], dtype=int)
    if len(rows) < 10 or min(numpy.bincount(labels, minlength=2)) < 3:
        log.info("too few complaints with a known target (%d) to learn hwd vs service; names alone decide", len(rows))
        return None
    weights = numpy.array([examples[i].weight for i in rows])
    model = LogisticRegression(C=4.0, class_weight="balanced", max_iter=2000).fit(matrix[rows], labels, sample_weight=weights)
    return LinearHead(model.coef_.ravel().astype(numpy.float32), float(model.intercept_[0]), 1.0, 0.0, 4.0)


def head_rows(examples: Sequence[Example], head: str) -> tuple[list[int], numpy.ndarray, numpy.ndarray]:
    """The rows whose answer for head is known, with their labels (0/1) and weights."""
    rows = [i for i, e in enumerate(examples) if e.label(head) is not None]
    labels = numpy.array([int(bool(examples[i].label(head))) for i in rows], dtype=int)
    weights = numpy.array([examples[i].weight for i in rows], dtype=float)
    return rows, labels, weights


def train_model(examples: Sequence[Example], heads: Sequence[str] = HEADS, with_target: bool = True, min_df: int = 2) -> ComplaintModel:
    """Fit the features on every example's text, one head per label with enough known answers, and the target head."""
    texts = [e.text for e in examples]
    features = build_features(min_df=min_df).fit(texts)
    drop_fitted_stop_words(features)
    matrix = features.transform(texts).tocsr()
    fitted: dict[str, LinearHead] = {}
    for head in heads:
        rows, labels, weights = head_rows(examples, head)
        if len(rows) < 10 or min(numpy.bincount(labels, minlength=2)) < 2:
            log.info("skipping the %s head: too few labelled examples (%d)", head, len(rows))
            continue
        fitted[head] = fit_head(matrix[rows], labels, weights)
    if "complaint" not in fitted:
        raise ValueError("the complaint model needs complaints and non-complaints to learn from")
    target_head = fit_target_head(matrix, examples) if with_target else None
    info = {"examples": len(examples), "features": int(matrix.shape[1]), "c": {h: fitted[h].c for h in fitted}}
    return ComplaintModel(features=features, heads=fitted, target_head=target_head, info=info)
