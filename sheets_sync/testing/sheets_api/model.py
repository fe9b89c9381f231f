"""The spreadsheets the stand-in keeps in memory, and the grid operations on them.

A `Sheet` holds its cells densely (a list of rows of `Cell | None`, only as far as
anything was written) plus everything Google keeps beside the cells: merges, protected
ranges, conditional formats, the basic filter, dimension sizes and groups. Every method
assumes the caller holds the `Store`'s lock.
"""

from __future__ import annotations

import copy
import random
import string
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sheets_sync.testing.sheets_api import a1
from sheets_sync.testing.sheets_api.cells import Cell
from sheets_sync.testing.sheets_api.errors import ApiError, bad_request, not_found

PROTECTED_MESSAGE = (
    "You are trying to edit a protected cell or object. Please contact the spreadsheet "
    "owner to remove protection if you need to edit."
)
CELL_LIMIT = 10_000_000  # cells in a workbook, counting empty ones
DEFAULT_ROWS = 1000
DEFAULT_COLUMNS = 26
ROW_PIXELS = 21
COLUMN_PIXELS = 100
_ID_CHARS = string.ascii_letters + string.digits + "-_"


@dataclass
class Grid:
    """A bounded rectangle of one sheet: rows ``[r0, r1)``, columns ``[c0, c1)``."""

    sheet: Sheet
    r0: int
    r1: int
    c0: int
    c1: int

    @property
    def a1(self) -> str:
        return a1.format_range(self.sheet.title, self.r0, self.r1, self.c0, self.c1)

    @property
    def key(self) -> tuple[int, int, int, int, int]:
        return (self.sheet.sheet_id, self.r0, self.r1, self.c0, self.c1)


