"""What each letter shows, as plain values for the templates: worked out here, not in Jinja.

Every text taken from the workbook passes through a `Redactor`; everything else is counts,
states, dates and the district's own words.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sheets_sync.core.issue_kinds import quotes_cell
from sheets_sync.core.issues import Issue, ordered
from sheets_sync.core.letters.model import long_day, plural
from sheets_sync.core.letters.privacy import Redactor, issue_meaning
from sheets_sync.core.months import month_index, month_label, month_last
from sheets_sync.core.records import Activity
from sheets_sync.core.school_status import STATUS_ORDER
from sheets_sync.core.settings import Settings
from sheets_sync.core.standing import Standing
from sheets_sync.core.standing_text import missed_months_text, team_check
from sheets_sync.core.table import TONES
from sheets_sync.core.vocab import InvolvementTypes

UPCOMING_DAYS = 30
MAX_ISSUES = 20  # per school in one letter; the Data Issues tab has the rest
_SHOWN_STATUSES = ("Planned", None)  # None: an unreadable Status, most likely still planned


@dataclass(frozen=True)
class StatusLabel:
    """A status in words, with the tone that colours it (the words always show)."""

    text: str
    tone: str  # good, warn or bad


@dataclass(frozen=True)
class IssueLine:
    where: str  # `Action Plan!F7`
    severity: str
    text: str
    fix: str = ""  # how to fix it, where the letter says so
    link: str = ""  # a web link that opens the cell, where there is one


@dataclass(frozen=True)
class IssueList:
    lines: tuple[IssueLine, ...]
    more: int  # issues left out for length


@dataclass(frozen=True)
class OverdueSchool:
    name: str
    status: StatusLabel
    since: str  # `45 days since the last contact (Oct 9, 2025)` or `no contact this year`
    missed: str  # `Sep, Oct` or ""
    log_link: str = ""  # the district's Form, pre-filled for this school; "" without one


@dataclass(frozen=True)
class DueSchool:
    name: str
    left: str  # `6 days left`, `due today`
    soon: bool  # within due_soon_days
    log_link: str = ""


@dataclass(frozen=True)
class OpenSchool:
    name: str
    status: StatusLabel
    items: tuple[str, ...]
    errors: IssueList
    log_link: str = ""


@dataclass(frozen=True)
class Digest:
    """A facilitator's week: what needs action, then other open items."""

    overdue: tuple[OverdueSchool, ...]
    due: tuple[DueSchool, ...]
    open: tuple[OpenSchool, ...]
    log_errors: IssueList  # errors in the facilitator's Contact Log rows that name no school


@dataclass(frozen=True)
class MonthLine:
    label: str  # `Oct 2025`
    contacts: int
    note: str  # `missed`, `this month`, ""


@dataclass(frozen=True)
class ActivityLine:
    when: str  # `Dec 4, 2025` or `Jan 2026`
    activity: str


@dataclass(frozen=True)
class GoalLine:
    goal_type: str
    goals: int
    expected: int


@dataclass(frozen=True)
class SchoolSummary:
    """One school, for its principal: nothing in it is about another school."""

    name: str
    facilitator: str
    status: StatusLabel
    reasons: tuple[str, ...]
    team_members: int
    team_check: str
    plan_activities: int
    types_covered: tuple[str, ...]
    types_missing: tuple[str, ...]
    goal_mix: tuple[GoalLine, ...]
    months: tuple[MonthLine, ...]
    contacts_this_year: int
    last_contact: str
    principal_meeting: str
    upcoming: tuple[ActivityLine, ...]
    evaluations_due: tuple[ActivityLine, ...]
    issues: IssueList


@dataclass(frozen=True)
class StatusCount:
    status: StatusLabel
    schools: int


@dataclass(frozen=True)
class FacilitatorGroup:
    facilitator: str
    schools: tuple[OverdueSchool, ...]


@dataclass(frozen=True)
class DistrictView:
    schools: int
    by_status: tuple[StatusCount, ...]
    errors: int
    warnings: int
    overdue: tuple[FacilitatorGroup, ...]


def status_label(status: str) -> StatusLabel:
    return StatusLabel(status, TONES.get(status, "warn"))


# -- the facilitator's digest ---------------------------------------------------------------


