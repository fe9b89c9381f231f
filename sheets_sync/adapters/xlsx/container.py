"""The .xlsx zip container: parts read on demand, untouched parts copied exactly as stored.

Recompressing every part on each write would cost about as much as reading the whole
workbook, and would rewrite bytes the run had no reason to touch. So the writer lays
out each untouched member's local header and compressed data verbatim (found through
the public `ZipInfo` fields) and writes a new central directory. Changed and new parts
are first compressed by `zipfile` into a scratch archive and copied out of it the same
way. A member whose stored form is unusual (zip64, encrypted, inconsistent headers) is
recompressed instead, and the result is checked with `zipfile` before it is used.
"""

from __future__ import annotations

import io
import lzma
import struct
import zipfile
import zlib
from typing import Any

# Record layouts from the zip specification (APPNOTE 4.3.7, 4.3.12, 4.3.16).
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_LOCAL_SIG = b"PK\x03\x04"
_CENTRAL_SIG = b"PK\x01\x02"
_END_SIG = b"PK\x05\x06"
_DESCRIPTOR_SIG = b"PK\x07\x08"
_ENCRYPTED = 0x01
_HAS_DESCRIPTOR = 0x08
_UTF8_NAME = 0x800
_ZIP64_EXTRA = 0x0001
# Beyond these the archive would need zip64 records; no workbook is that big.
_MAX_OFFSET = (1 << 31) - 1
_MAX_MEMBERS = 0xFFFF
# Fixed so that new parts do not depend on the clock and output is reproducible.
_NEW_PART_TIME = (1980, 1, 1, 0, 0, 0)
# What zipfile raises for a damaged or unusual archive or member: an encrypted member
# (RuntimeError), a compression method it lacks (NotImplementedError), a truncated or
# corrupt stream (EOFError, zlib.error, LZMAError, OSError from bz2).
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    lzma.LZMAError,
    NotImplementedError,
    RuntimeError,
    EOFError,
    OSError,
)


class PackageError(ValueError):
    """The file is not a zip package this writer can work on; the message says why."""


class ZipParts:
    """The members of a zip package by name, with replacements and removals pending."""

    def __init__(self, raw: bytes) -> None:
        self._raw = raw
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(raw))
        except _ZIP_ERRORS as exc:
            raise PackageError(f"it is not a valid zip package ({exc})") from exc
        self._infos: dict[str, zipfile.ZipInfo] = {}
        for info in self._zip.infolist():
            if info.filename in self._infos:
                raise PackageError(f"it holds the part {info.filename} twice")
            self._infos[info.filename] = info
        self._order = list(self._infos)
        self._keys = {name.lower(): name for name in self._order}
        self._new: dict[str, bytes] = {}
        self._removed: set[str] = set()

    @classmethod
    def empty(cls) -> ZipParts:
        buffer = io.BytesIO()
        zipfile.ZipFile(buffer, "w").close()
        return cls(buffer.getvalue())

    @property
    def changed(self) -> bool:
        return bool(self._new) or bool(self._removed)

    def find(self, name: str) -> str | None:
        """The member's actual name; part names in a package ignore ASCII case."""
        return self._keys.get(name.lower())

    def read(self, name: str) -> bytes:
        if name in self._new:
            return self._new[name]
        if name in self._removed or name not in self._infos:
            raise KeyError(name)
        return self.read_stored(name)

    def write(self, name: str, data: bytes) -> None:
        """Replace the named member's content, or add it at the end."""
        actual = self.find(name)
        if actual is None:
            self._order.append(name)
            self._keys[name.lower()] = name
        else:
            name = actual
            self._removed.discard(name)
        if name in self._infos and self._same_as_stored(name, data):
            self._new.pop(name, None)  # nothing to rewrite: keep the stored bytes
        else:
            self._new[name] = data

    def remove(self, name: str) -> None:
        actual = self.find(name)
        if actual is not None:
            self._removed.add(actual)
            self._new.pop(actual, None)

    def to_bytes(self) -> bytes:
        """The package as a zip file: untouched members verbatim, in their original order."""
        names = [n for n in self._order if n not in self._removed]
        stored: dict[str, bytes] = {}
        for name in names:
            if name in self._infos and name not in self._new:
                entry = self._stored_entry(self._raw, self._infos[name])
                if entry is not None:
                    stored[name] = entry
        fresh = self._compress([n for n in names if n not in stored])
        out = bytearray()
        central: list[bytes] = []
        for name in names:
            info, entry = (self._infos[name], stored[name]) if name in stored else fresh[name]
            central.append(_central_record(info, entry, len(out)))
            out += entry
        directory = b"".join(central)
        if len(out) + len(directory) > _MAX_OFFSET or len(names) > _MAX_MEMBERS:
            raise PackageError("it would be larger than 2 GB or hold more than 65,535 parts")
        comment = self._zip.comment
        count = len(names)
        end = _END.pack(_END_SIG, 0, 0, count, count, len(directory), len(out), len(comment))
        result = bytes(out + directory + end + comment)
        self._check(result, names)
        return result

    def _same_as_stored(self, name: str, data: bytes) -> bool:
        info = self._infos[name]
        if info.file_size != len(data) or zlib.crc32(data) != info.CRC:
            return False
        return self.read_stored(name) == data

    def read_stored(self, name: str) -> bytes:
        """The member as the original file holds it, whatever this run changed."""
        info = self._infos[name]
        try:
            with self._zip.open(info) as member:
                # Never more than the directory claims: a whole read would inflate all the
                # stored data first and cut it to size after (see limits.py).
                return member.read(info.file_size)
        except _ZIP_ERRORS as exc:
            raise _unreadable_part(info, exc) from exc

    def _compress(self, names: list[str]) -> dict[str, tuple[zipfile.ZipInfo, bytes]]:
        """Changed, new and oddly stored members, each compressed by `zipfile`, as raw entries."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as scratch:
            for name in names:
                scratch.writestr(self._new_info(name), self.read(name))
        raw = buffer.getvalue()
        result = {}
        for info in zipfile.ZipFile(io.BytesIO(raw)).infolist():
            entry = self._stored_entry(raw, info)
            if entry is None:  # zipfile's own output, so this would be a bug here
                raise PackageError(f"its part {info.filename} could not be laid out")
            result[info.filename] = (info, entry)
        return result

    def _new_info(self, name: str) -> zipfile.ZipInfo:
        """A member's identity for rewriting: kept from the original where there is one."""
        old = self._infos.get(name)
        info = zipfile.ZipInfo(name, old.date_time if old else _NEW_PART_TIME)
        keep_stored = old is not None and old.compress_type == zipfile.ZIP_STORED
        info.compress_type = zipfile.ZIP_STORED if keep_stored else zipfile.ZIP_DEFLATED
        if old is not None:
            info.external_attr = old.external_attr
            info.internal_attr = old.internal_attr
            info.create_system = old.create_system
            info.comment = old.comment
        else:
            info.external_attr = 0o644 << 16
        return info

    @staticmethod
    def _stored_entry(raw: bytes, info: zipfile.ZipInfo) -> bytes | None:
        """The member's local header, data and descriptor as stored, or None if unusual."""
        start = info.header_offset
        if info.volume or _has_zip64(info.extra) or start + _LOCAL.size > len(raw):
            return None
        fields = _LOCAL.unpack_from(raw, start)
        flags, name_len, extra_len = fields[3], fields[10], fields[11]
        name_at = start + _LOCAL.size
        name = raw[name_at : name_at + name_len]
        extra = raw[name_at + name_len : name_at + name_len + extra_len]
        if not _plain_header(fields, info, name, extra):
            return None
        end = name_at + name_len + extra_len + info.compress_size
        expected = (info.CRC, info.compress_size, info.file_size)
        if flags & _HAS_DESCRIPTOR:
            end += 4 if raw[end : end + 4] == _DESCRIPTOR_SIG else 0
            if end + 12 > len(raw) or struct.unpack_from("<3L", raw, end) != expected:
                return None
            end += 12
        elif tuple(fields[7:10]) != expected:
            return None
        return raw[start:end] if end <= len(raw) else None

    def _check(self, result: bytes, names: list[str]) -> None:
        """Reopen the new archive with zipfile, so a layout mistake can never reach the disk."""
        try:
            check = zipfile.ZipFile(io.BytesIO(result))
        except _ZIP_ERRORS as exc:
            raise PackageError(f"the rewritten package did not verify ({exc})") from exc
        if check.namelist() != names:
            raise PackageError("its rewritten member list does not match")
        for info in check.infolist():
            old = self._infos.get(info.filename)
            try:
                if info.filename in self._new or old is None:
                    check.read(info)  # verifies the CRC of what was just compressed
                elif (info.CRC, info.file_size) != (old.CRC, old.file_size):
                    raise PackageError(f"its part {info.filename} did not copy intact")
                else:
                    check.open(info).close()  # verifies the local header (and the method)
            except _ZIP_ERRORS as exc:
                raise _unreadable_part(info, exc) from exc


