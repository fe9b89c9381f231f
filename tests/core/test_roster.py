"""The Team Roster tab: member cells and the team rules, worked out by hand.

In the sample roster Adams Elementary is on rows 2-8, Baker Middle on rows 9-15 and Cole High
(a high school, with two students) on rows 16-24; each team passes every rule.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from sheets_sync.core.grid import RawValue
from sheets_sync.core.issues import Issue
from sheets_sync.core.records import Member
from sheets_sync.core.roster import read_roster
from sheets_sync.core.settings import Rules, Settings
from sheets_sync.core.values import as_text, parse_day, parse_email
from sheets_sync.core.vocab import ROLES
from tests.core.grids import (
    ADAMS,
    ANY_CELL,
    BAKER,
    COLE,
    DALE,
    ROSTER_HEADER,
    SCHOOL_ROWS,
    SCHOOLS_HEADER,
    assert_cell_issues_at,
    brief,
    directory,
    full_roster,
    grid,
    read_team,
    team,
    with_code,
)

Rows = list[list[RawValue]]


def others(*but: str) -> Rows:
    """The passing teams of every active school except those named."""
    return [row for school in (ADAMS, BAKER, COLE) if school not in but for row in team(school)]


def adams(**changes: dict[int, RawValue]) -> Rows:
    """Adams's passing team with cells changed: `adams(r1={3: "Member"})` edits its 2nd row."""
    rows = team(ADAMS)
    for key, cells in changes.items():
        for column, value in cells.items():
            rows[int(key[1:])][column] = value
    return rows


def test_a_roster_that_passes_every_rule() -> None:
    """The sample roster has no issue and 23 members, roles and leadership normalised."""
    members, issues = read_team(full_roster())
    assert issues == []
    assert len(members) == 23
    assert members[0] == Member(
        ADAMS, 2, "Chris Chair", "Teacher", "Chair", "adams.chair@district.org"
    )
    assert [m.role for m in members[3:7]] == [
        "Parent/Family",
        "Parent/Family",
        "Community",
        "Staff",
    ]
    assert members[6].term_ends == date(2026, 6, 30)


def test_empty_roster_for_an_active_school() -> None:
    """An active school without members is one error on its row of the Schools tab."""
    _, issues = read_team(others(BAKER))
    assert brief(issues) == [("roster.empty", "error", "Schools", "A3", BAKER)]
    assert issues[0].problem == "Baker Middle has no team members in the Team Roster tab."
    assert issues[0].fix == (
        "Add the Baker Middle team's members to the Team Roster tab, one row each."
    )


def test_empty_roster_points_at_the_school_column_where_it_is() -> None:
    """With School in column C of the Schools tab, roster.empty points at C3."""
    header = ["Code", "Level", *[h for h in SCHOOLS_HEADER if h not in ("Code", "Level")]]
    rows = [[r[1], r[2], r[0], *r[3:]] for r in SCHOOL_ROWS]
    found, issues = directory(schools=grid(header, rows))
    read_roster(grid(ROSTER_HEADER, others(BAKER)), found, Settings(), date(2025, 11, 20), issues)
    assert brief(issues) == [("roster.empty", "error", "Schools", "C3", BAKER)]


def test_too_small() -> None:
    """Five members are too few (at least six); that team also lacks a community member."""
    _, issues = read_team(team(ADAMS)[:5] + others(ADAMS))
    assert brief(issues) == [
        ("roster.too-small", "error", "Team Roster", "A2", ADAMS),
        ("roster.no-community", "warning", "Team Roster", "A2", ADAMS),
    ]
    assert issues[0].problem == "Adams Elementary's team has 5 members; it needs at least 6."
    assert issues[0].fix == "Add 1 more: teachers, family members, community partners."
    assert issues[1].problem == "Adams Elementary's team has no Community member."


