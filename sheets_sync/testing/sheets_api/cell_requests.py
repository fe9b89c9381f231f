"""``spreadsheets.batchUpdate`` requests on cells: repeatCell, updateCells, mergeCells,
unmergeCells, setDataValidation, conditional format rules, sortRange, copyPaste and
cutPaste.
"""

from __future__ import annotations

import copy
from typing import Any

from sheets_sync.testing.sheets_api import fields as masks
from sheets_sync.testing.sheets_api import formats
from sheets_sync.testing.sheets_api.cells import CLEAR, Cell, from_extended
from sheets_sync.testing.sheets_api.model import Grid, Sheet, grid_from_range
from sheets_sync.testing.sheets_api.sheet_requests import Context, _mask

Json = dict[str, Any]
_CELL_FIELDS = ("userEnteredValue", "userEnteredFormat", "note", "dataValidation", "textFormatRuns")


def _grid(ctx: Context, rng: Any) -> Grid:
    rng = rng or {}
    return grid_from_range(ctx.sheet(rng.get("sheetId")), rng)


def apply_cell(cell: Cell, data: Json, mask: masks.Mask, where: str) -> None:
    """Sets the masked fields of one cell from a CellData."""
    chosen = _CELL_FIELDS if "*" in mask else [k for k in _CELL_FIELDS if k in mask]
    for key in chosen:
        if key == "userEnteredValue":
            value = data.get(key)
            (from_extended(value, where) if value else CLEAR).store(cell)
        elif key == "userEnteredFormat":
            sub = None if "*" in mask else mask[key]
            if sub is None:
                given = data.get(key)
                cell.format = formats.normalize(copy.deepcopy(given)) if given else None
            else:
                current = copy.deepcopy(cell.format or {})
                formats.drop_stale_twins(current, sub)
                masks.update(current, data.get(key) or {}, sub)
                cell.format = formats.normalize(current) or None
        elif key == "note":
            cell.note = data.get("note") or None
        elif key == "textFormatRuns":
            runs = data.get("textFormatRuns")
            cell.runs = copy.deepcopy(runs) if runs else None
        else:
            given = data.get("dataValidation")
            cell.validation = copy.deepcopy(given) if given else None


def repeat_cell(ctx: Context, req: Json) -> None:
    grid = _grid(ctx, req.get("range"))
    ctx.spreadsheet.check_editable(grid, ctx.caller)  # as a values write is refused there
    mask = _mask(ctx, req)
    data = req.get("cell") or {}
    for r in range(grid.r0, grid.r1):
        for c in range(grid.c0, grid.c1):
            apply_cell(grid.sheet.cell_for_write(r, c), data, mask, ctx.where)


def update_cells(ctx: Context, req: Json) -> None:
    mask = _mask(ctx, req)
    rows = req.get("rows") or []
    if req.get("range") is not None:
        grid = _grid(ctx, req["range"])
    else:
        start = req.get("start") or {}
        sheet = ctx.sheet(start.get("sheetId"))
        r0, c0 = int(start.get("rowIndex") or 0), int(start.get("columnIndex") or 0)
        width = max((len(row.get("values") or []) for row in rows), default=0)
        grid = Grid(sheet, r0, r0 + len(rows), c0, c0 + width)
        if grid.r1 > sheet.row_count or grid.c1 > sheet.column_count:
            raise ctx.fail("The update would write past the end of the grid.")
    ctx.spreadsheet.check_editable(grid, ctx.caller)  # as a values write is refused there
    for i, r in enumerate(range(grid.r0, grid.r1)):
        values = (rows[i].get("values") or []) if i < len(rows) else []
        for j, c in enumerate(range(grid.c0, grid.c1)):
            data = values[j] if j < len(values) else {}
            apply_cell(grid.sheet.cell_for_write(r, c), data or {}, mask, ctx.where)


