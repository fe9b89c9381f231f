"""Schools, facilitators and team rosters of a generated district, and the tabs they make."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sheets_sync.core.blank_tabs import input_tabs
from sheets_sync.core.settings import Settings
from sheets_sync.core.table import InputTab
from sheets_sync.demo.schoolyear import YearFrame

Row = dict[str, object]  # a row by column title; absent titles are blank cells

DEMO_DOMAIN = "riverbend.k12.org"  # staff addresses; families use the reserved example.* domains

FIRST_NAMES = (
    "Aisha",
    "Alejandro",
    "Amara",
    "Andre",
    "Anika",
    "Ben",
    "Carmen",
    "Chloe",
    "Daniel",
    "Dana",
    "Elena",
    "Emeka",
    "Fatima",
    "Gabriel",
    "Grace",
    "Hannah",
    "Hector",
    "Imani",
    "Isaac",
    "Jamal",
    "Jenna",
    "Jorge",
    "Kayla",
    "Kenji",
    "Lauren",
    "Leah",
    "Luis",
    "Malik",
    "Maya",
    "Mei",
    "Nadia",
    "Noah",
    "Omar",
    "Paige",
    "Rafael",
    "Rosa",
    "Samir",
    "Sofia",
    "Tanya",
    "Theo",
    "Trevor",
    "Valeria",
    "Wes",
    "Yusuf",
    "Zara",
    "Colleen",
    "Marcus",
    "Priya",
)
LAST_NAMES = (
    "Abernathy",
    "Alvarado",
    "Baptiste",
    "Brennan",
    "Castellano",
    "Chowdhury",
    "Dalton",
    "Ekwueme",
    "Fairbanks",
    "Figueroa",
    "Garrity",
    "Halvorsen",
    "Ibarra",
    "Jankowski",
    "Kamara",
    "Kessler",
    "Lindqvist",
    "Lozano",
    "Marchetti",
    "Montoya",
    "Nakamura",
    "Nwosu",
    "Okafor",
    "Pellegrino",
    "Quintero",
    "Ramires",
    "Rasmussen",
    "Sandoval",
    "Szabo",
    "Tran",
    "Underwood",
    "Valdez",
    "Vasquez",
    "Whitcomb",
    "Yilmaz",
    "Zamora",
    "Beaumont",
    "Delacroix",
    "Hollister",
    "Mbeki",
    "Oyelaran",
    "Petrakis",
    "Renfro",
    "Sorensen",
    "Thibodeaux",
    "Varga",
    "Winslow",
    "Yoder",
)

_ROLE_ALIASES = {
    "Parent/Family": ("Parent", "Parent", "Family", "PTA", "Guardian"),
    "Staff": ("Counselor", "Parent Liaison", "Social Worker", "Nurse"),
    "Administrator": ("Assistant Principal",),
    "Community": ("Community Partner", "Business Partner"),
}
_STAFF_ROLES = frozenset({"Principal", "Administrator", "Teacher", "Staff"})
_CORE_ROLES = ("Principal", "Teacher", "Teacher", "Parent/Family", "Parent/Family", "Community")
_MORE_ROLES = (
    "Parent/Family",
    "Teacher",
    "Staff",
    "Parent/Family",
    "Administrator",
    "Teacher",
    "Community",
    "Parent/Family",
)
_GRADES = {
    "ES": ("K", "1", "2", "3", "4", "5", "K-2", "3-5"),
    "MS": ("6", "7", "8", "6-8"),
    "HS": ("9", "10", "11", "12", "9-10", "11-12"),
    "K-8": ("K", "2", "4", "6", "8", "K-4", "5-8"),
}


@dataclass(frozen=True, slots=True)
class SchoolInfo:
    """One row of the Schools tab."""

    name: str
    code: str
    level: str  # ES, MS, HS or K-8
    cluster: str
    facilitator: str
    principal: str
    principal_email: str
    active: bool = True

    def row(self, rng: random.Random) -> Row:
        return {
            "School": self.name,
            "Code": self.code,
            "Level": self.level,
            "Principal": self.principal,
            "Principal Email": self.principal_email,
            "Facilitator": self.facilitator,
            "Cluster": self.cluster,
            # Blank means Yes; most districts fill the column only now and then.
            "Active": "No" if not self.active else rng.choice(("Yes", "Yes", None)),
        }


@dataclass(frozen=True, slots=True)
class TeamKnobs:
    """How a school's team comes out: its size and the problems planted in it."""

    size: int = 9  # members, the principal included
    co_chairs: bool = False  # a teacher and a parent share the lead
    chair: bool = True  # False: nobody is marked Chair or Co-chair
    bad_email: bool = False  # a teacher's address typed wrong
    odd_role: bool = False  # one more member, with a role the sheet does not know
    term_ended: bool = False  # a family member whose term ended before the year began


