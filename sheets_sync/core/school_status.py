"""A school's status (Overdue, Needs attention, On track) and the reasons for it, in plain words."""

from __future__ import annotations

from typing import Literal, NamedTuple

Status = Literal["Overdue", "Needs attention", "On track"]

STATUS_ORDER: tuple[Status, ...] = ("Overdue", "Needs attention", "On track")


class StatusFacts(NamedTuple):
    """The few facts a school's status and its reasons are decided from."""

    overdue: bool  # the last required month that ended was missed, and none yet this month
    missed: tuple[str, ...]  # missed months as displayed
    due_soon: int | None  # days left, when this month is Due within `due_soon_days`
    month: str  # this month's abbreviation, for the reason it is due
    principal_overdue: bool
    last_quarter_missed: int | None  # the number of the last ended quarter, when it was missed
    evaluations: int  # evaluations due
    errors: int  # error-level issues that name the school


def status_of(facts: StatusFacts) -> Status:
    if facts.overdue:
        return "Overdue"
    if (
        facts.due_soon is not None
        or facts.missed
        or facts.principal_overdue
        or facts.last_quarter_missed is not None
        or facts.evaluations
        or facts.errors
    ):
        return "Needs attention"
    return "On track"


def reasons_for(facts: StatusFacts) -> tuple[str, ...]:
    """Why a school is not On track, in the Summary's order."""
    reasons: list[str] = []
    if facts.missed:
        reasons.append(f"no contact in {', '.join(facts.missed)}")
    if facts.due_soon is not None:
        left = facts.due_soon
        reasons.append(
            f"{facts.month} due in {_plural(left, 'day')}" if left else f"{facts.month} due today"
        )
    if facts.principal_overdue:
        reasons.append("principal meeting overdue")
    if facts.last_quarter_missed is not None:
        reasons.append(f"Q{facts.last_quarter_missed} cluster meeting missed")
    if facts.evaluations:
        reasons.append(f"{_plural(facts.evaluations, 'evaluation')} due")
    if facts.errors:
        reasons.append(_plural(facts.errors, "data error"))
    return tuple(reasons)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"
