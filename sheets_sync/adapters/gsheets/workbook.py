"""The Workbook port over a Google Sheet: three Sheets API requests a cycle.

A cycle is `read` then `write`. `read` fetches the metadata (one `spreadsheets.get`)
and every wanted tab's values (one `values.batchGet`); `write` reuses that metadata and
sends one `spreadsheets.batchUpdate`: the structure an owned tab lacks (a missing tab, lost
looks, a grid that must grow), then every owned tab's cells (`updateCells`, which can carry
a link to a cell where a values write cannot). Google applies a batchUpdate whole or not
at all, so a tab is never left half made or half written.

An owned tab's grid only ever grows; a shorter table blanks the rows it no longer uses,
since `updateCells` clears whatever its range covers that its rows do not.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sheets_sync.adapters.gsheets import a1, looks
from sheets_sync.adapters.gsheets.cells import cell_data
from sheets_sync.adapters.gsheets.messages import read_error, write_error
from sheets_sync.adapters.gsheets.retry import Clock, HttpSettings, RequestFailed, Sleep
from sheets_sync.adapters.gsheets.sheets import FIELDS, Book, Sheet, parse_book
from sheets_sync.adapters.gsheets.transport import load_credentials, open_client
from sheets_sync.adapters.workbook import InputTab, check_cells
from sheets_sync.core.grid import Grid, match_tab
from sheets_sync.core.table import Link, Table, laid_out
from sheets_sync.errors import WorkbookError

INPUT_ROWS = 1000  # a new input tab's rows, as Google makes them
_READ_OPTIONS = {
    "valueRenderOption": "UNFORMATTED_VALUE",  # numbers as numbers, as .xlsx gives them
    "dateTimeRenderOption": "SERIAL_NUMBER",  # dates as serial numbers, as in .xlsx
    "majorDimension": "ROWS",
}


@dataclass(frozen=True)
class SheetCheck:
    """What `doctor` reports of a reachable spreadsheet."""

    title: str
    tabs: tuple[str, ...]


@dataclass(frozen=True)
class _Target:
    """Where one owned table goes, and the grid it will have when written."""

    table: Table
    sheet_id: int
    rows: int
    columns: int


class GoogleSheetsWorkbook:
    def __init__(
        self,
        spreadsheet_id: str,
        credentials: Path | None,
        endpoint: str = "",
        settings: HttpSettings | None = None,
        *,
        sleep: Sleep = time.sleep,
        clock: Clock = time.monotonic,
    ) -> None:
        self.spreadsheet_id = spreadsheet_id
        creds, self.service_account_email = load_credentials(credentials)
        self.http = open_client(creds, endpoint, settings or HttpSettings(), sleep, clock)
        self._book: Book | None = None  # this cycle's metadata, from `read` to `write`
        self._checked: Book | None = None  # `check`'s metadata, for the `read` after it
        self._last_read: Book | None = None  # the metadata the last `read` used

    def read(self, tabs: Sequence[str], *, owned: Sequence[str] = ()) -> dict[str, Grid | None]:
        book = self._book = self._checked or self._fetch_book()
        self._checked = None
        self._last_read = book
        found = {wanted: book.find(wanted) for wanted in tabs}
        found.update({wanted: book.owned(wanted) for wanted in owned})
        titles = list(dict.fromkeys(s.title for s in found.values() if s and s.is_grid))
        grids = dict(zip(titles, self._values(titles), strict=True))
        cells = {title: sum(map(len, grid)) for title, grid in grids.items()}
        check_cells(f"in the Google Sheet {self.spreadsheet_id}", cells)
        return {wanted: grids.get(s.title) if s else None for wanted, s in found.items()}

    def tab_names(self) -> list[str]:
        book = self._last_read
        return [s.title for s in book.sheets if s.is_grid] if book is not None else []

    def time_zone(self) -> str:
        return self._last_read.time_zone if self._last_read is not None else ""

    def cell_links(self, tabs: Sequence[str]) -> dict[str, str]:
        book = self._last_read
        sheet = f"https://docs.google.com/spreadsheets/d/{quote(self.spreadsheet_id)}/edit"
        gids = {tab: _gid(book, tab) for tab in tabs} if book is not None else {}
        return {tab: f"{sheet}#gid={gid}&range=" for tab, gid in gids.items() if gid is not None}

    def write(self, tables: Sequence[Table]) -> None:
        if not tables:
            return
        book, self._book = self._book, None  # the next cycle looks afresh
        try:
            try:
                self._write(book or self._fetch_book(write=True), tables)
            except RequestFailed as exc:
                if exc.status != 400:
                    raise
                # A tab changed since the read (a person deleted or renamed one), or a
                # retried batchUpdate had already been applied: look again, once.
                self._write(self._fetch_book(write=True), tables)
        except RequestFailed as exc:
            raise write_error(exc, self.spreadsheet_id, self.service_account_email) from exc

    def add_tabs(self, tabs: Sequence[InputTab]) -> list[str]:
        """One batchUpdate adds every missing tab with its header and rows: Google applies
        a batchUpdate whole or not at all, so a failure never leaves a tab without its
        header for the next `init` to skip."""
        book = self._fetch_book()
        taken = book.sheet_ids
        structure: list[looks.Request] = []
        created: list[str] = []
        for tab in tabs:
            if book.find(tab.name) is not None or match_tab(created, tab.name) is not None:
                continue
            rows = max(INPUT_ROWS, len(tab.rows) + 1)
            structure.extend(looks.add_input_sheet(looks.new_sheet_id(tab.name, taken), tab, rows))
            created.append(tab.name)
        if created:
            try:
                self.http.batch_update(self.spreadsheet_id, {"requests": structure})
            except RequestFailed as exc:
                raise self._error(exc, "add the input tabs to") from exc
        return created

    def check(self) -> SheetCheck:
        """The sheet's title and tabs, or a WorkbookError saying what to fix.

        A `read` right after it reuses this metadata: `doctor` looks once."""
        book = self._checked = self._fetch_book()
        return SheetCheck(book.title, tuple(book.titles))

    def check_write(self, title: str) -> None:
        """A write that changes nothing (the title set to itself), or a WorkbookError: shows
        that the service account may edit the sheet, not only read it."""
        change = {"properties": {"title": title}, "fields": "title"}
        try:
            self.http.batch_update(
                self.spreadsheet_id, {"requests": [{"updateSpreadsheetProperties": change}]}
            )
        except RequestFailed as exc:
            raise self._error(exc, "write to") from exc

    def _write(self, book: Book, tables: Sequence[Table]) -> None:
        taken = book.sheet_ids
        structure: list[looks.Request] = []
        targets = []
        for table in tables:
            need_rows, need_columns = len(table.rows) + 1, table_width(table)
            sheet = book.owned(table.name)
            if sheet is None:
                rows, columns = looks.rows_for(need_rows), need_columns
                sheet_id = looks.new_sheet_id(table.name, taken)
                structure.append(looks.add_owned_sheet(table, sheet_id, rows, columns))
                structure.extend(looks.owned_looks(sheet_id, table, rows, columns))
                targets.append(_Target(table, sheet_id, rows, columns))
                continue
            self._check_grid(sheet)
            rows, columns = sheet.rows, sheet.columns
            if not looks.looks_intact(sheet, table, need_rows, need_columns):
                # Grow only: see the module's docstring.
                rows = rows if rows >= need_rows else looks.rows_for(need_rows)
                columns = max(columns, need_columns)
                structure.extend(looks.reshape_owned_sheet(table, sheet, rows, columns))
                structure.extend(looks.owned_looks(sheet.sheet_id, table, rows, columns))
            targets.append(_Target(table, sheet.sheet_id, rows, columns))
        cells = [_cells(target, lambda tab: _gid(book, tab)) for target in targets]
        self.http.batch_update(self.spreadsheet_id, {"requests": [*structure, *cells]})

    def _check_grid(self, sheet: Sheet) -> None:
        if not sheet.is_grid:
            raise WorkbookError(
                f"The tab {sheet.title!r} in the Google Sheet {self.spreadsheet_id} is not a "
                "grid of cells (a chart or data source sheet), so sheets-sync cannot write its "
                "table there. Rename that tab, or choose another name under [tabs] in the config."
            )

    def _fetch_book(self, write: bool = False) -> Book:
        try:
            data = self.http.fetch_sheet_metadata(self.spreadsheet_id, params={"fields": FIELDS})
        except RequestFailed as exc:
            if write:
                raise
            raise self._error(exc) from exc
        return parse_book(data)

    def _values(self, titles: list[str]) -> list[Grid]:
        if not titles:
            return []
        ranges = [a1.quote_title(title) for title in titles]
        try:
            data = self.http.values_batch_get(self.spreadsheet_id, ranges, dict(_READ_OPTIONS))
        except RequestFailed as exc:
            raise self._error(exc) from exc
        value_ranges = data.get("valueRanges", [])
        if len(value_ranges) != len(titles):
            raise WorkbookError(
                f"Google Sheets answered {len(value_ranges)} ranges for {len(titles)} tabs "
                f"of the Google Sheet {self.spreadsheet_id}; the next run tries again."
            )
        # Trailing blanks are left out by Google; ragged rows are what the core expects.
        return [[list(row) for row in vr.get("values", [])] for vr in value_ranges]

    def _error(self, exc: RequestFailed, doing: str = "read") -> WorkbookError:
        return read_error(exc, self.spreadsheet_id, self.service_account_email, doing)


def _gid(book: Book, tab: str) -> int | None:
    """The sheet id of an input tab, found as `read` finds it (a link opens it by this)."""
    sheet = book.find(tab)
    return sheet.sheet_id if sheet is not None else None


def table_width(table: Table) -> int:
    columns, rows = laid_out(table)
    return max([len(columns), *(len(row) for row in rows)])


def _cells(target: _Target, gid_of: Callable[[str], int | None]) -> looks.Request:
    """The table from A1 (its panel beside it) over the whole grid: cells its rows do not
    reach are cleared. Text goes in as a string, never a formula; a link to a cell opens
    that tab (`gid_of`) at that cell."""
    columns, body = laid_out(target.table)
    rows = [[c.title for c in columns], *body]
    where = {"sheetId": target.sheet_id, "startRowIndex": 0, "endRowIndex": target.rows}
    where |= {"startColumnIndex": 0, "endColumnIndex": target.columns}
    return {
        "updateCells": {
            "range": where,
            "rows": [{"values": [_cell(v, gid_of) for v in row]} for row in rows],
            "fields": "userEnteredValue,textFormatRuns",
        }
    }


def _cell(value: object, gid_of: Callable[[str], int | None]) -> dict[str, Any]:
    data = cell_data(value)
    if isinstance(value, Link) and (gid := gid_of(value.tab)) is not None:
        data["textFormatRuns"] = [{"format": {"link": {"uri": f"#gid={gid}&range={value.cell}"}}}]
    return data
