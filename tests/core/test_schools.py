"""The Schools and Facilitators tabs: who is in the program, and the issues of those tabs."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from sheets_sync.core.contacts import read_contacts
from sheets_sync.core.grid import Grid, RawValue
from sheets_sync.core.issues import Issue
from sheets_sync.core.plan import read_plan
from sheets_sync.core.records import Facilitator, School
from sheets_sync.core.roster import read_roster
from sheets_sync.core.schools import read_directory
from sheets_sync.core.settings import Settings
from sheets_sync.core.values import as_text, parse_email
from sheets_sync.core.vocab import YES_NO
from tests.core.grids import (
    ADAMS,
    ANY_CELL,
    BAKER,
    COLE,
    CONTACTS_HEADER,
    DALE,
    FACILITATORS_HEADER,
    KIM,
    PAT,
    PLAN_HEADER,
    ROSTER_HEADER,
    SCHOOL_ROWS,
    SCHOOLS_HEADER,
    TODAY,
    assert_cell_issues_at,
    brief,
    directory,
    facilitators_grid,
    full_plan,
    full_roster,
    grid,
    schools_grid,
)

DOMAINS = Settings(allowed_domains=("district.org",))
Rows = list[list[RawValue]]


def test_clean_directory() -> None:
    """The sample Schools and Facilitators tabs read without an issue, codes kept as text."""
    found, issues = directory()
    assert issues == []
    assert found.schools == [
        School(ADAMS, 2, "0042", "ES", "Ann Adams", "ann@district.org", PAT, "North"),
        School(BAKER, 3, "101", "MS", "Bo Baker", "bo@district.org", PAT, "North"),
        School(COLE, 4, "C-3", "HS", "Cy Cole", "cy@district.org", KIM, "South"),
        School(DALE, 5, active=False),
    ]
    assert found.facilitators == [
        Facilitator(PAT, 2, "pat@district.org"),
        Facilitator(KIM, 3, "kim@district.org"),
    ]
    assert [s.name for s in found.active] == [ADAMS, BAKER, COLE]
    assert found.active_names == {ADAMS, BAKER, COLE}
    assert found.school_names.find("dale closed") == DALE
    assert found.schools[2].high_school
    assert not found.schools[0].high_school


def test_inactive_school_rows_are_not_checked() -> None:
    """An inactive school with blank required cells and a bad email costs no issue."""
    rows: Rows = [*SCHOOL_ROWS[:3], ["Eve Old", "", "", "", "not an email", "Nobody", "", "no"]]
    found, issues = directory(schools=grid(SCHOOLS_HEADER, rows))
    assert issues == []
    assert found.schools[-1] == School("Eve Old", 5, active=False)


@pytest.mark.parametrize("active", ["No", "no", "N", False, 0.0, "Inactive", " NO "])
def test_active_no_in_any_spelling(active: RawValue) -> None:
    """`No` in any case, FALSE, 0 or Inactive makes a school inactive."""
    rows: Rows = [[ADAMS, "", "", "Ann", "ann@district.org", PAT, "", active]]
    found, issues = directory(schools=grid(SCHOOLS_HEADER, rows))
    assert issues == []
    assert not found.schools[0].active


def test_active_must_be_yes_or_no() -> None:
    """An unreadable Active cell is a bad choice listing Yes, No, and the school stays active."""
    rows: Rows = [[ADAMS, "", "", "Ann", "ann@district.org", PAT, "", "Maybe"]]
    found, issues = directory(schools=grid(SCHOOLS_HEADER, rows))
    assert brief(issues) == [("cell.bad-choice", "error", "Schools", "H2", ADAMS)]
    assert issues[0].problem == '"Maybe" is not a Yes/No value this sheet knows.'
    assert issues[0].fix == "Use one of: Yes, No."
    assert found.schools[0].active


def test_numeric_and_text_codes() -> None:
    """Code `0042` stays text with its zeros; a numeric 42.0 is "42"."""
    rows: Rows = [
        [ADAMS, "0042", "", "A", "a@district.org", PAT, "", ""],
        [BAKER, 42.0, "", "B", "b@district.org", PAT, "", ""],
    ]
    found, _ = directory(schools=grid(SCHOOLS_HEADER, rows))
    assert [s.code for s in found.schools] == ["0042", "42"]


def test_required_cells_of_an_active_school() -> None:
    """Blank Principal, Principal Email and Facilitator cells are one issue each."""
    rows: Rows = [[ADAMS, "", "", " ", "", "", "", ""]]
    _, issues = directory(schools=grid(SCHOOLS_HEADER, rows))
    assert brief(issues) == [
        ("cell.required", "error", "Schools", "E2", ADAMS),
        ("cell.required", "error", "Schools", "F2", ADAMS),
        ("cell.required", "error", "Schools", "D2", ADAMS),
    ]
    assert issues[0].fix == 'Fill in "Principal Email" (principal@school.org).'


def test_blank_school_name_is_required_and_the_row_is_not_a_school() -> None:
    """A row with no School is one cell.required issue and adds no school."""
    rows: Rows = [["", "", "", "Ann", "ann@district.org", PAT, "", ""]]
    found, issues = directory(schools=grid(SCHOOLS_HEADER, rows))
    assert brief(issues) == [("cell.required", "error", "Schools", "A2", "")]
    assert issues[0].problem == '"School" is blank.'
    assert found.schools == []


def test_bad_principal_email() -> None:
    """An unreadable principal email is a bad-email issue at its cell, and the school has none."""
    rows: Rows = [[ADAMS, "", "", "Ann", "ann@district", PAT, "", ""]]
    found, issues = directory(schools=grid(SCHOOLS_HEADER, rows))
    assert brief(issues) == [("cell.bad-email", "error", "Schools", "E2", ADAMS)]
    assert issues[0].fix == "Correct it to a full address such as name@school.org."
    assert found.schools[0].principal_email is None


def test_duplicate_school() -> None:
    """The second row of a school (spelled loosely) is a duplicate and is not read again."""
    rows: Rows = [
        *SCHOOL_ROWS,
        ["adams  elementary.", "9", "", "X", "x@district.org", "Nobody", "", ""],
    ]
    found, issues = directory(schools=grid(SCHOOLS_HEADER, rows))
    assert brief(issues) == [("school.duplicate", "error", "Schools", "A6", ADAMS)]
    assert issues[0].problem == (
        '"adams elementary." is listed twice in the Schools tab (also row 2).'
    )
    assert issues[0].fix == "Keep one row per school: remove or rename one of them."
    assert [s.name for s in found.schools] == [ADAMS, BAKER, COLE, DALE]


def test_duplicate_facilitator() -> None:
    """The same facilitator twice is one issue on the second row; the first row wins."""
    rows: Rows = [
        [PAT, "pat@district.org"],
        [KIM, "kim@district.org"],
        ["PAT LEE", "p2@district.org"],
    ]
    found, issues = directory(facilitators=grid(FACILITATORS_HEADER, rows))
    assert brief(issues) == [("facilitator.duplicate", "error", "Facilitators", "A4", "")]
    assert issues[0].problem == '"PAT LEE" is listed twice in the Facilitators tab (also row 2).'
    assert issues[0].fix == "Keep one row per facilitator: remove or rename one of them."
    assert found.facilitators[0].email == "pat@district.org"
    assert len(found.facilitators) == 2


def test_unknown_facilitator_suggests_the_nearest() -> None:
    """A school's facilitator must name a row of Facilitators; a typo gets a "Did you mean"."""
    rows: Rows = [[ADAMS, "", "", "Ann", "ann@district.org", "Pat Le", "", ""]]
    found, issues = directory(schools=grid(SCHOOLS_HEADER, rows))
    assert brief(issues) == [("facilitator.unknown", "error", "Schools", "F2", ADAMS)]
    assert issues[0].problem == '"Pat Le" is not a facilitator in the Facilitators tab.'
    assert issues[0].fix == (
        'Did you mean "Pat Lee"? Write the name as it is in the Facilitators '
        "tab, or add a row for it there."
    )
    assert found.schools[0].facilitator is None


