"""The Schools and Facilitators tabs, kept by the district: who is in the program."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from sheets_sync.core.grid import Grid, name_key
from sheets_sync.core.inputs import Field, Row, TabReader, quoted
from sheets_sync.core.issues import Issue
from sheets_sync.core.records import Facilitator, School
from sheets_sync.core.settings import Settings
from sheets_sync.core.values import NameIndex, in_domains
from sheets_sync.core.vocab import YES_NO

SCHOOL = Field("School", ("School Name", "Name"), required=True, example="the school's full name")
CODE = Field("Code", ("School Code", "School ID", "ID", "CDS Code"))
LEVEL = Field("Level", ("Grade Level", "School Level", "Grades", "Type"))
PRINCIPAL = Field("Principal", ("Principal Name",), required=True, example="the principal's name")
PRINCIPAL_EMAIL = Field("Principal Email", ("Principal E-mail", "Principal Email Address",
                                            "Principal's Email"), required=True,
                        example="principal@school.org")
FACILITATOR = Field("Facilitator", ("District Facilitator", "Facilitator Name"), required=True,
                    example="a name from the Facilitators tab")
CLUSTER = Field("Cluster", ("Cluster Group", "Group", "Region"))
ACTIVE = Field("Active", ("Is Active", "Active?"))
SCHOOL_FIELDS = (SCHOOL, CODE, LEVEL, PRINCIPAL, PRINCIPAL_EMAIL, FACILITATOR, CLUSTER, ACTIVE)

FACILITATOR_NAME = Field("Facilitator", ("Name", "Facilitator Name"), required=True,
                         example="the facilitator's name")
EMAIL = Field("Email", ("E-mail", "Email Address", "E-mail Address", "Mail"), required=True,
              example="name@district.org")
FACILITATOR_FIELDS = (FACILITATOR_NAME, EMAIL)


@dataclass
class Directory:
    """Who is in the program: every school (active or not) and facilitator, found by name."""

    schools: list[School]
    facilitators: list[Facilitator]
    school_names: NameIndex
    facilitator_names: NameIndex

    @property
    def active(self) -> list[School]:
        return [s for s in self.schools if s.active]

    @cached_property
    def active_names(self) -> frozenset[str]:
        return frozenset(s.name for s in self.schools if s.active)


def read_directory(schools_grid: Grid | None, facilitators_grid: Grid | None,
                   settings: Settings, issues: list[Issue]) -> Directory:
    facilitators = _read_facilitators(facilitators_grid, settings, issues)
    facilitator_names = NameIndex(f.name for f in facilitators)
    # Without a Facilitators tab (already an issue), every name would be "unknown": skip that check.
    checked_names = facilitator_names if facilitators_grid is not None else None
    schools = _read_schools(schools_grid, checked_names, settings, issues)
    return Directory(schools, facilitators, NameIndex(s.name for s in schools), facilitator_names)


def _read_facilitators(grid: Grid | None, settings: Settings,
                       issues: list[Issue]) -> list[Facilitator]:
    if grid is None:
        return []
    reader = TabReader(settings.tabs.facilitators, grid, FACILITATOR_FIELDS, issues)
    found: list[Facilitator] = []
    first_rows = FirstRows()
    for row in reader.rows():
        name = row.text(FACILITATOR_NAME)
        email = row.email(EMAIL)
        if email:
            _check_domain(row, EMAIL, email, settings, "facilitator")
        if name and first_rows.is_new(row, FACILITATOR_NAME, name, "facilitator"):
            found.append(Facilitator(name, row.number, email))
    return found


def _read_schools(grid: Grid | None, facilitator_names: NameIndex | None, settings: Settings,
                  issues: list[Issue]) -> list[School]:
    if grid is None:
        return []
    reader = TabReader(settings.tabs.schools, grid, SCHOOL_FIELDS, issues)
    found: list[School] = []
    first_rows = FirstRows()
    for row in reader.rows():
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
        facilitator = None
        if facilitator_names is not None:
            facilitator = row.name(FACILITATOR, facilitator_names, settings.tabs.facilitators,
                                   "facilitator")
        school = School(
            name=name, row=row.number, code=row.text(CODE), level=row.text(LEVEL),
            principal=row.text(PRINCIPAL), principal_email=principal_email,
            facilitator=facilitator, cluster=row.text(CLUSTER),
        )
        if name:
            found.append(school)
    return found


class FirstRows:
    """Where each name was first seen, to report a second row with the same name."""

    def __init__(self) -> None:
        self._rows: dict[str, int] = {}

    def is_new(self, row: Row, field: Field, name: str, kind: str) -> bool:
        key = name_key(name)
        earlier = self._rows.setdefault(key, row.number)
        if earlier == row.number:
            return True
        row.issue("error", field.title, f"{kind}.duplicate",
                  f"{quoted(name)} is listed twice in the {row.reader.tab} tab (also row {earlier}).",
                  f"Keep one row per {kind}: remove or rename one of them.")
        return False


def _check_domain(row: Row, field: Field, email: str, settings: Settings, who: str) -> None:
    domains = settings.allowed_domains
    if domains and not in_domains(email, domains):
        row.issue("warning", field.title, "email.outside-domain",
                  f"{quoted(email)} is outside the district's allowed email domains, "
                  f"so no email goes to this {who}.",
                  f"Use an address at {', '.join(domains)}, or add its domain to "
                  f"[email] allowed_domains in the config.")
