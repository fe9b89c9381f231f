"""When an email is due: the period a moment falls in, and whether its send time has passed.

A rule (`Weekly`, `Monthly`) names a local wall-clock time. A period (an ISO week, a
month) is due once its scheduled moment has passed, and stays due until the period ends:
a worker that was down at 07:00 sends on its next run, and a period that has ended is
never sent late. The ledger, not this module, decides whether it was already sent.

Pure: `now` is a parameter, timezone-aware in the district's zone.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
NTH_WORDS = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}


@dataclass(frozen=True)
class Weekly:
    """Once a week: `weekday` as `date.weekday()` counts it (Monday 0), at local time `at`."""

    weekday: int
    at: time

    def __post_init__(self) -> None:
        _check_weekday(self.weekday)

    def __str__(self) -> str:
        return f"{WEEKDAYS[self.weekday]} {self.at:%H:%M}"


@dataclass(frozen=True)
class Monthly:
    """Once a month: the `nth` (1-4, or -1 for the last) `weekday` of the month, at `at`."""

    nth: int
    weekday: int
    at: time

    def __post_init__(self) -> None:
        if self.nth not in NTH_WORDS:
            raise ValueError(f"nth must be 1, 2, 3, 4 or -1 (the last), not {self.nth}")
        _check_weekday(self.weekday)

    def __str__(self) -> str:
        return f"{NTH_WORDS[self.nth]} {WEEKDAYS[self.weekday]} {self.at:%H:%M}"


def _check_weekday(weekday: int) -> None:
    if not 0 <= weekday <= 6:
        raise ValueError(f"weekday must be 0 (Monday) to 6 (Sunday), not {weekday}")


@dataclass(frozen=True)
class Period:
    """One sending period: `2026-W47` (an ISO week) or `2026-11`; `starts` is its local midnight."""

    id: str
    starts: datetime


def period_due(rule: Weekly | Monthly, now: datetime) -> Period | None:
    """The period containing `now` if its scheduled moment has passed, else None."""
    zone = _zone_of(now)
    period = _period_of(rule, now.date(), zone)
    moment = scheduled_moment(rule, now)
    return period if now.astimezone(UTC) >= moment.astimezone(UTC) else None


def scheduled_moment(rule: Weekly | Monthly, now: datetime) -> datetime:
    """When the period containing `now` is (or was) due, in the zone of `now`."""
    zone = _zone_of(now)
    today = now.date()
    if isinstance(rule, Weekly):
        day = today + timedelta(days=rule.weekday - today.weekday())
    else:
        day = nth_weekday(today.year, today.month, rule.nth, rule.weekday)
    return local_moment(day, rule.at, zone)


def nth_weekday(year: int, month: int, nth: int, weekday: int) -> date:
    """The `nth` (1-4, or -1 for the last) `weekday` (Monday 0) of a month."""
    if nth == -1:
        last = date(year, month, calendar.monthrange(year, month)[1])
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))


def local_moment(day: date, at: time, zone: tzinfo) -> datetime:
    """The instant the wall clock in `zone` shows `at` on `day`, read as a person would.

    A time the clocks skip (02:30 when they spring forward) becomes the first instant after
    the gap (03:00); a time they show twice (01:30 when they fall back) is its first showing.
    """
    wall = datetime.combine(day, at, tzinfo=zone)  # fold=0: the first of an ambiguous pair
    if wall.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == wall.replace(tzinfo=None):
        return wall
    return _end_of_gap(wall, zone)


def _end_of_gap(wall: datetime, zone: tzinfo) -> datetime:
    # Inside a gap, fold=1 reads the wall time with the offset after the change (an instant
    # before it) and fold=0 with the offset before (an instant after it); the change lies
    # between. Offsets change on whole seconds, so a binary search over seconds finds it.
    before = int(wall.replace(fold=1).astimezone(UTC).timestamp())
    after = int(wall.replace(fold=0).astimezone(UTC).timestamp())
    offset_after = datetime.fromtimestamp(after, zone).utcoffset()
    while after - before > 1:
        middle = (before + after) // 2
        if datetime.fromtimestamp(middle, zone).utcoffset() == offset_after:
            after = middle
        else:
            before = middle
    return datetime.fromtimestamp(after, zone)


def _period_of(rule: Weekly | Monthly, day: date, zone: tzinfo) -> Period:
    if isinstance(rule, Weekly):
        iso = day.isocalendar()
        monday = day - timedelta(days=day.weekday())
        return Period(f"{iso.year}-W{iso.week:02d}", local_moment(monday, time(0), zone))
    first = day.replace(day=1)
    return Period(f"{day.year}-{day.month:02d}", local_moment(first, time(0), zone))


def _zone_of(now: datetime) -> tzinfo:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(f"now must carry the district's time zone: {now.isoformat()}")
    return now.tzinfo
