"""Structured identifiers: NHS and NI numbers, phones, emails, postcodes, addresses, dates of birth."""
from __future__ import annotations

import pytest
from hypothesis import given, settings as hypothesis_settings, strategies as st

from classifiers import confidential
from classifiers.pii.nhs_number import find_nhs_numbers, passes_modulus_11
from monitor.settings import settings_from_dict
from tests.classifiers.confidential_dev_scoring import entities


# NHS numbers

@pytest.mark.parametrize("written", ["573 856 3913", "573-856-3913", "5738563913"])
def test_nhs_number_is_found_in_any_usual_spacing(written: str) -> None:
    assert entities(f"my NHS number is {written} please help") == [("NHS_NUMBER", written)]


def test_modulus_11_check_follows_the_nhs_rule() -> None:
    assert passes_modulus_11("9434765919")
    assert not passes_modulus_11("9434765918")
    assert not passes_modulus_11("943476591")


def test_a_remainder_of_eleven_means_a_check_digit_of_zero() -> None:
    # 400000002: 4*10 + 2*2 = 44, a multiple of 11, so the check digit is 0 and no other.
    assert [d for d in "0123456789" if passes_modulus_11("400000002" + d)] == ["0"]


def test_a_check_digit_of_ten_makes_the_number_invalid() -> None:
    # 100000001: weights give 10*1 + 2*1 = 12; 12 mod 11 = 1; 11 - 1 = 10, which no digit can be.
    assert not any(passes_modulus_11("100000001" + d) for d in "0123456789")


@pytest.mark.parametrize("reference", ["177 621 3899", "3744112455", "984-591-9668"])
def test_nhs_number_failing_the_check_is_never_reported(reference: str) -> None:
    assert entities(f"my NHS number is {reference}") == []


@hypothesis_settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789", min_size=10, max_size=10),
       st.sampled_from(["{}", "{0}{1}{2} {3}{4}{5} {6}{7}{8}{9}"]))
def test_no_ten_digit_number_failing_the_check_is_ever_reported_as_an_nhs_number(digits: str, layout: str) -> None:
    written = layout.format(*digits) if layout != "{}" else digits
    found = [t for t, _ in entities(f"NHS no {written} thanks") if t == "NHS_NUMBER"]
    assert bool(found) == passes_modulus_11(digits)


def test_a_valid_nhs_number_inside_a_longer_digit_run_is_not_reported() -> None:
    assert find_nhs_numbers("account 15738563913") == []
    assert find_nhs_numbers("card 4929 573 856 3913 1") == []


# National Insurance numbers

@pytest.mark.parametrize("written", ["JT 48 26 91 B", "AB123456C", "ce 65 43 21 a"])
def test_ni_number_is_found_spaced_or_not(written: str) -> None:
    assert entities(f"my NI number is {written}") == [("NI_NUMBER", written)]


@pytest.mark.parametrize("written", ["QQ 12 34 56 C", "DA123456A", "AO 12 34 56 B", "GB 12 34 56 A", "ZZ123456A",
                                     "TN 12 34 56 C", "AB 12 34 56 E"])
def test_ni_number_breaking_the_prefix_or_suffix_rules_is_not_reported(written: str) -> None:
    assert entities(f"NI {written}") == []


# Phones

@pytest.mark.parametrize("written", ["07700 900123", "07700900456", "+44 7700 900789", "0044 7700 900543",
                                     "(01632) 960118", "0113 496 0781", "020 7946 0902", "+44 (0)7700 900417"])
def test_uk_phone_number_is_found_in_usual_forms(written: str) -> None:
    assert entities(f"ring me on {written} please") == [("PHONE", written)]


@pytest.mark.parametrize("text", [
    "You can contact us on 01632 960100",            # organisation.published_phones
    "ring us on 01632 960 100 any time",              # the same number, spaced differently
    "Cloverleaf on 020 7946 0321",                    # [classifiers.confidential].published_phones
    "Call the surgery on 01632 960555 at 8",
    "The PALS number is 0113 496 0212",
    "Ring 111 if it's not an emergency",
    "call Samaritans 116 123",
    "freephone 08081 570123",
    "the helpline 03069 990123",
    "ticket 4821123456 for the car park",
])
def test_published_and_service_numbers_are_not_reported(text: str) -> None:
    assert entities(text) == []


