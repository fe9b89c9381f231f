"""A district's second school year: last year's rows are history, a fixed year that is over
says so once. Worked out from the rules, not from the output."""

from __future__ import annotations

from datetime import date

from sheets_sync.core.cycle import evaluate
from sheets_sync.core.grid import Grid
from sheets_sync.core.settings import SchoolYear, Settings, YearRule
from sheets_sync.core.values import parse_day, parse_period
from sheets_sync.demo import demo_district

THIS_YEAR = SchoolYear(date(2026, 8, 1), date(2027, 6, 30))
LAST_YEAR = SchoolYear(date(2025, 8, 1), date(2026, 6, 30))
YEAR_BEFORE = SchoolYear(date(2024, 8, 1), date(2025, 6, 30))
TODAY = date(2026, 12, 7)


def book_of(today: date, year: SchoolYear) -> dict[str, Grid | None]:
    tabs = demo_district(today, Settings(year=year))
    return {t.name: [[c.title for c in t.columns], *map(list, t.rows)] for t in tabs}


def test_earlier_years_rows_change_nothing() -> None:
    """This year's demo district on 2026-12-07, and the same with the whole of the two years
    before appended to its Contact Log and Action Plan (as a district keeps them): the same
    issues at the same cells, the same standing for every school."""
    this = book_of(TODAY, THIS_YEAR)
    three_years = {name: list(grid or []) for name, grid in this.items()}
    for today, year in ((date(2026, 6, 29), LAST_YEAR), (date(2025, 6, 27), YEAR_BEFORE)):
        earlier = book_of(today, year)
        for tab in ("Action Plan", "Contact Log"):
            # Only rows whose dates can be read: an unreadable date belongs to no year, and
            # stays an issue wherever it is.
            rows = [row for row in (earlier[tab] or [])[1:] if _dated(row, tab, earlier)]
            three_years[tab] += rows
    settings = Settings(year=THIS_YEAR)
    alone = evaluate(this, settings, TODAY)
    with_history = evaluate(dict(three_years), settings, TODAY)
    assert len(three_years["Contact Log"]) > 2 * len(this["Contact Log"] or [])
    assert with_history.issues == alone.issues
    assert with_history.standings == alone.standings
    assert with_history.contacts == alone.contacts


def _dated(row: list[object], tab: str, book: dict[str, Grid | None]) -> bool:
    """Whether the row's date can be read (the demo's old log has one "Sept 31, 2025")."""
    value = row[(book[tab] or [[]])[0].index("Date")]
    return (parse_period(value) if tab == "Action Plan" else parse_day(value)) is not None  # type: ignore[arg-type]


def test_a_fixed_year_past_its_end_is_one_issue() -> None:
    """The config fixes 2025-08-01..2026-06-30 and today is 2026-12-07."""
    settings = Settings(year=LAST_YEAR, fixed_year=True)
    issues = evaluate(book_of(date(2026, 6, 29), LAST_YEAR), settings, TODAY).issues
    over = [i for i in issues if i.code == "year.over"]
    assert len(over) == 1
    assert (over[0].severity, over[0].where) == ("error", "[school_year]")
    assert over[0].problem == (
        "The school year set in the config (2025-08-01 to 2026-06-30) ended on 2026-06-30; "
        "today is 2026-12-07. Standing is shown as of that year, and no email is sent."
    )
    assert over[0].fix == (
        'In the config, set [school_year] start = "08-01" and end = "06-30" so the year rolls '
        "on by itself, or set the dates of this year: start = 2026-08-01, end = 2027-06-30."
    )


def test_a_fixed_year_not_yet_begun_says_when_it_starts() -> None:
    settings = Settings(year=THIS_YEAR, fixed_year=True)
    issues = evaluate(book_of(date(2026, 6, 29), LAST_YEAR), settings, date(2026, 7, 20)).issues
    over = [i for i in issues if i.code == "year.over"]
    assert over[0].problem == (
        "The school year set in the config (2026-08-01 to 2027-06-30) has not begun (it starts "
        "2026-08-01); today is 2026-07-20. Standing is shown as of that year, and no email is "
        "sent."
    )
    assert over[0].fix == (
        'Wait for it to begin, or set [school_year] start = "08-01" and end = "06-30" in the '
        "config so the year rolls on by itself."
    )


def test_a_rolling_year_is_never_over() -> None:
    """The same district with month-days: on 2026-12-07 the year is 2026-27; no year.over."""
    year = YearRule().year_of(TODAY)
    assert year == THIS_YEAR
    issues = evaluate(book_of(TODAY, year), Settings(year=year), TODAY).issues
    assert "year.over" not in {i.code for i in issues}
