"""ISO weeks in the organisation's time zone: parsing "2026-W47", the last complete week, a week's bounds."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from monitor.errors import InputError

_WEEK = re.compile(r"^(\d{4})-?W(\d{2})$", re.IGNORECASE)


@dataclass(frozen=True)
class Week:
    """One ISO week, Monday 00:00 to the next Monday 00:00 local time."""

    monday: date
    zone: ZoneInfo

    @property
    def label(self) -> str:
        """The week as ISO 8601 writes it, e.g. 2026-W47."""
        iso = self.monday.isocalendar()
        return f"{iso.year}-W{iso.week:02d}"

    @property
    def starts(self) -> datetime:
        """Monday 00:00 local time."""
        return datetime.combine(self.monday, time(0), tzinfo=self.zone)

    @property
    def ends(self) -> datetime:
        """The next Monday 00:00 local time (exclusive)."""
        return datetime.combine(self.monday + timedelta(days=7), time(0), tzinfo=self.zone)

    @property
    def days(self) -> list[date]:
        """Monday to Sunday."""
        return [self.monday + timedelta(days=n) for n in range(7)]

    def previous(self) -> "Week":
        """The week before."""
        return Week(self.monday - timedelta(days=7), self.zone)


def parse_week(text: str, zone: ZoneInfo) -> Week:
    """The week written as YYYY-Www (e.g. 2026-W47); raise InputError for anything else."""
    match = _WEEK.match(text.strip())
    if not match:
        raise InputError(f"{text!r} is not a week: write it as YYYY-Www, e.g. 2026-W47")
    year, number = int(match.group(1)), int(match.group(2))
    try:
        return Week(date.fromisocalendar(year, number, 1), zone)
    except ValueError:
        raise InputError(f"{year} has no week {number}") from None


def week_containing(moment: datetime, zone: ZoneInfo) -> Week:
    """The week holding moment (local time)."""
    local = moment.astimezone(zone).date()
    return Week(local - timedelta(days=local.weekday()), zone)


def last_complete_week(now: datetime, zone: ZoneInfo) -> Week:
    """The most recent week that has ended by now."""
    return week_containing(now, zone).previous()
