"""Cell values as the Sheets API takes them: RAW values, and CellData for `init`."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from typing import Any

from sheets_sync.core.table import Link, fit_cell
from sheets_sync.core.values import to_serial

MAX_TEXT = 50_000  # Google's limit on one cell's text

Value = str | int | float | bool


def cell_value(value: object) -> Value:
    """An owned table's cell for a RAW write: text stays text, nothing becomes a formula."""
    if value is None:
        return ""
    if isinstance(value, str):
        return fit_cell(value, MAX_TEXT)
    if isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)  # JSON has no NaN
    if isinstance(value, date):  # a serial number, shown as a date by the column's format
        return to_serial(value)
    if isinstance(value, Link):  # its text: a RAW write cannot carry the link
        return fit_cell(value.text, MAX_TEXT)
    return fit_cell(str(value), MAX_TEXT)


def input_value(value: object) -> Value:
    """A cell `init` writes: dates as serial numbers (shown as dates by the column's format)."""
    if isinstance(value, datetime):
        return to_serial(value)
    if isinstance(value, date):
        return int(to_serial(value))
    if isinstance(value, clock_time | timedelta):
        return str(value)
    return cell_value(value)


def cell_data(value: object) -> dict[str, Any]:
    """`init`'s cell as CellData; a stringValue is taken as typed, never as a formula."""
    raw = input_value(value)
    if raw == "":
        return {}
    if isinstance(raw, bool):
        return {"userEnteredValue": {"boolValue": raw}}
    if isinstance(raw, str):
        return {"userEnteredValue": {"stringValue": raw}}
    return {"userEnteredValue": {"numberValue": raw}}


def row_data(rows: Sequence[Sequence[object]]) -> list[dict[str, Any]]:
    return [{"values": [cell_data(v) for v in row]} for row in rows]
