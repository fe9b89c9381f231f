"""The Schools and Facilitators tabs, kept by the district: who is in the program."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from sheets_sync.core.grid import Grid, name_key
from sheets_sync.core.inputs import Field, Row, TabReader, quoted
from sheets_sync.core.issues import Finding, Issue
from sheets_sync.core.records import Facilitator, School
from sheets_sync.core.settings import Settings
from sheets_sync.core.values import NameIndex, in_domains
from sheets_sync.core.vocab import YES_NO

SCHOOL = Field("School", ("School Name", "Name"), required=True, example="the school's full name")
# Aliases leave out words that often head another column beside this one ("ID" beside "Code",
# "Type" or "Grades" beside "Level", "Region" beside "Cluster"): an alias never takes a titled
# column, but beside one it is a duplicate.
CODE = Field("Code", ("School Code", "School ID", "CDS Code"))
LEVEL = Field("Level", ("Grade Level", "School Level"))
PRINCIPAL = Field("Principal", ("Principal Name",), required=True, example="the principal's name")
PRINCIPAL_EMAIL = Field(
    "Principal Email",
    ("Principal E-mail", "Principal Email Address", "Principal's Email"),
    required=True,
    example="principal@school.org",
)
FACILITATOR = Field(
    "Facilitator",
    ("District Facilitator", "Facilitator Name"),
    required=True,
    example="a name from the Facilitators tab",
)
CLUSTER = Field("Cluster", ("Cluster Group", "Group"))
ACTIVE = Field("Active", ("Is Active", "Active?"))
SCHOOL_FIELDS = (SCHOOL, CODE, LEVEL, PRINCIPAL, PRINCIPAL_EMAIL, FACILITATOR, CLUSTER, ACTIVE)

FACILITATOR_NAME = Field(
    "Facilitator", ("Name", "Facilitator Name"), required=True, example="the facilitator's name"
)
EMAIL = Field(
    "Email",
    ("E-mail", "Email Address", "E-mail Address", "Mail"),
    required=True,
    example="name@district.org",
)
FACILITATOR_FIELDS = (FACILITATOR_NAME, EMAIL)


@dataclass
class Directory:
    """Who is in the program: every school (active or not) and facilitator, found by name."""

    schools: list[School]
    facilitators: list[Facilitator]
    school_names: NameIndex
    facilitator_names: NameIndex
    # False when a tab, its name column or its rows are missing (already an issue): names
    # cannot be checked, and every one would be "unknown".
    schools_known: bool = True
    facilitators_known: bool = True
    schools_tab: str = "Schools"
    school_column: int = 1  # the School column of the Schools tab

    @property
    def active(self) -> list[School]:
        return [s for s in self.schools if s.active]

    @cached_property
    def active_names(self) -> frozenset[str]:
        return frozenset(s.name for s in self.schools if s.active)

    @cached_property
    def facilitator_by_address(self) -> dict[str, str]:
        """Each facilitator's name by their address in any case (a Google Form collects it)."""
        return {f.email.casefold(): f.name for f in self.facilitators if f.email}

    def school_issue(self, school: School, finding: Finding) -> Issue:
        """A finding about a school as a whole, at its name in the Schools tab."""
        return finding.at(self.schools_tab, school.row, self.school_column, school.name)


def read_directory(
    schools_grid: Grid | None,
    facilitators_grid: Grid | None,
    settings: Settings,
    issues: list[Issue],
) -> Directory:
    tabs = settings.tabs
    facilitators = _read_facilitators(facilitators_grid, settings, issues)
    facilitator_names = NameIndex(f.name for f in facilitators or ())
    # Without facilitators' names every name would be "unknown": skip that check.
    checked_names = facilitator_names if facilitators is not None else None
    schools: list[School] = []
    schools_known, school_column = False, 1
    if schools_grid is not None:
        named = settings.columns.get("schools", ())
        reader = TabReader(tabs.schools, schools_grid, SCHOOL_FIELDS, issues, named)
        schools = _read_schools(reader, checked_names, settings)
        schools_known = reader.has(SCHOOL.title) and bool(schools)
        school_column = reader.columns.get(SCHOOL.title, 0) + 1
    return Directory(
        schools,
        facilitators or [],
        NameIndex(s.name for s in schools),
        facilitator_names,
        schools_known,
        facilitators is not None,
        tabs.schools,
        school_column,
    )


