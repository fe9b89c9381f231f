"""Limits a workbook file must keep before anything in it is unpacked.

An .xlsx is a zip, and a zip's directory says what each part unpacks to. A hostile or
broken file can make a small file unpack to gigabytes (one 800 MB cell compresses to under
1 MB), point two parts at the same bytes, or name a part outside the package. All of that
is visible in the directory, so it is checked there, before any part is inflated. The
readers keep to what the directory claims: calamine refuses a part that unpacks to more
than its declared size, and `zipfile` stops there and then fails the part's checksum.

The bounds come from the largest workbook sheets-sync supports: at state scale (2,000
schools, `benchmarks/cycle.py`) the file is 5.7 MB and unpacks to 80 MB, its largest part
(the Contact Log) to 50 MB, at most 16 times its packed size. The limits leave room for
twice that and refuse what no spreadsheet program writes.
"""

from __future__ import annotations

import io
import posixpath
import struct
import zipfile
from itertools import pairwise
from pathlib import Path

from sheets_sync.adapters.xlsx.container import PackageError, ZipParts
from sheets_sync.adapters.xlsx.package import Book
from sheets_sync.errors import WorkbookError

MB = 1 << 20
MAX_FILE_BYTES = 256 * MB  # on disk: the whole file is read into memory each run
MAX_PARTS = 10_000  # a workbook holds a few dozen; one per tab, image and chart
MAX_PART_BYTES = 100 * MB  # unpacked, one part
MAX_TOTAL_BYTES = 200 * MB  # unpacked, all parts together
MAX_RATIO = 100  # unpacked / packed, for parts over RATIO_FROM_BYTES
RATIO_FROM_BYTES = MB  # small parts cannot cost much whatever their ratio

_LOCAL_HEADER = struct.Struct("<4s22x2H")  # signature, then the name and extra lengths
_LOCAL_SIG = b"PK\x03\x04"
# zipfile inflates these without a bound on what comes out; no spreadsheet program uses them.
_UNBOUNDED = (zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA)
_FIX = (
    "Nothing was read or written. Restore the last good copy of the workbook (from a backup, "
    "or the version history of the folder it is shared from), then run again."
)


def check_file_size(path: Path, size: int) -> None:
    """Refuse a file too large to be a district workbook, before reading it into memory."""
    if size > MAX_FILE_BYTES:
        raise WorkbookError(
            f"{path} is {size / MB:,.0f} MB, far larger than any district workbook "
            f"(sheets-sync reads files of up to {MAX_FILE_BYTES // MB} MB; a state's is "
            "about 6 MB). Check [workbook] path in the config: it may name the wrong file. " + _FIX
        )


def check_package(path: Path, data: bytes) -> None:
    """Refuse a package whose directory breaks a limit, naming the tab where it can (the
    file's own size was checked before it was read: `check_file_size`)."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return  # not a zip at all: the reader says so in its own words
    infos = package.infolist()
    problem = _layout_problem(infos, data)
    if problem:
        raise WorkbookError(f"{path} is not a workbook sheets-sync will open: {problem}. {_FIX}")
    oversized = [info for info in infos if _size_problem(info)]
    total = sum(info.file_size for info in infos)
    if not oversized and total <= MAX_TOTAL_BYTES:
        return
    # The tab names come from structure parts; read them only if those passed.
    only_sheets = all(info.filename.startswith("xl/worksheets/") for info in oversized)
    tabs = _tab_names(data) if only_sheets else {}
    if oversized:
        info = max(oversized, key=lambda i: i.file_size)
        tab = tabs.get(info.filename)
        where = f"The tab {tab!r} in {path}" if tab else f"The part {info.filename} of {path}"
        part = f" (its part {info.filename})" if tab else ""
        raise WorkbookError(
            f"{where} would unpack to {_mb(info.file_size)}{part}, "
            f"{_ratio(info)} times its packed size: far beyond any district workbook "
            f"(sheets-sync unpacks parts of up to {MAX_PART_BYTES // MB} MB, and up to "
            f"{MAX_RATIO} times their packed size; a state's largest tab is about 50 MB). "
            f"The file is damaged or was built to exhaust memory. {_FIX}"
        )
    raise WorkbookError(
        f"{path} would unpack to {_mb(total)} in all, far beyond any district workbook "
        f"(sheets-sync unpacks up to {MAX_TOTAL_BYTES // MB} MB; a state's is about 80 MB). "
        f"The file is damaged or was built to exhaust memory. {_FIX}"
    )


def _layout_problem(infos: list[zipfile.ZipInfo], data: bytes) -> str:
    """What is wrong with the directory itself, or ''."""
    if len(infos) > MAX_PARTS:
        count = f"{len(infos):,}"
        return f"it holds {count} parts (a workbook holds a few dozen; the limit is {MAX_PARTS:,})"
    seen: set[str] = set()
    for info in infos:
        name = info.filename
        normal = posixpath.normpath(name.replace("\\", "/"))
        if name.startswith(("/", "\\")) or normal == ".." or normal.startswith("../"):
            return f"its part {name!r} lies outside the package"
        if "\x00" in name or normal.lower() in seen:
            return f"it names the part {name!r} twice"
        seen.add(normal.lower())
        if info.compress_type in _UNBOUNDED:
            return f"its part {name!r} is packed in a way spreadsheet programs do not use"
    return _overlap_problem(infos, data)


def _overlap_problem(infos: list[zipfile.ZipInfo], data: bytes) -> str:
    """Each part's stored bytes must lie inside the file and apart from every other's."""
    spans = []
    for info in infos:
        start = info.header_offset
        if start < 0 or start + _LOCAL_HEADER.size > len(data):
            return f"its part {info.filename!r} lies outside the file"
        signature, name_len, extra_len = _LOCAL_HEADER.unpack_from(data, start)
        end = start + _LOCAL_HEADER.size + name_len + extra_len + info.compress_size
        if signature != _LOCAL_SIG or end > len(data):
            return f"its part {info.filename!r} lies outside the file"
        spans.append((start, end, info.filename))
    spans.sort()
    for (_, end, name), (start, _, other) in pairwise(spans):
        if start < end:
            return f"its parts {name!r} and {other!r} overlap"
    return ""


def _size_problem(info: zipfile.ZipInfo) -> bool:
    if info.file_size > MAX_PART_BYTES:
        return True
    return info.file_size > RATIO_FROM_BYTES and info.file_size > MAX_RATIO * max(
        info.compress_size, 1
    )


def _tab_names(data: bytes) -> dict[str, str]:
    """Worksheet part -> tab name, read from the workbook's small structure parts."""
    try:
        return {s.part: s.name for s in Book(ZipParts(data)).sheets() if s.part}
    except (PackageError, KeyError, ValueError):  # a name is a courtesy; the refusal stands
        return {}


def _ratio(info: zipfile.ZipInfo) -> str:
    return f"{info.file_size / max(info.compress_size, 1):,.0f}"


def _mb(size: int) -> str:
    return f"{size / MB:,.0f} MB"
