"""A renamed tab is named as the near match, on both backends, by `check` and `doctor`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sheets_sync.adapters.xlsx import create_workbook
from sheets_sync.core.cycle import evaluate
from sheets_sync.core.grid import Grid
from sheets_sync.core.issues import Issue
from sheets_sync.core.settings import Settings
from sheets_sync.core.table import InputColumn, InputTab
from tests.adapters.gsheets_fixtures import bench
from tests.core.grids import TODAY, district_book
from tests.proof.harness import in_process

RENAMED = {"Schools": "school list", "Contact Log": "Contact Log 2026-27"}
SCHOOLS_LINE = (
    'Schools: error: The workbook has no "Schools" tab; the tab "school list" looks like it. '
    "[tab.missing]"
)
SCHOOLS_FIX = (
    '    fix: Rename that tab to "Schools", or set [tabs] schools = "school list" in the config.'
)


def renamed_book() -> dict[str, list[list[object]]]:
    book = district_book()
    return {RENAMED.get(name, name): [list(r) for r in grid or []] for name, grid in book.items()}


def missing_tabs(book: dict[str, Grid | None], names: list[str]) -> list[Issue]:
    return [i for i in evaluate(book, Settings(), TODAY, names).issues if i.code == "tab.missing"]


def test_the_core_names_the_near_match_and_the_config_key() -> None:
    book = dict(district_book())
    book["Contact Log"] = None
    names = ["Schools", "Facilitators", "Team Roster", "Action Plan", "Contact Log 2026-27"]
    (issue,) = missing_tabs(book, names)
    assert issue.problem == (
        'The workbook has no "Contact Log" tab; the tab "Contact Log 2026-27" looks like it.'
    )
    assert issue.fix == (
        'Rename that tab to "Contact Log", or set [tabs] contacts = "Contact Log 2026-27" in '
        "the config."
    )


def test_a_tab_the_worker_writes_is_never_offered() -> None:
    """A missing Contact Log is not taken to be the Contact Calendar, nor a year's record."""
    book = dict(district_book())
    book["Contact Log"] = None
    names = ["Schools", "Facilitators", "Team Roster", "Action Plan", "Contact Calendar"]
    (issue,) = missing_tabs(book, names)
    assert issue.problem == 'The workbook has no "Contact Log" tab.'


def check_lines(config: Path) -> list[str]:
    _, out, _ = in_process(config, "check", "--today", date(2025, 11, 20).isoformat())
    return out.splitlines()


def test_check_names_the_near_match_on_an_xlsx_workbook(tmp_path: Path) -> None:
    tabs = [
        InputTab(name, tuple(InputColumn(str(t)) for t in grid[0]), tuple(map(tuple, grid[1:])))
        for name, grid in renamed_book().items()
    ]
    create_workbook(tmp_path / "district.xlsx", tabs)
    config = tmp_path / "sheets-sync.toml"
    config.write_text('[workbook]\npath = "district.xlsx"\n')
    lines = check_lines(config)
    assert lines[:2] == [SCHOOLS_LINE, SCHOOLS_FIX]


def test_check_names_the_near_match_on_google_sheets(tmp_path: Path) -> None:
    with bench(tmp_path) as b:
        sheet = b.api.create_spreadsheet("Northfield", renamed_book())
        config = tmp_path / "sheets-sync.toml"
        config.write_text(
            f'[workbook]\nbackend = "gsheets"\nspreadsheet_id = "{sheet}"\n'
            f'credentials = "{b.key}"\nendpoint = "{b.api.url}"\n'
        )
        lines = check_lines(config)
    assert lines[:2] == [SCHOOLS_LINE, SCHOOLS_FIX]
