"""One cell: what a value write stores, and how each render option reads it back.

Google keeps, per cell, the value as entered (text, number, boolean or formula), the
value it evaluates to, and the number format that typing it chose (a typed date keeps
``yyyy-mm-dd``, ``2,000,000.01`` keeps its separators). The stand-in keeps the same three
things, evaluates only plain arithmetic formulas (``=4/2``; any other formula reads back as
its own text), and renders:

- FORMATTED_VALUE: always text (``"1.5"``, ``"TRUE"``, ``"2020-01-01"``);
- UNFORMATTED_VALUE: numbers and booleans as JSON numbers and booleans; dates as serial
  numbers, or as their formatted text with ``dateTimeRenderOption=FORMATTED_STRING``;
- FORMULA: the formula's text, else as UNFORMATTED_VALUE.
"""

from __future__ import annotations

import ast
import datetime as dt
import math
import operator
import re
from collections.abc import Callable
from typing import Any

from sheets_sync.testing.sheets_api.errors import ApiError

Scalar = str | int | float | bool

RENDER_OPTIONS = ("FORMATTED_VALUE", "UNFORMATTED_VALUE", "FORMULA")
DATE_OPTIONS = ("SERIAL_NUMBER", "FORMATTED_STRING")
INPUT_OPTIONS = ("RAW", "USER_ENTERED")

_EPOCH = dt.datetime(1899, 12, 30)
_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:[eE][+-]?\d+)?")
_DATE_FORMS = (
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"), "ymd"),
    (re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})"), "ymd"),
    (re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})"), "mdy"),
)
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")


class Cell:
    """What the model keeps for a cell; ``value is None`` and no formula means no value."""

    __slots__ = (
        *("display", "format", "formula", "is_date", "note", "runs", "validation", "value"),
    )

    def __init__(self) -> None:
        self.value: Scalar | None = None
        self.formula: str | None = None
        self.display: str | None = None
        self.is_date = False
        self.note: str | None = None
        self.format: dict[str, Any] | None = None
        self.validation: dict[str, Any] | None = None
        self.runs: list[dict[str, Any]] | None = None  # textFormatRuns: links within the text

    @property
    def has_value(self) -> bool:
        return self.formula is not None or (self.value is not None and self.value != "")

    @property
    def has_data(self) -> bool:
        extras = (self.note, self.format, self.validation, self.runs)
        return self.has_value or any(x is not None for x in extras)

    def clear_value(self) -> None:
        self.value = None
        self.formula = None
        self.display = None
        self.is_date = False

    def copy(self) -> Cell:
        """A twin; formats and validations are shared, as nothing changes them in place."""
        twin = Cell.__new__(Cell)
        twin.value, twin.formula, twin.display = self.value, self.formula, self.display
        twin.is_date, twin.note = self.is_date, self.note
        twin.format, twin.validation, twin.runs = self.format, self.validation, self.runs
        return twin

    def __deepcopy__(self, memo: dict[int, object]) -> Cell:
        return self.copy()


class Entered:
    """A parsed input value, ready to be stored in a cell."""

    __slots__ = ("display", "formula", "is_date", "value")

    def __init__(
        self,
        value: Scalar | None,
        formula: str | None = None,
        display: str | None = None,
        is_date: bool = False,
    ) -> None:
        self.value = value
        self.formula = formula
        self.display = display
        self.is_date = is_date

    def store(self, cell: Cell) -> None:
        cell.value = self.value
        cell.formula = self.formula
        cell.display = self.display
        cell.is_date = self.is_date


CLEAR = Entered(None)


def parse_input(raw: Any, user_entered: bool, where: str) -> Entered | None:
    """A JSON value from a write; None means 'leave the cell as it is' (JSON null)."""
    if raw is None:
        return None
    if isinstance(raw, dt.date):  # only from the Python helpers: a date as a person types it
        return _date_entered(raw)
    if isinstance(raw, bool):
        return Entered(raw)
    if isinstance(raw, int | float):
        return Entered(raw)
    if not isinstance(raw, str):
        kind = "list_value" if isinstance(raw, list) else "struct_value"
        raise ApiError(400, f"Invalid {where}: {kind} {raw!r}")
    if raw == "":
        return CLEAR
    if not user_entered:
        return Entered(raw)
    return parse_typed(raw)


def parse_typed(text: str) -> Entered:
    """What Sheets makes of text typed into a cell (USER_ENTERED)."""
    if text.startswith("'"):
        return Entered(text[1:]) if len(text) > 1 else CLEAR
    if text.startswith("=") and len(text) > 1:
        return Entered(evaluate(text), formula=text)
    stripped = text.strip()
    if stripped.upper() in ("TRUE", "FALSE"):
        return Entered(stripped.upper() == "TRUE")
    number = _typed_number(stripped)
    if number is not None:
        return number
    serial = _typed_date(stripped)
    if serial is not None:
        return Entered(serial, display=stripped, is_date=True)
    return Entered(text)


