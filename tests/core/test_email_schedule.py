"""When an email is due: periods, scheduled moments and ledger keys, worked by hand.

Calendar facts used below: 2026-11-16 and 2026-11-23 are Mondays; 2026-11-01 is a Sunday;
2026-06-01 is a Monday; 2026-12-28 is a Monday and ISO 2026 has 53 weeks (it began on a
Thursday); in America/New_York clocks go 02:00 EST → 03:00 EDT on 2026-03-08 and
02:00 EDT → 01:00 EST on 2026-11-01.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from sheets_sync.core.email_schedule import (
    Monthly,
    Period,
    Weekly,
    local_moment,
    nth_weekday,
    period_due,
    scheduled_moment,
)
from sheets_sync.core.letters import letter_key

NY = ZoneInfo("America/New_York")
MONDAY_0700 = Weekly(0, time(7, 0))
FIRST_MONDAY_0730 = Monthly(1, 0, time(7, 30))


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0, *, fold: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=NY, fold=fold)


def due_id(rule: Weekly | Monthly, now: datetime) -> str | None:
    period = period_due(rule, now)
    return None if period is None else period.id


def test_rules_read_back_in_the_configs_words() -> None:
    """`str()` of a rule is the config string it came from."""
    assert str(MONDAY_0700) == "monday 07:00"
    assert str(Monthly(-1, 4, time(16, 5))) == "last friday 16:05"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Weekly(7, time(7)), "weekday must be 0 (Monday) to 6 (Sunday), not 7"),
        (lambda: Monthly(5, 0, time(7)), "nth must be 1, 2, 3, 4 or -1 (the last), not 5"),
        (lambda: Monthly(0, 0, time(7)), "nth must be 1, 2, 3, 4 or -1 (the last), not 0"),
    ],
)
def test_a_rule_out_of_range_is_refused(make: Callable[[], object], message: str) -> None:
    """A weekday or nth the calendar cannot have is a programming error, named."""
    with pytest.raises(ValueError, match=re.escape(message)):
        make()


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(2026, 11, 16, 6, 59), None),  # Monday, a minute early
        (at(2026, 11, 16, 7, 0), "2026-W47"),  # Monday, on the minute
        (at(2026, 11, 18, 10, 0), "2026-W47"),  # installed on Wednesday: still this week's
        (at(2026, 11, 22, 23, 59), "2026-W47"),  # Sunday night: the same week, still due
        (at(2026, 11, 23, 0, 0), None),  # next Monday 00:00: W47 is over, W48 not yet due
        (at(2026, 11, 23, 6, 59), None),
        (at(2026, 11, 23, 7, 0), "2026-W48"),
    ],
)
def test_a_weekly_digest_is_due_from_its_moment_to_the_end_of_the_week(
    now: datetime, expected: str | None
) -> None:
    """Monday 07:00: due from that minute until Sunday night, never before, never late."""
    assert due_id(MONDAY_0700, now) == expected


def test_a_due_week_starts_at_its_local_monday_midnight() -> None:
    """The period of a Wednesday is the ISO week that began on Monday at local midnight."""
    assert period_due(MONDAY_0700, at(2026, 11, 18, 10)) == Period("2026-W47", at(2026, 11, 16))


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(2026, 11, 21, 23, 0), None),  # Saturday: Sunday 22:00 not reached
        (at(2026, 11, 22, 21, 59), None),
        (at(2026, 11, 22, 22, 0), "2026-W47"),
        (at(2026, 11, 22, 23, 59), "2026-W47"),
        (at(2026, 11, 23, 0, 30), None),  # Monday: a new week whose Sunday is days away
    ],
)
def test_a_sunday_night_rule_is_due_for_the_last_two_hours_of_the_week(
    now: datetime, expected: str | None
) -> None:
    """`sunday 22:00` belongs to the ISO week it ends; Monday starts the next one."""
    assert due_id(Weekly(6, time(22, 0)), now) == expected


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(2026, 12, 28, 6, 0), None),
        (at(2026, 12, 28, 7, 0), "2026-W53"),  # Monday 2026-12-28
        (at(2026, 12, 31, 12, 0), "2026-W53"),
        (at(2027, 1, 1, 9, 0), "2026-W53"),  # the new calendar year, the old ISO year
        (at(2027, 1, 3, 23, 59), "2026-W53"),
        (at(2027, 1, 4, 7, 0), "2027-W01"),
    ],
)
def test_the_iso_week_across_new_year_keeps_its_iso_year(
    now: datetime, expected: str | None
) -> None:
    """2026-12-28..2027-01-03 is one week, 2026-W53, whichever calendar year a day is in."""
    assert due_id(MONDAY_0700, now) == expected


def test_week_numbers_are_zero_padded() -> None:
    """Early weeks are `W01`..`W09`, so keys sort and read alike."""
    assert due_id(MONDAY_0700, at(2026, 3, 2, 8)) == "2026-W10"
    assert due_id(MONDAY_0700, at(2026, 2, 23, 8)) == "2026-W09"


@pytest.mark.parametrize(
    ("year", "month", "nth", "weekday", "expected"),
    [
        (2026, 6, 1, 0, date(2026, 6, 1)),  # the month starts on a Monday
        (2026, 9, 1, 0, date(2026, 9, 7)),  # starts on a Tuesday: the 7th
        (2026, 11, 1, 0, date(2026, 11, 2)),  # starts on a Sunday: the 2nd
        (2026, 11, 4, 0, date(2026, 11, 23)),
        (2026, 11, -1, 0, date(2026, 11, 30)),  # last Monday is the last day
        (2026, 11, -1, 4, date(2026, 11, 27)),  # last Friday
        (2026, 2, -1, 5, date(2026, 2, 28)),  # last Saturday of a 28-day February
        (2026, 1, -1, 4, date(2026, 1, 30)),
    ],
)
def test_nth_weekday_of_a_month(
    year: int, month: int, nth: int, weekday: int, expected: date
) -> None:
    """First, fourth and last weekdays, at both ends of a month."""
    assert nth_weekday(year, month, nth, weekday) == expected


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(2026, 6, 1, 7, 29), None),  # first Monday on the 1st, a minute early
        (at(2026, 6, 1, 7, 30), "2026-06"),
        (at(2026, 6, 30, 23, 59), "2026-06"),  # down all month: still sent on the 30th
        (at(2026, 9, 1, 9, 0), None),  # September's first Monday is the 7th
        (at(2026, 9, 6, 23, 59), None),
        (at(2026, 9, 7, 7, 30), "2026-09"),
        (at(2026, 10, 1, 7, 30), None),  # a new month: September is over, not sent late
    ],
)
def test_a_monthly_summary_is_due_from_its_moment_to_the_end_of_the_month(
    now: datetime, expected: str | None
) -> None:
    """`first monday 07:30`: due from that Monday, on the 1st or the 7th, to the month's end."""
    assert due_id(FIRST_MONDAY_0730, now) == expected