def test_team_rules_point_at_the_team_s_first_row() -> None:
    """Team-level issues sit on the School cell of the team's first row, wherever it is."""
    _, issues = read_team([*others(ADAMS), [""] * 8, *team(ADAMS)[:5]])
    assert brief(issues) == [
        ("roster.too-small", "error", "Team Roster", "A19", ADAMS),
        ("roster.no-community", "warning", "Team Roster", "A19", ADAMS),
    ]


def test_large() -> None:
    """Thirteen members are more than twelve: a warning."""
    extra: Rows = [[ADAMS, f"Extra {i}", "Teacher", "", "", "", "", ""] for i in range(6)]
    _, issues = read_team(team(ADAMS) + extra + others(ADAMS))
    assert brief(issues) == [("roster.large", "warning", "Team Roster", "A2", ADAMS)]
    assert issues[0].problem == "Adams Elementary's team has 13 members, more than 12."


def test_thresholds_come_from_the_rules() -> None:
    """With team_min 8 a seven-member team is too small; with team_max 6 it is large."""
    _, small = read_team(full_roster(), Settings(rules=Rules(team_min=8)))
    assert [i.school for i in with_code(small, "roster.too-small")] == [ADAMS, BAKER]
    _, large = read_team(full_roster(), Settings(rules=Rules(team_max=6)))
    assert [i.school for i in with_code(large, "roster.large")] == [ADAMS, BAKER, COLE]


def test_no_chair() -> None:
    """A team whose Chair is now a Member has no Chair or Co-chair."""
    _, issues = read_team(adams(r0={3: "Member"}) + others(ADAMS))
    assert brief(issues) == [("roster.no-chair", "error", "Team Roster", "A2", ADAMS)]
    assert issues[0].problem == "Adams Elementary's team has no Chair or Co-chair."
    assert issues[0].fix == (
        'Mark one member "Chair" (or two "Co-chair") in the Leadership column.'
    )


def test_co_chairs_lead_a_team() -> None:
    """Two Co-chairs (spelled loosely) satisfy the chair rule."""
    _, issues = read_team(adams(r0={3: "co chair"}, r1={3: "Co-Chair"}) + others(ADAMS))
    assert issues == []


def test_chair_without_email() -> None:
    """A Chair with a blank email is an error on the Email cell."""
    _, issues = read_team(adams(r0={4: "  "}) + others(ADAMS))
    assert brief(issues) == [("roster.chair-no-email", "error", "Team Roster", "E2", ADAMS)]
    assert issues[0].problem == (
        "The team's Chair has no valid email, so the team cannot be reached."
    )
    assert issues[0].fix == "Enter the Chair's email address."


def test_co_chair_with_a_bad_email() -> None:
    """A Co-chair's unreadable email is a bad email and a leader without email, same cell."""
    _, issues = read_team(adams(r1={3: "Co-chair", 4: "pia@"}) + others(ADAMS))
    assert brief(issues) == [
        ("cell.bad-email", "error", "Team Roster", "E3", ADAMS),
        ("roster.chair-no-email", "error", "Team Roster", "E3", ADAMS),
    ]
    assert issues[1].fix == "Enter the Co-chair's email address."


def test_no_principal() -> None:
    """A team whose principal row says Teacher has no Principal or Administrator."""
    _, issues = read_team(adams(r1={2: "Teacher"}) + others(ADAMS))
    assert brief(issues) == [("roster.no-principal", "error", "Team Roster", "A2", ADAMS)]
    assert issues[0].problem == "Adams Elementary's team has no Principal or Administrator."


def test_an_assistant_principal_is_enough() -> None:
    """`Assistant Principal` is an Administrator, which satisfies the principal rule."""
    _, issues = read_team(adams(r1={2: "Assistant Principal"}) + others(ADAMS))
    assert issues == []


def test_few_teachers() -> None:
    """One teacher is fewer than two: a warning that says `1 teacher`."""
    _, issues = read_team(adams(r2={2: "Staff"}) + others(ADAMS))
    assert brief(issues) == [("roster.few-teachers", "warning", "Team Roster", "A2", ADAMS)]
    assert issues[0].problem == "Adams Elementary's team has 1 teacher; 2 are expected."
    assert issues[0].fix == "Add 1 more teacher to the team."


