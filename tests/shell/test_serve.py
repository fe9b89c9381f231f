"""`serve`: cycles on a clock the tests move, failures and backoff, the lock, and real signals."""

from __future__ import annotations

import io
import json
import logging
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

import pytest

from sheets_sync.adapters.xlsx import create_workbook
from sheets_sync.core.settings import Settings
from sheets_sync.errors import SheetsSyncError, WorkbookError
from sheets_sync.shell.config import Config, load_config
from sheets_sync.shell.run import RunReport, run_cycle
from sheets_sync.shell.serve import configure_logging, serve
from sheets_sync.shell.state import StateBusy, StateLock, read_last_run
from tests.shell.test_cli import CONFIG, clean_district
from tests.shell.test_run import NOW, memory_district

START = datetime(2025, 11, 20, 12, 0, tzinfo=UTC)
PASSWORD = "correct-horse-battery-staple"
REPO = Path(__file__).parents[2]


@cache
def a_report() -> RunReport:
    return run_cycle(memory_district(), Settings(), NOW)


def config_in(folder: Path, minutes: int = 15) -> Config:
    path = folder / "sheets-sync.toml"
    path.write_text(CONFIG + f"\n[schedule]\nsync_every_minutes = {minutes}\n")
    return load_config(path, {})


class Script:
    """A fake cycle and clock: each cycle takes the next outcome (an exception to raise, or
    None for a report); after the last, serve is stopped. Time moves only when serve sleeps."""

    def __init__(self, *outcomes: Exception | None) -> None:
        self.outcomes = list(outcomes)
        self.now = START
        self.ran: list[datetime] = []
        self.stop = threading.Event()

    def clock(self) -> datetime:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)

    def cycle(self, now: datetime) -> RunReport:
        self.ran.append(now)
        outcome = self.outcomes.pop(0)
        if not self.outcomes:
            self.stop.set()
        if outcome is not None:
            raise outcome
        return a_report()

    def serve(self, config: Config, environ: dict[str, str] | None = None) -> int:
        return serve(
            config,
            environ or {},
            cycle=self.cycle,
            clock=self.clock,
            sleep=self.sleep,
            stop=self.stop,
        )

    def gaps(self) -> list[float]:
        """Minutes between one cycle and the next."""
        return [(b - a).total_seconds() / 60 for a, b in zip(self.ran, self.ran[1:], strict=False)]


def test_a_cycle_runs_at_start_then_every_interval_in_the_districts_zone(tmp_path: Path) -> None:
    """The first cycle runs at once, the next ones every sync_every_minutes, in local time."""
    script = Script(None, None, None)
    assert script.serve(config_in(tmp_path, minutes=15)) == 0
    assert script.ran[0] == START
    assert script.gaps() == [15, 15]
    assert str(script.ran[0].tzinfo) == "America/New_York"


def test_an_interval_across_the_fall_back_change_stays_15_minutes(tmp_path: Path) -> None:
    """At 01:50 EDT on the night clocks go back, the next cycle is at 01:05 EST, not 02:05."""
    script = Script(None, None)
    script.now = datetime(2025, 11, 2, 5, 50, tzinfo=UTC)
    script.serve(config_in(tmp_path, minutes=15))
    assert [t.strftime("%H:%M %Z") for t in script.ran] == ["01:50 EDT", "01:05 EST"]


