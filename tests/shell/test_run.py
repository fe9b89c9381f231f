"""One cycle through the shell's run function, on the in-memory workbook."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sheets_sync.adapters.memory import MemoryWorkbook
from sheets_sync.adapters.xlsx import XlsxWorkbook, create_workbook
from sheets_sync.core.settings import Settings
from sheets_sync.core.table import Table
from sheets_sync.errors import ReadContradicted, WorkbookLocked
from sheets_sync.shell.cli import main
from sheets_sync.shell.run import Memory, run_cycle
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


# -- history kept in the state folder; a read that contradicts it ------------------------------


def test_the_run_log_comes_from_the_state_folder_not_the_tab(tmp_path: Path) -> None:
    """Three runs, then the Run Log tab reads back empty (a bad answer, or someone cleared it):
    the fourth run still shows all four runs."""
    book = memory_district()
    memory = Memory(tmp_path / "state")
    for day in (18, 19, 20):
        run_cycle(book, Settings(), NOW.replace(day=day), memory=memory)
    book.tabs["Run Log"] = [book.tabs["Run Log"][0]]
    run_cycle(book, Settings(), NOW.replace(day=21), memory=memory)
    assert [row[0] for row in book.tabs["Run Log"][1:]] == [
        "2025-11-21 07:30",
        "2025-11-20 07:30",
        "2025-11-19 07:30",
        "2025-11-18 07:30",
    ]


def test_without_history_the_run_log_is_taken_from_the_tab(tmp_path: Path) -> None:
    """A first run with a state folder (say, after an upgrade) keeps the rows the tab has."""
    book = memory_district()
    run_cycle(book, Settings(), NOW.replace(day=19))  # no state folder
    run_cycle(book, Settings(), NOW, memory=Memory(tmp_path / "state"))
    assert [row[0] for row in book.tabs["Run Log"][1:]] == ["2025-11-20 07:30", "2025-11-19 07:30"]
    assert (tmp_path / "state" / "run_history.json").exists()


def test_a_read_that_contradicts_the_last_good_run_writes_nothing(tmp_path: Path) -> None:
    """Every input tab reads empty after a good run: the cycle stops before any email or
    write, saying why; the next good read goes on as if nothing happened."""
    book = memory_district()
    memory = Memory(tmp_path / "state")
    run_cycle(book, Settings(), NOW.replace(day=19), memory=memory)
    good = {name: [list(row) for row in grid] for name, grid in book.tabs.items()}
    inputs = ("Schools", "Facilitators", "Team Roster", "Action Plan", "Contact Log")
    book.tabs.update({name: [] for name in inputs})
    mailed: list[object] = []
    with pytest.raises(ReadContradicted, match="contradicts the last good run") as caught:
        run_cycle(book, Settings(), NOW, memory=memory, mail=lambda e, r: mailed.append(e))  # type: ignore[arg-type,func-returns-value]
    assert '"Schools" tab is empty' in str(caught.value)
    assert mailed == []
    assert book.writes == 1
    assert book.tabs["Summary"] == good["Summary"]

    book.tabs.update({name: good[name] for name in inputs})
    report = run_cycle(book, Settings(), NOW.replace(day=21), memory=memory)
    assert report.written
    assert [row[0] for row in book.tabs["Run Log"][1:]] == ["2025-11-21 07:30", "2025-11-19 07:30"]


def test_trust_read_takes_an_emptied_book_as_it_is(tmp_path: Path) -> None:
    """A district that really emptied its Contact Log says so once; later runs compare with
    that read."""
    book = memory_district()
    run_cycle(book, Settings(), NOW.replace(day=19), memory=Memory(tmp_path / "state"))
    book.tabs["Contact Log"] = []
    with pytest.raises(ReadContradicted, match='"Contact Log" tab is empty'):
        run_cycle(book, Settings(), NOW, memory=Memory(tmp_path / "state"))
    report = run_cycle(book, Settings(), NOW, memory=Memory(tmp_path / "state", trust_read=True))
    assert report.written
    assert run_cycle(book, Settings(), NOW, memory=Memory(tmp_path / "state")).written


def test_a_dry_run_leaves_the_history_alone(tmp_path: Path) -> None:
    book = memory_district()
    run_cycle(book, Settings(), NOW, dry_run=True, memory=Memory(tmp_path / "state"))
    assert not (tmp_path / "state").exists()
