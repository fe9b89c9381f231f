"""The tabs the worker owns, with values worked out by hand from PRODUCT.md §4.

The school year is the default 2025-08-01..2026-06-30 with required months Sep..May.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sheets_sync.core.issues import Issue, Severity
from sheets_sync.core.owned_tabs import (
    RUN_LOG_LIMIT,
    RunEntry,
    calendar_table,
    issues_table,
    logged_rows,
    run_log_table,
    summary_table,
)
from sheets_sync.core.records import Activity, Contact, Member, School
from sheets_sync.core.settings import SchoolYear, Settings, TabNames
from sheets_sync.core.standing import Standing, compute_standings
from sheets_sync.core.table import Link, laid_out

SETTINGS = Settings()
TABS = TabNames()
DENVER = ZoneInfo("America/Denver")
NOW = datetime(2025, 10, 15, 7, 0, tzinfo=DENVER)


def school(name: str, facilitator: str | None = "Pat Lee", code: str = "") -> School:
    return School(name=name, row=2, code=code, facilitator=facilitator)


def contact(day: str, name: str, kind: str = "Site Visit") -> Contact:
    return Contact(row=2, day=date.fromisoformat(day), schools=(name,), type=kind, counts=True)


def standings(
    schools: list[School],
    contacts: list[Contact],
    today: str,
    *,
    activities: Sequence[Activity] = (),
    members: Sequence[Member] = (),
    issues: Sequence[Issue] = (),
) -> list[Standing]:
    return compute_standings(
        schools, members, activities, contacts, issues, SETTINGS, date.fromisoformat(today)
    )


# -- Summary -------------------------------------------------------------------------------


def test_summary_columns_in_order_with_status_toned() -> None:
    """The Summary has exactly the contract's columns, in order, and Status carries colour."""
    table = summary_table([], SETTINGS, NOW)
    assert table.name == "Summary"
    assert table.header == (
        "School",
        "Code",
        "Facilitator",
        "Status",
        "Why",
        "Team Members",
        "Team Check",
        "Plan Activities",
        "Types Covered",
        "Last Contact",
        "Days Since Contact",
        "This Month",
        "Missed Months",
        "Principal Meeting",
        "Cluster Meetings",
        "Celebration",
        "Evaluations Due",
        "Data Errors",
        "Data Warnings",
    )
    assert next(c for c in table.columns if c.title == "Status").toned
    assert table.rows == []


def test_summary_sorted_by_status_then_name_ignoring_case() -> None:
    """Overdue first, then Needs attention, then On track, each by name whatever its case."""
    on_time = [contact("2025-09-12", n, "Principal Meeting") for n in ("apple ES", "Banana ES")]
    on_time += [contact("2025-10-02", n) for n in ("apple ES", "Banana ES")]
    # beta MS: Sep and Oct visited but no principal meeting -> Needs attention.
    beta = [contact("2025-09-05", "beta MS"), contact("2025-10-02", "beta MS")]
    # charlie ES and Zeta HS: nothing at all -> Sep missed, none in Oct -> Overdue.
    names = ["Zeta HS", "Banana ES", "beta MS", "charlie ES", "apple ES"]
    found = standings([school(n) for n in names], on_time + beta, "2025-10-10")
    rows = summary_table(found, SETTINGS, NOW).rows
    assert [(r[0], r[3]) for r in rows] == [
        ("charlie ES", "Overdue"),
        ("Zeta HS", "Overdue"),
        ("beta MS", "Needs attention"),
        ("apple ES", "On track"),
        ("Banana ES", "On track"),
    ]


