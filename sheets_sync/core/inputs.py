"""Reading an input tab: match its header, walk its rows, parse cells into values or issues.

Each tab module (schools, roster, plan, contacts) declares its `Field`s and reads rows
through a `TabReader`, which turns every unreadable cell into exactly one issue.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import islice

from sheets_sync.core.grid import Grid, RawValue, header_key, near_match
from sheets_sync.core.issues import (
    Finding,
    Issue,
    IssueLog,
    Severity,
    cell_ref,
    column_letter,
)
from sheets_sync.core.records import Period
from sheets_sync.core.settings import NamedColumn
from sheets_sync.core.table import MAX_CELL_TEXT
from sheets_sync.core.values import (
    NameIndex,
    as_text,
    has_hidden,
    is_blank,
    parse_day,
    parse_email,
    parse_period,
    visible,
)
from sheets_sync.core.vocab import Choices


@dataclass(frozen=True)
class Field:
    title: str
    aliases: tuple[str, ...] = ()
    required: bool = False  # the column must exist and its cells must be filled
    example: str = ""  # what a good value looks like, for the fix text
    instead: str = ""  # a column whose presence stands in for this required one
    fallback: str = ""  # a header read as this column only when no other header is


def quoted(value: object, limit: int = 60) -> str:
    """A cell's value for a message: on one line, hidden characters shown, shortened, in
    quotes."""
    text = visible(" ".join(str(value)[: limit * 8].split()))  # whatever the cell's length
    return f'"{text[: limit - 1]}…"' if len(text) > limit else f'"{text}"'


class TabReader:
    """A tab's rows with its header matched to `fields`; collects the issues it finds."""

    def __init__(
        self,
        tab: str,
        grid: Grid,
        fields: Sequence[Field],
        issues: list[Issue],
        named: Sequence[NamedColumn] = (),
    ) -> None:
        """`named`: the columns the district heads in its own words ([columns])."""
        self.tab = tab
        self.issues = issues
        header = grid[0] if grid else []
        self._grid = grid
        headers = {n.title: n for n in named}
        self.columns = self._match_header(header, fields, headers)
        # Suggest the first cell right of the last header, so no existing column is displaced.
        free_column = max((i + 1 for i, v in enumerate(header) if not is_blank(v)), default=0) + 1
        self.missing = [
            f.title
            for f in fields
            if f.title not in self.columns
            and (f.title in headers or (f.required and f.instead not in self.columns))
        ]
        # Headers no field took: a misspelt one is named instead of advising a second column.
        unread = {
            as_text(v): i
            for i, v in enumerate(header)
            if not is_blank(v) and i not in self.columns.values()
        }
        column = free_column
        for title in self.missing:
            named_as = headers.get(title)
            near = near_match(named_as.header if named_as else title, unread)
            if near is not None:
                index = unread.pop(near)
                self._missing(index + 1, *_near_words(title, named_as, near, index + 1))
            else:
                self._missing(column, *_absent_words(title, named_as, column))
                column += 1
        self._used = sorted(self.columns.values())

    def _missing(self, column: int, problem: str, fix: str) -> None:
        self._add("error", 1, column, "column.missing", (), problem, fix)

    def _match_header(
        self, header: list[RawValue], fields: Sequence[Field], named: Mapping[str, NamedColumn]
    ) -> dict[str, int]:
        """Each field's column: exact titles first, so an alias never takes a titled column;
        a column the config names by the district's header is found by that header alone."""
        keys = [header_key(as_text(value)) for value in header]
        passes = (
            {
                header_key(named[f.title].header if f.title in named else f.title): f.title
                for f in fields
            },
            {
                header_key(a): f.title
                for f in reversed(fields)
                for a in f.aliases
                if f.title not in named
            },
        )
        columns: dict[str, int] = {}
        taken: set[int] = set()
        for titles in passes:
            for index, key in enumerate(keys):
                title = titles.get(key) if key and index not in taken else None
                if title is None:
                    continue
                taken.add(index)
                first = columns.setdefault(title, index)
                if first != index:
                    self._duplicate_column(title, first, index)
        for f in fields:  # a stand-by header, for a column no other header gave
            if f.fallback and f.title not in columns and f.title not in named:
                index = next((i for i, k in enumerate(keys) if k == header_key(f.fallback)), -1)
                if index >= 0 and index not in taken:
                    columns[f.title] = index
                    taken.add(index)
        return columns

    def _duplicate_column(self, title: str, read: int, ignored: int) -> None:
        cells = " and ".join(cell_ref(1, i + 1) for i in sorted((read, ignored)))
        self._add(
            "warning",
            1,
            ignored + 1,
            "column.duplicate",
            (),
            f'Two columns are headed like "{title}" ({cells}); '
            f"only {column_letter(read + 1)} is read.",
            "Rename or remove one.",
        )

    def column_title(self, index: int) -> str:
        """The title of the field read from column `index` (0-based)."""
        return next((t for t, i in self.columns.items() if i == index), column_letter(index + 1))

    def count_only(self, severity: Severity) -> bool:
        """Whether the cycle's issue list is full, so that a new issue is counted, not worded:
        junk rows bring one a cell, and wording millions costs seconds."""
        log = self.issues
        if isinstance(log, IssueLog) and len(log) >= log.limit:
            log.omitted[severity] += 1
            return True
        return False

    def has(self, title: str) -> bool:
        return title in self.columns

    def school_issue(self, field: Field, first_row: int, school: str, finding: Finding) -> None:
        """A finding about a school's rows as a whole, at the `field` cell of its first row here."""
        self.issues.append(finding.at(self.tab, first_row, self.columns[field.title] + 1, school))

    def rows(self) -> Iterator[Row]:
        """The rows below the header that hold anything in the columns this tab reads."""
        used = self._used
        for number, values in enumerate(islice(self._grid, 1, None), start=2):
            width = len(values)
            for i in used:
                if i < width and not is_blank(values[i]):
                    row = Row(self, number, values)
                    yield row
                    if row.hidden:  # read through: say what no other issue said
                        row.report_hidden()
                    break

    def _add(
        self,
        severity: Severity,
        row: int,
        column: int,
        code: str,
        schools: tuple[str, ...],
        problem: str,
        fix: str,
    ) -> None:
        self.issues.append(
            Issue(
                severity, self.tab, cell_ref(row, column), code, problem, fix, schools, row, column
            )
        )


