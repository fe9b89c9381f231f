"""The composition root: config and environment in, the ports a command works through out.

This is the one module that builds adapters from the backend and transport the config
names. (`doctor` still asks the backend, for checks that differ in kind: Google's sign-in
and sharing, an .xlsx file's lock files.) The Google Sheets adapter (and with it gspread,
google-auth and requests) is imported only when the config names it: an .xlsx district
never loads them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from sheets_sync.adapters.ledger import Ledger
from sheets_sync.adapters.mail import OutboxTransport, SmtpTransport, Transport
from sheets_sync.adapters.workbook import Workbook
from sheets_sync.adapters.xlsx import XlsxWorkbook, create_workbook
from sheets_sync.core.table import InputTab
from sheets_sync.errors import ConfigError
from sheets_sync.shell.config import Config
from sheets_sync.shell.config_fields import is_loopback
from sheets_sync.shell.paths import shown

if TYPE_CHECKING:  # the adapter itself is imported only when a Google Sheet is opened
    from sheets_sync.adapters.gsheets import GoogleSheetsWorkbook

__all__ = [
    "Mark",
    "create_workbook_if_missing",
    "ledger_path",
    "open_google_sheet",
    "open_ledger",
    "open_transport",
    "open_workbook",
    "workbook_mark",
    "workbook_name",
]

Mark = tuple[int, int, int] | None  # the workbook file's size, change time and inode


def open_workbook(config: Config) -> Workbook:
    book = config.workbook
    if book.backend == "xlsx":
        return XlsxWorkbook(book.path)
    return open_google_sheet(config)


def open_google_sheet(config: Config) -> GoogleSheetsWorkbook:
    from sheets_sync.adapters.gsheets import GoogleSheetsWorkbook, HttpSettings  # noqa: PLC0415

    book = config.workbook
    http = HttpSettings(
        attempts=book.retry_attempts,
        budget_seconds=book.retry_budget_seconds,
        connect_timeout=book.connect_timeout_seconds,
        read_timeout=book.read_timeout_seconds,
    )
    return GoogleSheetsWorkbook(book.spreadsheet_id, book.credentials, book.endpoint, http)


def create_workbook_if_missing(config: Config, tabs: Sequence[InputTab]) -> bool:
    """A new .xlsx file with `tabs`, where the config names one that does not exist yet;
    False when there is a workbook (a file, or a Google Sheet) to add tabs to."""
    book = config.workbook
    if book.backend != "xlsx" or book.path.exists():
        return False
    create_workbook(book.path, tabs)
    return True


def workbook_mark(config: Config) -> Mark:
    """What tells that an .xlsx workbook changed, without reading it; None when there is
    no file to look at (missing, or a Google Sheet)."""
    if config.workbook.backend != "xlsx":
        return None
    try:
        found = config.workbook.path.stat()
    except OSError:
        return None
    return found.st_size, found.st_mtime_ns, found.st_ino


def workbook_name(config: Config) -> str:
    """Where the workbook is, as the person running the command knows it."""
    book = config.workbook
    return shown(book.path) if book.backend == "xlsx" else f"Google Sheet {book.spreadsheet_id}"


def open_transport(config: Config, environ: Mapping[str, str]) -> Transport:
    """How mail leaves: an outbox folder, or SMTP with the login the environment holds."""
    email = config.email
    if email.transport == "outbox":
        return OutboxTransport(email.outbox_dir)
    smtp = email.smtp
    username = environ.get(smtp.username_env, "") if smtp.username_env else ""
    if username and smtp.security == "none" and not is_loopback(smtp.host):
        raise ConfigError(
            f'{config.path}: email.smtp.security = "none" would send the password for '
            f'{smtp.host} unencrypted; use "starttls" or "tls" (plain is allowed only '
            "to a server on this machine)."
        )
    return SmtpTransport(
        smtp.host,
        smtp.port,
        smtp.security,
        username or None,
        environ.get(smtp.password_env, "") or None,
        float(smtp.timeout_seconds),
    )


def ledger_path(config: Config) -> Path:
    return config.state.dir / "ledger.sqlite3"


def open_ledger(config: Config, read_only: bool = False) -> Ledger | None:
    """The ledger; read-only (for dry runs) it is None when no run has made one yet."""
    path = ledger_path(config)
    if read_only and not path.exists():
        return None
    return Ledger(path, read_only=read_only)
