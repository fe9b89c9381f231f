"""The state folder's small files: `lock` (one worker at a time), `last_run.json` (how the
last cycle ended) and `run_history.json` (the Run Log's rows and the last good read, so that
history never depends on the last read of the tab). The ledger has its own (adapters/ledger.py).

The lock is an OS lock (`flock`) on `state/lock`, so the kernel drops it when its holder
exits or is killed: a SIGKILLed worker never leaves a stale lock behind. The file also
names its holder, so that a refused second worker can say who holds it. POSIX only.
"""

from __future__ import annotations

import fcntl
import json
import os
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from sheets_sync.adapters.atomic import write_atomically
from sheets_sync.core.owned_tabs import RUN_LOG_COLUMNS, LoggedRow, logged_cell
from sheets_sync.core.read_check import ReadShape
from sheets_sync.errors import SheetsSyncError
from sheets_sync.shell.paths import shown

LOCK_FILE, LAST_RUN_FILE, HISTORY_FILE = "lock", "last_run.json", "run_history.json"
# A `doctor` looking at the lock holds it for an instant, so a taker tries this long first.
LOCK_PATIENCE = 2.0


class StateBusy(SheetsSyncError):
    """Another worker holds the state folder's lock; the message names it and what to do."""


class StateLock:
    """Only one worker per state folder: `with StateLock(folder):` or raise `StateBusy`."""

    def __init__(self, folder: Path, patience: float | None = None) -> None:
        self.path = folder / LOCK_FILE
        self.patience = LOCK_PATIENCE if patience is None else patience
        self._fd: int | None = None

    def __enter__(self) -> StateLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # No O_TRUNC: the holder's details must survive until this process has the lock.
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + self.patience
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise StateBusy(_busy_message(self.path)) from None
                time.sleep(0.05)
        holder = {
            "pid": os.getpid(),
            "command": " ".join(sys.argv),
            "since": datetime.now(UTC).astimezone().isoformat(timespec="seconds"),
        }
        os.ftruncate(fd, 0)
        os.write(fd, (json.dumps(holder) + "\n").encode())
        self._fd = fd
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        # The file stays (deleting it would let two workers lock two different files).
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            os.close(self._fd)  # closing drops the lock
            self._fd = None


def lock_holder(folder: Path) -> dict[str, object] | None:
    """Who holds the state folder's lock now ({} when it is held but not yet named), or None."""
    path = folder / LOCK_FILE
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return _read_holder(path)
    finally:
        os.close(fd)
    return None


def _read_holder(path: Path) -> dict[str, object]:
    try:
        holder = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return holder if isinstance(holder, dict) else {}


def _alive(pid: object) -> bool:
    if not isinstance(pid, int):
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def _busy_message(path: Path) -> str:
    holder = _read_holder(path)
    if holder and not _alive(holder.get("pid")):
        holder = {}  # the file names a process that has died; someone else holds it now
    who = (
        f"process {holder.get('pid')} (`{holder.get('command')}`, since {holder.get('since')})"
        if holder
        else "another process"
    )
    return (
        f"Another sheets-sync is already working on this state folder: {who} holds the lock "
        f"{shown(path)}. Wait for it to finish, or stop it (a `serve` stops cleanly on SIGTERM); "
        "to run two districts at once, give each config its own [state] dir."
    )


def write_last_run(folder: Path, summary: dict[str, object]) -> None:
    """Replace `last_run.json` whole (a temporary file, then a rename): never half written."""
    folder.mkdir(parents=True, exist_ok=True)
    text = json.dumps(summary, indent=2, ensure_ascii=False) + "\n"
    # No secret in it; a log collector may run as another user.
    write_atomically(folder / LAST_RUN_FILE, text.encode("utf-8"), mode=0o644)


def read_last_run(folder: Path) -> dict[str, object] | None:
    """The last cycle's summary, or None when there is none or it cannot be read."""
    try:
        summary = json.loads((folder / LAST_RUN_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return summary if isinstance(summary, dict) else None


@dataclass(frozen=True)
class RunHistory:
    """What the last written cycle left: the Run Log's rows, newest first, and what it read."""

    runs: list[LoggedRow]
    last_read: ReadShape
    recorded_years: tuple[str, ...] = ()  # ended years' tabs written, found, or with nothing


def write_history(folder: Path, history: RunHistory) -> None:
    path = folder / HISTORY_FILE
    read = history.last_read
    text = json.dumps(
        {
            "runs": history.runs,
            "recorded_years": history.recorded_years,
            "last_read": {
                "at": read.at,
                "active_schools": read.active_schools,
                "headers": read.headers,
                "rows": read.rows,
            },
        },
        ensure_ascii=False,
    )
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_atomically(path, text.encode("utf-8"), mode=0o600)
    except OSError as exc:
        raise SheetsSyncError(
            f"The owned tabs were written, but {shown(path)} could not be: "
            f"{exc.strerror or exc}. Check that the user running sheets-sync may write the "
            "state folder."
        ) from None


def read_history(folder: Path) -> RunHistory | None:
    """The history, or None when there is none yet or it cannot be read (the Run Log is
    then taken from the tab, and the read is not compared with anything)."""
    try:
        saved = json.loads((folder / HISTORY_FILE).read_text(encoding="utf-8"))
        read = saved["last_read"]
        runs = [
            tuple(logged_cell(value, column) for column, value in enumerate(row))
            for row in saved["runs"]
            if isinstance(row, list) and len(row) == len(RUN_LOG_COLUMNS)
        ]
        recorded = tuple(str(name) for name in saved.get("recorded_years", []))
        shape = ReadShape(
            str(read["at"]),
            int(read["active_schools"]),
            {str(tab): tuple(map(str, titles)) for tab, titles in read["headers"].items()},
            {str(tab): int(rows) for tab, rows in read["rows"].items()},
        )
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None
    return RunHistory(runs, shape, recorded)
