"""`spreadsheets.batchUpdate` requests that give a tab its shape and looks.

An owned tab's looks are sent only when the metadata shows something missing or wrong,
and then all of them at once (header, widths, status colours, protection), so a tab a
person reformatted comes back whole. Status colours are conditional-format rules (one
per status word), so writing new values never needs formatting requests.
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Sequence
from typing import Any

from sheets_sync.adapters.gsheets.cells import row_data
from sheets_sync.adapters.gsheets.sheets import Box, RuleKey, Sheet, ranges_key
from sheets_sync.core.table import (
    BAR_COLOURS,
    HEADER_FILL,
    TAB_COLOUR,
    TONE_COLOURS,
    TONES,
    ChartPlace,
    Column,
    InputTab,
    Table,
    chart_place,
    laid_out,
)

Request = dict[str, Any]
PROTECTION_NOTE = (
    "Written by sheets-sync on every run; edits here are replaced by the next run. "
    "Change the input tabs instead."
)
DEFAULT_COLUMNS = 26  # a new Google Sheets tab's width
_PIXELS_PER_CHARACTER = 7  # Arial 10, Sheets' default font
_ROW_PIXELS = 21  # Sheets' default row height
_DATE_TYPES = {"date": "DATE", "datetime": "DATE_TIME"}


def rgb(hex_colour: str) -> dict[str, float]:
    red, green, blue = (int(hex_colour[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return {"red": red, "green": green, "blue": blue}


def rows_for(need: int) -> int:
    """A grid's row count for a table: a quarter more and 50 rows of room to grow, in whole
    hundreds (so a Run Log growing a row a run grows its grid on runs 100, 200 and 400)."""
    return -(-(need + need // 4 + 50) // 100) * 100


def new_sheet_id(title: str, taken: set[int]) -> int:
    """An id for a tab about to be added, so later requests in the same batch can name it."""
    sheet_id = zlib.crc32(title.encode()) & 0x7FFFFFFF
    while sheet_id in taken or sheet_id == 0:
        sheet_id = (sheet_id + 1) & 0x7FFFFFFF
    taken.add(sheet_id)
    return sheet_id


def toned_columns(table: Table) -> list[int]:
    return [index for index, column in enumerate(table.columns) if column.toned]


def expected_rules(table: Table) -> list[RuleKey]:
    ranges = ranges_key([_column_range(0, c) for c in toned_columns(table)])
    return [("TEXT_EQ", (word,), ranges) for word in TONES] if ranges else []


def looks_intact(sheet: Sheet, table: Table, rows: int, columns: int) -> bool:
    """Whether everything about an owned tab that metadata shows is as the worker left it."""
    ours = [p for p in sheet.protections if p.description == PROTECTION_NOTE]
    colour = sheet.tab_colour
    return (
        sheet.rows >= rows
        and sheet.columns >= columns
        and sheet.frozen_rows == 1
        and sheet.frozen_columns == table.frozen_columns
        and colour is not None
        and all(abs(a - b) < 0.01 for a, b in zip(colour, rgb(TAB_COLOUR).values(), strict=True))
        and len(ours) == 1
        and ours[0].warning_only
        and ours[0].whole_sheet
        and Counter(sheet.rules) == Counter(expected_rules(table))
        and _filter_intact(sheet.filter, sheet.rows, len(table.columns))
        and sheet.column_groups == _groups(table)
        and (chart_place(table) is None or chart_id(sheet.sheet_id) in sheet.chart_ids)
    )


def chart_id(sheet_id: int) -> int:
    """The id of the worker's chart over a tab: the same every run, so it can be found."""
    return zlib.crc32(f"sheets-sync chart {sheet_id}".encode()) & 0x7FFFFFFF


def _groups(table: Table) -> tuple[tuple[int, int, int], ...]:
    """The column groups an owned tab has: its folded columns, one level deep (folded or
    opened, as a person left them)."""
    return () if table.folded is None else ((*table.folded, 1),)


