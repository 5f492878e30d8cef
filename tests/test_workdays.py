"""Working days and hours as the complaints procedure counts them: weekends, bank holidays, the clock change."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings as hypothesis_settings, strategies as st

from monitor.triage_config import Triage, parse_target
from monitor.workdays import WorkingCalendar

UTC = timezone.utc


def calendar(**triage) -> WorkingCalendar:
    return WorkingCalendar(Triage(**triage), "Europe/London")


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_a_question_on_friday_afternoon_is_due_by_monday_close():
    assert calendar().due(utc(2026, 11, 20, 15, 0), "next working day") == utc(2026, 11, 23, 17, 0)


def test_a_complaint_on_saturday_counts_from_monday():
    # Monday 23 November is day 0; five working days later is Monday 30 November.
    assert calendar().due(utc(2026, 11, 21, 11, 0), "5 working days") == utc(2026, 11, 30, 17, 0)


def test_a_message_after_closing_time_counts_from_the_next_working_day():
    assert calendar().due(utc(2026, 11, 17, 18, 30), "1 working day") == utc(2026, 11, 19, 17, 0)


def test_christmas_and_the_boxing_day_substitute_are_not_working_days():
    days = calendar()
    assert not days.is_working_day(date(2026, 12, 25))
    assert not days.is_working_day(date(2026, 12, 28))  # Boxing Day falls on a Saturday: Monday is the holiday
    assert days.due(utc(2026, 12, 24, 10, 0), "next working day") == utc(2026, 12, 29, 17, 0)


def test_twenty_working_days_skip_the_christmas_bank_holidays():
    # From Tuesday 1 December: 20 working days, less 25 and 28 December, end on Thursday 31 December.
    assert calendar().due(utc(2026, 12, 1, 10, 0), "20 working days") == utc(2026, 12, 31, 17, 0)


def test_configured_closure_days_are_skipped_too():
    days = calendar(closed_days=["2026-12-29", "2026-12-30"])
    assert days.due(utc(2026, 12, 24, 10, 0), "next working day") == utc(2026, 12, 31, 17, 0)


def test_working_hours_span_the_autumn_clock_change():
    # Friday 23 October 2026 16:00 BST is 15:00 UTC; one hour left that day, one on Monday 26th (GMT).
    assert calendar().due(utc(2026, 10, 23, 15, 0), "2 working hours") == utc(2026, 10, 26, 10, 0)


def test_the_close_of_day_follows_the_clock_in_both_directions():
    days = calendar()
    assert days.due(utc(2026, 10, 23, 10, 0), "0 working days") == utc(2026, 10, 23, 16, 0)  # 17:00 BST
    assert days.due(utc(2026, 10, 23, 10, 0), "next working day") == utc(2026, 10, 26, 17, 0)  # 17:00 GMT
    assert days.due(utc(2026, 3, 27, 10, 0), "next working day") == utc(2026, 3, 30, 16, 0)  # 17:00 BST again


def test_other_working_weeks_and_hours_are_configuration():
    days = calendar(working_days=["mon", "tue", "wed", "thu"], opens="08:00", closes="12:00")
    assert days.due(utc(2026, 11, 19, 11, 0), "2 working hours") == utc(2026, 11, 23, 9, 0)


def test_without_bank_holidays_christmas_is_an_ordinary_friday():
    assert calendar(bank_holidays="").is_working_day(date(2026, 12, 25))


@pytest.mark.parametrize("text, expected", [("5 working days", (5, "days")), ("next working day", (1, "days")),
                                            ("1 working day", (1, "days")), ("4 Working Hours", (4, "hours"))])
def test_targets_are_written_in_words(text, expected):
    assert parse_target(text) == expected


def test_a_target_without_working_time_is_refused_in_a_sentence():
    with pytest.raises(ValueError, match="is not a target like"):
        parse_target("5 days")


@hypothesis_settings(max_examples=150, deadline=None)
@given(start=st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 1), timezones=st.just(UTC)),
       hours=st.integers(min_value=1, max_value=60))
def test_working_hours_added_are_exactly_that_much_working_time(start, hours):
    days = calendar()
    due = days.add_working_hours(start, hours)
    assert days.working_time_between(start, due) == timedelta(hours=hours)
    assert days.is_working_time(due - timedelta(seconds=1))
