"""The Action Plan tab, kept by each school: its One-Year Action Plan, one row per activity."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sheets_sync.core.grid import Grid, name_key
from sheets_sync.core.inputs import Field, Row, TabReader
from sheets_sync.core.issues import Issue, cell_ref
from sheets_sync.core.records import Activity
from sheets_sync.core.schools import Directory
from sheets_sync.core.settings import GOAL_TYPES, Settings
from sheets_sync.core.values import as_text
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
    ("Person Responsible", "Persons Responsible", "Lead", "Owner", "Who"),
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
    reader = TabReader(settings.tabs.plan, grid, PLAN_FIELDS, issues)
    if not reader.has(PLAN_SCHOOL.title):
        return []
    types = InvolvementTypes(settings.framework)
    activities: list[Activity] = []
    for row in reader.rows():
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
            when=row.period(WHEN, settings.rules.day_first),
            status=row.choice(STATUS_FIELD, STATUS) or "Planned",
            evaluated=bool(as_text(row.raw(EVALUATION.title))),
        )
        row.text(RESPONSIBLE)
        _check_dates(row, activity, settings, today)
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


def _check_dates(row: Row, activity: Activity, settings: Settings, today: date) -> None:
    when, year = activity.when, settings.year
    if when is None:
        return
    if when.last < year.start or when.first > year.end:
        row.issue(
            "warning",
            WHEN.title,
            "plan.date-outside-year",
            f"This activity is dated outside the school year "
            f"({year.start.isoformat()} to {year.end.isoformat()}).",
            "Check the year in the date, or move the activity to this year's plan.",
        )
    grace = settings.rules.evaluation_grace_days
    if activity.status == "Planned" and (today - when.last).days > grace:
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
    plans: dict[str, list[Activity]] = defaultdict(list)
    for activity in activities:
        plans[activity.school].append(activity)
    column = reader.columns[PLAN_SCHOOL.title] + 1
    for school in directory.active:
        plan = plans.get(school.name)
        if not plan:
            at = directory.school_column
            issues.append(
                Issue(
                    "error",
                    settings.tabs.schools,
                    cell_ref(school.row, at),
                    "plan.empty",
                    f"{school.name} has no activities in the {reader.tab} tab.",
                    f"Add {school.name}'s One-Year Action Plan to the {reader.tab} tab, "
                    f"one row per activity.",
                    (school.name,),
                    school.row,
                    at,
                )
            )
            continue
        # Plan rules point at the School cell of the plan's first row.
        first = plan[0].row
        where = (reader.tab, cell_ref(first, column))
        goals_known = reader.has(GOAL.title) and reader.has(GOAL_TYPE_FIELD.title)
        short = _goal_shortfall(plan, settings) if goals_known else ""
        if short:
            issues.append(
                Issue(
                    "warning",
                    *where,
                    "plan.goal-mix",
                    f"{school.name}'s plan has fewer goals than expected: {short}.",
                    "Add goals of those types, or check the Goal Type column.",
                    (school.name,),
                    first,
                    column,
                )
            )
        covered = {a.involvement for a in plan if a.involvement and a.status != "Cancelled"}
        missing = set(range(1, 7)) - covered
        if missing and reader.has(INVOLVEMENT.title):
            issues.append(
                Issue(
                    "warning",
                    *where,
                    "plan.types-missing",
                    f"{school.name}'s plan leaves out {names_of(missing, types)}.",
                    "Plan at least one activity of each type of involvement.",
                    (school.name,),
                    first,
                    column,
                )
            )


def _goal_shortfall(plan: list[Activity], settings: Settings) -> str:
    goals: dict[str, set[str]] = defaultdict(set)
    for activity in plan:
        if activity.goal_type and activity.goal:
            goals[activity.goal_type].add(name_key(activity.goal))
    short = []
    for goal_type in GOAL_TYPES:
        wanted = settings.rules.goal_mix.get(goal_type, 0)
        have = len(goals[goal_type])
        if have < wanted:
            short.append(f"{have} {goal_type} (expected {wanted})")
    return ", ".join(short)