@dataclass
class Sheet:
    properties: dict[str, Any]
    rows: list[list[Cell | None]] = field(default_factory=list)
    merges: list[dict[str, Any]] = field(default_factory=list)
    protected_ranges: list[dict[str, Any]] = field(default_factory=list)
    conditional_formats: list[dict[str, Any]] = field(default_factory=list)
    basic_filter: dict[str, Any] | None = None
    row_meta: dict[int, dict[str, Any]] = field(default_factory=dict)
    column_meta: dict[int, dict[str, Any]] = field(default_factory=dict)
    row_groups: list[dict[str, Any]] = field(default_factory=list)
    column_groups: list[dict[str, Any]] = field(default_factory=list)
    charts: list[dict[str, Any]] = field(default_factory=list)  # EmbeddedChart, as added

    @property
    def sheet_id(self) -> int:
        return int(self.properties["sheetId"])

    @property
    def title(self) -> str:
        return str(self.properties["title"])

    @property
    def grid_properties(self) -> dict[str, Any]:
        gp: dict[str, Any] = self.properties.setdefault("gridProperties", {})
        return gp

    @property
    def row_count(self) -> int:
        return int(self.grid_properties.get("rowCount", 0))

    @property
    def column_count(self) -> int:
        return int(self.grid_properties.get("columnCount", 0))

    def __deepcopy__(self, memo: dict[int, object]) -> Sheet:
        """Cells copied one by one (far quicker than the generic deep copy of each)."""
        twin = copy.copy(self)
        for name, value in vars(self).items():
            if name != "rows":
                setattr(twin, name, copy.deepcopy(value, memo))
        twin.rows = [[c.copy() if c is not None else None for c in row] for row in self.rows]
        return twin

    def cell(self, row: int, col: int) -> Cell | None:
        if row < len(self.rows):
            cells = self.rows[row]
            if col < len(cells):
                return cells[col]
        return None

    def cell_for_write(self, row: int, col: int) -> Cell:
        while len(self.rows) <= row:
            self.rows.append([])
        cells = self.rows[row]
        if len(cells) <= col:
            cells.extend([None] * (col + 1 - len(cells)))
        found = cells[col]
        if found is None:
            found = cells[col] = Cell()
        return found

    def cells_in(self, grid: Grid) -> Iterator[tuple[int, int, Cell]]:
        """The existing cells of a rectangle, row by row."""
        for r in range(grid.r0, min(grid.r1, len(self.rows))):
            cells = self.rows[r]
            for c in range(grid.c0, min(grid.c1, len(cells))):
                found = cells[c]
                if found is not None:
                    yield r, c, found

    def resize(self, rows: int | None = None, columns: int | None = None) -> None:
        if rows is not None:
            self.grid_properties["rowCount"] = rows
            del self.rows[rows:]
            self.row_meta = {k: v for k, v in self.row_meta.items() if k < rows}
        if columns is not None:
            self.grid_properties["columnCount"] = columns
            for cells in self.rows:
                del cells[columns:]
            self.column_meta = {k: v for k, v in self.column_meta.items() if k < columns}

    def insert(self, dimension: str, start: int, count: int) -> None:
        if dimension == "ROWS":
            self.rows[start:start] = [[] for _ in range(count)] if start < len(self.rows) else []
            self.grid_properties["rowCount"] = self.row_count + count
            self.row_meta = _shift_meta(self.row_meta, start, count)
        else:
            for cells in self.rows:
                if start < len(cells):
                    cells[start:start] = [None] * count
            self.grid_properties["columnCount"] = self.column_count + count
            self.column_meta = _shift_meta(self.column_meta, start, count)
        self._shift_ranges(dimension, start, count)

    def delete(self, dimension: str, start: int, end: int) -> None:
        if dimension == "ROWS":
            del self.rows[start:end]
            self.grid_properties["rowCount"] = self.row_count - (end - start)
            self.row_meta = _drop_meta(self.row_meta, start, end)
        else:
            for cells in self.rows:
                del cells[start:end]
            self.grid_properties["columnCount"] = self.column_count - (end - start)
            self.column_meta = _drop_meta(self.column_meta, start, end)
        self._shift_ranges(dimension, start, -(end - start))

    def _shift_ranges(self, dimension: str, start: int, delta: int) -> None:
        keys = (
            ("startRowIndex", "endRowIndex")
            if dimension == "ROWS"
            else (
                "startColumnIndex",
                "endColumnIndex",
            )
        )
        ranges = [*self.merges, *(p["range"] for p in self.protected_ranges if "range" in p)]
        for rule in self.conditional_formats:
            ranges.extend(rule.get("ranges", []))
        if self.basic_filter is not None:
            ranges.append(self.basic_filter["range"])
        for rng in ranges:
            shift_range(rng, keys, start, delta)
        self.merges = [m for m in self.merges if not _empty_range(m)]


def shift_range(rng: dict[str, Any], keys: tuple[str, str], start: int, delta: int) -> None:
    """Moves a GridRange's bounds after rows/columns were inserted (delta>0) or removed."""
    for key in keys:
        if key not in rng:
            continue
        index = int(rng[key])
        if delta > 0 and index >= start + (1 if key.startswith("end") else 0):
            rng[key] = index + delta
        elif delta < 0 and index > start:
            rng[key] = max(start, index + delta)


def _empty_range(rng: dict[str, Any]) -> bool:
    rows = rng.get("endRowIndex", 1) - rng.get("startRowIndex", 0)
    cols = rng.get("endColumnIndex", 1) - rng.get("startColumnIndex", 0)
    return bool(rows <= 0 or cols <= 0)


def _shift_meta(meta: dict[int, dict[str, Any]], start: int, count: int) -> dict[int, Any]:
    return {(k + count if k >= start else k): v for k, v in meta.items()}


def _drop_meta(meta: dict[int, dict[str, Any]], start: int, end: int) -> dict[int, Any]:
    kept = {k: v for k, v in meta.items() if not start <= k < end}
    return {(k - (end - start) if k >= end else k): v for k, v in kept.items()}


