"""Worksheet XML for the worker's tabs and for new input tabs, built as text for speed.

Text always goes in as an inline string, never as a formula, so `=HYPERLINK(...)` typed
into a school name comes back as those characters. Children follow the schema's order:
sheetPr, dimension, sheetViews, sheetFormatPr, cols, sheetData, sheetProtection, ...,
dataValidations.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from datetime import date, datetime
from xml.sax.saxutils import escape

from sheets_sync.adapters.workbook import InputColumn, InputTab
from sheets_sync.adapters.xlsx.styles import Looks
from sheets_sync.core import table as core_table
from sheets_sync.core.issues import column_letter
from sheets_sync.core.table import (
    SPACER,
    TONES,
    Link,
    Table,
    chart_place,
    fit_cell,
    laid_out,
)

MAX_ROW = 1_048_576
MAX_LIST = 255  # Excel's limit on an inline dropdown list
TAB_COLOUR = "FF" + core_table.TAB_COLOUR  # the core's colour, opaque (ARGB)

_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_FROZEN_HEADER = (
    '<sheetViews><sheetView workbookViewId="0">'
    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
    '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
)
# The header and the first column (the School) both stay in view.
_FROZEN_HEADER_AND_FIRST_COLUMN = (
    '<sheetViews><sheetView workbookViewId="0">'
    '<pane xSplit="1" ySplit="1" topLeftCell="B2" activePane="bottomRight" state="frozen"/>'
    '<selection pane="topRight" activeCell="B1" sqref="B1"/>'
    '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
    '<selection pane="bottomRight" activeCell="B2" sqref="B2"/></sheetView></sheetViews>'
)
# A warning to people, not a lock: no password; selecting, sizing columns and sorting allowed.
_PROTECTION = (
    '<sheetProtection sheet="1" objects="1" scenarios="1"'
    ' formatColumns="0" sort="0" autoFilter="0"/>'
)
# Printed landscape, as wide as the page, the header row on every page (with the tab's
# name above and the page number below).
_PRINTED = (
    '<pageMargins left="0.4" right="0.4" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>'
    '<pageSetup orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
    "<headerFooter><oddHeader>&amp;L&amp;A</oddHeader>"
    "<oddFooter>&amp;CPage &amp;P of &amp;N</oddFooter></headerFooter>"
)
_OUTLINED = ' outlineLevelCol="1"'  # the sheet has one level of folded columns
_T = '<t xml:space="preserve">'
_QUOTE = {'"': "&quot;"}  # for text in an attribute
_LINE_HEIGHT = 15  # points: one line of the default 11-point font
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Excel reads `_x0041_` in a string as "A"; such text is kept by escaping its underscore.
_LOOKS_ESCAPED = re.compile("_(x[0-9A-Fa-f]{4}_)")
_UNUSUAL = re.compile("[\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]|_x[0-9A-Fa-f]{4}_")
_EPOCHS = {False: datetime(1899, 12, 30), True: datetime(1904, 1, 1)}


def text_xml(value: str) -> str:
    """Cell text as XML character data: illegal characters dropped, capped at Excel's limit."""
    plain = value.isascii() and value.isprintable() and "_x" not in value  # fast, and usual
    if plain or not _UNUSUAL.search(value):
        value = fit_cell(value)
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    value = _LOOKS_ESCAPED.sub(r"_x005F_\1", fit_cell(_NOT_XML.sub("", value)))
    return escape(value).replace("\r", "&#13;")  # a bare CR would be read back as LF


def _text_ending(value: str) -> str:
    """A text cell's XML after its reference and style: always inline, never a formula."""
    return f' t="inlineStr"><is>{_T}{text_xml(value)}</t></is></c>'


