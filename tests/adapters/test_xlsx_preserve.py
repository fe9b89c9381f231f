"""The xlsx backend writes its own tabs and leaves every other part of the file as it was."""

from __future__ import annotations

import io
import re
import struct
import zipfile
from pathlib import Path

import openpyxl
import pytest
from lxml import etree
from python_calamine import CalamineWorkbook
from xlsx_district import build_district, members, owned_tables, rezip, sheet_parts

from sheets_sync.adapters.xlsx import XlsxWorkbook
from sheets_sync.adapters.xlsx.styles import ensure_looks
from sheets_sync.core.table import Column, Table
from sheets_sync.errors import WorkbookError

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
FIRST_RUN_EDITS = {
    "xl/workbook.xml",
    "xl/_rels/workbook.xml.rels",
    "[Content_Types].xml",
    "xl/styles.xml",
}


@pytest.fixture
def district(tmp_path: Path) -> Path:
    return build_district(tmp_path / "district.xlsx")


def written(path: Path, tables: list[Table]) -> XlsxWorkbook:
    book = XlsxWorkbook(path)
    book.read(["Schools"])
    book.write(tables)
    return book


def expected_grid(table: Table) -> list[list[object]]:
    """What a read gives back: blanks as '', nothing after a row's last value."""
    rows = [[("" if v is None else v) for v in r] for r in [table.header, *table.rows]]
    for row in rows:
        while row and row[-1] == "":
            row.pop()
    return rows


def test_first_write_touches_only_the_parts_it_must(district: Path) -> None:
    """Every member but the sheet list, its rels, content types and styles is byte-identical."""
    before = members(district)
    written(district, owned_tables())
    after = members(district)

    new_sheets = {sheet_parts(district)[t.name] for t in owned_tables()}
    assert set(after) == set(before) | new_sheets
    changed = {name for name in before if after[name] != before[name]}
    assert changed == FIRST_RUN_EDITS
    for part in ("xl/charts/chart1.xml", "xl/drawings/drawing1.xml", "xl/media/image1.png",
                 "xl/comments/comment1.xml", "xl/drawings/commentsDrawing1.vml",
                 "docProps/custom.xml", "xl/worksheets/sheet1.xml"):  # fmt: skip
        assert after[part] == before[part]


def test_untouched_members_are_copied_without_recompressing(district: Path) -> None:
    """Untouched members keep their compressed bytes, dates and attributes, in their order."""
    rezip(district, {}, level=1)  # unlike zipfile's default, as another program's would be
    before = district.read_bytes()
    written(district, owned_tables())
    after = district.read_bytes()
    old, new = zipfile.ZipFile(io.BytesIO(before)), zipfile.ZipFile(io.BytesIO(after))
    assert new.namelist()[: len(old.namelist())] == old.namelist()
    for was in old.infolist():
        if was.filename in FIRST_RUN_EDITS:
            continue
        info = new.getinfo(was.filename)
        assert (info.CRC, info.compress_size, info.compress_type, info.date_time) == (
            was.CRC, was.compress_size, was.compress_type, was.date_time
        )  # fmt: skip
        assert info.external_attr == was.external_attr
        assert _stored_data(after, info) == _stored_data(before, was)


def test_owned_tabs_read_back_exactly(district: Path) -> None:
    """calamine and openpyxl both read the owned tabs' header and values as written."""
    written(district, owned_tables())
    grids = XlsxWorkbook(district).read([t.name for t in owned_tables()])
    loaded = openpyxl.load_workbook(district)
    for table in owned_tables():
        assert grids[table.name] == expected_grid(table)
        values = [list(r) for r in loaded[table.name].iter_rows(values_only=True)]
        assert values[0] == list(table.header)
        assert values[1:] == [list(r) for r in table.rows]


def test_everything_people_made_survives(district: Path) -> None:
    """Formulas, names, merges, conditional formats, validation, comments and properties load."""
    written(district, owned_tables())
    book = openpyxl.load_workbook(district)
    schools = book["Schools"]
    assert book.sheetnames[:3] == ["Schools", "Contact Log", "Charts"]
    assert schools["J2"].value == "=COUNTA(A2:A100)"
    assert book["Charts"]["A6"].value == "=SUM(B2:B4)"
    assert "J4:L4" in {str(r) for r in schools.merged_cells.ranges}
    assert [str(r.sqref) for r in schools.conditional_formatting] == ["H2:H100"]
    assert [dv.formula1 for dv in schools.data_validations.dataValidation] == ['"Yes,No"']
    assert schools["B2"].comment.text == "Keep the leading zeros"
    assert book.defined_names["SchoolNames"].attr_text == "Schools!$A$2:$A$100"
    assert book["Charts"].defined_names["LevelCounts"].attr_text == "Charts!$B$2:$B$4"
    assert [(p.name, p.value) for p in book.custom_doc_props] == [("District", "Example Unified")]
    assert book.sheetnames[3:] == ["Summary", "Data Issues"]


