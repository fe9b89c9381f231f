"""`sheets-sync doctor`: check each thing a run needs, and say what to fix.

Each check is a `Finding`. A check that fails stops the ones that depend on it (no workbook,
no tabs to look at), and the others still run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sheets_sync.adapters.xlsx import lock_files
from sheets_sync.core.cycle import evaluate
from sheets_sync.errors import WorkbookError
from sheets_sync.shell.commands import open_google_sheet, open_workbook, workbook_name
from sheets_sync.shell.config import Config
from sheets_sync.shell.paths import shown

# The issues that mean a run cannot read the workbook as intended, as against data problems.
_LAYOUT_CODES = ("tab.missing", "tab.empty", "column.missing")


@dataclass(frozen=True)
class Finding:
    ok: bool
    topic: str  # config, credentials, workbook, tabs
    detail: str  # what was found; for a problem, also what to do


def diagnose(config: Config, today: date) -> list[Finding]:
    findings = [Finding(True, "config", f"{shown(config.path)} is valid")]
    if config.workbook.backend == "gsheets":
        try:
            sheet = open_google_sheet(config)
        except WorkbookError as failure:
            return [*findings, Finding(False, "credentials", str(failure))]
        findings.append(
            Finding(True, "credentials", f"service account {sheet.service_account_email}")
        )
        try:
            title = sheet.check().title
        except WorkbookError as failure:
            return [*findings, Finding(False, "workbook", str(failure))]
        findings.append(Finding(True, "workbook", f'"{title}" is reachable and shared'))
    tabs = config.settings.tabs
    try:
        book = open_workbook(config).read(tabs.inputs)
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
    layout = [i for i in evaluate(book, config.settings, today).issues if i.code in _LAYOUT_CODES]
    findings += [Finding(False, "tabs", f"{i.where}: {i.problem} {i.fix}") for i in layout]
    if not layout:
        findings.append(Finding(True, "tabs", "every input tab has its required columns"))
    return findings


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
