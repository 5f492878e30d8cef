"""The officer's corrections: stored in the labels table, learnt by the next `train`."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from classifiers import complaint
from classifiers.complaint_store import retrain
from monitor.commands.label import store_correction
from monitor.commands.train import load_corrections
from monitor.db import Database
from monitor.errors import InputError
from monitor.models import Account, Base, Label, StoredItem
from tests.classifiers.complaint_support import comment, complaint_settings, trained_model_dir

PRAISE_WITH_A_WAIT = "my mum waited ages but honestly the staff were lovely"


@pytest.fixture
def db(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'monitor.db'}")
    Base.metadata.create_all(database.engine)
    with database.transaction() as session:
        account = Account(name="hwd-facebook", connector="facebook")
        session.add(account)
        session.flush()
        session.add(StoredItem(id=7, platform="facebook", external_id="c-7", account_id=account.id, kind="comment",
                               text=PRAISE_WITH_A_WAIT, created_at=datetime(2026, 11, 20, tzinfo=timezone.utc)))
    yield database
    database.dispose()


def test_a_correction_changes_the_next_trained_models_answer_on_that_text(db, tmp_path, tmp_path_factory):
    shared = trained_model_dir(tmp_path_factory)
    before = complaint.prepare(complaint_settings(shared))
    assert before.bundle.model.score_one(PRAISE_WITH_A_WAIT)["complaint"] >= before.thresholds["complaint"]

    store_correction(db, 7, ["praise"])
    settings = complaint_settings(tmp_path / "models")
    config = complaint.model_settings(settings)
    retrain(config, load_corrections(db, config.correction_weight))
    after = complaint.prepare(settings)

    assert after.version != before.version
    assert after.bundle.model.score_one(PRAISE_WITH_A_WAIT)["complaint"] < after.thresholds["complaint"]
    assert [f.label for f in complaint.detect(comment(PRAISE_WITH_A_WAIT), after)] == ["praise"]


def test_a_correction_keeps_the_items_text_and_target(db):
    store_correction(db, 7, ["complaint"], target="service", given_by="Sam")
    with db.reading() as session:
        label = session.query(Label).one()
    assert (label.item_id, label.text, label.labels, label.target, label.given_by) == (7, PRAISE_WITH_A_WAIT, ["complaint"], "service", "Sam")


def test_none_means_neither_complaint_question_nor_praise(db):
    store_correction(db, 7, ["none"])
    [example] = load_corrections(db, weight=5.0)
    assert (example.complaint, example.question, example.praise, example.weight) == (False, False, False, 5.0)


def test_the_latest_correction_of_a_text_wins(db):
    store_correction(db, 7, ["complaint"])
    store_correction(db, 7, ["praise"])
    [example] = load_corrections(db, weight=5.0)
    assert (example.complaint, example.praise) == (False, True)


@pytest.mark.parametrize("labels, target, problem", [
    (["none", "praise"], None, "'none' cannot be given together with other labels"),
    (["praise"], "hwd", "--target only applies to a complaint"),
])
def test_contradictory_corrections_are_refused(db, labels, target, problem):
    with pytest.raises(InputError, match=problem):
        store_correction(db, 7, labels, target)


def test_a_correction_for_an_unknown_item_is_refused(db):
    with pytest.raises(InputError, match="there is no stored item with id 99"):
        store_correction(db, 99, ["complaint"])
