"""A1 ranges as the Sheets API reads them."""

from __future__ import annotations

from sheets_sync.core.issues import column_letter


def quote_title(title: str) -> str:
    """A tab's name for a range: always quoted, apostrophes doubled (`'Team Roster'`).

    Quoting every name is always accepted, and spares guessing which ones (`A1`, `R1C1`,
    names with spaces or punctuation) would otherwise be read as something else.
    """
    return "'" + title.replace("'", "''") + "'"


def block(title: str, rows: int, columns: int) -> str:
    """The range from A1 of `rows` rows and `columns` columns: `'Summary'!A1:R200`."""
    return f"{quote_title(title)}!A1:{column_letter(columns)}{rows}"
