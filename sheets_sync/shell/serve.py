"""`sheets-sync serve`: a cycle at start, then one every `sync_every_minutes`, until stopped.

Each cycle is the one `run` does (emails fall due from the ledger, so the loop only has to
tick). A failed cycle is logged and the loop goes on; an unreachable workbook is retried
after 1, 2, 4 … minutes (never more often, and never longer than the interval). SIGTERM and
SIGINT let a cycle in progress finish, cut a wait short, and end `serve` with status 0.

A workbook file that fails the same way twice without changing (damaged, refused as
hostile) is not read again until the file changes, or every `UNCHANGED_RETRY` in case the
cause lies elsewhere: the file is looked at each interval, which costs one `stat`.

Time comes from `clock` (an aware datetime, UTC by default), so tests advance it without
sleeping, and daylight-saving changes cannot stretch or shrink an interval. The loop is its
own: the `schedule` library reads `datetime.now()` and keeps fixed intervals, and each cycle
here decides the wait before the next (the interval, a backoff, a hold).
"""

from __future__ import annotations

import json as jsonlib
import logging
import signal
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from types import FrameType
from typing import Any, TextIO

from sheets_sync.shell import commands
from sheets_sync.shell.config import Config
from sheets_sync.shell.outcome import LEVELS, Outcome, attempt, count, redact, secrets_of
from sheets_sync.shell.paths import shown
from sheets_sync.shell.ports import Mark, workbook_mark
from sheets_sync.shell.run import RunReport
from sheets_sync.shell.state import StateLock, write_last_run

__all__ = ["configure_logging", "serve"]

Cycle = Callable[[datetime], RunReport]
LOG = logging.getLogger("sheets_sync.serve")
TICK_SECONDS = 60.0  # the longest single wait, so that a jump of the wall clock is noticed
UNCHANGED_RETRY = timedelta(hours=4)


def _utc_now() -> datetime:
    return datetime.now(UTC)


def serve(
    config: Config,
    environ: Mapping[str, str],
    *,
    cycle: Cycle | None = None,
    clock: Callable[[], datetime] = _utc_now,
    sleep: Callable[[float], object] | None = None,
    stop: threading.Event | None = None,
    log: logging.Logger = LOG,
) -> int:
    """Run cycles until `stop` is set (SIGTERM and SIGINT set it); 0 when stopped.

    Raises `StateBusy` at once when another worker holds the state folder.
    """
    stop = stop or threading.Event()
    worker = _Worker(
        config,
        # A stop asked for mid-cycle begins no further email; the cycle goes on to its write.
        cycle or (lambda now: commands.run(config, now, environ, stopping=stopping)),
        clock,
        secrets_of(config, environ),
        log,
    )
    with StateLock(config.state.dir), _stopped_by_signals() as received:

        def stopping() -> bool:
            return stop.is_set() or bool(received)

        wait = sleep or (lambda seconds: _nap(seconds, stopping))
        next_run = clock()  # the first cycle at once
        log.info(
            "serving: a cycle now and every %d minutes; state in %s",
            config.schedule.sync_every_minutes,
            shown(config.state.dir),
        )
        while not stopping():
            if clock() >= next_run:
                next_run = clock() + worker.one_cycle()  # each cycle says how long to wait
            idle = (next_run - clock()).total_seconds()
            if idle > 0 and not stopping():
                wait(min(idle, TICK_SECONDS))
        stop.set()
        log.info("stopped%s", f" by {received[0]}" if received else "")
    return 0


