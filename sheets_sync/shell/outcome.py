"""How one cycle ended, as one value: the exit status, last_run.json and the log line are
all derived from an `Outcome`, and secrets are taken out of every text of it in one place.
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sheets_sync.core.results import EXIT_STATUS, Result
from sheets_sync.core.values import visible
from sheets_sync.errors import SheetsSyncError, WorkbookError
from sheets_sync.shell.config import Config
from sheets_sync.shell.run import RunReport
from sheets_sync.shell.state import write_last_run

REDACTED = "[redacted]"
LEVELS: Mapping[Result, int] = {
    "ok": logging.INFO,
    "data errors": logging.INFO,
    "failed": logging.WARNING,
    "not written": logging.WARNING,
    "could not run": logging.ERROR,
}


@dataclass(frozen=True)
class Outcome:
    """A cycle that ran (`report`), or one that could not (`error`), and when it finished."""

    finished_at: datetime  # in the district's time zone
    seconds: float
    report: RunReport | None = None
    error: str = ""  # why it could not run
    note: str = ""  # what the worker adds (serve's hold on an unchanged file)
    trace: str = ""  # a bug's traceback, for the log only
    workbook_failed: bool = False  # the workbook could not be read (serve backs off)

    @property
    def result(self) -> Result:
        return "could not run" if self.report is None else self.report.result

    @property
    def exit_status(self) -> int:
        return EXIT_STATUS[self.result]

    def summary(self, secrets: Sequence[str] = ()) -> dict[str, object]:
        """What `last_run.json` says: secrets taken out, hidden characters shown."""
        report = self.report
        mail = report.mail if report else None
        evaluation = report.evaluation if report else None
        notes = [mail.note if mail else "", self.note]
        fields: dict[str, object] = {
            "finished_at": self.finished_at.isoformat(timespec="seconds"),
            "result": self.result,
            "schools": len(evaluation.standings) if evaluation else 0,
            "errors": evaluation.errors if evaluation else 0,
            "warnings": evaluation.warnings if evaluation else 0,
            "emails_sent": len(mail.sent) if mail else 0,
            "emails_failed": len(mail.failed) if mail else 0,
            "unknown_outcomes": mail.doubtful if mail else 0,
            "written": bool(report and report.written),
            "skipped_reason": report.skipped if report else "",
            "seconds": round(report.seconds if report else self.seconds, 2),
            "note": "; ".join(n for n in notes if n),
            "error": self.error,
        }
        # A message may name a tab or quote a name from the workbook: hidden characters shown.
        return {
            k: redact(visible(v), secrets) if isinstance(v, str) else v for k, v in fields.items()
        }

    def log_line(self, secrets: Sequence[str] = ()) -> str:
        """The cycle's log line: what a person watching the log needs to know."""
        s = self.summary(secrets)
        if self.report is None:
            return f"cycle could not run: {s['error']}" + (f" {s['note']}" if s["note"] else "")
        line = (
            f"cycle {s['result']}: {count(s['schools'], 'school')}, "
            f"{count(s['errors'], 'error')}, {count(s['warnings'], 'warning')}, "
            f"{s['emails_sent']} emails sent, {s['emails_failed']} failed, {s['seconds']}s"
        )
        if s["unknown_outcomes"]:
            line += f", {s['unknown_outcomes']} in doubt (see `sheets-sync doctor`)"
        if s["skipped_reason"]:
            line += f"; not written: {s['skipped_reason']}"
        if s["note"]:
            line += f"; {s['note']}"
        return line


def attempt(
    cycle: Callable[[], RunReport],
    finished: Callable[[], datetime],
    *,
    bugs_too: bool = False,
) -> Outcome:
    """Run `cycle` and say how it ended; with `bugs_too`, an unexpected exception is an
    outcome (with its traceback) rather than raised, so that a service goes on."""
    started = time.perf_counter()
    try:
        report = cycle()
    except SheetsSyncError as failure:
        unread = isinstance(failure, WorkbookError)
        return Outcome(
            finished(), time.perf_counter() - started, error=str(failure), workbook_failed=unread
        )
    except Exception as failure:
        if not bugs_too:
            raise
        return Outcome(
            finished(),
            time.perf_counter() - started,
            error=f"unexpected {type(failure).__name__}: {failure}",
            trace="".join(traceback.format_exception(failure)),
        )
    return Outcome(finished(), report.seconds, report=report)


def secrets_of(config: Config, environ: Mapping[str, str]) -> list[str]:
    """The values no log line or last_run.json may carry: the mail password, for now."""
    names = [config.email.smtp.password_env]
    return [environ[name] for name in names if name and environ.get(name)]


def redact(text: str, secrets: Sequence[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, REDACTED)
    return text


def count(n: object, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


def record(folder: Path, outcome: Outcome, secrets: Sequence[str]) -> None:
    """Write the outcome to the state folder's last_run.json, secrets taken out."""
    write_last_run(folder, outcome.summary(secrets))
