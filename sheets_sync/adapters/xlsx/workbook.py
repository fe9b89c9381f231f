"""The Workbook port over an .xlsx file: calamine reads it, the worker's tabs are written
as parts of their own, and every other byte of the file stays as it was."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from math import prod
from pathlib import Path
from typing import cast

from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum

from sheets_sync.adapters.workbook import MAX_CELLS, InputTab, check_cells
from sheets_sync.adapters.xlsx.chart_xml import chart_xml, drawing_xml
from sheets_sync.adapters.xlsx.container import PackageError, ZipParts
from sheets_sync.adapters.xlsx.extent import check_reach, reach, trimmed
from sheets_sync.adapters.xlsx.files import (
    CREATE_BUSY,
    INIT,
    RUN,
    Operation,
    check_not_locked,
    check_same,
    read_bytes,
    replace_atomically,
    unreadable,
)
from sheets_sync.adapters.xlsx.limits import check_package
from sheets_sync.adapters.xlsx.package import Book, blank_package
from sheets_sync.adapters.xlsx.sheet_xml import (
    filter_formula,
    input_sheet,
    owned_sheet,
    print_titles,
)
from sheets_sync.adapters.xlsx.styles import Looks, blank_styles, ensure_looks
from sheets_sync.core.grid import Grid, match_tab, tab_named
from sheets_sync.core.table import Table, chart_place
from sheets_sync.errors import WorkbookError

_NOT_IN_NAMES = set("[]:*?/\\")  # characters Excel refuses in a tab's name


class XlsxWorkbook:
    """A workbook file; `read` remembers the bytes it saw, `write` refuses if they changed.

    `path` is the file as configured and named in messages; `target` is where it really
    is (symlinks resolved once, here), which is read, replaced, and checked for locks.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.target = self.path.resolve()
        self._seen: bytes | None = None
        self.seen_sha256: str | None = None  # of the bytes the last read saw (or write wrote)
        self._names: list[str] = []  # the worksheets' names, as of the last read

    def read(self, tabs: Sequence[str], *, owned: Sequence[str] = ()) -> dict[str, Grid | None]:
        """Each named tab's cells from one reading of the file (None where it has no such tab).

        `tabs` are input tabs, matched loosely as people name them (`match_tab`); `owned`
        are the worker's own tabs, matched by exact name ignoring case only, as `write`
        finds them. The result is keyed by the names asked for.
        """
        both = set(tabs) & set(owned)
        if both:
            raise ValueError(f"tabs asked for both as input and as owned: {sorted(both)}")
        return self._grids(self._load(), tabs, owned)

    def tab_names(self) -> list[str]:
        return list(self._names)

    def time_zone(self) -> str:
        return ""  # a file keeps its times as they were typed, in no zone

    def cell_links(self, tabs: Sequence[str]) -> dict[str, str]:
        return {}  # a file on a disk or a share has no address for one of its cells

    def write(self, tables: Sequence[Table]) -> None:
        if not tables:
            return
        parts, book, looks = self._open()
        try:
            for table in tables:
                part = self._put(
                    book, table, owned_sheet(table, book.main_ns, looks, book.rel_base)
                )
                place = chart_place(table)
                if place is not None:
                    drawing = drawing_xml(place, book.rel_base)
                    book.attach_chart(part, drawing, chart_xml(table, place))
                book.name_on_sheet(table.name, "_xlnm._FilterDatabase", filter_formula(table))
                book.name_on_sheet(table.name, "_xlnm.Print_Titles", print_titles(table))
            if parts.changed:  # formulas elsewhere may read these tabs
                book.recalculate_on_load()
            self._commit(parts, book, RUN)
        except PackageError as exc:
            raise self._cannot_write(exc) from exc

    def add_tabs(self, tabs: Sequence[InputTab]) -> list[str]:
        parts, book, looks = self._open()
        try:
            created = _add_input_tabs(book, looks, tabs)
            if created:
                self._commit(parts, book, INIT)
        except PackageError as exc:
            raise self._cannot_write(exc) from exc
        return created

    def _put(self, book: Book, table: Table, xml: bytes) -> str:
        """The table's sheet written (added, or replacing the tab of its name): its part."""
        existing = book.find_sheet(table.name)
        if existing is None:
            _check_tab_name(table.name)
            return book.add_sheet(table.name, xml)
        if existing.kind != "worksheet":
            raise WorkbookError(
                f"The tab {existing.name!r} in {self.path} is a {existing.kind}, so "
                "sheets-sync cannot write its table there. Rename that tab, or choose "
                "another name under [tabs] in the config."
            )
        book.replace_sheet(existing, xml)
        return existing.part or ""

    def _grids(
        self, data: bytes, tabs: Sequence[str], owned: Sequence[str] = ()
    ) -> dict[str, Grid | None]:
        check_package(self.path, data)  # before anything in it is unpacked
        try:
            book = CalamineWorkbook.from_filelike(io.BytesIO(data))
            names = [s.name for s in book.sheets_metadata if s.typ == SheetTypeEnum.WorkSheet]
            self._names = names
            found = {wanted: match_tab(names, wanted) for wanted in tabs}
            found.update({wanted: tab_named(names, wanted) for wanted in owned})
            if any(found.values()):
                self._check_reach(data, {real for real in found.values() if real})
            result: dict[str, Grid | None] = {}
            for wanted, real in found.items():
                result[wanted] = None if real is None else self._grid(book, real)
        except (CalamineError, ValueError) as exc:
            raise unreadable(self.path, data, exc) from exc
        return result

    def _check_reach(self, data: bytes, tabs: set[str]) -> None:
        """Refuse huge tabs before calamine lays them out (which could abort the process)."""
        parts = ZipParts(data)
        sheets = {
            sheet.name: sheet.part
            for sheet in Book(parts).sheets()
            if sheet.name in tabs and sheet.part and parts.find(sheet.part)
        }
        cells = {}
        for name, part in sheets.items():
            rows, columns = reach(parts.read(part))
            check_reach(self.path, name, rows, columns)
            cells[name] = rows * columns
        if sum(cells.values()) > MAX_CELLS:  # count values only: formatting may reach far
            cells = {name: prod(reach(parts.read(part), 0)) for name, part in sheets.items()}
        check_cells(f"in {self.path}", cells)

    def _grid(self, book: CalamineWorkbook, tab: str) -> Grid:
        sheet = book.get_sheet_by_name(tab)
        if sheet.end is not None:  # cells the XML check could not place (no references)
            check_reach(self.path, tab, sheet.end[0] + 1, sheet.end[1] + 1)
        # The same values, typed as the wider RawValue.
        return trimmed(cast(Grid, sheet.to_python(skip_empty_area=False)))

    def _load(self) -> bytes:
        data = read_bytes(self.target, shown=self.path)
        self._remember(data)
        return data

    def _remember(self, data: bytes) -> None:
        self._seen = data
        self.seen_sha256 = hashlib.sha256(data).hexdigest()

    def _open(self) -> tuple[ZipParts, Book, Looks]:
        data = self._seen
        if data is None:
            data = self._load()
            self._grids(data, [])  # the file must open before anything is written into it
        try:
            parts = ZipParts(data)
            book = Book(parts)
            return parts, book, _looks(book)
        except PackageError as exc:
            raise unreadable(self.path, data, exc) from exc

    def _commit(self, parts: ZipParts, book: Book, operation: Operation) -> None:
        book.save()
        if parts.changed:
            data = parts.to_bytes()

            def unlocked() -> None:
                check_not_locked(self.target, operation, shown=self.path)

            def as_read(replaced: Path) -> None:
                check_same(replaced, self.seen_sha256, operation, shown=self.path)

            replace_atomically(
                self.target,
                data,
                operation.busy,
                before_replace=unlocked,
                shown=self.path,
                check_replaced=as_read,
            )
            self._remember(data)

    def _cannot_write(self, exc: PackageError) -> WorkbookError:
        return WorkbookError(
            f"Cannot write into {self.path}: {exc}. Nothing was written. Open the file in "
            "Excel or LibreOffice and save it as Excel Workbook (.xlsx), then run again."
        )


