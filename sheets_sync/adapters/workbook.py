"""The port every workbook backend implements (xlsx, Google Sheets, in memory).

A backend moves cells and nothing else: it hands the core raw values and writes
the core's tables. Parsing, validation and layout decisions stay in the core.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from sheets_sync.core.grid import Grid
from sheets_sync.core.table import InputColumn, InputTab, Table
from sheets_sync.errors import WorkbookError

__all__ = ["MAX_CELLS", "InputColumn", "InputTab", "Workbook", "check_cells"]

# What the tabs one run reads may cover, alone or together. A state's workbook covers about
# 1,000,000 cells (its Contact Log 100,000 rows by 6 columns); three times that keeps a
# cycle within about 15 s and 600 MB here (tests/proof/test_hostile_files.py).
MAX_CELLS = 3_000_000


class Workbook(Protocol):
    def read(self, tabs: Sequence[str], *, owned: Sequence[str] = ()) -> dict[str, Grid | None]:
        """Each named tab's cells, from one reading (None where the workbook has no such tab).

        Input `tabs` match loosely, as people name them (`match_tab`); the worker's `owned`
        tabs match by exact name ignoring case (`tab_named`), as `write` finds them. The
        result is keyed by the names asked for. Raises WorkbookError when the workbook
        cannot be read at all.
        """
        ...

    def tab_names(self) -> list[str]:
        """Every tab's name as of the last `read`, in the workbook's order (for naming the
        near match of a tab that is missing)."""
        ...

    def time_zone(self) -> str:
        """The time zone the workbook writes times in (a Google Sheet's own, which a Form's
        Timestamps are written in), as of the last `read`; "" where it keeps none (a file)."""
        ...

    def cell_links(self, tabs: Sequence[str]) -> dict[str, str]:
        """For each of `tabs` (matched as `read` matches input tabs) that a web link can open
        at a cell, the link up to the cell's reference: `…/edit#gid=7&range=` + `E7`. As of
        the last `read`; empty where the backend has no such links (a file)."""
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


def check_cells(where: str, cells: dict[str, int]) -> None:
    """Refuse tabs that cover more than `MAX_CELLS` together, naming the largest; `where`
    names the workbook ("in district.xlsx")."""
    total = sum(cells.values())
    if total > MAX_CELLS:
        largest = ", ".join(
            f"{tab!r} {count:,}" for tab, count in sorted(cells.items(), key=lambda c: -c[1])[:3]
        )
        raise WorkbookError(
            f"The tabs sheets-sync reads {where} cover {total:,} cells together ({largest}), "
            f"more than the {MAX_CELLS:,} it reads in one run (a state's workbook covers about "
            "1,000,000). Rows pasted by mistake make a tab huge: delete them, or move earlier "
            "years' rows to another workbook, save, and run again."
        )
