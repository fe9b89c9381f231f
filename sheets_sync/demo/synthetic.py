"""A district of any size for the benchmark: about 70 input rows per school, some of them wrong."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from datetime import date, timedelta

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
from sheets_sync.demo.schoolyear import YearFrame

_PLACES = (
    "Maple",
    "Cedar",
    "Oak",
    "Pine",
    "Willow",
    "Aspen",
    "Birch",
    "Elm",
    "Spruce",
    "Juniper",
    "River",
    "Lake",
    "Hill",
    "Stone",
    "Meadow",
    "Prairie",
    "Canyon",
    "Mesa",
    "Harbor",
    "Summit",
    "Eagle",
    "Falcon",
    "Sunset",
    "Bluebird",
    "Golden",
    "Silver",
    "Clear",
    "Fox",
    "Deer",
    "Bear",
)
_FEATURES = (
    "Grove",
    "Ridge",
    "View",
    "Creek",
    "Park",
    "Valley",
    "Springs",
    "Crossing",
    "Heights",
    "Point",
    "Brook",
    "Hollow",
    "Trail",
    "Field",
    "Bend",
    "Glen",
    "Landing",
    "Meadows",
    "Pines",
    "Vista",
)
_LEVELS = (
    ("ES", "Elementary"),
    ("MS", "Middle School"),
    ("HS", "High School"),
    ("K-8", "K-8 Academy"),
)
_LEVEL_WEIGHTS = (60, 20, 15, 5)
_REGIONS = ("North", "South", "East", "West", "Central")
_SCHOOLS_PER_FACILITATOR = 12
_SCHOOLS_PER_CLUSTER = 8
_CONTACTS_PER_SCHOOL = 50  # monthly contacts; shared meetings and planted rows come on top


def synthetic_district(
    n_schools: int, today: date, settings: Settings, seed: int = 1
) -> list[InputTab]:
    """`n_schools` active schools, ~70 input rows each, with issues of every common kind."""
    rng = random.Random(seed)
    frame = YearFrame.build(settings, today)
    facilitators = _facilitators(rng, max(3, math.ceil(n_schools / _SCHOOLS_PER_FACILITATOR)))
    schools = _schools(rng, n_schools, facilitators)
    types = InvolvementTypes(settings.framework)
    monthly = _CONTACTS_PER_SCHOOL / max(1, len(frame.begun))
    per_month = (max(1, math.floor(monthly - 1)), max(1, math.ceil(monthly + 1)))
    roster: list[Row] = []
    plan: list[Row] = []
    log: list[LogEntry] = []
    quiet: dict[str, frozenset[int]] = {}
    for school in schools:
        roster += team_rows(rng, school, _team_knobs(rng), frame, taken={school.principal})
        plan += plan_rows(rng, school, _plan_knobs(rng), frame, types)
        log += monthly_contacts(rng, school, frame, per_month)
        if rng.random() < 0.92:
            log += principal_meeting(rng, school, frame)
        quiet[school.name] = _quiet(rng, frame)
    log += _cluster_work(rng, schools, frame)
    log = silenced(log, quiet)
    log += _planted(rng, schools, frame)
    contacts = log_rows(rng, log, frame, messy=0.04)
    return as_tabs(
        settings,
        schools=[s.row(rng) for s in schools],
        facilitators=[facilitator_row(f) for f in facilitators],
        roster=roster,
        plan=plan,
        contacts=contacts,
    )


def _facilitators(rng: random.Random, count: int) -> list[str]:
    taken: set[str] = set()
    names: dict[str, None] = {}
    for number in range(count):
        name = person_name(rng, taken)
        names[f"{name} {number}" if name in names else name] = None  # the pools ran dry
    return list(names)


def _schools(rng: random.Random, count: int, facilitators: Sequence[str]) -> list[SchoolInfo]:
    taken: set[str] = set()
    people: set[str] = set(facilitators)
    found = []
    for number in range(count):
        level, kind = rng.choices(_LEVELS, _LEVEL_WEIGHTS)[0]
        name = f"{rng.choice(_PLACES)} {rng.choice(_FEATURES)} {kind}"
        if name in taken:
            name = f"{name} {number + 1}"  # one more in a state of many Maple Groves
        taken.add(name)
        principal = person_name(rng, people)
        cluster = number // _SCHOOLS_PER_CLUSTER
        found.append(
            SchoolInfo(
                name,
                f"{number + 1:04d}",
                level,
                f"{_REGIONS[cluster % 5]} {cluster // 5 + 1}",
                facilitators[number // _SCHOOLS_PER_FACILITATOR % len(facilitators)],
                principal,
                staff_email(principal),
            )
        )
    return found


def _team_knobs(rng: random.Random) -> TeamKnobs:
    small = rng.random() < 0.03
    return TeamKnobs(
        size=rng.randint(4, 5) if small else rng.randint(7, 12),
        co_chairs=rng.random() < 0.3,
        chair=rng.random() > 0.03,
        bad_email=rng.random() < 0.02,
        odd_role=rng.random() < 0.02,
        term_ended=rng.random() < 0.03,
    )


def _plan_knobs(rng: random.Random) -> PlanKnobs:
    return PlanKnobs(
        activities=rng.randint(8, 12),
        types=6 if rng.random() < 0.9 else 5,
        evaluated=1.0 if rng.random() < 0.8 else 0.6,
        stale=rng.random() < 0.1,
        blank_responsible=rng.random() < 0.02,
    )


def _quiet(rng: random.Random, frame: YearFrame) -> frozenset[int]:
    """Months a school had no contact: most none, some one, a few every month since one."""
    pick = rng.random()
    ended = [
        i
        for i in frame.required
        if frame.last_ended_required is not None and i <= frame.last_ended_required
    ]
    if pick < 0.06 and ended:
        since = rng.choice(ended)
        return frozenset(i for i in frame.months if i >= since)
    if pick < 0.12 and ended:
        return frozenset({rng.choice(ended)})
    return frozenset()


def _cluster_work(
    rng: random.Random, schools: list[SchoolInfo], frame: YearFrame
) -> list[LogEntry]:
    """Training, a cluster meeting each quarter and the celebration, one row per cluster."""
    clusters: dict[str, list[SchoolInfo]] = {}
    for school in schools:
        clusters.setdefault(school.cluster, []).append(school)
    # Now and then one school of a cluster stays away.
    groups = [
        rng.sample(g, len(g) - (len(g) > 3 and rng.random() < 0.3)) for g in clusters.values()
    ]
    found = shared_meetings(
        rng,
        groups,
        frame,
        month=frame.months[0],
        kind="Training",
        notes="ATP training: writing the One-Year Action Plan",
    )
    return found + cluster_year(rng, groups, frame)


def _planted(rng: random.Random, schools: list[SchoolInfo], frame: YearFrame) -> list[LogEntry]:
    """About one school in fifty: a misspelled name, an impossible date, a future date."""
    first, last = frame.window(month_index(min(frame.today, frame.end)))
    found = []
    for school in rng.sample(schools, max(1, len(schools) // 50)):
        at = rng.randrange(1, len(school.name) - 1)
        found += [
            LogEntry(
                first,
                (school.name[:at] + school.name[at + 1 :],),
                school.facilitator,
                "Phone",
                "ATP chair",
            ),
            LogEntry(
                last,
                (school.name,),
                school.facilitator,
                "Site Visit",
                "Full team",
                written=f"Feb 30, {frame.end.year}",
            ),
            LogEntry(
                frame.today + timedelta(days=rng.randint(2, 20)),
                (school.name,),
                school.facilitator,
                "Team Meeting",
                "Full team",
            ),
        ]
    return found