def owned_sheet(table: Table, ns: str, looks: Looks, rel_base: str = "") -> bytes:
    """A tab the worker owns: coloured tab, bold frozen header, status fills, wrapped long
    text, links to cells, a header filter, folded details, a print setup; protected."""
    columns, body = laid_out(table)
    cells = _Cells(len(columns), looks, date1904=False)
    tone_style = {tone: f' s="{index}"' for tone, index in looks.tones.items()}
    plain = [f' s="{looks.wrapped}"' if column.wrapped else "" for column in columns]
    folded = range(*table.folded) if table.folded is not None else range(0)
    wrapping = [(at, c.width) for at, c in enumerate(columns) if c.wrapped and at not in folded]
    toned = [column.toned for column in columns]
    header = [cells.header if column.title else "" for column in columns]
    rows = [cells.row(1, [column.title for column in columns], header)]
    links: list[str] = []
    for number, row in enumerate(body, start=2):
        styles = plain[: len(row)]
        for index, value in enumerate(row[: len(toned)]):
            if toned[index] and isinstance(value, str) and value in TONES:
                styles[index] = tone_style[TONES[value]]
        lines = _lines(row, wrapping)
        if Link in map(type, row):
            row_xml = cells.row(number, _linked(row, styles, number, looks, links), styles, lines)
        else:
            row_xml = cells.row(number, row, styles, lines)
        rows.append(row_xml)
    widths = [(column.width, "") for column in columns]
    if table.folded is not None:  # hidden in an outline group, its [+] on the next column
        first, end = table.folded
        widths[first:end] = [
            (width, ' hidden="1" outlineLevel="1"') for width, _ in widths[first:end]
        ]
        if end == len(widths):
            widths.append((SPACER.width, ""))
        widths[end] = (widths[end][0], widths[end][1] + ' collapsed="1"')
    tab = f'<sheetPr><tabColor rgb="{TAB_COLOUR}"/><pageSetUpPr fitToPage="1"/></sheetPr>'
    views = _FROZEN_HEADER_AND_FIRST_COLUMN if table.frozen_columns else _FROZEN_HEADER
    filtered = f'<autoFilter ref="{filter_box(table)}"/>'
    linked = f"<hyperlinks>{''.join(links)}</hyperlinks>" if links else ""
    # A chart hangs on the sheet's first relationship (see Book.attach_chart).
    drawn = f'<drawing xmlns:r="{rel_base}" r:id="rId1"/>' if chart_place(table) else ""
    return _sheet(
        ns,
        rows,
        cells.widest,
        sheet_pr=tab,
        widths=widths,
        after=_PROTECTION + filtered + linked + _PRINTED + drawn,
        views=views,
        outline=table.folded is not None,
    )


def _lines(row: Sequence[object], wrapping: Sequence[tuple[int, int]]) -> int:
    """The lines the row's longest wrapped text takes in its column. A column's width counts
    digits; a tenth more of ordinary text fits (a little to spare)."""
    lines = 1
    for at, width in wrapping:
        text = row[at] if at < len(row) else None
        fits = width + width // 10
        if isinstance(text, str) and len(text) > fits:
            lines = max(lines, wrapped_lines(text, fits))
    return lines


def wrapped_lines(text: str, fits: int) -> int:
    """The lines `text` takes wrapped at spaces into lines of `fits` characters, a word
    longer than a line broken across lines. Counted, not built: a Data Issues tab of 10,000
    rows would spend most of its write in textwrap."""
    lines, used = 1, 0
    for word in text.split():
        needed = used + 1 + len(word) if used else len(word)
        if used and needed > fits:
            lines, needed = lines + 1, len(word)
        lines += (needed - 1) // fits  # a word longer than a line runs onto the next
        used = (needed - 1) % fits + 1
    return lines


def _linked(
    row: Sequence[object], styles: list[str], number: int, looks: Looks, links: list[str]
) -> list[object]:
    """The row with each link as its text, styled as a link (in `styles`); each link's XML
    goes into `links`."""
    values = list(row)
    for index, value in enumerate(row):
        if isinstance(value, Link):
            values[index] = value.text
            styles[index] = f' s="{looks.link}"'
            target = on_tab(value.tab, value.cell)
            links.append(
                f'<hyperlink ref="{column_letter(index + 1)}{number}"'
                f' location="{escape(target, _QUOTE)}" display="{escape(value.text, _QUOTE)}"/>'
            )
    return values


def filter_box(table: Table) -> str:
    """The header's filter: over the table's columns (not its panel) and rows, e.g. A1:S12."""
    return f"A1:{column_letter(len(table.columns))}{len(table.rows) + 1}"


def filter_formula(table: Table) -> str:
    """The same box as Excel's name for a tab's filter holds it: 'Summary'!$A$1:$S$12."""
    last = f"${column_letter(len(table.columns))}${len(table.rows) + 1}"
    return on_tab(table.name, f"$A$1:{last}")


def print_titles(table: Table) -> str:
    """Excel's name for the rows printed atop every page: the header, 'Summary'!$1:$1."""
    return on_tab(table.name, "$1:$1")


def on_tab(tab: str, ref: str) -> str:
    """A reference on a named tab, as formulas and links write it: 'Kim''s Tab'!B2."""
    return "'" + tab.replace("'", "''") + "'!" + ref


def input_sheet(tab: InputTab, ns: str, looks: Looks, date1904: bool) -> bytes:
    """A new input tab: bold frozen header, widths, dropdowns, and the rows given."""
    cells = _Cells(len(tab.columns), looks, date1904)
    titles = [column.title for column in tab.columns]
    rows = [cells.row(1, titles, [cells.header] * len(titles))]
    for number, row in enumerate(tab.rows, start=2):
        rows.append(cells.row(number, row, [""] * len(row)))
    date_style = f' style="{looks.date}"'
    widths = [(column.width, date_style if column.is_date else "") for column in tab.columns]
    validations = _validations(tab.columns)
    return _sheet(ns, rows, cells.widest, sheet_pr="", widths=widths, after=validations)


