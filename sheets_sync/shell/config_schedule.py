"""The `[schedule]` section: when `serve` syncs and when each email goes out.

Times are local to `program.timezone`. The parsed forms, `Weekly` and `Monthly`, are what
the scheduler works from; `str()` gives them back in the config's own words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time

from sheets_sync.shell.config_fields import Invalid, Table, whole

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAYS = {name: n for n, name in enumerate(WEEKDAYS)} | {
    name[:3]: n for n, name in enumerate(WEEKDAYS)
}
_NTH = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": -1}
_NTH_NAMES = {n: word for word, n in _NTH.items()}
_CLOCK = re.compile(r"([0-9]{1,2}):([0-9]{2})")


@dataclass(frozen=True)
class Weekly:
    """Once a week: `weekday` as `date.weekday()` counts it (Monday 0), at local time `at`."""

    weekday: int
    at: time

    def __str__(self) -> str:
        return f"{WEEKDAYS[self.weekday]} {self.at:%H:%M}"


@dataclass(frozen=True)
class Monthly:
    """Once a month: the `nth` (1-4, or -1 for the last) `weekday` of the month, at `at`."""

    nth: int
    weekday: int
    at: time

    def __str__(self) -> str:
        return f"{_NTH_NAMES[self.nth]} {WEEKDAYS[self.weekday]} {self.at:%H:%M}"


@dataclass(frozen=True)
class ScheduleConfig:
    sync_every_minutes: int = 15
    facilitator_digest: Weekly = Weekly(0, time(7, 0))
    principal_summary: Monthly = Monthly(1, 0, time(7, 30))
    district_summary: Weekly = Weekly(0, time(7, 0))


def read_schedule(t: Table) -> ScheduleConfig:
    d = ScheduleConfig()
    return ScheduleConfig(
        sync_every_minutes=t.get("sync_every_minutes", whole(1, 1440), d.sync_every_minutes),
        facilitator_digest=t.get("facilitator_digest", weekly, d.facilitator_digest),
        principal_summary=t.get("principal_summary", monthly, d.principal_summary),
        district_summary=t.get("district_summary", weekly, d.district_summary),
    )


def weekly(value: object) -> Weekly:
    """`"monday 07:00"`: a weekday (or its first three letters) and a 24-hour time."""
    words = value.casefold().split() if isinstance(value, str) else []
    if len(words) == 2 and words[0] in _WEEKDAYS and (at := _clock(words[1])):
        return Weekly(_WEEKDAYS[words[0]], at)
    raise Invalid('use a weekday and a 24-hour time, e.g. "monday 07:00"')


def monthly(value: object) -> Monthly:
    """`"first monday 07:30"`: first, second, third, fourth or last; a weekday; a time."""
    words = value.casefold().split() if isinstance(value, str) else []
    if len(words) == 3 and words[0] in _NTH and words[1] in _WEEKDAYS and (at := _clock(words[2])):
        return Monthly(_NTH[words[0]], _WEEKDAYS[words[1]], at)
    raise Invalid(
        "use first, second, third, fourth or last, a weekday and a 24-hour time,"
        ' e.g. "first monday 07:30"'
    )


def _clock(word: str) -> time | None:
    match = _CLOCK.fullmatch(word)
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        return None
    return time(int(match[1]), int(match[2]))
