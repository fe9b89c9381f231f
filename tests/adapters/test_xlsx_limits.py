"""Hostile .xlsx files are refused from the zip's directory, before anything is unpacked."""

from __future__ import annotations

import os
import tracemalloc
import zipfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from xlsx_district import build_district, owned_tables, sheet_parts

from sheets_sync.adapters.xlsx import XlsxWorkbook
from sheets_sync.adapters.xlsx.limits import MAX_FILE_BYTES, MAX_PARTS
from sheets_sync.errors import WorkbookError
from tests.zip_bombs import (
    MB,
    Entry,
    deflated,
    one_huge_cell,
    stored_entries,
    with_part,
    write_zip,
)

FIX = (
    "Nothing was read or written. Restore the last good copy of the workbook (from a backup, "
    "or the version history of the folder it is shared from), then run again."
)


@pytest.fixture
def district(tmp_path: Path) -> Path:
    return build_district(tmp_path / "district.xlsx")


def refusal(path: Path, *, within_mb: float = 20) -> str:
    """The message a run gets, checking that the file stayed as it was and that the refusal
    cost no more than `within_mb` of Python memory (an unpacked bomb costs hundreds)."""
    before = path.read_bytes()
    tracemalloc.start()
    try:
        with pytest.raises(WorkbookError) as caught:
            XlsxWorkbook(path).read(["Schools", "Contact Log"])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < within_mb * MB + 2 * len(before), f"the refusal used {peak / MB:.0f} MB"
    assert path.read_bytes() == before
    return str(caught.value)


def test_one_cell_of_800_mb_is_refused_naming_the_tab(district: Path) -> None:
    """The issue's bomb: Schools replaced by one 800 MB cell, under 1 MB on disk."""
    schools = sheet_parts(district)["Schools"]
    with_part(district, district, schools, one_huge_cell(800))
    assert district.stat().st_size < MB
    assert refusal(district) == (
        f"The tab 'Schools' in {district} would unpack to 800 MB (its part {schools}), "
        "1,011 times its packed size: far beyond any district workbook (sheets-sync unpacks "
        "parts of up to 100 MB, and up to 100 times their packed size; a state's largest tab "
        f"is about 50 MB). The file is damaged or was built to exhaust memory. {FIX}"
    )


def test_a_bomb_under_the_size_limit_is_refused_by_its_ratio(district: Path) -> None:
    """20 MB that packs 1000:1 is within the size limit but no spreadsheet packs like that."""
    contacts = sheet_parts(district)["Contact Log"]
    with_part(district, district, contacts, one_huge_cell(20))
    assert "The tab 'Contact Log'" in refusal(district)
    assert "would unpack to 20 MB" in refusal(district)


def test_small_parts_may_pack_well(district: Path) -> None:
    """A tab of under 1 MB that packs 1000:1 (a long run of one character) is read."""
    contacts = sheet_parts(district)["Contact Log"]
    xml = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>' + b"x" * 900_000
    ) + b"</t></is></c></row></sheetData></worksheet>"
    with_part(district, district, contacts, deflated(xml))
    assert XlsxWorkbook(district).read(["Contact Log"])["Contact Log"] == [["x" * 900_000]]


def test_a_header_that_understates_a_part_unpacks_no_more_than_it_says(district: Path) -> None:
    """A part claiming 1,000 bytes that holds 800 MB is read as far as the claim, and fails."""
    schools = sheet_parts(district)["Schools"]
    with_part(district, district, schools, one_huge_cell(800), size=1000)
    message = refusal(district)
    assert message.startswith(f"{district} is not a readable .xlsx workbook")
    assert f"its part {schools} cannot be read" in message


def test_parts_that_add_up_past_the_total_are_refused(district: Path) -> None:
    """Three tabs claiming 80 MB each (each within the part limits) make 240 MB in all."""
    claims = dict.fromkeys(list(sheet_parts(district).values())[:3], 80 * MB)
    entries = [
        Entry(e.name, os.urandom(MB), 0, 0, claims[e.name]) if e.name in claims else e
        for e in stored_entries(district)
    ]
    write_zip(district, entries)
    assert refusal(district).startswith(
        f"{district} would unpack to 240 MB in all, far beyond any district workbook "
        "(sheets-sync unpacks up to 200 MB; a state's is about 80 MB)."
    )


def _add(district: Path, extra: Callable[[list[Entry]], list[Entry]], **kw: object) -> str:
    write_zip(district, extra(stored_entries(district)), **kw)  # type: ignore[arg-type]
    return refusal(district)


def _tiny(name: str) -> Entry:
    return Entry(name, b"x", 0, 0x8CDC1683, 1)  # "x" stored, with its CRC


