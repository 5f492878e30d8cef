"""Working days and working hours: weekends, bank holidays and closure days skipped, right across clock changes."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from monitor.triage_config import WEEKDAYS, Triage, parse_target


@lru_cache(maxsize=8)
def _bank_holidays(subdivision: str, year: int) -> frozenset[date]:
    if not subdivision:
        return frozenset()
    return frozenset(holidays.country_holidays("GB", subdiv=subdivision, years=year))


class WorkingCalendar:
    """The organisation's working time: which days are working days, and the hours of each in local time."""

    def __init__(self, triage: Triage, timezone_name: str = "Europe/London") -> None:
        self.zone = ZoneInfo(timezone_name)
        self.opens, self.closes = triage.opens, triage.closes
        self.weekdays = frozenset(WEEKDAYS.index(d) for d in triage.working_days)
        self.subdivision = triage.bank_holidays
        self.closed = frozenset(triage.closed_days)

    def is_working_day(self, day: date) -> bool:
        """Whether day is a working day: a working weekday, not a bank holiday, not a closure day."""
        return (day.weekday() in self.weekdays and day not in self.closed
                and day not in _bank_holidays(self.subdivision, day.year))

    def window(self, day: date) -> tuple[datetime, datetime]:
        """The opening and closing moments of day, in UTC (the local hours follow the clock change)."""
        start = datetime.combine(day, self.opens, tzinfo=self.zone).astimezone(timezone.utc)
        end = datetime.combine(day, self.closes, tzinfo=self.zone).astimezone(timezone.utc)
        return start, end

    def local_date(self, moment: datetime) -> date:
        """The calendar date of moment where the organisation is."""
        return moment.astimezone(self.zone).date()

    def next_working_day(self, day: date) -> date:
        """The first working day after day."""
        day += timedelta(days=1)
        for _ in range(800):  # a calendar with no working day in two years is a configuration mistake
            if self.is_working_day(day):
                return day
            day += timedelta(days=1)
        raise ValueError("no working day within two years: check triage.working_days and closed_days")

    def is_working_time(self, moment: datetime) -> bool:
        """Whether moment falls within working hours on a working day."""
        day = self.local_date(moment)
        if not self.is_working_day(day):
            return False
        start, end = self.window(day)
        return start <= moment < end

    def receipt_day(self, moment: datetime) -> date:
        """The working day something received at moment counts from: that day, or the next one when after hours."""
        day = self.local_date(moment)
        if self.is_working_day(day) and moment < self.window(day)[1]:
            return day
        return self.next_working_day(day)

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """The close of the days-th working day after the day start counts from (0: the close of that same day)."""
        day = self.receipt_day(start)
        for _ in range(days):
            day = self.next_working_day(day)
        return self.window(day)[1]

    def add_working_hours(self, start: datetime, hours: float) -> datetime:
        """The moment when hours of working time have passed since start."""
        remaining = timedelta(hours=hours)
        day = self.receipt_day(start)
        while True:
            opening, closing = self.window(day)
            begin = max(start, opening)
            available = closing - begin
            if remaining <= available:
                return begin + remaining
            remaining -= available
            day = self.next_working_day(day)

    def due(self, start: datetime, target: str) -> datetime:
        """When a target such as "5 working days" or "4 working hours", counted from start, falls due."""
        count, unit = parse_target(target)
        if unit == "hours":
            return self.add_working_hours(start, count)
        return self.add_working_days(start, count)

    def working_time_between(self, start: datetime, end: datetime) -> timedelta:
        """How much working time lies between start and end."""
        total = timedelta()
        if end <= start:
            return total
        day = self.local_date(start)
        while day <= self.local_date(end):
            if self.is_working_day(day):
                opening, closing = self.window(day)
                overlap = min(end, closing) - max(start, opening)
                if overlap > timedelta():
                    total += overlap
            day += timedelta(days=1)
        return total