def person_name(rng: random.Random, taken: set[str]) -> str:
    """An invented name not yet in `taken` (which it joins), unless the pools run dry."""
    for _ in range(20):
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        if name not in taken:
            break
    taken.add(name)
    return name


def staff_email(name: str) -> str:
    return f"{name.lower().replace(' ', '.')}@{DEMO_DOMAIN}"


def personal_email(name: str, rng: random.Random) -> str:
    first, _, last = name.lower().partition(" ")
    return f"{first[0]}{last}{rng.randint(1, 99)}@{rng.choice(('example.com', 'example.net'))}"


def facilitator_row(name: str) -> Row:
    return {"Facilitator": name, "Email": staff_email(name)}


def team_rows(
    rng: random.Random, school: SchoolInfo, knobs: TeamKnobs, frame: YearFrame, *, taken: set[str]
) -> list[Row]:
    """A school's roster rows: principal first, then teachers, families, community, students.

    New members get names not in `taken`, which they join.
    """
    roles = [*_CORE_ROLES]
    if school.level == "HS":
        roles += ["Student", "Student"]
    roles += [_MORE_ROLES[i % len(_MORE_ROLES)] for i in range(knobs.size)]
    roles = roles[: knobs.size]
    leads = _leads(roles, knobs)
    rows = []
    for at, role in enumerate(roles):
        name = school.principal if at == 0 else person_name(rng, taken)
        rows.append(_member(rng, school, name, role, lead=leads.get(at), frame=frame))
    if knobs.bad_email:
        typo = next(i for i, r in enumerate(rows) if i and r.get("Email") and i not in leads)
        rows[typo]["Email"] = str(rows[typo]["Email"]).replace("@", rng.choice((" at ", "")))
    if knobs.odd_role:
        name = person_name(rng, taken)
        rows.append(
            {"School": school.name, "Name": name, "Role": "Librarian", "Email": staff_email(name)}
        )
    if knobs.term_ended:
        family = next((r for r in rows if r["Role"] not in _STAFF_ROLES), rows[-1])
        family["Term Ends"] = frame.start - timedelta(days=rng.randint(20, 60))
    return rows


def _leads(roles: Sequence[str], knobs: TeamKnobs) -> dict[int, str]:
    if not knobs.chair:
        return {}
    teacher = next((i for i, r in enumerate(roles) if r == "Teacher"), 0)
    family = next((i for i, r in enumerate(roles) if r == "Parent/Family"), None)
    if knobs.co_chairs and family is not None:
        return {teacher: "Co-chair", family: "Co-chair"}
    return {teacher: "Chair"}


def _member(
    rng: random.Random,
    school: SchoolInfo,
    name: str,
    role: str,
    *,
    lead: str | None,
    frame: YearFrame,
) -> Row:
    staff = role in _STAFF_ROLES
    row: Row = {
        "School": school.name,
        "Name": name,
        "Role": role,
        "Leadership": lead or rng.choice((None, None, "Member")),
    }
    if role in _ROLE_ALIASES and rng.random() < (0.9 if role == "Staff" else 0.25):
        row["Role"] = rng.choice(_ROLE_ALIASES[role])
    if role == "Principal":
        row["Email"] = school.principal_email
    elif staff:
        row["Email"] = staff_email(name)
    elif role == "Community":
        row["Email"] = personal_email(name, rng).replace("example.net", "example.org")
    elif role == "Parent/Family" and (lead or rng.random() < 0.45):
        row["Email"] = personal_email(name, rng)  # families often give none, and need not
    if not staff and role != "Student" and rng.random() < 0.6:
        row["Phone"] = f"555-01{rng.randint(0, 99):02d}"
    if role in ("Teacher", "Student") or (role == "Parent/Family" and rng.random() < 0.5):
        row["Grade Levels"] = rng.choice(_GRADES.get(school.level, _GRADES["ES"]))
    if not staff and rng.random() < 0.5:
        row["Term Ends"] = frame.end + timedelta(days=rng.choice((0, 0, 365)))
    return row


def as_tabs(
    settings: Settings,
    *,
    schools: Sequence[Row],
    facilitators: Sequence[Row],
    roster: Sequence[Row],
    plan: Sequence[Row],
    contacts: Sequence[Row],
) -> list[InputTab]:
    """The five input tabs, each with exactly the columns `init` creates, in that order."""
    by_tab = (schools, facilitators, roster, plan, contacts)
    return [
        InputTab(
            tab.name,
            tab.columns,
            tuple(tuple(row.get(c.title) for c in tab.columns) for row in rows),
        )
        for tab, rows in zip(input_tabs(settings), by_tab, strict=True)
    ]