def digest(
    standings: Sequence[Standing],
    log_errors: Sequence[Issue],
    settings: Settings,
    issue_text: IssueText,
    redact: Redact,
    log_link: Callable[[str], str] = lambda school: "",
) -> Digest:
    """Overdue schools (most days first), then Due this month (fewest days left first), then
    every school with another open item, then errors in the facilitator's own log rows.
    `log_link` gives a school's "Log contact" link ("" for none)."""
    overdue = sorted(
        (s for s in standings if s.status == "Overdue"),
        key=lambda s: (
            -(s.days_since_contact if s.days_since_contact is not None else 10**6),
            s.name,
        ),
    )
    due = sorted(
        (s for s in standings if s.status != "Overdue" and s.this_month == "Due"),
        key=lambda s: (s.days_left if s.days_left is not None else 0, s.name),
    )
    open_schools = []
    for standing in sorted(standings, key=lambda s: s.name):
        items = _open_items(standing, redact)
        errors = [i for i in standing.issues if i.severity == "error"]
        if items or errors:
            open_schools.append(
                OpenSchool(
                    standing.name,
                    status_label(standing.status),
                    items,
                    _issue_list(errors, settings, issue_text),
                    log_link(standing.name),
                )
            )
    soon = settings.rules.due_soon_days
    return Digest(
        tuple(_overdue_school(s, log_link(s.name)) for s in overdue),
        tuple(
            DueSchool(s.name, _days_left(s.days_left), (s.days_left or 0) <= soon, log_link(s.name))
            for s in due
        ),
        tuple(open_schools),
        _issue_list(log_errors, settings, issue_text),
    )


def needs_digest(standing: Standing, settings: Settings) -> bool:
    """Overdue, Due soon, or another open item: worth a facilitator's weekly letter."""
    days_left = standing.days_left if standing.this_month == "Due" else None
    return (
        standing.status == "Overdue"
        or (days_left is not None and days_left <= settings.rules.due_soon_days)
        or bool(_open_items(standing, str))
        or standing.errors > 0
    )


def _open_items(standing: Standing, redact: Redact) -> tuple[str, ...]:
    items: list[str] = []
    if standing.principal_meeting == "Overdue":
        items.append(
            f"Principal meeting overdue (it was due by {long_day(standing.principal_deadline)})"
        )
    elif standing.principal_meeting == "Due":
        items.append(f"Principal meeting due by {long_day(standing.principal_deadline)}")
    missed = [q for q in standing.quarters if q.state == "missed"]
    if standing.last_quarter_missed and missed:
        items.append(f"Q{missed[-1].number} cluster meeting missed")
    for activity in sorted(standing.evaluations_due, key=_activity_order):
        line = _activity_line(activity, redact)
        items.append(f"Evaluation due: {line.activity}" + (f" ({line.when})" if line.when else ""))
    return tuple(items)


def _overdue_school(standing: Standing, log_link: str = "") -> OverdueSchool:
    days, last = standing.days_since_contact, standing.last_contact
    since = (
        f"{plural(days, 'day')} since the last contact ({long_day(last)})"
        if days is not None and last is not None
        else "no contact this year"
    )
    return OverdueSchool(
        standing.name, status_label(standing.status), since, missed_months_text(standing), log_link
    )


def _days_left(days: int | None) -> str:
    return "due today" if not days else f"{plural(days, 'day')} left"


# -- data issues ------------------------------------------------------------------------------

Redact = Callable[[str], str]  # a Redactor, or `str` where nothing is shown
IssueText = Callable[[Issue], IssueLine]  # an issue as a letter tells it


def facilitator_issue_text(
    settings: Settings, redact: Redactor, cell_links: Mapping[str, str]
) -> IssueText:
    """The problem in words where they quote no cell, else (and in a roster row) its meaning;
    how to fix it; a link to the cell where there is one. A typed value is never quoted: a
    cell may hold a family member's name that no roster row lists, so no redaction finds it."""

    def text(issue: Issue) -> IssueLine:
        if issue.tab == settings.tabs.roster or quotes_cell(issue.code):
            problem = issue_meaning(issue, settings.rules, settings.tabs)
        else:
            problem = redact(issue.problem)
        link = cell_links[issue.tab] + issue.cell if issue.cell and issue.tab in cell_links else ""
        return IssueLine(issue.where, issue.severity, problem, redact(issue.fix), link)

    return text


def principal_issue_text(settings: Settings) -> IssueText:
    """Always the code's meaning: a problem text may name the other schools of its row."""
    return lambda issue: IssueLine(
        issue.where, issue.severity, issue_meaning(issue, settings.rules, settings.tabs)
    )


