"""The generated districts: the demo's story and the benchmark's synthetic district."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date

import pytest

from sheets_sync.core.blank_tabs import input_tabs
from sheets_sync.core.cycle import Evaluation, evaluate
from sheets_sync.core.grid import Grid, RawValue
from sheets_sync.core.settings import Rules, SchoolYear, Settings, TabNames
from sheets_sync.core.table import InputTab
from sheets_sync.demo import demo_district, synthetic_district
from sheets_sync.demo.district import DEMO_DOMAIN

SETTINGS = Settings(year=SchoolYear(date(2025, 8, 1), date(2026, 6, 30)))
TODAY = date(2026, 2, 10)
DATES_IN_YEAR = (date(2025, 10, 20), date(2026, 2, 10), date(2026, 5, 25))


def as_book(tabs: Sequence[InputTab]) -> dict[str, Grid | None]:
    """Input tabs as the grids a backend hands the core: header row, then the rows."""
    book: dict[str, Grid | None] = {}
    for tab in tabs:
        header: list[RawValue] = [c.title for c in tab.columns]
        book[tab.name] = [header, *([_raw(v) for v in row] for row in tab.rows)]
    return book


def _raw(value: object) -> RawValue:
    assert value is None or isinstance(value, str | int | float | date), value
    return value


def evaluate_demo(today: date, settings: Settings = SETTINGS) -> Evaluation:
    return evaluate(as_book(demo_district(today, settings)), settings, today)


def column(tab: InputTab, title: str) -> list[object]:
    at = [c.title for c in tab.columns].index(title)
    return [row[at] for row in tab.rows]


def test_demo_is_the_same_for_the_same_seed_and_date() -> None:
    """Two builds with one seed and one date are identical; another seed or date changes them."""
    first = demo_district(TODAY, SETTINGS)
    assert first == demo_district(TODAY, SETTINGS)
    assert first != demo_district(TODAY, SETTINGS, seed=7)
    assert first != demo_district(date(2026, 2, 11), SETTINGS)


def test_synthetic_is_the_same_for_the_same_seed_and_date() -> None:
    """The synthetic district is reproducible too, and depends on its seed."""
    assert synthetic_district(20, TODAY, SETTINGS) == synthetic_district(20, TODAY, SETTINGS)
    assert synthetic_district(20, TODAY, SETTINGS) != synthetic_district(20, TODAY, SETTINGS, 2)


@pytest.mark.parametrize(
    "settings",
    [SETTINGS, Settings(framework="pta", tabs=TabNames(roster="Team", contacts="Contacts"))],
)
def test_every_tab_has_exactly_the_columns_init_creates(settings: Settings) -> None:
    """Each generated tab is named and laid out as `input_tabs` says, every row as wide."""
    expected = [(t.name, t.columns) for t in input_tabs(settings)]
    for tabs in (demo_district(TODAY, settings), synthetic_district(30, TODAY, settings)):
        assert [(t.name, t.columns) for t in tabs] == expected
        for tab in tabs:
            assert tab.rows
            assert {len(row) for row in tab.rows} == {len(tab.columns)}, tab.name


def test_demo_has_twelve_schools_three_facilitators_and_one_inactive() -> None:
    """About twelve schools, with text codes, split among three facilitators; one is inactive."""
    schools, facilitators = demo_district(TODAY, SETTINGS)[:2]
    assert 10 <= len(schools.rows) <= 14
    assert column(schools, "Active").count("No") == 1
    codes = column(schools, "Code")
    assert all(isinstance(c, str) and len(c) == 4 and c.isdigit() for c in codes)
    assert any(str(c).startswith("0") for c in codes)
    names = column(facilitators, "Facilitator")
    assert 2 <= len(names) <= 3
    assigned = Counter(column(schools, "Facilitator"))
    assert set(assigned) == set(names)
    assert min(assigned.values()) >= 3
    assert set(column(schools, "Level")) == {"ES", "MS", "HS", "K-8"}


def test_staff_addresses_are_at_the_demo_domain_and_families_at_reserved_ones() -> None:
    """No generated address can reach a real person: staff at the demo domain, others example.*."""
    tabs = {t.name: t for t in demo_district(TODAY, SETTINGS)}
    emails = [
        *column(tabs["Schools"], "Principal Email"),
        *column(tabs["Facilitators"], "Email"),
        *column(tabs["Team Roster"], "Email"),
    ]
    domains = {str(e).rpartition("@")[2] for e in emails if e and "@" in str(e)}
    assert domains <= {DEMO_DOMAIN, "example.com", "example.net", "example.org"}


def test_synthetic_district_has_about_seventy_rows_per_school() -> None:
    """200 schools come to 200 * 70 input rows, give or take 15%, with one Schools row each."""
    tabs = synthetic_district(200, TODAY, SETTINGS)
    assert len(tabs[0].rows) == 200
    assert len(set(column(tabs[0], "School"))) == 200
    total = sum(len(t.rows) for t in tabs)
    assert 200 * 70 * 0.85 <= total <= 200 * 70 * 1.15


@pytest.mark.parametrize("today", DATES_IN_YEAR)
def test_demo_shows_every_status(today: date) -> None:
    """Across the school year the demo has Overdue, Needs attention and On track schools."""
    evaluation = evaluate_demo(today)
    statuses = Counter(s.status for s in evaluation.standings)
    assert len(evaluation.standings) == 11
    assert statuses["Overdue"] >= 1
    assert statuses["Needs attention"] >= 2
    assert statuses["On track"] >= 2


@pytest.mark.parametrize("today", DATES_IN_YEAR)
def test_demo_shows_several_kinds_of_issue(today: date) -> None:
    """The planted problems come out as at least five kinds of issue, the named ones among them."""
    codes = {i.code for i in evaluate_demo(today).issues}
    assert len(codes) >= 5
    assert {
        "school.unknown",
        "cell.bad-date",
        "roster.no-chair",
        "roster.too-small",
        "cell.bad-email",
        "contact.future-date",
        "cell.bad-choice",
    } <= codes


def test_demo_suggests_the_school_a_misspelled_name_meant() -> None:
    """The misspelled school in the Contact Log gets a "did you mean" naming the real school."""
    unknown = [i for i in evaluate_demo(TODAY).issues if i.code == "school.unknown"]
    assert any('Did you mean "Lincoln Elementary"?' in i.fix for i in unknown)


def test_demo_before_any_required_month_ended_has_no_overdue_school() -> None:
    """In August nothing can be Overdue yet: the quiet school is simply not contacted this month."""
    evaluation = evaluate_demo(date(2025, 8, 20))
    assert "Overdue" not in {s.status for s in evaluation.standings}
    assert {"On track", "Needs attention"} <= {s.status for s in evaluation.standings}


def test_demo_reads_day_first_dates_when_the_config_says_so() -> None:
    """Numeric text dates follow the configured order, so none of them becomes an issue."""
    settings = Settings(year=SETTINGS.year, rules=Rules(day_first=True))
    day_first = evaluate_demo(TODAY, settings)
    month_first = evaluate_demo(TODAY)
    assert Counter(i.code for i in day_first.issues) == Counter(i.code for i in month_first.issues)
