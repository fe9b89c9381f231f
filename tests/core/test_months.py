"""The school year's calendar (months as indexes, deadlines, the year of a day), by hand."""

from __future__ import annotations

from datetime import date

import pytest

from sheets_sync.core.months import (
    MONTH_ABBR,
    deadline_in_year,
    last_ended_required,
    month_first,
    month_index,
    month_label,
    month_last,
    month_number,
    required_months,
    year_months,
)
from sheets_sync.core.settings import SchoolYear, YearRule

YEAR = SchoolYear(date(2025, 8, 1), date(2026, 6, 30))
SEP_TO_MAY = (9, 10, 11, 12, 1, 2, 3, 4, 5)
AUG_2025 = 2025 * 12 + 7


@pytest.mark.parametrize(
    ("word", "number"),
    [
        ("Sep", 9),
        ("sept", 9),
        ("SEPTEMBER", 9),
        (" Sept. ", 9),
        ("jan", 1),
        ("December", 12),
        ("May", 5),
        ("Septem", None),
        ("Se", None),
        ("", None),
        ("13", None),
    ],
)
def test_month_number_reads_english_names_in_any_case(word: str, number: int | None) -> None:
    """Full names, three-letter abbreviations and `Sept` in any case; nothing else."""
    assert month_number(word) == number


def test_month_abbreviations_are_fixed_english() -> None:
    """Twelve three-letter English abbreviations, January first, whatever the locale."""
    assert MONTH_ABBR == (
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
    )  # fmt: skip


def test_month_index_first_last_and_label() -> None:
    """August 2025 is 2025 * 12 + 7; February 2024 ends on the 29th, 2026 on the 28th."""
    assert month_index(date(2025, 8, 31)) == AUG_2025
    assert month_first(AUG_2025) == date(2025, 8, 1)
    assert month_last(AUG_2025 + 4) == date(2025, 12, 31)
    assert month_last(month_index(date(2024, 2, 1))) == date(2024, 2, 29)
    assert month_last(month_index(date(2026, 2, 1))) == date(2026, 2, 28)
    assert month_label(AUG_2025 + 5) == "Jan 2026"


def test_the_years_months_and_its_required_ones() -> None:
    """Aug 2025 .. Jun 2026 is eleven months; Sep..May are nine of them, Aug and Jun are not."""
    months = year_months(YEAR)
    assert [month_label(i) for i in (months[0], months[-1])] == ["Aug 2025", "Jun 2026"]
    assert len(months) == 11
    required = required_months(YEAR, SEP_TO_MAY)
    assert sorted(required) == list(range(AUG_2025 + 1, AUG_2025 + 10))


@pytest.mark.parametrize(
    ("today", "label"),
    [
        (date(2025, 9, 30), None),  # September's last day: not ended yet
        (date(2025, 10, 1), "Sep 2025"),
        (date(2026, 1, 15), "Dec 2025"),
        (date(2026, 6, 1), "May 2026"),
        (date(2026, 7, 10), "May 2026"),  # June is not required
    ],
)
def test_last_ended_required_month(today: date, label: str | None) -> None:
    """The latest required month whose last day is before today."""
    found = last_ended_required(YEAR, SEP_TO_MAY, today)
    assert (None if found is None else month_label(found)) == label


@pytest.mark.parametrize(
    ("year", "month_day", "deadline"),
    [
        (YEAR, (9, 30), date(2025, 9, 30)),
        (YEAR, (8, 1), date(2025, 8, 1)),  # the start itself
        (YEAR, (7, 31), date(2026, 7, 31)),  # before the start in 2025: next July
        (SchoolYear(date(2025, 10, 1), date(2026, 9, 30)), (9, 30), date(2026, 9, 30)),
        (SchoolYear(date(2027, 8, 1), date(2028, 6, 30)), (2, 29), date(2028, 2, 29)),
        (YEAR, (2, 29), date(2026, 2, 28)),  # 2026 has no 29 February
    ],
)
def test_deadline_in_year(year: SchoolYear, month_day: tuple[int, int], deadline: date) -> None:
    """The first day on or after the year's start with that month and day."""
    assert deadline_in_year(year, month_day) == deadline


@pytest.mark.parametrize(
    ("today", "start", "end"),
    [
        (date(2025, 8, 1), date(2025, 8, 1), date(2026, 6, 30)),
        (date(2025, 12, 31), date(2025, 8, 1), date(2026, 6, 30)),
        (date(2026, 6, 30), date(2025, 8, 1), date(2026, 6, 30)),
        (date(2026, 7, 15), date(2025, 8, 1), date(2026, 6, 30)),  # summer: the year just ended
        (date(2026, 7, 31), date(2025, 8, 1), date(2026, 6, 30)),
        (date(2026, 8, 1), date(2026, 8, 1), date(2027, 6, 30)),  # the next one has begun
        (date(2026, 12, 7), date(2026, 8, 1), date(2027, 6, 30)),
    ],
)
def test_a_rolling_year_is_the_latest_begun_by_today(today: date, start: date, end: date) -> None:
    assert YearRule().year_of(today) == SchoolYear(start, end)


def test_rolling_years_of_other_shapes() -> None:
    """A year inside one calendar year; a start on 29 February in a year without one."""
    assert YearRule((1, 5), (12, 18)).year_of(date(2027, 3, 1)) == SchoolYear(
        date(2027, 1, 5), date(2027, 12, 18)
    )
    assert YearRule((1, 5), (12, 18)).year_of(date(2027, 1, 4)) == SchoolYear(
        date(2026, 1, 5), date(2026, 12, 18)
    )
    assert YearRule((2, 29), (2, 1)).year_of(date(2027, 3, 1)) == SchoolYear(
        date(2027, 2, 28), date(2028, 2, 1)
    )


def test_a_fixed_year_is_the_same_whatever_today() -> None:
    fixed = SchoolYear(date(2025, 8, 1), date(2026, 6, 30))
    assert YearRule(fixed=fixed).year_of(date(2026, 12, 7)) == fixed


def test_a_year_is_named_by_its_calendar_years() -> None:
    assert SchoolYear(date(2026, 8, 1), date(2027, 6, 30)).name == "2026-27"
    assert SchoolYear(date(2099, 8, 1), date(2100, 6, 30)).name == "2099-00"
    assert SchoolYear(date(2027, 1, 5), date(2027, 12, 18)).name == "2027"
