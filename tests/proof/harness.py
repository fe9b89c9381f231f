"""What the proof tests share: a demo district on disk, configs, real processes, and checks."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import zipfile
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import openpyxl
from python_calamine import CalamineWorkbook

from sheets_sync.adapters.ledger import Ledger
from sheets_sync.shell.cli import main

TODAY = "2025-11-20"
DOMAIN = "riverbend.k12.org"
INPUTS = ("Schools", "Facilitators", "Team Roster", "Action Plan", "Contact Log")
SUMMARY_HEADER = [
    "School",
    "Code",
    "Facilitator",
    "Status",
    "Why",
    "Team Members",
    "Team Check",
    "Plan Activities",
    "Types Covered",
    "Last Contact",
    "Days Since Contact",
    "This Month",
    "Missed Months",
    "Principal Meeting",
    "Cluster Meetings",
    "Celebration",
    "Evaluations Due",
    "Data Errors",
    "Data Warnings",
]
RUN_LOG_HEADER = [
    "Run At",
    "Result",
    "Schools",
    "Errors",
    "Warnings",
    "Emails Sent",
    "Emails Failed",
    "Seconds",
    "Note",
]
RESULTS = {"ok", "data errors", "failed", "not written"}
REPO = Path(__file__).resolve().parents[2]

_HEAD = (
    '[program]\ndistrict = "Riverbend School District"\ntimezone = "America/New_York"\n\n'
    "[school_year]\nstart = 2025-08-01\nend = 2026-06-30\n\n"
)
_EMAIL = (
    f'[email]\nfrom = "Family Partnerships <partnerships@{DOMAIN}>"\n'
    f'allowed_domains = ["{DOMAIN}"]\n'
)


def demo_folder(folder: Path) -> Path:
    """`sheets-sync demo` into `folder`, with its first run's emails and ledger taken away."""
    out = io.StringIO()
    status = main(["demo", str(folder), "--today", TODAY], {}, out, io.StringIO())
    assert status == 0, out.getvalue()
    for made in ("outbox", "state"):
        shutil.rmtree(folder / made, ignore_errors=True)
    return folder


def smtp_config(folder: Path, port: int, *, login: bool = False) -> Path:
    """The demo's config, sending by SMTP (plain, on 127.0.0.1) to `port`."""
    user = "" if login else 'username_env = ""\n'
    config = folder / "sheets-sync.toml"
    config.write_text(
        '[workbook]\nbackend = "xlsx"\npath = "district.xlsx"\n\n'
        + _HEAD
        + _EMAIL
        + 'transport = "smtp"\n\n'
        + f'[email.smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\n'
        + f"{user}timeout_seconds = 5\n\n"
        + '[state]\ndir = "state"\n',
        encoding="utf-8",
    )
    return config


def gsheets_config(
    folder: Path, spreadsheet_id: str, key: Path, endpoint: str, *, retry_attempts: int = 6
) -> Path:
    """A Google Sheets district sending into an outbox folder."""
    config = folder / "sheets-sync.toml"
    config.write_text(
        f'[workbook]\nbackend = "gsheets"\nspreadsheet_id = "{spreadsheet_id}"\n'
        f'credentials = "{key}"\nendpoint = "{endpoint}"\n'
        f"retry_attempts = {retry_attempts}\n\n"
        + _HEAD
        + _EMAIL
        + 'transport = "outbox"\noutbox_dir = "outbox"\n\n[state]\ndir = "state"\n',
        encoding="utf-8",
    )
    return config


def command(config: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "sheets_sync", "--config", str(config), *args]


