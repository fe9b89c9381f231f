"""One cycle, as `run` does it: read, evaluate, write the owned tabs (and, later, send)."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sheets_sync.adapters.workbook import Workbook
from sheets_sync.core.cycle import Evaluation, evaluate, plan_write
from sheets_sync.core.grid import Grid
from sheets_sync.core.owned_tabs import RunEntry
from sheets_sync.core.read_check import contradiction, read_shape
from sheets_sync.core.results import EXIT_STATUS, Result, cycle_result
from sheets_sync.core.settings import Settings
from sheets_sync.core.table import Table
from sheets_sync.core.year_record import ended_year, year_record, year_tab
from sheets_sync.errors import ReadContradicted, WriteSkipped
from sheets_sync.shell.mailing import MailReport
from sheets_sync.shell.state import RunHistory, read_history, write_history


@dataclass(frozen=True)
class RunReport:
    today: date
    evaluation: Evaluation
    tables: list[Table]
    written: bool  # the owned tabs were written this run
    skipped: str  # why they were not (empty when written, or on a dry run)
    seconds: float
    mail: MailReport | None = None  # None: no email this run (--no-email)

    @property
    def result(self) -> Result:
        """The worst thing about the cycle (a dry run counts as written)."""
        return cycle_result(
            data_errors=bool(self.evaluation.errors),
            mail_trouble=self.mail is not None and self.mail.trouble,
            written=not self.skipped,
        )

    @property
    def exit_status(self) -> int:
        return EXIT_STATUS[self.result]


Mailer = Callable[[Evaluation, Table | None], MailReport]  # with an ended year's record


@contextmanager
def collection_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for one cycle.

    A cycle builds about a million small objects (cells, records, issues) that all live until
    it ends and form no reference cycles; the collector would rescan them again and again, a
    fifth of the core's time at state scale. Reference counting still frees everything.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass(frozen=True)
class Memory:
    """The state folder's history for a cycle: `folder` None keeps none (the Run Log is then
    the tab as read). `trust_read` takes a read that contradicts the last good run as the
    district's workbook all the same."""

    folder: Path | None = None
    trust_read: bool = False


def evaluate_read(
    workbook: Workbook, book: Mapping[str, Grid | None], settings: Settings, today: date
) -> Evaluation:
    """`evaluate` what `workbook` just read, with what the workbook says of itself: its tabs'
    names (for a missing tab's near match) and the time zone it writes times in."""
    return evaluate(book, settings, today, workbook.tab_names(), workbook.time_zone())


def run_cycle(
    workbook: Workbook,
    settings: Settings,
    now: datetime,
    dry_run: bool = False,
    mail: Mailer | None = None,
    memory: Memory = Memory(),
) -> RunReport:
    """Read every tab once, evaluate as of `now`'s date, send what is due through `mail`, and
    write the owned tabs (the Run Log row counting the emails) in one write."""
    with collection_paused():
        return _cycle(workbook, settings, now, dry_run, mail, memory)


def _cycle(
    workbook: Workbook,
    settings: Settings,
    now: datetime,
    dry_run: bool,
    mail: Mailer | None,
    memory: Memory,
) -> RunReport:
    started = time.perf_counter()
    tabs = settings.tabs
    today = now.date()
    history = read_history(memory.folder) if memory.folder is not None else None
    recorded = history.recorded_years if history is not None else ()
    record_tab = year_tab(ended_year(settings, today))
    record_due = record_tab not in recorded  # else its tab is not even read
    owned = (*tabs.owned, record_tab) if record_due else tabs.owned
    book = workbook.read(tabs.inputs, owned=owned)
    run_at = now.strftime("%Y-%m-%d %H:%M")
    evaluation = evaluate_read(workbook, book, settings, today)
    shape = read_shape(book, tabs, len(evaluation.standings), run_at)
    last_read = history.last_read if history is not None and not memory.trust_read else None
    if doubt := contradiction(last_read, shape, tabs):
        raise ReadContradicted(doubt)
    # An ended year's record is written once: not over a tab of its name, nor a second time.
    record = (
        year_record(book, settings, today, evaluation)
        if record_due and book.get(record_tab) is None
        else None
    )
    mailed = mail(evaluation, record) if mail is not None else None
    failed_mail = len(mailed.failed) if mailed else 0
    mail_trouble = mailed is not None and mailed.trouble
    entry = RunEntry(
        run_at=run_at,
        result=cycle_result(data_errors=bool(evaluation.errors), mail_trouble=mail_trouble),
        schools=len(evaluation.standings),
        errors=evaluation.errors,
        warnings=evaluation.warnings,
        emails_sent=len(mailed.sent) if mailed else 0,
        emails_failed=failed_mail,
        seconds=time.perf_counter() - started,
        note=mailed.note if mailed else "",
    )
    plan = plan_write(
        evaluation,
        settings,
        now,
        entry,
        book,
        history.runs if history is not None else None,
        record,
    )
    tables = plan.tables
    if dry_run:
        return RunReport(
            today, evaluation, tables, False, "", time.perf_counter() - started, mailed
        )
    skipped = plan.refused
    if not skipped:
        try:
            workbook.write(tables)
        except WriteSkipped as failure:
            skipped = str(failure)
    if not skipped and memory.folder is not None:
        run_log = next(table for table in tables if table.name == tabs.run_log)
        years = tuple(dict.fromkeys((*recorded, record_tab)))
        write_history(memory.folder, RunHistory(list(run_log.rows), shape, years))
    seconds = time.perf_counter() - started
    return RunReport(today, evaluation, tables, not skipped, skipped, seconds, mailed)
