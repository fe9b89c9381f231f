"""The worker's tabs are found by their exact name, and Excel recalculates what reads them."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from lxml import etree
from xlsx_district import build_district, members, owned_tables, rezip, sheet_parts

from sheets_sync.adapters.xlsx import XlsxWorkbook
from sheets_sync.adapters.xlsx.sheet_xml import wrapped_lines
from sheets_sync.core.owned_tabs import summary_table
from sheets_sync.core.settings import Settings
from sheets_sync.core.table import Column, Link, Panel, Table

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
NEAR_NAMES = ("Run-Log", "summary ", "Data_Issues")  # the same as owned names to `match_tab`
RUN_LOG = Table("Run Log", (Column("Note"),), [("ran",)])


@pytest.fixture
def district(tmp_path: Path) -> Path:
    return build_district(tmp_path / "district.xlsx")


def add_tabs(path: Path, cells: dict[str, str]) -> None:
    """People's own tabs, each with one value in A1."""
    book = openpyxl.load_workbook(path)
    for name, value in cells.items():
        book.create_sheet(name)["A1"] = value
    book.save(path)


def test_tabs_named_nearly_like_owned_ones_keep_every_byte(district: Path) -> None:
    """A person's 'Run-Log', 'summary ' and 'Data_Issues' stay as they were; owned tabs are new."""
    add_tabs(district, {name: f"{name} notes" for name in NEAR_NAMES})
    theirs = sheet_parts(district)
    before = members(district)
    XlsxWorkbook(district).write([*owned_tables(), RUN_LOG])

    after = members(district)
    parts = sheet_parts(district)
    for name in NEAR_NAMES:
        assert parts[name] == theirs[name]
        assert after[theirs[name]] == before[theirs[name]]
    assert list(parts)[3:] == [*NEAR_NAMES, "Summary", "Data Issues", "Run Log"]
    grids = XlsxWorkbook(district).read(list(NEAR_NAMES))
    assert [grids[name] for name in NEAR_NAMES] == [[[f"{name} notes"]] for name in NEAR_NAMES]


def test_owned_tabs_are_read_by_exact_name_ignoring_case(district: Path) -> None:
    """read(owned=...) finds 'RUN LOG' as the Run Log, never 'Summary-'; inputs match loosely."""
    add_tabs(district, {"RUN LOG": "old log", "Summary-": "their summary"})
    grids = XlsxWorkbook(district).read(["contact-log"], owned=["Run Log", "Summary"])
    assert grids == {
        "contact-log": XlsxWorkbook(district).read(["Contact Log"])["Contact Log"],
        "Run Log": [["old log"]],
        "Summary": None,
    }
    assert XlsxWorkbook(district).read(["Summary"])["Summary"] == [["their summary"]]
    with pytest.raises(ValueError, match="both as input and as owned"):
        XlsxWorkbook(district).read(["Run Log"], owned=["Run Log"])


def without_recalculation(path: Path, calc: bytes = b'<calcPr calcId="124519"/>') -> None:
    """The district as Excel saves it: calcPr without fullCalcOnLoad (or another calcPr)."""
    workbook = members(path)["xl/workbook.xml"]
    old = b'<calcPr calcId="124519" fullCalcOnLoad="1"/>'
    assert old in workbook
    rezip(path, {"xl/workbook.xml": workbook.replace(old, calc)})


def test_a_write_asks_excel_to_recalculate_once(district: Path) -> None:
    """A write sets fullCalcOnLoad on calcPr; a second write leaves workbook.xml's bytes alone."""
    without_recalculation(district)
    book = XlsxWorkbook(district)
    book.write(owned_tables())
    first = members(district)["xl/workbook.xml"]
    calc = etree.fromstring(first).find(f"{MAIN}calcPr")
    assert calc is not None
    assert dict(calc.attrib) == {"calcId": "124519", "fullCalcOnLoad": "1"}

    book.write([Table(t.name, t.columns, t.rows[::-1]) for t in owned_tables()])
    assert members(district)["xl/workbook.xml"] == first


def test_calc_pr_is_added_after_defined_names(district: Path) -> None:
    """A workbook without calcPr gets one where the schema puts it: after definedNames."""
    ext = b'<extLst><ext uri="{00000000-0000-0000-0000-000000000000}"/></extLst>'
    without_recalculation(district, calc=ext)
    XlsxWorkbook(district).write(owned_tables())
    root = etree.fromstring(members(district)["xl/workbook.xml"])
    children = [etree.QName(child).localname for child in root]
    assert children[-3:] == ["definedNames", "calcPr", "extLst"]
    assert root[-2].attrib == {"fullCalcOnLoad": "1"}
    assert openpyxl.load_workbook(district).sheetnames[-2:] == ["Summary", "Data Issues"]


def test_an_unchanged_write_does_not_touch_calc_pr(district: Path) -> None:
    """Writing what the owned tabs already hold leaves the file alone, flag or no flag."""
    XlsxWorkbook(district).write(owned_tables())
    without_recalculation(district)
    before = district.read_bytes()
    XlsxWorkbook(district).write(owned_tables())
    assert district.read_bytes() == before