def test_few_families() -> None:
    """No family member at all (both changed to Staff): `0 family members`, add 2."""
    _, issues = read_team(adams(r3={2: "Nurse"}, r4={2: "Social Worker"}) + others(ADAMS))
    assert brief(issues) == [("roster.few-families", "warning", "Team Roster", "A2", ADAMS)]
    assert issues[0].problem == "Adams Elementary's team has 0 family members; 2 are expected."
    assert issues[0].fix == "Add 2 more family members to the team."


@pytest.mark.parametrize("role", ["PTA", "PTO", "pta/pto", "Guardian", "Family", "parent"])
def test_family_aliases_count_as_families(role: str) -> None:
    """PTA/PTO, Guardian, Family and Parent are all Parent/Family members."""
    members, issues = read_team(adams(r3={2: role}) + others(ADAMS))
    assert issues == []
    assert members[3].role == "Parent/Family"


def test_no_community() -> None:
    """A team without a Community member gets a warning; a Business Partner would count."""
    _, issues = read_team(adams(r5={2: "Staff"}) + others(ADAMS))
    assert brief(issues) == [("roster.no-community", "warning", "Team Roster", "A2", ADAMS)]
    _, fine = read_team(adams(r5={2: "Business Partner"}) + others(ADAMS))
    assert fine == []


def test_few_students_only_for_high_schools() -> None:
    """Cole High (HS) with one student gets a warning; a middle school needs none."""
    cole = team(COLE)[:-1]
    _, issues = read_team(others(COLE) + cole)
    assert brief(issues) == [("roster.few-students", "warning", "Team Roster", "A16", COLE)]
    assert issues[0].problem == (
        "Cole High is a high school and its team has 1 student; 2 are expected."
    )
    assert issues[0].fix == "Add 1 more student to the team."


def test_duplicate_member() -> None:
    """The same email twice in one team is a warning on the second; across schools it is fine."""
    rows = adams(r2={4: "ADAMS.Chair@District.org"}) + others(ADAMS)
    rows[10][4] = "adams.chair@district.org"  # a Baker member shares an Adams email
    members, issues = read_team(rows)
    assert brief(issues) == [("roster.duplicate-member", "warning", "Team Roster", "E4", ADAMS)]
    assert issues[0].problem == "The same email is on row 2 of this school's team."
    assert len(members) == 23


@pytest.mark.parametrize("ended", ["2025-06-30", date(2025, 11, 19), 45960.0, "11/19/2025"])
def test_term_ended(ended: RawValue) -> None:
    """A Term Ends date before today (2025-11-20) is a warning on that cell."""
    members, issues = read_team(adams(r6={7: ended}) + others(ADAMS))
    assert brief(issues) == [("roster.term-ended", "warning", "Team Roster", "H8", ADAMS)]
    assert issues[0].problem.startswith("This member's term ended on 2025-")
    assert members[6].term_ends is not None


def test_term_ending_today_has_not_ended() -> None:
    """A term ending today is still current."""
    _, issues = read_team(adams(r6={7: "2025-11-20"}) + others(ADAMS))
    assert issues == []


def test_bad_member_cells_are_one_issue_each() -> None:
    """Blank Name, blank Role, unknown Leadership, bad email and bad Term Ends: one issue each."""
    rows = adams(r2={1: "", 4: "tom@@x"}, r3={2: " ", 3: "Boss", 7: "next June"}) + others(ADAMS)
    members, issues = read_team(rows)
    assert brief(issues) == [
        ("cell.required", "error", "Team Roster", "B4", ADAMS),
        ("cell.bad-email", "error", "Team Roster", "E4", ADAMS),
        ("cell.required", "error", "Team Roster", "C5", ADAMS),
        ("cell.bad-choice", "error", "Team Roster", "D5", ADAMS),
        ("cell.bad-date", "error", "Team Roster", "H5", ADAMS),
        # Fay's role is now unknown, so only one family member is known.
        ("roster.few-families", "warning", "Team Roster", "A2", ADAMS),
    ]
    assert issues[3].problem == '"Boss" is not a Leadership value this sheet knows.'
    assert issues[3].fix == "Use one of: Chair, Co-chair, Member."
    assert issues[4].problem == '"next June" in Term Ends is not a date this sheet can read.'
    # The rows still count as members.
    assert len(members) == 23
    assert (members[3].role, members[3].leadership) == (None, "Member")


