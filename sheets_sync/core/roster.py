"""The Team Roster tab, kept by each school: its members and the team rules (NNPS: six or more)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sheets_sync.core.grid import Grid
from sheets_sync.core.inputs import Field, TabReader
from sheets_sync.core.issues import Issue, Severity, cell_ref
from sheets_sync.core.records import Member
from sheets_sync.core.schools import Directory
from sheets_sync.core.settings import Settings
from sheets_sync.core.vocab import LEADERSHIP, ROLES

MEMBER_SCHOOL = Field("School", ("School Name",), required=True, example="the school's name")
NAME = Field(
    "Name", ("Member", "Member Name", "Full Name"), required=True, example="the member's name"
)
ROLE = Field("Role", ("Member Role", "Position"), required=True, example=ROLES.listing())
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
    reader = TabReader(settings.tabs.roster, grid, ROSTER_FIELDS, issues)
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
        term_ends = row.day(TERM_ENDS, settings.rules.day_first)
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
    rules = settings.rules
    teams: dict[str, list[Member]] = defaultdict(list)
    for member in members:
        teams[member.school].append(member)
    roles_known = reader.has(ROLE.title)
    column = reader.columns[MEMBER_SCHOOL.title] + 1
    for school in directory.active:
        team = teams.get(school.name)
        if not team:
            where = directory.school_column
            issues.append(
                Issue(
                    "error",
                    settings.tabs.schools,
                    cell_ref(school.row, where),
                    "roster.empty",
                    f"{school.name} has no team members in the {reader.tab} tab.",
                    f"Add the {school.name} team's members to the {reader.tab} tab, one row each.",
                    (school.name,),
                    school.row,
                    where,
                )
            )
            continue
        first = team[0].row

        # Team rules point at the School cell of the team's first row.
        def add(
            severity: Severity,
            code: str,
            problem: str,
            fix: str,
            name: str = school.name,
            row: int = first,
        ) -> None:
            issues.append(
                Issue(
                    severity,
                    reader.tab,
                    cell_ref(row, column),
                    code,
                    problem,
                    fix,
                    (name,),
                    row,
                    column,
                )
            )

        size = len(team)
        if size < rules.team_min:
            add(
                "error",
                "roster.too-small",
                f"{school.name}'s team has {size} member{'s' * (size != 1)}; "
                f"it needs at least {rules.team_min}.",
                f"Add {rules.team_min - size} more: teachers, family members, community partners.",
            )
        elif size > rules.team_max:
            add(
                "warning",
                "roster.large",
                f"{school.name}'s team has {size} members, more than {rules.team_max}.",
                "Check the roster is current; a large team may work better with committees.",
            )
        leaders = [m for m in team if m.leadership in ("Chair", "Co-chair")]
        if not leaders:
            add(
                "error",
                "roster.no-chair",
                f"{school.name}'s team has no Chair or Co-chair.",
                'Mark one member "Chair" (or two "Co-chair") in the Leadership column.',
            )
        if not roles_known:
            continue
        count = defaultdict(int, _role_counts(team))
        if not count["Principal"] + count["Administrator"]:
            add(
                "error",
                "roster.no-principal",
                f"{school.name}'s team has no Principal or Administrator.",
                "Add the principal or an assistant principal to the team.",
            )
        checks = (
            ("Teacher", rules.min_teachers, "roster.few-teachers", "teacher"),
            ("Parent/Family", rules.min_families, "roster.few-families", "family member"),
        )
        for role, minimum, code, noun in checks:
            if count[role] < minimum:
                add(
                    "warning",
                    code,
                    f"{school.name}'s team has {_count(count[role], noun)}; "
                    f"{minimum} are expected.",
                    f"Add {_count(minimum - count[role], noun, 'more ')} to the team.",
                )
        if not count["Community"]:
            add(
                "warning",
                "roster.no-community",
                f"{school.name}'s team has no Community member.",
                "Invite a community partner (a business, library, faith or youth group).",
            )
        wanted = rules.min_students_high_school
        if school.high_school and count["Student"] < wanted:
            add(
                "warning",
                "roster.few-students",
                f"{school.name} is a high school and its team has "
                f"{_count(count['Student'], 'student')}; {wanted} are expected.",
                f"Add {_count(wanted - count['Student'], 'student', 'more ')} to the team.",
            )


def _count(number: int, noun: str, more: str = "") -> str:
    """`1 teacher`, `2 more family members`."""
    return f"{number} {more}{noun}{'s' * (number != 1)}"


def _role_counts(team: list[Member]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for member in team:
        if member.role:
            counts[member.role] = counts.get(member.role, 0) + 1
    return counts