def test_a_due_month_starts_at_its_local_first_midnight() -> None:
    """The period of a day in June is `2026-06`, from June 1st 00:00 local."""
    assert period_due(FIRST_MONDAY_0730, at(2026, 6, 15)) == Period("2026-06", at(2026, 6, 1))


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(2026, 11, 27, 15, 59), None),
        (at(2026, 11, 27, 16, 0), "2026-11"),  # last Friday of November
        (at(2026, 11, 30, 8, 0), "2026-11"),
        (at(2026, 12, 1, 8, 0), None),  # December's last Friday is the 25th
    ],
)
def test_a_last_friday_rule(now: datetime, expected: str | None) -> None:
    """`last friday 16:00` is due only in the month's final days."""
    assert due_id(Monthly(-1, 4, time(16, 0)), now) == expected


def test_the_spring_forward_gap_moves_a_skipped_time_to_the_first_instant_after() -> None:
    """On 2026-03-08 02:30 never shows in New York: the moment is 03:00 EDT (07:00 UTC)."""
    moment = local_moment(date(2026, 3, 8), time(2, 30), NY)
    assert moment.astimezone(UTC) == datetime(2026, 3, 8, 7, 0, tzinfo=UTC)
    assert (moment.hour, moment.minute, moment.utcoffset()) == (3, 0, timedelta(hours=-4))


