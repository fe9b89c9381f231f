"""The Team Roster tab, kept by each school: its members and the team rules (NNPS: six or more)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import date
from typing import NamedTuple

from sheets_sync.core.grid import Grid
from sheets_sync.core.inputs import Field, TabReader
from sheets_sync.core.issues import Finding, Issue
from sheets_sync.core.records import Member, School
from sheets_sync.core.schools import Directory
from sheets_sync.core.settings import Rules, Settings
from sheets_sync.core.vocab import LEADERSHIP, ROLES

MEMBER_SCHOOL = Field("School", ("School Name",), required=True, example="the school's name")
NAME = Field(
    "Name", ("Member", "Member Name", "Full Name"), required=True, example="the member's name"
)
# Not "Position": it may mean the Role or the Leadership (a Chair holds a position).
ROLE = Field("Role", ("Member Role",), required=True, example=ROLES.listing())
LEADERSHIP_FIELD = Field("Leadership", ("Team Role", "Leadership Role", "Officer"))
MEMBER_EMAIL = Field("Email", ("E-mail", "Email Address", "E-mail Address"))
PHONE = Field("Phone", ("Phone Number", "Telephone", "Cell"))
GRADES = Field("Grade Levels", ("Grades", "Grade", "Grade Level"))
TERM_ENDS = Field("Term Ends", ("Term End", "Term Expires", "Term End Date"))
ROSTER_FIELDS = (
    MEMBER_SCHOOL,
    NAME,
    ROLE,
    LEADERSHIP_FIELD,
    MEMBER_EMAIL,
    PHONE,
    GRADES,
    TERM_ENDS,
)


def read_roster(
    grid: Grid | None, directory: Directory, settings: Settings, today: date, issues: list[Issue]
) -> list[Member]:
    if grid is None or not directory.schools_known:
        return []  # without known schools every row would be "unknown": that tab's issue is enough
    reader = TabReader(
        settings.tabs.roster, grid, ROSTER_FIELDS, issues, settings.columns.get("roster", ())
    )
    if not reader.has(MEMBER_SCHOOL.title):
        return []  # rows cannot be told apart by school; the missing column is the issue
    members: list[Member] = []
    emails_seen: dict[tuple[str, str], int] = {}
    for row in reader.rows():
        school = row.name(MEMBER_SCHOOL, directory.school_names, settings.tabs.schools, "school")
        if school is not None and school not in directory.active_names:
            continue
        row.schools = (school,) if school else ()
        name = row.text(NAME)
        role = row.choice(ROLE, ROLES)
        leadership = row.choice(LEADERSHIP_FIELD, LEADERSHIP, "Leadership value") or "Member"
        email = row.email(MEMBER_EMAIL)
        term_ends = row.day(TERM_ENDS, settings.rules.day_first, settings.year.start)
        if term_ends is not None and term_ends < today:
            row.issue(
                "warning",
                TERM_ENDS.title,
                "roster.term-ended",
                f"This member's term ended on {term_ends.isoformat()}.",
                "Renew the term with a new end date, or replace the member.",
            )
        if school is None:
            continue
        if email:
            earlier = emails_seen.setdefault((school, email.casefold()), row.number)
            if earlier != row.number:
                row.issue(
                    "warning",
                    MEMBER_EMAIL.title,
                    "roster.duplicate-member",
                    f"The same email is on row {earlier} of this school's team.",
                    "Keep one row per person; remove the repeated row.",
                )
        if leadership in ("Chair", "Co-chair") and not email:
            column = MEMBER_EMAIL if reader.has(MEMBER_EMAIL.title) else LEADERSHIP_FIELD
            row.issue(
                "error",
                column.title,
                "roster.chair-no-email",
                f"The team's {leadership} has no valid email, so the team cannot be reached.",
                f"Enter the {leadership}'s email address.",
            )
        members.append(Member(school, row.number, name, role, leadership, email, term_ends))
    _team_rules(reader, members, directory, settings, issues)
    return members


def _team_rules(
    reader: TabReader,
    members: list[Member],
    directory: Directory,
    settings: Settings,
    issues: list[Issue],
) -> None:
    """Each active school's team against the rules; an issue at its first row for each broken."""
    teams: dict[str, list[Member]] = defaultdict(list)
    for member in members:
        teams[member.school].append(member)
    rules = _TEAM_RULES + (_ROLE_RULES if reader.has(ROLE.title) else ())
    for school in directory.active:
        members_of = teams.get(school.name)
        if not members_of:
            issues.append(directory.school_issue(school, _empty(school, reader.tab)))
            continue
        team = _Team(school, members_of, Counter(m.role for m in members_of if m.role))
        for rule in rules:
            found = rule(team, settings.rules)
            if found is not None:
                reader.school_issue(MEMBER_SCHOOL, members_of[0].row, school.name, found)