def test_summary_row_values() -> None:
    """One school's row on 15 Oct, every cell worked out by hand."""
    contacts = [
        contact("2025-10-03", "Adams ES", "Principal Meeting"),  # late, and Oct's contact
        contact("2025-10-07", "Adams ES", "Cluster Meeting"),  # Q1 attended
    ]
    activities = [
        Activity("Adams ES", 2, "Reading", "Academic", "Night", 1, None, "Done"),  # eval due
        Activity("Adams ES", 3, "Reading", "Academic", "Night", 2),
    ]
    members = [Member("Adams ES", row) for row in range(2, 9)]  # 7 members
    issues = [
        Issue("warning", "Team Roster", "", "roster.no-community", "p", "f", ("Adams ES",)),
        Issue("error", "Team Roster", "B4", "cell.required", "p", "f", ("Adams ES",), 4, 2),
    ]
    found = standings(
        [school("Adams ES", code="0042")],
        contacts,
        "2025-10-15",
        activities=activities,
        members=members,
        issues=issues,
    )
    (row,) = summary_table(found, SETTINGS, NOW).rows
    assert row == (
        "Adams ES",
        "0042",
        "Pat Lee",
        "Needs attention",  # Sep missed, but Oct has a contact
        "no contact in Sep; 1 evaluation due; 1 data error",  # in the rules' order
        7,
        "no community member",
        2,
        "2 of 6 (missing 3 Volunteering, 4 Learning at Home, 5 Decision Making, "
        "6 Collaborating with Community)",
        date(2025, 10, 7),  # a real date
        8,  # 15 - 7
        "Done",
        "Sep",
        "Late 2025-10-03",
        "Q1 attended",
        "Not yet",
        1,
        1,
        1,
    )


def test_summary_blank_cells_for_a_school_with_nothing() -> None:
    """No facilitator, no contact: blank text cells and None for the days since contact."""
    found = standings([school("Cole HS", facilitator=None)], [], "2025-08-10")
    (row,) = summary_table(found, SETTINGS, NOW).rows
    assert row[2] == ""  # Facilitator
    assert row[3:5] == ("On track", "")  # nothing has ended on 10 Aug: no reason to give
    assert row[9:13] == (None, None, "", "")  # Last Contact, Days Since, This Month, Missed
    assert row[14] == "Q1 pending"


def test_beside_the_summary_as_of_when_and_how_many_schools_of_each_status() -> None:
    """Right of the last column, after a blank one: the run's local time under "As of" with
    the district's zone, and the count of schools of each status (from the sorting test:
    two Overdue, one Needs attention, two On track)."""
    on_time = [contact("2025-09-12", n, "Principal Meeting") for n in ("apple ES", "Banana ES")]
    on_time += [contact("2025-10-02", n) for n in ("apple ES", "Banana ES")]
    beta = [contact("2025-09-05", "beta MS"), contact("2025-10-02", "beta MS")]
    names = ["Zeta HS", "Banana ES", "beta MS", "charlie ES", "apple ES"]
    found = standings([school(n) for n in names], on_time + beta, "2025-10-10")
    table = summary_table(found, SETTINGS, datetime(2025, 10, 10, 7, 0, tzinfo=DENVER))
    columns, rows = laid_out(table)
    assert [c.title for c in columns[19:]] == [
        "",
        "As of (America/Denver)",
        "Overdue",
        "Needs attention",
        "On track",
    ]
    assert rows[0][19:] == (None, datetime(2025, 10, 10, 7, 0), 2, 1, 2)
    assert [len(row) for row in rows[1:]] == [19] * 4  # the table's other rows stay as they were
    assert columns[20].dated == "datetime"


def test_with_no_school_the_counts_still_stand_beside_an_empty_table() -> None:
    columns, rows = laid_out(summary_table([], SETTINGS, NOW))
    assert len(columns) == 24
    assert rows == [(None,) * 20 + (datetime(2025, 10, 15, 7, 0), 0, 0, 0)]


