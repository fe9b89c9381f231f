"""A1 ranges as the Sheets API reads them."""

from __future__ import annotations


def quote_title(title: str) -> str:
    """A tab's name for a range: always quoted, apostrophes doubled (`'Team Roster'`).

    Quoting every name is always accepted, and spares guessing which ones (`A1`, `R1C1`,
    names with spaces or punctuation) would otherwise be read as something else.
    """
    return "'" + title.replace("'", "''") + "'"
