"""Each active school's standing as of a day: what the Summary shows and the emails say.

Everything is computed from parsed records and issues with `today` as a parameter.
Inputs are indexed by school once, so the cost is linear in the number of rows.
The parts live beside this module: the year's calendar (`year_calendar`), what the
contacts say (`contact_standing`), and the status with its reasons (`school_status`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from sheets_sync.core.contact_standing import (
    CelebrationState,
    MonthTally,
    PrincipalState,
    QuarterStanding,
    ThisMonth,
    celebration_state,
    cluster_quarters,
    is_overdue,
    month_tallies,
    principal_state,
    summarise_contacts,
    this_month,
)
from sheets_sync.core.issue_kinds import TEAM_PROBLEMS
from sheets_sync.core.issues import Issue
from sheets_sync.core.months import MONTH_ABBR
from sheets_sync.core.plan import goal_mix
from sheets_sync.core.records import Activity, Contact, Member, School
from sheets_sync.core.school_status import Status, StatusFacts, reasons_for, status_of
from sheets_sync.core.settings import Rules, Settings
from sheets_sync.core.standing_text import TYPE_COUNT, month_names
from sheets_sync.core.year_calendar import YearCalendar

_NOT_DUE_FOR_EVALUATION = frozenset({"Postponed", "Cancelled"})
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class Standing:
    """One active school's standing, as values; how each reads is core/standing_text.py's."""

    school: School
    status: Status
    reasons: tuple[str, ...]  # why it is not On track, in plain words
    # Team
    team_members: int
    team_problems: tuple[str, ...]  # short phrases, e.g. ("no chair", "few families")
    # Plan
    plan_activities: int  # activities not Cancelled
    types_covered: frozenset[int]
    types_missing: tuple[int, ...]
    goal_mix: tuple[tuple[str, int], ...]  # (goal type, distinct goals), in GOAL_TYPES order
    evaluations_due: tuple[Activity, ...]
    # Contacts
    months: tuple[MonthTally, ...]  # every month of the school year, in order
    missed_months: tuple[MonthTally, ...]
    last_contact: date | None
    days_since_contact: int | None
    this_month: ThisMonth
    days_left: int | None  # days left in this month when it is Due
    principal_meeting: PrincipalState
    principal_meeting_on: date | None  # the earliest principal meeting
    principal_deadline: date
    quarters: tuple[QuarterStanding, ...]  # the quarters begun
    last_quarter_missed: bool  # the most recent ended quarter had no cluster meeting
    celebration: CelebrationState
    celebration_on: date | None
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
    calendar = YearCalendar.build(settings.year, settings.rules, today)
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
            calendar,
            settings.rules,
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


# -- one school ---------------------------------------------------------------------------


def _standing(
    school: School,
    calendar: YearCalendar,
    rules: Rules,
    *,
    contacts: list[tuple[date, str]],
    member_count: int,
    activities: list[Activity],
    issues: list[Issue],
) -> Standing:
    today = calendar.today
    seen = summarise_contacts(contacts, calendar, rules.counting_types)
    months = month_tallies(calendar, seen.per_month)
    missed = tuple(m for m in months if m.missed)
    month_state, days_left = this_month(calendar, seen.per_month)
    principal = principal_state(calendar, seen.principal)
    quarters = cluster_quarters(calendar, seen.clusters)
    ended = [q for q in quarters if q.last < today]
    last_quarter_missed = bool(ended) and ended[-1].state == "missed"
    celebration = celebration_state(calendar, seen.celebration)
    plan = [a for a in activities if a.status != "Cancelled"]
    covered = frozenset(a.involvement for a in plan if a.involvement is not None)
    due = tuple(a for a in activities if _evaluation_due(a, today, rules.evaluation_grace_days))
    problems = _team_problems(issues)
    errors = sum(1 for i in issues if i.severity == "error")
    missed_text = month_names(missed, months)
    due_soon = month_state == "Due" and days_left is not None and days_left <= rules.due_soon_days
    facts = StatusFacts(
        overdue=is_overdue(calendar, seen.per_month),
        missed=missed_text,
        due_soon=days_left if due_soon else None,
        month=MONTH_ABBR[today.month - 1],
        principal_overdue=principal == "Overdue",
        last_quarter_missed=ended[-1].number if last_quarter_missed else None,
        evaluations=len(due),
        errors=errors,
    )
    return Standing(
        school=school,
        status=status_of(facts),
        reasons=reasons_for(facts),
        team_members=member_count,
        team_problems=problems,
        plan_activities=len(plan),
        types_covered=covered,
        types_missing=tuple(n for n in range(1, TYPE_COUNT + 1) if n not in covered),
        goal_mix=goal_mix(plan),
        evaluations_due=due,
        months=months,
        missed_months=missed,
        last_contact=seen.last,
        days_since_contact=None if seen.last is None else (today - seen.last).days,
        this_month=month_state,
        days_left=days_left,
        principal_meeting=principal,
        principal_meeting_on=seen.principal,
        principal_deadline=calendar.principal_deadline,
        quarters=quarters,
        last_quarter_missed=last_quarter_missed,
        celebration=celebration,
        celebration_on=seen.celebration,
        issues=tuple(issues),
        errors=errors,
        warnings=sum(1 for i in issues if i.severity == "warning"),
    )


def _evaluation_due(activity: Activity, today: date, grace_days: int) -> bool:
    """Done, or dated more than `grace_days` ago and not Postponed or Cancelled; not evaluated.

    An unreadable Status (None) goes by its date, as a blank one does: a past activity with no
    evaluation most likely took place (a mistyped "Done", "Held"), and its cell's error already
    points at the Status to correct.
    """
    if activity.evaluated:
        return False
    if activity.status == "Done":
        return True
    when = activity.when
    return (
        activity.status not in _NOT_DUE_FOR_EVALUATION
        and when is not None
        and (today - when.last).days > grace_days
    )


def _team_problems(issues: list[Issue]) -> tuple[str, ...]:
    codes = {i.code for i in issues if i.code.startswith("roster.")}
    known = [phrase for code, phrase in TEAM_PROBLEMS.items() if code in codes]
    # A rule added later still shows, in words made from its code, after the known ones.
    other = sorted(
        c.removeprefix("roster.").replace("-", " ") for c in codes if c not in TEAM_PROBLEMS
    )
    return (*known, *other)
