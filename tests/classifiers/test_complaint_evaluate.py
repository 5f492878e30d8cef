"""`evaluate complaint`: the recipe measured on labelled CSV files, as one JSON object, with no configuration."""
from __future__ import annotations

import csv
import json

import pytest

from classifiers.complaint_eval import evaluate_split, threshold_for_recall
from classifiers.corpus_io import read_csv_corpus
from monitor.cli import main
from tests.classifiers.complaint_support import HOLDOUT, RESEARCH_DEV, small_corpus

KEYS = {"macro_f1", "accuracy", "roc_auc", "precision", "recall"}


def run_json(capsys, *args: str) -> dict:
    assert main(["--config", "/nonexistent/monitor.toml", "evaluate", "complaint", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_train_and_test_prints_one_json_object_with_the_figures(tmp_path, capsys):
    corpus = small_corpus(tmp_path / "corpus", rows_per_file=60)
    test = small_corpus(tmp_path / "test", rows_per_file=20)
    figures = run_json(capsys, "--train", str(corpus), "--test", str(test / "complaints_hwd.csv"))
    assert KEYS <= set(figures)
    assert all(0.0 <= figures[k] <= 1.0 for k in KEYS if figures[k] is not None)


def test_cross_validation_reads_the_binary_text_label_format(tmp_path, capsys):
    data = tmp_path / "binary.csv"
    with data.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "label"])
        for example in read_csv_corpus(small_corpus(tmp_path / "corpus", rows_per_file=30) / "complaints_service.csv"):
            writer.writerow([example.text, 1])
        for example in read_csv_corpus(tmp_path / "corpus" / "neutral.csv"):
            writer.writerow([example.text, 0])
    figures = run_json(capsys, "--data", str(data), "--cv", "3")
    assert KEYS <= set(figures) and figures["folds"] == 3 and figures["n"] == 60


def test_evaluate_without_data_says_what_to_give(capsys):
    assert main(["evaluate", "complaint"]) == 2
    assert "give either --data FILE" in capsys.readouterr().err


def test_the_threshold_for_recall_catches_the_asked_share_of_complaints():
    truth = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0]
    scores = [0.95, 0.9, 0.85, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.1, 0.6, 0.2]
    threshold = threshold_for_recall(truth, scores, 0.9)
    assert threshold == 0.3
    assert sum(s >= threshold for s, t in zip(scores, truth) if t) == 9


def test_on_the_research_data_the_model_beats_the_published_bag_of_words_baseline():
    if not RESEARCH_DEV.exists():
        pytest.skip(f"research data not present at {RESEARCH_DEV}; this check needs it")
    examples = read_csv_corpus(RESEARCH_DEV)
    figures = evaluate_split(examples[::2], examples[1::2])
    assert figures["macro_f1"] >= 0.775


def test_the_kept_aside_holdout_is_never_in_the_corpus():
    if not HOLDOUT.exists():
        pytest.skip(f"{HOLDOUT} is not there")
    from classifiers.corpus_io import read_corpus_dir

    corpus_texts = {e.text.strip().lower() for e in read_corpus_dir()}
    overlap = [e.text for e in read_csv_corpus(HOLDOUT) if e.text.strip().lower() in corpus_texts]
    assert overlap == []