def merge_cells(ctx: Context, req: Json) -> None:
    grid = _grid(ctx, req.get("range"))
    kind = req.get("mergeType") or "MERGE_ALL"
    if kind == "MERGE_COLUMNS":
        parts = [Grid(grid.sheet, grid.r0, grid.r1, c, c + 1) for c in range(grid.c0, grid.c1)]
    elif kind == "MERGE_ROWS":
        parts = [Grid(grid.sheet, r, r + 1, grid.c0, grid.c1) for r in range(grid.r0, grid.r1)]
    else:
        parts = [grid]
    sheet = grid.sheet
    sheet.merges = [m for m in sheet.merges if not _overlaps(m, grid)]
    for part in parts:
        if part.r1 - part.r0 <= 1 and part.c1 - part.c0 <= 1:
            continue
        for r, c, cell in list(sheet.cells_in(part)):
            if (r, c) != (part.r0, part.c0):
                cell.clear_value()
        sheet.merges.append(_as_range(part))


def unmerge_cells(ctx: Context, req: Json) -> None:
    grid = _grid(ctx, req.get("range"))
    grid.sheet.merges = [m for m in grid.sheet.merges if not _overlaps(m, grid)]


def _as_range(grid: Grid) -> Json:
    return {
        "sheetId": grid.sheet.sheet_id,
        "startRowIndex": grid.r0,
        "endRowIndex": grid.r1,
        "startColumnIndex": grid.c0,
        "endColumnIndex": grid.c1,
    }


def _overlaps(rng: Json, grid: Grid) -> bool:
    return bool(
        rng["startRowIndex"] < grid.r1
        and grid.r0 < rng["endRowIndex"]
        and rng["startColumnIndex"] < grid.c1
        and grid.c0 < rng["endColumnIndex"]
    )


def set_data_validation(ctx: Context, req: Json) -> None:
    grid = _grid(ctx, req.get("range"))
    rule = copy.deepcopy(req.get("rule")) or None
    if rule is not None:
        rule = {k: v for k, v in rule.items() if v not in (None, False)}
    for r in range(grid.r0, grid.r1):
        for c in range(grid.c0, grid.c1):
            if rule is None:
                found = grid.sheet.cell(r, c)
                if found is not None:
                    found.validation = None
            else:
                grid.sheet.cell_for_write(r, c).validation = copy.deepcopy(rule)


def _rule_sheet(ctx: Context, rule: Json) -> Sheet:
    ranges = rule.get("ranges") or []
    if not ranges:
        raise ctx.fail("A conditional format rule must have at least one range.")
    return ctx.sheet(ranges[0].get("sheetId"))


def add_conditional_format_rule(ctx: Context, req: Json) -> None:
    rule = formats.normalize(copy.deepcopy(req.get("rule") or {}))
    sheet = _rule_sheet(ctx, rule)
    index = int(req.get("index") or 0)
    sheet.conditional_formats.insert(min(index, len(sheet.conditional_formats)), rule)


def _rule_index(ctx: Context, sheet: Sheet, index: Any) -> int:
    position = int(index or 0)
    if not 0 <= position < len(sheet.conditional_formats):
        raise ctx.fail(f"No conditional format on sheet: {sheet.sheet_id} at index: {position}")
    return position


def update_conditional_format_rule(ctx: Context, req: Json) -> Json:
    sheet = ctx.sheet(req.get("sheetId"))
    position = _rule_index(ctx, sheet, req.get("index"))
    old = sheet.conditional_formats[position]
    if req.get("rule") is not None:
        sheet.conditional_formats[position] = formats.normalize(copy.deepcopy(req["rule"]))
        new_index = position
    else:
        new_index = int(req.get("newIndex") or 0)
        sheet.conditional_formats.insert(new_index, sheet.conditional_formats.pop(position))
    return {
        "oldRule": old,
        "oldIndex": position,
        "newRule": sheet.conditional_formats[new_index],
        "newIndex": new_index,
    }


def delete_conditional_format_rule(ctx: Context, req: Json) -> Json:
    sheet = ctx.sheet(req.get("sheetId"))
    position = _rule_index(ctx, sheet, req.get("index"))
    return {"rule": sheet.conditional_formats.pop(position)}


def _sort_key(cell: Cell | None) -> tuple[int, Any] | None:
    if cell is None or not cell.has_value:
        return None
    value = cell.value
    if isinstance(value, bool):
        return (2, value)
    if isinstance(value, int | float):
        return (0, value)
    return (1, str(value).casefold())


