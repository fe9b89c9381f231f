"""A real spreadsheet program opens what the xlsx backend wrote (LibreOffice, when installed)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from openpyxl.comments import Comment
from xlsx_district import build_district, members, owned_tables, sheet_parts

from sheets_sync.adapters.xlsx import XlsxWorkbook
from sheets_sync.core.table import Column, Table

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        SOFFICE is None,
        reason="LibreOffice is not installed (apt-get install libreoffice-calc-nogui); "
        "this check opens a written workbook in a real spreadsheet program",
    ),
]


@pytest.fixture(scope="module")
def profile(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A private LibreOffice profile, shared by this module's tests (the first start is slow)."""
    return tmp_path_factory.mktemp("lo-profile").as_uri()


def resaved_by_libreoffice(path: Path, out: Path, profile: str) -> Path:
    """Open the workbook in LibreOffice and save it again as .xlsx into `out`; the copy."""
    command = [SOFFICE or "soffice", f"-env:UserInstallation={profile}", "--headless"]
    command += ["--norestore", "--convert-to", "xlsx", "--outdir", str(out), str(path)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    result = out / path.name
    assert result.exists(), f"LibreOffice did not convert the file: {done.stdout} {done.stderr}"
    return result


def test_libreoffice_reads_owned_and_input_tabs(tmp_path: Path, profile: str) -> None:
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

    copy = resaved_by_libreoffice(path, tmp_path / "resaved", profile)
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


def test_libreoffice_opens_a_replaced_tab_that_had_comments(tmp_path: Path, profile: str) -> None:
    """A replaced owned tab whose comments and formulas were dropped still opens cleanly."""
    path = tmp_path / "district.xlsx"
    made = openpyxl.Workbook()
    made.active.title = "Schools"
    summary = made.create_sheet("Summary")
    summary["A1"] = "=1+1"
    summary["B2"].comment = Comment("old note", "someone")
    made.save(path)
    XlsxWorkbook(path).write([Table("Summary", (Column("School"),), [("Adams",)])])

    copy = resaved_by_libreoffice(path, tmp_path / "resaved", profile)
    assert XlsxWorkbook(copy).read(["Summary"])["Summary"] == [["School"], ["Adams"]]
    assert not any(name.startswith("xl/comments") for name in members(copy))


def test_a_workbook_saved_by_libreoffice_takes_a_write(tmp_path: Path, profile: str) -> None:
    """A file LibreOffice wrote (its own parts, shared strings, styles) is written and reopened."""
    path = build_district(tmp_path / "district.xlsx")
    XlsxWorkbook(path).write(owned_tables())
    theirs = resaved_by_libreoffice(path, tmp_path / "resaved", profile)
    before = members(theirs)
    tables = [Table("Summary", (Column("School"), Column("Status", toned=True)), [("B", "ok")])]
    XlsxWorkbook(theirs).write(tables)
    after = members(theirs)
    changed = {name for name in before if after.get(name) != before[name]}
    assert changed <= {sheet_parts(theirs)["Summary"], "xl/styles.xml"}

    copy = resaved_by_libreoffice(theirs, tmp_path / "again", profile)
    grids = XlsxWorkbook(copy).read(["Summary", "Data Issues"])
    assert grids["Summary"] == [["School", "Status"], ["B", "ok"]]
    assert grids["Data Issues"] == XlsxWorkbook(theirs).read(["Data Issues"])["Data Issues"]
