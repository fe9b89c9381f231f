"""The Action Plan tab: activity cells and the plan rules, worked out by hand.

In the sample plan Adams Elementary is on rows 2-8, Baker Middle on rows 9-15 and Cole High
on rows 16-22; each plan has 2 Academic goals, 1 Behavior, 1 Climate of Partnership and all
six types of involvement. Today is 2025-11-20.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from sheets_sync.core.grid import RawValue
from sheets_sync.core.plan import read_plan
from sheets_sync.core.records import Activity, Period
from sheets_sync.core.settings import Rules, Settings
from sheets_sync.core.values import as_text, parse_period
from sheets_sync.core.vocab import InvolvementTypes
from tests.core.grids import (
    ADAMS,
    ANY_CELL,
    BAKER,
    COLE,
    DALE,
    PLAN_HEADER,
    assert_cell_issues_at,
    brief,
    directory,
    full_plan,
    grid,
    plan,
    read_activities,
    with_code,
)

Rows = list[list[RawValue]]
# Columns: A School, B Goal, C Goal Type, D Activity, E Involvement Type, F Date, G Responsible,
# H Status, I Evaluation, J Grade Levels.
GOAL, GOAL_TYPE, ACTIVITY, TYPE, WHEN, RESPONSIBLE, STATUS, EVALUATION = range(1, 9)


def others(*but: str) -> Rows:
    return [row for school in (ADAMS, BAKER, COLE) if school not in but for row in plan(school)]


def adams(**changes: dict[int, RawValue]) -> Rows:
    """Adams's passing plan with cells changed: `adams(r1={WHEN: "x"})` edits its 2nd row."""
    rows = plan(ADAMS)
    for key, cells in changes.items():
        for column, value in cells.items():
            rows[int(key[1:])][column] = value
    return rows


def test_a_plan_that_passes_every_rule() -> None:
    """The sample plan has no issue; types, months, statuses and evaluations are read."""
    activities, issues = read_activities(full_plan())
    assert issues == []
    assert len(activities) == 21
    assert activities[0] == Activity(
        ADAMS,
        2,
        "Reading",
        "Academic",
        "Family reading night",
        4,
        Period(date(2025, 12, 4), date(2025, 12, 4)),
    )
    assert activities[1].when == Period(date(2026, 1, 1), date(2026, 1, 31))
    assert [a.involvement for a in activities[:7]] == [4, 4, 2, 1, 3, 5, 6]
    assert [a.goal_type for a in activities[3:6]] == ["Climate of Partnership"] * 3
    assert (activities[3].status, activities[3].evaluated) == ("Done", True)
    assert (activities[4].status, activities[4].evaluated) == ("Planned", False)


def test_empty_plan_for_an_active_school() -> None:
    """An active school without plan rows is one error on its row of the Schools tab."""
    _, issues = read_activities(others(BAKER))
    assert brief(issues) == [("plan.empty", "error", "Schools", "A3", BAKER)]
    assert issues[0].problem == "Baker Middle has no activities in the Action Plan tab."
    assert issues[0].fix == (
        "Add Baker Middle's One-Year Action Plan to the Action Plan tab, one row per activity."
    )


def test_goal_mix() -> None:
    """One Academic goal (two rows of `Reading`) and no Behavior goal fall short of the mix."""
    rows = adams(r1={GOAL: "reading"}, r2={GOAL_TYPE: "Climate"}) + others(ADAMS)
    _, issues = read_activities(rows)
    assert brief(issues) == [("plan.goal-mix", "warning", "Action Plan", "A2", ADAMS)]
    assert issues[0].problem == (
        "Adams Elementary's plan has fewer goals than expected: "
        "1 Academic (expected 2), 0 Behavior (expected 1)."
    )
    assert issues[0].fix == "Add goals of those types, or check the Goal Type column."


def test_goal_mix_from_the_rules() -> None:
    """With 3 Academic goals expected every sample plan falls short."""
    mix = {"Academic": 3, "Behavior": 1, "Climate of Partnership": 1}
    _, issues = read_activities(full_plan(), Settings(rules=Rules(goal_mix=mix)))
    assert [(i.code, i.cell) for i in issues] == [
        ("plan.goal-mix", "A2"),
        ("plan.goal-mix", "A9"),
        ("plan.goal-mix", "A16"),
    ]
    assert issues[0].problem.endswith(": 2 Academic (expected 3).")


