"""Each active school's standing as of a day: what the Summary shows and the emails say.

Everything is computed from parsed records and issues with `today` as a parameter.
Inputs are indexed by school once, so the cost is linear in the number of rows.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal, NamedTuple, TypeVar

from sheets_sync.core.issues import Issue
from sheets_sync.core.records import Activity, Contact, Member, School
from sheets_sync.core.settings import GOAL_TYPES, Rules, SchoolYear, Settings
from sheets_sync.core.vocab import InvolvementTypes, names_of

Status = Literal["Overdue", "Needs attention", "On track"]
ThisMonth = Literal["Done", "Due", ""]
PrincipalState = Literal["Done", "Late", "Due", "Overdue"]
QuarterState = Literal["attended", "missed", "pending"]
CelebrationState = Literal["Done", "Not yet", "Missed"]

STATUS_ORDER: tuple[Status, ...] = ("Overdue", "Needs attention", "On track")

PRINCIPAL_MEETING = "Principal Meeting"
CLUSTER_MEETING = "Cluster Meeting"
CELEBRATION = "Celebration"

# Team rule codes as the Summary's Team Check says them, in the order it lists them.
TEAM_PROBLEMS: dict[str, str] = {
    "roster.empty": "no members",
    "roster.too-small": "too small",
    "roster.large": "large",
    "roster.no-chair": "no chair",
    "roster.chair-no-email": "chair without email",
    "roster.no-principal": "no principal",
    "roster.few-teachers": "few teachers",
    "roster.few-families": "few families",
    "roster.no-community": "no community member",
    "roster.few-students": "few students",
    "roster.duplicate-member": "duplicate member",
    "roster.term-ended": "term ended",
}

# Fixed English abbreviations: calendar.month_abbr follows the process locale.
MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_TYPE_COUNT = 6
_NOT_DUE_FOR_EVALUATION = frozenset({"Postponed", "Cancelled"})
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class MonthTally:
    """One month of the school year for one school: its counting contacts and its state."""

    year: int
    month: int
    contacts: int  # counting contacts dated that month (on or before today)
    required: bool
    begun: bool  # its first day is on or before today
    ended: bool  # its last day is before today

    @property
    def missed(self) -> bool:
        return self.required and self.ended and self.contacts == 0

    @property
    def abbr(self) -> str:
        return MONTH_ABBR[self.month - 1]

    @property
    def label(self) -> str:
        """`Aug 2025`, the Contact Calendar's column title."""
        return f"{self.abbr} {self.year}"


@dataclass(frozen=True, slots=True)
class QuarterStanding:
    """A cluster-meeting quarter that has begun: `number` is its place in `rules.quarters`."""

    number: int
    first: date
    last: date
    state: QuarterState
    attended_on: date | None = None  # the first cluster meeting inside it


@dataclass(frozen=True, slots=True)
class Standing:
    """One active school's standing: values for the emails, display strings for the Summary."""

    school: School
    status: Status
    reasons: tuple[str, ...]  # why it is not On track, in plain words
    # Team
    team_members: int
    team_problems: tuple[str, ...]  # short phrases, e.g. ("no chair", "few families")
    team_check: str  # "OK" or the problems joined with ", "
    # Plan
    plan_activities: int  # activities not Cancelled
    types_covered: frozenset[int]
    types_missing: tuple[int, ...]
    types_text: str  # "5 of 6 (missing 3 Volunteering)"
    goal_mix: tuple[tuple[str, int], ...]  # (goal type, distinct goals), in GOAL_TYPES order
    evaluations_due: tuple[Activity, ...]
    # Contacts
    months: tuple[MonthTally, ...]  # every month of the school year, in order
    missed_months: tuple[MonthTally, ...]
    missed_months_text: str  # "Sep, Nov"
    last_contact: date | None
    days_since_contact: int | None
    last_contact_text: str  # "2025-10-14" or ""
    this_month: ThisMonth
    days_left: int | None  # days left in this month when it is Due
    this_month_text: str  # "Done", "Due (8 days left)", "Due today" or ""
    principal_meeting: PrincipalState
    principal_meeting_on: date | None  # the earliest principal meeting
    principal_deadline: date
    principal_meeting_text: str  # "Done 2025-09-12", "Due by 2025-09-30", ...
    quarters: tuple[QuarterStanding, ...]  # the quarters begun
    last_quarter_missed: bool  # the most recent ended quarter had no cluster meeting
    cluster_text: str  # "Q1 attended, Q2 pending"
    celebration: CelebrationState
    celebration_on: date | None
    celebration_text: str  # "Done 2026-05-28", "Not yet" or "Missed"
    # Data issues
    issues: tuple[Issue, ...]  # every issue that names this school
    errors: int
    warnings: int

    @property
    def name(self) -> str:
        return self.school.name

    @property
    def code(self) -> str:
        return self.school.code

    @property
    def facilitator(self) -> str:
        return self.school.facilitator or ""

    @property
    def evaluations_due_count(self) -> int:
        return len(self.evaluations_due)

    @property
    def contacts_this_year(self) -> int:
        return sum(m.contacts for m in self.months)