def test_the_spring_forward_day_keeps_a_time_before_the_gap() -> None:
    """01:30 on 2026-03-08 is still EST: 06:30 UTC."""
    moment = local_moment(date(2026, 3, 8), time(1, 30), NY)
    assert moment.astimezone(UTC) == datetime(2026, 3, 8, 6, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("now_utc", "expected"),
    [
        (datetime(2026, 3, 8, 6, 59, tzinfo=UTC), None),  # 01:59 EST
        (datetime(2026, 3, 8, 7, 0, tzinfo=UTC), "2026-W10"),  # 03:00 EDT
    ],
)
def test_a_sunday_0230_rule_on_spring_forward_day(now_utc: datetime, expected: str | None) -> None:
    """`sunday 02:30` on 2026-03-08 is due the instant the clocks jump to 03:00."""
    assert due_id(Weekly(6, time(2, 30)), now_utc.astimezone(NY)) == expected


def test_the_fall_back_repeat_takes_the_first_showing() -> None:
    """01:30 shows twice on 2026-11-01: the first is EDT, 05:30 UTC."""
    moment = local_moment(date(2026, 11, 1), time(1, 30), NY)
    assert moment.astimezone(UTC) == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(2026, 11, 1, 1, 29), None),  # 05:29 UTC, first pass
        (at(2026, 11, 1, 1, 30), "2026-W44"),  # 05:30 UTC, first 01:30
        (at(2026, 11, 1, 1, 0, fold=1), "2026-W44"),  # 06:00 UTC: wall clock back at 01:00
        (at(2026, 11, 1, 1, 45, fold=1), "2026-W44"),
    ],
)
def test_a_sunday_0130_rule_on_fall_back_day(now: datetime, expected: str | None) -> None:
    """`sunday 01:30` is due at the first 01:30 and stays due through the repeated hour."""
    assert due_id(Weekly(6, time(1, 30)), now) == expected


def test_the_fall_back_day_keeps_a_time_after_the_repeat() -> None:
    """02:30 on 2026-11-01 shows once, in EST: 07:30 UTC."""
    moment = local_moment(date(2026, 11, 1), time(2, 30), NY)
    assert moment.astimezone(UTC) == datetime(2026, 11, 1, 7, 30, tzinfo=UTC)


def test_a_daylight_saving_day_is_compared_in_utc_not_wall_clock() -> None:
    """At 01:15 EST (the second 01:15), a 01:30 rule is already due though the clock reads less."""
    second_0115 = at(2026, 11, 1, 1, 15, fold=1)
    assert second_0115.astimezone(UTC) == datetime(2026, 11, 1, 6, 15, tzinfo=UTC)
    assert due_id(Weekly(6, time(1, 30)), second_0115) == "2026-W44"


def test_a_whole_skipped_day_moves_to_the_next_midnight() -> None:
    """Samoa skipped 2011-12-30: its 09:00 becomes the first instant after, 31st 00:00."""
    apia = ZoneInfo("Pacific/Apia")
    moment = local_moment(date(2011, 12, 30), time(9, 0), apia)
    assert moment == datetime(2011, 12, 31, 0, 0, tzinfo=apia)


def test_the_moment_is_in_the_zone_of_now() -> None:
    """The same instant in another zone is another local day, so another moment."""
    now = datetime(2026, 11, 16, 13, 0, tzinfo=UTC)  # 08:00 in New York
    assert scheduled_moment(MONDAY_0700, now) == datetime(2026, 11, 16, 7, 0, tzinfo=UTC)
    assert scheduled_moment(MONDAY_0700, now.astimezone(NY)) == at(2026, 11, 16, 7, 0)
    fixed = timezone(timedelta(hours=5, minutes=30))
    assert due_id(MONDAY_0700, datetime(2026, 11, 16, 6, 59, tzinfo=fixed)) is None


def test_a_naive_now_is_refused() -> None:
    """Without a zone `now` has no local time to compare with; the caller is told."""
    with pytest.raises(ValueError, match="now must carry the district's time zone"):
        period_due(MONDAY_0700, datetime(2026, 11, 16, 7, 0))


def test_ledger_keys_have_the_shape_of_product_section_5() -> None:
    """Kind, lower-cased address and period id, joined by ` / `."""
    week = Period("2026-W47", at(2026, 11, 16))
    month = Period("2026-11", at(2026, 11, 1))
    assert letter_key("facilitator-digest", "Ann@District.ORG", week.id) == (
        "facilitator-digest / ann@district.org / 2026-W47"
    )
    assert letter_key("principal-summary", " bo@school.org ", month.id) == (
        "principal-summary / bo@school.org / 2026-11"
    )
