"""Everything the core needs to know about a district's program, as plain frozen values.

The shell builds these from the config file; tests build them directly.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Literal

Framework = Literal["nnps", "pta"]

CONTACT_TYPES = (
    "Site Visit",
    "Team Meeting",
    "Phone",
    "Email",
    "Virtual Meeting",
    "Training",
    "Cluster Meeting",
    "Principal Meeting",
    "Celebration",
    "Presentation",
    "Other",
)
DEFAULT_COUNTING_TYPES = frozenset(CONTACT_TYPES) - {"Presentation", "Other"}
GOAL_TYPES = ("Academic", "Behavior", "Climate of Partnership")


@dataclass(frozen=True)
class SchoolYear:
    start: date = date(2025, 8, 1)
    end: date = date(2026, 6, 30)

    @property
    def name(self) -> str:
        """`2025-26`; a year within one calendar year is named by it (`2026`)."""
        if self.start.year == self.end.year:
            return str(self.start.year)
        return f"{self.start.year}-{self.end.year % 100:02d}"

    def rolling(self) -> YearRule:
        """The rule that rolls this year's month-days on from year to year."""
        return YearRule((self.start.month, self.start.day), (self.end.month, self.end.day))


MonthDay = tuple[int, int]  # (month, day)


@dataclass(frozen=True)
class YearRule:
    """How the config sets the school year: by month-days, the year that contains today
    (rolling on by itself), or by full dates, one fixed year."""

    start: MonthDay = (8, 1)
    end: MonthDay = (6, 30)
    fixed: SchoolYear | None = None

    def year_of(self, today: date) -> SchoolYear:
        """The year a run on `today` works in: the fixed one, or the latest to have begun by
        `today` (between one year's end and the next one's start, the year just ended)."""
        if self.fixed is not None:
            return self.fixed
        start = on_month_day(today.year, self.start)
        if start > today:
            start = on_month_day(today.year - 1, self.start)
        end = on_month_day(start.year, self.end)
        if end <= start:
            end = on_month_day(start.year + 1, self.end)
        return SchoolYear(start, end)


def on_month_day(year: int, month_day: MonthDay) -> date:
    """That month-day in `year`; 29 February is the 28th when the year has none."""
    month, day = month_day
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Rules:
    required_months: tuple[int, ...] = (9, 10, 11, 12, 1, 2, 3, 4, 5)  # month numbers
    counting_types: frozenset[str] = DEFAULT_COUNTING_TYPES
    due_soon_days: int = 7
    principal_meeting_by: tuple[int, int] = (9, 30)  # (month, day) inside the school year
    quarters: tuple[tuple[int, int], ...] = (
        (8, 10),
        (11, 1),
        (2, 4),
        (5, 6),
    )  # (first, last) month
    team_min: int = 6
    team_max: int = 12
    min_teachers: int = 2
    min_families: int = 2
    min_students_high_school: int = 2
    goal_mix: Mapping[str, int] = field(
        default_factory=lambda: MappingProxyType(
            {"Academic": 2, "Behavior": 1, "Climate of Partnership": 1}
        )
    )
    evaluation_grace_days: int = 14
    day_first: bool = False  # numeric dates such as 3/10/2025


@dataclass(frozen=True)
class TabNames:
    schools: str = "Schools"
    facilitators: str = "Facilitators"
    roster: str = "Team Roster"
    plan: str = "Action Plan"
    contacts: str = "Contact Log"
    summary: str = "Summary"
    calendar: str = "Contact Calendar"
    issues: str = "Data Issues"
    run_log: str = "Run Log"

    @property
    def inputs(self) -> tuple[str, ...]:
        return tuple(name for _, name in self.inputs_by_key)

    @property
    def inputs_by_key(self) -> tuple[tuple[str, str], ...]:
        """Each input tab as (its [tabs] key, its name), in the workbook's order."""
        return (
            ("schools", self.schools),
            ("facilitators", self.facilitators),
            ("roster", self.roster),
            ("plan", self.plan),
            ("contacts", self.contacts),
        )

    @property
    def owned(self) -> tuple[str, ...]:
        return (self.summary, self.calendar, self.issues, self.run_log)


@dataclass(frozen=True)
class NamedColumn:
    """An input column the district heads in its own words ([columns] in the config)."""

    title: str  # the column's own title: "Facilitator"
    header: str  # the district's header for it: "Your name"
    key: str  # as the config names it: "contacts.facilitator"


@dataclass(frozen=True)
class Settings:
    """The core's whole view of the config."""

    year: SchoolYear = SchoolYear()
    fixed_year: bool = False  # the config named full dates: past them, the year is over
    rules: Rules = Rules()
    tabs: TabNames = TabNames()
    framework: Framework = "nnps"
    allowed_domains: tuple[str, ...] = ()  # empty: every domain may be emailed
    columns: Mapping[str, tuple[NamedColumn, ...]] = field(default_factory=dict)  # by tab key
    timezone: str = ""  # the district's ([program] timezone); "": not compared with the sheet's

    def year_over(self, today: date) -> bool:
        """A fixed school year run outside its dates (ended, or not begun)."""
        return self.fixed_year and not self.year.start <= today <= self.year.end

    def in_summer(self, today: date) -> bool:
        """A rolling year between its end and the next one's start: the year just ended."""
        return not self.fixed_year and today > self.year.end
