"""The tabs the worker owns (Summary, Contact Calendar, Data Issues, Run Log) as tables."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from sheets_sync.core.grid import header_key
from sheets_sync.core.issues import Issue, ordered
from sheets_sync.core.months import month_first, month_label, year_months
from sheets_sync.core.results import Result
from sheets_sync.core.school_status import STATUS_ORDER
from sheets_sync.core.settings import Settings, TabNames, on_month_day
from sheets_sync.core.standing import Standing
from sheets_sync.core.standing_text import (
    celebration_text,
    cluster_text,
    missed_months_text,
    principal_meeting_text,
    team_check,
    this_month_text,
    types_text,
)
from sheets_sync.core.table import TONES, Cell, Chart, Column, Link, Panel, Table
from sheets_sync.core.vocab import InvolvementTypes

RUN_LOG_LIMIT = 500  # rows kept under the header, the new one included

SUMMARY_COLUMNS = (
    Column("School", 30),
    Column("Code", 8),
    Column("Facilitator", 20),
    Column("Status", 16, toned=True),
    Column("Why", 60, wrapped=True),  # what keeps a school from On track, in a few words
    Column("Team Members", 9),
    Column("Team Check", 44),
    Column("Plan Activities", 9),
    Column("Types Covered", 44),
    Column("Last Contact", 12, dated="date"),
    Column("Days Since Contact", 10),
    Column("This Month", 18),
    Column("Missed Months", 18),
    Column("Principal Meeting", 18, toned=True),  # only "Overdue" takes a colour
    Column("Cluster Meetings", 32),
    Column("Celebration", 16),
    Column("Evaluations Due", 10),
    Column("Data Errors", 8),
    Column("Data Warnings", 9),
)

# School to Why is what a leader reads at a glance; the figures behind it open with a click.
SUMMARY_DETAILS = ([c.title for c in SUMMARY_COLUMNS].index("Team Members"), len(SUMMARY_COLUMNS))

ISSUE_COLUMNS = (
    Column("Severity", 9, toned=True),
    Column("Tab", 14),
    Column("Cell", 7),
    Column("School", 28),
    Column("Problem", 60, wrapped=True),
    Column("How to Fix", 60, wrapped=True),
    Column("Code", 24),
)

RUN_LOG_COLUMNS = (
    Column("Run At", 17),
    Column("Result", 11, toned=True),
    Column("Schools", 8),
    Column("Errors", 8),
    Column("Warnings", 9),
    Column("Emails Sent", 8),
    Column("Emails Failed", 8),
    Column("Seconds", 8),
    Column("Note", 60, wrapped=True),
)


LoggedRow = tuple[Cell, ...]  # one run as the Run Log shows it


@dataclass(frozen=True, slots=True)
class RunEntry:
    """One run, as the Run Log's newest row."""

    run_at: str  # local time, "2026-11-22 07:00"
    result: Result  # ok, errors or failed: a row is only seen when the tabs were written
    schools: int = 0
    errors: int = 0
    warnings: int = 0
    emails_sent: int = 0
    emails_failed: int = 0
    seconds: float = 0.0  # the cycle's time up to its write; rounded to 0.1 in the log
    note: str = ""


def summary_table(standings: Sequence[Standing], settings: Settings, now: datetime) -> Table:
    """One row per school: Overdue first, then Needs attention, then On track, by name; beside
    it, as of when (`now`, the run's local time) and how many schools have each status.

    Run outside a fixed school year's dates, no school is shown as Overdue for months of a
    year that is over: each says the year has ended (or not begun), and the panel says why."""
    rank = {status: i for i, status in enumerate(STATUS_ORDER)}
    in_order = sorted(standings, key=lambda s: (rank[s.status], s.name.casefold(), s.name))
    held = _outside_fixed_year(settings, now.date())
    types = InvolvementTypes(settings.framework)
    rows: list[tuple[Cell, ...]] = [
        (
            s.name,
            s.code,
            s.facilitator,
            held[0] if held else s.status,
            held[1] if held else "" if s.status == "On track" else "; ".join(s.reasons),
            s.team_members,
            team_check(s),
            s.plan_activities,
            types_text(s, types),
            s.last_contact,
            s.days_since_contact,
            this_month_text(s),
            missed_months_text(s),
            principal_meeting_text(s),
            cluster_text(s),
            celebration_text(s),
            s.evaluations_due_count,
            s.errors,
            s.warnings,
        )
        for s in in_order
    ]
    panel = _as_of_panel([row[3] for row in rows], now, _year_notice(settings, now.date()))
    return Table(
        settings.tabs.summary,
        SUMMARY_COLUMNS,
        rows,
        frozen_columns=1,
        panel=panel,
        folded=SUMMARY_DETAILS,
    )


def _as_of_panel(statuses: Sequence[Cell], now: datetime, notice: str) -> Panel:
    """The run's local date and time, the count of schools with each status, and a notice."""
    zone = getattr(now.tzinfo, "key", None) or now.tzname() or "local time"
    columns = (
        Column(f"As of ({zone})", 16, dated="datetime"),
        *(Column(status, 8) for status in STATUS_ORDER),
    )
    counts = tuple(statuses.count(status) for status in STATUS_ORDER)
    rows: tuple[tuple[Cell, ...], ...] = ((now.replace(tzinfo=None), *counts),)
    chart = Chart("Schools by status", 1, 4, tuple(TONES[status] for status in STATUS_ORDER))
    return Panel(columns, (*rows, (notice,)) if notice else rows, chart)


