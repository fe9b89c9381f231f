"""The Action Plan tab, kept by each school: its One-Year Action Plan, one row per activity."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from sheets_sync.core.grid import Grid, name_key
from sheets_sync.core.inputs import Field, Row, TabReader
from sheets_sync.core.issues import Finding, Issue
from sheets_sync.core.months import Place, outside_the_year, year_place
from sheets_sync.core.records import Activity
from sheets_sync.core.schools import Directory
from sheets_sync.core.settings import GOAL_TYPES, Settings
from sheets_sync.core.values import as_text, parse_period
from sheets_sync.core.vocab import GOAL_TYPE, STATUS, InvolvementTypes, names_of

PLAN_SCHOOL = Field("School", ("School Name",), required=True, example="the school's name")
GOAL = Field("Goal", ("Goal Name", "School Goal"), required=True, example="the goal it serves")
GOAL_TYPE_FIELD = Field(
    "Goal Type", ("Type of Goal", "Goal Category"), required=True, example=GOAL_TYPE.listing()
)
ACTIVITY = Field(
    "Activity",
    ("Activity Name", "Activities", "Partnership Activity"),
    required=True,
    example="what will happen",
)
INVOLVEMENT = Field(
    "Involvement Type",
    ("Type of Involvement", "Involvement", "Epstein Type", "Standard", "Involvement Standard"),
    required=True,
    example="a number 1-6 or the type's name",
)
WHEN = Field(
    "Date",
    ("Activity Date", "When", "Month", "Date(s)"),
    required=True,
    example="a date, or a month such as Oct 2025",
)
RESPONSIBLE = Field(
    "Responsible",
    ("Person Responsible", "Persons Responsible", "Lead", "Owner"),  # not "Who": the audience
    required=True,
    example="who leads the activity",
)
STATUS_FIELD = Field("Status", ("Activity Status",))
EVALUATION = Field("Evaluation", ("Evaluation Result", "Evaluation Rating", "Rating", "Results"))
PLAN_GRADES = Field("Grade Levels", ("Grades", "Grade", "Grade Level"))
PLAN_FIELDS = (
    PLAN_SCHOOL,
    GOAL,
    GOAL_TYPE_FIELD,
    ACTIVITY,
    INVOLVEMENT,
    WHEN,
    RESPONSIBLE,
    STATUS_FIELD,
    EVALUATION,
    PLAN_GRADES,
)


def read_plan(
    grid: Grid | None, directory: Directory, settings: Settings, today: date, issues: list[Issue]
) -> list[Activity]:
    if grid is None or not directory.schools_known:
        return []  # without known schools every row would be "unknown": that tab's issue is enough
    reader = TabReader(
        settings.tabs.plan, grid, PLAN_FIELDS, issues, settings.columns.get("plan", ())
    )
    if not reader.has(PLAN_SCHOOL.title):
        return []
    types = InvolvementTypes(settings.framework)
    activities: list[Activity] = []
    for row in reader.rows():
        dated = parse_period(row.raw(WHEN.title), settings.rules.day_first, settings.year.start)
        place = year_place(dated.first, dated.last, settings.year, today) if dated else "this year"
        if place in ("history", "next year"):
            row.set_aside(earlier=place == "history")  # another year's plan, kept in the tab
            continue
        school = row.name(PLAN_SCHOOL, directory.school_names, settings.tabs.schools, "school")
        if school is not None and school not in directory.active_names:
            continue
        row.schools = (school,) if school else ()
        activity = Activity(
            school=school or "",
            row=row.number,
            goal=row.text(GOAL),
            goal_type=row.choice(GOAL_TYPE_FIELD, GOAL_TYPE),
            activity=row.text(ACTIVITY),
            involvement=_involvement(row, types),
            when=row.period(WHEN, settings.rules.day_first, settings.year.start),
            status=_status(row),
            evaluated=bool(as_text(row.raw(EVALUATION.title))),
        )
        row.text(RESPONSIBLE)
        _check_dates(row, activity, place, settings, today)
        if school is not None:
            activities.append(activity)
    _plan_rules(reader, activities, directory, settings, types, issues)
    return activities


def _involvement(row: Row, types: InvolvementTypes) -> int | None:
    text = row.text(INVOLVEMENT)
    if not text:
        return None
    number = types.find(text)
    if number is None:
        row.bad_choice(INVOLVEMENT, text, types.listing(), "type of involvement")
    return number


def _status(row: Row) -> str | None:
    """Blank is Planned; an unreadable Status (its issue recorded) is None, unknown."""
    if not row.text(STATUS_FIELD):
        return "Planned"
    return row.choice(STATUS_FIELD, STATUS)


def _check_dates(
    row: Row, activity: Activity, place: Place, settings: Settings, today: date
) -> None:
    when, year = activity.when, settings.year
    if when is None:
        return
    if place in ("after the year", "long before"):
        row.issue(
            "warning",
            WHEN.title,
            "plan.date-outside-year",
            f"This activity is dated {outside_the_year(place, year)}.",
            "Check the year in the date, or move the activity to this year's plan.",
        )
    grace = settings.rules.evaluation_grace_days
    as_of = min(today, year.end)  # once the year has ended, as it stood at its end
    if activity.status == "Planned" and (as_of - when.last).days > grace:
        column = STATUS_FIELD if row.reader.has(STATUS_FIELD.title) else WHEN
        row.issue(
            "warning",
            column.title,
            "plan.stale-planned",
            f"This activity was due more than {grace} days ago and still says Planned.",
            "Set Status to Done, Postponed or Cancelled (and evaluate it if it took place).",
        )


def _plan_rules(
    reader: TabReader,
    activities: list[Activity],
    directory: Directory,
    settings: Settings,
    types: InvolvementTypes,
    issues: list[Issue],
) -> None:
    """Each active school's plan against the rules; an issue at its first row for each broken."""
    plans: dict[str, list[Activity]] = defaultdict(list)
    for activity in activities:
        plans[activity.school].append(activity)
    goals_known = reader.has(GOAL.title) and reader.has(GOAL_TYPE_FIELD.title)
    for school in directory.active:
        plan = plans.get(school.name)
        if not plan:
            issues.append(directory.school_issue(school, _empty(school.name, reader.tab)))
            continue
        found = (
            _goal_shortfall(school.name, plan, settings) if goals_known else None,
            _types_missing(school.name, plan, types) if reader.has(INVOLVEMENT.title) else None,
        )
        for finding in found:
            if finding is not None:
                reader.school_issue(PLAN_SCHOOL, plan[0].row, school.name, finding)