def _filter_intact(box: Box | None, rows: int, width: int) -> bool:
    """The header's filter covers the table's columns and every row of the grid (a table
    grown narrower keeps the wider filter, as it keeps its grid)."""
    if box is None:
        return False
    first_row, end_row, first_column, end_column = box
    return (
        (first_row, first_column) == (0, 0)
        and (end_row is None or end_row >= rows)
        and (end_column is None or end_column >= width)
    )


def add_owned_sheet(table: Table, sheet_id: int, rows: int, columns: int) -> Request:
    return {
        "addSheet": {
            "properties": {
                "sheetId": sheet_id,
                "title": table.name,
                "gridProperties": {
                    "rowCount": rows,
                    "columnCount": columns,
                    "frozenRowCount": 1,
                    "frozenColumnCount": table.frozen_columns,
                },
                "tabColorStyle": {"rgbColor": rgb(TAB_COLOUR)},
            }
        }
    }


def reshape_owned_sheet(table: Table, sheet: Sheet, rows: int, columns: int) -> list[Request]:
    """Grid size, frozen header and tab colour, and the removal of old rules and protection."""
    requests: list[Request] = [
        {
            "updateSheetProperties": {
                "properties": {
                    "sheetId": sheet.sheet_id,
                    "gridProperties": {
                        "rowCount": rows,
                        "columnCount": columns,
                        "frozenRowCount": 1,
                        "frozenColumnCount": table.frozen_columns,
                    },
                    "tabColorStyle": {"rgbColor": rgb(TAB_COLOUR)},
                },
                "fields": "gridProperties(rowCount,columnCount,frozenRowCount,frozenColumnCount),"
                "tabColorStyle",
            }
        }
    ]
    # Highest index first, so each deletion leaves the remaining indexes as they were.
    requests.extend(
        {"deleteConditionalFormatRule": {"sheetId": sheet.sheet_id, "index": index}}
        for index in reversed(range(len(sheet.rules)))
    )
    requests.extend(
        {"deleteProtectedRange": {"protectedRangeId": p.protected_range_id}}
        for p in sheet.protections
        if p.description == PROTECTION_NOTE
    )
    if chart_id(sheet.sheet_id) in sheet.chart_ids:  # added again with the looks
        requests.append({"deleteEmbeddedObject": {"objectId": chart_id(sheet.sheet_id)}})
    # Deepest first: a deletion takes the deepest group of that range.
    requests.extend(
        {"deleteDimensionGroup": {"range": _columns(sheet.sheet_id, first, end)}}
        for first, end, _ in sorted(sheet.column_groups, key=lambda g: -g[2])
    )
    return requests


