"""What each command does, built from the real adapters; the CLI only parses and prints."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from sheets_sync.adapters.gsheets import GoogleSheetsWorkbook, HttpSettings
from sheets_sync.adapters.workbook import Workbook
from sheets_sync.adapters.xlsx import XlsxWorkbook, create_workbook
from sheets_sync.core.blank_tabs import input_tabs
from sheets_sync.core.cycle import Evaluation, evaluate
from sheets_sync.shell.config import Config, load_config, starter_config
from sheets_sync.shell.demo import print_demo, write_demo
from sheets_sync.shell.paths import shown
from sheets_sync.shell.run import RunReport, run_cycle

__all__ = ["Config", "check", "counts_line", "demo", "init", "print_run", "run"]


def open_workbook(config: Config) -> Workbook:
    book = config.workbook
    if book.backend == "xlsx":
        return XlsxWorkbook(book.path)
    return open_google_sheet(config)


def open_google_sheet(config: Config) -> GoogleSheetsWorkbook:
    book = config.workbook
    http = HttpSettings(
        attempts=book.retry_attempts,
        budget_seconds=book.retry_budget_seconds,
        connect_timeout=book.connect_timeout_seconds,
        read_timeout=book.read_timeout_seconds,
    )
    return GoogleSheetsWorkbook(book.spreadsheet_id, book.credentials, book.endpoint, http)


def workbook_name(config: Config) -> str:
    """Where the workbook is, as the person running the command knows it."""
    book = config.workbook
    return shown(book.path) if book.backend == "xlsx" else f"Google Sheet {book.spreadsheet_id}"


def run(config: Config, now: datetime, dry_run: bool = False) -> RunReport:
    return run_cycle(open_workbook(config), config.settings, now, dry_run=dry_run)


def check(config: Config, today: date) -> Evaluation:
    tabs = config.settings.tabs
    book = open_workbook(config).read(tabs.inputs)
    return evaluate(book, config.settings, today)


def counts_line(evaluation: Evaluation) -> str:
    e, w = evaluation.errors, evaluation.warnings
    return f"{e} error{'s' * (e != 1)}, {w} warning{'s' * (w != 1)}."


def print_run(report: RunReport, config: Config, out: TextIO, dry_run: bool = False) -> None:
    evaluation = report.evaluation
    statuses = [s.status for s in evaluation.standings]
    print(
        f"{len(statuses)} active schools: "
        + ", ".join(f"{statuses.count(s)} {s}" for s in ("Overdue", "Needs attention", "On track")),
        file=out,
    )
    print(
        f"Data issues: {counts_line(evaluation)}"
        + (" See the Data Issues tab, or run `sheets-sync check`." if evaluation.issues else ""),
        file=out,
    )
    names = ", ".join(t.name for t in report.tables)
    where = workbook_name(config)
    if dry_run:
        sizes = ", ".join(f"{t.name} ({len(t.rows)} rows)" for t in report.tables)
        print(f"Dry run: nothing written. Would write {sizes} to {where}.", file=out)
    elif report.written:
        print(f"Wrote {names} to {where} in {report.seconds:.1f}s.", file=out)
    else:
        print(f"Not written: {report.skipped}", file=out)


def init(path: Path, environ: Mapping[str, str], today: date) -> list[str]:
    """Write a starter config if none exists, then add the missing input tabs to the workbook."""
    said = []
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(starter_config(today=today), encoding="utf-8")
        said.append(f"Wrote a starter config to {shown(path)}; edit it to name your district.")
    config = load_config(path, environ)
    tabs = input_tabs(config.settings)
    where = workbook_name(config)
    if config.workbook.backend == "xlsx" and not config.workbook.path.exists():
        create_workbook(config.workbook.path, tabs)
        said.append(f"Created {where} with tabs {', '.join(t.name for t in tabs)}.")
        return said
    created = open_workbook(config).add_tabs(tabs)
    said.append(
        f"Added tabs {', '.join(created)} to {where}."
        if created
        else f"{where} already has every input tab; nothing changed."
    )
    return said


def demo(
    folder: Path,
    today: date,
    environ: Mapping[str, str],
    out: TextIO,
    program: str = "sheets-sync",
) -> RunReport:
    config = write_demo(folder, today, environ)
    now = datetime.combine(today, time(7, 0), ZoneInfo(config.program.timezone))
    report = run(config, now)
    print_demo(report, config, out, program)
    return report
