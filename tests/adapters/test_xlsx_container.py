"""Zips as other programs write them, and any text or number, survive the xlsx writer."""

from __future__ import annotations

import io
import math
import struct
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from xlsx_district import build_district, members, owned_tables

from sheets_sync.adapters.xlsx import XlsxWorkbook
from sheets_sync.adapters.xlsx.container import ZipParts
from sheets_sync.core.table import Column, Table
from sheets_sync.errors import WorkbookError

# Characters XML 1.0 can hold (its `Char` production), which must read back unchanged.
XML_TEXT = st.text(
    st.characters(
        min_codepoint=0x20, blacklist_categories=("Cs",), blacklist_characters="\ufffe\uffff"
    )
    | st.sampled_from("\t\n\r"),
    max_size=40,
)


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


@settings(max_examples=30, deadline=None)
@given(
    texts=st.lists(XML_TEXT, min_size=1, max_size=8),
    numbers=st.lists(
        st.one_of(st.integers(-(2**53), 2**53), st.floats(allow_nan=False, allow_infinity=False)),
        min_size=1,
        max_size=8,
    ),
)
def test_any_text_and_number_read_back(texts: list[str], numbers: list[float]) -> None:
    """Any text XML can hold and any finite number read back exactly as written."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "district.xlsx"
        path.write_bytes(_BASE)
        rows = [(t, n) for t, n in zip(texts, numbers, strict=False)]
        XlsxWorkbook(path).write([Table("Summary", (Column("Text"), Column("Number")), rows)])
        grid = XlsxWorkbook(path).read(["Summary"])["Summary"] or []
    assert [r[0] for r in grid[1:]] == [t for t, _ in rows]
    assert [r[1] for r in grid[1:]] == [n for _, n in rows]


@pytest.mark.parametrize(
    ("text", "read_back"),
    [
        ("a\x00b", "ab"),  # NUL
        ("a\x0bb", "ab"),  # vertical tab
        ("\x01\x08\x0c\x0e\x1f", ""),  # the other C0 controls but tab, LF and CR
        ("a\ud800b", "ab"),  # a lone surrogate
        ("\udfff", ""),  # the other end of the surrogate range
        ("a\ufffeb", "ab"),  # the two noncharacters XML excludes
        ("a\uffffb", "ab"),
        ("\t\n\r", "\t\n\r"),  # the controls XML allows stay
        ("\ufffd\U0001f600", "\ufffd\U0001f600"),  # replacement character, astral emoji
    ],
)
def test_characters_xml_cannot_hold_are_dropped(tmp_path: Path, text: str, read_back: str) -> None:
    """Each character XML 1.0 cannot hold is dropped from cell text; legal neighbours stay."""
    path = tmp_path / "district.xlsx"
    path.write_bytes(_BASE)
    XlsxWorkbook(path).write([Table("Summary", (Column("Text"), Column("End")), [(text, 1)])])
    assert XlsxWorkbook(path).read(["Summary"])["Summary"] == [["Text", "End"], [read_back, 1]]


def set_member(path: Path, name: str, *, flags: int = 0, method: int | None = None) -> None:
    """Mark one member as encrypted (flag bit 0) or compressed by `method`, in both headers."""
    raw = bytearray(path.read_bytes())
    local = zipfile.ZipFile(io.BytesIO(bytes(raw))).getinfo(name).header_offset
    central = struct.unpack_from("<L", raw, raw.rfind(b"PK\x05\x06") + 16)[0]
    while True:  # walk the central directory's records to the member's
        name_len, extra_len, comment_len = struct.unpack_from("<3H", raw, central + 28)
        if raw[central + 46 : central + 46 + name_len] == name.encode():
            break
        central += 46 + name_len + extra_len + comment_len
    for flags_at in (local + 6, central + 8):  # the method follows the flags in both
        raw[flags_at] |= flags
        if method is not None:
            struct.pack_into("<H", raw, flags_at + 2, method)
    path.write_bytes(bytes(raw))


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"flags": 0x01}, "is encrypted"),
        ({"method": 9}, "cannot be read (That compression method is not supported)"),  # Deflate64
    ],
    ids=["encrypted", "deflate64"],
)
def test_member_zipfile_cannot_read_is_refused_with_what_to_do(
    tmp_path: Path, change: dict[str, int], reason: str
) -> None:
    """An encrypted member, or one compressed in a way zipfile lacks, is a WorkbookError."""
    path = tmp_path / "district.xlsx"
    path.write_bytes(_BASE)
    set_member(path, "xl/media/image1.png", **change)
    before = path.read_bytes()
    with pytest.raises(WorkbookError) as caught:
        XlsxWorkbook(path).write(owned_tables())
    assert str(caught.value) == (
        f"Cannot write into {path}: its part xl/media/image1.png {reason}. "
        "Nothing was written. Open the file in Excel or LibreOffice and save it as Excel "
        "Workbook (.xlsx), then run again."
    )
    assert path.read_bytes() == before


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