def test_facilitator_matches_loosely() -> None:
    """`pat  lee.` is Pat Lee."""
    rows: Rows = [[ADAMS, "", "", "Ann", "ann@district.org", "pat  lee.", "", ""]]
    found, issues = directory(schools=grid(SCHOOLS_HEADER, rows))
    assert issues == []
    assert found.schools[0].facilitator == PAT


def test_facilitator_email_required_and_valid() -> None:
    """A facilitator's Email is required and must be valid."""
    rows: Rows = [[PAT, ""], [KIM, "kim@@district.org"]]
    found, issues = directory(facilitators=grid(FACILITATORS_HEADER, rows))
    assert brief(issues) == [
        ("cell.required", "error", "Facilitators", "B2", ""),
        ("cell.bad-email", "error", "Facilitators", "B3", ""),
    ]
    assert [f.email for f in found.facilitators] == [None, None]


def test_email_outside_allowed_domains() -> None:
    """Addresses outside the allowed domains are warnings; their subdomains are fine."""
    schools = [
        [ADAMS, "", "", "Ann", "ann@gmail.com", PAT, "", ""],
        [BAKER, "", "", "Bo", "bo@baker.District.org", PAT, "", ""],
    ]
    facilitators = [[PAT, "pat@district.org.evil.com"], [KIM, "kim@hs.district.org"]]
    found, issues = directory(
        DOMAINS, grid(SCHOOLS_HEADER, schools), grid(FACILITATORS_HEADER, facilitators)
    )
    assert brief(issues) == [
        ("email.outside-domain", "warning", "Facilitators", "B2", ""),
        ("email.outside-domain", "warning", "Schools", "E2", ADAMS),
    ]
    assert issues[1].problem == (
        '"ann@gmail.com" is outside the district\'s allowed email '
        "domains, so no email goes to this principal."
    )
    assert issues[1].fix == (
        "Use an address at district.org, or add its domain to [email] "
        "allowed_domains in the config."
    )
    assert issues[0].problem.endswith("so no email goes to this facilitator.")
    # The address is still read: the warning is about sending, not about the data.
    assert found.schools[0].principal_email == "ann@gmail.com"


