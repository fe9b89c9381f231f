"""The school year as of a day: its months and their state, the principal deadline, the quarters.

Worked out once per run and shared by every school's standing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from sheets_sync.core.months import (
    deadline_in_year,
    last_ended_required,
    month_first,
    month_index,
    month_last,
    required_months,
    year_months,
)
from sheets_sync.core.settings import Rules, SchoolYear


class CalendarMonth(NamedTuple):
    key: int  # its month index (see `months`)
    first: date
    required: bool
    begun: bool  # its first day is on or before today
    ended: bool  # its last day is before today


class Quarter(NamedTuple):
    """A cluster-meeting quarter placed in the year: `number` is its place in `rules.quarters`."""

    number: int
    first: date
    last: date


@dataclass(frozen=True, slots=True)
class YearCalendar:
    year: SchoolYear
    today: date
    months: tuple[CalendarMonth, ...]  # every month of the year, in order
    required: frozenset[int]  # month indexes
    last_ended_required: int | None  # the latest required month whose last day < today
    today_month: int | None  # today's month index, when today is inside the year
    days_left: int  # in today's month, counting from today
    principal_deadline: date
    quarters: tuple[Quarter, ...]  # those begun, in order

    @classmethod
    def build(cls, year: SchoolYear, rules: Rules, today: date) -> YearCalendar:
        required = required_months(year, rules.required_months)
        months = tuple(
            CalendarMonth(
                i, month_first(i), i in required, month_first(i) <= today, month_last(i) < today
            )
            for i in year_months(year)
        )
        return cls(
            year=year,
            today=today,
            months=months,
            required=required,
            last_ended_required=last_ended_required(year, rules.required_months, today),
            today_month=month_index(today) if year.start <= today <= year.end else None,
            days_left=(month_last(month_index(today)) - today).days,
            principal_deadline=deadline_in_year(year, rules.principal_meeting_by),
            quarters=tuple(q for q in place_quarters(year, rules.quarters) if q.first <= today),
        )


def place_quarters(year: SchoolYear, spans: tuple[tuple[int, int], ...]) -> list[Quarter]:
    """Quarters placed one after another in the school year, clipped to its days."""
    placed: list[Quarter] = []
    cursor = month_index(year.start)
    for number, (first_month, last_month) in enumerate(spans, start=1):
        length = (last_month - first_month) % 12
        # The earliest start for this month whose quarter has not ended before the cursor.
        first = cursor - (cursor - (first_month - 1)) % 12
        if first + length < cursor:
            first += 12
        last = first + length
        quarter = Quarter(
            number, max(month_first(first), year.start), min(month_last(last), year.end)
        )
        if quarter.first > quarter.last:
            break  # past the year's end: this and later quarters do not happen
        placed.append(quarter)
        cursor = last + 1
    return placed
