"""What a letter may not say: family members' and students' details, and other schools' names.

The letters are built from counts, states and the district's own words; the few free texts
they quote from the workbook (activity names, the problem text of a data issue) pass through
`Redactor` first. A data issue is told by its cell and the plain meaning of its code, never
by a problem text that may quote the cell (always so in a roster row, where the people are).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from sheets_sync.core.issue_kinds import meaning
from sheets_sync.core.issues import Issue
from sheets_sync.core.records import Member
from sheets_sync.core.settings import Rules, TabNames

WITHHELD = "(withheld)"
ANOTHER_SCHOOL = "(another school)"
# Roles whose members' details never leave the workbook; an unreadable role counts as one.
PRIVATE_ROLES = frozenset({"Parent/Family", "Student"})

_EMAIL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+")
# Telephone numbers as people type them: 555-0134, (303) 555-0134, +1 303.555.0134.
_PHONE = re.compile(
    r"(?<![\w-])(?:\+\d{1,3}[\s.-]?|\d{1,3}[\s.-])?(?:\(\d{3}\)\s?|\d{3}[\s.-]?)?"
    r"\d{3}[\s.-]?\d{4}(?![\w-])"
)
_MIN_NAME = 2  # a one-letter "name" identifies nobody and would blank every "A"
_WORD = re.compile(r"\w+")
_INNER = re.compile(r"\w(?:.*\w)?", re.DOTALL)  # from the first word character to the last

Span = tuple[int, int]


def name_form(text: str) -> str:
    """How names are compared in free text: from first to last letter or digit, any case,
    any spacing (`  St. Mary's ` and `st.  mary's` are one name)."""
    inner = _INNER.search(text)
    return " ".join(inner[0].split()).casefold() if inner else ""


class NameFinder:
    """Finds whole names in text, word by word: linear in the text, whatever the number of
    names (a district has thousands of schools and family members)."""

    def __init__(self, names: Iterable[str]) -> None:
        self.forms = frozenset(f for f in map(name_form, names) if len(f) >= _MIN_NAME)
        self.sizes = tuple(sorted({len(_WORD.findall(f)) for f in self.forms}))

    def find(self, text: str) -> list[tuple[Span, str]]:
        """Every occurrence of a name, overlapping ones too, as (span, name form)."""
        words = [m.span() for m in _WORD.finditer(text)]
        found = []
        for i, (start, _) in enumerate(words):
            for size in self.sizes:
                if i + size > len(words):
                    break
                end = words[i + size - 1][1]
                form = " ".join(text[start:end].split()).casefold()
                if form in self.forms:
                    found.append(((start, end), form))
        return found


@dataclass(frozen=True)
class Redactor:
    """Blanks private details (and, in one school's letter, other schools' names) from text."""

    private: NameFinder
    schools: NameFinder | None = None  # every school's name
    own: str = ""  # the name form of the school whose letter this is; "" for no school

    @classmethod
    def for_members(cls, members: Iterable[Member]) -> Redactor:
        hidden: list[str] = []
        for member in members:
            if member.role is None or member.role in PRIVATE_ROLES:
                hidden.append(member.name)
        return cls(NameFinder(hidden))

    def with_schools(self, schools: Iterable[str]) -> Redactor:
        """Ready for `for_school`: the names to withhold from one school's letter."""
        return replace(self, schools=NameFinder(schools))

    def for_school(self, own: str) -> Redactor:
        """For `own`'s letter: every other school's name goes, except inside `own`'s
        ("Lincoln" inside "Lincoln Elementary" is that school's own name)."""
        return replace(self, own=name_form(own))

    def __call__(self, text: str) -> str:
        text = _blank(text, [span for span, _ in self.private.find(text)], WITHHELD)
        # Every address and number in free text is withheld: cells may hold anyone's.
        text = _PHONE.sub(WITHHELD, _EMAIL.sub(WITHHELD, text))
        if self.schools is None or not self.own:
            return text
        found = self.schools.find(text)
        own = [span for span, form in found if form == self.own]
        kept = _joined(text, own)
        withheld = [
            span
            for span, form in found
            if form != self.own and not any(s <= span[0] and span[1] <= e for s, e in kept)
        ]
        # The school's own name goes with a name withheld across it: what is left of it could be
        # another school's ("Quellan" of "Quellan Zorvik Zorvik", "Zorvik Zorvik" withheld).
        spreading = True
        while spreading:
            reached = [span for span in own if span not in withheld and _touches(span, withheld)]
            withheld += reached
            spreading = bool(reached)
        return _blank(text, withheld, ANOTHER_SCHOOL)


def _joined(text: str, spans: list[Span]) -> list[Span]:
    """Spans that touch, overlap or stand apart by spaces only, joined into one: the school's
    own name said twice ("Quellan Zorvik Quellan Zorvik") holds "Zorvik Quellan" across the
    two, which is made of its own words and names no other school."""
    joined: list[Span] = []
    for start, end in sorted(spans):
        if joined and (start <= joined[-1][1] or text[joined[-1][1] : start].isspace()):
            joined[-1] = (joined[-1][0], max(joined[-1][1], end))
        else:
            joined.append((start, end))
    return joined


def _touches(span: Span, spans: list[Span]) -> bool:
    return any(start < span[1] and span[0] < end for start, end in spans)


def _blank(text: str, spans: list[Span], label: str) -> str:
    """`text` with each run of overlapping spans replaced by `label`."""
    if not spans:
        return text
    parts: list[str] = []
    done = 0
    for start, end in sorted(spans):
        if start < done:  # overlaps the run just blanked: extend it
            done = max(done, end)
            continue
        parts += [text[done:start], label]
        done = end
    parts.append(text[done:])
    return "".join(parts)


def issue_meaning(issue: Issue, rules: Rules, tabs: TabNames) -> str:
    """What an issue's code means, in plain words that quote no cell (core/issue_kinds.py)."""
    return meaning(issue.code, rules, tabs)
