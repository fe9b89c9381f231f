"""A district workbook as people make them, built with openpyxl, for the xlsx backend's tests.

It holds what a careless writer would destroy: a chart, an image, a comment (with its VML
drawing), formulas, defined names (one local to a sheet), merged cells, conditional
formatting, data validation and custom document properties.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.drawing.image import Image
from openpyxl.formatting.rule import CellIsRule
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import PatternFill
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from sheets_sync.adapters.xlsx.container import ZipParts
from sheets_sync.adapters.xlsx.package import Book
from sheets_sync.core.table import Column, Table

SCHOOLS = [
    ("Adams Elementary", "0042", "ES", "Pat Lee", "plee@district.org", "Ana Ruiz", "North", "Yes"),
    ("Baker Middle", "0107", "MS", "Sam Cho", "scho@district.org", "Ana Ruiz", "North", "Yes"),
    ("Carver High", "0311", "HS", "Kim Diaz", "kdiaz@district.org", "Joe Park", "South", "Yes"),
]
SCHOOL_HEADER = (
    "School", "Code", "Level", "Principal", "Principal Email", "Facilitator", "Cluster", "Active"
)  # fmt: skip


def tiny_png() -> bytes:
    """A 2x2 red PNG, written by hand because Pillow is not a dependency."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    pixels = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(pixels))
        + chunk(b"IEND", b"")
    )


class PngImage(Image):
    """openpyxl's Image without Pillow: the bytes and size are given."""

    def __init__(self, data: bytes) -> None:
        self.ref = data
        self.width, self.height, self.format = 20, 20, "png"
        self._png = data

    def _data(self) -> bytes:
        return self._png


def build_district(path: Path) -> Path:
    wb = Workbook()
    schools = wb.active
    schools.title = "Schools"
    schools.append(SCHOOL_HEADER)
    for row in SCHOOLS:
        schools.append(row)
    schools["J1"] = "Schools listed"
    schools["J2"] = "=COUNTA(A2:A100)"
    schools["B2"].comment = Comment("Keep the leading zeros", "Ana Ruiz")
    schools.merge_cells("J4:L4")
    schools["J4"] = "Merged note"
    red = PatternFill(start_color="FFC7CE", end_color="FFC7CE", fill_type="solid")
    schools.conditional_formatting.add(
        "H2:H100", CellIsRule(operator="equal", formula=['"No"'], fill=red)
    )
    active = DataValidation(type="list", formula1='"Yes,No"', allow_blank=True)
    schools.add_data_validation(active)
    active.add("H2:H100")
    schools.add_image(PngImage(tiny_png()), "N2")

    contacts = wb.create_sheet("Contact Log")
    contacts.append(("Date", "School", "Facilitator", "Contact Type", "With", "Notes"))
    contacts.append(
        (date(2025, 9, 15), "Adams Elementary", "Ana Ruiz", "Site Visit", "Chair", "Plan")
    )
    contacts.append((date(2025, 10, 2), "Carver High", "Joe Park", "Phone", "", ""))

    charts = wb.create_sheet("Charts")
    charts.append(("Level", "Schools"))
    charts.append(("ES", 1))
    charts.append(("MS", 1))
    charts.append(("HS", 1))
    chart = BarChart()
    chart.add_data(Reference(charts, min_col=2, min_row=1, max_row=4), titles_from_data=True)
    chart.set_categories(Reference(charts, min_col=1, min_row=2, max_row=4))
    charts.add_chart(chart, "D2")
    charts["A6"] = "=SUM(B2:B4)"

    wb.defined_names["SchoolNames"] = DefinedName("SchoolNames", attr_text="Schools!$A$2:$A$100")
    charts.defined_names["LevelCounts"] = DefinedName("LevelCounts", attr_text="Charts!$B$2:$B$4")
    wb.custom_doc_props.append(StringProperty(name="District", value="Example Unified"))
    wb.save(path)
    return path


def owned_tables() -> list[Table]:
    summary = Table(
        "Summary",
        (
            Column("School", 28),
            Column("Code", 8),
            Column("Status", 16, toned=True),
            Column("Days Since Contact"),
        ),
        [
            ("Carver High", "0311", "Overdue", 45),
            ("Baker Middle", "0107", "Needs attention", 20),
            ("Adams Elementary", "0042", "On track", 3.5),
        ],
    )
    issues = Table(
        "Data Issues",
        (Column("Severity", toned=True), Column("Tab"), Column("Cell"), Column("Problem", 60)),
        [
            ("error", "Team Roster", "E7", "The email 'x@' is not a valid address."),
            ("warning", "Action Plan", "F3", None),
        ],
    )
    return [summary, issues]


def members(path: Path) -> dict[str, bytes]:
    """Every zip member's decompressed bytes."""
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def sheet_parts(path: Path) -> dict[str, str]:
    """Tab name -> worksheet member, read the way Excel finds them."""
    book = Book(ZipParts(path.read_bytes()))
    return {sheet.name: sheet.part for sheet in book.sheets() if sheet.part}


def rezip(path: Path, change: dict[str, bytes | None], level: int = 6) -> None:
    """Rewrite a zip with some members replaced, added, or (None) removed."""
    old = members(path)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, data in {**old, **change}.items():
            if data is not None:
                archive.writestr(name, data)
    path.write_bytes(buffer.getvalue())