def test_no_domain_rule_without_allowed_domains() -> None:
    """With no allowed domains configured, every domain may be emailed."""
    rows: Rows = [[ADAMS, "", "", "Ann", "ann@gmail.com", PAT, "", ""]]
    _, issues = directory(schools=grid(SCHOOLS_HEADER, rows))
    assert issues == []


def test_header_aliases_and_order() -> None:
    """Aliased, reordered headers with extra columns and `(optional)` read the same schools."""
    header: list[RawValue] = [
        "Notes",
        "Principal E-mail",
        "School Name",
        "District Facilitator",
        "Principal Name",
        "Code (optional)",
        "Active?",
    ]
    rows: list[list[RawValue]] = [["x", "ann@district.org", ADAMS, PAT, "Ann", "0042", "yes"]]
    found, issues = directory(schools=grid(header, rows))
    assert issues == []
    assert found.schools == [School(ADAMS, 2, "0042", "", "Ann", "ann@district.org", PAT)]


def test_missing_required_school_column() -> None:
    """A Schools tab without Principal Email is one issue; the schools are still read."""
    header = [h for h in SCHOOLS_HEADER if h != "Principal Email"]
    rows: Rows = [[c for i, c in enumerate(r) if i != 4] for r in SCHOOL_ROWS]
    found, issues = directory(schools=grid(header, rows))
    assert brief(issues) == [("column.missing", "error", "Schools", "H1", "")]
    assert issues[0].problem == 'The "Principal Email" column is missing from the header row.'
    assert [s.name for s in found.active] == [ADAMS, BAKER, COLE]
    assert found.schools[0].principal_email is None


def test_missing_facilitator_column_skips_facilitator_checks() -> None:
    """Without a Facilitator column in Facilitators, schools' facilitators are not "unknown"."""
    found, issues = directory(facilitators=[["Email"], ["pat@district.org"]])
    assert brief(issues) == [("column.missing", "error", "Facilitators", "B1", "")]
    assert not found.facilitators_known
    assert [s.facilitator for s in found.active] == [None, None, None]


def test_missing_facilitators_tab_skips_facilitator_checks() -> None:
    """Without a Facilitators tab (reported elsewhere), no facilitator is "unknown"."""
    issues: list[Issue] = []
    found = read_directory(schools_grid(), None, Settings(), issues)
    assert issues == []
    assert not found.facilitators_known
    assert found.facilitators == []


def test_missing_school_column_marks_schools_unknown() -> None:
    """A Schools tab without a School column is one issue, and no school is known."""
    grid_: Grid = [SCHOOLS_HEADER[1:], *[r[1:] for r in SCHOOL_ROWS]]
    found, issues = directory(schools=grid_)
    assert brief(issues) == [("column.missing", "error", "Schools", "H1", "")]
    assert not found.schools_known
    assert found.schools == []