def sort_range(ctx: Context, req: Json) -> None:
    grid = _grid(ctx, req.get("range"))
    sheet = grid.sheet
    rows = [
        [
            c.copy() if (c := sheet.cell(r, col)) is not None else None
            for col in range(grid.c0, grid.c1)
        ]
        for r in range(grid.r0, grid.r1)
    ]
    for spec in reversed(req.get("sortSpecs") or [{}]):
        column = int(spec.get("dimensionIndex") or 0) - grid.c0
        keyed = [(_sort_key(row[column]), row) for row in rows]
        filled = [(key, row) for key, row in keyed if key is not None]
        empty = [row for key, row in keyed if key is None]
        filled.sort(key=lambda pair: pair[0], reverse=spec.get("sortOrder") == "DESCENDING")
        rows = [row for _, row in filled] + empty
    for i, row in enumerate(rows):
        for j, cell in enumerate(row):
            _put(sheet, grid.r0 + i, grid.c0 + j, cell)


def _put(sheet: Sheet, r: int, c: int, cell: Cell | None) -> None:
    if cell is None:
        if r < len(sheet.rows) and c < len(sheet.rows[r]):
            sheet.rows[r][c] = None
        return
    target = sheet.cell_for_write(r, c)
    for name in Cell.__slots__:
        setattr(target, name, getattr(cell, name))


def _paste(source: Cell | None, target: Cell, paste_type: str) -> None:
    copied = source.copy() if source is not None else Cell()
    if paste_type in ("PASTE_NORMAL", "PASTE_NO_BORDERS", "PASTE_VALUES", "PASTE_FORMULA"):
        target.value, target.formula = copied.value, copied.formula
        target.display, target.is_date = copied.display, copied.is_date
    if paste_type in ("PASTE_NORMAL", "PASTE_NO_BORDERS", "PASTE_FORMAT"):
        target.format = copied.format
    if paste_type in ("PASTE_NORMAL", "PASTE_NO_BORDERS", "PASTE_DATA_VALIDATION"):
        target.validation = copied.validation
    if paste_type in ("PASTE_NORMAL", "PASTE_NO_BORDERS"):
        target.note = copied.note


def copy_paste(ctx: Context, req: Json) -> None:
    source = _grid(ctx, req.get("source"))
    dest = _grid(ctx, req.get("destination"))
    kind = req.get("pasteType") or "PASTE_NORMAL"
    height, width = source.r1 - source.r0, source.c1 - source.c0
    snapshot = [
        [source.sheet.cell(source.r0 + i, source.c0 + j) for j in range(width)]
        for i in range(height)
    ]
    snapshot = [[c.copy() if c is not None else None for c in row] for row in snapshot]
    rows = max(height, (dest.r1 - dest.r0) // height * height) if height else 0
    cols = max(width, (dest.c1 - dest.c0) // width * width) if width else 0
    for i in range(min(rows, dest.sheet.row_count - dest.r0)):
        for j in range(min(cols, dest.sheet.column_count - dest.c0)):
            _paste(
                snapshot[i % height][j % width],
                dest.sheet.cell_for_write(dest.r0 + i, dest.c0 + j),
                kind,
            )


def cut_paste(ctx: Context, req: Json) -> None:
    source = _grid(ctx, req.get("source"))
    coordinate = req.get("destination") or {}
    sheet = ctx.sheet(coordinate.get("sheetId"))
    r0, c0 = int(coordinate.get("rowIndex") or 0), int(coordinate.get("columnIndex") or 0)
    kind = req.get("pasteType") or "PASTE_NORMAL"
    cells = [
        [
            c.copy() if (c := source.sheet.cell(r, col)) is not None else None
            for col in range(source.c0, source.c1)
        ]
        for r in range(source.r0, source.r1)
    ]
    for r, col, _ in list(source.sheet.cells_in(source)):
        source.sheet.rows[r][col] = None
    for i, row in enumerate(cells):
        for j, cell in enumerate(row):
            if r0 + i < sheet.row_count and c0 + j < sheet.column_count:
                _paste(cell, sheet.cell_for_write(r0 + i, c0 + j), kind)