def _empty(school: str, tab: str) -> Finding:
    return Finding(
        "error",
        "plan.empty",
        f"{school} has no activities in the {tab} tab.",
        f"Add {school}'s One-Year Action Plan to the {tab} tab, one row per activity.",
    )


def _goal_shortfall(school: str, plan: list[Activity], settings: Settings) -> Finding | None:
    expected = settings.rules.goal_mix
    short = [
        f"{have} {goal_type} (expected {expected[goal_type]})"
        for goal_type, have in goal_mix(plan)
        if have < expected.get(goal_type, 0)
    ]
    if not short:
        return None
    return Finding(
        "warning",
        "plan.goal-mix",
        f"{school}'s plan has fewer goals than expected: {', '.join(short)}.",
        "Add goals of those types, or check the Goal Type column.",
    )


def _types_missing(school: str, plan: list[Activity], types: InvolvementTypes) -> Finding | None:
    covered = {a.involvement for a in plan if a.involvement and a.status != "Cancelled"}
    missing = set(range(1, 7)) - covered
    if not missing:
        return None
    return Finding(
        "warning",
        "plan.types-missing",
        f"{school}'s plan leaves out {names_of(missing, types)}.",
        "Plan at least one activity of each type of involvement.",
    )


def goal_mix(plan: Iterable[Activity]) -> tuple[tuple[str, int], ...]:
    """(goal type, distinct goals) in GOAL_TYPES order; Cancelled activities left out.

    Goals are told apart as names are (`name_key`): `Reading` and `reading.` are one goal.
    """
    goals: dict[str, set[str]] = {goal_type: set() for goal_type in GOAL_TYPES}
    for activity in plan:
        found, goal = goals.get(activity.goal_type or ""), name_key(activity.goal)
        if found is not None and goal and activity.status != "Cancelled":
            found.add(goal)
    return tuple((goal_type, len(found)) for goal_type, found in goals.items())