def test_past_a_fixed_years_end_no_school_is_overdue_and_the_summary_says_why() -> None:
    """A fixed 2025-26 year run on 7 Dec 2026 (no row of the new year counts): every school
    would read Overdue with every month missed. Each says the year has ended instead."""
    fixed = Settings(year=SchoolYear(date(2025, 8, 1), date(2026, 6, 30)), fixed_year=True)
    found = compute_standings(
        [school("Adams ES"), school("Baker MS")], [], [], [], [], fixed, date(2026, 12, 7)
    )
    table = summary_table(found, fixed, datetime(2026, 12, 7, 7, 0, tzinfo=DENVER))
    assert [row[3:5] for row in table.rows] == [
        ("Year ended", "the school year in the config ended on 2026-06-30"),
    ] * 2
    _, rows = laid_out(table)
    assert rows[0][20:] == (datetime(2026, 12, 7, 7, 0), 0, 0, 0)
    assert rows[1][20:] == (
        "The school year set in the config (2025-08-01 to 2026-06-30) ended on 2026-06-30: "
        "see Data Issues for the edit to make.",
    )


def test_before_a_fixed_years_start_each_school_says_it_has_not_begun() -> None:
    fixed = Settings(year=SchoolYear(date(2026, 8, 1), date(2027, 6, 30)), fixed_year=True)
    found = compute_standings([school("Adams ES")], [], [], [], [], fixed, date(2026, 7, 20))
    table = summary_table(found, fixed, datetime(2026, 7, 20, 7, 0, tzinfo=DENVER))
    assert table.rows[0][3:5] == (
        "Not begun",
        "the school year in the config starts on 2026-08-01",
    )
    assert laid_out(table)[1][1][20] == (
        "The school year set in the config (2026-08-01 to 2027-06-30) has not begun (it "
        "starts on 2026-08-01): see Data Issues for the edit to make."
    )


def test_in_the_summer_the_ended_years_final_standing_says_so() -> None:
    """A rolling year on 15 Jul 2026 shows 2025-26 as it ended; a school without a contact
    all year stays Overdue (its final standing), and the line under the counts says so."""
    found = compute_standings([school("Adams ES")], [], [], [], [], SETTINGS, date(2026, 7, 15))
    table = summary_table(found, SETTINGS, datetime(2026, 7, 15, 7, 0, tzinfo=DENVER))
    assert table.rows[0][3] == "Overdue"
    _, rows = laid_out(table)
    assert rows[0][20:] == (datetime(2026, 7, 15, 7, 0), 1, 0, 0)
    assert rows[1][20:] == (
        "School year 2025-26 ended on 2026-06-30: this is its final standing. The next "
        "year begins on 2026-08-01.",
    )


# -- Contact Calendar ----------------------------------------------------------------------


def test_calendar_cells_missed_blank_and_zero() -> None:
    """On 10 Nov: Aug 0 (not required), Sep 2, Oct MISSED, Nov 0 so far, Dec on blank."""
    contacts = [contact("2025-09-02", "Adams ES"), contact("2025-09-20", "Adams ES")]
    contacts += [contact("2025-10-15", "Baker MS"), contact("2025-11-03", "Baker MS")]
    found = standings([school("Baker MS"), school("Adams ES")], contacts, "2025-11-10")
    table = calendar_table(found, SETTINGS, date(2025, 11, 10))
    assert table.name == "Contact Calendar"
    assert table.header == (
        "School",
        "Facilitator",
        "Aug 2025",
        "Sep 2025",
        "Oct 2025",
        "Nov 2025",
        "Dec 2025",
        "Jan 2026",
        "Feb 2026",
        "Mar 2026",
        "Apr 2026",
        "May 2026",
        "Jun 2026",
    )
    assert all(c.toned for c in table.columns[2:])
    none7 = (None,) * 7
    assert table.rows == [
        ("Adams ES", "Pat Lee", 0, 2, "MISSED", 0, *none7),
        ("Baker MS", "Pat Lee", 0, "MISSED", 1, 1, *none7),
    ]


