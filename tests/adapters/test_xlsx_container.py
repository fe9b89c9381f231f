"""Zips as other programs write them, and any text or number, survive the xlsx writer."""

from __future__ import annotations

import io
import math
import re
import tempfile
import zipfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from xlsx_district import build_district, members, owned_tables

from sheets_sync.adapters.xlsx import XlsxWorkbook
from sheets_sync.adapters.xlsx.container import ZipParts
from sheets_sync.core.table import Column, Table

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class _Unseekable:
    """A write-only stream, which makes zipfile use data descriptors like streaming writers."""

    def __init__(self) -> None:
        self.data = bytearray()

    def write(self, chunk: bytes) -> int:
        self.data += chunk
        return len(chunk)

    def flush(self) -> None:
        pass


def restream(path: Path, stored: str, zip64: str) -> None:
    """Rewrite the package with descriptors, one member stored and one with a zip64 header."""
    out = _Unseekable()
    with zipfile.ZipFile(out, "w") as archive:  # type: ignore[arg-type]
        for name, data in members(path).items():
            info = zipfile.ZipInfo(name, (2024, 5, 6, 7, 8, 10))
            info.compress_type = zipfile.ZIP_STORED if name == stored else zipfile.ZIP_DEFLATED
            with archive.open(info, "w", force_zip64=name == zip64) as member:
                member.write(data)
    path.write_bytes(bytes(out.data))


def test_streamed_zip_with_descriptors_stored_and_zip64_members(tmp_path: Path) -> None:
    """Members with data descriptors, stored or zip64 headers keep their content and kind."""
    path = build_district(tmp_path / "district.xlsx")
    restream(path, stored="xl/media/image1.png", zip64="xl/charts/chart1.xml")
    before = members(path)
    original = zipfile.ZipFile(path)
    assert all(i.flag_bits & 0x08 for i in original.infolist())
    XlsxWorkbook(path).write(owned_tables())

    after = zipfile.ZipFile(path)
    assert after.testzip() is None
    edited = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml"}
    for name, data in before.items():
        if name not in edited | {"xl/styles.xml"}:
            assert after.read(name) == data
    assert after.getinfo("xl/media/image1.png").compress_type == zipfile.ZIP_STORED
    assert after.getinfo("xl/charts/chart1.xml").date_time == (2024, 5, 6, 7, 8, 10)
    assert after.getinfo("xl/theme/theme1.xml").flag_bits & 0x08  # copied as it was


def test_parts_remember_only_real_changes() -> None:
    """Writing a member's own content back, or removing and re-adding it, is no change."""
    parts = ZipParts.empty()
    parts.write("a.xml", b"<a/>")
    archive = ZipParts(parts.to_bytes())
    archive.write("A.XML", b"<a/>")
    assert not archive.changed
    archive.remove("a.xml")
    archive.write("a.xml", b"<a/>")
    assert not archive.changed
    archive.write("a.xml", b"<b/>")
    assert archive.changed
    assert zipfile.ZipFile(io.BytesIO(archive.to_bytes())).namelist() == ["a.xml"]


def _expected(value: str) -> str:
    return _NOT_XML.sub("", value)[:32_767]


@settings(max_examples=30, deadline=None)
@given(
    texts=st.lists(st.text(max_size=40), min_size=1, max_size=8),
    numbers=st.lists(
        st.one_of(st.integers(-(2**53), 2**53), st.floats(allow_nan=False, allow_infinity=False)),
        min_size=1,
        max_size=8,
    ),
)
def test_any_text_and_number_read_back(texts: list[str], numbers: list[float]) -> None:
    """Whatever text or finite number a table holds, calamine reads back the same."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "district.xlsx"
        path.write_bytes(_BASE)
        rows = [(t, n) for t, n in zip(texts, numbers, strict=False)]
        XlsxWorkbook(path).write([Table("Summary", (Column("Text"), Column("Number")), rows)])
        grid = XlsxWorkbook(path).read(["Summary"])["Summary"] or []
    assert [r[0] for r in grid[1:]] == [_expected(t) for t, _ in rows]
    assert [r[1] for r in grid[1:]] == [n for _, n in rows]


def test_non_finite_numbers_become_text(tmp_path: Path) -> None:
    """NaN and infinity, which a spreadsheet cannot store as numbers, are written as text."""
    path = tmp_path / "district.xlsx"
    path.write_bytes(_BASE)
    table = Table("Summary", (Column("N"),), [(math.nan,), (math.inf,)])
    XlsxWorkbook(path).write([table])
    assert XlsxWorkbook(path).read(["Summary"])["Summary"] == [["N"], ["nan"], ["inf"]]


def _base() -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        return build_district(Path(folder) / "district.xlsx").read_bytes()


_BASE = _base()