def compute_standings(
    schools: Sequence[School],
    members: Iterable[Member],
    activities: Iterable[Activity],
    contacts: Iterable[Contact],
    issues: Iterable[Issue],
    settings: Settings,
    today: date,
) -> list[Standing]:
    """The standing of every active school as of `today`, in the order of `schools`."""
    frame = _Frame.build(settings, today)
    member_counts: dict[str, int] = {}
    for member in members:
        member_counts[member.school] = member_counts.get(member.school, 0) + 1
    activities_by = _group(activities, lambda a: (a.school,))
    issues_by = _group(issues, lambda i: i.schools)
    contacts_by: dict[str, list[tuple[date, str]]] = {}
    for contact in contacts:
        day, kind = contact.day, contact.type
        if contact.counts and day is not None and kind is not None and day <= today:
            names = contact.schools
            for school in names if len(names) < 2 else dict.fromkeys(names):
                contacts_by.setdefault(school, []).append((day, kind))
    return [
        _standing(
            school,
            frame,
            contacts=contacts_by.get(school.name, []),
            member_count=member_counts.get(school.name, 0),
            activities=activities_by.get(school.name, []),
            issues=issues_by.get(school.name, []),
        )
        for school in schools
        if school.active
    ]


def _group(items: Iterable[_T], keys_of: Callable[[_T], tuple[str, ...]]) -> dict[str, list[_T]]:
    grouped: dict[str, list[_T]] = {}
    for item in items:
        for key in _distinct(keys_of(item)):
            grouped.setdefault(key, []).append(item)
    return grouped


def _distinct(names: tuple[str, ...]) -> tuple[str, ...]:
    return names if len(names) < 2 else tuple(dict.fromkeys(names))