def test_second_write_changes_only_owned_sheets(district: Path) -> None:
    """A later run rewrites only the owned sheet parts, and the workbook part when a tab's
    filter must cover another row; styles.xml does not grow."""
    book = written(district, owned_tables())
    before = members(district)
    changed_tables = [Table(t.name, t.columns, [*t.rows, t.rows[0]]) for t in owned_tables()]
    book.write(changed_tables)
    after = members(district)
    owned = {sheet_parts(district)[t.name] for t in owned_tables()}
    assert {n for n in before if after.get(n) != before[n]} == {*owned, "xl/workbook.xml"}
    assert b"'Summary'!$A$1:$D$5" in after["xl/workbook.xml"]  # one row more
    assert set(after) == set(before)
    assert XlsxWorkbook(district).read(["Summary"])["Summary"] == expected_grid(changed_tables[0])
    rows_again = [Table(t.name, t.columns, t.rows[::-1]) for t in changed_tables]
    book.write(rows_again)  # as many rows as before: the workbook part stays as it was
    assert members(district)["xl/workbook.xml"] == after["xl/workbook.xml"]


def test_same_tables_again_leave_the_file_alone(district: Path) -> None:
    """Writing what the file already holds does not rewrite it."""
    book = written(district, owned_tables())
    before = district.read_bytes()
    book.write(owned_tables())
    assert district.read_bytes() == before


def test_formula_looking_text_stays_text(tmp_path: Path) -> None:
    """Text that looks like a formula is stored as an inline string, never an <f> element."""
    path = build_district(tmp_path / "district.xlsx")
    texts = ['=HYPERLINK("http://x","y")', "=1+1", "+A1", "@SUM(A1)", "-2+3"]
    written(path, [Table("Summary", (Column("School"),), [(t,) for t in texts])])
    xml = members(path)[sheet_parts(path)["Summary"]]
    assert not re.search(rb"<(\w+:)?f[\s>/]", xml)
    assert xml.count(b't="inlineStr"') == len(texts) + 1
    grid = XlsxWorkbook(path).read(["Summary"])["Summary"]
    assert [row[0] for row in grid or []] == ["School", *texts]
    cells = openpyxl.load_workbook(path)["Summary"]["A"]
    assert [(c.value, c.data_type) for c in cells[1:]] == [(t, "s") for t in texts]


def test_text_is_cleaned_and_capped(tmp_path: Path) -> None:
    """Characters XML cannot hold are dropped, Excel escapes are kept literal, text is cut to
    Excel's 32,767 characters with a mark."""
    path = build_district(tmp_path / "district.xlsx")
    values = ["a\x00b\x1fc", "keep _x0041_ literal", "line\r\nbreak\ttab", "x" * 40_000, " padded "]
    written(path, [Table("Summary", (Column("Text"),), [(v,) for v in values])])
    grid = XlsxWorkbook(path).read(["Summary"])["Summary"] or []
    assert [row[0] for row in grid[1:]] == [
        "abc", "keep _x0041_ literal", "line\r\nbreak\ttab", "x" * 32_759 + " [… cut]", " padded "
    ]  # fmt: skip


def test_numbers_and_blanks(tmp_path: Path) -> None:
    """ints and floats are numbers, None is a blank cell, booleans stay booleans."""
    path = build_district(tmp_path / "district.xlsx")
    row = (7, 2.5, None, True, -0.125, 10**12)
    written(path, [Table("Summary", tuple(Column(f"C{i}") for i in range(6)), [row])])
    xml = members(path)[sheet_parts(path)["Summary"]]
    assert b'<c r="C2"' not in xml
    cells = openpyxl.load_workbook(path)["Summary"][2]
    assert [c.value for c in cells] == [7, 2.5, None, True, -0.125, 10**12]
    assert [c.data_type for c in cells] == ["n", "n", "n", "b", "n", "n"]


