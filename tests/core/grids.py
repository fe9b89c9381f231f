"""Small hand-written workbook grids for the reader tests, and helpers to read them.

The district: Adams Elementary (row 2), Baker Middle (row 3), Cole High (row 4, HS),
Dale Closed (row 5, inactive); facilitators Pat Lee (row 2) and Kim Park (row 3).
The school year is 2025-08-01..2026-06-30 and today is 2025-11-20 unless a test says otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from hypothesis import strategies as st

from sheets_sync.core.contacts import read_contacts
from sheets_sync.core.grid import Grid, RawValue
from sheets_sync.core.issues import Issue, cell_ref
from sheets_sync.core.plan import read_plan
from sheets_sync.core.records import Activity, Contact, Member
from sheets_sync.core.roster import read_roster
from sheets_sync.core.schools import Directory, read_directory
from sheets_sync.core.settings import Settings

TODAY = date(2025, 11, 20)
SETTINGS = Settings()
ADAMS, BAKER, COLE, DALE = "Adams Elementary", "Baker Middle", "Cole High", "Dale Closed"
PAT, KIM = "Pat Lee", "Kim Park"

SCHOOLS_HEADER: list[RawValue] = [
    "School",
    "Code",
    "Level",
    "Principal",
    "Principal Email",
    "Facilitator",
    "Cluster",
    "Active",
]
SCHOOL_ROWS: list[list[RawValue]] = [
    [ADAMS, "0042", "ES", "Ann Adams", "ann@district.org", PAT, "North", ""],
    [BAKER, 101.0, "MS", "Bo Baker", "bo@district.org", PAT, "North", "Yes"],
    [COLE, "C-3", "HS", "Cy Cole", "cy@district.org", KIM, "South", ""],
    [DALE, "", "ES", "", "", "", "", "No"],
]
FACILITATORS_HEADER: list[RawValue] = ["Facilitator", "Email"]
FACILITATOR_ROWS: list[list[RawValue]] = [[PAT, "pat@district.org"], [KIM, "kim@district.org"]]

ROSTER_HEADER: list[RawValue] = [
    "School",
    "Name",
    "Role",
    "Leadership",
    "Email",
    "Phone",
    "Grade Levels",
    "Term Ends",
]
PLAN_HEADER: list[RawValue] = [
    "School",
    "Goal",
    "Goal Type",
    "Activity",
    "Involvement Type",
    "Date",
    "Responsible",
    "Status",
    "Evaluation",
    "Grade Levels",
]
CONTACTS_HEADER: list[RawValue] = ["Date", "School", "Facilitator", "Contact Type", "With", "Notes"]


def grid(header: Sequence[RawValue], rows: Iterable[Sequence[RawValue]]) -> Grid:
    return [list(header), *(list(r) for r in rows)]


def schools_grid() -> Grid:
    return grid(SCHOOLS_HEADER, SCHOOL_ROWS)


def facilitators_grid() -> Grid:
    return grid(FACILITATORS_HEADER, FACILITATOR_ROWS)


def directory(
    settings: Settings = SETTINGS, schools: Grid | None = None, facilitators: Grid | None = None
) -> tuple[Directory, list[Issue]]:
    issues: list[Issue] = []
    found = read_directory(
        schools if schools is not None else schools_grid(),
        facilitators if facilitators is not None else facilitators_grid(),
        settings,
        issues,
    )
    return found, issues


def team(school: str, email_prefix: str = "") -> list[list[RawValue]]:
    """A team that passes every roster rule: 7 members (9 with students for a high school)."""
    p = email_prefix or school.split(maxsplit=1)[0].lower()
    rows: list[list[RawValue]] = [
        [school, "Chris Chair", "Teacher", "Chair", f"{p}.chair@district.org", "", "K-5", ""],
        [school, "Pia Principal", "Principal", "", f"{p}.principal@district.org", "", "", ""],
        [school, "Tom Teacher", "Teacher", "Member", f"{p}.tom@district.org", "", "3", ""],
        [school, "Fay Family", "Parent/Family", "", "", "", "", ""],
        [school, "Gus Guardian", "Parent", "", "", "555-0100", "", ""],
        [school, "Cam Community", "Community", "", f"cam@{p}-partners.org", "", "", ""],
        [school, "Sal Staff", "Counselor", "", "", "", "", "2026-06-30"],
    ]
    if school == COLE:
        rows += [
            [school, "Stu One", "Student", "", "", "", "11", ""],
            [school, "Stu Two", "Student", "", "", "", "12", ""],
        ]
    return rows


def full_roster() -> list[list[RawValue]]:
    return team(ADAMS) + team(BAKER) + team(COLE)


def plan(school: str) -> list[list[RawValue]]:
    """A plan that passes every plan rule: 2 Academic goals, 1 Behavior, 1 Climate, all 6 types."""
    return [
        [
            school,
            "Reading",
            "Academic",
            "Family reading night",
            4,
            "2025-12-04",
            "Ms Reed",
            "",
            "",
            "",
        ],
        [
            school,
            "Math",
            "Academic",
            "Math games at home",
            "Type 4",
            "Jan 2026",
            "Mr Sum",
            "",
            "",
            "",
        ],
        [
            school,
            "Attendance",
            "Behavior",
            "Attendance calls",
            2,
            "2026-02-10",
            "Nurse",
            "",
            "",
            "",
        ],
        [
            school,
            "Welcome",
            "Climate of Partnership",
            "Welcome breakfast",
            1,
            "2025-11-15",
            "ATP",
            "Done",
            "4",
            "",
        ],
        [
            school,
            "Welcome",
            "Climate of Partnership",
            "Volunteer fair",
            "Volunteering",
            "2026-03-12",
            "ATP",
            "",
            "",
            "",
        ],
        [
            school,
            "Welcome",
            "Climate",
            "Budget meeting",
            "5 Decision Making",
            "2026-04-02",
            "Principal",
            "",
            "",
            "",
        ],
        [
            school,
            "Welcome",
            "Climate of Partnership",
            "Library partnership",
            6,
            "2026-05-06",
            "ATP",
            "",
            "",
            "",
        ],
    ]


def full_plan() -> list[list[RawValue]]:
    return plan(ADAMS) + plan(BAKER) + plan(COLE)


def district_book(
    schools: Sequence[Sequence[RawValue]] = SCHOOL_ROWS,
    facilitators: Sequence[Sequence[RawValue]] = FACILITATOR_ROWS,
    roster: Sequence[Sequence[RawValue]] | None = None,
    plan: Sequence[Sequence[RawValue]] | None = None,
    contacts: Sequence[Sequence[RawValue]] = (),
) -> dict[str, Grid | None]:
    """The five input tabs of the tests' district: every roster and plan rule met, and the
    given Contact Log (empty by default)."""
    return {
        "Schools": grid(SCHOOLS_HEADER, schools),
        "Facilitators": grid(FACILITATORS_HEADER, facilitators),
        "Team Roster": grid(ROSTER_HEADER, full_roster() if roster is None else roster),
        "Action Plan": grid(PLAN_HEADER, full_plan() if plan is None else plan),
        "Contact Log": grid(CONTACTS_HEADER, contacts),
    }


def read_team(
    rows: Iterable[Sequence[RawValue]],
    settings: Settings = SETTINGS,
    today: date = TODAY,
    header: Sequence[RawValue] = ROSTER_HEADER,
) -> tuple[list[Member], list[Issue]]:
    found, issues = directory(settings)
    issues.clear()
    members = read_roster(grid(header, rows), found, settings, today, issues)
    return members, issues


def read_activities(
    rows: Iterable[Sequence[RawValue]],
    settings: Settings = SETTINGS,
    today: date = TODAY,
    header: Sequence[RawValue] = PLAN_HEADER,
) -> tuple[list[Activity], list[Issue]]:
    found, issues = directory(settings)
    issues.clear()
    activities = read_plan(grid(header, rows), found, settings, today, issues)
    return activities, issues


def read_log(
    rows: Iterable[Sequence[RawValue]],
    settings: Settings = SETTINGS,
    today: date = TODAY,
    header: Sequence[RawValue] = CONTACTS_HEADER,
) -> tuple[list[Contact], list[Issue]]:
    found, issues = directory(settings)
    issues.clear()
    contacts = read_contacts(grid(header, rows), found, settings, today, issues)
    return contacts, issues


# Every kind of value a backend may hand over, junk included.
ANY_CELL: st.SearchStrategy[RawValue] = st.one_of(
    st.none(),
    st.text(),
    st.text(alphabet="0123456789/-. ,:;\napmtzAPMTZ'", max_size=24),
    st.sampled_from(["", " ", "Oct 2025", "2025-13-01", "Type 4", "Chair", "District", "No"]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.times(),
    st.timedeltas(),
)


def assert_cell_issues_at(
    issues: list[Issue], row: int, column: int, row_codes: Iterable[str] = ()
) -> list[Issue]:
    """Issues about cells are all at (row, column), of one code; `row_codes` are on that row.

    Returns the cell issues, for the caller's own expectations.
    """
    here = [i for i in issues if i.code.startswith("cell.") or i.code.endswith(".unknown")]
    assert {i.cell for i in here} <= {cell_ref(row, column)}, brief(issues)
    assert len({i.code for i in here}) <= 1, brief(issues)
    codes = set(row_codes)
    assert all(i.row == row for i in issues if i.code in codes), brief(issues)
    return here


def brief(issues: Iterable[Issue]) -> list[tuple[str, str, str, str, str]]:
    """Each issue as (code, severity, tab, cell, school), the facts most tests pin."""
    return [(i.code, i.severity, i.tab, i.cell, i.school) for i in issues]


def with_code(issues: Iterable[Issue], *codes: str) -> list[Issue]:
    return [i for i in issues if i.code in codes]