@pytest.mark.parametrize(
    ("extra", "problem"),
    [
        (
            lambda es: (
                es + [_tiny(f"customXml/item{i}.xml") for i in range(MAX_PARTS + 1 - len(es))]
            ),
            f"it holds {MAX_PARTS + 1:,} parts (a workbook holds a few dozen; the limit is "
            f"{MAX_PARTS:,})",
        ),
        (
            lambda es: [*es, _tiny("../../etc/cron.d/evil")],
            "its part '../../etc/cron.d/evil' lies outside the package",
        ),
        (lambda es: [*es, _tiny("/etc/passwd")], "its part '/etc/passwd' lies outside the package"),
        (
            lambda es: [*es, _tiny("xl/../../x.xml")],
            "its part 'xl/../../x.xml' lies outside the package",
        ),
        (lambda es: [*es, _tiny("XL/Workbook.xml")], "it names the part 'XL/Workbook.xml' twice"),
        (
            lambda es: [*es, Entry("xl/b.xml", b"BZh9", zipfile.ZIP_BZIP2, 0, 4)],
            "its part 'xl/b.xml' is packed in a way spreadsheet programs do not use",
        ),
    ],
    ids=["too-many-parts", "dot-dot", "absolute", "inner-dot-dot", "twice", "bzip2"],
)
def test_a_directory_no_spreadsheet_program_writes_is_refused(
    district: Path, extra: Callable[[list[Entry]], list[Entry]], problem: str
) -> None:
    """Too many parts, names outside the package or twice, unbounded packing: refused."""
    assert _add(district, extra) == (
        f"{district} is not a workbook sheets-sync will open: {problem}. {FIX}"
    )


def test_overlapping_parts_are_refused(district: Path) -> None:
    """Two directory entries sharing one part's bytes (the 'overlapping files' bomb)."""
    COPY = "xl/worksheets/copy.xml"
    schools = sheet_parts(district)["Schools"]
    message = _add(
        district,
        lambda es: [*es, replace(next(e for e in es if e.name == schools), name=COPY)],
        same_data_as={COPY: schools},
    )
    assert message == (
        f"{district} is not a workbook sheets-sync will open: its parts {COPY!r} and "
        f"{schools!r} overlap. {FIX}"
    )


def test_a_file_far_larger_than_a_workbook_is_not_read_into_memory(tmp_path: Path) -> None:
    """A sparse file of 300 MB is refused from its size alone."""
    path = tmp_path / "district.xlsx"
    with path.open("wb") as file:
        file.truncate(MAX_FILE_BYTES + 1)
    tracemalloc.start()
    with pytest.raises(WorkbookError) as caught:
        XlsxWorkbook(path).read(["Schools"])
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 5 * MB
    assert str(caught.value) == (
        f"{path} is 256 MB, far larger than any district workbook (sheets-sync reads files of "
        "up to 256 MB; a state's is about 6 MB). Check [workbook] path in the config: it may "
        f"name the wrong file. {FIX}"
    )


def test_a_refused_workbook_is_not_written(district: Path) -> None:
    """A write on a poisoned file reads it first, is refused, and leaves it byte for byte."""
    schools = sheet_parts(district)["Schools"]
    with_part(district, district, schools, one_huge_cell(200))
    before = district.read_bytes()
    with pytest.raises(WorkbookError, match="The tab 'Schools'"):
        XlsxWorkbook(district).write(owned_tables())
    assert district.read_bytes() == before


_ENTITIES = (
    '<!DOCTYPE workbook [<!ENTITY xxe SYSTEM "file:///etc/passwd">'
    '<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    + "".join(
        f'<!ENTITY {n} "{("&" + p + ";") * 10}">' for p, n in zip("bcdefg", "cdefgh", strict=True)
    )
    + "]>"
)


@pytest.mark.parametrize("reference", ["&xxe;", "&h;"], ids=["external-entity", "billion-laughs"])
def test_entities_in_the_workbook_part_are_refused_unexpanded(
    district: Path, reference: str
) -> None:
    """A DOCTYPE with an external entity, or one that expands to 10^9 characters, in a tab's
    name: the file is refused as unreadable (nothing fetched, nothing expanded), and kept."""
    with zipfile.ZipFile(district) as package:
        xml = package.read("xl/workbook.xml").decode()
    head = xml.index("?>") + 2 if xml.startswith("<?xml") else 0
    xml = xml[:head] + _ENTITIES + xml[head:].replace('name="Contact Log"', f'name="C{reference}"')
    with_part(district, district, "xl/workbook.xml", deflated(xml.encode()))
    for act in (
        lambda: XlsxWorkbook(district).read(["Schools"]),
        lambda: XlsxWorkbook(district).write(owned_tables()),
    ):
        before = district.read_bytes()
        with pytest.raises(WorkbookError) as caught:
            act()
        assert str(caught.value).startswith(f"{district} is not a readable .xlsx workbook")
        assert district.read_bytes() == before
