"""The school year as a generator sees it: which months have begun, ended, and are required."""

from __future__ import annotations

import calendar
import random
from dataclasses import dataclass
from datetime import date, timedelta

from sheets_sync.core.settings import Settings

MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def month_index(day: date) -> int:
    """A month as one number (year * 12 + month - 1), so months can be counted and compared."""
    return day.year * 12 + day.month - 1


def month_first(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def month_last(index: int) -> date:
    year, month = index // 12, index % 12 + 1
    return date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class YearFrame:
    """The configured school year as of `today`, with what generated rows are placed around."""

    start: date
    end: date
    today: date
    months: tuple[int, ...]  # every month of the school year, in order
    begun: tuple[int, ...]  # the months whose first day is on or before today
    required: frozenset[int]  # the months that need a contact
    last_ended_required: int | None  # the latest required month that ended before today
    principal_deadline: date
    quarter_months: tuple[int, ...]  # one month inside each quarter: where its meeting goes
    day_first: bool  # how numeric text dates are written

    @classmethod
    def build(cls, settings: Settings, today: date) -> YearFrame:
        year, rules = settings.year, settings.rules
        months = tuple(range(month_index(year.start), month_index(year.end) + 1))
        required = frozenset(i for i in months if i % 12 + 1 in rules.required_months)
        ended = [i for i in required if month_last(i) < today]
        middles = (_middle(first, last) for first, last in rules.quarters)
        return cls(
            start=year.start,
            end=year.end,
            today=today,
            months=months,
            begun=tuple(i for i in months if month_first(i) <= min(today, year.end)),
            required=required,
            last_ended_required=max(ended, default=None),
            principal_deadline=_deadline(year.start, rules.principal_meeting_by),
            quarter_months=tuple(i for m in middles for i in months[:12] if i % 12 + 1 == m),
            day_first=rules.day_first,
        )

    def window(self, index: int) -> tuple[date, date]:
        """The days of a month inside the school year, up to today."""
        return max(month_first(index), self.start), min(month_last(index), self.end, self.today)

    def span(self, first: date, last: date) -> tuple[date, date]:
        """A span of days clipped to the school year."""
        return max(first, self.start), min(last, self.end)

    def month_text(self, index: int) -> str:
        """A month as people write it in a plan: `Oct 2025`."""
        return f"{MONTH_ABBR[index % 12]} {index // 12}"

    def as_written(self, day: date, rng: random.Random) -> str:
        """A date typed as text, in one of the shapes people use."""
        shape = rng.randrange(4)
        if shape == 0:
            return f"{MONTH_ABBR[day.month - 1]} {day.day}, {day.year}"
        if shape == 1:
            first, second = (day.day, day.month) if self.day_first else (day.month, day.day)
            return f"{first}/{second}/{day.year}"
        if shape == 2:
            return f"{day.day} {MONTH_ABBR[day.month - 1]} {day.year}"
        return day.isoformat()


def weekday_between(rng: random.Random, first: date, last: date) -> date:
    """A random school day in [first, last]; a weekend day only when the span has no other."""
    day = first + timedelta(days=rng.randint(0, max(0, (last - first).days)))
    for shift in (-1, -2, 1, 2):  # Saturday -> Friday, Sunday -> Friday, or on to Monday
        if day.weekday() < 5:
            break
        moved = day + timedelta(days=shift)
        if first <= moved <= last and moved.weekday() < 5:
            day = moved
    return day


def _middle(first: int, last: int) -> int:
    """The middle month (number) of a quarter such as (11, 1): 12."""
    return (first - 1 + (last - first) % 12 // 2) % 12 + 1


def _deadline(start: date, month_day: tuple[int, int]) -> date:
    """The first date on or after the year's start with that month and day."""
    month, day = month_day
    for year in (start.year, start.year + 1):
        found = date(year, month, min(day, calendar.monthrange(year, month)[1]))
        if found >= start:
            return found
    return start