def test_tab_names_needing_escaping(tmp_path: Path) -> None:
    """Tab names with &, <, >, quotes and an apostrophe are written, read and replaced."""
    path = build_district(tmp_path / "district.xlsx")
    names = ['R&D <Team> "A"', "Families' Corner"]
    tables = [Table(n, (Column("Name"),), [(n,)]) for n in names]
    book = written(path, tables)
    book.write(tables)
    assert openpyxl.load_workbook(path).sheetnames[-2:] == names
    grids = XlsxWorkbook(path).read(names)
    assert [grids[n] for n in names] == [[["Name"], [n]] for n in names]


def test_existing_tab_differing_in_case_is_replaced_and_keeps_its_name(tmp_path: Path) -> None:
    """A tab people named 'SUMMARY' is the Summary (names ignore case) and is replaced in place."""
    path = build_district(tmp_path / "district.xlsx")
    book = openpyxl.load_workbook(path)
    book.create_sheet("SUMMARY")["A1"] = "old"
    book.save(path)
    written(path, [Table("Summary", (Column("School"),), [("Adams",)])])
    names = openpyxl.load_workbook(path).sheetnames
    assert names[3:] == ["SUMMARY"]
    assert XlsxWorkbook(path).read([], owned=["Summary"])["Summary"] == [["School"], ["Adams"]]


def test_replacing_a_tab_with_formulas_drops_the_calc_chain(tmp_path: Path) -> None:
    """Replacing a tab that held formulas drops calcChain (part, type, rel) and the tab's rels."""
    path = tmp_path / "district.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Schools"
    summary = book.create_sheet("Summary")
    summary["A1"] = "=1+1"
    summary["B2"].comment = openpyxl.comments.Comment("old note", "someone")
    book.save(path)
    calc = f'<calcChain xmlns="{MAIN[1:-1]}"><c r="A1" i="2"/></calcChain>'.encode()
    parts = members(path)
    rel_type = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/calcChain"
    rel = f'<Relationship Id="rId99" Type="{rel_type}" Target="/xl/calcChain.xml"/>'
    rels = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", rel.encode() + b"</Relationships>"
    )
    calc_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml"
    override = f'<Override PartName="/xl/calcChain.xml" ContentType="{calc_type}"/>'
    types = parts["[Content_Types].xml"].replace(b"</Types>", override.encode() + b"</Types>")
    rezip(
        path,
        {
            "xl/calcChain.xml": calc,
            "xl/_rels/workbook.xml.rels": rels,
            "[Content_Types].xml": types,
        },
    )

    written(path, [Table("Summary", (Column("School"),), [("Adams",)])])
    after = members(path)
    assert "xl/calcChain.xml" not in after
    assert b"calcChain" not in after["xl/_rels/workbook.xml.rels"]
    assert b"calcChain" not in after["[Content_Types].xml"]
    assert "xl/worksheets/_rels/sheet2.xml.rels" not in after
    loaded = openpyxl.load_workbook(path)
    assert loaded["Summary"]["A2"].value == "Adams"
    assert loaded["Summary"]["B2"].comment is None


def test_calc_chain_kept_when_no_formula_is_lost(district: Path) -> None:
    """A calcChain stays when the replaced tab held no formulas."""
    rezip(district, {"xl/calcChain.xml": b"<calcChain/>"})
    written(district, owned_tables())
    written(district, owned_tables())
    assert "xl/calcChain.xml" in members(district)


def test_namespaces_and_ignorable_prefixes_survive(district: Path) -> None:
    """Edited parts keep their namespace declarations, prefixes and mc:Ignorable as found."""
    workbook = members(district)["xl/workbook.xml"].replace(
        b"<workbook ",
        b'<workbook xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        b'xmlns:x15="http://schemas.microsoft.com/office/spreadsheetml/2010/11/main" '
        b'mc:Ignorable="x15" ',
    )
    rezip(district, {"xl/workbook.xml": workbook})
    written(district, owned_tables())
    root = etree.fromstring(members(district)["xl/workbook.xml"])
    assert root.nsmap["x15"] == "http://schemas.microsoft.com/office/spreadsheetml/2010/11/main"
    assert (
        root.get("{http://schemas.openxmlformats.org/markup-compatibility/2006}Ignorable") == "x15"
    )
    names = root.find(f"{MAIN}definedNames")
    assert [(n.get("name"), n.get("localSheetId"), n.text) for n in names] == [
        ("SchoolNames", None, "Schools!$A$2:$A$100"),
        ("LevelCounts", "2", "Charts!$B$2:$B$4"),
        # Each owned tab's filter (LibreOffice shows none without Excel's name for it), and
        # its header, printed atop every page.
        ("_xlnm._FilterDatabase", "3", "'Summary'!$A$1:$D$4"),
        ("_xlnm.Print_Titles", "3", "'Summary'!$1:$1"),
        ("_xlnm._FilterDatabase", "4", "'Data Issues'!$A$1:$D$3"),
        ("_xlnm.Print_Titles", "4", "'Data Issues'!$1:$1"),
    ]
    sheets = [s.get("name") for s in root.iter(f"{MAIN}sheet")]
    assert sheets == ["Schools", "Contact Log", "Charts", "Summary", "Data Issues"]