@dataclass
class Spreadsheet:
    spreadsheet_id: str
    properties: dict[str, Any]
    sheets: list[Sheet] = field(default_factory=list)
    named_ranges: list[dict[str, Any]] = field(default_factory=list)
    owner: str | None = None
    shared_with: set[str] | None = None  # None: anyone with a valid token
    readers: set[str] = field(default_factory=set)  # shared as Viewer: reads only

    def sheet_by_id(self, sheet_id: int) -> Sheet | None:
        return next((s for s in self.sheets if s.sheet_id == sheet_id), None)

    def sheet_by_title(self, title: str) -> Sheet | None:
        exact = next((s for s in self.sheets if s.title == title), None)
        if exact is not None:
            return exact
        folded = title.casefold()
        return next((s for s in self.sheets if s.title.casefold() == folded), None)

    def require_sheet(self, sheet_id: Any, where: str) -> Sheet:
        found = self.sheet_by_id(int(sheet_id or 0))
        if found is None:
            raise bad_request(f"Invalid {where}: No grid with id: {int(sheet_id or 0)}")
        return found

    def can_be_read_by(self, email: str | None) -> bool:
        if self.shared_with is None or email is None:
            return True
        return email in self.shared_with or email == self.owner

    def can_be_written_by(self, email: str | None) -> bool:
        return email is None or email == self.owner or email not in self.readers

    def check_editable(self, grid: Grid, email: str | None) -> None:
        """Google's 403 for a write into a protected range (not warning-only) that `email`
        may not edit; None (no auth) may edit anything."""
        if email is None or email == self.owner:
            return
        for protected in grid.sheet.protected_ranges:
            if protected.get("warningOnly") or email == protected.get("owner"):
                continue
            if email in (protected.get("editors") or {}).get("users", []):
                continue
            if _overlaps(protected.get("range") or {}, grid):
                raise ApiError(403, PROTECTED_MESSAGE)

    def resolve(self, text: str, *, clip: bool = True) -> Grid:
        """An A1 range (as in a request) on this spreadsheet, bounded by the sheet's grid.

        Unknown tabs and unparseable text answer 400 "Unable to parse range"; a range that
        starts past the grid answers Google's "exceeds grid limits".
        """
        parts = a1.split_range(text)
        sheet: Sheet | None
        if parts.title is not None:
            sheet = self.sheet_by_title(parts.title)
            if sheet is None:
                raise bad_request(f"Unable to parse range: {text}")
            if parts.cells is None:
                return Grid(sheet, 0, sheet.row_count, 0, sheet.column_count)
            box = a1.parse_cells(parts.cells)
            if box is None:
                named = self._named_grid(parts.cells, sheet)
                if named is None:
                    raise bad_request(f"Unable to parse range: {text}")
                return named
        else:
            cells = parts.cells or ""
            box = a1.parse_cells(cells)
            if box is None:
                sheet = self.sheet_by_title(cells)
                if sheet is not None:
                    return Grid(sheet, 0, sheet.row_count, 0, sheet.column_count)
                named = self._named_grid(cells, None)
                if named is None:
                    raise bad_request(f"Unable to parse range: {text}")
                return named
            sheet = self.first_visible_sheet()
        return bound(sheet, box, clip=clip)

    def _named_grid(self, name: str, sheet: Sheet | None) -> Grid | None:
        folded = name.casefold()
        for named in self.named_ranges:
            if str(named.get("name", "")).casefold() != folded:
                continue
            rng = named["range"]
            target = self.sheet_by_id(int(rng.get("sheetId", 0)))
            if target is None or (sheet is not None and target is not sheet):
                return None
            return grid_from_range(target, rng)
        return None

    def check_cell_limit(self, where: str) -> None:
        total = sum(s.row_count * s.column_count for s in self.sheets)
        if total > CELL_LIMIT:
            raise bad_request(
                f"Invalid {where}: This action would increase the number of cells in the "
                f"workbook above the limit of {CELL_LIMIT} cells."
            )

    def first_visible_sheet(self) -> Sheet:
        return next((s for s in self.sheets if not s.properties.get("hidden")), self.sheets[0])