def test_calendar_month_begun_on_its_first_day() -> None:
    """On 1 Nov, Nov has begun (0) while Dec is blank; Oct, just ended empty, is MISSED."""
    found = standings([school("Adams ES")], [contact("2025-09-02", "Adams ES")], "2025-11-01")
    (row,) = calendar_table(found, SETTINGS, date(2025, 11, 1)).rows
    assert row[2:7] == (0, 1, "MISSED", 0, None)


def test_calendar_after_the_year_has_no_blanks() -> None:
    """After the year every month has begun; June (not required) with none is 0, May MISSED."""
    found = standings([school("Adams ES")], [], "2026-07-15")
    (row,) = calendar_table(found, SETTINGS, date(2026, 7, 15)).rows
    assert row[2:] == (0, *("MISSED",) * 9, 0)


# -- Data Issues ---------------------------------------------------------------------------


def shown(cell: object) -> object:
    """A cell's text as a person sees it: a link as its text."""
    return cell.text if isinstance(cell, Link) else cell


def test_a_cell_reference_opens_its_cell_and_a_tab_level_issue_has_none() -> None:
    """E7 of the Action Plan links to 'Action Plan'!E7; an issue of the config or of a whole
    tab (no cell) has no link, and neither has one on a tab that is not an input tab."""
    issues = [
        Issue("error", "Action Plan", "E7", "cell.required", "p", "f", (), 7, 5),
        Issue("error", "[school_year]", "", "year.over", "p", "f"),
        Issue("error", "Schools", "", "tab.missing", "p", "f"),
    ]
    cells = {row[6]: row[2] for row in issues_table(issues, TABS).rows}
    assert cells == {
        "cell.required": Link("E7", "Action Plan", "E7"),
        "year.over": "",
        "tab.missing": "",
    }


def test_issues_errors_first_then_input_tab_order_row_and_column() -> None:
    """Errors first; within them the Team Roster before the Contact Log, then row and column."""

    def issue(
        severity: Severity, tab: str, row: int, column: int, schools: tuple[str, ...]
    ) -> Issue:
        cell = f"{chr(64 + column)}{row}"
        return Issue(severity, tab, cell, "x.y", "problem", "fix", schools, row, column)

    issues = [
        issue("warning", "Schools", 2, 1, ("Adams ES",)),
        issue("error", "Contact Log", 2, 2, ("Adams ES", "Baker MS")),
        issue("error", "Team Roster", 5, 1, ("Baker MS",)),
        issue("error", "Team Roster", 3, 4, ()),
        issue("error", "Team Roster", 3, 2, ("Adams ES",)),
    ]
    table = issues_table(issues, TABS)
    assert table.name == "Data Issues"
    assert table.header == ("Severity", "Tab", "Cell", "School", "Problem", "How to Fix", "Code")
    assert table.columns[0].toned
    assert all(
        isinstance(r[2], Link) and (r[2].tab, r[2].cell) == (r[1], r[2].text) for r in table.rows
    )
    assert [(r[0], r[1], shown(r[2]), r[3]) for r in table.rows] == [
        ("error", "Team Roster", "B3", "Adams ES"),
        ("error", "Team Roster", "D3", ""),
        ("error", "Team Roster", "A5", "Baker MS"),
        ("error", "Contact Log", "B2", "Adams ES; Baker MS"),
        ("warning", "Schools", "A2", "Adams ES"),
    ]
    assert table.rows[0][4:] == ("problem", "fix", "x.y")


# -- Run Log -------------------------------------------------------------------------------

HEADER = [
    "Run At",
    "Result",
    "Schools",
    "Errors",
    "Warnings",
    "Emails Sent",
    "Emails Failed",
    "Seconds",
    "Note",
]
ENTRY = RunEntry("2026-11-22 07:00", "ok", 12, 0, 3, 2, 0, 4.26, "")


def test_run_log_first_run() -> None:
    """With no tab yet, the log is the new row alone, seconds rounded to a tenth."""
    table = run_log_table(logged_rows(None), ENTRY, TABS)
    assert table.name == "Run Log"
    assert table.header == tuple(HEADER)
    assert table.rows == [("2026-11-22 07:00", "ok", 12, 0, 3, 2, 0, 4.3, "")]
    assert table.columns[1].toned