def cli(
    config: Path, *args: str, env: Mapping[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """One `sheets-sync` command as a real process."""
    return subprocess.run(
        command(config, *args),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        cwd=REPO,
        env=dict(env) if env is not None else None,
    )


def in_process(
    config: Path, *args: str, environ: Mapping[str, str] | None = None
) -> tuple[int, str, str]:
    """One command through `main`, in this process (fast, and patchable)."""
    out, err = io.StringIO(), io.StringIO()
    status = main(["--config", str(config), *args], environ or {}, out, err)
    return status, out.getvalue(), err.getvalue()


def xlsx_grids(path: Path, tabs: Sequence[str] = INPUTS) -> dict[str, list[list[object]]]:
    book = CalamineWorkbook.from_path(str(path))
    return {tab: book.get_sheet_by_name(tab).to_python() for tab in tabs}


def opens_in_openpyxl(path: Path) -> list[str]:
    return list(openpyxl.load_workbook(path).sheetnames)


def formulas_in(path: Path) -> list[str]:
    """Every worksheet part of the .xlsx that holds a formula element."""
    with zipfile.ZipFile(path) as package:
        return [
            name
            for name in package.namelist()
            if name.startswith("xl/worksheets/")
            and re.search(rb"<(\w+:)?f[ >]", package.read(name))
        ]


def active_schools(schools: list[list[object]]) -> list[str]:
    header = [str(c) for c in schools[0]]
    name, active = header.index("School"), header.index("Active")
    rows = [[*r, *[""] * len(header)] for r in schools[1:]]  # Google drops trailing blanks
    return [str(r[name]) for r in rows if r[name] and r[active] != "No"]


def check_owned_whole(grids: Mapping[str, list[list[object]]], schools: list[list[object]]) -> None:
    """Summary: its header (the as-of panel beside it) and one row per active school; Run Log:
    its header, rows that parse."""
    summary = [row for row in grids["Summary"] if any(c not in ("", None) for c in row)]
    width = len(SUMMARY_HEADER)
    assert [str(c) for c in summary[0][:width]] == SUMMARY_HEADER
    assert str(summary[0][width + 1]).startswith("As of")
    assert sorted(str(r[0]) for r in summary[1:]) == sorted(active_schools(schools))
    log = [row for row in grids["Run Log"] if any(c not in ("", None) for c in row)]
    assert [str(c) for c in log[0]] == RUN_LOG_HEADER
    assert len(log) > 1
    for row in log[1:]:
        datetime.strptime(str(row[0]), "%Y-%m-%d %H:%M")
        assert row[1] in RESULTS, row
        assert all(isinstance(v, int | float) for v in row[2:8]), row
    issues = grids["Data Issues"]
    assert [str(c) for c in issues[0][:2]] == ["Severity", "Tab"]


def temp_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.name.endswith(".tmp") or ".last_run." in p.name)


def identity(message: EmailMessage) -> tuple[str, str, str]:
    """(recipient, kind, period) of a message: what its ledger key says, read off its subject."""
    subject = str(message["Subject"])
    week = re.search(r"\(week of ([^)]+)\)$", subject)
    month = re.search(r"summary, (.+)$", subject)
    if week:
        kind, period = "facilitator-digest", week[1]
    elif month:
        kind, period = "principal-summary", month[1]
    else:
        kind, period = "other", subject
    return str(message["To"]).lower(), kind, period


def duplicates(messages: Sequence[EmailMessage]) -> dict[object, int]:
    """Each (To, Subject) pair and each (recipient, kind, period) seen more than once."""
    pairs = Counter((str(m["To"]).lower(), str(m["Subject"])) for m in messages)
    keys = Counter(identity(m) for m in messages)
    return {k: n for k, n in (pairs | keys).items() if n > 1}


def outbox_messages(folder: Path) -> list[EmailMessage]:
    found = []
    for path in sorted(folder.glob("*.eml")):
        parsed = message_from_bytes(path.read_bytes(), policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        found.append(parsed)
    return found


def unknown_keys(lines: str) -> set[str]:
    """The keys a run's output says are in doubt."""
    prefix = "  outcome unknown: "
    return {
        line[len(prefix) :].split(": ", 1)[0]
        for line in lines.splitlines()
        if line.startswith(prefix)
    }


def pending_keys(state: Path) -> dict[str, str]:
    """Ledger keys left pending, with the moment (UTC) of the run that claimed them."""
    path = state / "ledger.sqlite3"
    if not path.exists():
        return {}
    with Ledger(path, read_only=True) as ledger:
        return {e.key: e.updated.isoformat() for e in ledger.unknown_outcomes()}
