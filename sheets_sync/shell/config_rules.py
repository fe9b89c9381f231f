"""The `[rules]` section: thresholds, and the months and days that must fall in the school year."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from types import MappingProxyType

from sheets_sync.core.grid import name_key
from sheets_sync.core.months import MONTH_NAMES, month_number
from sheets_sync.core.settings import CONTACT_TYPES, GOAL_TYPES, Rules, YearRule, on_month_day
from sheets_sync.shell.config_fields import (
    MONTH_DAY,
    Invalid,
    Parse,
    Table,
    choice,
    nearest,
    not_one_of,
    one_of,
    whole,
)

_CONTACT_TYPES = {name_key(name): name for name in CONTACT_TYPES}
_GOAL_TYPES = {name_key(name): name for name in GOAL_TYPES}
# "Aug-Oct" (any dash, spaces allowed) or "Aug to Oct"
_QUARTER = re.compile(r"([^\W\d_]+\.?)\s*(?:[-–—]|\bto\b)\s*([^\W\d_]+\.?)")
_MONTH_NAMES_HINT = 'use month names such as "Sep" or "September"'
_DEFAULTS = Rules()


class _Months:
    """The months of one school year in order, to place a bare month number inside it."""

    def __init__(self, rule: YearRule) -> None:
        # A rolling year's months are the same every year: the one begun in 2025 stands in.
        year = rule.fixed or rule.year_of(on_month_day(2025, rule.start))
        self.year = year
        self.span = (
            f"{year.start.isoformat()} to {year.end.isoformat()}"
            if rule.fixed
            else f"{year.start:%m-%d} to {year.end:%m-%d}"
        )
        self.position: dict[int, int] = {}  # month -> its place in the year, first occurrence
        self.calendar_year: dict[int, int] = {}  # month -> the calendar year it falls in
        y, m = year.start.year, year.start.month
        while (y, m) <= (year.end.year, year.end.month):
            self.position.setdefault(m, len(self.position))
            self.calendar_year.setdefault(m, y)
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)

    def month(self, word: object, hint: str = _MONTH_NAMES_HINT) -> int:
        number = month_number(word) if isinstance(word, str) else None
        if number is None:
            raise Invalid(hint)
        if number not in self.position:
            raise Invalid(f"{MONTH_NAMES[number - 1]} is outside the school year, {self.span}")
        return number


def read_rules(t: Table, year: YearRule) -> Rules:
    months = _Months(year)
    team_min = t.get("team_min", whole(0), _DEFAULTS.team_min)
    team_max = t.get("team_max", whole(0), _DEFAULTS.team_max)
    if team_min > team_max:
        raise t.bad("team_min", team_min, f"it must be at most {t.key('team_max')} = {team_max}")
    required = t.items(
        "required_months", months.month, _DEFAULTS.required_months, '["Sep", "Oct", "Nov"]'
    )
    return Rules(
        required_months=tuple(sorted(required, key=months.position.__getitem__)),
        counting_types=_counting_types(t),
        due_soon_days=t.get("due_soon_days", whole(0, 31), _DEFAULTS.due_soon_days),
        principal_meeting_by=t.get(
            "principal_meeting_by", _month_day(months), _DEFAULTS.principal_meeting_by
        ),
        quarters=_quarters(t, months),
        team_min=team_min,
        team_max=team_max,
        min_teachers=t.get("min_teachers", whole(0), _DEFAULTS.min_teachers),
        min_families=t.get("min_families", whole(0), _DEFAULTS.min_families),
        min_students_high_school=t.get(
            "min_students_high_school", whole(0), _DEFAULTS.min_students_high_school
        ),
        goal_mix=_goal_mix(t),
        evaluation_grace_days=t.get(
            "evaluation_grace_days", whole(0, 366), _DEFAULTS.evaluation_grace_days
        ),
        day_first=t.get(
            "date_order", choice({"month-first": False, "day-first": True}), _DEFAULTS.day_first
        ),
    )


def _counting_types(t: Table) -> frozenset[str]:
    def contact_type(value: object) -> str:
        found = _CONTACT_TYPES.get(name_key(value)) if isinstance(value, str) else None
        if found is None:
            raise not_one_of(value, CONTACT_TYPES)
        return found

    if "counting_types" not in t.data:
        return _DEFAULTS.counting_types
    found = t.items("counting_types", contact_type, (), '["Site Visit", "Phone"]')
    if not found:
        raise t.bad(
            "counting_types", [], "list at least one contact type; with none, no contact counts"
        )
    return frozenset(found)


def _month_day(months: _Months) -> Parse[tuple[int, int]]:
    hint = 'use "MM-DD", e.g. "09-30"'

    def parse(value: object) -> tuple[int, int]:
        match = MONTH_DAY.fullmatch(value.strip()) if isinstance(value, str) else None
        if match is None or not 1 <= int(match[1]) <= 12:
            raise Invalid(hint)
        month, day = int(match[1]), int(match[2])
        months.month(MONTH_NAMES[month - 1])  # inside the school year
        year = months.calendar_year[month]
        try:
            when = date(year, month, day)
        except ValueError:
            raise Invalid(f"{MONTH_NAMES[month - 1]} {year} has no day {day}; {hint}") from None
        if not months.year.start <= when <= months.year.end:
            raise Invalid(f"{when.isoformat()} is outside the school year, {months.span}")
        return month, day

    return parse


def _quarters(t: Table, months: _Months) -> tuple[tuple[int, int], ...]:
    hint = 'use the first and last month, e.g. "Aug-Oct"'

    def quarter(value: object) -> tuple[int, int]:
        match = _QUARTER.fullmatch(value.strip()) if isinstance(value, str) else None
        if match is None:
            raise Invalid(hint)
        first, last = months.month(match[1], hint), months.month(match[2], hint)
        if months.position[first] > months.position[last]:
            raise Invalid("its first month comes after its last in the school year")
        return first, last

    found = t.items("quarters", quarter, _DEFAULTS.quarters, '["Aug-Oct", "Nov-Jan"]')
    written = t.data.get("quarters")
    for n in range(1, len(found)):
        if months.position[found[n][0]] <= months.position[found[n - 1][1]]:
            entry = written[n] if isinstance(written, list) else found[n]
            raise t.bad_entry(
                "quarters", entry, "it overlaps or comes before the quarter listed before it"
            )
    return found


def _goal_mix(t: Table) -> Mapping[str, int]:
    if "goal_mix" not in t.data:
        return _DEFAULTS.goal_mix
    value = t.data["goal_mix"]
    if not isinstance(value, dict):
        raise t.bad(
            "goal_mix", value, 'use a table such as { "Academic" = 2, "Behavior" = 1, ... }'
        )
    mix = Table(t.file, t.key("goal_mix"), value)
    counts: dict[str, int] = {}
    for key in value:
        goal = _GOAL_TYPES.get(name_key(key))
        if goal is None:
            guess = nearest(key, GOAL_TYPES)
            raise mix.unknown(key, guess and mix.key(guess), one_of(GOAL_TYPES))
        if goal in counts:
            raise mix.bad(key, value[key], f"it repeats {mix.key(goal)}; give each goal type once")
        counts[goal] = mix.parse(key, whole(0))
    # A goal type left out keeps its default count: { Academic = 3 } changes Academic only.
    defaults = _DEFAULTS.goal_mix
    return MappingProxyType({goal: counts.get(goal, defaults[goal]) for goal in GOAL_TYPES})