def test_a_failing_cycle_is_logged_with_its_cause_and_the_next_still_runs(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A bug and a known failure are each logged with their cause; serve keeps its interval."""
    script = Script(RuntimeError("boom"), SheetsSyncError("The ledger is unreadable."), None)
    with caplog.at_level(logging.INFO, logger="sheets_sync"):
        assert script.serve(config_in(tmp_path, minutes=15)) == 0
    assert script.gaps() == [15, 15]
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert [r.getMessage() for r in errors] == [
        "cycle could not run: unexpected RuntimeError: boom; next in 15 minutes",
        "cycle could not run: The ledger is unreadable.; next in 15 minutes",
    ]
    assert "Traceback" in errors[0].trace  # type: ignore[attr-defined]
    assert caplog.records[-2].getMessage().startswith("cycle ok: 1 school, 0 errors, 0 warnings")


def test_an_unreachable_workbook_is_retried_with_backoff_up_to_the_interval(
    tmp_path: Path,
) -> None:
    """Retries wait 1, 2, 4, 8 minutes, then the interval; a good cycle restores it."""
    down = WorkbookError("The workbook cannot be reached.")
    script = Script(down, down, down, down, down, None, down, None)
    script.serve(config_in(tmp_path, minutes=10))
    assert script.gaps() == [1, 2, 4, 8, 10, 10, 1]


def test_last_run_json_is_written_after_every_cycle(tmp_path: Path) -> None:
    """After a good cycle and then a failed one, last_run.json describes the failed one."""
    config = config_in(tmp_path)
    Script(None).serve(config)
    first = read_last_run(config.state.dir)
    assert first is not None
    assert (first["result"], first["schools"], first["finished_at"]) == (
        "ok",
        1,
        "2025-11-20T07:00:00-05:00",
    )
    Script(WorkbookError("Gone.")).serve(config)
    last = read_last_run(config.state.dir)
    assert last is not None
    assert isinstance(last["seconds"], float)
    assert last["seconds"] < 1  # measured for real: on a loaded machine not exactly 0.0
    assert {**last, "seconds": 0.0} == {
        **first,
        "result": "could not run",
        "schools": 0,
        "written": False,
        "error": "Gone.",
        "seconds": 0.0,
    }


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the state folder's lock (until the test kills it)."""
    code = (
        "import sys, time; from pathlib import Path; "
        "from sheets_sync.shell.state import StateLock\n"
        "with StateLock(Path(sys.argv[1])):\n"
        "    print('locked', flush=True); time.sleep(60)"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code, str(tmp_path / "state")],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline() == "locked\n"
    yield process
    process.kill()
    process.wait()


def test_a_second_serve_on_the_same_state_folder_is_refused(
    tmp_path: Path, holder: subprocess.Popen[str]
) -> None:
    """serve stops at once with a message naming the lock file and the process holding it."""
    script = Script(None)
    with pytest.raises(StateBusy) as refused:
        script.serve(config_in(tmp_path))
    assert script.ran == []
    message = str(refused.value)
    assert f"process {holder.pid} (`-c {tmp_path / 'state'}`, since " in message
    assert f"holds the lock {tmp_path / 'state' / 'lock'}." in message


def test_the_lock_is_released_when_its_holder_is_killed(
    tmp_path: Path, holder: subprocess.Popen[str]
) -> None:
    """A SIGKILLed holder leaves no stale lock: the next worker takes it at once."""
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    with StateLock(tmp_path / "state"):
        pass
    script = Script(None)
    assert script.serve(config_in(tmp_path)) == 0
    assert len(script.ran) == 1


SERVE = """\
import sys, time
from datetime import UTC, datetime
from pathlib import Path
from sheets_sync.shell import commands
from sheets_sync.shell.config import load_config
from sheets_sync.shell.serve import configure_logging, serve

config = load_config(Path(sys.argv[1]), {})
seconds = float(sys.argv[2])
configure_logging("INFO", False, sys.stderr)

def cycle(now):  # the district's data is of 2025-26: run as of a day in it, whatever the clock
    print("cycle started", flush=True)
    time.sleep(seconds)
    return commands.run(config, datetime(2025, 11, 20, 13, 0, tzinfo=UTC), {})

sys.exit(serve(config, {}, cycle=cycle))
"""


def start_serving(tmp_path: Path, cycle_seconds: float) -> subprocess.Popen[str]:
    """`serve` in a real process on a real .xlsx workbook, once its first cycle has begun."""
    config = config_in(tmp_path)
    create_workbook(tmp_path / "district.xlsx", clean_district())
    process = subprocess.Popen(
        [sys.executable, "-c", SERVE, str(config.path), str(cycle_seconds)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline() == "cycle started\n"
    return process


@pytest.mark.slow  # a real process and its signals, seconds each: CI runs them
@pytest.mark.parametrize("name", ["SIGTERM", "SIGINT"])
def test_a_signal_mid_cycle_finishes_the_cycle_and_exits_0(tmp_path: Path, name: str) -> None:
    """SIGTERM or SIGINT during a cycle lets it finish (last_run.json written), then exit 0."""
    process = start_serving(tmp_path, cycle_seconds=0.5)
    process.send_signal(getattr(signal, name))
    _, log = process.communicate(timeout=20)
    assert process.returncode == 0, log
    assert (tmp_path / "state" / "last_run.json").exists()
    assert log.count(" INFO cycle ") == 1, log
    assert log.rstrip().endswith(f"stopped by {name}")


@pytest.mark.slow
def test_a_signal_during_the_wait_exits_at_once(tmp_path: Path) -> None:
    """SIGTERM while serve waits for the next cycle ends it within a moment, not 15 minutes."""
    process = start_serving(tmp_path, cycle_seconds=0.0)
    assert (tmp_path / "state").exists()
    deadline = time.monotonic() + 20
    while not (tmp_path / "state" / "last_run.json").exists():
        assert time.monotonic() < deadline, "the first cycle did not finish"
        time.sleep(0.05)
    signalled = time.monotonic()
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=20)
    assert process.returncode == 0
    assert time.monotonic() - signalled < 10  # generous: a loaded 2-core CI machine


@pytest.mark.parametrize("json_lines", [False, True])
def test_no_secret_reaches_the_log_or_last_run(tmp_path: Path, json_lines: bool) -> None:
    """A cause that quotes the SMTP password is logged, in either format, with it redacted."""
    stream = io.StringIO()
    handler = configure_logging(logging.DEBUG, json_lines, stream)
    leak = f"535 login refused for password {PASSWORD}"
    try:
        script = Script(SheetsSyncError(leak), RuntimeError(leak), None)
        script.serve(config_in(tmp_path), {"SMTP_PASSWORD": PASSWORD})
    finally:
        logging.getLogger("sheets_sync").removeHandler(handler)
    log = stream.getvalue()
    assert "535 login refused for password [redacted]" in log
    assert "Traceback" in log
    assert PASSWORD not in log
    assert PASSWORD not in (tmp_path / "state" / "last_run.json").read_text(encoding="utf-8")
    if json_lines:
        entries = [json.loads(line) for line in log.splitlines()]
        assert [e["result"] for e in entries if "result" in e] == [
            "could not run",
            "could not run",
            "ok",
        ]
        assert entries[-2]["level"] == "info"
        assert entries[-2]["schools"] == 1


def test_plain_log_lines_start_with_time_and_level(tmp_path: Path) -> None:
    """A plain line reads: ISO time with offset, level, message."""
    stream = io.StringIO()
    handler = configure_logging("INFO", False, stream)
    try:
        Script(None).serve(config_in(tmp_path))
    finally:
        logging.getLogger("sheets_sync").removeHandler(handler)
    stamp, level, message = stream.getvalue().splitlines()[1].split(" ", 2)
    assert datetime.fromisoformat(stamp).tzinfo is not None
    assert (level, message.split(":")[0]) == ("INFO", "cycle ok")


class FileScript(Script):
    """A Script whose workbook file is rewritten once the clock passes `change_at`."""

    def __init__(self, book: Path, change_at: datetime | None, *outcomes: Exception | None):
        super().__init__(*outcomes)
        self.book, self.change_at = book, change_at
        book.write_bytes(b"a damaged workbook")

    def sleep(self, seconds: float) -> None:
        super().sleep(seconds)
        if self.change_at is not None and self.now >= self.change_at:
            self.book.write_bytes(b"the workbook, restored from a backup")
            self.change_at = None


REFUSED = WorkbookError("The tab 'Schools' in district.xlsx would unpack to 800 MB.")


def test_a_file_that_fails_the_same_way_twice_is_read_again_once_it_changes(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Refused at 0 and (backing off) at 1 minute, the unchanged file is only looked at, not
    read; restored at 2 h, it is read at the next 15-minute tick (121), then backs off as
    before (refused a third time: 4 minutes) and reads well at 125."""
    script = FileScript(
        tmp_path / "district.xlsx", START + timedelta(hours=2), REFUSED, REFUSED, REFUSED, None
    )
    config = config_in(tmp_path, minutes=15)
    with caplog.at_level(logging.INFO, logger="sheets_sync"):
        script.serve(config)
    assert script.gaps() == [1, 120, 4]
    held = [r.getMessage() for r in caplog.records if "unchanged workbook file" in r.getMessage()]
    assert held == [
        "cycle could not run: The tab 'Schools' in district.xlsx would unpack to 800 MB. The "
        "same failure twice on the unchanged workbook file: it is read again as soon as the file "
        "changes, or at 2025-11-20 11:01 in case the cause is elsewhere.; next in 15 minutes"
    ]


def test_an_unchanged_failing_file_is_still_read_every_four_hours(tmp_path: Path) -> None:
    """Without a change the file is read again 4 hours after the second failure, and
    last_run.json says why nothing happens in between."""
    script = FileScript(tmp_path / "district.xlsx", None, REFUSED, REFUSED, REFUSED)
    config = config_in(tmp_path, minutes=15)
    script.serve(config)
    assert script.gaps() == [1, 240]
    last = read_last_run(config.state.dir)
    assert last is not None
    assert (last["result"], last["error"]) == ("could not run", str(REFUSED))
    assert str(last["note"]).startswith("The same failure twice on the unchanged workbook file")
