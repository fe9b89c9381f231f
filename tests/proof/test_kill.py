"""SIGKILL at random moments of many runs, then a clean run: nothing lost, nobody emailed twice."""

from __future__ import annotations

import random
import subprocess
import sys
import textwrap
import time
from datetime import date
from pathlib import Path

import pytest

from sheets_sync.core.settings import SchoolYear, Settings
from sheets_sync.demo import demo_district
from tests.adapters.gsheets_fixtures import bench
from tests.adapters.smtp_fixtures import smtp_server
from tests.proof.harness import (
    INPUTS,
    REPO,
    check_owned_whole,
    cli,
    command,
    demo_folder,
    duplicates,
    gsheets_config,
    opens_in_openpyxl,
    outbox_messages,
    pending_keys,
    smtp_config,
    temp_files,
    unknown_keys,
    xlsx_grids,
)

# From Thursday 20 November to Monday 22 December 2025 (within `doctor`'s 35 days): new weekly
# digests each week, and new monthly summaries on Monday 1 December.
MOMENTS = (
    "2025-11-20T08:00",
    "2025-11-20T12:00",
    "2025-11-24T08:00",
    "2025-11-27T08:00",
    "2025-12-01T07:45",
    "2025-12-01T09:00",
    "2025-12-08T08:00",
    "2025-12-15T08:00",
    "2025-12-22T08:00",
)
LAST = MOMENTS[-1]
YEAR = Settings(year=SchoolYear(date(2025, 8, 1), date(2026, 6, 30)))