def test_unknown_school() -> None:
    """An unknown school is one issue with a suggestion; its row joins no team."""
    rows: Rows = [*others(), ["Adams Elementry", "New Person", "Teacher", "", "", "", "", ""]]
    members, issues = read_team(rows)
    assert brief(issues) == [("school.unknown", "error", "Team Roster", "A25", "")]
    assert issues[0].problem == '"Adams Elementry" is not a school in the Schools tab.'
    assert issues[0].fix.startswith('Did you mean "Adams Elementary"? ')
    assert len(members) == 23


def test_blank_school_is_required() -> None:
    """A member row without a school is one cell.required issue, whatever else is wrong."""
    rows: Rows = [*others(), ["", "New Person", "Coach", "", "", "", "", ""]]
    _, issues = read_team(rows)
    assert brief(issues) == [
        ("cell.required", "error", "Team Roster", "A25", ""),
        ("cell.bad-choice", "error", "Team Roster", "C25", ""),
    ]


def test_school_names_match_loosely() -> None:
    """`ADAMS elementary` is Adams Elementary."""
    rows = [["ADAMS elementary", *r[1:]] for r in team(ADAMS)] + others(ADAMS)
    members, issues = read_team(rows)
    assert issues == []
    assert members[0].school == ADAMS


def test_inactive_school_rows_are_skipped() -> None:
    """Rows of an inactive school, however bad, cost no issue and add no member."""
    rows: Rows = [
        *others(),
        [DALE, "", "Coach", "Boss", "bad@", "", "", "someday"],
        ["dale closed", "X", "Teacher", "Chair", "", "", "", ""],
    ]
    members, issues = read_team(rows)
    assert issues == []
    assert len(members) == 23


def test_missing_role_column_skips_role_rules_only() -> None:
    """Without Role: one column.missing; role rules are skipped, size and chair still checked."""
    header = [h for h in ROSTER_HEADER if h != "Role"]
    rows = [[c for i, c in enumerate(r) if i != 2] for r in team(ADAMS)[:5] + others(ADAMS)]
    members, issues = read_team(rows, header=header)
    assert brief(issues) == [
        ("column.missing", "error", "Team Roster", "H1", ""),
        ("roster.too-small", "error", "Team Roster", "A2", ADAMS),
    ]
    assert issues[0].problem == 'The "Role" column is missing from the header row.'
    assert all(m.role is None for m in members)


def test_a_misspelt_header_is_named_as_the_near_match() -> None:
    """ "Roles" in C1 is not taken for Role (a header is read exactly), but the issue names it
    at its own cell, instead of advising a second, empty Role column."""
    header = ["Roles" if h == "Role" else h for h in ROSTER_HEADER]
    _, issues = read_team(full_roster(), header=header)
    missing = [i for i in issues if i.code == "column.missing"]
    assert [(i.cell, i.problem, i.fix) for i in missing] == [
        (
            "C1",
            'The "Role" column is missing from the header row; "Roles" in C1 looks like it.',
            'Rename C1 to "Role".',
        )
    ]


def test_missing_school_column_is_one_issue() -> None:
    """Without a School column rows cannot be told apart: one issue and nothing else."""
    header = [h for h in ROSTER_HEADER if h != "School"]
    rows = [r[1:] for r in full_roster()]
    members, issues = read_team(rows, header=header)
    assert brief(issues) == [("column.missing", "error", "Team Roster", "H1", "")]
    assert members == []


