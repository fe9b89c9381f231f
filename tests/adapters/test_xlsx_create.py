"""New input tabs and new workbooks: headers, dropdowns, frozen panes and real dates."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils.datetime import CALENDAR_MAC_1904
from python_calamine import CalamineWorkbook
from xlsx_district import build_district, members, sheet_parts

from sheets_sync.adapters.workbook import InputColumn, InputTab
from sheets_sync.adapters.xlsx import XlsxWorkbook, create_workbook
from sheets_sync.adapters.xlsx.sheet_xml import MAX_ROW, list_formula
from sheets_sync.errors import WorkbookError

ROLES = ("Principal", "Administrator", "Teacher", "Parent/Family", "Community", "Student", "Staff")
ROSTER = InputTab(
    "Team Roster",
    (
        InputColumn("School", 28, source="Schools!$A$2:$A$2000"),
        InputColumn("Name", 24),
        InputColumn("Role", 16, choices=ROLES),
        InputColumn("Term Ends", 12, is_date=True),
    ),
)
CONTACTS = InputTab(
    "Contact Log",
    (InputColumn("Date", 12, is_date=True), InputColumn("School", 28)),
)
SCHOOLS = InputTab("Schools", (InputColumn("School"), InputColumn("Code")))


def test_add_tabs_creates_only_missing_tabs(tmp_path: Path) -> None:
    """Existing tabs stay byte-identical; missing ones are created and their names returned."""
    path = build_district(tmp_path / "district.xlsx")
    before = members(path)
    created = XlsxWorkbook(path).add_tabs([SCHOOLS, ROSTER, CONTACTS])
    assert created == ["Team Roster"]
    after = members(path)
    for name in ("xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "xl/charts/chart1.xml"):
        assert after[name] == before[name]
    assert openpyxl.load_workbook(path).sheetnames[-1] == "Team Roster"


def test_added_tab_has_header_dropdowns_and_frozen_pane(tmp_path: Path) -> None:
    """The new tab's header is bold and frozen; list and range dropdowns warn, from row 2 down."""
    path = build_district(tmp_path / "district.xlsx")
    XlsxWorkbook(path).add_tabs([ROSTER])
    sheet = openpyxl.load_workbook(path)["Team Roster"]
    assert [c.value for c in sheet[1]] == ["School", "Name", "Role", "Term Ends"]
    assert all(c.font.b for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width == 28
    rules = {str(dv.sqref): dv for dv in sheet.data_validations.dataValidation}
    assert set(rules) == {f"A2:A{MAX_ROW}", f"C2:C{MAX_ROW}"}
    assert rules[f"A2:A{MAX_ROW}"].formula1 == "Schools!$A$2:$A$2000"
    assert rules[f"C2:C{MAX_ROW}"].formula1 == '"' + ",".join(ROLES) + '"'
    assert {(dv.type, dv.errorStyle, dv.allow_blank) for dv in rules.values()} == {
        ("list", "warning", True)
    }
    assert not sheet.protection.sheet  # people type here


def test_dropdown_lists_that_excel_cannot_hold_are_left_out() -> None:
    """Choices with a comma, or longer than Excel's 255 characters, give no inline list."""
    assert list_formula(InputColumn("A", choices=("Yes", "No"))) == '"Yes,No"'
    assert list_formula(InputColumn("A", choices=('Say "hi"',))) == '"Say ""hi"""'
    assert list_formula(InputColumn("A", choices=("Parents, guardians", "Staff"))) is None
    assert (
        list_formula(InputColumn("A", choices=tuple(f"Choice {i:03}" for i in range(30)))) is None
    )
    assert list_formula(InputColumn("A", source="=Lists!$A:$A")) == "Lists!$A:$A"
    assert list_formula(InputColumn("A")) is None


def test_add_tabs_twice_changes_nothing(tmp_path: Path) -> None:
    """Asking again for tabs that exist returns no names and leaves the file's bytes alone."""
    path = build_district(tmp_path / "district.xlsx")
    XlsxWorkbook(path).add_tabs([ROSTER])
    before = path.read_bytes()
    assert XlsxWorkbook(path).add_tabs([ROSTER, SCHOOLS]) == []
    assert path.read_bytes() == before


def test_create_workbook_with_rows_and_real_dates(tmp_path: Path) -> None:
    """A new workbook holds exactly the tabs given; calamine and openpyxl read dates as dates."""
    path = tmp_path / "district.xlsx"
    rows = (
        ("Adams", "Pat Lee", "Teacher", date(2026, 6, 30)),
        ("0042", None, True, datetime(2025, 9, 15, 13, 30)),
        ("Baker", 7, 2.5, None),
    )
    create_workbook(path, [SCHOOLS, InputTab(ROSTER.name, ROSTER.columns, rows), CONTACTS])

    calamine = CalamineWorkbook.from_path(str(path))
    assert calamine.sheet_names == ["Schools", "Team Roster", "Contact Log"]
    grid = XlsxWorkbook(path).read(["Team Roster"])["Team Roster"]
    assert grid == [
        ["School", "Name", "Role", "Term Ends"],
        ["Adams", "Pat Lee", "Teacher", date(2026, 6, 30)],
        ["0042", "", True, datetime(2025, 9, 15, 13, 30)],
        ["Baker", 7, 2.5],  # nothing after the row's last value
    ]
    sheet = openpyxl.load_workbook(path)["Team Roster"]
    assert sheet["D2"].is_date
    assert sheet["D2"].value == datetime(2026, 6, 30)
    assert sheet["D3"].value == datetime(2025, 9, 15, 13, 30)
    assert sheet["A3"].data_type == "s"
    assert sheet.freeze_panes == "A2"
    assert set(members(path)) == {
        "[Content_Types].xml",
        "_rels/.rels",
        "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels",
        "xl/styles.xml",
        *sheet_parts(path).values(),
    }


def test_create_workbook_never_replaces_a_file(tmp_path: Path) -> None:
    """An existing file is refused unless overwrite is asked for."""
    path = build_district(tmp_path / "district.xlsx")
    before = path.read_bytes()
    with pytest.raises(WorkbookError) as caught:
        create_workbook(path, [SCHOOLS])
    assert str(caught.value) == (
        f"{path} already exists, and sheets-sync never replaces a workbook. Run `sheets-sync "
        "init` to add the missing tabs to it, or choose another [workbook] path in the config."
    )
    assert path.read_bytes() == before
    create_workbook(path, [SCHOOLS], overwrite=True)
    assert CalamineWorkbook.from_path(str(path)).sheet_names == ["Schools"]


def test_dates_in_a_1904_workbook(tmp_path: Path) -> None:
    """Rows added to a workbook on the 1904 date system keep their calendar dates."""
    path = tmp_path / "mac.xlsx"
    book = openpyxl.Workbook()
    book.epoch = CALENDAR_MAC_1904
    book.active.title = "Schools"
    book.save(path)
    tab = InputTab("Contact Log", CONTACTS.columns, ((date(2025, 9, 15), "Adams"),))
    XlsxWorkbook(path).add_tabs([tab])
    assert XlsxWorkbook(path).read(["Contact Log"])["Contact Log"] == [
        ["Date", "School"],
        [date(2025, 9, 15), "Adams"],
    ]


def test_create_workbook_needs_a_tab(tmp_path: Path) -> None:
    """An empty tab list is a programming error, not a workbook."""
    with pytest.raises(ValueError, match="at least one tab"):
        create_workbook(tmp_path / "x.xlsx", [])
    assert list(tmp_path.iterdir()) == []
