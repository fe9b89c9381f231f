"""`sheets-sync doctor`: check each thing a run needs, and say what to fix.

Each check is a `Finding`. A check that fails stops the ones that depend on it (no workbook,
no tabs to look at), and the others still run.
"""

from __future__ import annotations

import stat
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from sheets_sync.adapters.ledger import Ledger
from sheets_sync.adapters.mail import SmtpTransport
from sheets_sync.adapters.workbook import Workbook
from sheets_sync.adapters.xlsx import lock_files
from sheets_sync.core.issue_kinds import LAYOUT_CODES
from sheets_sync.errors import CredentialsRefused, WorkbookError
from sheets_sync.shell.config import Config
from sheets_sync.shell.config_email import SmtpConfig
from sheets_sync.shell.paths import shown
from sheets_sync.shell.ports import (
    ledger_path,
    open_google_sheet,
    open_transport,
    open_workbook,
    workbook_name,
)
from sheets_sync.shell.run import evaluate_read
from sheets_sync.shell.state import lock_holder, read_last_run

if TYPE_CHECKING:
    from sheets_sync.adapters.gsheets import GoogleSheetsWorkbook


@dataclass(frozen=True)
class Finding:
    ok: bool
    topic: str  # config, credentials, workbook, tabs
    detail: str  # what was found; for a problem, also what to do


def diagnose(config: Config, today: date, environ: Mapping[str, str]) -> list[Finding]:
    """Every check in turn; `environ` holds the mail server's login, named in the config."""
    findings = [Finding(True, "config", f"{shown(config.path)} is valid"), *_credentials(config)]
    findings += _state(config)
    workbook: Workbook
    if config.workbook.backend == "gsheets":
        # One workbook for every check: one token request and one metadata read in all.
        try:
            sheet = open_google_sheet(config)
        except WorkbookError as failure:
            return [*findings, Finding(False, "credentials", str(failure))]
        try:
            title = sheet.check().title
        except CredentialsRefused as failure:
            return [*findings, Finding(False, "credentials", str(failure))]
        except WorkbookError as failure:
            return [*findings, _account(sheet), Finding(False, "workbook", str(failure))]
        findings.append(_account(sheet))
        try:
            sheet.check_write(title)
        except WorkbookError as failure:
            findings.append(Finding(False, "workbook", _read_only(str(failure), sheet)))
        else:
            findings.append(Finding(True, "workbook", f'"{title}" is reachable and shared'))
        workbook = sheet
    else:
        workbook = open_workbook(config)
    tabs = config.tabs
    try:
        book = workbook.read(tabs.inputs)
    except WorkbookError as failure:
        return [*findings, Finding(False, "workbook", str(failure))]
    if config.workbook.backend == "xlsx":
        findings.append(Finding(True, "workbook", f"{workbook_name(config)} is readable"))
        findings += [
            Finding(
                False,
                "workbook",
                f"{shown(lock)} is present: a spreadsheet program has the "
                "workbook open, and runs write nothing until it is closed.",
            )
            for lock in lock_files(config.workbook.path)
        ]
    findings += _mail(config, environ, today)
    issues = evaluate_read(workbook, book, config.settings_on(today), today).issues
    findings += [
        Finding(False, "school year", f"{i.problem} {i.fix}")
        for i in issues
        if i.code == "year.over"
    ]
    findings += [
        Finding(False, "workbook", f"{i.where}: {i.problem} {i.fix}")
        for i in issues
        if i.code == "sheet.time-zone"
    ]
    layout = [i for i in issues if i.code in LAYOUT_CODES]
    findings += [Finding(False, "tabs", f"{i.where}: {i.problem} {i.fix}") for i in layout]
    if not layout:
        findings.append(Finding(True, "tabs", "every input tab has its required columns"))
    return findings


def _credentials(config: Config) -> list[Finding]:
    """A service-account key that other users of the machine can read is a leak waiting."""
    key = config.workbook.credentials
    if config.workbook.backend != "gsheets" or key is None or not key.exists():
        return []  # a missing key is the credentials check's to report
    if key.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        return [
            Finding(
                False,
                "credentials",
                f"{shown(key)} can be read by other users of this "
                f"machine; make it private: chmod 600 {shown(key)}",
            )
        ]
    return []


