"""A tab the worker owns, as values: what every backend writes, the same way.

Backends decide how a table looks (bold frozen header, widths, fills); the table
says only what is in it and which columns carry a status colour.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

Tone = Literal["good", "warn", "bad"]
Dated = Literal["", "date", "datetime"]

# Status words that get a colour wherever they stand in a toned column.
TONES: dict[str, Tone] = {
    "On track": "good",
    "Needs attention": "warn",
    "Overdue": "bad",
    "error": "bad",
    "warning": "warn",
    "MISSED": "bad",
    "ok": "good",
    "data errors": "warn",
    "failed": "bad",
}
# The looks of owned tabs, as RGB hex, the same in every backend. Tones use Excel's own
# Good / Neutral / Bad colours: light fills with dark text stay readable.
TONE_COLOURS: dict[Tone, tuple[str, str]] = {  # fill, text
    "good": ("C6EFCE", "006100"),
    "warn": ("FFEB9C", "9C5700"),
    "bad": ("FFC7CE", "9C0006"),
}
# A chart's bars are stronger than a cell's fill, in the same hues.
BAR_COLOURS: dict[Tone, str] = {"good": "6AA84F", "warn": "F1C232", "bad": "E06666"}
HEADER_FILL = "DDE4EE"
# Excel's limit on one cell's text; no cell a school types comes near it.
MAX_CELL_TEXT = 32_767
CUT_MARK = " [… cut]"  # ends a text cut to fit a cell, so no one takes it for the whole
TAB_COLOUR = "5B3F8C"  # one colour marks every tab the worker writes


@dataclass(frozen=True, slots=True)
class Link:
    """A cell that opens another cell of the workbook: the text shown, and where it goes."""

    text: str
    tab: str
    cell: str  # "E7"


Cell = str | int | float | date | Link | None  # a date (or datetime) is a real date


@dataclass(frozen=True)
class Column:
    title: str
    width: int = 12  # in characters, as spreadsheets measure columns
    toned: bool = False  # cells whose value is in TONES get that colour
    dated: Dated = ""  # the column holds dates (or dates and times), shown in a date format
    wrapped: bool = False  # long text wraps within the column's width

    def __post_init__(self) -> None:
        # A header is never cut off: a column is at least as wide as its title.
        object.__setattr__(self, "width", max(self.width, len(self.title) + 2))


@dataclass(frozen=True)
class Table:
    name: str  # the tab's name
    columns: tuple[Column, ...]
    rows: list[tuple[Cell, ...]] = field(default_factory=list)
    frozen_columns: int = 0  # columns kept in view when scrolling right (the School)
    panel: Panel | None = None  # a few cells beside the table (the Summary's as-of line)
    # Columns (first, end) that open folded away behind a [+]: the details, one click off,
    # so what matters and the panel are in view when the tab opens.
    folded: tuple[int, int] | None = None

    @property
    def header(self) -> tuple[str, ...]:
        return tuple(c.title for c in self.columns)


@dataclass(frozen=True)
class Chart:
    """A column chart drawn from a panel: a bar for each panel column from `first` to before
    `end`, named by its title, as high as its value in the panel's first row."""

    title: str
    first: int
    end: int
    tones: tuple[Tone, ...]  # each bar's colour, in order


@dataclass(frozen=True)
class Panel:
    """A few cells that stand beside a table, right of its last column after one blank one:
    its titles share the header row, its rows the table's first rows; a chart below them."""

    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...] = ()
    chart: Chart | None = None


CHART_ROWS, CHART_COLUMNS = 15, 4  # the chart's size, in rows and (panel) columns


@dataclass(frozen=True)
class ChartPlace:
    """Where a panel's chart and its cells are in the tab, as 0-based indexes: the bars'
    names are the header row's cells from column `first` to before `end`, their heights the
    cells below those."""

    chart: Chart
    first: int
    end: int
    box: tuple[int, int, int, int]  # first row, first column, end row, end column it covers


def chart_place(table: Table) -> ChartPlace | None:
    """Where the table's panel chart goes: under the panel's rows, one row apart."""
    panel = table.panel
    if panel is None or panel.chart is None:
        return None
    start = len(table.columns) + 1  # the panel's first column
    chart = panel.chart
    top = len(panel.rows) + 2
    box = (top, start, top + CHART_ROWS, start + CHART_COLUMNS)
    return ChartPlace(chart, start + chart.first, start + chart.end, box)


SPACER = Column("", 2)  # the blank column between a table and its panel


def laid_out(table: Table) -> tuple[tuple[Column, ...], list[tuple[Cell, ...]]]:
    """Every column of the tab and every row below its header, as written: the table, then
    its panel after one blank column. Without a panel, the table as it is."""
    panel = table.panel
    if panel is None:
        return table.columns, table.rows
    width = len(table.columns) + 1  # the table and the blank column
    rows = list(table.rows)
    for at, cells in enumerate(panel.rows):
        beside = rows[at] if at < len(rows) else ()
        padding: tuple[Cell, ...] = (None,) * (width - len(beside))
        if at < len(rows):
            rows[at] = (*beside, *padding, *cells)
        else:
            rows.append((*padding, *cells))
    return (*table.columns, SPACER, *panel.columns), rows


@dataclass(frozen=True)
class InputColumn:
    """A column `init` creates: its header, width, and dropdown choices if any."""

    title: str
    width: int = 16
    choices: tuple[str, ...] = ()
    source: str = ""  # a range the dropdown lists instead, e.g. "Schools!$A$2:$A$2000"
    is_date: bool = False


@dataclass(frozen=True)
class InputTab:
    """An input tab `init` creates when the workbook lacks it; `rows` are for the demo."""

    name: str
    columns: tuple[InputColumn, ...]
    rows: tuple[tuple[object, ...], ...] = ()


def fit_cell(text: str, limit: int = MAX_CELL_TEXT) -> str:
    """`text` as a cell of at most `limit` characters can hold it: whole, or cut and marked."""
    return text if len(text) <= limit else text[: limit - len(CUT_MARK)] + CUT_MARK
