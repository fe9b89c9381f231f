"""A read that contradicts the last good run is a fault of the read, worked out by hand."""

from __future__ import annotations

from sheets_sync.core.grid import Grid
from sheets_sync.core.read_check import contradiction, read_shape
from sheets_sync.core.settings import TabNames

TABS = TabNames()
SCHOOLS = ["School", "Code", "Level", "Principal", "Principal Email", "Facilitator", "Active"]
CONTACTS = ["Date", "School", "Facilitator", "Type", "With", "Notes"]
AT = "2025-11-20 08:00"


def book(**tabs: Grid | None) -> dict[str, Grid | None]:
    """The five input tabs with headers and a few rows; any tab given instead as keyword."""
    grids: dict[str, Grid | None] = {
        "Schools": [SCHOOLS, ["Adams"], ["Baker"]],
        "Facilitators": [["Facilitator", "Email"], ["Pat"]],
        "Team Roster": [["School", "Name", "Role"], ["Adams"]],
        "Action Plan": [["School", "Goal", "Activity", "Type", "Date"], ["Adams"]],
        "Contact Log": [CONTACTS, ["2025-11-03"], ["2025-11-04"], ["2025-11-05"]],
    }
    names = {"schools": "Schools", "contacts": "Contact Log", "roster": "Team Roster"}
    grids.update({names[key]: grid for key, grid in tabs.items()})
    return grids


LAST = read_shape(book(), TABS, 2, AT)


def test_the_shape_of_a_read() -> None:
    assert LAST.headers["Contact Log"] == tuple(CONTACTS)
    assert LAST.rows == {
        "Schools": 2,
        "Facilitators": 1,
        "Team Roster": 1,
        "Action Plan": 1,
        "Contact Log": 3,
    }
    assert (LAST.at, LAST.active_schools) == (AT, 2)


def test_a_first_run_and_an_ordinary_read_are_trusted() -> None:
    """No last good run: nothing to compare with. Rows come and go, a column or two is renamed
    (3 of Schools' 7 titles changed keeps 4, at least half): that is the district's data."""
    assert contradiction(None, read_shape(book(schools=[]), TABS, 0, AT), TABS) == ""
    renamed = ["School", "Code", "Grades", "Head", "Head Email", "Facilitator", "Active"]
    now = read_shape(book(schools=[renamed, ["Adams"]], contacts=[CONTACTS]), TABS, 1, AT)
    assert contradiction(LAST, now, TABS) == ""


def test_an_answer_without_values_contradicts_the_last_good_run() -> None:
    """Every tab read empty (Google's 200 with no values): each tab says what it had."""
    now = read_shape({name: [] for name in TABS.inputs}, TABS, 0, "2025-11-21 08:00")
    message = contradiction(LAST, now, TABS)
    assert message.startswith(
        "This read of the workbook contradicts the last good run (2025-11-20 08:00): "
        'the "Schools" tab is empty (it had School, Code, Level, Principal, Principal Email, '
        'Facilitator, … and 2 rows); the "Facilitators" tab is empty (it had Facilitator, '
        "Email and 1 row); "
    )
    assert message.count("tab is empty") == 5
    assert "; no active school, where it had 2. It was taken as a fault of the read" in message
    assert message.endswith(
        "nothing was written and no email sent, and the next cycle reads again. If the "
        "workbook really changed so, fix it or, to accept it as it is, run "
        "`sheets-sync run --trust-read` once (stop `serve` first)."
    )


def test_two_tabs_values_swapped() -> None:
    """Schools and Contact Log trade values: each shares 2 titles with what it had (School and
    Facilitator), under half of 7 and of 6."""
    now = read_shape(
        book(schools=[CONTACTS, ["2025-11-03"]], contacts=[SCHOOLS, ["Adams"]]), TABS, 0, AT
    )
    message = contradiction(LAST, now, TABS)
    assert 'row 1 of the "Schools" tab reads Date, School, Facilitator, Type, With, Notes' in (
        message
    )
    assert 'row 1 of the "Contact Log" tab reads School, Code, Level, Principal, Principal ' in (
        message
    )


def test_half_the_titles_kept_is_enough() -> None:
    """Contact Log keeps 3 of its 6 titles: still its header. With 2 of 6 it is not."""
    three = ["Date", "School", "Facilitator", "Kind", "Who", "Comments"]
    two = ["Day", "School", "Facilitator", "Kind", "Who", "Comments"]
    assert contradiction(LAST, read_shape(book(contacts=[three]), TABS, 2, AT), TABS) == ""
    assert 'row 1 of the "Contact Log" tab reads Day' in contradiction(
        LAST, read_shape(book(contacts=[two]), TABS, 2, AT), TABS
    )


def test_a_tab_that_is_gone() -> None:
    now = read_shape(book(roster=None), TABS, 2, AT)
    assert '"Team Roster" tab is not there (it had School, Name, Role and 1 row)' in (
        contradiction(LAST, now, TABS)
    )


def test_no_active_school_left() -> None:
    """Headers in place but no active school where there were two."""
    message = contradiction(LAST, read_shape(book(schools=[SCHOOLS]), TABS, 0, AT), TABS)
    assert (
        "contradicts the last good run (2025-11-20 08:00): no active school, where it had 2."
        in (message)
    )


def test_a_tab_the_last_run_did_not_read_is_not_compared() -> None:
    """The config now names another tab for the contacts: nothing to compare it with."""
    moved = TabNames(contacts="Form Responses 1")
    grids = book()
    grids["Form Responses 1"] = [["Timestamp", "Email Address", "School(s)"]]
    assert contradiction(LAST, read_shape(grids, moved, 2, AT), moved) == ""