def test_run_log_newest_first() -> None:
    """The new run goes on top; the rows read back follow in their order."""
    previous: list[Sequence[object]] = [
        HEADER,
        ["2026-11-21 07:00", "errors", 12, 2, 3, 1, 1, 5.0, "2 errors"],
        ["2026-11-20 07:00", "ok", 12, 0, 3, 0, 0, 4.1, ""],
    ]
    rows = run_log_table(logged_rows(previous), ENTRY, TABS).rows
    assert [r[0] for r in rows] == ["2026-11-22 07:00", "2026-11-21 07:00", "2026-11-20 07:00"]
    assert rows[1] == ("2026-11-21 07:00", "errors", 12, 2, 3, 1, 1, 5.0, "2 errors")


def test_run_log_keeps_500_rows() -> None:
    """With 600 old rows the log keeps the new one and the 499 newest old ones."""
    old = [[f"run {n}", "ok", 1, 0, 0, 0, 0, 1.0, ""] for n in range(600)]
    rows = run_log_table(logged_rows([HEADER, *old]), ENTRY, TABS).rows
    assert RUN_LOG_LIMIT == 500
    assert len(rows) == 500
    assert rows[0][0] == "2026-11-22 07:00"
    assert rows[1][0] == "run 0"
    assert rows[-1][0] == "run 498"


def test_run_log_tolerates_junk() -> None:
    """Blank, short, long and odd rows never crash: blanks go, the rest is kept as cells."""
    previous: list[Sequence[object]] = [
        HEADER,
        [],
        [None, "  ", None],
        ["typed by hand"],
        [datetime(2026, 11, 19, 7, 0), "ok", 12.0, 0.0, True, "two", None, float("nan"), 1, 2],
        "not a row",  # a string is a sequence too, but no row
        [date(2026, 11, 18), "failed", 1.5],
    ]
    rows = run_log_table(logged_rows(previous), ENTRY, TABS).rows
    assert rows[1:] == [
        ("typed by hand", None, None, None, None, None, None, None, None),
        ("2026-11-19 07:00", "ok", 12, 0, "TRUE", "two", None, "nan", 1),
        ("2026-11-18", "failed", 1.5, None, None, None, None, None, None),
    ]


def test_run_log_follows_moved_columns() -> None:
    """If someone reordered the columns, the values are read back by their header."""
    header = ["Note", "Run At", "Result"]
    rows = run_log_table(
        logged_rows([header, ["hello", "2026-11-21 07:00", "ok"]]), ENTRY, TABS
    ).rows
    assert rows[1] == ("2026-11-21 07:00", "ok", None, None, None, None, None, None, "hello")


def test_run_log_header_missing_a_title_keeps_that_column_in_place() -> None:
    """A column whose header cell was cleared is read from its own place."""
    header = ["Run At", None, "Schools"]
    rows = run_log_table(logged_rows([header, ["2026-11-21 07:00", "ok", 3]]), ENTRY, TABS).rows
    assert rows[1] == ("2026-11-21 07:00", "ok", 3, None, None, None, None, None, None)


def test_run_log_without_a_header_reads_by_position() -> None:
    """A first row that names no column is skipped, and the rest are read in column order."""
    rows = run_log_table(logged_rows([[1, 2], ["2026-11-21 07:00", "ok", 3]]), ENTRY, TABS).rows
    assert rows[1] == ("2026-11-21 07:00", "ok", 3, None, None, None, None, None, None)


def test_the_summary_opens_with_its_details_folded_behind_why() -> None:
    """School to Why stay in view; Team Members to Data Warnings are folded, a click away."""
    table = summary_table([], SETTINGS, NOW)
    assert table.folded == (5, 19)
    assert (table.header[5], table.header[18]) == ("Team Members", "Data Warnings")