def test_blank_rows_are_skipped() -> None:
    """Blank and whitespace-only rows between schools are not schools and cost nothing."""
    rows: Rows = [SCHOOL_ROWS[0], [""] * 8, ["  ", None, "", "", "", "", "", ""], SCHOOL_ROWS[1]]
    found, issues = directory(schools=grid(SCHOOLS_HEADER, rows), facilitators=facilitators_grid())
    assert issues == []
    assert [(s.name, s.row) for s in found.schools] == [(ADAMS, 2), (BAKER, 5)]


@given(st.integers(0, 3), st.integers(0, 7), ANY_CELL)
@example(0, 4, "ann@")
@example(1, 5, "Pat Leigh")
@example(2, 7, "perhaps")
def test_junk_in_any_cell_is_reported_at_that_cell(index: int, column: int, junk: RawValue) -> None:
    """Any value in any Schools cell never breaks the reader, and its issue points at that cell."""
    # Dale's row is complete, so making it active (a blank Active cell) costs nothing.
    dale: list[RawValue] = [DALE, "7", "ES", "Di", "di@district.org", KIM, "", "No"]
    rows: Rows = [*[list(r) for r in SCHOOL_ROWS[:3]], dale]
    rows[index][column] = junk
    found, issues = directory(DOMAINS, schools=grid(SCHOOLS_HEADER, rows))
    here = [
        i.code
        for i in assert_cell_issues_at(issues, index + 2, column + 1, ("email.outside-domain",))
    ]
    active = index < 3 and YES_NO.find(as_text(rows[index][7])) != "No"
    text = as_text(junk)
    if column == 4 and active and text and parse_email(text) is None:
        assert here == ["cell.bad-email"]
    elif column == 7 and text and YES_NO.find(text) is None:
        assert here == ["cell.bad-choice"]
    elif column == 0 and not text:
        assert here == ["cell.required"]
    assert len(found.schools) in (3, 4)


@pytest.mark.parametrize("rows", [[], [[""] * 8, ["  ", None]]])
def test_a_schools_tab_without_schools_is_one_issue(rows: Rows) -> None:
    """A header and no school rows is one tab.empty at A2; no other tab names "unknown" ones."""
    found, issues = directory(schools=grid(SCHOOLS_HEADER, rows))
    assert brief(issues) == [("tab.empty", "error", "Schools", "A2", "")]
    assert issues[0].problem == "The Schools tab lists no schools."
    assert issues[0].fix == "Add one row per school below the header."
    assert (issues[0].row, issues[0].column) == (2, 1)
    assert not found.schools_known
    read_roster(grid(ROSTER_HEADER, full_roster()), found, Settings(), TODAY, issues)
    read_plan(grid(PLAN_HEADER, full_plan()), found, Settings(), TODAY, issues)
    read_contacts(
        grid(CONTACTS_HEADER, [[TODAY, ADAMS, PAT, "Phone"]]), found, Settings(), TODAY, issues
    )
    assert [i.code for i in issues] == ["tab.empty"]


def test_a_facilitators_tab_without_facilitators_is_one_issue() -> None:
    """A Facilitators header with no rows is one tab.empty, and no facilitator is "unknown"."""
    found, issues = directory(facilitators=grid(FACILITATORS_HEADER, []))
    assert brief(issues) == [("tab.empty", "error", "Facilitators", "A2", "")]
    assert issues[0].problem == "The Facilitators tab lists no facilitators."
    assert issues[0].fix == "Add one row per facilitator below the header."
    assert not found.facilitators_known
    assert [s.facilitator for s in found.active] == [None, None, None]


def test_facilitator_rows_without_names_make_no_one_unknown() -> None:
    """Facilitator rows with only emails: one blank-name issue each, and no school's is unknown."""
    found, issues = directory(facilitators=grid(FACILITATORS_HEADER, [["", "pat@district.org"]]))
    assert brief(issues) == [("cell.required", "error", "Facilitators", "A2", "")]
    assert not found.facilitators_known


def test_words_for_other_school_columns_are_not_aliases() -> None:
    """`ID`, `Grades` and `Region` before Code, Level and Cluster are extra columns, not them."""
    header: list[RawValue] = ["ID", "Grades", "Region", *SCHOOLS_HEADER]
    rows: Rows = [["77", "K-5", "Coast", *r] for r in SCHOOL_ROWS]
    found, issues = directory(schools=grid(header, rows))
    assert issues == []
    adams = found.schools[0]
    assert (adams.code, adams.level, adams.cluster) == ("0042", "ES", "North")
