"""``GET /v4/spreadsheets/{id}`` and ``POST /v4/spreadsheets``: the Spreadsheet resource.

Rendered as Google renders it: sheet properties with their index, grid properties
without zero or false fields, the sheet's merges, protected ranges, filter, groups and
conditional formats only when it has some, grid data when ``includeGridData=true`` or
when the ``fields`` mask reaches into ``sheets.data`` (only the sheets that ``ranges``
name, when given), and the ``fields`` mask applied last.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any

from sheets_sync.testing.sheets_api import fields as masks
from sheets_sync.testing.sheets_api import formats
from sheets_sync.testing.sheets_api.cells import Cell, extended_value, formatted
from sheets_sync.testing.sheets_api.errors import bad_request
from sheets_sync.testing.sheets_api.model import (
    COLUMN_PIXELS,
    DEFAULT_COLUMNS,
    DEFAULT_ROWS,
    ROW_PIXELS,
    Grid,
    Sheet,
    Spreadsheet,
    Store,
    new_sheet_properties,
)

DEFAULT_FORMAT: dict[str, Any] = {
    "backgroundColor": {"red": 1, "green": 1, "blue": 1},
    "padding": {"top": 2, "right": 3, "bottom": 2, "left": 3},
    "verticalAlignment": "BOTTOM",
    "wrapStrategy": "OVERFLOW_CELL",
    "textFormat": {
        "foregroundColor": {},
        "fontFamily": "arial,sans,sans-serif",
        "fontSize": 10,
        "bold": False,
        "italic": False,
        "strikethrough": False,
        "underline": False,
        "foregroundColorStyle": {"rgbColor": {}},
    },
    "backgroundColorStyle": {"rgbColor": {"red": 1, "green": 1, "blue": 1}},
}


def _theme() -> dict[str, Any]:
    accents = [
        ("ACCENT1", 0.25882354, 0.52156866, 0.95686275),
        ("ACCENT2", 0.91764706, 0.2627451, 0.20784314),
        ("ACCENT3", 0.9843137, 0.7372549, 0.015686275),
        ("ACCENT4", 0.20392157, 0.65882355, 0.3254902),
        ("ACCENT5", 1, 0.42745098, 0.003921569),
        ("ACCENT6", 0.27450982, 0.7411765, 0.7764706),
        ("LINK", 0.06666667, 0.33333334, 0.8),
    ]
    colors: list[dict[str, Any]] = [
        {"colorType": "TEXT", "color": {"rgbColor": {}}},
        {"colorType": "BACKGROUND", "color": {"rgbColor": {"red": 1, "green": 1, "blue": 1}}},
    ]
    colors += [
        {"colorType": name, "color": {"rgbColor": {"red": r, "green": g, "blue": b}}}
        for name, r, g, b in accents
    ]
    return {"primaryFontFamily": "Arial", "themeColors": colors}


def new_spreadsheet(store: Store, title: str, owner: str | None) -> Spreadsheet:
    properties = {
        "title": title,
        "locale": "en_US",
        "autoRecalc": "ON_CHANGE",
        "timeZone": "Etc/GMT",
        "defaultFormat": copy.deepcopy(DEFAULT_FORMAT),
        "spreadsheetTheme": _theme(),
    }
    return Spreadsheet(store.new_spreadsheet_id(), properties, owner=owner)


def add_sheet(
    store: Store, spreadsheet: Spreadsheet, props: Mapping[str, Any], where: str
) -> Sheet:
    """A new tab from AddSheetRequest-style properties (title, index, sheetId, grid size)."""
    titles = {s.title.casefold() for s in spreadsheet.sheets}
    title = props.get("title")
    if title is None:
        n = len(spreadsheet.sheets) + 1
        while f"sheet{n}" in titles:
            n += 1
        title = f"Sheet{n}"
    title = str(title)
    if title.casefold() in titles:
        raise bad_request(
            f'Invalid {where}: A sheet with the name "{title}" already exists. '
            "Please enter another name."
        )
    if props.get("sheetId") is not None:
        sheet_id = int(props["sheetId"])
        if spreadsheet.sheet_by_id(sheet_id) is not None:
            raise bad_request(f"Invalid {where}: Sheet with id {sheet_id} already exists.")
    else:
        sheet_id = 0 if not spreadsheet.sheets else store.new_sheet_id(spreadsheet)
    grid = props.get("gridProperties") or {}
    rows = int(grid.get("rowCount", DEFAULT_ROWS))
    columns = int(grid.get("columnCount", DEFAULT_COLUMNS))
    sheet = Sheet(new_sheet_properties(sheet_id, title, rows, columns))
    for key, value in props.items():
        if key not in ("sheetId", "title", "index", "gridProperties", "sheetType"):
            sheet.properties[key] = copy.deepcopy(value)
    for key, value in grid.items():
        if key not in ("rowCount", "columnCount"):
            sheet.grid_properties[key] = value
    sheet.properties = formats.normalize(sheet.properties)
    index = props.get("index")
    position = (
        len(spreadsheet.sheets)
        if index is None
        else max(0, min(int(index), len(spreadsheet.sheets)))
    )
    spreadsheet.sheets.insert(position, sheet)
    return sheet


def sheet_properties(spreadsheet: Spreadsheet, sheet: Sheet) -> dict[str, Any]:
    props = copy.deepcopy(sheet.properties)
    props["index"] = spreadsheet.sheets.index(sheet)
    grid = props.get("gridProperties", {})
    props["gridProperties"] = {
        k: v
        for k, v in grid.items()
        if v not in (0, False, None) or k in ("rowCount", "columnCount")
    }
    for flag in ("hidden", "rightToLeft"):
        if not props.get(flag):
            props.pop(flag, None)
    ordered: dict[str, Any] = {
        k: props[k]
        for k in ("sheetId", "title", "index", "sheetType", "gridProperties")
        if k in props
    }
    ordered.update((k, v) for k, v in props.items() if k not in ordered)
    return ordered


def render(
    spreadsheet: Spreadsheet,
    *,
    include_grid: bool = False,
    ranges: Sequence[Grid] = (),
    mask: masks.Mask | None = None,
) -> dict[str, Any]:
    with_data = include_grid or (mask is not None and _names_data(mask))
    sheets_out = []
    chosen = _sheets_for(spreadsheet, ranges)
    for sheet, grids in chosen:
        entry: dict[str, Any] = {"properties": sheet_properties(spreadsheet, sheet)}
        if with_data:
            entry["data"] = [grid_data(g) for g in grids]
        entry.update(_sheet_extras(sheet))
        sheets_out.append(entry)
    out: dict[str, Any] = {
        "spreadsheetId": spreadsheet.spreadsheet_id,
        "properties": copy.deepcopy(spreadsheet.properties),
        "sheets": sheets_out,
    }
    if spreadsheet.named_ranges:
        out["namedRanges"] = [_named(n) for n in spreadsheet.named_ranges]
    out["spreadsheetUrl"] = (
        f"https://docs.google.com/spreadsheets/d/{spreadsheet.spreadsheet_id}/edit"
    )
    return masks.select(out, mask) if mask is not None else out


def _names_data(mask: masks.Mask) -> bool:
    sheets = mask.get("sheets", {})
    return "*" in mask or sheets is None or "data" in sheets or "*" in sheets


def _sheets_for(spreadsheet: Spreadsheet, ranges: Sequence[Grid]) -> list[tuple[Sheet, list[Grid]]]:
    if not ranges:
        return [(s, [Grid(s, 0, s.row_count, 0, s.column_count)]) for s in spreadsheet.sheets]
    chosen: dict[int, list[Grid]] = {}
    for grid in ranges:
        chosen.setdefault(grid.sheet.sheet_id, []).append(grid)
    return [(s, chosen[s.sheet_id]) for s in spreadsheet.sheets if s.sheet_id in chosen]


def _sheet_extras(sheet: Sheet) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if sheet.merges:
        out["merges"] = [formats.grid_range(m) for m in sheet.merges]
    if sheet.conditional_formats:
        out["conditionalFormats"] = [
            {**rule, "ranges": [formats.grid_range(r) for r in rule.get("ranges", [])]}
            for rule in copy.deepcopy(sheet.conditional_formats)
        ]
    if sheet.protected_ranges:
        out["protectedRanges"] = [protected_view(p) for p in sheet.protected_ranges]
    if sheet.basic_filter is not None:
        out["basicFilter"] = {
            **copy.deepcopy(sheet.basic_filter),
            "range": formats.grid_range(sheet.basic_filter["range"]),
        }
    if sheet.row_groups:
        out["rowGroups"] = copy.deepcopy(sheet.row_groups)
    if sheet.column_groups:
        out["columnGroups"] = copy.deepcopy(sheet.column_groups)
    if sheet.charts:
        out["charts"] = copy.deepcopy(sheet.charts)
    return out


def protected_view(protected: Mapping[str, Any], *, reply: bool = False) -> dict[str, Any]:
    """A protected range as listed (editors named) or as its add reply (editors empty)."""
    out = {k: copy.deepcopy(v) for k, v in protected.items() if k != "owner"}
    if "range" in out:
        out["range"] = formats.grid_range(out["range"])
    if reply:
        out["editors"] = {}
    else:
        users = list(out.get("editors", {}).get("users", []))
        if protected.get("owner") and protected["owner"] not in users:
            users.insert(0, protected["owner"])
        editors = dict(out.get("editors", {}))
        if users:
            editors["users"] = users
        out["editors"] = {k: v for k, v in editors.items() if v}
    return out


def _named(named: Mapping[str, Any]) -> dict[str, Any]:
    return {**copy.deepcopy(dict(named)), "range": formats.grid_range(named["range"])}


def grid_data(grid: Grid) -> dict[str, Any]:
    sheet = grid.sheet
    out: dict[str, Any] = {}
    if grid.r0:
        out["startRow"] = grid.r0
    if grid.c0:
        out["startColumn"] = grid.c0
    rows = []
    for r in range(grid.r0, min(grid.r1, len(sheet.rows))):
        cells = [sheet.cell(r, c) for c in range(grid.c0, grid.c1)]
        while cells and (cells[-1] is None or not cells[-1].has_data):
            cells.pop()
        rows.append({"values": [cell_data(c) for c in cells]} if cells else {})
    while rows and not rows[-1]:
        rows.pop()
    if rows:
        out["rowData"] = rows
    out["rowMetadata"] = [
        _dimension(sheet.row_meta.get(r), ROW_PIXELS) for r in range(grid.r0, grid.r1)
    ]
    out["columnMetadata"] = [
        _dimension(sheet.column_meta.get(c), COLUMN_PIXELS) for c in range(grid.c0, grid.c1)
    ]
    return out


def _dimension(meta: Mapping[str, Any] | None, pixels: int) -> dict[str, Any]:
    out: dict[str, Any] = {"pixelSize": pixels}
    if meta:
        out.update((k, v) for k, v in meta.items() if v not in (None, False))
    return out


def cell_data(cell: Cell | None) -> dict[str, Any]:
    if cell is None or not cell.has_data:
        return {}
    out: dict[str, Any] = {}
    entered = extended_value(cell, user_entered=True)
    if entered is not None:
        out["userEnteredValue"] = entered
        effective = extended_value(cell, user_entered=False)
        if effective is not None:
            out["effectiveValue"] = effective
        out["formattedValue"] = formatted(cell)
    if cell.format is not None:
        out["userEnteredFormat"] = copy.deepcopy(cell.format)
    if entered is not None or cell.format is not None:
        out["effectiveFormat"] = formats.merge(DEFAULT_FORMAT, cell.format or {})
    if cell.note is not None:
        out["note"] = cell.note
    if cell.validation is not None:
        out["dataValidation"] = copy.deepcopy(cell.validation)
    if cell.runs is not None:
        out["textFormatRuns"] = copy.deepcopy(cell.runs)
        links = [r.get("format", {}).get("link", {}).get("uri") for r in cell.runs]
        if len(links) == 1 and links[0]:  # one link over the whole text: the cell's link
            out["hyperlink"] = links[0]
    return out
