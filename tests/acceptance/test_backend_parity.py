"""The demo district through `sheets-sync run`, on .xlsx and on Google Sheets (the stand-in),
gives the same Summary, Contact Calendar and Data Issues; a steady cycle costs 3 requests."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from sheets_sync.adapters.xlsx import XlsxWorkbook, create_workbook
from sheets_sync.core.settings import SchoolYear, Settings
from sheets_sync.core.values import to_serial
from sheets_sync.demo import demo_district
from sheets_sync.shell.cli import main
from tests.adapters.gsheets_fixtures import bench
from tests.shell.test_doctor import grids, gsheets_config

TODAY = date(2026, 2, 10)
OWNED = ("Summary", "Contact Calendar", "Data Issues")


def plain(rows: list[list[object]] | None) -> list[list[object]]:
    """Cells as a person reads them: whole numbers without `.0`, dates and times as the day
    numbers both backends store, no trailing blanks."""
    found = []
    for row in rows or []:
        cells = [_plain(v) for v in row]
        while cells and cells[-1] in ("", None):
            cells.pop()
        found.append(cells)
    while found and not found[-1]:
        found.pop()
    return found


def _plain(value: object) -> object:
    if isinstance(value, date):
        value = to_serial(value)
    return int(value) if isinstance(value, float) and value.is_integer() else value


def run(config: Path, day: date) -> int:
    return main(
        ["--config", str(config), "run", "--today", day.isoformat()],
        {},
        io.StringIO(),
        io.StringIO(),
    )


def test_xlsx_and_google_sheets_give_the_same_owned_tabs(tmp_path: Path) -> None:
    """Both backends hold the same owned tabs after one run of the same district."""
    tabs = demo_district(TODAY, Settings(year=SchoolYear(date(2025, 8, 1), date(2026, 6, 30))))
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "sheets-sync.toml").write_text(
        "[workbook]\n\n[school_year]\nstart = 2025-08-01\nend = 2026-06-30\n"
    )
    create_workbook(tmp_path / "x" / "district.xlsx", tabs)
    assert run(tmp_path / "x" / "sheets-sync.toml", TODAY) == 1  # the demo's deliberate errors
    from_xlsx = XlsxWorkbook(tmp_path / "x" / "district.xlsx").read(OWNED)

    with bench(tmp_path) as b:
        sheet = b.api.create_spreadsheet("Riverbend", grids(tabs))
        config = gsheets_config(tmp_path, sheet, b.key, b.api.url)
        assert run(config, TODAY) == 1
        from_sheets = {tab: b.api.values(sheet, tab) for tab in OWNED}
        b.api.reset_requests()
        assert run(config, TODAY) == 1
        steady = [r.operation for r in b.api.sheets_requests]

    for tab in OWNED:
        assert plain(from_sheets[tab]) == plain(from_xlsx[tab]), tab
    assert len(plain(from_xlsx["Summary"])) == 12  # the header and the 11 active schools
    assert steady == [
        "spreadsheets.get",
        "spreadsheets.values.batchGet",
        "spreadsheets.values.batchUpdate",
    ]