@pytest.mark.parametrize(
    ("text", "goal_type"),
    [
        ("Behavioral", "Behavior"),
        ("non-academic", "Behavior"),
        ("BEHAVIOUR", "Behavior"),
        ("Partnership", "Climate of Partnership"),
        ("climate", "Climate of Partnership"),
        ("academics", "Academic"),
    ],
)
def test_goal_type_aliases(text: str, goal_type: str) -> None:
    """Goal Type aliases read as their type."""
    activities, issues = read_activities(adams(r2={GOAL_TYPE: text}) + others(ADAMS))
    assert activities[2].goal_type == goal_type
    assert [i.code for i in issues] in ([], ["plan.goal-mix"])


def test_types_missing() -> None:
    """Without types 3 and 6 (the 6 only on a Cancelled row) the plan names both as missing."""
    rows = adams(r4={TYPE: 2}, r6={STATUS: "Canceled"}) + others(ADAMS)
    _, issues = read_activities(rows)
    assert brief(issues) == [("plan.types-missing", "warning", "Action Plan", "A2", ADAMS)]
    assert issues[0].problem == (
        "Adams Elementary's plan leaves out 3 Volunteering, 6 Collaborating with Community."
    )
    assert issues[0].fix == "Plan at least one activity of each type of involvement."


PTA_TYPES: list[RawValue] = [
    "Welcoming All Families into the School Community",
    "Communicating",
    "Standard 3",
    "speaking up for every child",
    5.0,
    "Collaborating with Community",
]


def test_pta_framework() -> None:
    """With the pta framework the six National Standards are read by name, short name or number."""
    pta = Settings(framework="pta")
    rows = [
        [ADAMS, "G", "Academic", f"A{i}", t, "2026-03-01", "X", "", "", ""]
        for i, t in enumerate(PTA_TYPES)
    ]
    activities, issues = read_activities(rows[:5] + others(ADAMS), pta)
    assert [a.involvement for a in activities[:5]] == [1, 2, 3, 4, 5]
    adams_issues = [i for i in issues if i.school == ADAMS]
    assert [i.code for i in adams_issues] == ["plan.goal-mix", "plan.types-missing"]
    assert adams_issues[1].problem == (
        "Adams Elementary's plan leaves out 6 Collaborating with Community."
    )


def test_bad_involvement_type_lists_the_framework_s_types() -> None:
    """An unknown type is a bad choice whose fix lists the framework's six types."""
    _, issues = read_activities(adams(r0={TYPE: "Type 7"}) + others(ADAMS))
    assert brief(issues) == [("cell.bad-choice", "error", "Action Plan", "E2", ADAMS)]
    assert issues[0].problem == '"Type 7" is not a type of involvement this sheet knows.'
    assert issues[0].fix == (
        "Use one of: 1 Parenting, 2 Communicating, 3 Volunteering, "
        "4 Learning at Home, 5 Decision Making, "
        "6 Collaborating with Community."
    )


@pytest.mark.parametrize("when", ["2026-07-15", "Jul 2026", 46218.0])
def test_a_date_after_the_school_year_is_a_warning(when: RawValue) -> None:
    """While the year runs (today 2025-11-20), a date after it (46218 is 2026-07-15) is a
    warning on the Date cell."""
    rows = adams(r0={WHEN: when, STATUS: "Done"}) + others(ADAMS)
    _, issues = read_activities(rows)
    assert brief(issues) == [("plan.date-outside-year", "warning", "Action Plan", "F2", ADAMS)]
    assert issues[0].problem == (
        "This activity is dated after the school year (2025-08-01 to 2026-06-30)."
    )


@pytest.mark.parametrize("when", ["2015-07-31", "Jan 1925"])
def test_a_date_more_than_ten_years_back_is_a_warning(when: RawValue) -> None:
    """2015-08-01 is ten years before the year's start: anything earlier is a typo's year."""
    rows = adams(r0={WHEN: when, STATUS: "Done"}) + others(ADAMS)
    _, issues = read_activities(rows)
    assert brief(issues) == [("plan.date-outside-year", "warning", "Action Plan", "F2", ADAMS)]
    assert issues[0].problem == (
        "This activity is dated more than 10 years before the school year "
        "(2025-08-01 to 2026-06-30)."
    )