def _issue_list(issues: Iterable[Issue], settings: Settings, text: IssueText) -> IssueList:
    found = ordered(list(issues), settings.tabs.inputs)
    return IssueList(tuple(map(text, found[:MAX_ISSUES])), max(0, len(found) - MAX_ISSUES))


# -- the principal's summary ------------------------------------------------------------------


def school_summary(
    standing: Standing,
    activities: Sequence[Activity],
    settings: Settings,
    redact: Redactor,
    today: date,
) -> SchoolSummary:
    """`activities` are this school's; `redact` blanks every other school's name."""
    types = InvolvementTypes(settings.framework)
    expected = settings.rules.goal_mix
    horizon = today + timedelta(days=UPCOMING_DAYS)
    upcoming = sorted(
        (
            a
            for a in activities
            if a.when is not None
            and a.status in _SHOWN_STATUSES
            and a.when.last >= today
            and a.when.first <= horizon
        ),
        key=_activity_order,
    )
    return SchoolSummary(
        name=standing.name,
        facilitator=standing.facilitator,
        status=status_label(standing.status),
        reasons=standing.reasons,
        team_members=standing.team_members,
        team_check=team_check(standing),
        plan_activities=standing.plan_activities,
        types_covered=tuple(types.name(n) for n in sorted(standing.types_covered)),
        types_missing=tuple(types.name(n) for n in standing.types_missing),
        goal_mix=tuple(
            GoalLine(goal_type, goals, expected.get(goal_type, 0))
            for goal_type, goals in standing.goal_mix
        ),
        months=tuple(
            MonthLine(
                m.label,
                m.contacts,
                "missed" if m.missed else "this month" if m.begun and not m.ended else "",
            )
            for m in standing.months
            if m.begun
        ),
        contacts_this_year=standing.contacts_this_year,
        last_contact=long_day(standing.last_contact) if standing.last_contact else "",
        principal_meeting=_principal_meeting(standing),
        upcoming=tuple(_activity_line(a, redact) for a in upcoming),
        evaluations_due=tuple(
            _activity_line(a, redact) for a in sorted(standing.evaluations_due, key=_activity_order)
        ),
        issues=_issue_list(standing.issues, settings, principal_issue_text(settings)),
    )


def _principal_meeting(standing: Standing) -> str:
    state, met = standing.principal_meeting, standing.principal_meeting_on
    if met is not None:
        return f"Held {long_day(met)}" + (" (after the deadline)" if state == "Late" else "")
    deadline = long_day(standing.principal_deadline)
    return f"Due by {deadline}" if state == "Due" else f"Overdue (it was due by {deadline})"


def _activity_order(activity: Activity) -> tuple[date, int]:
    return (activity.when.first if activity.when else date.max, activity.row)


def _activity_line(activity: Activity, redact: Redact) -> ActivityLine:
    when = activity.when
    if when is None:
        shown = ""
    elif when.first == when.last:
        shown = long_day(when.first)
    else:
        whole_month = when.first.day == 1 and when.last == month_last(month_index(when.first))
        shown = (
            month_label(month_index(when.first))
            if whole_month
            else f"{long_day(when.first)} to {long_day(when.last)}"
        )
    return ActivityLine(shown, redact(activity.activity) or "(no name)")


# -- the district summary ---------------------------------------------------------------------


def district_view(
    standings: Sequence[Standing], facilitators: Sequence[str], errors: int, warnings: int
) -> DistrictView:
    """Totals, and the Overdue schools by facilitator (in the Facilitators tab's order)."""
    counts = dict.fromkeys(STATUS_ORDER, 0)
    for standing in standings:
        counts[standing.status] += 1
    by_facilitator: dict[str, list[OverdueSchool]] = {}
    for standing in sorted(standings, key=lambda s: s.name):
        if standing.status == "Overdue":
            group = by_facilitator.setdefault(standing.facilitator, [])
            group.append(_overdue_school(standing))
    rank = {name: i for i, name in enumerate(facilitators)}
    groups = sorted(by_facilitator.items(), key=lambda g: (g[0] not in rank, rank.get(g[0], 0)))
    return DistrictView(
        schools=len(standings),
        by_status=tuple(StatusCount(status_label(s), n) for s, n in counts.items()),
        errors=errors,
        warnings=warnings,
        overdue=tuple(
            FacilitatorGroup(name or "No facilitator named", tuple(schools))
            for name, schools in groups
        ),
    )
