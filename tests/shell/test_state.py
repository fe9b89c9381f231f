"""The state folder's lock and last_run.json, on real files."""

from __future__ import annotations

import json
import os
import threading
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sheets_sync.core.settings import Settings
from sheets_sync.shell.outcome import Outcome
from sheets_sync.shell.run import run_cycle
from sheets_sync.shell.state import (
    StateBusy,
    StateLock,
    lock_holder,
    read_last_run,
    write_last_run,
)
from tests.shell.test_run import memory_district

FINISHED = datetime(2025, 11, 20, 7, 31, 5, tzinfo=ZoneInfo("America/New_York"))


def test_a_second_taker_is_refused_with_who_holds_it(tmp_path: Path) -> None:
    """A second lock on the same folder raises StateBusy naming the lock file and the holder."""
    with StateLock(tmp_path / "state"):
        holder = lock_holder(tmp_path / "state")
        assert holder is not None
        assert holder["pid"] == os.getpid()
        with pytest.raises(StateBusy) as refused:
            StateLock(tmp_path / "state").__enter__()
    assert str(refused.value) == (
        f"Another sheets-sync is already working on this state folder: process {os.getpid()} "
        f"(`{holder['command']}`, since {holder['since']}) holds the lock "
        f"{tmp_path / 'state' / 'lock'}. Wait for it to finish, or stop it (a `serve` stops "
        "cleanly on SIGTERM); to run two districts at once, give each config its own [state] dir."
    )
    assert lock_holder(tmp_path / "state") is None
    with StateLock(tmp_path / "state"):  # free again
        pass


def test_a_lock_held_for_an_instant_is_waited_for(tmp_path: Path) -> None:
    """A `doctor` that holds the lock for a moment does not turn a run away: the taker
    tries for a while (2 s in a district's runs) before giving up."""
    folder = tmp_path / "state"
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with StateLock(folder):
            holding.set()
            release.wait(5)

    holder = threading.Thread(target=hold)
    holder.start()
    holding.wait(5)
    threading.Timer(0.3, release.set).start()
    with StateLock(folder, patience=10.0):  # granted once the holder lets go
        assert lock_holder(folder) is not None
    holder.join()


def test_no_lock_file_means_no_holder(tmp_path: Path) -> None:
    """A state folder that was never locked has no holder."""
    assert lock_holder(tmp_path) is None


def test_last_run_round_trips_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    """write_last_run replaces the file whole; read_last_run gives the same fields back."""
    report = run_cycle(memory_district(), Settings(), FINISHED)
    summary = Outcome(FINISHED, report.seconds, report).summary()
    write_last_run(tmp_path, summary)
    write_last_run(tmp_path, summary)
    assert read_last_run(tmp_path) == summary
    assert [p.name for p in tmp_path.iterdir()] == ["last_run.json"]
    assert summary == {
        "finished_at": "2025-11-20T07:31:05-05:00",
        "result": "ok",
        "schools": 1,
        "errors": 0,
        "warnings": 0,
        "emails_sent": 0,
        "emails_failed": 0,
        "unknown_outcomes": 0,
        "written": True,
        "skipped_reason": "",
        "seconds": summary["seconds"],
        "note": "",
        "error": "",
    }


def test_a_cycle_that_could_not_run_has_the_same_fields(tmp_path: Path) -> None:
    """A failure summary carries every field a collector reads, and the cause."""
    failed = Outcome(FINISHED, 0.5, error="The workbook is gone.").summary()
    assert (
        failed.keys()
        == Outcome(FINISHED, 0.1, run_cycle(memory_district(), Settings(), FINISHED))
        .summary()
        .keys()
    )
    assert (failed["result"], failed["error"]) == ("could not run", "The workbook is gone.")


@pytest.mark.parametrize("content", ["", "{not json", "[1, 2]", "\xff"])
def test_a_missing_or_corrupt_last_run_reads_as_none(tmp_path: Path, content: str) -> None:
    """read_last_run tolerates a file that is empty, cut short, not an object, or not UTF-8."""
    assert read_last_run(tmp_path) is None
    (tmp_path / "last_run.json").write_bytes(content.encode("latin-1"))
    assert read_last_run(tmp_path) is None


def test_last_run_is_plain_json(tmp_path: Path) -> None:
    """The file is indented JSON a person or a collector can read."""
    write_last_run(tmp_path / "new", {"result": "ok"})
    text = (tmp_path / "new" / "last_run.json").read_text(encoding="utf-8")
    assert json.loads(text) == {"result": "ok"}


def test_last_run_shows_hidden_characters_and_hides_secrets() -> None:
    """A refusal naming a tab typed with ESC, and quoting the password by mischance: both
    are made harmless in what last_run.json and the log say."""
    failed = Outcome(FINISHED, 0.5, error="The tab 'Sch\x1b[2Jools' refused s3cret.")
    assert failed.summary(["s3cret"])["error"] == (
        "The tab 'Sch<U+001B>[2Jools' refused [redacted]."
    )
    assert failed.log_line(["s3cret"]) == (
        "cycle could not run: The tab 'Sch<U+001B>[2Jools' refused [redacted]."
    )
