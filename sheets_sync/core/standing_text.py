"""How a school's standing reads in the Summary, the year's record and the letters: the words
made from the values of a `Standing`, in one place."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from sheets_sync.core.contact_standing import MonthTally
from sheets_sync.core.vocab import InvolvementTypes, names_of

if TYPE_CHECKING:
    from sheets_sync.core.standing import Standing

TYPE_COUNT = 6


def month_names(missed: Sequence[MonthTally], months: Sequence[MonthTally]) -> tuple[str, ...]:
    """`Sep`, `Nov`; with a year over 12 months a name could repeat, so `Sep 2025`."""
    abbreviate = len(months) <= 12
    return tuple(m.abbr if abbreviate else m.label for m in missed)


def missed_months_text(s: Standing) -> str:
    """`Sep, Nov`, or "" when no required month was missed."""
    return ", ".join(month_names(s.missed_months, s.months))


def team_check(s: Standing) -> str:
    """`OK`, or the team's problems: `no chair, few families`."""
    return ", ".join(s.team_problems) or "OK"


def types_text(s: Standing, types: InvolvementTypes) -> str:
    """`5 of 6 (missing 3 Volunteering)`; with none covered, `0 of 6` says it all."""
    text = f"{len(s.types_covered)} of {TYPE_COUNT}"
    if s.types_covered and s.types_missing:
        text += f" (missing {names_of(s.types_missing, types)})"
    return text


def this_month_text(s: Standing) -> str:
    """`Done`, `Due (8 days left)`, `Due today`, or "" outside the required months."""
    state, days_left = s.this_month, s.days_left
    if state != "Due" or days_left is None:
        return state
    if days_left == 0:
        return "Due today"
    return f"Due ({days_left} day{'' if days_left == 1 else 's'} left)"


def principal_meeting_text(s: Standing) -> str:
    """`Done 2025-09-12`, `Late 2025-10-15`, `Due by 2025-09-30` or `Overdue`."""
    state, met = s.principal_meeting, s.principal_meeting_on
    if met is not None:
        return f"{state} {met.isoformat()}"
    return f"Due by {s.principal_deadline.isoformat()}" if state == "Due" else state


def cluster_text(s: Standing) -> str:
    """`Q1 attended, Q2 pending`: each quarter begun."""
    return ", ".join(f"Q{q.number} {q.state}" for q in s.quarters)


def celebration_text(s: Standing) -> str:
    """`Done 2026-05-28`, `Not yet` or `Missed`."""
    return f"Done {s.celebration_on.isoformat()}" if s.celebration_on else s.celebration
