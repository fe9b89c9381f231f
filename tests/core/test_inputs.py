"""Header matching and per-cell parsing shared by every input tab (PRODUCT.md §1)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sheets_sync.core.contacts import read_contacts
from sheets_sync.core.grid import Grid, RawValue
from sheets_sync.core.inputs import Field, TabReader, quoted
from sheets_sync.core.issues import Issue, column_letter
from sheets_sync.core.plan import read_plan
from sheets_sync.core.records import Period
from sheets_sync.core.roster import read_roster
from sheets_sync.core.schools import read_directory
from sheets_sync.core.settings import Framework, Rules, Settings
from sheets_sync.core.values import NameIndex
from sheets_sync.core.vocab import ROLES
from tests.core.grids import (
    ANY_CELL,
    CONTACTS_HEADER,
    FACILITATORS_HEADER,
    PLAN_HEADER,
    ROSTER_HEADER,
    SCHOOLS_HEADER,
    TODAY,
    brief,
)

NAME = Field("Name", ("Full Name",), required=True, example="the member's name")
EMAIL = Field("Email", ("E-mail", "Email Address"))
ROLE = Field("Role", required=True, example=ROLES.listing())
WHEN = Field("Date", required=True, example="a date")
FIELDS = (NAME, EMAIL, ROLE, WHEN)


def reader(grid: Grid, fields: tuple[Field, ...] = FIELDS) -> tuple[TabReader, list[Issue]]:
    issues: list[Issue] = []
    return TabReader("Tab", grid, fields, issues), issues


@pytest.mark.parametrize(
    ("header", "columns"),
    [
        (["Name", "Email", "Role", "Date"], (0, 1, 2, 3)),
        (["NAME", "e-mail", " role ", "date"], (0, 1, 2, 3)),
        (["Full Name", "Email Address", "Role:", "Date (optional)"], (0, 1, 2, 3)),
        (["Date", "Role", "E-Mail (Optional)", "name"], (3, 2, 1, 0)),
        (["Notes", "Name", "Extra", "EMAIL_ADDRESS", "Role", "Date", "More"], (1, 3, 4, 5)),
    ],
)
def test_headers_match_loosely_in_any_order(
    header: list[RawValue], columns: tuple[int, int, int, int]
) -> None:
    """Case, spaces, punctuation, `(optional)`, aliases and order do not matter; extras ignored."""
    tab, issues = reader([header])
    assert issues == []
    assert tab.columns == dict(zip(("Name", "Email", "Role", "Date"), columns, strict=True))


def test_missing_required_column_is_one_issue_for_the_tab() -> None:
    """A missing Role column costs one issue at the first free header cell, not one per row."""
    body: list[list[RawValue]] = [[f"N{i}", "", "", "2025-10-01"] for i in range(5)]
    grid: Grid = [["Name", "Email", "", "Date"], *body]
    tab, issues = reader(grid)
    assert brief(issues) == [("column.missing", "error", "Tab", "E1", "")]
    assert issues[0].problem == 'The "Role" column is missing from the header row.'
    assert issues[0].fix == 'Add a column headed "Role" in row 1 (for example in E1).'
    assert tab.missing == ["Role"]
    # The rows are still read; a blank cell in an absent column is not "required".
    rows = list(tab.rows())
    assert len(rows) == 5
    assert rows[0].text(ROLE) == ""
    assert issues[1:] == []


def test_every_missing_required_column_is_named_once() -> None:
    """An empty tab (no header at all) gets one issue per required column, side by side."""
    tab, issues = reader([])
    assert brief(issues) == [
        ("column.missing", "error", "Tab", "A1", ""),
        ("column.missing", "error", "Tab", "B1", ""),
        ("column.missing", "error", "Tab", "C1", ""),
    ]
    assert [i.problem for i in issues] == [
        f'The "{t}" column is missing from the header row.' for t in ("Name", "Role", "Date")
    ]
    assert list(tab.rows()) == []


def test_blank_rows_and_rows_with_only_extra_columns_are_skipped() -> None:
    """Rows blank (or whitespace-only) in every column the tab reads are not rows at all."""
    grid: Grid = [
        ["Name", "Notes", "Role", "Date"],
        ["Ann", "", "Teacher", "2025-10-01"],
        [],
        ["", "a note beside nothing", "  ", None],
        ["   ", "", "\t", ""],
        ["Bo"],
    ]
    tab, _ = reader(grid)
    assert [row.number for row in tab.rows()] == [2, 6]


def test_whitespace_only_required_cell_is_blank() -> None:
    """A required cell holding only spaces is reported as blank, once, at its own cell."""
    tab, issues = reader([["Name", "Role", "Date"], ["Ann", "   ", "2025-10-01"]])
    (row,) = tab.rows()
    assert row.choice(ROLE, ROLES) is None
    assert brief(issues) == [("cell.required", "error", "Tab", "B2", "")]
    assert issues[0].problem == '"Role" is blank.'
    assert issues[0].fix == (
        'Fill in "Role" (Principal, Administrator, Teacher, Parent/Family, Community, '
        "Student, Staff)."
    )


def test_cells_parse_into_values_or_exactly_one_issue() -> None:
    """Each getter returns a value, or None with one issue at that cell and its exact text."""
    grid: Grid = [
        ["Name", "Email", "Role", "Date"],
        ["Ann", "ann@school.org", "pto", 45915.0],
        ["Bo", "bo at school", "Coach", "31/31/2025"],
    ]
    tab, issues = reader(grid)
    good, bad = tab.rows()
    assert good.email(EMAIL) == "ann@school.org"
    assert good.choice(ROLE, ROLES) == "Parent/Family"
    assert good.day(WHEN, day_first=False) == date(2025, 9, 15)
    assert issues == []

    assert bad.email(EMAIL) is None
    assert bad.choice(ROLE, ROLES) is None
    assert bad.day(WHEN, day_first=False) is None
    assert brief(issues) == [
        ("cell.bad-email", "error", "Tab", "B3", ""),
        ("cell.bad-choice", "error", "Tab", "C3", ""),
        ("cell.bad-date", "error", "Tab", "D3", ""),
    ]
    email, choice, day = issues
    assert email.problem == '"bo at school" is not a valid email address.'
    assert email.fix == (
        "Correct it to a full address such as name@school.org, or clear the cell if there is none."
    )
    assert choice.problem == '"Coach" is not a Role this sheet knows.'
    assert choice.fix == (
        "Use one of: Principal, Administrator, Teacher, Parent/Family, Community, Student, Staff."
    )
    assert day.problem == '"31/31/2025" in Date is not a date this sheet can read.'
    assert day.fix == "Write a date such as 2025-10-14 or 10/14/2025 (month first)."
    assert (day.row, day.column) == (3, 4)


def test_period_cells_accept_months_and_say_so() -> None:
    """A period cell takes `Oct 2025`; its bad-date fix mentions months and the day-first form."""
    tab, issues = reader(
        [["Name", "Role", "Date"], ["A", "Teacher", "Oct 2025"], ["B", "Teacher", "Octember"]]
    )
    first, second = tab.rows()
    assert first.period(WHEN, day_first=True) == Period(date(2025, 10, 1), date(2025, 10, 31))
    assert second.period(WHEN, day_first=True) is None
    assert brief(issues) == [("cell.bad-date", "error", "Tab", "C3", "")]
    assert issues[0].fix == (
        "Write a date such as 2025-10-14 or 14/10/2025 (day first), or a month such as Oct 2025."
    )


def test_blank_optional_cells_are_not_issues() -> None:
    """A blank optional email or a short (ragged) row gives None without an issue."""
    tab, issues = reader([["Name", "Role", "Date", "Email"], ["Ann", "Teacher", "2025-10-01"]])
    (row,) = tab.rows()
    assert row.email(EMAIL) is None
    assert row.raw("Email") is None
    assert issues == []


def test_unknown_names_suggest_the_nearest() -> None:
    """An unknown name is one issue with a "Did you mean" when a known name is close."""
    tab, issues = reader(
        [["Name", "Role", "Date"], ["Adams Elementry", "x", "y"], ["Zed", "x", "y"]]
    )
    index = NameIndex(["Adams Elementary"])
    first, second = tab.rows()
    assert first.name(NAME, index, "Schools", "school") is None
    assert second.name(NAME, index, "Schools", "school") is None
    assert brief(issues) == [
        ("school.unknown", "error", "Tab", "A2", ""),
        ("school.unknown", "error", "Tab", "A3", ""),
    ]
    assert issues[0].problem == '"Adams Elementry" is not a school in the Schools tab.'
    assert issues[0].fix == (
        'Did you mean "Adams Elementary"? Write the name as it is in the '
        "Schools tab, or add a row for it there."
    )
    assert issues[1].fix == "Write the name as it is in the Schools tab, or add a row for it there."


def test_quoted_values_are_one_line_and_short() -> None:
    """Values in messages are quoted, on one line, and cut at 60 characters."""
    assert quoted("a\n b") == '"a b"'
    assert quoted("x" * 100) == '"' + "x" * 59 + '…"'


HEADERS = {
    "schools": SCHOOLS_HEADER,
    "facilitators": FACILITATORS_HEADER,
    "roster": ROSTER_HEADER,
    "plan": PLAN_HEADER,
    "contacts": CONTACTS_HEADER,
}


@st.composite
def workbooks(draw: st.DrawFn) -> dict[str, Grid]:
    """Five tabs of junk under real (sometimes shuffled or shortened) headers."""
    book: dict[str, Grid] = {}
    for tab, header in HEADERS.items():
        columns = draw(st.permutations(header))[: draw(st.integers(0, len(header)))]
        rows = draw(st.lists(st.lists(ANY_CELL, max_size=len(columns) + 1), max_size=6))
        book[tab] = [list(columns), *rows]
    return book


@given(workbooks(), st.sampled_from(["nnps", "pta"]), st.booleans())
def test_junk_workbooks_never_break_a_reader(
    book: dict[str, Grid], framework: Framework, day_first: bool
) -> None:
    """Every reader takes any grid of any values; every issue names a cell inside its tab."""
    settings = Settings(
        framework=framework, rules=Rules(day_first=day_first), allowed_domains=("district.org",)
    )
    issues: list[Issue] = []
    found = read_directory(book["schools"], book["facilitators"], settings, issues)
    read_roster(book["roster"], found, settings, TODAY, issues)
    read_plan(book["plan"], found, settings, TODAY, issues)
    read_contacts(book["contacts"], found, settings, TODAY, issues)
    tabs = {
        "Schools": "schools",
        "Facilitators": "facilitators",
        "Team Roster": "roster",
        "Action Plan": "plan",
        "Contact Log": "contacts",
    }
    for issue in issues:
        grid_ = book[tabs[issue.tab]]
        assert issue.cell == f"{column_letter(issue.column)}{issue.row}"
        assert issue.problem
        assert issue.fix
        if issue.code == "tab.empty":  # where the first row would go: below the grid
            assert issue.cell == "A2"
            continue
        assert 1 <= issue.row <= len(grid_)
        if issue.code == "column.missing":
            assert issue.row == 1
        else:
            assert issue.column <= max(len(grid_[0]), 1)


def test_an_exact_title_wins_over_an_earlier_alias() -> None:
    """`Email Address` in A and `Email` in C: Email is read from C, and A is a duplicate warning."""
    tab, issues = reader([["Email Address", "Name", "Email", "Role", "Date"]])
    assert tab.columns["Email"] == 2
    assert brief(issues) == [("column.duplicate", "warning", "Tab", "A1", "")]
    assert issues[0].problem == ('Two columns are headed like "Email" (A1 and C1); only C is read.')
    assert issues[0].fix == "Rename or remove one."


def test_a_repeated_header_is_read_from_the_first() -> None:
    """Two `Email` columns (B and E): B is read and E is one warning, at E1."""
    tab, issues = reader([["Name", "Email", "Role", "Date", "email"]])
    assert tab.columns["Email"] == 1
    assert brief(issues) == [("column.duplicate", "warning", "Tab", "E1", "")]
    assert issues[0].problem == ('Two columns are headed like "Email" (B1 and E1); only B is read.')
    assert (issues[0].row, issues[0].column) == (1, 5)


def test_school_type_is_not_the_level() -> None:
    """Schools headed `Type, School, Level`: Level comes from C; Type is just an extra column."""
    header: list[RawValue] = ["Type", "School", "Level", "Principal", "Principal Email"]
    header += ["Facilitator"]
    row: list[RawValue] = ["Charter", "Adams Elementary", "HS", "Ann", "ann@district.org"]
    row += ["Pat Lee"]
    issues: list[Issue] = []
    found = read_directory(
        [header, row], [["Facilitator", "Email"], ["Pat Lee", "p@d.org"]], Settings(), issues
    )
    assert issues == []
    assert found.schools[0].level == "HS"
    assert found.schools[0].high_school


def test_contact_log_words_of_other_columns_are_not_aliases() -> None:
    """`Staff` and `Contact` before the real Facilitator and Contact Type columns are ignored."""
    header: list[RawValue] = ["Date", "School", "Staff", "Contact", "Facilitator", "Contact Type"]
    row: list[RawValue] = ["2025-10-01", "Adams Elementary", "Counselor", "Ms Jones", "Pat Lee"]
    row += ["Phone"]
    issues: list[Issue] = []
    found = read_directory(
        [SCHOOLS_HEADER, ["Adams Elementary", "", "ES", "Ann", "ann@district.org", "Pat Lee"]],
        [FACILITATORS_HEADER, ["Pat Lee", "pat@district.org"]],
        Settings(),
        issues,
    )
    contacts = read_contacts([header, row], found, Settings(), TODAY, issues)
    assert issues == []
    assert [(c.facilitator, c.type) for c in contacts] == [("Pat Lee", "Phone")]