# -- the school year as of today, worked out once for every school ----------------------


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _month_first(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def _month_last(index: int) -> date:
    year, month = index // 12, index % 12 + 1
    return date(year, month, calendar.monthrange(year, month)[1])


class _Month(NamedTuple):
    key: int  # its month index, year * 12 + month - 1
    year: int
    month: int
    required: bool
    begun: bool
    ended: bool


@dataclass(frozen=True, slots=True)
class _Quarter:
    number: int
    first: date
    last: date


@dataclass(frozen=True, slots=True)
class _Frame:
    year: SchoolYear
    rules: Rules
    types: InvolvementTypes
    today: date
    months: tuple[_Month, ...]  # every month of the year
    required: frozenset[int]  # month indexes
    last_ended_required: int | None  # the latest required month whose last day < today
    today_month: int | None  # today's month index, when today is inside the year
    days_left: int  # in today's month, counting from today
    deadline: date  # for the principal meeting
    quarters: tuple[_Quarter, ...]  # those begun, in order

    @classmethod
    def build(cls, settings: Settings, today: date) -> _Frame:
        year, rules = settings.year, settings.rules
        first, last = _month_index(year.start), _month_index(year.end)
        wanted = set(rules.required_months)
        required = frozenset(i for i in range(first, last + 1) if i % 12 + 1 in wanted)
        ended = {i for i in range(first, last + 1) if _month_last(i) < today}
        in_year = year.start <= today <= year.end
        return cls(
            year=year,
            rules=rules,
            types=InvolvementTypes(settings.framework),
            today=today,
            months=tuple(
                _Month(i, i // 12, i % 12 + 1, i in required, _month_first(i) <= today, i in ended)
                for i in range(first, last + 1)
            ),
            required=required,
            last_ended_required=max(ended & required, default=None),
            today_month=_month_index(today) if in_year else None,
            days_left=(_month_last(_month_index(today)) - today).days,
            deadline=_deadline(year, rules.principal_meeting_by),
            quarters=tuple(q for q in _quarters(year, rules.quarters) if q.first <= today),
        )


def _deadline(year: SchoolYear, month_day: tuple[int, int]) -> date:
    """The first date on or after the year's start with that month and day (29 Feb -> 28)."""
    month, day = month_day
    for calendar_year in (year.start.year, year.start.year + 1):
        fits = min(day, calendar.monthrange(calendar_year, month)[1])
        found = date(calendar_year, month, fits)
        if found >= year.start:
            return found
    return year.start  # unreachable: the next calendar year always fits


def _quarters(year: SchoolYear, spans: tuple[tuple[int, int], ...]) -> list[_Quarter]:
    """Quarters placed one after another in the school year, clipped to its days."""
    placed: list[_Quarter] = []
    cursor = _month_index(year.start)
    for number, (first_month, last_month) in enumerate(spans, start=1):
        length = (last_month - first_month) % 12
        # The earliest start for this month whose quarter has not ended before the cursor.
        first = cursor - (cursor - (first_month - 1)) % 12
        if first + length < cursor:
            first += 12
        last = first + length
        quarter = _Quarter(
            number, max(_month_first(first), year.start), min(_month_last(last), year.end)
        )
        if quarter.first > quarter.last:
            break  # past the year's end: this and later quarters do not happen
        placed.append(quarter)
        cursor = last + 1
    return placed


# -- one school ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Seen:
    """What one school's contacts show."""

    per_month: dict[int, int]  # counting contacts by month index
    last: date | None
    principal: date | None  # the earliest principal meeting
    clusters: list[date]
    celebration: date | None  # the earliest celebration


def _seen(contacts: list[tuple[date, str]], frame: _Frame) -> _Seen:
    start, end, counting = frame.year.start, frame.year.end, frame.rules.counting_types
    per_month: dict[int, int] = {}
    last: date | None = None
    principal: list[date] = []
    clusters: list[date] = []
    celebrations: list[date] = []
    for day, kind in contacts:
        in_year = start <= day <= end
        if in_year and kind in counting:
            index = day.year * 12 + day.month - 1
            per_month[index] = per_month.get(index, 0) + 1
            if last is None or day > last:
                last = day
        if kind == PRINCIPAL_MEETING and day >= start:
            # From the year's start to today, even past the year's end (then it is Late).
            principal.append(day)
        elif kind == CLUSTER_MEETING and in_year:
            clusters.append(day)
        elif kind == CELEBRATION and in_year:
            celebrations.append(day)
    return _Seen(
        per_month, last, min(principal, default=None), clusters, min(celebrations, default=None)
    )


def _standing(
    school: School,
    frame: _Frame,
    *,
    contacts: list[tuple[date, str]],
    member_count: int,
    activities: list[Activity],
    issues: list[Issue],
) -> Standing:
    seen = _seen(contacts, frame)
    today = frame.today
    months = _months(frame, seen.per_month)
    missed = tuple(m for m in months if m.missed)
    this_month, days_left = _this_month(frame, seen.per_month)
    principal = _principal(frame, seen.principal)
    quarters = _cluster_quarters(frame, seen.clusters)
    ended = [q for q in quarters if q.last < today]
    last_quarter_missed = bool(ended) and ended[-1].state == "missed"
    celebration: CelebrationState = (
        "Done" if seen.celebration else "Missed" if today > frame.year.end else "Not yet"
    )
    plan = [a for a in activities if a.status != "Cancelled"]
    covered = frozenset(a.involvement for a in plan if a.involvement is not None)
    due = tuple(a for a in activities if _evaluation_due(a, frame))
    problems = _team_problems(issues)
    errors = sum(1 for i in issues if i.severity == "error")
    abbreviate = len(months) <= 12  # a month name cannot repeat, so the year adds nothing
    values = _Values(
        missed=tuple(m.abbr if abbreviate else m.label for m in missed),
        this_month=this_month,
        days_left=days_left,
        principal=principal,
        last_quarter=ended[-1].number if last_quarter_missed else None,
        evaluations=len(due),
        errors=errors,
    )
    return Standing(
        school=school,
        status=_status(frame, seen.per_month, values),
        reasons=_reasons(frame, values),
        team_members=member_count,
        team_problems=problems,
        team_check=", ".join(problems) or "OK",
        plan_activities=len(plan),
        types_covered=covered,
        types_missing=tuple(n for n in range(1, _TYPE_COUNT + 1) if n not in covered),
        types_text=_types_text(covered, frame.types),
        goal_mix=_goal_mix(plan),
        evaluations_due=due,
        months=months,
        missed_months=missed,
        missed_months_text=", ".join(values.missed),
        last_contact=seen.last,
        days_since_contact=None if seen.last is None else (today - seen.last).days,
        last_contact_text=seen.last.isoformat() if seen.last else "",
        this_month=this_month,
        days_left=days_left,
        this_month_text=_this_month_text(this_month, days_left),
        principal_meeting=principal,
        principal_meeting_on=seen.principal,
        principal_deadline=frame.deadline,
        principal_meeting_text=_principal_text(principal, seen.principal, frame.deadline),
        quarters=quarters,
        last_quarter_missed=last_quarter_missed,
        cluster_text=", ".join(f"Q{q.number} {q.state}" for q in quarters),
        celebration=celebration,
        celebration_on=seen.celebration,
        celebration_text=(
            f"Done {seen.celebration.isoformat()}" if seen.celebration else celebration
        ),
        issues=tuple(issues),
        errors=errors,
        warnings=sum(1 for i in issues if i.severity == "warning"),
    )


def _months(frame: _Frame, per_month: dict[int, int]) -> tuple[MonthTally, ...]:
    return tuple(
        MonthTally(m.year, m.month, per_month.get(m.key, 0), m.required, m.begun, m.ended)
        for m in frame.months
    )


def _this_month(frame: _Frame, per_month: dict[int, int]) -> tuple[ThisMonth, int | None]:
    index = frame.today_month
    if index is None:
        return "", None
    if per_month.get(index):
        return "Done", None
    if index in frame.required:
        return "Due", frame.days_left
    return "", None


def _this_month_text(this_month: ThisMonth, days_left: int | None) -> str:
    if this_month != "Due" or days_left is None:
        return this_month
    if days_left == 0:
        return "Due today"
    return f"Due ({days_left} day{'' if days_left == 1 else 's'} left)"


def _principal(frame: _Frame, met: date | None) -> PrincipalState:
    if met is not None:
        return "Done" if met <= frame.deadline else "Late"
    return "Due" if frame.today <= frame.deadline else "Overdue"


def _principal_text(state: PrincipalState, met: date | None, deadline: date) -> str:
    if met is not None:
        return f"{state} {met.isoformat()}"
    return f"Due by {deadline.isoformat()}" if state == "Due" else state


def _cluster_quarters(frame: _Frame, clusters: list[date]) -> tuple[QuarterStanding, ...]:
    found: list[QuarterStanding] = []
    for quarter in frame.quarters:
        inside = [day for day in clusters if quarter.first <= day <= quarter.last]
        state: QuarterState = (
            "attended" if inside else "missed" if quarter.last < frame.today else "pending"
        )
        first_met = min(inside, default=None)
        found.append(QuarterStanding(quarter.number, quarter.first, quarter.last, state, first_met))
    return tuple(found)


def _evaluation_due(activity: Activity, frame: _Frame) -> bool:
    if activity.evaluated:
        return False
    if activity.status == "Done":
        return True
    when = activity.when
    return (
        activity.status not in _NOT_DUE_FOR_EVALUATION
        and when is not None
        and (frame.today - when.last).days > frame.rules.evaluation_grace_days
    )


def _types_text(covered: frozenset[int], types: InvolvementTypes) -> str:
    text = f"{len(covered)} of {_TYPE_COUNT}"
    missing = [n for n in range(1, _TYPE_COUNT + 1) if n not in covered]
    # With nothing covered, naming all six says no more than "0 of 6".
    if covered and missing:
        text += f" (missing {names_of(missing, types)})"
    return text


def _goal_mix(plan: list[Activity]) -> tuple[tuple[str, int], ...]:
    goals: dict[str, set[str]] = {goal_type: set() for goal_type in GOAL_TYPES}
    for activity in plan:
        goal = " ".join(activity.goal.casefold().split())
        if activity.goal_type in goals and goal:
            goals[activity.goal_type].add(goal)
    return tuple((goal_type, len(found)) for goal_type, found in goals.items())


def _team_problems(issues: list[Issue]) -> tuple[str, ...]:
    codes = {i.code for i in issues if i.code.startswith("roster.")}
    known = [phrase for code, phrase in TEAM_PROBLEMS.items() if code in codes]
    # A rule added later still shows, in words made from its code, after the known ones.
    other = sorted(
        c.removeprefix("roster.").replace("-", " ") for c in codes if c not in TEAM_PROBLEMS
    )
    return (*known, *other)


# -- status and its reasons -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Values:
    """The few values the status and the reasons are decided from."""

    missed: tuple[str, ...]  # missed months as displayed
    this_month: ThisMonth
    days_left: int | None
    principal: PrincipalState
    last_quarter: int | None  # the number of the last ended quarter, when it was missed
    evaluations: int
    errors: int


def _due_soon(frame: _Frame, values: _Values) -> bool:
    return (
        values.this_month == "Due"
        and values.days_left is not None
        and values.days_left <= frame.rules.due_soon_days
    )


def _status(frame: _Frame, per_month: dict[int, int], values: _Values) -> Status:
    last = frame.last_ended_required
    today_month = frame.today_month
    this_month_contacts = 0 if today_month is None else per_month.get(today_month, 0)
    if last is not None and not per_month.get(last) and not this_month_contacts:
        return "Overdue"
    if (
        _due_soon(frame, values)
        or values.missed
        or values.principal == "Overdue"
        or values.last_quarter is not None
        or values.evaluations
        or values.errors
    ):
        return "Needs attention"
    return "On track"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _reasons(frame: _Frame, values: _Values) -> tuple[str, ...]:
    reasons: list[str] = []
    if values.missed:
        reasons.append(f"no contact in {', '.join(values.missed)}")
    if _due_soon(frame, values) and frame.today_month is not None:
        month = MONTH_ABBR[frame.today_month % 12]
        left = values.days_left or 0
        reasons.append(f"{month} due in {_plural(left, 'day')}" if left else f"{month} due today")
    if values.principal == "Overdue":
        reasons.append("principal meeting overdue")
    if values.last_quarter is not None:
        reasons.append(f"Q{values.last_quarter} cluster meeting missed")
    if values.evaluations:
        reasons.append(f"{_plural(values.evaluations, 'evaluation')} due")
    if values.errors:
        reasons.append(f"{_plural(values.errors, 'data error')}")
    return tuple(reasons)