def _near_words(title: str, named: NamedColumn | None, near: str, column: int) -> tuple[str, str]:
    """A missing column's problem and fix when `near` in `column` of row 1 looks like it."""
    at = cell_ref(1, column)
    if named is None:
        return (
            f'The "{title}" column is missing from the header row; {quoted(near)} in {at} '
            "looks like it.",
            f'Rename {at} to "{title}".',
        )
    return (
        f"{_named_absent(named)}; {quoted(near)} in {at} looks like it.",
        f"Set [columns] {named.key} = {quoted(near, 200)} in the config, or rename {at} to "
        f'"{named.header}".',
    )


def _absent_words(title: str, named: NamedColumn | None, column: int) -> tuple[str, str]:
    """A missing column's problem and fix when nothing in row 1 looks like it; `column` is
    the first free cell of row 1."""
    free = cell_ref(1, column)
    if named is None:
        return (
            f'The "{title}" column is missing from the header row.',
            f'Add a column headed "{title}" in row 1 (for example in {free}).',
        )
    said = f'[columns] {named.key} = "{named.header}"'
    return (
        f"{_named_absent(named)}.",
        f'Correct {said} in the config to a header of row 1, or head a column "{named.header}" '
        f"(for example in {free}).",
    )


def _named_absent(named: NamedColumn) -> str:
    return (
        f'The header row has no "{named.header}" column, which the config names for '
        f'"{named.title}" ([columns] {named.key} = "{named.header}")'
    )