def test_a_personal_number_after_a_service_number_is_still_reported() -> None:
    text = "Called 111 then rang my sister on 07700 900 700"
    assert entities(text) == [("PHONE", "07700 900 700")]


# Emails

@pytest.mark.parametrize("written", ["jo.hadfield62@gmail.com", "trev.allsop at gmail dot com",
                                     "mandy_k [at] btinternet [dot] co [dot] uk", "shazza1972(at)yahoo(dot)com"])
def test_email_is_found_plain_or_spelt_out(written: str) -> None:
    assert entities(f"email me at {written} thanks") == [("EMAIL", written)]


@pytest.mark.parametrize("text", [
    "Email us at outreach.team@hwdexample.org.uk",
    "write to derbyshire.advocacy@cloverleafexample.org.uk",
    "The PALS email is uhdb.pals@nhs.net",
    "enquiries@derbyshirecarers.example.org.uk were helpful",
    "meet me at the shop",
    "I was at Tesco dot com",
])
def test_published_role_and_pseudo_emails_are_not_reported(text: str) -> None:
    assert entities(text) == []


# Postcodes and addresses

@pytest.mark.parametrize("written", ["DE22 3NE", "de4 3ag", "DE655AB", "S40 2TZ"])
def test_full_postcode_is_reported(written: str) -> None:
    assert entities(f"my postcode is {written}") == [("POSTCODE", written)]


@pytest.mark.parametrize("text", [
    "In DE22 the waits are terrible",
    "The Royal Derby Hospital, Uttoxeter Road, Derby DE22 3NE",
    "Our office is at DE56 1UU",
    "meet at the event venue DE1 9ZZ",
    "B12 injections stopped at my surgery",
])
def test_districts_and_published_postcodes_are_not_reported(text: str) -> None:
    assert entities(text) == []


def test_address_with_town_is_reported_from_the_flat_to_the_street() -> None:
    text = "flat 3, 22 Ashbourne Road, Derby - carers never came"
    assert entities(text) == [("ADDRESS", "flat 3, 22 Ashbourne Road")]
    assert entities("she lives at 14 Elm Tree Avenue, Belper") == [("ADDRESS", "14 Elm Tree Avenue")]


def test_a_town_after_a_comma_or_from_configuration_makes_a_street_an_address() -> None:
    assert entities("carers never came to 14 Elm Tree Avenue, Uttoxeter") == [("ADDRESS", "14 Elm Tree Avenue")]
    text = "carers never came to 14 elm tree avenue uttoxeter"
    assert entities(text) == []
    section = {"towns_extra": ["Uttoxeter"]}
    prepared = confidential.prepare(settings_from_dict({"classifiers": {"confidential": section}}))
    assert entities(text, prepared) == [("ADDRESS", "14 elm tree avenue")]


@pytest.mark.parametrize("text", [
    "my GP practice at 12 Market Street, Matlock is brilliant",
    "Waited 3 hours down the road in Derby",
    "12 Market Street",
    "I walked 2 miles up the lane in Bakewell",
])
def test_service_addresses_and_distances_are_not_reported(text: str) -> None:
    assert entities(text) == []


# Dates of birth

@pytest.mark.parametrize("text, date", [
    ("DOB 12/03/1948 in case", "12/03/1948"),
    ("my d.o.b is 3rd March 1950", "3rd March 1950"),
    ("He was born on 14 February 1962", "14 February 1962"),
    ("her birthday is March 3rd", "March 3rd"),
    ("31/12/1955 (DOB)", "31/12/1955"),
])
def test_date_next_to_a_birth_word_is_a_date_of_birth(text: str, date: str) -> None:
    assert entities(text) == [("DATE_OF_BIRTH", date)]


@pytest.mark.parametrize("text", ["My appointment was on 12/03/2024", "born and bred in Derby",
                                  "I was born in 1950", "The baby is due on 14th June"])
def test_other_dates_and_years_are_not_dates_of_birth(text: str) -> None:
    assert entities(text) == []
