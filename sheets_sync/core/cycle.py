"""The core's one entry point: a workbook's raw tabs in; issues, standings and owned tabs out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from sheets_sync.core.contacts import read_contacts
from sheets_sync.core.grid import Grid, match_tab, near_match, tab_named
from sheets_sync.core.issues import NOT_LISTED, Issue, IssueLog, ordered
from sheets_sync.core.owned_tabs import (
    LoggedRow,
    RunEntry,
    calendar_table,
    issues_table,
    logged_rows,
    run_log_table,
    summary_table,
)
from sheets_sync.core.plan import read_plan
from sheets_sync.core.records import Activity, Contact, Member
from sheets_sync.core.roster import read_roster
from sheets_sync.core.schools import Directory, read_directory
from sheets_sync.core.settings import SchoolYear, Settings
from sheets_sync.core.sheet_zone import zone_issue
from sheets_sync.core.standing import Standing, compute_standings
from sheets_sync.core.table import Table
from sheets_sync.core.values import as_text, has_hidden, visible


@dataclass(frozen=True)
class Evaluation:
    directory: Directory
    members: list[Member]
    activities: list[Activity]
    contacts: list[Contact]
    issues: list[Issue]  # errors first, then by tab, row and column; then any not listed
    standings: list[Standing]  # one per active school
    not_listed: Mapping[str, int] = field(default_factory=dict)  # by severity, past the list
    earlier_rows: int = 0  # Contact Log and Action Plan rows of earlier years, not read

    @property
    def errors(self) -> int:
        return self._count("error")

    @property
    def warnings(self) -> int:
        return self._count("warning")

    def _count(self, severity: str) -> int:
        listed = sum(i.severity == severity and i.code != NOT_LISTED for i in self.issues)
        return listed + self.not_listed.get(severity, 0)


def evaluate(
    book: Mapping[str, Grid | None],
    settings: Settings,
    today: date,
    tab_names: Sequence[str] = (),
    sheet_zone: str = "",
) -> Evaluation:
    """Validate every input tab and compute each active school's standing as of `today`.

    `tab_names` are all the workbook's tabs, for naming the near match of a missing one;
    `sheet_zone` the time zone a Google Sheet writes a Form's times in ("" for a file)."""
    tabs = settings.tabs
    issues = IssueLog()
    if settings.year_over(today):
        issues.append(_year_over(settings.year, today))
    unclaimed = [n for n in tab_names if not _claimed(n, book, settings)]
    for key, name in tabs.inputs_by_key:
        if book.get(name) is None:
            issues.append(_missing_tab(name, key, near_match(name, unclaimed)))
    directory = read_directory(
        book.get(tabs.schools), book.get(tabs.facilitators), settings, issues
    )
    # Without a Schools tab every row elsewhere would name an "unknown" school: one issue is enough.
    known = book.get(tabs.schools) is not None
    members = read_roster(
        book.get(tabs.roster) if known else None, directory, settings, today, issues
    )
    activities = read_plan(
        book.get(tabs.plan) if known else None, directory, settings, today, issues
    )
    contacts = read_contacts(
        book.get(tabs.contacts) if known else None, directory, settings, today, issues
    )
    zone = zone_issue(book.get(tabs.contacts), tabs.contacts, sheet_zone, settings.timezone, today)
    if zone is not None:
        issues.append(zone)
    standings = compute_standings(
        directory.schools, members, activities, contacts, issues, settings, today
    )
    listed = ordered(issues, tabs.inputs) + issues.not_listed()
    return Evaluation(
        directory,
        members,
        activities,
        contacts,
        listed,
        standings,
        dict(issues.omitted),
        issues.earlier_rows,
    )


def owned_tables(
    evaluation: Evaluation,
    settings: Settings,
    now: datetime,
    entry: RunEntry,
    earlier_runs: Sequence[LoggedRow],
) -> list[Table]:
    """The four tabs the worker owns as of `now` (the run's local time), in writing order."""
    tabs = settings.tabs
    tables = [
        summary_table(evaluation.standings, settings, now),
        calendar_table(evaluation.standings, settings, now.date()),
        issues_table(evaluation.issues, tabs),
        run_log_table(earlier_runs, entry, tabs),
    ]
    return [_shown(table) for table in tables]


