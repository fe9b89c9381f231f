"""One-Year Action Plans for generated schools: four goals, activities across the year."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from sheets_sync.core.months import month_first, month_index, month_label, month_last
from sheets_sync.core.vocab import InvolvementTypes
from sheets_sync.demo.people import Row, SchoolInfo
from sheets_sync.demo.schoolyear import YearFrame, weekday_between

# Activities by involvement type (1..6), worded for either framework's six types.
_ACTIVITIES = {
    1: (
        "Family Welcome Night",
        "Parenting workshop: sleep, screens and routines",
        "New-family orientation",
        "Family resource fair",
    ),
    2: (
        "Monthly family newsletter in English and Spanish",
        "Two-way conferences with interpreters",
        "Positive phone call home week",
        "Text-message attendance updates",
    ),
    3: (
        "Family volunteer orientation",
        "Reading buddies: family volunteers in classrooms",
        "Career day with family speakers",
        "Field day family volunteers",
    ),
    4: (
        "Family Math Night",
        "Family Literacy Night",
        "Reading take-home bags",
        "Interactive homework (TIPS) in math",
    ),
    5: (
        "Recruit families to the ATP and the school council",
        "Family survey on school climate",
        "Family advisory on the attendance plan",
        "Families review the school improvement plan",
    ),
    6: (
        "Community partner resource night",
        "Library card sign-up with the public library",
        "Food bank partnership: weekend backpacks",
        "Local business mentors for students",
    ),
}
_ACADEMIC = {
    "ES": (
        "Raise third-grade reading proficiency from {a}% to {b}%",
        "Raise math proficiency from {a}% to {b}%",
        "Raise kindergarten readiness from {a}% to {b}%",
    ),
    "MS": (
        "Raise math proficiency from {a}% to {b}%",
        "Raise ELA proficiency from {a}% to {b}%",
        "Raise science scores from {a}% to {b}% proficient",
    ),
    "HS": (
        "Raise the ninth-grade on-track rate from {a}% to {b}%",
        "Raise the graduation rate from {c2}% to {d2}%",
        "Raise AP and dual-credit enrollment from {a}% to {b}%",
    ),
    "K-8": (
        "Raise third-grade reading proficiency from {a}% to {b}%",
        "Raise math proficiency from {a}% to {b}%",
        "Raise eighth-grade ELA proficiency from {a}% to {b}%",
    ),
}
_GOALS = {
    "Behavior": (
        "Cut chronic absence from {c}% to {d}%",
        "Reduce office referrals by {c}%",
        "Raise on-time arrival to {e}%",
    ),
    "Climate of Partnership": (
        "Every family feels welcome: survey rating {e}% or higher",
        "Raise family attendance at school events to {f}%",
        "Reach every family twice a term in their home language",
    ),
}
_RESPONSIBLE = (
    "ATP chair",
    "Principal",
    "Family liaison",
    "PTA",
    "Grade-level teachers",
    "Counselor",
    "Community partner",
    "ATP co-chairs",
)
_EVALUATIONS = (
    "4",
    "3",
    "4 - strong turnout",
    "3 - good; send flyers home earlier",
    "Families asked for a repeat in spring",
    "2 - low attendance; try an evening",
    "4 - 120 families came",
    "3 - survey: 88% found it useful",
)
_GRADES = {
    "ES": ("K-5", "K-2", "3-5"),
    "MS": ("6-8", "6", "7-8"),
    "HS": ("9-12", "9", "11-12"),
    "K-8": ("K-8", "K-4", "5-8"),
}


@dataclass(frozen=True, slots=True)
class PlanKnobs:
    """How a school's plan comes out: its size and the problems planted in it."""

    activities: int = 10
    types: int = 6  # how many of the six involvement types it covers
    evaluated: float = 1.0  # share of past activities that have an evaluation
    stale: bool = False  # the earliest past activity still says Planned
    blank_responsible: bool = False  # a required cell left blank
    messy: float = 0.05  # share of cells typed another accepted way (Type 4, Oct 2025, ...)


