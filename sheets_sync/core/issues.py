"""A problem found in the workbook: where it is, what is wrong, and how to fix it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Literal, NamedTuple

Severity = Literal["error", "warning"]
# Issues kept in one cycle. A district has dozens, a state's synthetic workbook about 2,000;
# past this the rows are junk (a pasted export, a hostile file), one issue a cell, and
# listing millions of them would cost gigabytes and help no one.
MAX_LISTED = 10_000
NOT_LISTED = "issues.not-listed"


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
    """Errors first, then by tab (in workbook order where known), row and column; the line
    saying how many more were not listed comes last."""
    rank = {tab: i for i, tab in enumerate(tab_order)}
    return sorted(
        issues,
        key=lambda i: (
            i.code == NOT_LISTED,
            i.severity != "error",
            rank.get(i.tab, len(rank)),
            i.tab,
            i.row,
            i.column,
            i.code,
        ),
    )


class IssueLog(list[Issue]):
    """A cycle's issues as they are found: the first `limit` kept, the rest counted."""

    def __init__(self, limit: int = MAX_LISTED) -> None:
        super().__init__()
        self.limit = limit
        self.omitted: Counter[str] = Counter()  # by severity
        self.earlier_rows = 0  # rows of earlier school years, set aside unread

    def append(self, issue: Issue) -> None:
        if len(self) < self.limit:
            super().append(issue)
        else:
            self.omitted[issue.severity] += 1

    def not_listed(self) -> list[Issue]:
        """One issue that says how many more there are, or none."""
        errors, warnings = self.omitted["error"], self.omitted["warning"]
        if not errors and not warnings:
            return []
        return [
            Issue(
                "error" if errors else "warning",
                "All tabs",
                "",
                NOT_LISTED,
                f"{errors + warnings:,} more issues ({errors:,} errors, {warnings:,} warnings) "
                f"were found and are not listed: the list stops at {self.limit:,}.",
                "Fix the issues listed first: so many usually means a whole column or a pasted "
                "block of rows is wrong. The rest are listed once there are fewer.",
            )
        ]
