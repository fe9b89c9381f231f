"""Hostile .xlsx files made cheaply: a part that inflates 1000:1, headers that lie about it,
overlapping entries, too many parts, names outside the package.

A bomb's deflate stream is one small compressed block repeated: after a full flush zlib
forgets its history, so each identical chunk compresses to identical bytes, and an 800 MB
part costs a copy of 800 kB, not 800 MB of compression.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from dataclasses import dataclass, replace
from pathlib import Path

_LOCAL = struct.Struct("<4s5H3L2H")
_CENTRAL = struct.Struct("<4s6H3L5H2L")
_END = struct.Struct("<4s4H2LH")
MB = 1 << 20


@dataclass(frozen=True)
class Entry:
    """One zip member as it goes on disk: its name, how it is stored, and what it claims."""

    name: str
    data: bytes  # as stored (compressed when method is 8)
    method: int
    crc: int
    size: int  # the uncompressed size the headers claim


def stored_entries(path: Path) -> list[Entry]:
    """Every member of a zip file as it is stored, without inflating anything."""
    raw = path.read_bytes()
    entries = []
    with zipfile.ZipFile(path) as book:
        for info in book.infolist():
            name_len, extra_len = struct.unpack_from("<2H", raw, info.header_offset + 26)
            start = info.header_offset + 30 + name_len + extra_len
            data = raw[start : start + info.compress_size]
            entries.append(Entry(info.filename, data, info.compress_type, info.CRC, info.file_size))
    return entries


def deflated(data: bytes) -> Entry:
    """A nameless entry holding `data`, deflated honestly."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return Entry("", packer.compress(data) + packer.flush(), 8, zlib.crc32(data), len(data))


def repeated(head: bytes, chunk: bytes, times: int, tail: bytes) -> Entry:
    """A nameless entry holding head + chunk * times + tail, honest in every header."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)
    block = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    again = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    assert block == again, "zlib did not repeat itself after a full flush"
    end = packer.compress(tail) + packer.flush()
    crc = zlib.crc32(head)
    for _ in range(times):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + len(chunk) * times + len(tail)
    return Entry("", start + block * times + end, 8, crc, size)


def one_huge_cell(megabytes: int) -> Entry:
    """A worksheet of one inline-string cell holding `megabytes` MB of text."""
    head = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    head += b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'
    tail = b"</t></is></c></row></sheetData></worksheet>"
    return repeated(head, b"x" * MB, megabytes, tail)


def with_part(source: Path, target: Path, part: str, entry: Entry, **claims: int) -> Path:
    """`source` with `part`'s content replaced by `entry`; `claims` (size, crc) overrides
    what the headers say, to make them lie."""
    entries = [
        replace(entry, name=e.name, **claims) if e.name == part else e
        for e in stored_entries(source)
    ]
    assert any(e.name == part for e in entries), f"{source} has no part {part}"
    return write_zip(target, entries)


def write_zip(
    target: Path, entries: list[Entry], *, same_data_as: dict[str, str] | None = None
) -> Path:
    """A zip of these entries. `same_data_as` points a name's directory record at another
    entry's local header, so the two overlap (the 'overlapping files' bomb)."""
    out = bytearray()
    offsets: dict[str, int] = {}
    central = bytearray()
    aliases = same_data_as or {}
    for entry in entries:
        name = entry.name.encode()
        if entry.name not in aliases:
            offsets[entry.name] = len(out)
            out += _LOCAL.pack(
                b"PK\x03\x04", 20, 0x800, entry.method, 0, 0x21,
                entry.crc, len(entry.data), entry.size, len(name), 0,
            )  # fmt: skip
            out += name + entry.data
    for entry in entries:
        name = entry.name.encode()
        offset = offsets[aliases.get(entry.name, entry.name)]
        central += _CENTRAL.pack(
            b"PK\x01\x02", 20, 20, 0x800, entry.method, 0, 0x21,
            entry.crc, len(entry.data), entry.size, len(name), 0, 0, 0, 0, 0o644 << 16, offset,
        )  # fmt: skip
        central += name
    count = len(entries)
    end = _END.pack(b"PK\x05\x06", 0, 0, count, count, len(central), len(out), 0)
    target.write_bytes(bytes(out + central + end))
    return target


def junk_rows(rows: int, header: tuple[str, ...]) -> Entry:
    """A worksheet of `header` over `rows` rows of small numbers, one under each header: a
    pasted block of nonsense, every cell of which is wrong, packing about 7:1 like real data."""
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    letters = "ABCDEFGHIJ"[: len(header)]
    top = "".join(
        f'<c r="{c}1" t="inlineStr"><is><t>{title}</t></is></c>'
        for c, title in zip(letters, header, strict=True)
    )
    body = [f'<worksheet xmlns="{ns}"><sheetData><row r="1">{top}</row>']
    for r in range(2, rows + 2):
        cells = "".join(f'<c r="{c}{r}"><v>{r % (97 - i)}</v></c>' for i, c in enumerate(letters))
        body.append(f'<row r="{r}">{cells}</row>')
    body.append("</sheetData></worksheet>")
    return deflated("".join(body).encode())
