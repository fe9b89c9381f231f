"""The ``spreadsheets.values`` endpoints: get, batchGet, update, batchUpdate, clear,
batchClear and append, answering as Google does.

Reads drop trailing empty cells of each row and trailing empty rows, and leave ``values``
out when nothing is left; ranges are echoed clipped to the grid, titles quoted when
needed, a single cell as ``Sheet1!D4``. Writes answer ``updatedRange`` (the start cell
plus the extent of the values sent) and count only the cells actually sent (JSON nulls
leave a cell alone and are not counted); an empty string clears a cell. A write is
checked whole before anything is stored, so a bad request changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from sheets_sync.testing.sheets_api import a1
from sheets_sync.testing.sheets_api.cells import (
    DATE_OPTIONS,
    INPUT_OPTIONS,
    RENDER_OPTIONS,
    Entered,
    parse_input,
    render,
)
from sheets_sync.testing.sheets_api.errors import bad_request, invalid_value
from sheets_sync.testing.sheets_api.model import Grid, Sheet, Spreadsheet, exceeds_grid

Params = Mapping[str, Sequence[str]]
_LIST_VALUE = "type.googleapis.com/google.protobuf.ListValue"


def option(
    params: Params | Mapping[str, Any], name: str, allowed: Sequence[str], default: str
) -> str:
    raw = params.get(name)
    if raw is None:
        return default
    value = raw if isinstance(raw, str) else str(raw[-1]) if raw else default
    if value not in allowed:
        snake = "".join("_" + ch.lower() if ch.isupper() else ch for ch in name)
        raise invalid_value(snake, "TYPE_ENUM", json.dumps(value))
    return value


def flag(params: Params | Mapping[str, Any], name: str) -> bool:
    raw = params.get(name)
    if raw is None:
        return False
    value = raw if isinstance(raw, str | bool) else raw[-1] if raw else ""
    return value is True or str(value).lower() == "true"


def read(grid: Grid, value_option: str, date_option: str, major: str) -> list[list[Any]]:
    """The cells of a rectangle as a values read answers them, trailing empties dropped."""
    sheet = grid.sheet
    rows_known = min(grid.r1, len(sheet.rows))
    out: list[list[Any]] = []
    if major == "COLUMNS":
        for c in range(grid.c0, grid.c1):
            column = [
                render(sheet.cell(r, c), value_option, date_option)
                for r in range(grid.r0, rows_known)
            ]
            out.append(_trim(column, sheet, c, grid.r0, by_row=False))
    else:
        for r in range(grid.r0, rows_known):
            cells = sheet.rows[r]
            upto = min(grid.c1, len(cells))
            row = [render(cells[c], value_option, date_option) for c in range(grid.c0, upto)]
            out.append(_trim(row, sheet, r, grid.c0, by_row=True))
    while out and not out[-1]:
        out.pop()
    return out


def _trim(values: list[Any], sheet: Sheet, fixed: int, first: int, *, by_row: bool) -> list[Any]:
    end = len(values)
    while end:
        index = first + end - 1
        cell = sheet.cell(fixed, index) if by_row else sheet.cell(index, fixed)
        if cell is not None and cell.has_value:
            break
        end -= 1
    del values[end:]
    return values


def value_range(grid: Grid, value_option: str, date_option: str, major: str) -> dict[str, Any]:
    out: dict[str, Any] = {"range": grid.a1, "majorDimension": major}
    values = read(grid, value_option, date_option, major)
    if values:
        out["values"] = values
    return out


def _read_options(params: Params) -> tuple[str, str, str]:
    return (
        option(params, "valueRenderOption", RENDER_OPTIONS, "FORMATTED_VALUE"),
        option(params, "dateTimeRenderOption", DATE_OPTIONS, "SERIAL_NUMBER"),
        option(params, "majorDimension", ("ROWS", "COLUMNS"), "ROWS"),
    )


def get(spreadsheet: Spreadsheet, range_text: str, params: Params) -> dict[str, Any]:
    value_option, date_option, major = _read_options(params)
    return value_range(spreadsheet.resolve(range_text), value_option, date_option, major)


def batch_get(spreadsheet: Spreadsheet, params: Params) -> dict[str, Any]:
    value_option, date_option, major = _read_options(params)
    grids = [spreadsheet.resolve(text) for text in params.get("ranges", [])]
    out: dict[str, Any] = {"spreadsheetId": spreadsheet.spreadsheet_id}
    if grids:
        out["valueRanges"] = [value_range(g, value_option, date_option, major) for g in grids]
    return out


class Write:
    """One checked rectangle of input, ready to store."""

    def __init__(self, grid: Grid, matrix: list[list[Entered | None]]) -> None:
        self.grid = grid
        self.matrix = matrix  # rows of the target, whatever majorDimension was sent

    @property
    def cells(self) -> list[tuple[int, int, Entered]]:
        return [
            (self.grid.r0 + i, self.grid.c0 + j, entered)
            for i, row in enumerate(self.matrix)
            for j, entered in enumerate(row)
            if entered is not None
        ]

    def apply(self) -> None:
        sheet = self.grid.sheet
        for r, c, entered in self.cells:
            if entered.value is None and entered.formula is None:
                found = sheet.cell(r, c)
                if found is not None:
                    found.clear_value()
            else:
                entered.store(sheet.cell_for_write(r, c))

    def stats(self) -> dict[str, Any]:
        cells = self.cells
        out: dict[str, Any] = {"updatedRange": self.grid.a1}
        counts = (
            ("updatedRows", len({r for r, _, _ in cells})),
            ("updatedColumns", len({c for _, c, _ in cells})),
            ("updatedCells", len(cells)),
        )
        out.update((k, v) for k, v in counts if v)
        return out


def plan_write(
    spreadsheet: Spreadsheet, range_text: str, body: Any, user_entered: bool, field: str
) -> Write:
    """Checks one ValueRange (range, values, majorDimension) against the spreadsheet."""
    if not isinstance(body, dict):
        raise bad_request("Invalid JSON payload received.")
    values = body.get("values", [])
    if values is None:
        values = []
    if not isinstance(values, list):
        raise invalid_value(f"{field}.values", _LIST_VALUE, json.dumps(values))
    for i, row in enumerate(values):
        if not isinstance(row, list):
            raise invalid_value(f"{field}.values[{i}]", _LIST_VALUE, json.dumps(row))
    major = option(body, "majorDimension", ("ROWS", "COLUMNS", "DIMENSION_UNSPECIFIED"), "ROWS")
    target = spreadsheet.resolve(range_text, clip=False)
    sheet = target.sheet
    if target.r1 > sheet.row_count or target.c1 > sheet.column_count:
        box = a1.format_box(target.r0, target.r1, target.c0, target.c1)
        raise exceeds_grid(sheet, box)
    parsed = [
        [parse_input(v, user_entered, f"values[{i}][{j}]") for j, v in enumerate(row)]
        for i, row in enumerate(values)
    ]
    if major == "COLUMNS":
        longest = max((len(col) for col in parsed), default=0)
        parsed = [[col[i] if i < len(col) else None for col in parsed] for i in range(longest)]
    height = len(parsed)
    width = max((len(row) for row in parsed), default=0)
    if height == 0 or width == 0:
        return Write(Grid(sheet, target.r0, target.r0 + 1, target.c0, target.c0 + 1), [])
    _check_inside(target, range_text, height, width)
    grid = Grid(sheet, target.r0, target.r0 + height, target.c0, target.c0 + width)
    if grid.r1 > sheet.row_count or grid.c1 > sheet.column_count:
        raise exceeds_grid(sheet, a1.format_box(grid.r0, grid.r1, grid.c0, grid.c1))
    return Write(grid, parsed)


def _check_inside(target: Grid, range_text: str, height: int, width: int) -> None:
    """Values must fit a range that names its end (``A1:B2``); an open one (``A1``) grows."""
    box = a1.parse_cells(a1.split_range(range_text).cells or "")
    if box is None:
        return
    single = box.r1 == box.r0 + 1 and box.c1 == box.c0 + 1
    if single:
        return
    if box.r1 is not None and target.r0 + height > box.r1:
        raise bad_request(
            f"Requested writing within range [{target.a1}], but tried writing to row "
            f"[{target.r0 + height}]"
        )
    if box.c1 is not None and target.c0 + width > box.c1:
        column = a1.column_letters(target.c0 + width - 1)
        raise bad_request(
            f"Requested writing within range [{target.a1}], but tried writing to column [{column}]"
        )


def _input_option(value: Any) -> bool:
    if value is None or value == "":
        raise bad_request("'valueInputOption' is required but not specified")
    chosen = option({"valueInputOption": value}, "valueInputOption", INPUT_OPTIONS, "RAW")
    return chosen == "USER_ENTERED"


def _with_data(
    write: Write, spreadsheet_id: str, params: Params | Mapping[str, Any], include: bool
) -> dict[str, Any]:
    out: dict[str, Any] = {"spreadsheetId": spreadsheet_id, **write.stats()}
    if include:
        value_option = option(
            params, "responseValueRenderOption", RENDER_OPTIONS, "FORMATTED_VALUE"
        )
        date_option = option(params, "responseDateTimeRenderOption", DATE_OPTIONS, "SERIAL_NUMBER")
        out["updatedData"] = value_range(write.grid, value_option, date_option, "ROWS")
    return out


def update(
    spreadsheet: Spreadsheet,
    range_text: str,
    params: Params,
    body: Any,
    caller: str | None = None,
) -> dict[str, Any]:
    user_entered = _input_option(params.get("valueInputOption", [None])[-1])
    if isinstance(body, dict) and body.get("range"):
        given = spreadsheet.resolve(str(body["range"]), clip=False)
        if given.key != spreadsheet.resolve(range_text, clip=False).key:
            raise bad_request(
                f"Requested range [{body['range']}] must match the range in the URL [{range_text}]."
            )
    write = plan_write(spreadsheet, range_text, body, user_entered, "data")
    spreadsheet.check_editable(write.grid, caller)
    write.apply()
    return _with_data(
        write, spreadsheet.spreadsheet_id, params, flag(params, "includeValuesInResponse")
    )


def batch_update(spreadsheet: Spreadsheet, body: Any, caller: str | None = None) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise bad_request("Invalid JSON payload received.")
    user_entered = _input_option(body.get("valueInputOption"))
    data = body.get("data") or []
    if not isinstance(data, list):
        raise invalid_value("data", "type.googleapis.com/google.apps.sheets.v4.ValueRange", "")
    writes = []
    for i, item in enumerate(data):
        if not isinstance(item, dict) or not item.get("range"):
            raise bad_request(f"Invalid data[{i}]: range is required")
        writes.append(plan_write(spreadsheet, str(item["range"]), item, user_entered, f"data[{i}]"))
    for write in writes:
        spreadsheet.check_editable(write.grid, caller)
    for write in writes:
        write.apply()
    out: dict[str, Any] = {"spreadsheetId": spreadsheet.spreadsheet_id}
    cells = {(w.grid.sheet.sheet_id, r, c) for w in writes for r, c, _ in w.cells}
    totals = (
        ("totalUpdatedRows", len({(s, r) for s, r, _ in cells})),
        ("totalUpdatedColumns", len({(s, c) for s, _, c in cells})),
        ("totalUpdatedCells", len(cells)),
        ("totalUpdatedSheets", len({s for s, _, _ in cells})),
    )
    out.update((k, v) for k, v in totals if v)
    if writes:
        include = flag(body, "includeValuesInResponse")
        out["responses"] = [
            _with_data(w, spreadsheet.spreadsheet_id, body, include) for w in writes
        ]
    return out


def clear(spreadsheet: Spreadsheet, range_text: str) -> dict[str, Any]:
    grid = spreadsheet.resolve(range_text)
    _clear(grid)
    return {"spreadsheetId": spreadsheet.spreadsheet_id, "clearedRange": grid.a1}


def batch_clear(spreadsheet: Spreadsheet, body: Any) -> dict[str, Any]:
    ranges = body.get("ranges", []) if isinstance(body, dict) else []
    grids = [spreadsheet.resolve(str(text)) for text in ranges]
    for grid in grids:
        _clear(grid)
    out: dict[str, Any] = {"spreadsheetId": spreadsheet.spreadsheet_id}
    if grids:
        out["clearedRanges"] = [g.a1 for g in grids]
    return out


def _clear(grid: Grid) -> None:
    for _, _, cell in list(grid.sheet.cells_in(grid)):
        cell.clear_value()


def append(spreadsheet: Spreadsheet, range_text: str, params: Params, body: Any) -> dict[str, Any]:
    """Finds the table the range points at and writes the values on the rows after it."""
    user_entered = _input_option(params.get("valueInputOption", [None])[-1])
    insert = option(params, "insertDataOption", ("OVERWRITE", "INSERT_ROWS"), "OVERWRITE")
    searched = spreadsheet.resolve(range_text)
    table = _find_table(searched)
    sheet = searched.sheet
    if table is None:
        start_row, start_col = searched.r0, searched.c0
    else:
        start_row, start_col = table.r1, table.c0
    values = body.get("values") if isinstance(body, dict) else None
    rows = len(values) if isinstance(values, list) else 0
    if (
        isinstance(body, dict)
        and body.get("majorDimension") == "COLUMNS"
        and isinstance(values, list)
    ):
        rows = max((len(v) for v in values if isinstance(v, list)), default=0)
    if insert == "INSERT_ROWS" and rows:
        sheet.insert("ROWS", start_row, rows)
    elif start_row + rows > sheet.row_count:
        sheet.resize(rows=start_row + rows)
    target = a1.format_range(sheet.title, start_row, start_row + 1, start_col, start_col + 1)
    write = plan_write(spreadsheet, target, body, user_entered, "data")
    write.apply()
    out: dict[str, Any] = {"spreadsheetId": spreadsheet.spreadsheet_id}
    if table is not None:
        out["tableRange"] = table.a1
    out["updates"] = _with_data(
        write, spreadsheet.spreadsheet_id, params, flag(params, "includeValuesInResponse")
    )
    return out


def _find_table(searched: Grid) -> Grid | None:
    """The run of filled cells around the last filled cell of the range, grown upward."""
    sheet = searched.sheet
    last: tuple[int, int] | None = None
    for r, c, cell in sheet.cells_in(searched):
        if cell.has_value:
            last = (r, c)
    if last is None:
        return None
    row, col = last

    def filled(r: int, c: int) -> bool:
        cell = sheet.cell(r, c)
        return cell is not None and cell.has_value

    c0 = col
    while c0 > searched.c0 and filled(row, c0 - 1):
        c0 -= 1
    c1 = col + 1
    while c1 < searched.c1 and filled(row, c1):
        c1 += 1
    r0 = row
    while r0 > searched.r0 and any(filled(r0 - 1, c) for c in range(c0, c1)):
        r0 -= 1
    return Grid(sheet, r0, row + 1, c0, c1)