@pytest.mark.parametrize("when", ["2025-07-31", "Jul 2025", "2015-08-01", "Oct 2020"])
def test_earlier_years_rows_are_history(when: RawValue) -> None:
    """A row of an earlier year (from 2015-08-01 to 2025-07-31) is neither counted nor
    checked, however it is filled in: still Planned, an unknown type, no evaluation."""
    old = [ADAMS, "Reading", "Academic", "Old night", "Type 9", when, "", "Planned", "", ""]
    activities, issues = read_activities([*adams(), old, *others(ADAMS)])
    assert issues == []
    assert len(activities) == len(adams() + others(ADAMS))
    assert "Old night" not in {a.activity for a in activities}


def test_in_the_summer_next_years_rows_are_quiet_too() -> None:
    """On 2026-07-15 the year 2025-26 has ended: a row dated 2026-09-10 is the coming year's
    plan, neither counted nor checked; one dated after the coming year is still a warning."""
    summer = date(2026, 7, 15)
    new = [ADAMS, "Reading", "Academic", "New night", "Type 9", "2026-09-10", "", "", "", ""]
    far = [ADAMS, "Reading", "Academic", "Far night", 4, "2027-09-10", "", "Done", "x", ""]
    activities, issues = read_activities([*adams(), new, far, *others(ADAMS)], today=summer)
    assert [(i.code, i.cell) for i in issues if i.code == "plan.date-outside-year"] == [
        ("plan.date-outside-year", "F10")
    ]
    assert "New night" not in {a.activity for a in activities}


@pytest.mark.parametrize("when", ["Aug 2025", "2025-08-01", "Jun 2026", "6/30/2026"])
def test_dates_at_the_edges_of_the_year_are_inside(when: RawValue) -> None:
    """The first and last days (and months) of the school year are inside it."""
    _, issues = read_activities(adams(r0={WHEN: when, STATUS: "Done"}) + others(ADAMS))
    assert issues == []


@pytest.mark.parametrize(
    ("when", "status", "stale"),
    [
        ("2025-11-05", "", True),
        ("2025-11-05", "planned", True),
        ("2025-11-06", "", False),
        ("Oct 2025", "", True),
        ("Nov 2025", "", False),
        ("2025-11-05", "Done", False),
        ("2025-11-05", "Postponed", False),
        ("2025-09-01", "Cancelled", False),
    ],
)
def test_stale_planned(when: str, status: str, stale: bool) -> None:
    """Planned activities dated more than 14 days before today (by a month's last day) are stale."""
    _, issues = read_activities(adams(r0={WHEN: when, STATUS: status}) + others(ADAMS))
    expected = [("plan.stale-planned", "warning", "Action Plan", "H2", ADAMS)] if stale else []
    # Cancelling the row's Reading goal leaves one Academic goal: a goal-mix warning, not ours.
    assert brief(i for i in issues if i.code != "plan.goal-mix") == expected
    if stale:
        assert issues[0].problem == (
            "This activity was due more than 14 days ago and still says Planned."
        )


def test_stale_planned_without_a_status_column_points_at_the_date() -> None:
    """Without a Status column (optional) a stale activity is reported on its Date cell."""
    header = [h for h in PLAN_HEADER if h != "Status"]
    rows = [[c for i, c in enumerate(r) if i != STATUS] for r in adams(r0={WHEN: "2025-10-01"})]
    _, issues = read_activities(
        rows + [[c for i, c in enumerate(r) if i != STATUS] for r in others(ADAMS)], header=header
    )
    assert brief(issues) == [("plan.stale-planned", "warning", "Action Plan", "F2", ADAMS)]


def test_bad_activity_cells_are_one_issue_each() -> None:
    """Blank required cells and unreadable choices and dates are one issue each, at their cells."""
    rows = adams(
        r0={
            GOAL: "",
            GOAL_TYPE: "Social",
            ACTIVITY: " ",
            WHEN: "someday",
            RESPONSIBLE: "",
            STATUS: "Maybe",
        },
        r1={TYPE: "", WHEN: ""},
    ) + others(ADAMS)
    activities, issues = read_activities(rows)
    assert brief(issues) == [
        ("cell.required", "error", "Action Plan", "B2", ADAMS),
        ("cell.bad-choice", "error", "Action Plan", "C2", ADAMS),
        ("cell.required", "error", "Action Plan", "D2", ADAMS),
        ("cell.bad-date", "error", "Action Plan", "F2", ADAMS),
        ("cell.bad-choice", "error", "Action Plan", "H2", ADAMS),
        ("cell.required", "error", "Action Plan", "G2", ADAMS),
        ("cell.required", "error", "Action Plan", "E3", ADAMS),
        ("cell.required", "error", "Action Plan", "F3", ADAMS),
        ("plan.goal-mix", "warning", "Action Plan", "A2", ADAMS),
    ]
    assert issues[1].problem == '"Social" is not a Goal Type this sheet knows.'
    assert issues[1].fix == "Use one of: Academic, Behavior, Climate of Partnership."
    assert issues[4].fix == "Use one of: Planned, Done, Postponed, Cancelled."
    assert issues[5].fix == 'Fill in "Responsible" (who leads the activity).'
    assert issues[7].fix == 'Fill in "Date" (a date, or a month such as Oct 2025).'
    assert issues[8].problem.endswith(": 1 Academic (expected 2).")
    # Both rows still belong to the plan; an unreadable Status is unknown, not Planned.
    assert len(activities) == 21
    assert activities[0].status is None