class _Team(NamedTuple):
    school: School
    members: list[Member]
    roles: Counter[str]  # members by role, those with a readable one

    @property
    def name(self) -> str:
        return self.school.name


def _empty(school: School, tab: str) -> Finding:
    return Finding(
        "error",
        "roster.empty",
        f"{school.name} has no team members in the {tab} tab.",
        f"Add the {school.name} team's members to the {tab} tab, one row each.",
    )


def _size(team: _Team, rules: Rules) -> Finding | None:
    size = len(team.members)
    if size < rules.team_min:
        return Finding(
            "error",
            "roster.too-small",
            f"{team.name}'s team has {_count(size, 'member')}; it needs at least {rules.team_min}.",
            f"Add {rules.team_min - size} more: teachers, family members, community partners.",
        )
    if size > rules.team_max:
        return Finding(
            "warning",
            "roster.large",
            f"{team.name}'s team has {size} members, more than {rules.team_max}.",
            "Check the roster is current; a large team may work better with committees.",
        )
    return None


def _chair(team: _Team, rules: Rules) -> Finding | None:
    if any(m.leadership in ("Chair", "Co-chair") for m in team.members):
        return None
    return Finding(
        "error",
        "roster.no-chair",
        f"{team.name}'s team has no Chair or Co-chair.",
        'Mark one member "Chair" (or two "Co-chair") in the Leadership column.',
    )


def _principal(team: _Team, rules: Rules) -> Finding | None:
    if team.roles["Principal"] + team.roles["Administrator"]:
        return None
    return Finding(
        "error",
        "roster.no-principal",
        f"{team.name}'s team has no Principal or Administrator.",
        "Add the principal or an assistant principal to the team.",
    )


def _few(team: _Team, role: str, minimum: int, code: str, noun: str) -> Finding | None:
    have = team.roles[role]
    if have >= minimum:
        return None
    return Finding(
        "warning",
        code,
        f"{team.name}'s team has {_count(have, noun)}; {minimum} are expected.",
        f"Add {_count(minimum - have, noun, 'more ')} to the team.",
    )


def _teachers(team: _Team, rules: Rules) -> Finding | None:
    return _few(team, "Teacher", rules.min_teachers, "roster.few-teachers", "teacher")


def _families(team: _Team, rules: Rules) -> Finding | None:
    return _few(team, "Parent/Family", rules.min_families, "roster.few-families", "family member")


def _community(team: _Team, rules: Rules) -> Finding | None:
    if team.roles["Community"]:
        return None
    return Finding(
        "warning",
        "roster.no-community",
        f"{team.name}'s team has no Community member.",
        "Invite a community partner (a business, library, faith or youth group).",
    )


def _students(team: _Team, rules: Rules) -> Finding | None:
    wanted, have = rules.min_students_high_school, team.roles["Student"]
    if not team.school.high_school or have >= wanted:
        return None
    return Finding(
        "warning",
        "roster.few-students",
        f"{team.name} is a high school and its team has {_count(have, 'student')}; "
        f"{wanted} are expected.",
        f"Add {_count(wanted - have, 'student', 'more ')} to the team.",
    )


_Rule = Callable[[_Team, Rules], Finding | None]
# In the order their issues are listed; the role rules need a Role column to count from.
_TEAM_RULES: tuple[_Rule, ...] = (_size, _chair)
_ROLE_RULES: tuple[_Rule, ...] = (_principal, _teachers, _families, _community, _students)


def _count(number: int, noun: str, more: str = "") -> str:
    """`1 teacher`, `2 more family members`."""
    return f"{number} {more}{noun}{'s' * (number != 1)}"
