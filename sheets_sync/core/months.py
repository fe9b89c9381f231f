"""The months of a school year: as numbers, their first and last days, and their English names.

A month is one int, its *index* (`year * 12 + month - 1`), so that months can be counted,
compared and stepped across the turn of a year. Names are fixed English here:
`calendar.month_abbr` follows the process locale, and a sheet's `Sep` must not depend on
the server's.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date
from typing import Literal

from sheets_sync.core.settings import SchoolYear, on_month_day

MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
MONTH_ABBR = tuple(name[:3] for name in MONTH_NAMES)  # "Jan" .. "Dec"

_NUMBERS = {
    word.casefold(): number
    for number, name in enumerate(MONTH_NAMES, start=1)
    for word in (name, name[:3])
}
_NUMBERS["sept"] = 9


def month_number(word: str) -> int | None:
    """1..12 for an English month name or abbreviation in any case: `Sep`, `Sept.`, `september`."""
    return _NUMBERS.get(word.strip().removesuffix(".").casefold())


def month_index(day: date) -> int:
    """The month a day is in, as its index."""
    return day.year * 12 + day.month - 1


def month_first(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def month_last(index: int) -> date:
    year, month = index // 12, index % 12 + 1
    return date(year, month, calendar.monthrange(year, month)[1])


def month_label(index: int) -> str:
    """`Oct 2025`: a Contact Calendar column, and a month as people write it in a plan."""
    return f"{MONTH_ABBR[index % 12]} {index // 12}"


def year_months(year: SchoolYear) -> range:
    """Every month the school year touches, in order, as indexes."""
    return range(month_index(year.start), month_index(year.end) + 1)


def required_months(year: SchoolYear, numbers: Iterable[int]) -> frozenset[int]:
    """The months of the year whose number (1..12) is in `numbers`, as indexes."""
    wanted = set(numbers)
    return frozenset(i for i in year_months(year) if i % 12 + 1 in wanted)


def last_ended_required(year: SchoolYear, numbers: Iterable[int], today: date) -> int | None:
    """The latest required month whose last day is before `today`, if one has ended."""
    ended = (i for i in required_months(year, numbers) if month_last(i) < today)
    return max(ended, default=None)


def deadline_in_year(year: SchoolYear, month_day: tuple[int, int]) -> date:
    """The first day on or after the year's start with that (month, day); 29 Feb may be the 28th."""
    for calendar_year in (year.start.year, year.start.year + 1):
        found = on_month_day(calendar_year, month_day)
        if found >= year.start:
            return found
    return year.start  # unreachable: a (month, day) always falls within the next twelve months


Place = Literal["this year", "history", "next year", "after the year", "long before"]
HISTORY_YEARS = 10  # rows dated further back than this are a typo's year, not history


def year_place(first: date, last: date, year: SchoolYear, today: date) -> Place:
    """Where a row dated `first` to `last` stands against the school year a run works in.

    Rows of earlier years in the same tabs are history: not counted and not warned about.
    Once the year has ended (the summer), rows after it belong to the coming year, likewise
    quiet. What fits no plausible year (more than 10 years back, or after the year while it
    still runs, or past the coming one) is worth a warning.
    """
    if last >= year.start and first <= year.end:
        return "this year"
    month_days = year.rolling()
    if last < year.start:
        long_ago = on_month_day(year.start.year - HISTORY_YEARS, month_days.start)
        return "history" if first >= long_ago else "long before"
    coming_end = on_month_day(year.end.year + 1, month_days.end)
    return "next year" if today > year.end and last <= coming_end else "after the year"


def outside_the_year(place: Place, year: SchoolYear) -> str:
    """How a warning says where a date that fits no plausible year lies."""
    which = (
        "after the school year"
        if place == "after the year"
        else f"more than {HISTORY_YEARS} years before the school year"
    )
    return f"{which} ({year.start.isoformat()} to {year.end.isoformat()})"
