"""The `[schedule]` section: when `serve` syncs and when each email goes out.

Times are local to `program.timezone`. The parsed forms, `Weekly` and `Monthly` (defined in
`sheets_sync.core.email_schedule`, which decides when each is due), are what the scheduler
works from; `str()` gives them back in the config's own words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time

from sheets_sync.core.email_schedule import NTH_WORDS, WEEKDAYS, Monthly, Weekly
from sheets_sync.shell.config_fields import Invalid, Table, whole

__all__ = ["WEEKDAYS", "Monthly", "ScheduleConfig", "Weekly", "monthly", "read_schedule", "weekly"]

_WEEKDAYS = {name: n for n, name in enumerate(WEEKDAYS)} | {
    name[:3]: n for n, name in enumerate(WEEKDAYS)
}
_NTH = {word: n for n, word in NTH_WORDS.items()}
_CLOCK = re.compile(r"([0-9]{1,2}):([0-9]{2})")
_MONDAY_0700 = Weekly(0, time(7, 0))
_FIRST_MONDAY_0730 = Monthly(1, 0, time(7, 30))


@dataclass(frozen=True)
class ScheduleConfig:
    sync_every_minutes: int = 15
    facilitator_digest: Weekly = _MONDAY_0700
    principal_summary: Monthly = _FIRST_MONDAY_0730
    district_summary: Weekly = _MONDAY_0700


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