def test_owned_tab_formatting(district: Path) -> None:
    """Toned cells get fill and dark text; header bold, filled, frozen; tab coloured, protected."""
    written(district, owned_tables())
    summary = openpyxl.load_workbook(district)["Summary"]
    status = {summary.cell(r, 3).value: summary.cell(r, 3) for r in range(2, 5)}
    assert status["Overdue"].fill.fgColor.rgb == "FFFFC7CE"
    assert status["Overdue"].font.color.rgb == "FF9C0006"
    assert status["Needs attention"].fill.fgColor.rgb == "FFFFEB9C"
    assert status["On track"].fill.fgColor.rgb == "FFC6EFCE"
    assert summary["A2"].fill.fill_type is None  # not a toned column
    assert summary["A1"].font.b
    assert summary["C1"].font.b
    assert summary["A1"].fill.fgColor.rgb == "FFDDE4EE"
    assert summary.freeze_panes == "A2"
    assert summary.column_dimensions["A"].width == 28
    assert summary.sheet_properties.tabColor.rgb == "FF5B3F8C"
    assert summary.protection.sheet
    assert not summary.protection.password
    assert summary.protection.sort is False
    assert summary.protection.formatColumns is False


def test_styles_found_again_after_excel_reorders_them(district: Path) -> None:
    """Fonts whose children Excel reordered still match, so the stylesheet does not grow."""
    written(district, owned_tables())
    root = etree.fromstring(members(district)["xl/styles.xml"])
    for font in root.iter(f"{MAIN}font"):
        font[:] = list(reversed(font))
    _, grew = ensure_looks(root)
    assert not grew


def test_a_chart_sheet_with_an_owned_name_is_refused(tmp_path: Path) -> None:
    """A chart sheet named like an owned tab is left alone, with a message saying what to do."""
    path = tmp_path / "district.xlsx"
    book = openpyxl.Workbook()
    book.create_chartsheet("Summary")
    book.save(path)
    before = path.read_bytes()
    with pytest.raises(
        WorkbookError, match=r"tab 'Summary' in .* is a chartsheet.*Rename that tab"
    ):
        written(path, [Table("Summary", (Column("School"),))])
    assert path.read_bytes() == before


def test_bad_tab_name_is_refused(district: Path) -> None:
    """A tab name Excel cannot open is refused before anything is written."""
    before = district.read_bytes()
    with pytest.raises(WorkbookError) as caught:
        written(district, [Table("Summary: 2025/26", (Column("School"),))])
    assert str(caught.value) == (
        "Cannot create a tab named 'Summary: 2025/26': the name contains one of [ ] : * ? / \\ "
        "or a control character. Choose another name under [tabs] in the config."
    )
    assert district.read_bytes() == before


def test_calamine_reads_the_result_like_the_original(district: Path) -> None:
    """The input tabs read the same before and after a write."""
    tabs = ["Schools", "Contact Log", "Charts"]
    before = XlsxWorkbook(district).read(tabs)
    written(district, owned_tables())
    assert XlsxWorkbook(district).read(tabs) == before
    assert CalamineWorkbook.from_path(str(district)).sheet_names[-2:] == ["Summary", "Data Issues"]


def _stored_data(raw: bytes, info: zipfile.ZipInfo) -> bytes:
    """A member's compressed bytes as stored after its local header."""
    name_len, extra_len = struct.unpack_from("<HH", raw, info.header_offset + 26)
    begin = info.header_offset + 30 + name_len + extra_len
    return raw[begin : begin + info.compress_size]


def test_the_school_column_stays_in_view(district: Path) -> None:
    """A table with a frozen first column (the Summary) keeps the header and the School in
    view; one without (Data Issues) keeps the header only."""
    wide = Table("Summary", (Column("School"), Column("Status")), [("Adams", "On track")], 1)
    narrow = Table("Data Issues", (Column("Severity"), Column("Problem")), [("error", "x")])
    written(district, [wide, narrow])
    book = openpyxl.load_workbook(district)
    assert book["Summary"].freeze_panes == "B2"
    assert book["Data Issues"].freeze_panes == "A2"
