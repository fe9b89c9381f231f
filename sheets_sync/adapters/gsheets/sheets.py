"""The spreadsheet's metadata, as far as a cycle needs it, from one `spreadsheets.get`.

The `fields` mask asks for the tabs' names, ids and grid sizes, and for the parts of the
owned tabs' looks that live in metadata (frozen rows, tab colour, protection, conditional
formats, the header's filter, folded columns, charts), so that a cycle can tell without another
request whether a person removed any.
Google leaves out fields that hold their default (`0`, `false`), hence the `.get(…, 0)`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sheets_sync.core.grid import match_tab, tab_named

FIELDS = (
    "spreadsheetId,properties(title,timeZone),"
    "sheets(properties(sheetId,title,sheetType,"
    "gridProperties(rowCount,columnCount,frozenRowCount,frozenColumnCount),tabColor,tabColorStyle),"
    "protectedRanges(protectedRangeId,range,description,warningOnly),"
    "conditionalFormats(ranges,booleanRule(condition)),basicFilter(range),"
    "columnGroups(range,depth),charts(chartId))"
)

Rgb = tuple[float, float, float]
# A conditional format rule as compared: condition type, its values, and its ranges as
# (first row, first column, end column).
RuleKey = tuple[str, tuple[str, ...], tuple[tuple[int, int, int | None], ...]]
# A range as (first row, end row, first column, end column); None where it is unbounded.
Box = tuple[int, int | None, int, int | None]


@dataclass(frozen=True)
class Protection:
    protected_range_id: int
    description: str
    warning_only: bool
    whole_sheet: bool


@dataclass(frozen=True)
class Sheet:
    sheet_id: int
    title: str
    is_grid: bool
    rows: int
    columns: int
    frozen_rows: int
    frozen_columns: int
    tab_colour: Rgb | None
    protections: tuple[Protection, ...]
    rules: tuple[RuleKey, ...]  # in the sheet's order: a rule's index is its position
    filter: Box | None = None  # the basic filter's range, when the tab has one
    column_groups: tuple[tuple[int, int, int], ...] = ()  # (first, end, depth) of each
    chart_ids: tuple[int, ...] = ()  # the charts over the tab


@dataclass(frozen=True)
class Book:
    title: str
    sheets: tuple[Sheet, ...]
    time_zone: str = ""  # the spreadsheet's (File, Settings): a Form writes its times in it

    @property
    def titles(self) -> list[str]:
        return [sheet.title for sheet in self.sheets]

    @property
    def sheet_ids(self) -> set[int]:
        return {sheet.sheet_id for sheet in self.sheets}

    def find(self, wanted: str) -> Sheet | None:
        """The input tab a configured name means (matched loosely, like every backend)."""
        return self._titled(match_tab(self.titles, wanted))

    def owned(self, wanted: str) -> Sheet | None:
        """The worker's own tab of that name, ignoring case only (never loosely)."""
        return self._titled(tab_named(self.titles, wanted))

    def _titled(self, title: str | None) -> Sheet | None:
        return next((sheet for sheet in self.sheets if sheet.title == title), None)


def parse_book(data: Mapping[str, Any]) -> Book:
    properties = data.get("properties", {})
    sheets = tuple(_sheet(s) for s in data.get("sheets", ()))
    return Book(str(properties.get("title", "")), sheets, str(properties.get("timeZone", "")))


def _sheet(data: Mapping[str, Any]) -> Sheet:
    props = data.get("properties", {})
    grid = props.get("gridProperties", {})
    return Sheet(
        sheet_id=int(props.get("sheetId", 0)),
        title=str(props.get("title", "")),
        is_grid=props.get("sheetType", "GRID") == "GRID",
        rows=int(grid.get("rowCount", 0)),
        columns=int(grid.get("columnCount", 0)),
        frozen_rows=int(grid.get("frozenRowCount", 0)),
        frozen_columns=int(grid.get("frozenColumnCount", 0)),
        tab_colour=_tab_colour(props),
        protections=tuple(_protection(p) for p in data.get("protectedRanges", ())),
        rules=tuple(_rule(r) for r in data.get("conditionalFormats", ())),
        filter=_box(data["basicFilter"].get("range", {})) if "basicFilter" in data else None,
        column_groups=tuple(_group(g) for g in data.get("columnGroups", ())),
        chart_ids=tuple(int(c.get("chartId", 0)) for c in data.get("charts", ())),
    )


def _group(data: Mapping[str, Any]) -> tuple[int, int, int]:
    where = data.get("range", {})
    return (
        int(where.get("startIndex", 0)),
        int(where.get("endIndex", 0)),
        int(data.get("depth", 0)),
    )


def _box(where: Mapping[str, Any]) -> Box:
    def bound(key: str) -> int | None:
        return None if where.get(key) is None else int(where[key])

    first_row, first_column = where.get("startRowIndex", 0), where.get("startColumnIndex", 0)
    return (int(first_row), bound("endRowIndex"), int(first_column), bound("endColumnIndex"))


def _tab_colour(props: Mapping[str, Any]) -> Rgb | None:
    style = props.get("tabColorStyle")
    colour = style.get("rgbColor") if isinstance(style, dict) else props.get("tabColor")
    if not isinstance(colour, dict):
        return None
    return rgb_of(colour)


def rgb_of(colour: Mapping[str, Any]) -> Rgb:
    return (
        float(colour.get("red", 0)),
        float(colour.get("green", 0)),
        float(colour.get("blue", 0)),
    )


def _protection(data: Mapping[str, Any]) -> Protection:
    where = data.get("range", {})
    whole = not (set(where) - {"sheetId"})  # no row or column bounds: the whole tab
    return Protection(
        protected_range_id=int(data.get("protectedRangeId", 0)),
        description=str(data.get("description", "")),
        warning_only=bool(data.get("warningOnly", False)),
        whole_sheet=whole,
    )


def _rule(data: Mapping[str, Any]) -> RuleKey:
    condition = data.get("booleanRule", {}).get("condition", {})
    values = tuple(str(v.get("userEnteredValue", "")) for v in condition.get("values", ()))
    return (str(condition.get("type", "")), values, ranges_key(data.get("ranges", ())))


def ranges_key(ranges: Sequence[Mapping[str, Any]]) -> tuple[tuple[int, int, int | None], ...]:
    keys = []
    for where in ranges:
        end = where.get("endColumnIndex")
        start_row, start_column = where.get("startRowIndex", 0), where.get("startColumnIndex", 0)
        keys.append((int(start_row), int(start_column), None if end is None else int(end)))
    return tuple(sorted(keys, key=lambda k: (k[0], k[1], -1 if k[2] is None else k[2])))