def create_workbook(path: Path, tabs: Sequence[InputTab], *, overwrite: bool = False) -> None:
    """A new .xlsx holding exactly these tabs; refuses to replace a file unless told to.

    Through a symlink, the file it points to is created or replaced and the link stays.
    """
    path = Path(path)
    target = path.resolve()
    if not tabs:
        raise ValueError("a workbook needs at least one tab")
    if target.exists() and not overwrite:
        raise WorkbookError(
            f"{path} already exists, and sheets-sync never replaces a workbook. "
            "Run `sheets-sync init` to add the missing tabs to it, or choose another "
            "[workbook] path in the config."
        )
    parts = ZipParts.empty()
    for name, data in blank_package().items():
        parts.write(name, data)
    book = Book(parts)
    _add_input_tabs(book, _looks(book), tabs)
    book.save()
    replace_atomically(target, parts.to_bytes(), CREATE_BUSY, shown=path)


def _looks(book: Book) -> Looks:
    styles = book.styles(blank_styles(book.main_ns))
    looks, grew = ensure_looks(styles.root)
    styles.changed = styles.changed or grew
    return looks


def _add_input_tabs(book: Book, looks: Looks, tabs: Sequence[InputTab]) -> list[str]:
    names = [sheet.name for sheet in book.sheets()]
    created = []
    for tab in tabs:
        if match_tab(names, tab.name) is None:
            _check_tab_name(tab.name)
            book.add_sheet(tab.name, input_sheet(tab, book.main_ns, looks, book.date1904))
            names.append(tab.name)
            created.append(tab.name)
    return created


def _check_tab_name(name: str) -> None:
    """Excel's rules for a tab's name; a file breaking them does not open."""
    problem = ""
    if not name.strip():
        problem = "is blank"
    elif len(name) > 31:
        problem = "is longer than 31 characters"
    elif _NOT_IN_NAMES & set(name) or any(ord(c) < 32 for c in name):
        problem = "contains one of [ ] : * ? / \\ or a control character"
    elif name.startswith("'") or name.endswith("'"):
        problem = "starts or ends with an apostrophe"
    elif name.casefold() == "history":
        problem = "is reserved by Excel"
    if problem:
        raise WorkbookError(
            f"Cannot create a tab named {name!r}: the name {problem}. "
            "Choose another name under [tabs] in the config."
        )