def _shown(table: Table) -> Table:
    """The table with control and bidi characters written out as <U+XXXX> in every text
    cell (a school's name typed with a right-to-left override cannot read as another)."""
    if not any(isinstance(c, str) and has_hidden(c) for row in table.rows for c in row):
        return table
    rows = [tuple(visible(c) if isinstance(c, str) else c for c in row) for row in table.rows]
    return replace(table, rows=rows)


@dataclass(frozen=True)
class WritePlan:
    """What a cycle writes, and any reason not to, decided before anything is written."""

    tables: list[Table]
    refused: str = ""  # why nothing may be written: a person's tab under an owned name


def plan_write(
    evaluation: Evaluation,
    settings: Settings,
    now: datetime,
    entry: RunEntry,
    book: Mapping[str, Grid | None],
    earlier_runs: Sequence[LoggedRow] | None = None,
    year_record: Table | None = None,
) -> WritePlan:
    """The owned tables from this evaluation and the book as read, and whether to write.

    `earlier_runs` are the Run Log's rows as the state folder keeps them; None (no state
    yet) takes them from the tab as read. `year_record` is an ended year's tab, written once.
    """
    if earlier_runs is None:
        earlier_runs = logged_rows(book.get(settings.tabs.run_log))
    tables = owned_tables(evaluation, settings, now, entry, earlier_runs)
    if year_record is not None:
        tables.append(_shown(year_record))
    return WritePlan(tables, _tab_of_people(book, tables))


def _tab_of_people(book: Mapping[str, Grid | None], tables: Sequence[Table]) -> str:
    """Why a write would replace a tab that a person made under an owned tab's name, or "".

    A tab is the worker's when it is empty or its row 1 starts as the worker writes it; the
    first two titles are enough to tell, and stay the same when config changes the months.
    """
    for table in tables:
        grid = book.get(table.name)
        first_row = [as_text(v) for v in grid[0][:2]] if grid else []
        if grid and any(grid) and first_row != list(table.header[:2]):
            return (
                f'The workbook has a tab "{table.name}" that sheets-sync did not write (its row 1 '
                f"is not the {table.name} header), so nothing was written, to keep it. Rename "
                f"that tab, or set another name for the worker's tab under [tabs] in the config."
            )
    return ""


def _year_over(year: SchoolYear, today: date) -> Issue:
    """A fixed year run outside its dates: one issue for the whole workbook."""
    span = f"{year.start.isoformat()} to {year.end.isoformat()}"
    rolls = f'start = "{year.start:%m-%d}" and end = "{year.end:%m-%d}"'
    if today > year.end:
        said = f"ended on {year.end.isoformat()}"
        now = year.rolling().year_of(today)
        fix = (
            f"In the config, set [school_year] {rolls} so the year rolls on by itself, or set "
            f"the dates of this year: start = {now.start.isoformat()}, end = "
            f"{now.end.isoformat()}."
        )
    else:
        said = f"has not begun (it starts {year.start.isoformat()})"
        fix = (
            f"Wait for it to begin, or set [school_year] {rolls} in the config so the year "
            "rolls on by itself."
        )
    return Issue(
        "error",
        "[school_year]",
        "",
        "year.over",
        f"The school year set in the config ({span}) {said}; today is {today.isoformat()}. "
        "Standing is shown as of that year, and no email is sent.",
        fix,
    )


def _claimed(name: str, book: Mapping[str, Grid | None], settings: Settings) -> bool:
    """A tab some configured name already reads, or one the worker writes."""
    tabs = settings.tabs
    found = [match_tab([name], wanted) for wanted in tabs.inputs if book.get(wanted) is not None]
    owned = [tab_named([name], wanted) for wanted in tabs.owned]
    return any(found) or any(owned) or name.startswith("Year ")


def _missing_tab(name: str, key: str, near: str | None) -> Issue:
    if near is not None:
        return Issue(
            "error",
            name,
            "",
            "tab.missing",
            f'The workbook has no "{name}" tab; the tab "{near}" looks like it.',
            f'Rename that tab to "{name}", or set [tabs] {key} = "{near}" in the config.',
        )
    return Issue(
        "error",
        name,
        "",
        "tab.missing",
        f'The workbook has no "{name}" tab.',
        f'Add a tab named "{name}" with its header row, or run `sheets-sync init` to add '
        "every missing tab.",
    )
