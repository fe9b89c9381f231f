"""The words a cell may hold where the contract gives a choice, with the aliases people type."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from sheets_sync.core.grid import name_key
from sheets_sync.core.settings import CONTACT_TYPES, GOAL_TYPES, Framework


@dataclass(frozen=True)
class Choices:
    """A closed list of words; `find` accepts any case, spacing, punctuation or alias."""

    words: tuple[str, ...]
    aliases: Mapping[str, str] = field(default_factory=dict)

    @cached_property
    def _by_key(self) -> dict[str, str]:
        found = {name_key(alias): word for alias, word in self.aliases.items()}
        found.update({name_key(word): word for word in self.words})
        return found

    def find(self, text: str) -> str | None:
        return self._by_key.get(name_key(text))

    def listing(self) -> str:
        return ", ".join(self.words)


ROLES = Choices(
    ("Principal", "Administrator", "Teacher", "Parent/Family", "Community", "Student", "Staff"),
    {
        "Parent": "Parent/Family",
        "Family": "Parent/Family",
        "Guardian": "Parent/Family",
        "Parent or Family": "Parent/Family",
        "Family Member": "Parent/Family",
        "PTA": "Parent/Family",
        "PTO": "Parent/Family",
        "PTA/PTO": "Parent/Family",
        "Assistant Principal": "Administrator",
        "Vice Principal": "Administrator",
        "Admin": "Administrator",
        "Business Partner": "Community",
        "Community Partner": "Community",
        "Community Member": "Community",
        "Counselor": "Staff",
        "Counsellor": "Staff",
        "Nurse": "Staff",
        "Social Worker": "Staff",
        "Parent Liaison": "Staff",
        "Family Liaison": "Staff",
        "Teachers": "Teacher",
        "Students": "Student",
    },
)

LEADERSHIP = Choices(
    ("Chair", "Co-chair", "Member"),
    {
        "Chairperson": "Chair",
        "Co chair": "Co-chair",
        "Cochair": "Co-chair",
        "Co-chairperson": "Co-chair",
    },
)

GOAL_TYPE = Choices(
    GOAL_TYPES,
    {
        "Academics": "Academic",
        "Behavioral": "Behavior",
        "Behaviour": "Behavior",
        "Non-academic": "Behavior",
        "Nonacademic": "Behavior",
        "Partnership": "Climate of Partnership",
        "Climate": "Climate of Partnership",
        "Partnership Climate": "Climate of Partnership",
        "Climate of Partnerships": "Climate of Partnership",
    },
)

STATUS = Choices(
    ("Planned", "Done", "Postponed", "Cancelled"),
    {"Canceled": "Cancelled", "Complete": "Done", "Completed": "Done", "Finished": "Done"},
)

CONTACT_TYPE = Choices(
    CONTACT_TYPES,
    {
        "Visit": "Site Visit",
        "School Visit": "Site Visit",
        "Meeting": "Team Meeting",
        "ATP Meeting": "Team Meeting",
        "Phone Call": "Phone",
        "Call": "Phone",
        "E-mail": "Email",
        "Zoom": "Virtual Meeting",
        "Virtual": "Virtual Meeting",
        "Video Call": "Virtual Meeting",
        "Cluster": "Cluster Meeting",
        "Principal": "Principal Meeting",
        "End-of-year Celebration": "Celebration",
    },
)

YES_NO = Choices(
    ("Yes", "No"),
    {
        "Y": "Yes",
        "N": "No",
        "True": "Yes",
        "False": "No",
        "Active": "Yes",
        "Inactive": "No",
        "1": "Yes",
        "0": "No",
    },
)

# The six types of each framework, in order: (full name, short name).
_FRAMEWORK_TYPES: dict[Framework, tuple[tuple[str, str], ...]] = {
    "nnps": (
        ("Parenting", "Parenting"),
        ("Communicating", "Communicating"),
        ("Volunteering", "Volunteering"),
        ("Learning at Home", "Learning at Home"),
        ("Decision Making", "Decision Making"),
        ("Collaborating with the Community", "Collaborating with Community"),
    ),
    "pta": (
        ("Welcoming All Families into the School Community", "Welcoming All Families"),
        ("Communicating Effectively", "Communicating"),
        ("Supporting Student Success", "Supporting Student Success"),
        ("Speaking Up for Every Child", "Speaking Up"),
        ("Sharing Power", "Sharing Power"),
        ("Collaborating with Community", "Collaborating with Community"),
    ),
}

_NUMBERED = re.compile(
    r"^(?:type|standard|no|number)?\W*([1-6])(?![\d.]*\d)\W*(.*)$", re.IGNORECASE
)


@dataclass(frozen=True)
class InvolvementTypes:
    """The six involvement types of a framework: accepts the number, the name, or `Type 4`."""

    framework: Framework

    @cached_property
    def _by_key(self) -> dict[str, int]:
        found: dict[str, int] = {}
        for number, (full, short) in enumerate(_FRAMEWORK_TYPES[self.framework], start=1):
            found[name_key(full)] = number
            found[name_key(short)] = number
            # The common spellings skip the pattern in `find`: `4` and the dropdown's label.
            found[str(number)] = number
            found[name_key(self.name(number))] = number
        return found

    def find(self, text: str) -> int | None:
        """1..6, or None when the text names no type (or names two different ones)."""
        named = self._by_key.get(name_key(text))
        if named is not None:
            return named
        numbered = _NUMBERED.match(text.strip())
        if numbered is None:
            return None
        number, rest = int(numbered.group(1)), name_key(numbered.group(2))
        # "Type 4" or "4: Learning at Home" name 4; "4 Parenting" or "4th grade" name nothing.
        return number if not rest or self._by_key.get(rest) == number else None

    def name(self, number: int) -> str:
        """The label a person reads: `4 Learning at Home`."""
        return f"{number} {_FRAMEWORK_TYPES[self.framework][number - 1][1]}"

    def labels(self) -> tuple[str, ...]:
        return tuple(self.name(n) for n in range(1, 7))

    def listing(self) -> str:
        return ", ".join(self.labels())


def names_of(numbers: Iterable[int], types: InvolvementTypes) -> str:
    return ", ".join(types.name(n) for n in sorted(numbers))