def plan_rows(
    rng: random.Random,
    school: SchoolInfo,
    knobs: PlanKnobs,
    frame: YearFrame,
    types: InvolvementTypes,
) -> list[Row]:
    """The plan's rows in date order; activities that took place by today say Done."""
    goals = _goals(rng, school.level)
    used: set[str] = set()
    covered = rng.sample(range(1, 7), knobs.types)
    rows: list[Row] = []
    stale = knobs.stale
    for at, day in enumerate(_days(rng, knobs.activities, frame)):
        number = covered[at] if at < len(covered) else rng.choice(covered)
        goal_type, goal = goals[at] if at < len(goals) else rng.choice(goals)
        row: Row = {
            "School": school.name,
            "Goal": goal,
            "Goal Type": goal_type,
            "Activity": _activity(rng, number, used),
            "Involvement Type": _involvement(rng, number, types, knobs.messy),
            "Date": day,
            "Responsible": rng.choice(_RESPONSIBLE),
        }
        first, last = day, day
        if rng.random() < knobs.messy * 2:  # a month, not a day: `Oct 2025`
            index = month_index(day)
            row["Date"] = month_label(index)
            first, last = max(month_first(index), frame.start), month_last(index)
        elif rng.random() < knobs.messy:
            row["Date"] = frame.as_written(day, rng)
        _status(rng, row, first <= frame.today, knobs)
        if rng.random() < 0.5:
            row["Grade Levels"] = rng.choice(_GRADES.get(school.level, _GRADES["ES"]))
        if stale and last < frame.today - timedelta(days=14):
            row["Status"], row["Evaluation"], stale = "Planned", None, False
        rows.append(row)
    if knobs.blank_responsible and rows:
        rows[-1]["Responsible"] = None
    return rows


def _goals(rng: random.Random, level: str) -> list[tuple[str, str]]:
    """Two Academic goals, one Behavior, one Climate of Partnership, with plausible figures."""
    a, c2 = rng.randint(42, 68), rng.randint(74, 86)
    figures = {
        "a": a,
        "b": a + rng.randint(5, 12),
        "c": rng.randint(12, 25),
        "d": rng.randint(6, 11),
        "c2": c2,
        "d2": c2 + rng.randint(3, 6),
        "e": rng.randint(85, 95),
        "f": rng.randint(55, 75),
    }
    academic = rng.sample(_ACADEMIC.get(level, _ACADEMIC["ES"]), 2)
    return [
        ("Academic", academic[0].format(**figures)),
        ("Behavior", rng.choice(_GOALS["Behavior"]).format(**figures)),
        ("Academic", academic[1].format(**figures)),
        ("Climate of Partnership", rng.choice(_GOALS["Climate of Partnership"]).format(**figures)),
    ]


def _activity(rng: random.Random, number: int, used: set[str]) -> str:
    """An activity of that type the plan does not have yet (a repeat once all are used)."""
    fresh = [a for a in _ACTIVITIES[number] if a not in used]
    found = rng.choice(fresh or _ACTIVITIES[number])
    used.add(found)
    return found


def _days(rng: random.Random, count: int, frame: YearFrame) -> list[date]:
    """Activity days spread over the year, from its fifth week to a month before its end."""
    first, last = frame.span(frame.start + timedelta(days=28), frame.end - timedelta(days=30))
    span = max(0, (last - first).days)
    days = []
    for at in range(count):
        centre = first + timedelta(days=span * (2 * at + 1) // (2 * count))
        days.append(
            weekday_between(
                rng, max(first, centre - timedelta(days=6)), min(last, centre + timedelta(days=6))
            )
        )
    return sorted(days)


def _involvement(rng: random.Random, number: int, types: InvolvementTypes, messy: float) -> object:
    pick = rng.random()
    if pick < messy:
        return f"Type {number}"
    if pick < messy * 2:
        return number
    return types.name(number)


def _status(rng: random.Random, row: Row, happened: bool, knobs: PlanKnobs) -> None:
    if not happened:
        row["Status"] = rng.choice(("Planned", "Planned", "Planned", None))  # blank = Planned
        return
    row["Status"] = "Completed" if rng.random() < knobs.messy else "Done"
    if rng.random() < knobs.evaluated:
        row["Evaluation"] = rng.choice(_EVALUATIONS)
