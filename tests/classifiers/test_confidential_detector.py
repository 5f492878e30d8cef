"""The confidential detector as a whole: its contract, its configuration, and its figures on the development set."""
from __future__ import annotations

import json

import pytest

from classifiers import confidential
from classifiers.base import ENTITY_TYPES
from monitor.errors import ConfigError
from monitor.settings import settings_from_dict
from tests.classifiers.confidential_dev_scoring import (
    DEV_SET, HOLDOUT_SET, STRUCTURED, as_item, dev_rows, dev_settings, entities, score_dev_set,
)


def test_detector_module_has_the_contract() -> None:
    assert confidential.NAME == "confidential"
    assert isinstance(confidential.VERSION, str) and confidential.VERSION
    assert callable(confidential.prepare) and callable(confidential.detect) and callable(confidential.check)


def test_one_finding_per_item_with_every_entity_and_exact_offsets() -> None:
    text = "Please help, my mum has dementia, she's at 14 Birch Close, Alfreton DE55 7FF, call me 07700 900 818"
    findings = confidential.detect(as_item(text), confidential.prepare(dev_settings()))
    assert len(findings) == 1
    finding = findings[0]
    assert (finding.label, finding.detector, finding.version) == ("confidential", "confidential", confidential.VERSION)
    assert 0.0 < finding.score <= 1.0
    assert [(s.type, text[s.start:s.end]) for s in finding.spans] == [
        ("PERSON_HEALTH", "my mum"), ("ADDRESS", "14 Birch Close"), ("POSTCODE", "DE55 7FF"),
        ("PHONE", "07700 900 818"),
    ]


def test_evidence_names_the_entity_types_and_never_the_values() -> None:
    text = "NHS number 573 856 3913, email jo.hadfield62@gmail.com, call 07700 900123 or 07700 900456"
    finding = confidential.detect(as_item(text), confidential.prepare(dev_settings()))[0]
    assert "NHS_NUMBER" in finding.evidence and "EMAIL" in finding.evidence and "PHONE x2" in finding.evidence
    for value in ("573", "3913", "hadfield", "gmail", "07700", "900123"):
        assert value not in finding.evidence


def test_nothing_personal_gives_no_finding() -> None:
    prepared = confidential.prepare(dev_settings())
    assert confidential.detect(as_item("The wait at A&E was 9 hours, disgraceful"), prepared) == []
    assert confidential.detect(as_item(""), prepared) == []


def test_organisations_configured_contact_details_are_never_reported() -> None:
    raw = json.loads((DEV_SET.parent / "confidential_dev_settings.json").read_text(encoding="utf-8"))
    organisation, section = raw["organisation"], raw["classifiers"]["confidential"]
    details = [value for source in (organisation, section)
               for key in ("published_phones", "published_emails", "published_postcodes") for value in source[key]]
    prepared = confidential.prepare(dev_settings())
    for detail in details:
        for text in (f"{detail}", f"my details: {detail}", f"ring me or write, {detail} x"):
            assert confidential.detect(as_item(text), prepared) == [], text


def test_enabled_entities_limits_what_is_reported() -> None:
    section = {"enabled_entities": ["EMAIL"]}
    prepared = confidential.prepare(settings_from_dict({"classifiers": {"confidential": section}}))
    text = "call 07700 900123 or email jo.hadfield62@gmail.com"
    assert entities(text, prepared) == [("EMAIL", "jo.hadfield62@gmail.com")]


def test_check_accepts_the_documented_keys() -> None:
    settings = dev_settings()
    assert confidential.check(settings) == []


@pytest.mark.parametrize("section, words", [
    ({"published_phone": ["01632 960100"]}, "unknown key 'published_phone'"),
    ({"published_phones": "01632 960100"}, "published_phones must be a list"),
    ({"published_phones": ["not a number"]}, "is not a UK phone number"),
    ({"published_postcodes": ["DE22"]}, "is not a full UK postcode"),
    ({"published_emails": ["pals at nhs"]}, "is not an email address"),
    ({"enabled_entities": ["PASSPORT"]}, "is not an entity type"),
])
def test_check_reports_each_problem_in_one_sentence(section: dict, words: str) -> None:
    with pytest.raises(ConfigError) as raised:
        settings_from_dict({"detectors": {"enabled": ["confidential"]}, "classifiers": {"confidential": section}})
    assert any(words in problem for problem in raised.value.problems), raised.value.problems


def test_development_set_is_large_with_exact_offsets_and_known_types() -> None:
    rows = dev_rows()
    assert len(rows) >= 300
    assert sum(1 for row in rows if not row["entities"]) >= 100  # hard negatives
    for row in rows:
        for entity in row["entities"]:
            assert entity["type"] in (*ENTITY_TYPES, "STAFF_NAME")
            covered = row["text"][entity["start"]:entity["end"]]
            assert covered and covered == covered.strip()


def test_structured_identifiers_reach_the_issue_floors_on_the_development_set() -> None:
    tally = score_dev_set()
    assert tally.recall(STRUCTURED) >= 0.95, tally.mistakes
    assert tally.precision(STRUCTURED) >= 0.80, tally.mistakes


def test_all_entities_reach_the_floors_on_the_development_set() -> None:
    tally = score_dev_set()
    assert tally.recall() >= 0.95, tally.mistakes
    assert tally.precision() >= 0.80, tally.mistakes


def test_every_type_is_precise_on_the_development_set() -> None:
    tally = score_dev_set()
    for entity_type in (*ENTITY_TYPES, "STAFF_NAME"):
        assert tally.precision((entity_type,)) >= 0.80, (entity_type, tally.mistakes)
        assert tally.recall((entity_type,)) >= 0.80, (entity_type, tally.mistakes)


def test_held_out_texts_keep_the_precision_floor() -> None:
    tally = score_dev_set(path=HOLDOUT_SET)
    assert tally.precision() >= 0.80, tally.mistakes
    assert tally.recall(STRUCTURED) >= 0.95, tally.mistakes


@pytest.mark.parametrize("name", ["confidential_dev", "confidential_holdout"])
def test_json_lines_sets_match_their_marked_up_sources(name: str, tmp_path) -> None:
    from tests.fixtures.build_confidential_dev import build

    fixtures = DEV_SET.parent
    build(fixtures / f"{name}.src", tmp_path / "built.jsonl")
    built = (tmp_path / "built.jsonl").read_text(encoding="utf-8")
    assert built == (fixtures / f"{name}.jsonl").read_text(encoding="utf-8")
