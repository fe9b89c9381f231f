"""A real spreadsheet program opens what the xlsx backend wrote (LibreOffice, when installed)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from openpyxl.comments import Comment
from xlsx_district import build_district, members, owned_tables, sheet_parts

from sheets_sync.adapters.xlsx import XlsxWorkbook
from sheets_sync.core.owned_tabs import summary_table
from sheets_sync.core.settings import Settings
from sheets_sync.core.table import Column, Table
from tests.conftest import Resave

pytestmark = pytest.mark.slow


def test_libreoffice_reads_owned_and_input_tabs(tmp_path: Path, libreoffice: Resave) -> None:
    """LibreOffice opens the written file: Summary values, formula-like text and the chart."""
    path = build_district(tmp_path / "district.xlsx")
    tables = [
        *owned_tables(),
        Table("Run Log", (Column("Note"),), [("=1+1",), ('=HYPERLINK("http://x","y")',)]),
    ]
    book = XlsxWorkbook(path)
    book.read(["Schools"])
    book.write(tables)
    book.write(tables[:1])  # a second run replaces a part in place

    copy = libreoffice(path, tmp_path / "resaved")
    grids = XlsxWorkbook(copy).read(["Summary", "Run Log", "Schools"])
    assert grids["Summary"] == [
        ["School", "Code", "Status", "Days Since Contact"],
        ["Carver High", "0311", "Overdue", 45],
        ["Baker Middle", "0107", "Needs attention", 20],
        ["Adams Elementary", "0042", "On track", 3.5],
    ]
    assert grids["Run Log"] == [["Note"], ["=1+1"], ['=HYPERLINK("http://x","y")']]
    assert (grids["Schools"] or [])[1][:2] == ["Adams Elementary", "0042"]
    assert any(name.startswith("xl/charts/chart") for name in members(copy))
    # LibreOffice saw the header's filter (it writes back only the filters it knows).
    assert b'<autoFilter ref="A1:D4"' in members(copy)[sheet_parts(copy)["Summary"]]


def test_libreoffice_opens_a_replaced_tab_that_had_comments(
    tmp_path: Path, libreoffice: Resave
) -> None:
    """A replaced owned tab whose comments and formulas were dropped still opens cleanly."""
    path = tmp_path / "district.xlsx"
    made = openpyxl.Workbook()
    made.active.title = "Schools"
    summary = made.create_sheet("Summary")
    summary["A1"] = "=1+1"
    summary["B2"].comment = Comment("old note", "someone")
    made.save(path)
    XlsxWorkbook(path).write([Table("Summary", (Column("School"),), [("Adams",)])])

    copy = libreoffice(path, tmp_path / "resaved")
    assert XlsxWorkbook(copy).read(["Summary"])["Summary"] == [["School"], ["Adams"]]
    assert not any(name.startswith("xl/comments") for name in members(copy))


def test_a_workbook_saved_by_libreoffice_takes_a_write(tmp_path: Path, libreoffice: Resave) -> None:
    """A file LibreOffice wrote (its own parts, shared strings, styles) is written and reopened."""
    path = build_district(tmp_path / "district.xlsx")
    XlsxWorkbook(path).write(owned_tables())
    theirs = libreoffice(path, tmp_path / "resaved")
    before = members(theirs)
    tables = [Table("Summary", (Column("School"), Column("Status", toned=True)), [("B", "ok")])]
    XlsxWorkbook(theirs).write(tables)
    after = members(theirs)
    changed = {name for name in before if after.get(name) != before[name]}
    # LibreOffice drops fullCalcOnLoad, so workbook.xml gets it back; what it hung on the
    # Summary (an empty drawing of its own) goes with the old cells.
    summary = sheet_parts(theirs)["Summary"]
    rels = summary.replace("worksheets/", "worksheets/_rels/") + ".rels"
    assert changed <= {summary, rels, "xl/styles.xml", "xl/workbook.xml"}
    assert b'fullCalcOnLoad="1"' in after["xl/workbook.xml"]

    copy = libreoffice(theirs, tmp_path / "again")
    grids = XlsxWorkbook(copy).read(["Summary", "Data Issues"])
    assert grids["Summary"] == [["School", "Status"], ["B", "ok"]]
    assert grids["Data Issues"] == XlsxWorkbook(theirs).read(["Data Issues"])["Data Issues"]


def test_libreoffice_keeps_the_summary_chart_and_filter(
    tmp_path: Path, libreoffice: Resave
) -> None:
    """LibreOffice opens the Summary with its chart, its filter and its folded details, and
    saves them back: it understood each of them."""
    path = build_district(tmp_path / "district.xlsx")
    now = datetime(2026, 12, 7, 7, 0, tzinfo=ZoneInfo("UTC"))
    XlsxWorkbook(path).write([summary_table([], Settings(), now)])
    copy = libreoffice(path, tmp_path / "resaved")
    parts = members(copy)
    assert any(name.startswith("xl/charts/") for name in parts)
    sheet = parts[sheet_parts(copy)["Summary"]]
    assert b"<drawing " in sheet
    assert b'<autoFilter ref="A1:S1"' in sheet
    assert b'hidden="true"' in sheet or b'hidden="1"' in sheet