def _date_entered(day: dt.date) -> Entered:
    if isinstance(day, dt.datetime):
        moment = day.replace(tzinfo=None)
        serial = (moment - _EPOCH).total_seconds() / 86400
        return Entered(serial, display=moment.strftime("%Y-%m-%d %H:%M:%S"), is_date=True)
    serial = float((dt.datetime(day.year, day.month, day.day) - _EPOCH).days)
    return Entered(serial, display=day.isoformat(), is_date=True)


def _typed_number(text: str) -> Entered | None:
    body, percent = (text[:-1], True) if text.endswith("%") else (text, False)
    currency = body.startswith("$")
    if currency:
        body = body[1:]
    if not body or not any(ch.isdigit() for ch in body) or not _NUMBER.fullmatch(body):
        return None
    value = float(body.replace(",", ""))
    if percent:
        value /= 100
    number: int | float = int(value) if value.is_integer() and abs(value) < 2**53 else value
    keeps_format = percent or currency or "," in body
    return Entered(number, display=text if keeps_format else None)


def _typed_date(text: str) -> float | None:
    date_part, _, time_part = text.partition(" ")
    day: dt.datetime | None = None
    for pattern, order in _DATE_FORMS:
        match = pattern.fullmatch(date_part)
        if match:
            a, b, c = (int(g) for g in match.groups())
            y, m, d = (a, b, c) if order == "ymd" else (c, a, b)
            try:
                day = dt.datetime(y, m, d)
            except ValueError:
                return None
            break
    if day is None:
        time_only = _TIME.fullmatch(text)
        if time_only is None:
            return None
        return _seconds(time_only) / 86400
    if time_part:
        match = _TIME.fullmatch(time_part.strip())
        if match is None:
            return None
        return (day - _EPOCH).days + _seconds(match) / 86400
    return float((day - _EPOCH).days)


def _seconds(match: re.Match[str]) -> int:
    h, m, s = match.group(1), match.group(2), match.group(3) or "0"
    return int(h) * 3600 + int(m) * 60 + int(s)


_OPERATORS: dict[type, Callable[..., float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
    ast.USub: operator.neg,
    ast.UAdd: operator.pos,
}


def evaluate(formula: str) -> Scalar:
    """Plain arithmetic (``=4/2``, ``= 1 / 1024``); anything else evaluates to its own text."""
    source = formula[1:].strip().replace("^", "**")
    try:
        tree = ast.parse(source, mode="eval")
        result = _arith(tree.body)
    except (SyntaxError, ValueError, TypeError, ZeroDivisionError, OverflowError):
        return formula
    if math.isnan(result) or math.isinf(result):
        return formula
    return int(result) if float(result).is_integer() and abs(result) < 2**53 else result


def _arith(node: ast.AST) -> float:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        if isinstance(node.value, bool):
            raise ValueError("not arithmetic")
        return float(node.value)
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        return _OPERATORS[type(node.op)](_arith(node.left), _arith(node.right))
    if isinstance(node, ast.UnaryOp) and type(node.op) in _OPERATORS:
        return _OPERATORS[type(node.op)](_arith(node.operand))
    raise ValueError("not arithmetic")


def render(cell: Cell | None, value_option: str, date_option: str) -> Any:
    """The JSON value a values read answers for one cell ('' for an empty one)."""
    if cell is None or not cell.has_value:
        return ""
    if value_option == "FORMULA" and cell.formula is not None:
        return cell.formula
    value = cell.value
    if value_option == "FORMATTED_VALUE":
        return formatted(cell)
    if cell.is_date and date_option == "FORMATTED_STRING" and cell.display is not None:
        return cell.display
    return json_number(value) if isinstance(value, int | float) else value


def formatted(cell: Cell) -> str:
    if cell.display is not None:
        return cell.display
    value = cell.value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return general_number(value)
    return "" if value is None else value


def general_number(x: float) -> str:
    """A number in Sheets' automatic format."""
    if float(x).is_integer() and abs(x) < 1e15:
        return str(int(x))
    text = f"{x:.15g}"
    if "e" in text:
        return f"{x:.2E}"
    return text


def json_number(x: float) -> int | float:
    """Integral numbers go out as JSON integers, as Google writes them."""
    if isinstance(x, float) and x.is_integer() and abs(x) < 2**53:
        return int(x)
    return x


def extended_value(cell: Cell, user_entered: bool) -> dict[str, Any] | None:
    """The cell's ``userEnteredValue`` or ``effectiveValue`` as an API ExtendedValue."""
    if not cell.has_value:
        return None
    if user_entered and cell.formula is not None:
        return {"formulaValue": cell.formula}
    value = cell.value
    if isinstance(value, bool):
        return {"boolValue": value}
    if isinstance(value, int | float):
        return {"numberValue": json_number(value)}
    return {"stringValue": "" if value is None else value}


def from_extended(value: Any, where: str) -> Entered:
    """An ExtendedValue from an ``updateCells``/``repeatCell`` request, as a stored value."""
    if not isinstance(value, dict) or not value:
        return CLEAR
    if "formulaValue" in value:
        formula = str(value["formulaValue"])
        return Entered(evaluate(formula), formula=formula)
    for key in ("stringValue", "numberValue", "boolValue"):
        if key in value:
            return Entered(value[key])
    raise ApiError(400, f"Invalid {where}: unsupported value {value!r}")