def owned_looks(sheet_id: int, table: Table, rows: int, columns: int) -> list[Request]:
    """Header, body, widths, date formats, wrapped text, status colours, folded columns, the
    header's filter and protection of an owned tab."""
    laid, _ = laid_out(table)
    width = len(laid)
    requests = [
        *(_header_format(sheet_id, first, end) for first, end in _titled_runs(laid)),
        *_widths(sheet_id, [c.width for c in laid]),
    ]
    if rows > 1:  # what a person formatted below the header goes, as with a rewritten .xlsx tab
        requests.append(_format(sheet_id, (1, rows, 0, columns), {}, "userEnteredFormat"))
    if columns > width:  # a previously wider table's header cells lose their look
        requests.append(_format(sheet_id, (0, 1, width, columns), {}, "userEnteredFormat"))
    for at, column in enumerate(laid):
        where = _column_range(sheet_id, at)
        if column.dated:  # the locale's own pattern, as the .xlsx backend's built-in formats
            number = {"numberFormat": {"type": _DATE_TYPES[column.dated]}}
            requests.append({"repeatCell": _cell(where, number, "userEnteredFormat.numberFormat")})
        if column.wrapped:
            wrap = {"wrapStrategy": "WRAP"}
            requests.append({"repeatCell": _cell(where, wrap, "userEnteredFormat.wrapStrategy")})
    ranges = [_column_range(sheet_id, c) for c in toned_columns(table)]
    if ranges:
        for index, (word, tone) in enumerate(TONES.items()):
            fill, text = TONE_COLOURS[tone]
            rule = {
                "ranges": ranges,
                "booleanRule": {
                    "condition": {"type": "TEXT_EQ", "values": [{"userEnteredValue": word}]},
                    "format": {
                        "backgroundColorStyle": {"rgbColor": rgb(fill)},
                        "textFormat": {"foregroundColorStyle": {"rgbColor": rgb(text)}},
                    },
                },
            }
            requests.append({"addConditionalFormatRule": {"rule": rule, "index": index}})
    if table.folded is not None:  # grouped, then folded: this also hides the columns
        folded = _columns(sheet_id, *table.folded)
        group = {"range": folded, "depth": 1, "collapsed": True}
        requests.append({"addDimensionGroup": {"range": folded}})
        requests.append({"updateDimensionGroup": {"dimensionGroup": group, "fields": "collapsed"}})
    place = chart_place(table)
    if place is not None:
        requests.append(_add_chart(sheet_id, place, laid))
    # A filter on the header over the table's columns (not its panel) and every row, so
    # leaders can sort and filter; a person's own criteria stay until the grid must grow.
    box = {"sheetId": sheet_id, "startRowIndex": 0, "endRowIndex": rows}
    box |= {"startColumnIndex": 0, "endColumnIndex": len(table.columns)}
    requests.append({"setBasicFilter": {"filter": {"range": box}}})
    requests.append(
        {
            "addProtectedRange": {
                "protectedRange": {
                    "range": {"sheetId": sheet_id},
                    "description": PROTECTION_NOTE,
                    "warningOnly": True,
                }
            }
        }
    )
    return requests


def _add_chart(sheet_id: int, place: ChartPlace, laid: Sequence[Column]) -> Request:
    """A column chart of the panel's cells, one bar per status in its colour, its value on
    top; over the cells below the panel, as wide as the columns it covers."""

    def cells(row: int, first: int, end: int) -> dict[str, Any]:
        return {"sourceRange": {"sources": [
            {"sheetId": sheet_id, "startRowIndex": row, "endRowIndex": row + 1,
             "startColumnIndex": first, "endColumnIndex": end}
        ]}}  # fmt: skip

    chart = place.chart
    top, left, bottom, right = place.box
    colours = [
        {"index": i, "colorStyle": {"rgbColor": rgb(BAR_COLOURS[tone])}}
        for i, tone in enumerate(chart.tones)
    ]
    spec = {
        "title": chart.title,
        "basicChart": {
            "chartType": "COLUMN",
            "legendPosition": "NO_LEGEND",
            "axis": [{"position": "BOTTOM_AXIS"}, {"position": "LEFT_AXIS"}],
            "domains": [{"domain": cells(0, place.first, place.end)}],
            "series": [
                {
                    "series": cells(1, place.first, place.end),
                    "targetAxis": "LEFT_AXIS",
                    "dataLabel": {"type": "DATA", "placement": "OUTSIDE_END"},
                    "styleOverrides": colours,
                }
            ],
            "headerCount": 0,
        },
    }
    width = sum(c.width for c in laid[left:right]) * _PIXELS_PER_CHARACTER
    position = {
        "overlayPosition": {
            "anchorCell": {"sheetId": sheet_id, "rowIndex": top, "columnIndex": left},
            "widthPixels": width,
            "heightPixels": (bottom - top) * _ROW_PIXELS,
        }
    }
    chart_data = {"chartId": chart_id(sheet_id), "spec": spec, "position": position}
    return {"addChart": {"chart": chart_data}}


def _titled_runs(columns: Sequence[Column]) -> list[tuple[int, int]]:
    """Each run of columns with a title, as (first, end): the header's look skips blanks."""
    runs: list[tuple[int, int]] = []
    for at, column in enumerate(columns):
        if not column.title:
            continue
        if runs and runs[-1][1] == at:
            runs[-1] = (runs[-1][0], at + 1)
        else:
            runs.append((at, at + 1))
    return runs