def list_formula(column: InputColumn) -> str | None:
    """The dropdown's source as a validation formula, or None when there is none."""
    if column.source:
        return column.source.removeprefix("=")
    if not column.choices:
        return None
    listed = ",".join(choice.replace('"', '""') for choice in column.choices)
    # An inline list cannot hold a comma inside a choice, and Excel refuses one longer
    # than 255 characters and calls the file corrupt. Such a column gets no dropdown;
    # `check` still reports values outside the choices.
    if any("," in choice for choice in column.choices) or len(listed) > MAX_LIST:
        return None
    return f'"{listed}"'


def _validations(columns: Sequence[InputColumn]) -> str:
    items = []
    for number, column in enumerate(columns, start=1):
        formula = list_formula(column)
        if formula is None:
            continue
        letter = column_letter(number)
        items.append(
            '<dataValidation type="list" errorStyle="warning" allowBlank="1"'
            ' showErrorMessage="1" errorTitle="Not in the list"'
            ' error="This value is not in the list. Keep it only if it means one of them."'
            f' sqref="{letter}2:{letter}{MAX_ROW}"><formula1>{escape(formula)}</formula1>'
            "</dataValidation>"
        )
    if not items:
        return ""
    return f'<dataValidations count="{len(items)}">{"".join(items)}</dataValidations>'


class _Cells:
    """Cell XML for one sheet; remembers the widest row for the sheet's dimension."""

    def __init__(self, columns: int, looks: Looks, date1904: bool) -> None:
        self.letters = [column_letter(number) for number in range(1, columns + 1)]
        self.widest = columns
        self.header = f' s="{looks.header}"'
        self.date_style = f' s="{looks.date}"'
        self.stamp_style = f' s="{looks.datetime}"'
        self.date1904 = date1904
        self.texts: dict[str, str] = {}

    def row(
        self, number: int, values: Sequence[object], styles: Sequence[str], lines: int = 1
    ) -> str:
        """A row's XML; `lines` of wrapped text set its height (no reader sizes it on open)."""
        row = str(number)
        while len(self.letters) < len(values):
            self.letters.append(column_letter(len(self.letters) + 1))
        self.widest = max(self.widest, len(values))
        cells = []
        texts = self.texts
        for letter, value, style in zip(self.letters, values, styles, strict=False):
            if value.__class__ is str:  # most cells: text, often repeated down a column
                if value:
                    ending = texts.get(value)
                    if ending is None:
                        ending = texts[value] = _text_ending(value)
                    cells.append(f'<c r="{letter}{row}"{style}{ending}')
            elif value is not None:
                cells.append(self.cell(letter + row, value, style))
        height = f' ht="{_LINE_HEIGHT * lines}" customHeight="1"' if lines > 1 else ""
        return f'<row r="{row}"{height}>{"".join(cells)}</row>'

    def cell(self, ref: str, value: object, style: str) -> str:
        if value is None or value == "":
            return ""
        if isinstance(value, str):
            return f'<c r="{ref}"{style}{_text_ending(value)}'
        if isinstance(value, bool):
            return f'<c r="{ref}"{style} t="b"><v>{int(value)}</v></c>'
        if isinstance(value, int) or (isinstance(value, float) and math.isfinite(value)):
            return f'<c r="{ref}"{style}><v>{value}</v></c>'
        if isinstance(value, date) and (number := _serial(value, self.date1904)) is not None:
            style = self.stamp_style if isinstance(value, datetime) else self.date_style
            return f'<c r="{ref}"{style}><v>{number}</v></c>'
        return self.cell(ref, str(value), style)


def _serial(value: date, date1904: bool) -> str | None:
    """A date as the day number spreadsheets store (time of day as a fraction); None if early."""
    epoch = _EPOCHS[date1904]
    if isinstance(value, datetime):
        delta = value.replace(tzinfo=None) - epoch
        days = delta.days + delta.seconds / 86_400 + delta.microseconds / 86_400e6
        return repr(days) if days >= 0 else None
    day = (value - epoch.date()).days
    return str(day) if day >= 0 else None


def _sheet(
    ns: str,
    rows: list[str],
    widest: int,
    *,
    sheet_pr: str,
    widths: list[tuple[int, str]],
    after: str,
    views: str = _FROZEN_HEADER,
    outline: bool = False,
) -> bytes:
    last = f"{column_letter(max(widest, 1))}{len(rows)}"
    cols = "".join(
        f'<col min="{i}" max="{i}" width="{width}" customWidth="1"{style}/>'
        for i, (width, style) in enumerate(widths, start=1)
    )
    parts = [
        f'{_HEAD}<worksheet xmlns="{ns}">{sheet_pr}<dimension ref="A1:{last}"/>',
        views,
        f'<sheetFormatPr defaultRowHeight="15"{_OUTLINED if outline else ""}/>',
        f"<cols>{cols}</cols>" if cols else "",
        "<sheetData>",
        *rows,
        "</sheetData>",
        after,
        "</worksheet>",
    ]
    return "".join(parts).encode("utf-8")
