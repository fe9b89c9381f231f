"""A Form's Timestamps in a sheet that keeps another clock than the district's: a warning at
the Timestamp header (core/sheet_zone.py), worked by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sheets_sync.core.cycle import evaluate
from sheets_sync.core.sheet_zone import same_clock, zone_issue
from tests.core.grids import SETTINGS, TODAY, district_book, grid

FORM = [["Timestamp", "Email Address", "School(s)", "Type of contact"]]
NEW_YORK = "America/New_York"


def test_a_sheet_on_gmt_for_a_new_york_district_is_told_at_the_timestamp_header() -> None:
    issue = zone_issue(FORM, "Form Responses 1", "Etc/GMT", NEW_YORK, TODAY)
    assert issue is not None
    assert (issue.severity, issue.where, issue.code) == (
        "warning",
        "Form Responses 1!A1",
        "sheet.time-zone",
    )
    assert issue.fix == (
        "In the sheet choose File, Settings, Time zone: America/New_York (or set [program]"
        " timezone in the config to the sheet's)."
    )


def test_the_header_may_stand_in_any_column() -> None:
    header = [["Email Address", "School(s)", "timestamp "]]  # as loosely as any header
    issue = zone_issue(header, "Form Responses 1", "Europe/Paris", NEW_YORK, TODAY)
    assert issue is not None
    assert (issue.cell, issue.row, issue.column) == ("C1", 1, 3)


def test_nothing_is_said_when_it_cannot_matter() -> None:
    """The same clock by another name; a file (no zone); no Timestamp column; no tab."""
    assert zone_issue(FORM, "Log", "US/Eastern", NEW_YORK, TODAY) is None
    assert zone_issue(FORM, "Log", "", NEW_YORK, TODAY) is None
    assert zone_issue([["Date", "School"]], "Log", "Etc/GMT", NEW_YORK, TODAY) is None
    assert zone_issue(None, "Log", "Etc/GMT", NEW_YORK, TODAY) is None


def test_same_clock_compares_the_whole_year() -> None:
    """London and Lisbon keep one clock; London and Etc/GMT agree in winter only (summer
    time), so they differ; an unknown name equals only itself."""
    assert same_clock("Europe/London", "Europe/Lisbon", 2025)
    assert not same_clock("Europe/London", "Etc/GMT", 2025)
    assert same_clock("Mars/Olympus", "Mars/Olympus", 2025)
    assert not same_clock("Mars/Olympus", NEW_YORK, 2025)


def test_a_run_on_a_sheet_in_another_zone_lists_the_warning() -> None:
    """Through evaluate: the district's zone comes from the settings, the sheet's from the
    workbook; the contacts tab is a Form's."""
    book = dict(district_book())
    book["Contact Log"] = grid(FORM[0], [])
    settings = replace(SETTINGS, timezone=NEW_YORK)
    found = evaluate(book, settings, date(2025, 11, 20), (), "Etc/GMT")
    assert [i.where for i in found.issues if i.code == "sheet.time-zone"] == ["Contact Log!A1"]
    assert [i.code for i in evaluate(book, settings, TODAY).issues] == []
