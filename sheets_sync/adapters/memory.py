"""A workbook held in memory: for tests, and for trying the core without files."""

from __future__ import annotations

from collections.abc import Sequence

from sheets_sync.adapters.workbook import InputTab
from sheets_sync.core.grid import Grid, RawValue, match_tab, tab_named
from sheets_sync.core.table import Link, Table, laid_out


class MemoryWorkbook:
    def __init__(self, tabs: dict[str, Grid] | None = None) -> None:
        self.tabs: dict[str, Grid] = {
            name: [list(r) for r in g] for name, g in (tabs or {}).items()
        }
        self.writes = 0

    def read(self, tabs: Sequence[str], *, owned: Sequence[str] = ()) -> dict[str, Grid | None]:
        found = {name: match_tab(self.tabs, name) for name in tabs}
        found.update({name: tab_named(self.tabs, name) for name in owned})
        return {
            name: None if real is None else [list(r) for r in self.tabs[real]]
            for name, real in found.items()
        }

    def tab_names(self) -> list[str]:
        return list(self.tabs)

    def time_zone(self) -> str:
        return ""

    def cell_links(self, tabs: Sequence[str]) -> dict[str, str]:
        return {}

    def write(self, tables: Sequence[Table]) -> None:
        for table in tables:
            name = tab_named(self.tabs, table.name) or table.name
            columns, rows = laid_out(table)  # as a spreadsheet shows it: links as their text
            grid: Grid = [[c.title for c in columns]]
            grid.extend([v.text if isinstance(v, Link) else v for v in row] for row in rows)
            self.tabs[name] = grid
        self.writes += 1

    def add_tabs(self, tabs: Sequence[InputTab]) -> list[str]:
        created = []
        for tab in tabs:
            if match_tab(self.tabs, tab.name) is None:
                rows: Grid = [[_cell(v) for v in row] for row in tab.rows]
                self.tabs[tab.name] = [[c.title for c in tab.columns], *rows]
                created.append(tab.name)
        return created


def _cell(value: object) -> RawValue:
    return value if isinstance(value, RawValue) else str(value)
