"""The complaint model's lifecycle: trained at first use, saved with its version, retrained when the corpus changes."""
from __future__ import annotations

import csv
import json

import pytest

from classifiers import complaint
from classifiers.complaint_eval import held_out_split
from classifiers.complaint_model import train_model
from classifiers.complaint_store import METRICS_FILE, MODEL_FILE, ensure_model, load_bundle, training_examples
from tests.classifiers.complaint_support import comment, complaint_settings, small_corpus, trained_model_dir


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory):
    return trained_model_dir(tmp_path_factory)


@pytest.fixture(scope="session")
def prepared(model_dir):
    return complaint.prepare(complaint_settings(model_dir))


def test_the_model_trains_itself_at_first_use_and_is_saved_with_version_hash_and_metrics(model_dir):
    assert (model_dir / MODEL_FILE).exists()
    described = json.loads((model_dir / METRICS_FILE).read_text())
    assert described["version"].startswith(complaint.VERSION + ".")
    assert len(described["corpus_hash"]) == 64
    held_out = described["metrics"]["held_out"]["complaint_at_threshold"]
    assert held_out["recall"] >= 0.90 and 0 < held_out["precision"] <= 1


def test_every_finding_records_the_model_version(prepared):
    findings = complaint.detect(comment("Three weeks waiting for a call back from the surgery. Disgraceful."), prepared)
    findings += complaint.detect(comment("Thank you so much, the team were brilliant with my dad"), prepared)
    findings += complaint.detect(comment("What time does the Buxton drop-in open on Tuesday?"), prepared)
    assert {f.label for f in findings} >= {"complaint", "praise", "question"}
    assert all(f.version == prepared.bundle.version and f.detector == "complaint" for f in findings)
    assert all(f.evidence for f in findings)


def test_the_threshold_catches_at_least_90_percent_of_complaints_on_the_held_out_split(model_dir, prepared):
    config = complaint.model_settings(complaint_settings(model_dir))
    examples = training_examples(config)
    _, held_out = held_out_split([e for e in examples if e.complaint is not None])
    held_ids = {id(e) for e in held_out}
    model = train_model([e for e in examples if id(e) not in held_ids], heads=("complaint",), with_target=False)
    scores = model.scores([e.text for e in held_out])["complaint"]
    complaints = [s for s, e in zip(scores, held_out) if e.complaint]
    caught = sum(s >= prepared.thresholds["complaint"] for s in complaints)
    assert caught / len(complaints) >= 0.90
    assert "precision" in prepared.threshold_origin


def test_complaints_in_the_kept_aside_holdout_are_caught(prepared):
    from tests.classifiers.complaint_support import HOLDOUT

    if not HOLDOUT.exists():
        pytest.skip(f"{HOLDOUT} is not there")
    with HOLDOUT.open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if "complaint" in r["labels"].split()]
    caught = sum(any(f.label == "complaint" for f in complaint.detect(comment(r["text"]), prepared)) for r in rows)
    assert caught / len(rows) >= 0.85


def test_the_organisations_own_posts_are_not_read_as_complaints(prepared):
    assert complaint.detect(comment("Waited 11 hours at A&E? Tell us about it: our survey closes Friday", own=True), prepared) == []


def test_a_saved_model_is_loaded_not_retrained(model_dir):
    config = complaint.model_settings(complaint_settings(model_dir))
    first = load_bundle(model_dir)
    again = ensure_model(config)
    assert again.version == first.version and again.trained_at == first.trained_at


def test_a_changed_corpus_retrains_the_model_with_a_new_version(tmp_path):
    corpus = small_corpus(tmp_path / "corpus")
    settings = complaint_settings(tmp_path / "models", corpus_dir=str(corpus))
    before = complaint.prepare(settings)
    with (corpus / "neutral.csv").open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerow(["See you all at the Matlock coffee morning", "", "", "comment"])
    after = complaint.prepare(settings)
    assert after.version != before.version
    assert load_bundle(tmp_path / "models").version == after.version


def test_an_unreadable_saved_model_is_retrained(tmp_path):
    corpus = small_corpus(tmp_path / "corpus")
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / MODEL_FILE).write_bytes(b"not a model")
    prepared = complaint.prepare(complaint_settings(tmp_path / "models", corpus_dir=str(corpus)))
    assert load_bundle(tmp_path / "models").version == prepared.version


def test_configuration_problems_are_reported_as_sentences():
    from monitor.errors import ConfigError

    with pytest.raises(ConfigError) as raised:
        complaint_settings("var/models", target_recall=1.5, extra_corpora=["/nowhere/extra.csv"], colour="blue")
    problems = "\n".join(raised.value.problems)
    assert "target_recall: expected a number between 0 and 1" in problems
    assert "extra_corpora: /nowhere/extra.csv does not exist" in problems
    assert "colour is not a known setting" in problems


def test_extra_corpora_named_in_configuration_join_the_training_data(tmp_path):
    corpus = small_corpus(tmp_path / "corpus")
    extra = tmp_path / "extra.csv"
    with extra.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "label"])
        writer.writerows([["@ShopCo my parcel never arrived and nobody answers", 1], ["@ShopCo lovely jumper, thanks", 0]] * 5)
    plain = complaint.prepare(complaint_settings(tmp_path / "plain", corpus_dir=str(corpus)))
    widened = complaint.prepare(complaint_settings(tmp_path / "widened", corpus_dir=str(corpus), extra_corpora=[str(extra)]))
    assert widened.bundle.summary["examples"] == plain.bundle.summary["examples"] + 10
    assert widened.bundle.corpus_hash != plain.bundle.corpus_hash
    assert set(widened.bundle.model.heads) == {"complaint", "question", "praise"}


def test_an_extra_corpus_without_a_label_column_is_refused(tmp_path):
    from monitor.errors import ConfigError

    extra = tmp_path / "extra.csv"
    extra.write_text("tweet,score\nhello,1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="needs a header with the columns text and label"):
        complaint_settings(tmp_path / "models", extra_corpora=[str(extra)])


def test_a_daemon_says_the_model_is_ready_once_not_at_every_poll(model_dir, caplog):
    complaint._ANNOUNCED.clear()
    with caplog.at_level("INFO", logger="classifiers.complaint"):
        for _ in range(3):  # the suite is prepared again for every poll
            complaint.prepare(complaint_settings(model_dir))
    ready = [r for r in caplog.records if "ready" in r.getMessage() and r.levelname == "INFO"]
    assert len(ready) == 1