def test_unknown_and_inactive_schools() -> None:
    """An unknown school is one issue and joins no plan; an inactive school's rows cost nothing."""
    rows: Rows = [
        *others(),
        ["Baker Midle", "G", "Academic", "A", 1, "2026-01-05", "X", "", "", ""],
        [DALE, "", "Nonsense", "", 9, "never", "", "Maybe", "", ""],
    ]
    activities, issues = read_activities(rows)
    assert brief(issues) == [("school.unknown", "error", "Action Plan", "A23", "")]
    assert issues[0].fix.startswith('Did you mean "Baker Middle"? ')
    assert len(activities) == 21


def test_missing_involvement_column_skips_the_types_rule() -> None:
    """Without Involvement Type: one column.missing, no types-missing; goal mix still checked."""
    header = [h for h in PLAN_HEADER if h != "Involvement Type"]
    rows = [
        [c for i, c in enumerate(r) if i != TYPE]
        for r in adams(r1={GOAL: "Reading"}) + others(ADAMS)
    ]
    activities, issues = read_activities(rows, header=header)
    assert brief(issues) == [
        ("column.missing", "error", "Action Plan", "J1", ""),
        ("plan.goal-mix", "warning", "Action Plan", "A2", ADAMS),
    ]
    assert issues[0].problem == 'The "Involvement Type" column is missing from the header row.'
    assert all(a.involvement is None for a in activities)


def test_missing_goal_column_skips_the_goal_mix() -> None:
    """Without a Goal column the goal mix cannot be counted, so it is not checked."""
    header = [h for h in PLAN_HEADER if h != "Goal"]
    rows = [[c for i, c in enumerate(r) if i != GOAL] for r in full_plan()]
    _, issues = read_activities(rows, header=header)
    assert brief(issues) == [("column.missing", "error", "Action Plan", "J1", "")]


def test_missing_school_column_is_one_issue() -> None:
    """Without a School column nothing else is checked."""
    header = PLAN_HEADER[1:]
    activities, issues = read_activities([r[1:] for r in full_plan()], header=header)
    assert brief(issues) == [("column.missing", "error", "Action Plan", "J1", "")]
    assert activities == []


def test_no_school_directory_means_no_plan_checks() -> None:
    """When no school can be known, the plan is not read (the Schools tab's issue says why)."""
    found, issues = directory(schools=[["Principal"], ["Ann"]])
    activities = read_plan(
        grid(PLAN_HEADER, full_plan()), found, Settings(), date(2025, 11, 20), issues
    )
    assert activities == []
    assert all(i.tab == "Schools" for i in issues)


def test_day_first_dates() -> None:
    """With day-first dates 4/12/2025 is 4 December."""
    activities, issues = read_activities(
        adams(r0={WHEN: "4/12/2025"}) + others(ADAMS), Settings(rules=Rules(day_first=True))
    )
    assert issues == []
    assert activities[0].when == Period(date(2025, 12, 4), date(2025, 12, 4))


def test_header_aliases_and_optional_columns() -> None:
    """Aliased headers with `(optional)` and extra columns read the same plan."""
    header: list[RawValue] = [
        "School Name",
        "Goal",
        "Type of Goal",
        "Activity",
        "Epstein Type",
        "When",
        "Person Responsible",
        "Status (optional)",
        "Evaluation (optional)",
        "Budget",
    ]
    activities, issues = read_activities(full_plan(), header=header)
    assert issues == []
    assert activities == read_activities(full_plan())[0]