def _overlaps(rng: dict[str, Any], grid: Grid) -> bool:
    """Whether a GridRange (a missing bound is unbounded) meets a grid."""
    big = 1 << 62
    rows = (int(rng.get("startRowIndex") or 0), int(rng.get("endRowIndex") or big))
    columns = (int(rng.get("startColumnIndex") or 0), int(rng.get("endColumnIndex") or big))
    return (
        int(rng.get("sheetId") or 0) == grid.sheet.sheet_id
        and rows[0] < grid.r1
        and grid.r0 < rows[1]
        and columns[0] < grid.c1
        and grid.c0 < columns[1]
    )


def bound(sheet: Sheet, box: a1.Box, *, clip: bool) -> Grid:
    rows, cols = sheet.row_count, sheet.column_count
    r1 = rows if box.r1 is None else box.r1
    c1 = cols if box.c1 is None else box.c1
    if box.r0 >= rows or box.c0 >= cols:
        raise exceeds_grid(sheet, a1.format_box(box.r0, box.r0 + 1, box.c0, box.c0 + 1))
    if clip:
        r1, c1 = min(r1, rows), min(c1, cols)
    return Grid(sheet, box.r0, r1, box.c0, c1)


def exceeds_grid(sheet: Sheet, cells: str) -> ApiError:
    return bad_request(
        f"Range ({a1.quote_title(sheet.title)}!{cells}) exceeds grid limits. "
        f"Max rows: {sheet.row_count}, max columns: {sheet.column_count}"
    )


def grid_from_range(sheet: Sheet, rng: dict[str, Any]) -> Grid:
    """A request's GridRange (missing bounds: the whole grid), clipped to the sheet."""
    r0 = int(rng.get("startRowIndex", 0) or 0)
    c0 = int(rng.get("startColumnIndex", 0) or 0)
    r1 = int(rng["endRowIndex"]) if rng.get("endRowIndex") is not None else sheet.row_count
    c1 = int(rng["endColumnIndex"]) if rng.get("endColumnIndex") is not None else sheet.column_count
    return Grid(sheet, r0, min(r1, sheet.row_count), c0, min(c1, sheet.column_count))


class Store:
    """All spreadsheets, behind one lock; ids are drawn like Google's."""

    def __init__(self, seed: int | None = None) -> None:
        self.lock = threading.RLock()
        self.spreadsheets: dict[str, Spreadsheet] = {}
        self.random = random.Random(seed)

    def get(self, spreadsheet_id: str) -> Spreadsheet:
        found = self.spreadsheets.get(spreadsheet_id)
        if found is None:
            raise not_found()
        return found

    def new_spreadsheet_id(self) -> str:
        while True:
            candidate = "1" + "".join(self.random.choice(_ID_CHARS) for _ in range(43))
            if candidate not in self.spreadsheets:
                return candidate

    def new_sheet_id(self, spreadsheet: Spreadsheet) -> int:
        while True:
            candidate = self.random.randint(1, 2**31 - 1)
            if spreadsheet.sheet_by_id(candidate) is None:
                return candidate

    def new_object_id(self) -> int:
        return self.random.randint(1, 2**31 - 1)

    def snapshot(self, spreadsheet: Spreadsheet) -> Spreadsheet:
        """A deep copy, so a failing batch can be undone as Google undoes it (all or nothing)."""
        return copy.deepcopy(spreadsheet)

    def restore(self, snapshot: Spreadsheet) -> None:
        self.spreadsheets[snapshot.spreadsheet_id] = snapshot


def new_sheet_properties(sheet_id: int, title: str, rows: int, columns: int) -> dict[str, Any]:
    return {
        "sheetId": sheet_id,
        "title": title,
        "index": 0,
        "sheetType": "GRID",
        "gridProperties": {"rowCount": rows, "columnCount": columns},
    }
