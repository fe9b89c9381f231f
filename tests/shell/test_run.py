"""One cycle through the shell's run function, on the in-memory workbook."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sheets_sync.adapters.memory import MemoryWorkbook
from sheets_sync.adapters.xlsx import XlsxWorkbook, create_workbook
from sheets_sync.core.settings import Settings
from sheets_sync.core.table import Table
from sheets_sync.errors import WorkbookLocked
from sheets_sync.shell.cli import main
from sheets_sync.shell.run import run_cycle
from tests.shell.test_cli import CONFIG, clean_district

NOW = datetime(2025, 11, 20, 7, 30, tzinfo=ZoneInfo("America/New_York"))


def memory_district() -> MemoryWorkbook:
    """The clean one-school district of the CLI tests, held in memory."""
    book = MemoryWorkbook()
    book.add_tabs(clean_district())
    return book


class LockedWorkbook(MemoryWorkbook):
    """A workbook whose write is always refused, as when Excel has the file open."""

    def write(self, tables: Sequence[Table]) -> None:
        raise WorkbookLocked("Excel has it open.")


def test_a_cycle_writes_the_four_owned_tabs_once() -> None:
    """One cycle writes Summary, Contact Calendar, Data Issues and Run Log in a single write."""
    book = memory_district()
    report = run_cycle(book, Settings(), NOW)
    assert (report.written, report.skipped, report.exit_status) == (True, "", 0)
    assert book.writes == 1
    assert book.tabs["Summary"][1][:4] == ["Maple Grove Elementary", "0042", "Ann Lee", "On track"]
    assert book.tabs["Run Log"][1][:5] == ["2025-11-20 07:30", "ok", 1, 0, 0]


def test_a_dry_run_writes_nothing_but_builds_the_tables() -> None:
    """A dry run leaves the workbook alone and still reports the tables it would write."""
    book = memory_district()
    report = run_cycle(book, Settings(), NOW, dry_run=True)
    assert book.writes == 0
    assert "Summary" not in book.tabs
    assert [t.name for t in report.tables] == [
        "Summary",
        "Contact Calendar",
        "Data Issues",
        "Run Log",
    ]
    assert (report.written, report.exit_status) == (False, 0)


def test_a_refused_write_is_reported_and_exits_1() -> None:
    """When the backend refuses the write, the report carries its reason and exit status 1."""
    book = LockedWorkbook(memory_district().tabs)
    report = run_cycle(book, Settings(), NOW)
    assert (report.written, report.skipped, report.exit_status) == (False, "Excel has it open.", 1)


def test_the_run_log_keeps_earlier_runs_newest_first() -> None:
    """A second cycle puts its row above the first one's in the Run Log."""
    book = memory_district()
    run_cycle(book, Settings(), NOW)
    run_cycle(book, Settings(), NOW.replace(day=21))
    assert [row[0] for row in book.tabs["Run Log"][1:]] == ["2025-11-21 07:30", "2025-11-20 07:30"]


def test_now_option_sets_the_run_time_in_the_district_time_zone(tmp_path: Path) -> None:
    """`run --now 2025-11-20T06:05` logs that local time and evaluates as of that day."""
    (tmp_path / "sheets-sync.toml").write_text(CONFIG)
    create_workbook(tmp_path / "district.xlsx", clean_district())
    out = io.StringIO()
    status = main(
        ["--config", str(tmp_path / "sheets-sync.toml"), "run", "--now", "2025-11-20T06:05"],
        {},
        out,
        io.StringIO(),
    )
    assert status == 0
    grids = XlsxWorkbook(tmp_path / "district.xlsx").read(["Run Log", "Summary"])
    run_log, summary = grids["Run Log"], grids["Summary"]
    assert run_log is not None
    assert summary is not None
    assert run_log[1][0] == "2025-11-20 06:05"
    assert summary[1][summary[0].index("Days Since Contact")] == 15  # Nov 5 -> Nov 20


def test_a_persons_tab_under_an_owned_name_is_never_written_over() -> None:
    """A person's own "summary" tab stops the write, and the message says what to rename."""
    book = memory_district()
    book.tabs["summary"] = [["Notes for the board"], ["Lincoln is doing well"]]
    report = run_cycle(book, Settings(), NOW)
    assert book.writes == 0
    assert book.tabs["summary"] == [["Notes for the board"], ["Lincoln is doing well"]]
    assert (report.written, report.exit_status) == (False, 1)
    assert report.skipped == (
        'The workbook has a tab "Summary" that sheets-sync did not write (its row 1 is not the '
        "Summary header), so nothing was written, to keep it. Rename that tab, or set another "
        "name for the worker's tab under [tabs] in the config."
    )


def test_a_near_name_is_not_an_owned_tab() -> None:
    """A person's "Run-Log" tab is left alone and the worker's "Run Log" is made beside it."""
    book = memory_district()
    book.tabs["Run-Log"] = [["Budget"], [1234]]
    run_cycle(book, Settings(), NOW)
    assert book.tabs["Run-Log"] == [["Budget"], [1234]]
    assert book.tabs["Run Log"][0][:2] == ["Run At", "Result"]