def _outside_fixed_year(settings: Settings, today: date) -> tuple[str, str] | None:
    """The Status and Why every school shows when a fixed school year is over or not begun."""
    year = settings.year
    if not settings.year_over(today):
        return None
    if today > year.end:
        return "Year ended", f"the school year in the config ended on {year.end.isoformat()}"
    return "Not begun", f"the school year in the config starts on {year.start.isoformat()}"


def _year_notice(settings: Settings, today: date) -> str:
    """A line under the counts when the Summary is not this school year's standing."""
    year = settings.year
    if settings.year_over(today):
        said = (
            f"ended on {year.end.isoformat()}"
            if today > year.end
            else f"has not begun (it starts on {year.start.isoformat()})"
        )
        return (
            f"The school year set in the config ({year.start.isoformat()} to "
            f"{year.end.isoformat()}) {said}: see Data Issues for the edit to make."
        )
    if settings.in_summer(today):  # the year just ended stays in view until the next
        begins = on_month_day(year.start.year + 1, year.rolling().start)
        return (
            f"School year {year.name} ended on {year.end.isoformat()}: this is its final "
            f"standing. The next year begins on {begins.isoformat()}."
        )
    return ""


def calendar_table(standings: Sequence[Standing], settings: Settings, today: date) -> Table:
    """Counting contacts per school and month; MISSED for a required month that ended empty."""
    months = year_months(settings.year)
    firsts = [month_first(i) for i in months]
    columns = (
        Column("School", 30),
        Column("Facilitator", 20),
        *(Column(month_label(i), 9, toned=True) for i in months),
    )
    rows: list[tuple[Cell, ...]] = []
    for s in sorted(standings, key=lambda s: (s.name.casefold(), s.name)):
        tallies = {(t.year, t.month): t for t in s.months}
        cells: list[Cell] = [s.name, s.facilitator]
        for first in firsts:
            tally = tallies.get((first.year, first.month))
            if first > today:
                cells.append(None)  # not begun
            elif tally is not None and tally.missed:
                cells.append("MISSED")
            else:
                cells.append(tally.contacts if tally is not None else 0)
        rows.append(tuple(cells))
    return Table(settings.tabs.calendar, columns, rows, frozen_columns=1)


def issues_table(issues: Sequence[Issue], tabs: TabNames) -> Table:
    """Every issue: errors first, then by tab in the workbook's order, row and column; each
    cell reference opens that cell."""
    tabs_of_cells = set(tabs.inputs)
    rows: list[tuple[Cell, ...]] = [
        (
            i.severity,
            i.tab,
            Link(i.cell, i.tab, i.cell) if i.cell and i.tab in tabs_of_cells else i.cell,
            i.school,
            i.problem,
            i.fix,
            i.code,
        )
        for i in ordered(list(issues), tabs.inputs)
    ]
    return Table(tabs.issues, ISSUE_COLUMNS, rows)


def run_log_table(earlier: Sequence[LoggedRow], entry: RunEntry, tabs: TabNames) -> Table:
    """The new run on top of the earlier runs' rows (newest first), the last 500 kept."""
    newest: LoggedRow = (
        entry.run_at,
        entry.result,
        entry.schools,
        entry.errors,
        entry.warnings,
        entry.emails_sent,
        entry.emails_failed,
        round(entry.seconds, 1),
        entry.note,
    )
    return Table(tabs.run_log, RUN_LOG_COLUMNS, [newest, *earlier[: RUN_LOG_LIMIT - 1]])


_COUNT_COLUMNS = frozenset(range(2, 7))  # Schools .. Emails Failed


def logged_rows(previous: Sequence[object] | None) -> list[LoggedRow]:
    """The runs in a Run Log tab as read (row 0 its header; None when there is no such tab).

    People may have typed anything there: odd values are kept as text, never fatal.
    """
    if not previous:
        return []
    places = _column_places(previous[0])
    rows: list[LoggedRow] = []
    for row in previous[1:]:
        if not isinstance(row, list | tuple):
            continue
        cells = tuple(
            logged_cell(row[at] if at is not None and at < len(row) else None, column)
            for column, at in enumerate(places)
        )
        if any(cell is not None and cell != "" for cell in cells):
            rows.append(cells)
        if len(rows) >= RUN_LOG_LIMIT:
            break
    return rows


def _column_places(header: object) -> list[int | None]:
    """Where each Run Log column sits in the tab read back: by its header, else in its place."""
    titles = header if isinstance(header, list | tuple) else []
    keys = {header_key(v): at for at, v in reversed(list(enumerate(titles))) if isinstance(v, str)}
    found = [keys.get(header_key(c.title)) for c in RUN_LOG_COLUMNS]
    taken = {at for at in found if at is not None}
    return [
        at if at is not None else None if place in taken else place
        for place, at in enumerate(found)
    ]


def logged_cell(value: object, column: int) -> Cell:
    """A value read back from the tab, as a cell that writes back the same."""
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, bool):  # before int: a bool is an int
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and math.isfinite(value):
        return int(value) if column in _COUNT_COLUMNS and value.is_integer() else value
    if value is None or isinstance(value, int):
        return value
    return _as_text(value)


def _as_text(value: object) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)  # NaN, a timedelta, anything else a backend might hand over
