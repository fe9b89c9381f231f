"""The record of a school year that has ended: each school's final standing and the district's
totals, the figures a district reports in its annual evaluation. Written once, as the tab
`Year 2025-26`, by the first run after the year ends, and never rewritten."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, timedelta

from sheets_sync.core.cycle import Evaluation, evaluate
from sheets_sync.core.grid import Grid
from sheets_sync.core.records import Activity
from sheets_sync.core.settings import SchoolYear, Settings
from sheets_sync.core.standing import Standing
from sheets_sync.core.standing_text import (
    celebration_text,
    missed_months_text,
    principal_meeting_text,
)
from sheets_sync.core.table import Cell, Column, Table

YEAR_COLUMNS = (
    Column("School", 30),
    Column("Code", 8),
    Column("Facilitator", 20),
    Column("Months Contacted", 10),
    Column("Months Required", 10),
    Column("Missed Months", 16),
    Column("Principal Meeting", 18),
    Column("Cluster Meetings Attended", 10),
    Column("Quarters", 10),
    Column("Celebration", 16),
    Column("Plan Activities", 10),
    Column("Activities Done", 10),
    Column("Done and Evaluated", 10),
    Column("Types Covered", 10),
    Column("Data Errors", 10),
)


def ended_year(settings: Settings, today: date) -> SchoolYear:
    """The latest school year to have ended by `today`: the one the run works in once it is
    over (the summer, or a fixed year past its end), else the one before it."""
    year = settings.year
    if today > year.end:
        return year
    return year.rolling().year_of(year.start - timedelta(days=1))


def year_tab(year: SchoolYear) -> str:
    return f"Year {year.name}"


def year_record(
    book: Mapping[str, Grid | None], settings: Settings, today: date, this: Evaluation
) -> Table | None:
    """The tab for the latest ended year, or None when the workbook holds none of its rows
    (a district that began with this year has nothing to record). `this` is the run's own
    evaluation: the ended year's own once it is over, and else it says whether the workbook
    holds earlier years' rows at all (without, there is nothing to work out again)."""
    year = ended_year(settings, today)
    if year == settings.year:
        evaluation = this
    elif this.earlier_rows:
        evaluation = evaluate(book, replace(settings, year=year, fixed_year=False), today)
    else:
        return None
    dated_in_year = any(
        c.day and year.start <= c.day <= year.end for c in evaluation.contacts
    ) or any(
        a.when and a.when.last >= year.start and a.when.first <= year.end
        for a in evaluation.activities
    )
    if not dated_in_year:  # undated rows belong to no year in particular
        return None
    by_school: dict[str, list[Activity]] = {}
    for activity in evaluation.activities:
        by_school.setdefault(activity.school, []).append(activity)
    rows = [
        _school_row(s, by_school.get(s.name, []))
        for s in sorted(evaluation.standings, key=lambda s: (s.name.casefold(), s.name))
    ]
    return Table(year_tab(year), YEAR_COLUMNS, [*rows, _totals(evaluation, rows)], frozen_columns=1)


def _school_row(s: Standing, activities: Sequence[Activity]) -> tuple[Cell, ...]:
    required = [m for m in s.months if m.required]
    done = [a for a in activities if a.status == "Done"]
    return (
        s.name,
        s.code,
        s.facilitator,
        sum(1 for m in required if m.contacts),
        len(required),
        missed_months_text(s),
        _principal(s),
        sum(1 for q in s.quarters if q.state == "attended"),
        len(s.quarters),
        celebration_text(s) if s.celebration_on else "Missed",
        s.plan_activities,
        len(done),
        sum(1 for a in done if a.evaluated),
        len(s.types_covered),
        s.errors,
    )


def _principal(s: Standing) -> str:
    """`Done 2025-09-10`, `Late 2025-10-15`, or `Missed`: the year is over."""
    return principal_meeting_text(s) if s.principal_meeting_on else "Missed"


def _totals(evaluation: Evaluation, rows: Sequence[tuple[Cell, ...]]) -> tuple[Cell, ...]:
    """The district's line: sums, and how many schools did each once-a-year thing."""
    schools = len(rows)

    def total(column: int) -> int:
        return sum(cell for row in rows if isinstance(cell := row[column], int))

    def held(column: int) -> str:
        count = sum(1 for row in rows if str(row[column]).startswith(("Done", "Late")))
        return f"{count} of {schools} held"

    missed = sum(len(s.missed_months) for s in evaluation.standings)
    return (
        f"District total ({schools} schools)",
        "",
        "",
        total(3),
        total(4),
        f"{missed} missed",
        held(6),
        total(7),
        total(8),
        held(9),
        total(10),
        total(11),
        total(12),
        f"{sum(1 for row in rows if row[13] == 6)} of {schools} cover all 6",
        total(14),
    )
