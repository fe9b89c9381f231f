"""Content types and relationships left over in a package are reused, never duplicated."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
from lxml import etree
from xlsx_district import members, sheet_parts

from sheets_sync.adapters.xlsx import XlsxWorkbook
from sheets_sync.adapters.xlsx.package import NS_RELS, NS_TYPES, STYLES_TYPE, WORKSHEET_TYPE
from sheets_sync.core.table import Column, Table

REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
BOOK_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
SUMMARY = Table("Summary", (Column("School"), Column("Status", toned=True)), [("Adams", "ok")])


def hand_built(path: Path, *, types: str = "", rels: str = "", parts: dict[str, str]) -> Path:
    """A one-tab package written by hand, with extra content types, relationships and parts."""
    files = {
        "[Content_Types].xml": f'<Types xmlns="{NS_TYPES}">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{BOOK_TYPE}"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{WORKSHEET_TYPE}"/>'
        f"{types}</Types>",
        "_rels/.rels": f'<Relationships xmlns="{NS_RELS}"><Relationship Id="rId1" '
        f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
        '<sheet name="Schools" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{NS_RELS}">'
        f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
        f"{rels}</Relationships>",
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{MAIN}"><sheetData><row r="1">'
        '<c r="A1" t="inlineStr"><is><t>School</t></is></c></row></sheetData></worksheet>',
        **parts,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, xml in files.items():
            archive.writestr(name, xml)
    path.write_bytes(buffer.getvalue())
    return path


def overrides(path: Path, part: str) -> list[tuple[str | None, str | None]]:
    """Every Override naming `part` (part names ignore case), as (PartName, ContentType)."""
    root = etree.fromstring(members(path)["[Content_Types].xml"])
    found = [o for o in root if (o.get("PartName") or "").lower() == "/" + part.lower()]
    return [(o.get("PartName"), o.get("ContentType")) for o in found]


def test_an_orphan_override_is_reused_for_the_new_sheet(tmp_path: Path) -> None:
    """An Override left behind for a missing part is corrected and reused, not duplicated."""
    orphan = '<Override PartName="/XL/Worksheets/Sheet2.xml" ContentType="application/xml"/>'
    path = hand_built(tmp_path / "book.xlsx", types=orphan, parts={})
    XlsxWorkbook(path).write([SUMMARY])
    assert sheet_parts(path)["Summary"] == "xl/worksheets/sheet2.xml"
    assert overrides(path, "xl/worksheets/sheet2.xml") == [
        ("/xl/worksheets/sheet2.xml", WORKSHEET_TYPE)
    ]
    assert openpyxl.load_workbook(path)["Summary"]["A2"].value == "Adams"


def test_a_styles_relationship_to_a_missing_part_is_reused(tmp_path: Path) -> None:
    """With the styles part gone, the stylesheet is made at the relationship's own target."""
    rel = f'<Relationship Id="rId7" Type="{REL}/styles" Target="looks.xml"/>'
    path = hand_built(tmp_path / "book.xlsx", rels=rel, parts={})
    XlsxWorkbook(path).write([SUMMARY])

    after = members(path)
    rels = etree.fromstring(after["xl/_rels/workbook.xml.rels"])
    styles = [r.attrib for r in rels if (r.get("Type") or "").endswith("/styles")]
    assert styles == [{"Id": "rId7", "Type": f"{REL}/styles", "Target": "looks.xml"}]
    assert "xl/looks.xml" in after
    assert "xl/styles.xml" not in after
    assert overrides(path, "xl/looks.xml") == [("/xl/looks.xml", STYLES_TYPE)]
    bold = etree.fromstring(after["xl/looks.xml"]).find(f".//{{{MAIN}}}font/{{{MAIN}}}b")
    assert bold is not None  # the header's look went into the stylesheet that was made
    assert XlsxWorkbook(path).read([], owned=["Summary"])["Summary"] == [
        ["School", "Status"],
        ["Adams", "ok"],
    ]
