"""Everything the core needs to know about a district's program, as plain frozen values.

The shell builds these from the config file; tests build them directly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Literal

Framework = Literal["nnps", "pta"]

CONTACT_TYPES = (
    "Site Visit",
    "Team Meeting",
    "Phone",
    "Email",
    "Virtual Meeting",
    "Training",
    "Cluster Meeting",
    "Principal Meeting",
    "Celebration",
    "Presentation",
    "Other",
)
DEFAULT_COUNTING_TYPES = frozenset(CONTACT_TYPES) - {"Presentation", "Other"}
GOAL_TYPES = ("Academic", "Behavior", "Climate of Partnership")


@dataclass(frozen=True)
class SchoolYear:
    start: date = date(2025, 8, 1)
    end: date = date(2026, 6, 30)


@dataclass(frozen=True)
class Rules:
    required_months: tuple[int, ...] = (9, 10, 11, 12, 1, 2, 3, 4, 5)  # month numbers
    counting_types: frozenset[str] = DEFAULT_COUNTING_TYPES
    due_soon_days: int = 7
    principal_meeting_by: tuple[int, int] = (9, 30)  # (month, day) inside the school year
    quarters: tuple[tuple[int, int], ...] = (
        (8, 10),
        (11, 1),
        (2, 4),
        (5, 6),
    )  # (first, last) month
    team_min: int = 6
    team_max: int = 12
    min_teachers: int = 2
    min_families: int = 2
    min_students_high_school: int = 2
    goal_mix: Mapping[str, int] = field(
        default_factory=lambda: MappingProxyType(
            {"Academic": 2, "Behavior": 1, "Climate of Partnership": 1}
        )
    )
    evaluation_grace_days: int = 14
    day_first: bool = False  # numeric dates such as 3/10/2025


@dataclass(frozen=True)
class TabNames:
    schools: str = "Schools"
    facilitators: str = "Facilitators"
    roster: str = "Team Roster"
    plan: str = "Action Plan"
    contacts: str = "Contact Log"
    summary: str = "Summary"
    calendar: str = "Contact Calendar"
    issues: str = "Data Issues"
    run_log: str = "Run Log"

    @property
    def inputs(self) -> tuple[str, ...]:
        return (self.schools, self.facilitators, self.roster, self.plan, self.contacts)

    @property
    def owned(self) -> tuple[str, ...]:
        return (self.summary, self.calendar, self.issues, self.run_log)


@dataclass(frozen=True)
class Settings:
    """The core's whole view of the config."""

    year: SchoolYear = SchoolYear()
    rules: Rules = Rules()
    tabs: TabNames = TabNames()
    framework: Framework = "nnps"
    allowed_domains: tuple[str, ...] = ()  # empty: every domain may be emailed