class Row:
    """One row of a tab; every getter returns None (and records one issue) for a bad cell."""

    __slots__ = (
        "_columns",
        "_values",
        "hidden",
        "issued",
        "number",
        "reader",
        "schools",
        "too_long",
    )

    def __init__(self, reader: TabReader, number: int, values: list[RawValue]) -> None:
        self.reader = reader
        self.number = number
        self._columns = reader.columns
        self._values = values
        self.schools: tuple[str, ...] = ()  # who the row's issues belong to, once known
        self.hidden: dict[int, str] | None = None  # cells read that hold hidden characters
        self.issued: set[int] | None = None  # columns that got an issue of their own
        self.too_long: set[int] | None = None  # cells read that hold too much text

    def raw(self, title: str) -> RawValue:
        return self._cell(self._columns.get(title))

    def _cell(self, index: int | None) -> RawValue:
        """The cell's value; None for text too long for any cell, reported once."""
        if index is None or index >= len(self._values):
            return None
        value = self._values[index]
        if isinstance(value, str):
            if len(value) > MAX_CELL_TEXT:
                self._report_too_long(index, value)
                return None
            if has_hidden(value):
                self.hidden = {**(self.hidden or {}), index: value}
        return value

    def set_aside(self, earlier: bool) -> None:
        """A row of another school year (`earlier` or the coming one), read no further:
        nothing in it is reported. Earlier years' rows are counted: an ended year's record
        is worth working out only when the workbook has some."""
        self.hidden = None
        log = self.reader.issues
        if earlier and isinstance(log, IssueLog):
            log.earlier_rows += 1

    def report_hidden(self) -> None:
        """A warning for each cell with hidden characters that got no issue of its own (one
        that did already shows them, quoted visibly): one issue a cell."""
        for index, value in (self.hidden or {}).items():
            if index in (self.issued or ()):
                continue
            column = self.reader.column_title(index)
            self.reader._add(
                "warning",
                self.number,
                index + 1,
                "cell.hidden-characters",
                self.schools,
                f"This {column} cell holds characters that do not show, or that reverse the "
                f"text around them: {quoted(value)}.",
                "Retype the cell (or paste it as plain text); each <U+…> marks one such character.",
            )

    def _report_too_long(self, index: int, value: str) -> None:
        if index in (self.too_long or ()):
            return
        self.too_long = {*(self.too_long or ()), index}
        column = self.reader.column_title(index)
        self.reader._add(
            "error",
            self.number,
            index + 1,
            "cell.too-long",
            self.schools,
            f"This {column} cell holds {len(value):,} characters, more than a spreadsheet "
            f"cell can ({MAX_CELL_TEXT:,}), so it is not read; it begins {quoted(value)}.",
            "Shorten it to what the cell is for; keep long notes in a document and link to it.",
        )

    def issue(self, severity: Severity, title: str, code: str, problem: str, fix: str) -> None:
        if self.reader.count_only(severity):
            return
        column = self.reader.columns.get(title, 0) + 1
        if self.hidden is not None:
            self.issued = {*(self.issued or ()), column - 1}
        self.reader._add(severity, self.number, column, code, self.schools, problem, fix)

    def text(self, field: Field) -> str:
        index = self._columns.get(field.title)
        raw = self._cell(index)
        value = raw.strip() if isinstance(raw, str) else as_text(raw)
        # One issue a cell: an over-long one is not also blank.
        over_long = self.too_long is not None and index in self.too_long
        if not value and field.required and index is not None and not over_long:
            self.blank(field)
        return value

    def blank(self, field: Field) -> None:
        """The issue of a cell that must be filled and is blank."""
        if self.reader.count_only("error"):
            return
        example = f" ({field.example})" if field.example else ""
        self.issue(
            "error",
            field.title,
            "cell.required",
            f'"{field.title}" is blank.',
            f'Fill in "{field.title}"{example}.',
        )

    def choice(self, field: Field, choices: Choices, what: str = "") -> str | None:
        text = self.text(field)
        if not text:
            return None
        found = choices.find(text)
        if found is None:
            self.bad_choice(field, text, choices.listing(), what)
        return found

    def bad_choice(self, field: Field, text: str, allowed: str, what: str = "") -> None:
        if self.reader.count_only("error"):
            return
        self.issue(
            "error",
            field.title,
            "cell.bad-choice",
            f"{quoted(text)} is not a {what or field.title} this sheet knows.",
            f"Use one of: {allowed}.",
        )

    def day(self, field: Field, day_first: bool, year_start: date | None = None) -> date | None:
        raw = self.raw(field.title)
        found = parse_day(raw, day_first, year_start)
        if found is None:
            self._no_date(field, raw, day_first, year_start, months=False)
        return found

    def period(
        self, field: Field, day_first: bool, year_start: date | None = None
    ) -> Period | None:
        raw = self.raw(field.title)
        found = parse_period(raw, day_first, year_start)
        if found is None:
            self._no_date(field, raw, day_first, year_start, months=True)
        return found

    def _no_date(
        self,
        field: Field,
        raw: RawValue,
        day_first: bool,
        year_start: date | None,
        months: bool,
    ) -> None:
        if is_blank(raw):
            self.text(field)  # records cell.required where the field needs it
            return
        if self.reader.count_only("error"):
            return
        year = year_start.year if year_start else 2025  # examples inside the school year
        other_way = parse_day(raw, not day_first, year_start)
        if other_way is not None:
            d, m, y = other_way.day, other_way.month, other_way.year
            sheet, other = ("day", "month") if day_first else ("month", "day")
            written = f"{d}/{m}/{y}" if day_first else f"{m}/{d}/{y}"  # in the sheet's order
            self.issue(
                "error",
                field.title,
                "cell.bad-date",
                f"{quoted(as_text(raw))} in {field.title} can only be read {other} first "
                f"({other_way:%d %B %Y}), and this sheet reads numeric dates {sheet} first.",
                f"Write it as {other_way.isoformat()} or {written}; or, if the district writes "
                f'dates {other} first, set [rules] date_order = "{other}-first" in the config.',
            )
            return
        numeric = f"14/10/{year} (day first)" if day_first else f"10/14/{year} (month first)"
        month = f", or a month such as Oct {year}" if months else ""
        self.issue(
            "error",
            field.title,
            "cell.bad-date",
            f"{quoted(as_text(raw))} in {field.title} is not a date this sheet can read.",
            f"Write a date such as {year}-10-14 or {numeric}{month}.",
        )

    def email(self, field: Field) -> str | None:
        text = self.text(field)
        if not text:
            return None
        found = parse_email(text)
        if found is None:
            blank_ok = "" if field.required else ", or clear the cell if there is none"
            self.issue(
                "error",
                field.title,
                "cell.bad-email",
                f"{quoted(text)} is not a valid email address.",
                f"Correct it to a full address such as name@school.org{blank_ok}.",
            )
        return found

    def name(self, field: Field, index: NameIndex, tab_of_names: str, kind: str) -> str | None:
        """A school or facilitator name, matched loosely; unknown ones get a "did you mean"."""
        text = self.text(field)
        return self.match_name(field, text, index, tab_of_names, kind) if text else None

    def match_name(
        self, field: Field, text: str, index: NameIndex, tab_of_names: str, kind: str
    ) -> str | None:
        """The canonical name `text` (one part of the cell) stands for; an issue if none."""
        found = index.find(text)
        if found is None and not self.reader.count_only("error"):
            nearest = index.suggest(text)
            hint = f'Did you mean "{nearest}"? ' if nearest else ""
            self.issue(
                "error",
                field.title,
                f"{kind}.unknown",
                f"{quoted(text)} is not a {kind} in the {tab_of_names} tab.",
                f"{hint}Write the name as it is in the {tab_of_names} tab, "
                f"or add a row for it there.",
            )
        return found
