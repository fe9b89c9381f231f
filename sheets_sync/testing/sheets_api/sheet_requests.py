"""``spreadsheets.batchUpdate`` requests on tabs and their rows and columns: addSheet,
deleteSheet, duplicateSheet, updateSheetProperties, updateSpreadsheetProperties, the
dimension requests, named ranges, protected ranges and the basic filter.

Each handler takes the batch's `Context` and the request body and returns the reply body
(None for Google's empty reply ``{}``).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from sheets_sync.testing.sheets_api import fields as masks
from sheets_sync.testing.sheets_api import formats, metadata
from sheets_sync.testing.sheets_api.errors import bad_request
from sheets_sync.testing.sheets_api.model import (
    COLUMN_PIXELS,
    Sheet,
    Spreadsheet,
    Store,
    grid_from_range,
)

Json = dict[str, Any]
# Width of a character of the default font (Arial 10), from a width Google reported.
_CHAR_PIXELS = 8.4873


@dataclass
class Context:
    store: Store
    spreadsheet: Spreadsheet
    caller: str | None
    where: str  # "requests[0].addSheet", for error messages

    def sheet(self, sheet_id: Any) -> Sheet:
        return self.spreadsheet.require_sheet(sheet_id, self.where)

    def fail(self, reason: str) -> Exception:
        return bad_request(f"Invalid {self.where}: {reason}")


def _mask(ctx: Context, req: Json) -> masks.Mask:
    text = req.get("fields")
    if not text:
        raise ctx.fail("At least one field must be updated, but none was specified.")
    return masks.parse(str(text))


def add_sheet(ctx: Context, req: Json) -> Json:
    sheet = metadata.add_sheet(ctx.store, ctx.spreadsheet, req.get("properties") or {}, ctx.where)
    return {"properties": metadata.sheet_properties(ctx.spreadsheet, sheet)}


def delete_sheet(ctx: Context, req: Json) -> None:
    sheet = ctx.sheet(req.get("sheetId"))
    if len(ctx.spreadsheet.sheets) == 1:
        raise ctx.fail("You can't remove all the sheets in a document.")
    ctx.spreadsheet.sheets.remove(sheet)
    ctx.spreadsheet.named_ranges = [
        n
        for n in ctx.spreadsheet.named_ranges
        if int(n["range"].get("sheetId", 0)) != sheet.sheet_id
    ]


def duplicate_sheet(ctx: Context, req: Json) -> Json:
    source = ctx.sheet(req.get("sourceSheetId"))
    title = req.get("newSheetName") or f"Copy of {source.title}"
    props = {
        "title": title,
        "index": req.get("insertSheetIndex"),
        "sheetId": req.get("newSheetId"),
        "gridProperties": copy.deepcopy(source.grid_properties),
    }
    props.update(
        (k, copy.deepcopy(v))
        for k, v in source.properties.items()
        if k not in ("sheetId", "title", "index", "gridProperties")
    )
    sheet = metadata.add_sheet(
        ctx.store, ctx.spreadsheet, {k: v for k, v in props.items() if v is not None}, ctx.where
    )
    sheet.rows = [[c.copy() if c is not None else None for c in row] for row in source.rows]
    sheet.merges = copy.deepcopy(source.merges)
    sheet.conditional_formats = copy.deepcopy(source.conditional_formats)
    sheet.row_meta = copy.deepcopy(source.row_meta)
    sheet.column_meta = copy.deepcopy(source.column_meta)
    for rng in sheet.merges:
        rng["sheetId"] = sheet.sheet_id
    return {"properties": metadata.sheet_properties(ctx.spreadsheet, sheet)}


def update_sheet_properties(ctx: Context, req: Json) -> None:
    source = req.get("properties") or {}
    sheet = ctx.sheet(source.get("sheetId"))
    mask = _mask(ctx, req)
    props = copy.deepcopy(sheet.properties)
    formats.drop_stale_twins(props, mask)
    masks.update(props, source, mask, skip=("sheetId", "index"))
    props = formats.normalize(props)
    title = str(props.get("title") or "")
    if not title:
        raise ctx.fail("The sheet name cannot be empty.")
    if any(
        s is not sheet and s.title.casefold() == title.casefold() for s in ctx.spreadsheet.sheets
    ):
        raise ctx.fail(
            f'A sheet with the name "{title}" already exists. Please enter another name.'
        )
    if props.get("hidden") and all(
        s is sheet or s.properties.get("hidden") for s in ctx.spreadsheet.sheets
    ):
        raise ctx.fail("You can't hide all the sheets in a document.")
    grid = props.setdefault("gridProperties", {})
    rows, columns = int(grid.get("rowCount", 0)), int(grid.get("columnCount", 0))
    if rows < 1 or columns < 1:
        raise ctx.fail("The grid must have at least one row and one column.")
    old_rows, old_columns = sheet.row_count, sheet.column_count
    sheet.properties = props
    sheet.grid_properties["rowCount"], sheet.grid_properties["columnCount"] = old_rows, old_columns
    sheet.resize(rows=rows, columns=columns)
    if masks.mentions(mask, "index") and "index" in mask:
        _move(ctx.spreadsheet, sheet, int(source.get("index") or 0))


def _move(spreadsheet: Spreadsheet, sheet: Sheet, index: int) -> None:
    """Moves a tab; like Google, ``index`` counts positions before the move."""
    old = spreadsheet.sheets.index(sheet)
    spreadsheet.sheets.remove(sheet)
    target = index if index <= old else index - 1
    spreadsheet.sheets.insert(max(0, min(target, len(spreadsheet.sheets))), sheet)


def update_spreadsheet_properties(ctx: Context, req: Json) -> None:
    mask = _mask(ctx, req)
    masks.update(ctx.spreadsheet.properties, req.get("properties") or {}, mask)


def _dimension_range(ctx: Context, rng: Json) -> tuple[Sheet, str, int, int]:
    sheet = ctx.sheet(rng.get("sheetId"))
    dimension = rng.get("dimension")
    if dimension not in ("ROWS", "COLUMNS"):
        raise ctx.fail("dimension must be ROWS or COLUMNS.")
    count = sheet.row_count if dimension == "ROWS" else sheet.column_count
    start = int(rng.get("startIndex") or 0)
    end = int(rng["endIndex"]) if rng.get("endIndex") is not None else count
    if start < 0 or end < start:
        raise ctx.fail("Invalid dimension range.")
    return sheet, dimension, start, end


def append_dimension(ctx: Context, req: Json) -> None:
    sheet = ctx.sheet(req.get("sheetId"))
    length = int(req.get("length") or 0)
    if req.get("dimension") == "ROWS":
        sheet.resize(rows=sheet.row_count + length)
    elif req.get("dimension") == "COLUMNS":
        sheet.resize(columns=sheet.column_count + length)
    else:
        raise ctx.fail("dimension must be ROWS or COLUMNS.")


def insert_dimension(ctx: Context, req: Json) -> None:
    sheet, dimension, start, end = _dimension_range(ctx, req.get("range") or {})
    count = sheet.row_count if dimension == "ROWS" else sheet.column_count
    if start > count:
        raise ctx.fail(
            f"Cannot insert {dimension.lower()} at index {start}: the sheet has {count}."
        )
    sheet.insert(dimension, start, end - start)


def delete_dimension(ctx: Context, req: Json) -> None:
    sheet, dimension, start, end = _dimension_range(ctx, req.get("range") or {})
    count = sheet.row_count if dimension == "ROWS" else sheet.column_count
    end = min(end, count)
    if start == 0 and end >= count:
        word = "rows" if dimension == "ROWS" else "columns"
        raise ctx.fail(f"You can't delete all the {word} on the sheet.")
    sheet.delete(dimension, start, end)


def update_dimension_properties(ctx: Context, req: Json) -> None:
    sheet, dimension, start, end = _dimension_range(ctx, req.get("range") or {})
    mask = _mask(ctx, req)
    meta = sheet.row_meta if dimension == "ROWS" else sheet.column_meta
    for index in range(start, end):
        entry = meta.setdefault(index, {})
        masks.update(entry, req.get("properties") or {}, mask)
        if not entry:
            del meta[index]


def auto_resize_dimensions(ctx: Context, req: Json) -> None:
    sheet, dimension, start, end = _dimension_range(ctx, req.get("dimensions") or {})
    if dimension != "COLUMNS":
        return
    for col in range(start, end):
        longest = max(
            (
                len(str(c.value))
                for row in sheet.rows
                if col < len(row) and (c := row[col]) is not None and c.has_value
            ),
            default=0,
        )
        pixels = max(COLUMN_PIXELS, round(longest * _CHAR_PIXELS)) if longest else COLUMN_PIXELS
        sheet.column_meta.setdefault(col, {})["pixelSize"] = pixels


def add_dimension_group(ctx: Context, req: Json) -> Json:
    sheet, dimension, start, end = _dimension_range(ctx, req.get("range") or {})
    groups = sheet.row_groups if dimension == "ROWS" else sheet.column_groups
    depth = 1 + sum(
        1 for g in groups if g["range"]["startIndex"] <= start and end <= g["range"]["endIndex"]
    )
    groups.append(
        {"range": {"dimension": dimension, "startIndex": start, "endIndex": end}, "depth": depth}
    )
    groups.sort(key=lambda g: (g["depth"], g["range"]["startIndex"]))
    key = "rowGroupControlAfter" if dimension == "ROWS" else "columnGroupControlAfter"
    sheet.grid_properties[key] = True
    return {"dimensionGroups": copy.deepcopy(groups)}


def delete_dimension_group(ctx: Context, req: Json) -> Json:
    sheet, dimension, start, end = _dimension_range(ctx, req.get("range") or {})
    groups = sheet.row_groups if dimension == "ROWS" else sheet.column_groups
    matching = [
        g for g in groups if g["range"]["startIndex"] == start and g["range"]["endIndex"] == end
    ]
    if not matching:
        raise ctx.fail("No dimension group was found in the range.")
    groups.remove(max(matching, key=lambda g: g["depth"]))
    return {"dimensionGroups": copy.deepcopy(groups)} if groups else {}


def update_dimension_group(ctx: Context, req: Json) -> None:
    """The group named by its range and depth takes the fields given. Setting `collapsed`
    also hides (or shows) every row or column in it, as the API reference says."""
    wanted = req.get("dimensionGroup") or {}
    sheet, dimension, start, end = _dimension_range(ctx, wanted.get("range") or {})
    mask = _mask(ctx, req)
    groups = sheet.row_groups if dimension == "ROWS" else sheet.column_groups
    depth = int(wanted.get("depth") or 0)
    group = next(
        (
            g
            for g in groups
            if (g["range"]["startIndex"], g["range"]["endIndex"], g["depth"]) == (start, end, depth)
        ),
        None,
    )
    if group is None:
        raise ctx.fail("No dimension group was found in the range.")
    if masks.mentions(mask, "collapsed"):
        collapsed = bool(wanted.get("collapsed"))
        if collapsed:
            group["collapsed"] = True
        else:
            group.pop("collapsed", None)  # Google leaves out a false field
        meta = sheet.row_meta if dimension == "ROWS" else sheet.column_meta
        for index in range(start, end):
            entry = meta.setdefault(index, {})
            entry["hiddenByUser"] = collapsed
            if not collapsed:
                del entry["hiddenByUser"]
            if not entry:
                del meta[index]


def add_chart(ctx: Context, req: Json) -> Json:
    """A chart over a sheet (overlayPosition), kept as given; its id is one no other chart
    of the spreadsheet has. Charts on a sheet of their own are not modelled."""
    chart = copy.deepcopy(req.get("chart") or {})
    spec = chart.get("spec")
    if not isinstance(spec, dict) or not spec:
        raise ctx.fail("The chart must have a spec.")
    anchor = (chart.get("position") or {}).get("overlayPosition", {}).get("anchorCell")
    if not isinstance(anchor, dict):
        raise bad_request(
            f"Invalid {ctx.where}: the Sheets API stand-in models only overlayPosition charts."
        )
    sheet = ctx.sheet(anchor.get("sheetId"))
    for source in _chart_sources(spec):
        ctx.sheet(source.get("sheetId"))  # its data must be on a sheet of the spreadsheet
    taken = {c["chartId"] for s in ctx.spreadsheet.sheets for c in s.charts}
    wanted = chart.get("chartId")
    if wanted is not None and int(wanted) in taken:
        raise ctx.fail(f"An object with id {wanted} already exists.")
    chart["chartId"] = int(wanted) if wanted is not None else max(taken, default=0) + 1
    sheet.charts.append(chart)
    return {"chart": copy.deepcopy(chart)}


def _chart_sources(spec: Json) -> list[Json]:
    basic = spec.get("basicChart") or {}
    parts = [d.get("domain", {}) for d in basic.get("domains", [])]
    parts += [s.get("series", {}) for s in basic.get("series", [])]
    return [src for part in parts for src in part.get("sourceRange", {}).get("sources", [])]


def delete_embedded_object(ctx: Context, req: Json) -> None:
    wanted = req.get("objectId")
    for sheet in ctx.spreadsheet.sheets:
        for chart in sheet.charts:
            if chart["chartId"] == wanted:
                sheet.charts.remove(chart)
                return
    raise ctx.fail(f"No object with id: {wanted}")


def set_basic_filter(ctx: Context, req: Json) -> None:
    spec = copy.deepcopy(req.get("filter") or {})
    rng = spec.get("range") or {}
    sheet = ctx.sheet(rng.get("sheetId"))
    grid = grid_from_range(sheet, rng)
    spec["range"] = {
        "sheetId": sheet.sheet_id,
        "startRowIndex": grid.r0,
        "endRowIndex": grid.r1,
        "startColumnIndex": grid.c0,
        "endColumnIndex": grid.c1,
    }
    sheet.basic_filter = spec


def clear_basic_filter(ctx: Context, req: Json) -> None:
    ctx.sheet(req.get("sheetId")).basic_filter = None


def add_named_range(ctx: Context, req: Json) -> Json:
    named = copy.deepcopy(req.get("namedRange") or {})
    name = str(named.get("name") or "")
    if not name:
        raise ctx.fail("The named range must have a name.")
    if any(str(n["name"]).casefold() == name.casefold() for n in ctx.spreadsheet.named_ranges):
        raise ctx.fail(f"A named range with the name {name} already exists.")
    ctx.sheet(named.get("range", {}).get("sheetId"))
    named["namedRangeId"] = named.get("namedRangeId") or str(ctx.store.new_object_id())
    stored = {"namedRangeId": named["namedRangeId"], "name": name, "range": named.get("range", {})}
    ctx.spreadsheet.named_ranges.append(stored)
    return {"namedRange": {**copy.deepcopy(stored), "range": formats.grid_range(stored["range"])}}


def _named(ctx: Context, named_id: Any) -> Json:
    for named in ctx.spreadsheet.named_ranges:
        if named["namedRangeId"] == str(named_id):
            return named
    raise ctx.fail(f"No named range with id {named_id}.")


def update_named_range(ctx: Context, req: Json) -> None:
    source = req.get("namedRange") or {}
    named = _named(ctx, source.get("namedRangeId"))
    masks.update(named, source, _mask(ctx, req), skip=("namedRangeId",))


def delete_named_range(ctx: Context, req: Json) -> None:
    ctx.spreadsheet.named_ranges.remove(_named(ctx, req.get("namedRangeId")))


def add_protected_range(ctx: Context, req: Json) -> Json:
    given = req.get("protectedRange") or {}
    rng = copy.deepcopy(given.get("range") or {})
    ctx.sheet(rng.get("sheetId"))
    stored: Json = {
        "protectedRangeId": given.get("protectedRangeId") or ctx.store.new_object_id(),
        "range": rng,
    }
    if given.get("description"):
        stored["description"] = given["description"]
    if given.get("warningOnly"):
        stored["warningOnly"] = True
    stored["requestingUserCanEdit"] = True
    editors = {k: v for k, v in (given.get("editors") or {}).items() if v}
    stored["editors"] = editors
    if ctx.caller:
        stored["owner"] = ctx.caller
    for sheet in ctx.spreadsheet.sheets:
        if sheet.sheet_id == int(rng.get("sheetId") or 0):
            sheet.protected_ranges.append(stored)
    return {"protectedRange": metadata.protected_view(stored, reply=True)}


def _protected(ctx: Context, protected_id: Any) -> tuple[Sheet, Json]:
    for sheet in ctx.spreadsheet.sheets:
        for protected in sheet.protected_ranges:
            if str(protected["protectedRangeId"]) == str(protected_id):
                return sheet, protected
    raise ctx.fail(f"No protected range with id: {protected_id}")


def update_protected_range(ctx: Context, req: Json) -> None:
    source = req.get("protectedRange") or {}
    _, protected = _protected(ctx, source.get("protectedRangeId"))
    masks.update(protected, source, _mask(ctx, req), skip=("protectedRangeId",))


def delete_protected_range(ctx: Context, req: Json) -> None:
    sheet, protected = _protected(ctx, req.get("protectedRangeId"))
    sheet.protected_ranges.remove(protected)