@given(st.integers(0, 20), st.integers(0, 9), ANY_CELL)
@example(0, WHEN, "Octember")
@example(0, TYPE, "Type 9")
def test_junk_in_any_cell_is_reported_at_that_cell(index: int, column: int, junk: RawValue) -> None:
    """Any value in any plan cell never breaks the reader, and its issue points at that cell."""
    rows = full_plan()
    rows[index][column] = junk
    activities, issues = read_activities(rows)
    row = index + 2
    here = [
        i.code
        for i in assert_cell_issues_at(
            issues, row, column + 1, ("plan.date-outside-year", "plan.stale-planned")
        )
    ]
    text = as_text(junk)
    if column in range(8) and column != STATUS and not text:
        assert here == ["cell.required"]
    elif column == WHEN and parse_period(junk) is None:
        assert here == ["cell.bad-date"]
    elif column == TYPE and InvolvementTypes("nnps").find(text) is None:
        assert here == ["cell.bad-choice"]
    assert len(activities) in (20, 21)


def test_goal_mix_leaves_out_cancelled_activities() -> None:
    """Adams's only Behavior goal is on a Cancelled row, so 0 Behavior goals fall short of 1."""
    rows = adams(r0={TYPE: 2}, r2={STATUS: "Cancelled"}) + others(ADAMS)
    _, issues = read_activities(rows)
    assert brief(issues) == [("plan.goal-mix", "warning", "Action Plan", "A2", ADAMS)]
    assert issues[0].problem == (
        "Adams Elementary's plan has fewer goals than expected: 0 Behavior (expected 1)."
    )


def test_an_unreadable_status_is_not_planned() -> None:
    """A past activity whose Status is `Maybe` is one bad-choice issue, not also stale-planned."""
    activities, issues = read_activities(
        adams(r0={WHEN: "2025-10-01", STATUS: "Maybe"}) + others(ADAMS)
    )
    assert brief(issues) == [("cell.bad-choice", "error", "Action Plan", "H2", ADAMS)]
    assert activities[0].status is None


def test_a_who_column_is_not_the_responsible_one() -> None:
    """A blank `Who` (the audience) before the real Responsible column is an extra column."""
    header = [*PLAN_HEADER[:6], "Who", *PLAN_HEADER[6:]]
    rows = [[*r[:6], "", *r[6:]] for r in full_plan()]
    activities, issues = read_activities(rows, header=header)
    assert issues == []
    assert len(activities) == 21


def test_an_evaluation_too_long_for_any_cell_is_an_issue_and_the_activity_stays() -> None:
    """An Evaluation of 40,000 characters is one error at its cell; the activity is read, and
    counts as not evaluated, since the cell could not be read."""
    rows = plan(ADAMS)
    rows[0][8] = "e" * 40_000
    activities, issues = read_activities(rows)
    assert brief(with_code(issues, "cell.too-long")) == [
        ("cell.too-long", "error", "Action Plan", "I2", ADAMS)
    ]
    assert [i.code for i in issues if i.school == ADAMS] == ["cell.too-long"]
    assert activities[0].activity == "Family reading night"
    assert not activities[0].evaluated


def test_characters_that_hide_are_a_warning_shown_visibly() -> None:
    """An Activity holding an escape sequence and a right-to-left override is read as typed,
    with one warning at its cell that shows each such character as <U+XXXX>."""
    rows = plan(ADAMS)
    rows[0][3] = "Family \x1b[31mreading\u202e night"
    activities, issues = read_activities(rows)
    assert activities[0].activity == "Family \x1b[31mreading\u202e night"
    assert brief(with_code(issues, "cell.hidden-characters")) == [
        ("cell.hidden-characters", "warning", "Action Plan", "D2", ADAMS)
    ]
    assert with_code(issues, "cell.hidden-characters")[0].problem == (
        "This Activity cell holds characters that do not show, or that reverse the text around "
        'them: "Family <U+001B>[31mreading<U+202E> night".'
    )


def test_a_cell_with_hidden_characters_that_is_wrong_anyway_is_one_issue() -> None:
    """An unreadable Date holding a NUL is the date error alone, quoting the NUL visibly."""
    rows = plan(ADAMS)
    rows[0][5] = "someday\x00"
    _, issues = read_activities(rows)
    here = [i for i in issues if i.cell == "F2"]
    assert [i.code for i in here] == ["cell.bad-date"]
    assert '"someday<U+0000>"' in here[0].problem