def test_missing_email_column_puts_chair_issue_on_leadership() -> None:
    """Without an Email column each team's chair has no email, reported on the Leadership cell."""
    header = [h for h in ROSTER_HEADER if h != "Email"]
    rows = [[c for i, c in enumerate(r) if i != 4] for r in full_roster()]
    _, issues = read_team(rows, header=header)
    assert brief(issues) == [
        ("roster.chair-no-email", "error", "Team Roster", "D2", ADAMS),
        ("roster.chair-no-email", "error", "Team Roster", "D9", BAKER),
        ("roster.chair-no-email", "error", "Team Roster", "D16", COLE),
    ]


def test_header_aliases_and_extra_columns() -> None:
    """`E-mail (optional)`, `Member Name`, reordering and an extra column read the same roster."""
    header: list[RawValue] = [
        "Notes",
        "E-mail (optional)",
        "Role",
        "Member Name",
        "School",
        "Team Role",
        "Term Ends (optional)",
    ]
    rows = [["n", r[4], r[2], r[1], r[0], r[3], r[7]] for r in full_roster()]
    members, issues = read_team(rows, header=header)
    assert issues == []
    assert members[0] == Member(
        ADAMS, 2, "Chris Chair", "Teacher", "Chair", "adams.chair@district.org"
    )


def test_no_school_directory_means_no_roster_checks() -> None:
    """When the Schools tab has no School column, the roster is not read (one issue is enough)."""
    found, issues = directory(schools=[SCHOOLS_HEADER[1:], *[r[1:] for r in SCHOOL_ROWS]])
    members = read_roster(
        grid(ROSTER_HEADER, full_roster()), found, Settings(), date(2025, 11, 20), issues
    )
    assert members == []
    assert [i.code for i in issues] == ["column.missing"]


def _issues_of(issues: list[Issue], school: str) -> list[str]:
    return [i.code for i in issues if i.school == school]


def test_every_team_rule_at_once() -> None:
    """A two-member Cole High team breaks every rule that can apply to it at once."""
    cole: Rows = [
        [COLE, "A", "Teacher", "", "", "", "", "2020-01-01"],
        [COLE, "B", "Staff", "", "", "", "", ""],
    ]
    _, issues = read_team(others(COLE) + cole)
    assert _issues_of(issues, COLE) == [
        "roster.term-ended",
        "roster.too-small",
        "roster.no-chair",
        "roster.no-principal",
        "roster.few-teachers",
        "roster.few-families",
        "roster.no-community",
        "roster.few-students",
    ]


@given(st.integers(0, 22), st.integers(0, 7), ANY_CELL)
@example(6, 7, "not a date")
@example(0, 4, "chair@")
@example(1, 2, "  ")
def test_junk_in_any_cell_is_reported_at_that_cell(index: int, column: int, junk: RawValue) -> None:
    """Any value in any roster cell never breaks the reader, and its issue points at that cell."""
    rows = full_roster()
    rows[index][column] = junk
    members, issues = read_team(rows)
    row = index + 2
    here = [
        i.code
        for i in assert_cell_issues_at(
            issues, row, column + 1, ("roster.term-ended", "roster.chair-no-email")
        )
    ]
    text = as_text(junk)
    if column in (0, 1, 2) and not text:
        assert here == ["cell.required"]
    elif column == 2 and ROLES.find(text) is None:
        assert here == ["cell.bad-choice"]
    elif column == 4 and text and parse_email(text) is None:
        assert here == ["cell.bad-email"]
    elif column == 7 and text and parse_day(junk) is None:
        assert here == ["cell.bad-date"]
    assert len(members) in (22, 23)


def test_a_position_column_is_not_the_role() -> None:
    """`Position` (here holding Chair) before the real Role column is an extra column, not Role."""
    header: list[RawValue] = ["School", "Name", "Position", "Role", "Leadership", "Email"]
    rows = [[r[0], r[1], r[3] or "Member", r[2], r[3], r[4]] for r in full_roster()]
    members, issues = read_team(rows, header=header)
    assert issues == []
    assert [m.role for m in members[:2]] == ["Teacher", "Principal"]
