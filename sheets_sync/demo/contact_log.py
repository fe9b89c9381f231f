"""A facilitator's contact log for generated schools: monthly contacts and shared meetings."""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from sheets_sync.core.months import month_index
from sheets_sync.demo.people import Row, SchoolInfo
from sheets_sync.demo.schoolyear import YearFrame, weekday_between

_MONTHLY = ("Site Visit", "Team Meeting", "Phone", "Email", "Virtual Meeting")
_MONTHLY_WEIGHTS = (3, 3, 2, 2, 2)
_WITH = (
    "ATP chair",
    "ATP co-chairs",
    "Full team",
    "Chair and principal",
    "Family liaison",
    "Principal",
)
_NOTES = {
    "Site Visit": (
        "Walked through next month's activities with the chair",
        "Helped set up the family survey",
        "Observed Family Math Night planning",
        "Reviewed sign-in sheets and evaluation forms",
    ),
    "Team Meeting": (
        "Reviewed the One-Year Action Plan",
        "Planned the spring activities",
        "Team evaluated last month's activity",
        "Agreed roles for the next event",
    ),
    "Phone": (
        "Checked on volunteer sign-ups",
        "Chair asked about translation support",
        "Followed up on the evaluation form",
    ),
    "Email": (
        "Sent the evaluation template",
        "Shared the cluster meeting agenda",
        "Sent reminders for the plan update",
    ),
    "Virtual Meeting": (
        "Video check-in with the co-chairs",
        "Helped the chair with the survey",
        "Went over the budget for family events",
    ),
}
# Other ways people type a contact type, all accepted by the sheet.
_TYPED = {
    "Virtual Meeting": "Zoom",
    "Email": "E-mail",
    "Phone": "Phone Call",
    "Site Visit": "School Visit",
}


@dataclass(frozen=True, slots=True)
class LogEntry:
    """One Contact Log row before it is written out."""

    day: date  # also where the row sorts
    schools: tuple[str, ...]  # empty for district-level work
    facilitator: str
    kind: str
    met_with: str = ""
    notes: str = ""
    written: object = None  # the Date cell as typed, when it is not the day itself


def monthly_contacts(
    rng: random.Random, school: SchoolInfo, frame: YearFrame, per_month: tuple[int, int]
) -> list[LogEntry]:
    """Contacts with one school in every month begun so far, on school days up to today."""
    found = []
    for index in frame.begun:
        first, last = frame.window(index)
        logged: set[tuple[date, str]] = set()
        for _ in range(rng.randint(*per_month)):
            for _ in range(3):  # two calls on one day are fine; the same kind twice is a slip
                kind = rng.choices(_MONTHLY, _MONTHLY_WEIGHTS)[0]
                day = weekday_between(rng, first, last)
                if (day, kind) not in logged:
                    break
            logged.add((day, kind))
            found.append(
                LogEntry(
                    day,
                    (school.name,),
                    school.facilitator,
                    kind,
                    rng.choice(_WITH),
                    rng.choice(_NOTES[kind]),
                )
            )
    return found


def principal_meeting(rng: random.Random, school: SchoolInfo, frame: YearFrame) -> list[LogEntry]:
    """The start-of-year meeting with the principal, before the deadline (none yet if later)."""
    deadline = frame.principal_deadline
    first = max(deadline.replace(day=1), frame.start)
    day = weekday_between(rng, first, max(first, deadline.replace(day=max(1, deadline.day - 4))))
    if day > frame.today:
        return []
    return [
        LogEntry(
            day,
            (school.name,),
            school.facilitator,
            "Principal Meeting",
            f"Principal {school.principal.split()[-1]}",
            "Reviewed last year's evaluations and this year's goals",
        )
    ]


def shared_meetings(
    rng: random.Random,
    groups: Iterable[Sequence[SchoolInfo]],
    frame: YearFrame,
    *,
    month: int,
    kind: str,
    notes: str,
) -> list[LogEntry]:
    """One row per group of schools (a cluster, say) met together in that month, if by today."""
    first, last = frame.window(month)
    found = []
    for group in groups:
        day = weekday_between(rng, max(first, first.replace(day=8)), last)
        if group and day <= frame.today:
            found.append(
                LogEntry(
                    day,
                    tuple(s.name for s in group),
                    group[0].facilitator,
                    kind,
                    "Team chairs",
                    notes,
                )
            )
    return found


def silenced(entries: Iterable[LogEntry], quiet: Mapping[str, frozenset[int]]) -> list[LogEntry]:
    """The entries with each school left out of the months it was quiet in."""
    found = []
    for entry in entries:
        month = month_index(entry.day)
        kept = tuple(s for s in entry.schools if month not in quiet.get(s, frozenset()))
        if kept or not entry.schools:
            found.append(entry if kept == entry.schools else replace(entry, schools=kept))
    return found


def log_rows(
    rng: random.Random, entries: Iterable[LogEntry], frame: YearFrame, messy: float
) -> list[Row]:
    """The Contact Log in date order; a `messy` share typed another accepted way."""
    rows = []
    for entry in sorted(entries, key=lambda e: (e.day, e.facilitator, e.schools, e.kind)):
        written = entry.written if entry.written is not None else entry.day
        if entry.written is None and rng.random() < messy:
            written = frame.as_written(entry.day, rng)
        kind = entry.kind
        if kind in _TYPED and rng.random() < messy:
            kind = _TYPED[kind]
        rows.append(
            {
                "Date": written,
                "School": "; ".join(entry.schools) or "District",
                "Facilitator": entry.facilitator,
                "Contact Type": kind,
                "With": entry.met_with or None,
                "Notes": entry.notes or None,
            }
        )
    return rows


def cluster_year(
    rng: random.Random, groups: Sequence[Sequence[SchoolInfo]], frame: YearFrame
) -> list[LogEntry]:
    """Each cluster's quarterly meetings and its end-of-year celebration, as far as today."""
    found = []
    for month in frame.quarter_months:
        found += shared_meetings(
            rng,
            groups,
            frame,
            month=month,
            kind="Cluster Meeting",
            notes="Chairs shared plans and evaluation results",
        )
    last_required = max(frame.required, default=frame.months[-1])
    found += shared_meetings(
        rng,
        groups,
        frame,
        month=last_required,
        kind="Celebration",
        notes="End-of-year celebration of partnerships",
    )
    return found
