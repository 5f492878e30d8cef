"""Whom a complaint is about: the organisation (its own complaints procedure) or a service (signposting)."""
from __future__ import annotations

import pytest

from classifiers import complaint
from classifiers.complaint_target import build_matcher, decide_target
from monitor.settings import settings_from_dict
from tests.classifiers.complaint_support import comment, complaint_settings, trained_model_dir


@pytest.fixture(scope="session")
def prepared(tmp_path_factory):
    return complaint.prepare(complaint_settings(trained_model_dir(tmp_path_factory)))


def complaint_target(text: str, prepared) -> str | None:
    found = [f for f in complaint.detect(comment(text), prepared) if f.label == "complaint"]
    assert found, f"{text!r} was not read as a complaint"
    return found[0].target


def test_a_rude_volunteer_at_the_organisations_stall_is_a_complaint_about_the_organisation(prepared):
    assert complaint_target("the volunteer at your stall was rude", prepared) == "hwd"


def test_a_long_wait_at_a_configured_hospital_is_a_complaint_about_a_service(prepared):
    assert complaint_target("Royal Derby A&E kept my mum 9 hours", prepared) == "service"


def test_a_complaint_naming_the_organisation_is_about_the_organisation(prepared):
    assert complaint_target("Emailed Healthwatch twice about mum's care home and nobody got back to me", prepared) == "hwd"


def test_a_complaint_about_staff_named_in_configuration_is_about_the_organisation():
    matcher = build_matcher(complaint_settings("var/models"))
    assert decide_target("Priya Chandra promised a call back that never came", matcher, None).target == "hwd"


def test_a_complaint_with_no_sign_of_whom_it_is_about_is_about_a_service():
    matcher = build_matcher(complaint_settings("var/models"))
    decision = decide_target("it was awful and nobody cared", matcher, None)
    assert decision.target == "service"
    assert decide_target("it was awful and nobody cared", matcher, 0.3).target == "service"


def test_service_names_come_from_configuration():
    configured = build_matcher(complaint_settings("var/models"))
    bare = build_matcher(settings_from_dict({}))
    text = "Kingsway discharged my brother with no plan at all"
    assert decide_target(text, configured, None).reason == "names a service ('Kingsway')"
    assert "Kingsway" not in decide_target(text, bare, None).reason


def test_naming_both_leaves_the_decision_to_the_model():
    matcher = build_matcher(complaint_settings("var/models"))
    text = "I told Healthwatch about the Royal Derby and heard nothing back"
    assert decide_target(text, matcher, 0.8).target == "hwd"
    assert decide_target(text, matcher, 0.2).target == "service"
