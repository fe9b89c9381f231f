"""How far a worksheet's cells reach, checked before calamine lays them out.

calamine stores a sheet as one dense rectangle from its first to its last value, so a
single stray value in XFD1 and another in A1048576 asks for 17 billion cells and the Rust
allocator aborts the whole process; one in A1048576 alone costs hundreds of megabytes
once it is Python lists. The worksheet's XML is therefore measured first, from the `r`
references its cells carry, and a tab reaching past `MAX_CELLS` is refused with a
message saying how to repair it.
"""

from __future__ import annotations

import re
from pathlib import Path

from sheets_sync.adapters.workbook import MAX_CELLS
from sheets_sync.core.grid import Grid
from sheets_sync.core.issues import column_letter
from sheets_sync.errors import WorkbookError

_COLUMN = re.compile(rb'r="([A-Z]{1,3})[0-9]')  # a cell reference's letters
_ROW = re.compile(rb'r="[A-Z]{0,3}([0-9]{1,7})"')  # a row's or a cell's row number
# A cell with a value (or a formula) inside; one without only carries formatting, which
# calamine does not lay out.
_FILLED = re.compile(
    rb'<(?:[\w.-]+:)?c\s[^>]*?r="([A-Z]{1,3})([0-9]{1,7})"[^>]*(?<!/)>'
    rb"\s*<(?:[\w.-]+:)?(?:v|is|f)[\s>/]"
)
_TAIL = 4096


def reach(xml: bytes, budget: int = MAX_CELLS) -> tuple[int, int]:
    """The last row and column (1-based) holding a value, or beyond while still within
    `budget` cells; (0, 0) if none.

    Cheap first: every cell's letters, and the row numbers at the end of sheetData
    (spreadsheet programs store rows in ascending order). Only a sheet that looks bigger
    than `budget` is searched cell by cell for values, so formatting far away is no fault.
    Cells without references are not counted; calamine places them one after another, so
    their reach grows only with the size of the file.
    """
    columns = max((_column_number(c) for c in set(_COLUMN.findall(xml))), default=0)
    rows = _last_row(xml, _ROW)
    if rows * columns <= budget:
        return rows, columns
    rows = _last_row(xml, _FILLED, group=2)
    if rows * columns <= budget or _has_value_in(xml, columns):
        return rows, columns
    # One match at a time: a list of millions of matches would cost more than the tab.
    letters = {match.group(1) for match in _FILLED.finditer(xml)}
    return rows, max((_column_number(c) for c in letters), default=0)


def check_reach(path: Path, tab: str, rows: int, columns: int) -> None:
    """Refuse a tab whose cells would cover more than `MAX_CELLS`, saying how to repair it."""
    if rows * columns > MAX_CELLS:
        raise WorkbookError(
            f"The tab {tab!r} in {path} reaches cell {column_letter(columns)}{rows} "
            f"({rows:,} rows by {columns:,} columns), more than the {MAX_CELLS:,} cells "
            "sheets-sync reads. A value far below or right of the data makes the tab huge: "
            "press Ctrl+End on that tab to find it, delete the stray rows and columns "
            "beyond the data, save, and run again."
        )


def trimmed(grid: Grid) -> Grid:
    """The grid without blank cells at the end of each row or blank rows at the bottom."""
    for row in grid:
        while row and row[-1] == "":
            row.pop()
    while grid and not grid[-1]:
        grid.pop()
    return grid


def _last_row(xml: bytes, pattern: re.Pattern[bytes], group: int = 1) -> int:
    """The highest row number `pattern` finds, looking back from the end of sheetData."""
    end = xml.rfind(b"sheetData>")
    end = len(xml) if end < 0 else end
    size = _TAIL
    while True:
        start = max(0, end - size)
        rows = [int(m.group(group)) for m in pattern.finditer(xml, start, end)]
        if rows or start == 0:
            return max(rows, default=0)
        size *= 16


def _has_value_in(xml: bytes, column: int) -> bool:
    """Whether any cell of that column holds a value (usually found in the first rows)."""
    letters = column_letter(column).encode()
    pattern = _FILLED.pattern.replace(rb"([A-Z]{1,3})", letters, 1)
    return re.search(pattern, xml) is not None


def _column_number(letters: bytes) -> int:
    """b"A" -> 1, b"AA" -> 27, b"XFD" -> 16384."""
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number
