"""The demo district through `sheets-sync run`, on .xlsx and on Google Sheets (the stand-in),
gives the same Summary, Contact Calendar and Data Issues; a steady cycle costs 3 requests."""

from __future__ import annotations

import email
import email.message
import email.policy
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


def text_part(eml: Path) -> str:
    message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    body = message.get_body(("plain",))
    assert isinstance(body, email.message.EmailMessage)
    return str(body.get_content())


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
        "spreadsheets.batchUpdate",
    ]


def test_on_google_sheets_a_digests_data_errors_open_their_cells(tmp_path: Path) -> None:
    """With workbook_url set, each data-error line of a facilitator's digest carries a link
    to that tab's gid at that cell."""
    tabs = demo_district(TODAY, Settings(year=SchoolYear(date(2025, 8, 1), date(2026, 6, 30))))
    with bench(tmp_path) as b:
        sheet = b.api.create_spreadsheet("Riverbend", grids(tabs))
        config = gsheets_config(tmp_path, sheet, b.key, b.api.url)
        url = f"https://docs.google.com/spreadsheets/d/{sheet}"
        config.write_text(config.read_text() + f'\n[email]\nworkbook_url = "{url}"\n')
        assert run(config, TODAY) == 1
        ids = {
            title: b.api.sheet_properties(sheet, title)["sheetId"] for title in b.api.tabs(sheet)
        }
    texts = [text_part(p) for p in (tmp_path / "outbox").glob("*facilitator-digest*.eml")]
    linked = []
    for text in texts:
        lines = text.splitlines()
        for at, line in enumerate(lines):
            if line.startswith("      Open the cell: "):
                where = next(w for w in reversed(lines[:at]) if w.startswith("    ") and "!" in w)
                tab, cell = where.strip().split(":")[0].split("!")
                linked.append(line.split(": ", 1)[1] == f"{url}/edit#gid={ids[tab]}&range={cell}")
    assert linked
    assert all(linked)
