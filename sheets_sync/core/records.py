"""The workbook's rows once parsed: what the rules and the standing work from.

A field is None where its cell was blank or could not be read; the issue for
that cell has already been recorded, and the row still counts where it can.

Records are NamedTuples, immutable like frozen dataclasses but three times cheaper to
build, which matters at 140,000 rows a cycle.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple


class Period(NamedTuple):
    """When something happens: a day (first == last) or a whole month (`Oct 2025`)."""

    first: date
    last: date


class School(NamedTuple):
    name: str  # canonical, as written in the Schools tab
    row: int
    code: str = ""
    level: str = ""
    principal: str = ""
    principal_email: str | None = None
    facilitator: str | None = None  # canonical facilitator name, when it matched one
    cluster: str = ""
    active: bool = True

    @property
    def high_school(self) -> bool:
        return _is_high_school(self.level)


class Facilitator(NamedTuple):
    name: str
    row: int
    email: str | None = None


class Member(NamedTuple):
    school: str
    row: int
    name: str = ""
    role: str | None = None  # one of vocab.ROLES
    leadership: str = "Member"  # Chair, Co-chair or Member
    email: str | None = None  # a valid address, normalised
    term_ends: date | None = None


class Activity(NamedTuple):
    school: str
    row: int
    goal: str = ""
    goal_type: str | None = None  # one of settings.GOAL_TYPES
    activity: str = ""
    involvement: int | None = None  # 1..6 in the configured framework
    when: Period | None = None
    status: str | None = "Planned"  # Planned, Done, Postponed or Cancelled; None: unreadable
    evaluated: bool = False  # Evaluation cell not blank


class Contact(NamedTuple):
    row: int
    day: date | None  # None: unreadable, so it counts for nothing
    schools: tuple[str, ...]  # canonical names of the schools it was with
    facilitator: str | None = None
    type: str | None = None  # one of settings.CONTACT_TYPES
    district: bool = False  # district-level work, for no school
    counts: bool = False  # readable date on or before today, known type


_HIGH_SCHOOL_LEVELS = {"hs", "high", "highschool", "912", "senior", "seniorhigh", "secondary"}


def _is_high_school(level: str) -> bool:
    key = "".join(ch for ch in level.casefold() if ch.isalnum())
    return key in _HIGH_SCHOOL_LEVELS
