"""A problem found in the workbook: where it is, what is wrong, and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, NamedTuple

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Issue:
    severity: Severity
    tab: str
    cell: str  # A1 reference inside `tab`, e.g. "E7"
    code: str  # stable, e.g. "roster.no-chair"
    problem: str  # plain words, for the person who reads the tab
    fix: str  # what to do about it
    schools: tuple[str, ...] = ()  # canonical names of the schools the problem belongs to
    row: int = 0  # 1-based sheet row, for ordering (0 when the issue is about a whole tab)
    column: int = 0  # 1-based sheet column, for ordering

    @property
    def school(self) -> str:
        return "; ".join(self.schools)

    @property
    def where(self) -> str:
        """`Team Roster!E7`, as people say it (the compiler-style prefix of `check`)."""
        return f"{self.tab}!{self.cell}" if self.cell else self.tab


class Finding(NamedTuple):
    """What a rule found about a school (or a tab) as a whole, before it is placed at a cell."""

    severity: Severity
    code: str
    problem: str
    fix: str

    def at(self, tab: str, row: int, column: int, school: str = "") -> Issue:
        """The finding as an issue at (row, column) of `tab`, belonging to `school` if given."""
        schools = (school,) if school else ()
        cell = cell_ref(row, column)
        return Issue(
            self.severity, tab, cell, self.code, self.problem, self.fix, schools, row, column
        )


def column_letter(column: int) -> str:
    """1 -> A, 27 -> AA."""
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_ref(row: int, column: int) -> str:
    """1-based row and column -> "E7"."""
    return f"{column_letter(column)}{row}"


def ordered(issues: list[Issue], tab_order: tuple[str, ...] = ()) -> list[Issue]:
    """Errors first, then by tab (in workbook order where known), row and column."""
    rank = {tab: i for i, tab in enumerate(tab_order)}
    return sorted(
        issues,
        key=lambda i: (
            i.severity != "error",
            rank.get(i.tab, len(rank)),
            i.tab,
            i.row,
            i.column,
            i.code,
        ),
    )
