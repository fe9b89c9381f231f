"""The demo district: twelve believable schools, a year of work, and a few planted problems.

`demo_district(today, settings)` builds the five input tabs as of `today`; the rows depend
only on `today`, the settings and the seed. The problems are placed relative to today, so
that a run on any day of the school year shows every status and several kinds of issue:

- Riverside K-8 Academy goes quiet from the last required month that has ended, so it is
  Overdue. Before any required month has ended (August and September, with the default
  rules) no school can be Overdue: Riverside then has no contact yet this month and shows
  On track or Needs attention. In July, after the year has ended (the shell's demo uses the
  year just ended), May was the last required month, so Riverside is Overdue again.
- Needs attention: Pine Street (team of four, a type of involvement left out), Westbrook
  (no chair, a "Sept 31" date, a facilitator typed "J. Whitaker"), Willow Creek (a month
  skipped once two required months have ended, a contact dated after today), Oak Hollow
  (no principal meeting, evaluations due, a blank Responsible), Summit High (a mistyped
  email, a "Librarian" role).
- On track: Maple Grove, Cedar Ridge, Harbor View, Lincoln (though one of its contacts
  names "Lincon Elementary"), Lakeview High.
- Fairview Elementary is inactive and skipped everywhere.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from sheets_sync.core.months import month_index
from sheets_sync.core.settings import Settings
from sheets_sync.core.table import InputTab
from sheets_sync.core.vocab import InvolvementTypes
from sheets_sync.demo.contact_log import (
    LogEntry,
    cluster_year,
    log_rows,
    monthly_contacts,
    principal_meeting,
    shared_meetings,
    silenced,
)
from sheets_sync.demo.people import (
    DEMO_DOMAIN,
    Row,
    SchoolInfo,
    TeamKnobs,
    as_tabs,
    facilitator_row,
    person_name,
    staff_email,
    team_rows,
)
from sheets_sync.demo.plans import PlanKnobs, plan_rows
from sheets_sync.demo.schoolyear import YearFrame, weekday_between
from sheets_sync.demo.synthetic import synthetic_district

__all__ = ["DEMO_DISTRICT", "DEMO_DOMAIN", "demo_district", "synthetic_district"]

DEMO_DISTRICT = "Riverbend School District"
FACILITATORS = ("Maria Delgado", "James Whitaker", "Priya Raman")

Quiet = Literal["", "overdue", "skips-a-month"]


@dataclass(frozen=True)
class _Story:
    """One demo school and what its year looks like."""

    name: str
    level: str
    cluster: str
    facilitator: int  # index into FACILITATORS
    team: TeamKnobs = field(default_factory=TeamKnobs)
    plan: PlanKnobs = field(default_factory=PlanKnobs)
    quiet: Quiet = ""
    principal_meeting: bool = True
    active: bool = True


_STORIES = (
    _Story("Maple Grove Elementary", "ES", "North", 0, TeamKnobs(size=9)),
    _Story("Cedar Ridge Middle School", "MS", "North", 0, TeamKnobs(size=10, co_chairs=True)),
    _Story(
        "Pine Street Elementary",
        "ES",
        "North",
        0,
        TeamKnobs(size=4),
        PlanKnobs(activities=8, types=5),
    ),
    _Story(
        "Harbor View Elementary",
        "ES",
        "North",
        1,
        TeamKnobs(size=8),
        PlanKnobs(activities=9, messy=0.15),
    ),
    _Story("Lincoln Elementary", "ES", "South", 1, TeamKnobs(size=11), PlanKnobs(activities=11)),
    _Story(
        "Riverside K-8 Academy",
        "K-8",
        "South",
        1,
        TeamKnobs(size=9),
        PlanKnobs(evaluated=0.5, stale=True),
        quiet="overdue",
    ),
    _Story(
        "Westbrook Middle School",
        "MS",
        "South",
        1,
        TeamKnobs(size=8, chair=False, term_ended=True),
        PlanKnobs(activities=9),
    ),
    _Story(
        "Willow Creek Elementary",
        "ES",
        "South",
        2,
        TeamKnobs(size=7),
        PlanKnobs(evaluated=0.8),
        quiet="skips-a-month",
    ),
    _Story(
        "Lakeview High School",
        "HS",
        "East",
        2,
        TeamKnobs(size=12, co_chairs=True),
        PlanKnobs(activities=12),
    ),
    _Story(
        "Oak Hollow Elementary",
        "ES",
        "East",
        2,
        TeamKnobs(size=9),
        PlanKnobs(evaluated=0.3, stale=True, blank_responsible=True),
        principal_meeting=False,
    ),
    _Story(
        "Summit High School", "HS", "East", 2, TeamKnobs(size=11, bad_email=True, odd_role=True)
    ),
    _Story("Fairview Elementary", "ES", "East", 0, active=False),
)


def demo_district(today: date, settings: Settings, seed: int = 2025) -> list[InputTab]:
    """The demo's five input tabs as of `today` (inside `settings.year`)."""
    rng = random.Random(seed)
    frame = YearFrame.build(settings, today)
    schools = _schools(rng)
    active = [s for s in schools if s.active]
    stories = {s.name: s for s in _STORIES}
    types = InvolvementTypes(settings.framework)
    roster: list[Row] = []
    plan: list[Row] = []
    log: list[LogEntry] = []
    taken = {*FACILITATORS, *(s.principal for s in schools)}  # one name, one person
    for school in active:
        story = stories[school.name]
        roster += team_rows(rng, school, story.team, frame, taken=taken)
        plan += plan_rows(rng, school, story.plan, frame, types)
        log += monthly_contacts(rng, school, frame, (1, 2))
        if story.principal_meeting:
            log += principal_meeting(rng, school, frame)
    log += _shared_work(rng, active, frame)
    log = silenced(log, {s.name: _quiet_months(stories[s.name].quiet, frame) for s in active})
    log += _planted_contacts(rng, frame)
    contacts = log_rows(rng, log, frame, messy=0.06)
    _touch_up(roster, plan, contacts)
    return as_tabs(
        settings,
        schools=[s.row(rng) for s in schools],
        facilitators=[facilitator_row(f) for f in FACILITATORS],
        roster=roster,
        plan=plan,
        contacts=contacts,
    )