class _Worker:
    """One cycle at a time: run it, log it, record it, and say how long to wait."""

    def __init__(
        self,
        config: Config,
        cycle: Cycle,
        clock: Callable[[], datetime],
        secrets: list[str],
        log: logging.Logger,
    ) -> None:
        self.config = config
        self.cycle = cycle
        self.clock = clock
        self.secrets = secrets
        self.log = log
        self.every = timedelta(minutes=config.schedule.sync_every_minutes)
        self.unreachable = 0  # workbook failures in a row
        self.last_failure: tuple[str, Mark] | None = None  # its message, and the file then
        self.held: tuple[Mark, datetime] | None = None  # a failing file, and when to try again

    def one_cycle(self) -> timedelta:
        mark = workbook_mark(self.config)
        if self.held is not None:
            if mark == self.held[0] and self.clock() < self.held[1]:
                return self.every  # the same file that failed twice; last_run.json says so
            self.held = None
        zone = self.config.program.zone
        outcome = attempt(
            lambda: self.cycle(self.clock().astimezone(zone)),
            lambda: self.clock().astimezone(zone),
            bugs_too=True,  # logged with its traceback, and serve goes on
        )
        if outcome.workbook_failed:
            self.unreachable += 1
            if mark is not None and self.last_failure == (outcome.error, mark):
                return self._hold(outcome, mark)
            self.last_failure = (outcome.error, mark)
        else:
            self.unreachable = 0
            if outcome.report is not None:
                self.last_failure = None
        backoff = timedelta(minutes=2 ** (self.unreachable - 1)) if self.unreachable else self.every
        return self._record(outcome, min(backoff, self.every))

    def _hold(self, outcome: Outcome, mark: Mark) -> timedelta:
        """Stop re-reading a file that failed twice the same way, until it changes."""
        until = self.clock() + UNCHANGED_RETRY
        self.held = (mark, until)
        local = until.astimezone(self.config.program.zone)
        note = (
            "The same failure twice on the unchanged workbook file: it is read again as soon "
            f"as the file changes, or at {local:%Y-%m-%d %H:%M} in case the cause is elsewhere."
        )
        return self._record(replace(outcome, note=note), self.every)

    def _record(self, outcome: Outcome, wait: timedelta) -> timedelta:
        summary = outcome.summary(self.secrets)
        minutes = round(wait.total_seconds() / 60)
        extra: dict[str, object] = {"fields": {**summary, "next_in_minutes": minutes}}
        if outcome.trace:
            extra["trace"] = redact(outcome.trace, self.secrets)
        line = outcome.log_line(self.secrets)
        self.log.log(
            LEVELS[outcome.result], "%s; next in %s", line, count(minutes, "minute"), extra=extra
        )
        try:
            write_last_run(self.config.state.dir, summary)
        except OSError as failure:
            self.log.error("could not write %s: %s", shown(self.config.state.dir), failure)
        return wait


def _nap(seconds: float, stopping: Callable[[], bool]) -> None:
    """Sleep up to `seconds`, in slices short enough that a stop is noticed within one."""
    deadline = time.monotonic() + seconds
    while not stopping() and (left := deadline - time.monotonic()) > 0:
        time.sleep(min(left, 1.0))


@contextmanager
def _stopped_by_signals() -> Iterator[list[str]]:
    """While inside, SIGTERM and SIGINT are recorded in the yielded list (their names).

    The handler only appends: it takes no lock (setting a threading.Event from a handler can
    deadlock when the signal lands while the main thread holds the event's lock).
    """
    received: list[str] = []
    if threading.current_thread() is not threading.main_thread():  # only main can take them
        yield received
        return

    def handle(number: int, frame: FrameType | None) -> None:
        received.append(signal.Signals(number).name)  # no logging or locks: not signal-safe

    previous = {number: signal.signal(number, handle) for number in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield received
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


class _PlainFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(message)s")

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return _timestamp(record)

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        trace: str = getattr(record, "trace", "")
        return f"{line}\n{trace.rstrip()}" if trace else line


class _JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, and the cycle's fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": _timestamp(record),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            **getattr(record, "fields", {}),
        }
        trace = getattr(record, "trace", "") or (
            self.formatException(record.exc_info) if record.exc_info else ""
        )
        if trace:
            entry["traceback"] = trace
        return jsonlib.dumps(entry, ensure_ascii=False, default=str)


def _timestamp(record: logging.LogRecord) -> str:
    return datetime.fromtimestamp(record.created, UTC).astimezone().isoformat(timespec="seconds")


def configure_logging(level: int | str, json: bool, stream: TextIO) -> logging.Handler:
    """Send sheets-sync's log to `stream`, as plain lines or one JSON object per line; calling
    it again replaces the earlier setup. Returns the handler (to remove it, in tests)."""
    logger = logging.getLogger("sheets_sync")
    for earlier in [h for h in logger.handlers if getattr(h, "sheets_sync", False)]:
        logger.removeHandler(earlier)
    handler = logging.StreamHandler(stream)
    handler.sheets_sync = True  # type: ignore[attr-defined]  # marks the handler as ours
    handler.setFormatter(_JsonFormatter() if json else _PlainFormatter())
    logger.addHandler(handler)
    logger.setLevel(level)
    return handler
