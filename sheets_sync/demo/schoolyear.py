"""The school year as a generator sees it: which months have begun, ended, and are required."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from sheets_sync.core.months import (
    MONTH_ABBR,
    deadline_in_year,
    last_ended_required,
    month_first,
    month_last,
    required_months,
    year_months,
)
from sheets_sync.core.settings import Settings


@dataclass(frozen=True)
class YearFrame:
    """The configured school year as of `today`, with what generated rows are placed around."""

    start: date
    end: date
    today: date
    months: tuple[int, ...]  # every month of the school year, in order (see core.months)
    begun: tuple[int, ...]  # the months whose first day is on or before today
    required: frozenset[int]  # the months that need a contact
    last_ended_required: int | None  # the latest required month that ended before today
    principal_deadline: date
    quarter_months: tuple[int, ...]  # one month inside each quarter: where its meeting goes
    day_first: bool  # how numeric text dates are written

    @classmethod
    def build(cls, settings: Settings, today: date) -> YearFrame:
        year, rules = settings.year, settings.rules
        months = tuple(year_months(year))
        middles = (_middle(first, last) for first, last in rules.quarters)
        return cls(
            start=year.start,
            end=year.end,
            today=today,
            months=months,
            begun=tuple(i for i in months if month_first(i) <= min(today, year.end)),
            required=required_months(year, rules.required_months),
            last_ended_required=last_ended_required(year, rules.required_months, today),
            principal_deadline=deadline_in_year(year, rules.principal_meeting_by),
            quarter_months=tuple(i for m in middles for i in months[:12] if i % 12 + 1 == m),
            day_first=rules.day_first,
        )

    def window(self, index: int) -> tuple[date, date]:
        """The days of a month inside the school year, up to today."""
        return max(month_first(index), self.start), min(month_last(index), self.end, self.today)

    def span(self, first: date, last: date) -> tuple[date, date]:
        """A span of days clipped to the school year."""
        return max(first, self.start), min(last, self.end)

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