def _schools(rng: random.Random) -> list[SchoolInfo]:
    taken = set(FACILITATORS)
    codes = sorted(rng.sample(range(12, 980), len(_STORIES)))
    found = []
    for story, code in zip(_STORIES, codes, strict=True):
        principal = person_name(rng, taken)
        found.append(
            SchoolInfo(
                story.name,
                f"{code:04d}",
                story.level,
                story.cluster,
                FACILITATORS[story.facilitator],
                principal,
                staff_email(principal),
                story.active,
            )
        )
    return found


def _shared_work(rng: random.Random, active: list[SchoolInfo], frame: YearFrame) -> list[LogEntry]:
    """Training, quarterly cluster meetings, the celebration, and district-level work."""
    clusters: dict[str, list[SchoolInfo]] = {}
    for school in active:
        clusters.setdefault(school.cluster, []).append(school)
    groups = list(clusters.values())
    found = shared_meetings(
        rng,
        [active],
        frame,
        month=frame.months[0],
        kind="Training",
        notes="One-day ATP training: writing the One-Year Action Plan",
    )
    found += cluster_year(rng, groups, frame)
    begun = frame.begun or frame.months[:1]
    for at, (kind, who, notes) in enumerate(
        (
            ("Other", "Assistant Superintendent", "Quarterly check-in on the partnership program"),
            ("Presentation", "Board of Education", "Presented the schools' partnership plans"),
        )
    ):
        first, last = frame.window(begun[min(len(begun) - 1, 1 + 2 * at)])
        found.append(
            LogEntry(
                weekday_between(rng, first, max(first, last)),
                (),
                FACILITATORS[at],
                kind,
                who,
                notes,
            )
        )
    return found


def _quiet_months(quiet: Quiet, frame: YearFrame) -> frozenset[int]:
    last = frame.last_ended_required
    if quiet == "overdue":
        # Quiet since the last required month that ended: no contact then, none this month.
        since = last if last is not None else month_index(frame.today)
        return frozenset(i for i in frame.months if i >= since)
    if quiet == "skips-a-month" and last is not None:
        # The required month before the last one that ended: a missed month, not Overdue.
        earlier = [i for i in frame.required if i < last]
        return frozenset({max(earlier)}) if earlier else frozenset()
    return frozenset()


def _planted_contacts(rng: random.Random, frame: YearFrame) -> list[LogEntry]:
    """Rows with problems a facilitator might type: each one becomes an issue."""
    today = frame.today
    first, last = frame.window(month_index(min(today, frame.end)))
    september = next((i for i in frame.months if i % 12 == 8), frame.months[0]) // 12
    return [
        LogEntry(
            weekday_between(rng, first, last),
            ("Lincon Elementary",),
            FACILITATORS[1],
            "Phone",
            "ATP chair",
            "Talked through the family survey results",
        ),
        LogEntry(
            date(september, 9, 30),
            ("Westbrook Middle School",),
            FACILITATORS[1],
            "Site Visit",
            "Full team",
            "Met the team after school",
            written=f"Sept 31, {september}",
        ),
        LogEntry(
            today + timedelta(days=rng.randint(3, 12)),
            ("Willow Creek Elementary",),
            FACILITATORS[2],
            "Team Meeting",
            "Full team",
            "Spring family night planning (logged ahead of time)",
        ),
    ]


def _touch_up(roster: list[Row], plan: list[Row], contacts: list[Row]) -> None:
    """A few cells typed the way people do, so that each accepted variant shows up."""
    family = next((r for r in roster if r["Role"] in ("Parent/Family", "Parent")), None)
    if family is not None:
        family["Role"] = "PTA"
    number = next(ch for ch in str(plan[1]["Involvement Type"]) if ch.isdigit())
    plan[1]["Involvement Type"] = f"Type {number}"
    for row in contacts:
        if row["Contact Type"] == "Virtual Meeting":
            row["Contact Type"] = "Zoom"
            break
    westbrook = [r for r in contacts if r["School"] == "Westbrook Middle School"]
    if westbrook:
        westbrook[0]["Facilitator"] = "J. Whitaker"
