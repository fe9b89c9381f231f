"""What one school's contacts say about it: months contacted, this month, the principal
meeting, cluster meetings and the celebration (PRODUCT.md §3)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from sheets_sync.core.months import MONTH_ABBR, month_index
from sheets_sync.core.year_calendar import YearCalendar

ThisMonth = Literal["Done", "Due", ""]
PrincipalState = Literal["Done", "Late", "Due", "Overdue"]
QuarterState = Literal["attended", "missed", "pending"]
CelebrationState = Literal["Done", "Not yet", "Missed"]

PRINCIPAL_MEETING = "Principal Meeting"
CLUSTER_MEETING = "Cluster Meeting"
CELEBRATION = "Celebration"


@dataclass(frozen=True, slots=True)
class MonthTally:
    """One month of the school year for one school: its counting contacts and its state."""

    year: int
    month: int
    contacts: int  # counting contacts dated that month (on or before today)
    required: bool
    begun: bool  # its first day is on or before today
    ended: bool  # its last day is before today

    @property
    def missed(self) -> bool:
        return self.required and self.ended and self.contacts == 0

    @property
    def abbr(self) -> str:
        return MONTH_ABBR[self.month - 1]

    @property
    def label(self) -> str:
        """`Aug 2025`, the Contact Calendar's column title."""
        return f"{self.abbr} {self.year}"


@dataclass(frozen=True, slots=True)
class QuarterStanding:
    """A cluster-meeting quarter that has begun: `number` is its place in `rules.quarters`."""

    number: int
    first: date
    last: date
    state: QuarterState
    attended_on: date | None = None  # the first cluster meeting inside it


@dataclass(frozen=True, slots=True)
class ContactSummary:
    """One school's counting contacts (on or before today), reduced to what the standing needs."""

    per_month: dict[int, int]  # contacts in the school year and a counting type, by month index
    last: date | None  # the latest of those
    principal: date | None  # the earliest principal meeting since the year's start
    clusters: list[date]  # cluster meetings in the year
    celebration: date | None  # the earliest celebration in the year


def summarise_contacts(
    contacts: list[tuple[date, str]], calendar: YearCalendar, counting: frozenset[str]
) -> ContactSummary:
    """`contacts` are (day, type) pairs that count, none after today."""
    start, end = calendar.year.start, calendar.year.end
    per_month: dict[int, int] = {}
    last: date | None = None
    principal: list[date] = []
    clusters: list[date] = []
    celebrations: list[date] = []
    for day, kind in contacts:
        in_year = start <= day <= end
        if in_year and kind in counting:
            index = month_index(day)
            per_month[index] = per_month.get(index, 0) + 1
            if last is None or day > last:
                last = day
        if kind == PRINCIPAL_MEETING and day >= start:
            # From the year's start to today, even past the year's end (then it is Late).
            principal.append(day)
        elif kind == CLUSTER_MEETING and in_year:
            clusters.append(day)
        elif kind == CELEBRATION and in_year:
            celebrations.append(day)
    return ContactSummary(
        per_month, last, min(principal, default=None), clusters, min(celebrations, default=None)
    )


def month_tallies(calendar: YearCalendar, per_month: dict[int, int]) -> tuple[MonthTally, ...]:
    return tuple(
        MonthTally(
            m.first.year, m.first.month, per_month.get(m.key, 0), m.required, m.begun, m.ended
        )
        for m in calendar.months
    )


def is_overdue(calendar: YearCalendar, per_month: dict[int, int]) -> bool:
    """The last required month that ended was missed, and this month has no contact yet."""
    last, now = calendar.last_ended_required, calendar.today_month
    this_month = 0 if now is None else per_month.get(now, 0)
    return last is not None and not per_month.get(last) and not this_month


def this_month(calendar: YearCalendar, per_month: dict[int, int]) -> tuple[ThisMonth, int | None]:
    """Done or Due (with the days left), or blank outside the year and in unrequired months."""
    index = calendar.today_month
    if index is None:
        return "", None
    if per_month.get(index):
        return "Done", None
    if index in calendar.required:
        return "Due", calendar.days_left
    return "", None


def principal_state(calendar: YearCalendar, met: date | None) -> PrincipalState:
    deadline = calendar.principal_deadline
    if met is not None:
        return "Done" if met <= deadline else "Late"
    return "Due" if calendar.today <= deadline else "Overdue"


def cluster_quarters(calendar: YearCalendar, clusters: list[date]) -> tuple[QuarterStanding, ...]:
    found: list[QuarterStanding] = []
    for quarter in calendar.quarters:
        inside = [day for day in clusters if quarter.first <= day <= quarter.last]
        state: QuarterState = (
            "attended" if inside else "missed" if quarter.last < calendar.today else "pending"
        )
        first_met = min(inside, default=None)
        found.append(QuarterStanding(quarter.number, quarter.first, quarter.last, state, first_met))
    return tuple(found)


def celebration_state(calendar: YearCalendar, held: date | None) -> CelebrationState:
    if held is not None:
        return "Done"
    return "Missed" if calendar.today > calendar.year.end else "Not yet"