def test_the_header_filter_covers_the_table_not_what_stands_beside_it(district: Path) -> None:
    """Leaders can sort and filter the Summary: an AutoFilter on row 1 over its columns and
    rows (A1:B3), not over the as-of panel in D:E; the date beside it is a real date."""
    panel = Panel(
        (Column("As of (America/Denver)"), Column("Overdue")), ((datetime(2026, 12, 7, 7, 0), 1),)
    )
    summary = Table(
        "Summary",
        (Column("School"), Column("Status", toned=True)),
        [("Adams", "Overdue"), ("Baker", "On track")],
        panel=panel,
    )
    XlsxWorkbook(district).write([summary])
    sheet = openpyxl.load_workbook(district)["Summary"]
    assert sheet.auto_filter.ref == "A1:B3"
    assert [c.value for c in sheet[1]] == [
        "School",
        "Status",
        None,
        "As of (America/Denver)",
        "Overdue",
    ]
    assert sheet["D2"].value == datetime(2026, 12, 7, 7, 0)
    assert sheet["D2"].is_date
    assert sheet.protection.sheet
    assert not sheet.protection.autoFilter  # protected, but filtering allowed


def test_folded_details_and_print_setup(district: Path) -> None:
    """Folded columns open hidden in a one-level group with its [+] on the next column; every
    owned tab prints landscape, one page wide, with its header row atop each page."""
    summary = Table(
        "Summary",
        (Column("School"), Column("Status"), Column("Team Members"), Column("Data Errors")),
        [("Adams", "Overdue", 7, 0)],
        folded=(2, 4),
    )
    XlsxWorkbook(district).write([summary])
    sheet = openpyxl.load_workbook(district)["Summary"]
    folded = {letter: sheet.column_dimensions[letter] for letter in "ABCDE"}
    assert [folded[c].hidden for c in "ABCD"] == [False, False, True, True]
    assert [folded[c].outline_level for c in "ABCD"] == [0, 0, 1, 1]
    assert folded["E"].collapsed  # the group's [+] stands on the column after it
    assert sheet.sheet_format.outlineLevelCol == 1
    assert sheet["C2"].value == 7  # hidden, not gone
    assert sheet.page_setup.orientation == "landscape"
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$1:$1"


def test_a_cell_reference_is_a_link_to_that_cell_and_long_text_wraps(district: Path) -> None:
    """Data Issues' E7 opens 'Action Plan'!E7 (a tab name with a quote is quoted right);
    the Problem column wraps its long text."""
    issues = Table(
        "Data Issues",
        (Column("Cell"), Column("Problem", 20, wrapped=True)),
        [
            (Link("E7", "Action Plan", "E7"), "A problem long enough to need two lines"),
            (Link("B2", "Kim's Tab", "B2"), "short"),
            ("", "no cell"),
        ],
    )
    XlsxWorkbook(district).write([issues])
    sheet = openpyxl.load_workbook(district)["Data Issues"]
    assert [sheet[f"A{r}"].value for r in (2, 3, 4)] == ["E7", "B2", None]
    assert sheet["A2"].hyperlink.location == "'Action Plan'!E7"
    assert sheet["A3"].hyperlink.location == "'Kim''s Tab'!B2"
    assert sheet["A4"].hyperlink is None
    assert sheet["A2"].font.underline == "single"
    assert sheet["A2"].font.color.rgb == "FF0563C1"
    assert sheet["B2"].alignment.wrap_text
    assert not sheet["A2"].alignment.wrap_text
    # Problem is 20 digits wide, so 22 characters fit: "A problem long enough" / "to need
    # two lines" is two lines of 15 points; a short row keeps the sheet's own height.
    assert sheet.row_dimensions[2].height == 30
    assert sheet.row_dimensions[3].height is None


@pytest.mark.parametrize(
    ("text", "fits", "lines"),
    [
        ("ab cd ef", 5, 2),  # "ab cd" / "ef"
        ("abcde fghij", 5, 2),  # a word as long as a line fills it
        ("abcdefghijkl", 5, 3),  # "abcde" / "fghij" / "kl"
        ("ab cdefghijkl", 5, 3),  # the long word starts a line: "ab" / "cdefg" / "hijkl"
        ("  spaced   out  ", 6, 2),  # runs of spaces count as one
        ("", 5, 1),
    ],
)
def test_wrapped_text_is_counted_in_lines_as_a_reader_wraps_it(
    text: str, fits: int, lines: int
) -> None:
    assert wrapped_lines(text, fits) == lines


def test_the_summary_chart_draws_the_counts_beside_it(district: Path) -> None:
    """A column chart of the panel's counts: names from V1:X1, heights from V2:X2 (the
    table is A:S, T is blank, U holds the date); a second run writes the same bytes."""
    settings = Settings()
    summary = summary_table([], settings, datetime(2026, 12, 7, 7, 0, tzinfo=ZoneInfo("UTC")))
    XlsxWorkbook(district).write([summary])
    before = district.read_bytes()
    XlsxWorkbook(district).write([summary])
    assert district.read_bytes() == before
    sheet = openpyxl.load_workbook(district)["Summary"]
    (chart,) = sheet._charts
    assert chart.tagname == "barChart"
    (series,) = chart.series
    assert series.cat.strRef.f == "'Summary'!$V$1:$X$1"
    assert series.val.numRef.f == "'Summary'!$V$2:$X$2"
    assert [sheet[f"{c}1"].value for c in "VWX"] == ["Overdue", "Needs attention", "On track"]
    assert [p.spPr.solidFill.srgbClr for p in series.dPt] == ["E06666", "F1C232", "6AA84F"]
