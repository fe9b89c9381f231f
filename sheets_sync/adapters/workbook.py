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
    def read(self, tabs: Sequence[str]) -> dict[str, Grid | None]:
        """Every named tab's cells (None where the workbook has no such tab).

        Tab names match loosely (`name_key`); the result is keyed by the names asked for.
        Raises WorkbookError when the workbook cannot be read at all.
        """
        ...

    def write(self, tables: Sequence[Table]) -> None:
        """Replace each table's tab in one write, creating tabs that are missing.

        Never touches any other tab. Raises WriteSkipped when writing now could
        lose someone's work; the next run writes.
        """
        ...

    def add_tabs(self, tabs: Sequence[InputTab]) -> list[str]:
        """Create the tabs the workbook lacks (with headers, dropdowns, frozen header).

        Leaves existing tabs alone and returns the names it created.
        """
        ...
