"""The port every workbook backend implements (xlsx, Google Sheets, in memory).

A backend moves cells and nothing else: it hands the core raw values and writes
the core's tables. Parsing, validation and layout decisions stay in the core.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from sheets_sync.core.grid import Grid
from sheets_sync.core.table import InputColumn, InputTab, Table

__all__ = ["InputColumn", "InputTab", "Workbook"]


class Workbook(Protocol):
    def read(self, tabs: Sequence[str], *, owned: Sequence[str] = ()) -> dict[str, Grid | None]:
        """Each named tab's cells, from one reading (None where the workbook has no such tab).

        Input `tabs` match loosely, as people name them (`match_tab`); the worker's `owned`
        tabs match by exact name ignoring case (`tab_named`), as `write` finds them. The
        result is keyed by the names asked for. Raises WorkbookError when the workbook
        cannot be read at all.
        """
        ...

    def write(self, tables: Sequence[Table]) -> None:
        """Replace each table's tab in one write, creating tabs that are missing.

        Finds each tab as `read` finds `owned` tabs, and never touches any other tab.
        Raises WriteSkipped when writing now could lose someone's work; the next run writes.
        """
        ...

    def add_tabs(self, tabs: Sequence[InputTab]) -> list[str]:
        """Create the tabs the workbook lacks (with headers, dropdowns, frozen header).

        Leaves existing tabs alone and returns the names it created.
        """
        ...