def killed_runs(config: Path, kills: int, seed: int, timeout: float = 60) -> list[str]:
    """`kills` runs, each SIGKILLed after a random delay, `--now` moving on through MOMENTS.

    One undisturbed run first sets the spread of the delays (0 to 1.2 times its length);
    its moment is the first one. Returns what each run's process said (when it finished first).
    """
    rng = random.Random(seed)
    started = time.monotonic()
    measured = cli(config, "run", "--now", MOMENTS[0], timeout=timeout)
    assert measured.returncode in (0, 1), measured.stderr
    cycle = time.monotonic() - started
    said = []
    for i in range(kills):
        now = MOMENTS[min(len(MOMENTS) - 1, 1 + i * (len(MOMENTS) - 1) // kills)]
        process = subprocess.Popen(
            command(config, "run", "--now", now),
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(rng.uniform(0, 1.2 * cycle))
        process.kill()  # SIGKILL, or nothing if it has already finished
        out, err = process.communicate(timeout=timeout)
        said.append(out + err)
    return said


def check_doubt_reported(config: Path, clean_output: str, state: Path) -> None:
    """Each message in doubt is named by `doctor`, and by the clean run when it is due now."""
    pending = pending_keys(state)
    reported = unknown_keys(clean_output)
    assert reported <= set(pending)
    doctor = cli(config, "doctor", "--today", LAST[:10])
    problems = [line for line in doctor.stdout.splitlines() if line.startswith("PROBLEM  mail")]
    for key in pending:
        assert [line for line in problems if key in line], (key, doctor.stdout)
    if pending:
        assert doctor.returncode == 1
    # A key claimed by a run at the clean run's own moment is due now: the run names it too.
    last_utc = {k for k, when in pending.items() if when.startswith("2025-12-22T13:00")}
    assert last_utc <= reported


@pytest.mark.slow
def test_25_kills_then_a_clean_run_leave_an_xlsx_district_whole(tmp_path: Path) -> None:
    """25 runs SIGKILLed at random moments, then a clean one: the .xlsx and the mail are sound."""
    folder = demo_folder(tmp_path / "district")
    workbook = folder / "district.xlsx"
    before = xlsx_grids(workbook)
    with smtp_server() as server:
        config = smtp_config(folder, server.port)
        killed_runs(config, kills=25, seed=20251120)
        clean = cli(config, "run", "--now", LAST)
        assert clean.returncode in (0, 1), clean.stderr
        assert "Wrote Summary" in clean.stdout
        check_doubt_reported(config, clean.stdout, folder / "state")
    assert opens_in_openpyxl(workbook)[: len(INPUTS)] == list(INPUTS)
    after = xlsx_grids(workbook, (*INPUTS, "Summary", "Run Log", "Data Issues"))
    assert {tab: after[tab] for tab in INPUTS} == before
    check_owned_whole(after, before["Schools"])
    messages = [r.message for r in server.received]
    assert len(messages) > 14  # more than the first moment's: later moments' mail went out
    assert duplicates(messages) == {}
    assert temp_files(folder) == []


@pytest.mark.slow
def test_10_kills_then_a_clean_run_leave_a_google_sheet_whole(tmp_path: Path) -> None:
    """10 runs against the Sheets API stand-in SIGKILLed at random, then a clean one."""
    with bench(tmp_path) as b:
        tabs = demo_district(date(2025, 11, 20), YEAR)
        sheet = b.api.create_spreadsheet(
            "Riverbend",
            {t.name: [[c.title for c in t.columns], *map(list, t.rows)] for t in tabs},
        )
        before = {tab: b.api.values(sheet, tab) for tab in INPUTS}
        config = gsheets_config(tmp_path, sheet, b.key, b.api.url)
        killed_runs(config, kills=10, seed=47)
        clean = cli(config, "run", "--now", LAST)
        assert clean.returncode in (0, 1), clean.stderr
        assert "Wrote Summary" in clean.stdout
        check_doubt_reported(config, clean.stdout, tmp_path / "state")
        after = {tab: b.api.values(sheet, tab) for tab in b.api.tabs(sheet)}
    assert {tab: after[tab] for tab in INPUTS} == before
    check_owned_whole(after, before["Schools"])
    messages = outbox_messages(tmp_path / "outbox")
    assert len(messages) > 14
    assert duplicates(messages) == {}
    assert temp_files(tmp_path / "outbox") == []


def die_at(config: Path, owner: str, method: str, now: str) -> subprocess.CompletedProcess[str]:
    """A run that SIGKILLs itself at the first call of `owner.method` (a module path)."""
    head, _, last = owner.rpartition(".")
    module = head if last[:1].isupper() else owner  # a class's module, or the module itself
    script = textwrap.dedent(
        f"""
        import os, signal, sys
        import {module}
        from sheets_sync.shell.cli import main

        def die(*args, **kwargs):
            os.kill(os.getpid(), signal.SIGKILL)

        setattr({owner}, {method!r}, die)
        sys.exit(main(["--config", {str(config)!r}, "run", "--now", {now!r}]))
        """
    )
    return subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
        check=False,
    )


@pytest.mark.slow  # three processes and a mail server: a proof for CI, not every commit
def test_a_kill_between_delivery_and_record_is_reported_never_resent(tmp_path: Path) -> None:
    """Killed right after the first delivery: the clean run and `doctor` name it; none twice."""
    folder = demo_folder(tmp_path / "district")
    with smtp_server() as server:
        config = smtp_config(folder, server.port)
        died = die_at(config, "sheets_sync.adapters.ledger.Ledger", "sent", "2025-11-20T08:00")
        assert died.returncode == -9
        assert len(server.received) == 1
        clean = cli(config, "run", "--now", "2025-11-20T09:00")
        pending = set(pending_keys(folder / "state"))
        doctor = cli(config, "doctor", "--today", "2025-11-20")
    assert len(pending) == 1
    assert unknown_keys(clean.stdout) == pending
    key = pending.pop()
    assert next(line for line in doctor.stdout.splitlines() if key in line).startswith(
        "PROBLEM  mail"
    )
    messages = [r.message for r in server.received]
    assert len(messages) == 14
    assert duplicates(messages) == {}


@pytest.mark.slow  # processes killed and run again: a proof for CI, not every commit
def test_a_kill_in_the_middle_of_the_swap_leaves_no_temporary_file(tmp_path: Path) -> None:
    """Killed between writing the new workbook and renaming it: the old file opens, and the
    next run leaves no temporary file behind."""
    folder = demo_folder(tmp_path / "district")
    workbook = folder / "district.xlsx"
    before = xlsx_grids(workbook)
    with smtp_server() as server:
        config = smtp_config(folder, server.port)
        died = die_at(config, "sheets_sync.adapters.xlsx.files", "exchange", "2025-11-20T08:00")
        assert died.returncode == -9, died.stderr
        assert xlsx_grids(workbook) == before
        clean = cli(config, "run", "--now", "2025-11-20T09:00")
    assert "Wrote Summary" in clean.stdout
    assert temp_files(folder) == []
