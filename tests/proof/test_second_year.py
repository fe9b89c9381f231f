"""A district's year ends and the next begins, through `sheets-sync run` on both backends:
the year's record is written once and never again, the summer sends nothing, and the new
year starts clean with last year's rows kept as history."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path
from xml.etree import ElementTree

import pytest
from python_calamine import CalamineWorkbook

from sheets_sync.adapters.xlsx import create_workbook
from sheets_sync.core.settings import SchoolYear, Settings
from sheets_sync.demo import demo_district
from tests.adapters.gsheets_fixtures import bench
from tests.adapters.smtp_fixtures import closed_port
from tests.proof.harness import demo_folder, gsheets_config, in_process, smtp_config

LAST_YEAR = Settings(year=SchoolYear(date(2025, 8, 1), date(2026, 6, 30)))
ROLLING = ("start = 2025-08-01\nend = 2026-06-30", 'start = "08-01"\nend = "06-30"')
RUNS = ("2026-06-29T08:00", "2026-07-15T08:00", "2026-07-20T08:00", "2026-10-01T08:00")
DIRECTOR = 'district_recipients = ["Dee Rector <director@riverbend.k12.org>"]\n'


def for_the_years(config: Path) -> None:
    """The year by month-days, and a district recipient for the year's totals."""
    text = config.read_text().replace(*ROLLING)
    config.write_text(text.replace("[email]\n", "[email]\n" + DIRECTOR, 1))


def grids() -> dict[str, list[list[object]]]:
    """The demo district's workbook as it stands at the end of 2025-26."""
    tabs = demo_district(date(2026, 6, 29), LAST_YEAR)
    return {t.name: [[c.title for c in t.columns], *map(list, t.rows)] for t in tabs}


def check(said: list[list[str]], year_tabs: list[list[list[object]] | None], outbox: Path) -> None:
    """The last school day: no record yet. 15 July: written, and only the year's totals
    mailed, to the district. 20 July and 1 October: not written again, the tab as it was,
    the totals not mailed again."""
    wrote = [next(line for line in lines if line.startswith("Wrote ")) for lines in said]
    assert [", Year 2025-26 " in line for line in wrote] == [False, True, False, False]
    assert year_tabs[0] is None
    record = year_tabs[1]
    assert record is not None
    assert year_tabs[2] == record
    assert year_tabs[3] == record
    assert record[0][:4] == ["School", "Code", "Facilitator", "Months Contacted"]
    assert len(record) == 1 + 11 + 1  # the header, 11 active schools, the district's line
    assert str(record[-1][0]) == "District total (11 schools)"
    summer = [line for line in said[1] if line.startswith("  none due: summer")]
    assert summer != []
    assert "Email: 1 sent, 0 failed, 0 already sent this period." in said[1]
    assert "Email: 0 sent, 0 failed, 0 already sent this period." in said[2]
    years = sorted(p.name for p in outbox.glob("*year-summary*.eml"))
    assert years == ["2026-07-15 year-summary director@riverbend.k12.org.eml"]
    text = (outbox / years[0]).read_text()
    assert "The 2025-26 school year has ended." in text
    assert f"Months Required: {sum(int(float(str(r[4]))) for r in record[1:-1])}" in text


def sheet_part(workbook: Path, tab: str) -> bytes | None:
    """The bytes of a tab's worksheet part, found through the workbook's relationships."""
    with zipfile.ZipFile(workbook) as package:
        book = ElementTree.fromstring(package.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(package.read("xl/_rels/workbook.xml.rels"))
        relation = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
        ids = [
            s.get(relation) for s in book.iter() if s.tag.endswith("sheet") and s.get("name") == tab
        ]
        targets = [r.get("Target", "") for r in rels if r.get("Id") in ids]
        if not targets:
            return None
        target = targets[0].lstrip("/")
        return package.read(target if target.startswith("xl/") else f"xl/{target}")


def test_the_years_record_on_an_xlsx_workbook(tmp_path: Path) -> None:
    folder = demo_folder(tmp_path / "district")
    workbook = folder / "district.xlsx"
    tabs = demo_district(date(2026, 6, 29), LAST_YEAR)
    create_workbook(workbook, tabs, overwrite=True)
    config = smtp_config(folder, closed_port())
    config.write_text(
        config.read_text().replace(
            'transport = "smtp"', 'transport = "outbox"\noutbox_dir = "outbox"'
        )
    )
    said: list[list[str]] = []
    year_tabs: list[list[list[object]] | None] = []
    parts: list[bytes | None] = []
    for_the_years(config)
    for moment in RUNS:
        _, out, _ = in_process(config, "run", "--now", moment)
        said.append(out.splitlines())
        book = CalamineWorkbook.from_path(str(workbook))
        year_tabs.append(
            book.get_sheet_by_name("Year 2025-26").to_python()
            if "Year 2025-26" in book.sheet_names
            else None
        )
        parts.append(sheet_part(workbook, "Year 2025-26"))
    check(said, year_tabs, folder / "outbox")
    assert parts[1] is not None
    assert parts[1] == parts[2] == parts[3]  # the tab's own XML, byte for byte


@pytest.mark.slow  # the same proof as on .xlsx, through the Sheets API stand-in: CI runs it
def test_the_years_record_on_google_sheets(tmp_path: Path) -> None:
    with bench(tmp_path) as b:
        sheet = b.api.create_spreadsheet("Riverbend", grids())
        config = gsheets_config(tmp_path, sheet, b.key, b.api.url)
        for_the_years(config)
        said: list[list[str]] = []
        year_tabs: list[list[list[object]] | None] = []
        for moment in RUNS:
            _, out, _ = in_process(config, "run", "--now", moment)
            said.append(out.splitlines())
            tabs = b.api.tabs(sheet)
            year_tabs.append(
                b.api.values(sheet, "Year 2025-26") if "Year 2025-26" in tabs else None
            )
    check(said, year_tabs, tmp_path / "outbox")