def _read_facilitators(
    grid: Grid | None, settings: Settings, issues: list[Issue]
) -> list[Facilitator] | None:
    """The facilitators, or None when there is no tab, name column or name to read."""
    if grid is None:
        return None
    reader = TabReader(
        settings.tabs.facilitators,
        grid,
        FACILITATOR_FIELDS,
        issues,
        settings.columns.get("facilitators", ()),
    )
    found: list[Facilitator] = []
    first_rows = FirstRows()
    rows = 0
    for row in reader.rows():
        rows += 1
        name = row.text(FACILITATOR_NAME)
        email = row.email(EMAIL)
        if email:
            _check_domain(row, EMAIL, email, settings, "facilitator")
        if name and first_rows.is_new(row, FACILITATOR_NAME, name, "facilitator"):
            found.append(Facilitator(name, row.number, email))
    if not reader.has(FACILITATOR_NAME.title):
        return None
    if not rows:
        _no_rows(reader, "facilitator")
    return found or None


def _no_rows(reader: TabReader, kind: str) -> None:
    """A tab with its header and nothing under it: one issue, where the first row would go."""
    reader.issues.append(
        Finding(
            "error",
            "tab.empty",
            f"The {reader.tab} tab lists no {kind}s.",
            f"Add one row per {kind} below the header.",
        ).at(reader.tab, 2, 1)
    )


def _read_schools(
    reader: TabReader, facilitator_names: NameIndex | None, settings: Settings
) -> list[School]:
    found: list[School] = []
    first_rows = FirstRows()
    rows = 0
    for row in reader.rows():
        rows += 1
        name = row.text(SCHOOL)
        row.schools = (name,) if name else ()
        if (row.choice(ACTIVE, YES_NO, "Yes/No value") or "Yes") == "No":
            # Inactive schools are skipped everywhere; their name is still known.
            if name and first_rows.is_new(row, SCHOOL, name, "school"):
                found.append(School(name, row.number, active=False))
            continue
        if name and not first_rows.is_new(row, SCHOOL, name, "school"):
            continue
        principal_email = row.email(PRINCIPAL_EMAIL)
        if principal_email:
            _check_domain(row, PRINCIPAL_EMAIL, principal_email, settings, "principal")
        if facilitator_names is None:
            facilitator = None
            row.text(FACILITATOR)  # still a required cell
        else:
            facilitator = row.name(
                FACILITATOR, facilitator_names, settings.tabs.facilitators, "facilitator"
            )
        school = School(
            name=name,
            row=row.number,
            code=row.text(CODE),
            level=row.text(LEVEL),
            principal=row.text(PRINCIPAL),
            principal_email=principal_email,
            facilitator=facilitator,
            cluster=row.text(CLUSTER),
        )
        if name:
            found.append(school)
    if not rows and reader.has(SCHOOL.title):
        _no_rows(reader, "school")
    return found


class FirstRows:
    """Where each name was first seen, to report a second row with the same name."""

    def __init__(self) -> None:
        self._first: dict[str, tuple[int, str]] = {}

    def is_new(self, row: Row, field: Field, name: str, kind: str) -> bool:
        earlier, first_name = self._first.setdefault(name_key(name), (row.number, name))
        if earlier == row.number:
            return True
        if kind == "school":
            row.schools = (first_name,)  # the canonical name, as the first row writes it
        row.issue(
            "error",
            field.title,
            f"{kind}.duplicate",
            f"{quoted(name)} is listed twice in the {row.reader.tab} tab (also row {earlier}).",
            f"Keep one row per {kind}: remove or rename one of them.",
        )
        return False


def _check_domain(row: Row, field: Field, email: str, settings: Settings, who: str) -> None:
    domains = settings.allowed_domains
    if domains and not in_domains(email, domains):
        row.issue(
            "warning",
            field.title,
            "email.outside-domain",
            f"{quoted(email)} is outside the district's allowed email domains, "
            f"so no email goes to this {who}.",
            f"Use an address at {', '.join(domains)}, or add its domain to "
            f"[email] allowed_domains in the config.",
        )