def _unreadable_part(info: zipfile.ZipInfo, exc: BaseException) -> PackageError:
    if info.flag_bits & _ENCRYPTED:  # zipfile's own message quotes the whole ZipInfo
        return PackageError(f"its part {info.filename} is encrypted")
    return PackageError(f"its part {info.filename} cannot be read ({exc})")


def _plain_header(
    fields: tuple[Any, ...], info: zipfile.ZipInfo, name: bytes, extra: bytes
) -> bool:
    """Whether a local header agrees with the directory and needs nothing this writer lacks."""
    signature, flags, method = fields[0], fields[3], fields[4]
    if signature != _LOCAL_SIG or flags & _ENCRYPTED or method != info.compress_type:
        return False
    try:
        same_name = name.decode("utf-8" if flags & _UTF8_NAME else "cp437") == info.orig_filename
    except UnicodeDecodeError:
        return False
    return same_name and not _has_zip64(extra)


def _has_zip64(extra: bytes) -> bool:
    at = 0
    while at + 4 <= len(extra):
        header_id, size = struct.unpack_from("<2H", extra, at)
        if header_id == _ZIP64_EXTRA:
            return True
        at += 4 + size
    return False


def _central_record(info: zipfile.ZipInfo, entry: bytes, offset: int) -> bytes:
    """The central directory record for `entry`, which now starts at `offset`."""
    name = entry[_LOCAL.size : _LOCAL.size + _LOCAL.unpack_from(entry)[10]]
    year, month, day, hour, minute, second = info.date_time
    dos_date = (year - 1980) << 9 | month << 5 | day
    dos_time = hour << 11 | minute << 5 | second // 2
    return (
        _CENTRAL.pack(
            _CENTRAL_SIG,
            info.create_version,
            info.create_system,
            info.extract_version,
            info.reserved,
            info.flag_bits,
            info.compress_type,
            dos_time,
            dos_date,
            info.CRC,
            info.compress_size,
            info.file_size,
            len(name),
            len(info.extra),
            len(info.comment),
            0,
            info.internal_attr,
            info.external_attr,
            offset,
        )
        + name
        + info.extra
        + info.comment
    )
