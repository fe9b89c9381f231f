"""A1 notation: parsing what clients send and writing ranges the way Google echoes them.

Indexes are zero-based and half-open, as in the API's `GridRange`: rows ``[r0, r1)`` and
columns ``[c0, c1)``; ``None`` for an end means "to the edge of the grid".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sheets_sync.core.issues import column_letter

MAX_COLUMNS = 18278  # ZZZ

_CELL = re.compile(r"\$?([A-Za-z]{0,3})\$?(\d*)")
_R1C1 = re.compile(r"[Rr](\d*)[Cc](\d*)")
_CELL_LIKE = re.compile(r"[A-Za-z]{1,3}\d+|[Rr]\d*[Cc]\d*")


@dataclass(frozen=True)
class Box:
    """A rectangle of a sheet; ends may be open (``None``)."""

    r0: int
    r1: int | None
    c0: int
    c1: int | None


@dataclass(frozen=True)
class RangeText:
    """A range split into its sheet title (``None`` if absent) and the part after ``!``."""

    title: str | None
    cells: str | None


def column_letters(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    return column_letter(index + 1)


def column_index(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def quote_title(title: str) -> str:
    """A title as Google writes it before ``!``: bare when plain, else in single quotes."""
    plain = title[:1].isalpha() or title[:1] == "_"
    plain = plain and all(ch.isalnum() or ch == "_" for ch in title)
    if plain and not _CELL_LIKE.fullmatch(title):
        return title
    return "'" + title.replace("'", "''") + "'"


def cell_name(row: int, col: int) -> str:
    return f"{column_letters(col)}{row + 1}"


def format_box(r0: int, r1: int, c0: int, c1: int) -> str:
    """``A1:C3``, or ``D4`` for a single cell."""
    start = cell_name(r0, c0)
    if r1 - r0 == 1 and c1 - c0 == 1:
        return start
    return f"{start}:{cell_name(r1 - 1, c1 - 1)}"


def format_range(title: str, r0: int, r1: int, c0: int, c1: int) -> str:
    return f"{quote_title(title)}!{format_box(r0, r1, c0, c1)}"


def split_range(text: str) -> RangeText:
    """Separates ``'My Tab'!A1:B2`` into title and cells; a lone word stays in ``cells``."""
    text = text.strip()
    if text.startswith("'"):
        title, rest = _read_quoted(text)
        if title is None:
            return RangeText(None, text)
        if rest == "":
            return RangeText(title, None)
        if rest.startswith("!"):
            return RangeText(title, rest[1:] or None)
        return RangeText(None, text)
    if "!" in text:
        title, _, cells = text.rpartition("!")
        return RangeText(title, cells or None)
    return RangeText(None, text)


def _read_quoted(text: str) -> tuple[str | None, str]:
    i = 1
    out = []
    while i < len(text):
        ch = text[i]
        if ch == "'":
            if text[i + 1 : i + 2] == "'":
                out.append("'")
                i += 2
                continue
            return "".join(out), text[i + 1 :]
        out.append(ch)
        i += 1
    return None, text


def parse_cells(cells: str) -> Box | None:
    """``A1``, ``A1:C3``, ``A:C``, ``2:5``, ``A2:C``, ``A2:2``, ``R1C1:R2C3``; None if not A1."""
    parts = cells.strip().split(":")
    if len(parts) == 1:
        point = _point(parts[0])
        if point is None:
            return None
        row, col = point
        if row is None or col is None:
            return None
        return Box(row, row + 1, col, col + 1)
    if len(parts) != 2:
        return None
    start, end = _point(parts[0]), _point(parts[1])
    if start is None or end is None:
        return None
    rows = [r for r in (start[0], end[0]) if r is not None]
    cols = [c for c in (start[1], end[1]) if c is not None]
    if not rows and not cols:
        return None
    both_rows = start[0] is not None and end[0] is not None
    both_cols = start[1] is not None and end[1] is not None
    r0 = min(rows) if rows else 0
    r1 = max(rows) + 1 if both_rows else None
    c0 = min(cols) if cols else 0
    c1 = max(cols) + 1 if both_cols else None
    return Box(r0, r1, c0, c1)


def _point(text: str) -> tuple[int | None, int | None] | None:
    """(row, col) of one end of a range; either may be missing (``A`` or ``3``).

    A1 is tried first, so ``RC1`` is column RC; ``R2C3`` is not A1, so it is R1C1."""
    text = text.strip()
    match = _CELL.fullmatch(text)
    if match and (match.group(1) or match.group(2)):
        letters, digits = match.groups()
        row = int(digits) - 1 if digits else None
        if row is not None and row < 0:
            return None
        return row, column_index(letters) if letters else None
    r1c1 = _R1C1.fullmatch(text)
    if r1c1 and (r1c1.group(1) or r1c1.group(2)):
        row = int(r1c1.group(1)) - 1 if r1c1.group(1) else None
        col = int(r1c1.group(2)) - 1 if r1c1.group(2) else None
        if (row is not None and row < 0) or (col is not None and col < 0):
            return None
        return row, col
    return None
