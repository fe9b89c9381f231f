"""What each command does, built from the real adapters; the CLI only parses and prints."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime, time
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from sheets_sync.adapters.mail import OutboxTransport, build_message
from sheets_sync.core.blank_tabs import input_tabs
from sheets_sync.core.cycle import Evaluation
from sheets_sync.core.settings import CONTACT_TYPES
from sheets_sync.core.table import Table
from sheets_sync.shell.config import Config, load_config, starter_config
from sheets_sync.shell.demo import print_demo, write_demo
from sheets_sync.shell.mailing import MailReport, letters_due, send_due
from sheets_sync.shell.paths import shown
from sheets_sync.shell.ports import (
    create_workbook_if_missing,
    open_ledger,
    open_transport,
    open_workbook,
    workbook_name,
)
from sheets_sync.shell.run import Memory, RunReport, evaluate_read, run_cycle

__all__ = ["Config", "check", "counts_line", "demo", "form_choices", "init", "print_run", "run"]


def run(
    config: Config,
    now: datetime,
    environ: Mapping[str, str],
    *,
    dry_run: bool = False,
    email: bool = True,
    force: bool = False,
    resend: frozenset[str] = frozenset(),
    stopping: Callable[[], bool] = lambda: False,
    trust_read: bool = False,
) -> RunReport:
    """One cycle; with `email`, what is due is sent (on a dry run, only listed). Once
    `stopping()` says so, no further email is begun and the cycle goes on to its write.
    `trust_read` takes a read that contradicts the last good run as the workbook."""
    workbook = open_workbook(config)
    memory = Memory(config.state.dir, trust_read)
    settings = config.settings_on(now.date())
    if not email:
        return run_cycle(workbook, settings, now, dry_run=dry_run, memory=memory)
    transport = open_transport(config, environ)
    ledger = open_ledger(config, read_only=dry_run)  # a dry run writes nothing, not even this

    def mail(evaluation: Evaluation, year_record: Table | None) -> MailReport:
        return send_due(
            evaluation,
            config,
            now,
            transport,
            ledger,
            force=force,
            resend=resend,
            dry_run=dry_run,
            stopping=stopping,
            year_record=year_record,
            cell_links=workbook.cell_links(settings.tabs.inputs),
        )

    try:
        return run_cycle(workbook, settings, now, dry_run=dry_run, mail=mail, memory=memory)
    finally:
        if ledger is not None:
            ledger.close()


def preview(config: Config, now: datetime, folder: Path) -> list[Path]:
    """Every email due now, written to `folder` as .eml and .html; nothing is sent or recorded."""
    evaluation = check(config, now.date())
    outbox = OutboxTransport(folder)
    email = config.email
    return [
        outbox.write(letter.key, build_message(letter, email.from_, email.reply_to, now))
        for letter in letters_due(config, evaluation, now)
    ]


def check(config: Config, today: date) -> Evaluation:
    tabs = config.tabs
    workbook = open_workbook(config)
    book = workbook.read(tabs.inputs)
    return evaluate_read(workbook, book, config.settings_on(today), today)


def form_choices(evaluation: Evaluation) -> list[str]:
    """The choices a district's Google Form offers, as lines ready to paste: every active
    school in the Schools tab's order, then `District`; and the contact types."""
    schools = [school.name for school in evaluation.directory.schools if school.active]
    return [
        'Schools (the choices of the "School(s)" question, one a line):',
        *schools,
        "District",
        "",
        'Contact types (the choices of the "Type of contact" question):',
        *CONTACT_TYPES,
    ]


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
    for line in mail_lines(report.mail, dry_run):
        print(line, file=out)


def mail_lines(mail: MailReport | None, dry_run: bool) -> list[str]:
    """What this run did with email, for the person at the terminal."""
    if mail is None:
        return ["Email: none sent (--no-email)."]
    if dry_run:
        count = len(mail.plan.due)
        return [
            f"Dry run: would send {count} email{'s' * (count != 1)}.",
            *(f"  {letter.key}" for letter in mail.plan.due),
        ]
    lines = [
        f"Email: {len(mail.sent)} sent, {len(mail.failed)} failed, "
        f"{mail.plan.already_sent} already sent this period."
    ]
    lines += [f"  held back: {why}" for why in mail.plan.held]
    lines += [f"  none due: {mail.plan.resting}"] if mail.plan.resting else []
    lines += [f"  failed: {key}: {reason}" for key, reason in mail.failed]
    doubt = (
        "it is not resent on its own. Ask the recipient; if it did not arrive, "
        '`sheets-sync run --resend "{key}"` sends it again.'
    )
    lines += [
        f"  outcome unknown: {key}: an earlier run stopped while sending it; "
        + doubt.format(key=key)
        for key in mail.plan.unknown
    ]
    lines += [
        f"  outcome unknown: {key}: the connection broke while sending it; " + doubt.format(key=key)
        for key in mail.in_doubt
    ]
    if mail.plan.refused_before:
        lines.append(
            f"  {mail.plan.refused_before} refused for good by the mail server earlier: "
            "correct those addresses (see the Run Log and `doctor`)."
        )
    if mail.plan.over_cap:
        lines.append(
            f"  {mail.plan.over_cap} more were due: max_per_run ({mail.plan.cap}) stopped them; "
            "the next run sends them."
        )
    return lines


def init(path: Path, environ: Mapping[str, str], today: date) -> list[str]:
    """Write a starter config if none exists, then add the missing input tabs to the workbook."""
    said = []
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(starter_config(), encoding="utf-8")
        said.append(f"Wrote a starter config to {shown(path)}; edit it to name your district.")
    config = load_config(path, environ)
    tabs = input_tabs(config.settings_on(today))
    where = workbook_name(config)
    if create_workbook_if_missing(config, tabs):
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
    # 08:00: after the default send times, so that this week's digests and (from the first
    # Monday) this month's principal summaries are due.
    now = datetime.combine(today, time(8, 0), ZoneInfo(config.program.timezone))
    report = run(config, now, environ)
    print_demo(report, config, out, program)
    return report