def _state(config: Config) -> list[Finding]:
    """The state folder: writable, free (or who holds it), and how the last run went."""
    folder = config.state.dir
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as failure:
        return [
            Finding(
                False,
                "state",
                f"{shown(folder)} cannot be written ({failure.strerror}); "
                "give the user that runs sheets-sync write access, or set [state] dir",
            )
        ]
    found = [Finding(True, "state", f"{shown(folder)} is writable")]
    holder = lock_holder(folder)
    if holder is not None:
        who = f"process {holder.get('pid')} (`{holder.get('command')}`)" if holder else "a process"
        found.append(Finding(True, "state", f"{who} is working on it now (a run or serve)"))
    last = read_last_run(folder)
    if last is not None:
        ok = last.get("result") in ("ok", "data errors", "errors")  # "errors" before 2026-12
        detail = f"last run {last.get('finished_at')}: {last.get('result')}"
        age = _age(last.get("finished_at"))
        if age is not None and age > timedelta(days=1):
            ok = False
            detail += (
                f"; that was {age.days} day{'s' * (age.days != 1)} ago: is the service "
                "(or the cron job) running?"
            )
        for key in ("skipped_reason", "error", "note"):
            if last.get(key):
                detail += f"; {last[key]}"
        found.append(Finding(ok, "last run", detail))
    return found


def _age(finished_at: object) -> timedelta | None:
    """How long ago a run finished (by the machine's clock), or None when unreadable."""
    try:
        finished = datetime.fromisoformat(str(finished_at))
    except ValueError:
        return None
    if finished.tzinfo is None:
        return None
    return datetime.now(UTC) - finished


def _account(sheet: GoogleSheetsWorkbook) -> Finding:
    return Finding(True, "credentials", f"service account {sheet.service_account_email}")


def _read_only(failure: str, sheet: GoogleSheetsWorkbook) -> str:
    """A sheet that could be read but not written is shared as Viewer: say so plainly."""
    email = sheet.service_account_email
    if "may not edit the sheet" in failure:
        return f"shared as Viewer: share it as Editor with {email}."
    return failure


def _mail(config: Config, environ: Mapping[str, str], today: date) -> list[Finding]:
    """The mail server (connect, TLS, login; nothing sent) and messages left in doubt."""
    found = []
    transport = open_transport(config, environ)
    if isinstance(transport, SmtpTransport):
        problem = transport.check()
        smtp = config.email.smtp
        where = f"{smtp.host}:{smtp.port} ({smtp.security})"
        # Only a login that was tried may be called one.
        done = "connected and logged in" if transport.username else "connected (no login set)"
        found.append(
            Finding(True, "mail", f"{where}: {done}")
            if problem is None
            else Finding(
                False, "mail", f"{where}: {problem} Check [email.smtp]; {_login(smtp, environ)}."
            )
        )
    if ledger_path(config).exists():
        with Ledger(ledger_path(config), read_only=True) as ledger:
            # In doubt for a month or more: its period is long over and nothing can be done.
            since = today - timedelta(days=35)
            recent = [e for e in ledger.unknown_outcomes() if e.updated.date() >= since]
        found += [
            Finding(
                False,
                "mail",
                f"{entry.key}: a run stopped while sending it, so it may or may not have "
                "arrived. Ask the recipient; if it did not, and its period is not over, "
                f'`sheets-sync run --resend "{entry.key}"` sends it again.',
            )
            for entry in recent
        ]
    return found


def _login(smtp: SmtpConfig, environ: Mapping[str, str]) -> str:
    """What the environment holds of the login. The password variable is never named: a
    password typed into `password_env` by mistake can look just like a variable's name."""
    said = []
    if smtp.username_env:
        state = "set" if environ.get(smtp.username_env) else "not set"
        said.append(f"the user name variable {smtp.username_env} is {state}")
    if smtp.password_env:
        state = "set" if environ.get(smtp.password_env) else "not set"
        said.append(f"the variable that email.smtp.password_env names is {state}")
    return "; ".join(said) or "no login is configured"


def report(findings: list[Finding]) -> list[str]:
    """One line per finding, then the verdict."""
    lines = [f"{'ok' if f.ok else 'PROBLEM':8} {f.topic:12} {f.detail}" for f in findings]
    problems = sum(not f.ok for f in findings)
    if problems:
        lines.append(
            f"{problems} problem{'s' * (problems != 1)}: fix "
            f"{'them' if problems > 1 else 'it'} and run `sheets-sync doctor` again."
        )
    else:
        lines.append("All is well.")
    return lines
