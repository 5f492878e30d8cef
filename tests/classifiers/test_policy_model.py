"""The learned second opinion: scored in plain Python exactly as the fitted model would score."""
from __future__ import annotations

import pytest

from classifiers import policy_model


def test_a_head_scores_like_the_fitted_model():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    texts = ["I want to end it all", "this wait is killing me", "nobody would miss me if I was gone",
             "great service at the surgery", "I can't go on like this any more", "thanks for the report"]
    answers = [1, 0, 1, 0, 1, 0]
    vectorizer = TfidfVectorizer(analyzer=lambda t: list(policy_model._terms(t).elements()), sublinear_tf=True)
    model = LogisticRegression(C=4.0, class_weight="balanced", max_iter=2000).fit(vectorizer.fit_transform(texts), answers)
    fitted = policy_model.Model(("safeguarding",), {t: (float(vectorizer.idf_[i]), (float(model.coef_[0][i]),))
                                                    for t, i in vectorizer.vocabulary_.items()},
                                (float(model.intercept_[0]),))
    for text in texts + ["I want it all to end end end", "an unknown sentence entirely"]:
        expected = model.predict_proba(vectorizer.transform([text]))[0, 1]
        assert fitted.probabilities(policy_model._terms(text))["safeguarding"] == pytest.approx(expected, abs=1e-9)


def test_the_shipped_heads_tell_a_plea_from_an_everyday_remark():
    scorer = policy_model.Scorer("safeguarding", None)
    at_risk = scorer.probability("Everything feels pointless and I just want to sleep forever")
    everyday = scorer.probability("the car park at the hospital is full again")
    assert at_risk > 0.5 > everyday


@pytest.mark.parametrize("value, ok", [(0.5, True), (False, True), (1.5, False), ("high", False), (True, False)])
def test_the_threshold_setting_is_a_number_between_0_and_1_or_false(value, ok):
    assert (policy_model.threshold_problems({"model_threshold": value}) == []) is ok


def test_the_shipped_examples_are_the_development_sets():
    from tests.classifiers.policy_dev_scoring import examples_from_dev_sets

    assert policy_model.EXAMPLES.read_text(encoding="utf-8") == examples_from_dev_sets(), (
        "the development sets changed: run `python -m tests.classifiers.policy_dev_scoring` to update the examples")


def test_staff_names_are_seen_as_a_member_of_staff_not_as_names():
    ours = policy_model.Scorer("abusive", policy_model.staff_pattern(["Sam Jones"]))
    examples = policy_model.Scorer("abusive", policy_model.staff_pattern(["Priya Marsh"]))
    assert ours.probability("Sam  jones is a lazy cow") == examples.probability("Priya Marsh is a lazy cow")


def test_the_blind_policy_labels_of_the_ordinary_comments_match_the_comments_row_for_row():
    import csv
    import json
    from pathlib import Path

    fixtures = Path(__file__).resolve().parent.parent / "fixtures"
    with (fixtures / "complaint_holdout.csv").open(encoding="utf-8", newline="") as handle:
        texts = [row["text"] for row in csv.DictReader(handle)]
    labels = [json.loads(line) for line in (fixtures / "complaint_holdout_policy_labels.jsonl").read_text(
        encoding="utf-8").splitlines() if line.strip()]
    assert [(row["row"], row["text"]) for row in labels] == list(enumerate(texts))
    assert all(isinstance(row[head], bool) for row in labels for head in policy_model.HEADS)
