"""Cells as the Sheets API takes them: CellData for every cell the worker writes."""

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
    """A cell's value once dates are numbers (`input_value`): text stays text."""
    if value is None:
        return ""
    if isinstance(value, str):
        return fit_cell(value, MAX_TEXT)
    if isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)  # JSON has no NaN
    if isinstance(value, Link):  # its text; the link itself goes in textFormatRuns
        return fit_cell(value.text, MAX_TEXT)
    return fit_cell(str(value), MAX_TEXT)


def input_value(value: object) -> Value:
    """A cell's value: dates as serial numbers (shown as dates by the column's format)."""
    if isinstance(value, datetime):
        return to_serial(value)
    if isinstance(value, date):
        return int(to_serial(value))
    if isinstance(value, clock_time | timedelta):
        return str(value)
    return cell_value(value)


def cell_data(value: object) -> dict[str, Any]:
    """A cell as CellData; a stringValue is taken as typed, never as a formula."""
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