def add_input_sheet(sheet_id: int, tab: InputTab, rows: int) -> list[Request]:
    """A new input tab: header and rows, bold frozen header, widths, dropdowns, dates."""
    columns = max(DEFAULT_COLUMNS, len(tab.columns))
    grid = {"rowCount": rows, "columnCount": columns, "frozenRowCount": 1}
    properties = {"sheetId": sheet_id, "title": tab.name, "gridProperties": grid}
    cells = row_data([[c.title for c in tab.columns], *tab.rows])
    requests: list[Request] = [
        {"addSheet": {"properties": properties}},
        {
            "updateCells": {
                "start": {"sheetId": sheet_id, "rowIndex": 0, "columnIndex": 0},
                "rows": cells,
                "fields": "userEnteredValue",
            }
        },
        _header_format(sheet_id, 0, len(tab.columns)),
        *_widths(sheet_id, [column.width for column in tab.columns]),
    ]
    for index, column in enumerate(tab.columns):
        body = _column_range(sheet_id, index)
        if column.is_date:  # the locale's own date pattern, like the xlsx backend's format 14
            date = {"numberFormat": {"type": "DATE"}}
            requests.append({"repeatCell": _cell(body, date, "userEnteredFormat.numberFormat")})
        condition = _dropdown(column.choices, column.source)
        if condition is not None:
            rule = {"condition": condition, "strict": False, "showCustomUi": True}
            requests.append({"setDataValidation": {"range": body, "rule": rule}})
    return requests


def _dropdown(choices: Sequence[str], source: str) -> dict[str, Any] | None:
    if source:
        formula = source if source.startswith("=") else f"={source}"
        return {"type": "ONE_OF_RANGE", "values": [{"userEnteredValue": formula}]}
    if choices:
        return {"type": "ONE_OF_LIST", "values": [{"userEnteredValue": c} for c in choices]}
    return None


def _columns(sheet_id: int, first: int, end: int) -> dict[str, Any]:
    return {"sheetId": sheet_id, "dimension": "COLUMNS", "startIndex": first, "endIndex": end}


def _column_range(sheet_id: int, column: int) -> dict[str, int]:
    """A column below its header, to the tab's last row however many rows it gets."""
    return {
        "sheetId": sheet_id,
        "startRowIndex": 1,
        "startColumnIndex": column,
        "endColumnIndex": column + 1,
    }


def _header_format(sheet_id: int, first: int, end: int) -> Request:
    """Header cells `first` to before `end`: bold on the header's fill."""
    look = {"textFormat": {"bold": True}, "backgroundColorStyle": {"rgbColor": rgb(HEADER_FILL)}}
    fields = "userEnteredFormat(textFormat.bold,backgroundColorStyle)"
    return _format(sheet_id, (0, 1, first, max(end, first + 1)), look, fields)


def _format(
    sheet_id: int, box: tuple[int, int, int, int], look: dict[str, Any], fields: str
) -> Request:
    first_row, end_row, first_column, end_column = box
    where = {
        "sheetId": sheet_id,
        "startRowIndex": first_row,
        "endRowIndex": end_row,
        "startColumnIndex": first_column,
        "endColumnIndex": end_column,
    }
    return {"repeatCell": _cell(where, look, fields)}


def _cell(where: dict[str, int], look: dict[str, Any], fields: str) -> dict[str, Any]:
    return {"range": where, "cell": {"userEnteredFormat": look}, "fields": fields}


def _widths(sheet_id: int, widths: Sequence[int]) -> list[Request]:
    """Column widths in pixels, from widths in characters as spreadsheets measure them."""
    return [
        {
            "updateDimensionProperties": {
                "range": {
                    "sheetId": sheet_id,
                    "dimension": "COLUMNS",
                    "startIndex": index,
                    "endIndex": index + 1,
                },
                "properties": {"pixelSize": width * _PIXELS_PER_CHARACTER + 5},
                "fields": "pixelSize",
            }
        }
        for index, width in enumerate(widths)
    ]
