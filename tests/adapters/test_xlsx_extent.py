"""A stray value far from the data is refused with a repair hint, not read as a huge grid."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import PatternFill
from xlsx_district import build_district, members, sheet_parts

from sheets_sync.adapters.workbook import MAX_CELLS
from sheets_sync.adapters.xlsx import XlsxWorkbook
from sheets_sync.adapters.xlsx.extent import reach
from sheets_sync.errors import WorkbookError

YELLOW = PatternFill(start_color="FFFF00", end_color="FFFF00", fill_type="solid")


def with_cells(path: Path, tab: str, cells: dict[str, object]) -> Path:
    book = openpyxl.load_workbook(path)
    for ref, value in cells.items():
        book[tab][ref] = value
    book.save(path)
    return path


def too_big(path: Path, last: str, rows: int, columns: int) -> str:
    return (
        f"The tab 'Schools' in {path} reaches cell {last} ({rows:,} rows by {columns:,} "
        f"columns), more than the {MAX_CELLS:,} cells sheets-sync reads. A value far below "
        "or right of the data makes the tab huge: press Ctrl+End on that tab to find it, "
        "delete the stray rows and columns beyond the data, save, and run again."
    )


@pytest.mark.parametrize(
    ("cells", "last", "rows", "columns"),
    [
        ({"A1048576": "x"}, "J1048576", 1_048_576, 10),
        ({"XFD1": "x", "A1048576": "x"}, "XFD1048576", 1_048_576, 16_384),
    ],
    ids=["last-row", "last-row-and-column"],
)
def test_stray_value_far_away_is_refused(
    tmp_path: Path, cells: dict[str, object], last: str, rows: int, columns: int
) -> None:
    """One value in A1048576 (and XFD1) names the tab, its last cell and how to repair it."""
    path = with_cells(build_district(tmp_path / "district.xlsx"), "Schools", cells)
    with pytest.raises(WorkbookError) as caught:
        XlsxWorkbook(path).read(["Schools", "Contact Log"])
    assert str(caught.value) == too_big(path, last, rows, columns)
    assert XlsxWorkbook(path).read(["Contact Log"])["Contact Log"] is not None


def test_formatting_far_away_is_no_fault(tmp_path: Path) -> None:
    """A filled but empty XFD1048576 does not count: the tab reads as its values."""
    path = build_district(tmp_path / "district.xlsx")
    before = XlsxWorkbook(path).read(["Contact Log"])
    book = openpyxl.load_workbook(path)
    book["Contact Log"]["XFD1048576"].fill = YELLOW
    book.save(path)
    assert b'r="XFD1048576"' in members(path)[sheet_parts(path)["Contact Log"]]
    assert XlsxWorkbook(path).read(["Contact Log"]) == before


def test_blank_cells_after_the_data_are_trimmed(tmp_path: Path) -> None:
    """Rows end at their last value and the grid at its last row holding one."""
    path = tmp_path / "book.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Schools"
    sheet.append(["School", "Code", None, "Note"])
    sheet.append(["Adams", "0042"])
    sheet["F9"] = ""  # an empty text far out, which calamine counts as a value
    sheet["A200000"] = "Zimmer"  # far down, but within the cap for four columns
    book.save(path)
    grid = XlsxWorkbook(path).read(["Schools"])["Schools"] or []
    assert grid[:3] == [["School", "Code", "", "Note"], ["Adams", "0042"], []]
    assert len(grid) == 200_000
    assert grid[-1] == ["Zimmer"]
    assert not any(grid[2:-1])


def test_reach_counts_values_not_formatting() -> None:
    """reach() measures the cells holding values when formatting makes a tab look too big;
    within the budget the cheap bound (here formatting's column, values' row) stands."""
    head = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    value = b'<row r="3"><c r="B3"><v>1</v></c><c r="XFD3" s="1"/></row>'
    styled = b'<row r="1048576"><c r="A1048576" s="2"/><c r="XFD1048576" s="1" t="n"></c></row>'
    far = b'<row r="1048576"><c s="2" r="XFD1048576" t="s"><v>0</v></c></row>'
    sheet = head + b"<sheetData>" + value + styled + b"</sheetData></worksheet>"
    assert reach(sheet) == (3, 16_384)
    assert reach(sheet, budget=3) == (3, 2)
    assert reach(head + b"<sheetData>" + value + far + b"</sheetData></worksheet>") == (
        1_048_576,
        16_384,
    )
    assert reach(head + b"<sheetData/></worksheet>") == (0, 0)


def test_tabs_that_fit_alone_but_not_together_are_refused(tmp_path: Path) -> None:
    """Schools to J200000 (2,000,000 cells) and the Contact Log to F200000 (1,200,000) each
    fit; together they pass the 3,000,000 cells a run reads. Formatting does not count."""
    path = build_district(tmp_path / "district.xlsx")
    with_cells(path, "Schools", {"J200000": "x"})
    book = openpyxl.load_workbook(path)
    book["Contact Log"]["F200000"] = "x"
    book["Contact Log"]["Z300000"].fill = YELLOW  # formatting only, far out
    book.save(path)
    assert MAX_CELLS == 3_000_000
    with pytest.raises(WorkbookError) as caught:
        XlsxWorkbook(path).read(["Schools", "Contact Log"])
    assert str(caught.value) == (
        f"The tabs sheets-sync reads in {path} cover 3,200,000 cells together ('Schools' "
        "2,000,000, 'Contact Log' 1,200,000), more than the 3,000,000 it reads in one run (a "
        "state's workbook covers about 1,000,000). Rows pasted by mistake make a tab huge: "
        "delete them, or move earlier years' rows to another workbook, save, and run again."
    )
    assert XlsxWorkbook(path).read(["Contact Log"])["Contact Log"] is not None
