"""The few conditions under which sheets-sync cannot go on.

Problems in the district's data are never exceptions: they are `Issue` values
(see `sheets_sync.core.issues`). Exceptions are for the run itself::

    SheetsSyncError                 cannot go on; the message says what to do
    ├── ConfigError                 the config file is missing or wrong (exit 2)
    ├── WorkbookError               the workbook cannot be read (exit 2)
    │   ├── CredentialsRefused      Google would not give the service account a token
    │   └── ReadContradicted        the read contradicts the last good run (core/read_check.py)
    ├── StateBusy                   another worker holds the state folder (exit 2; shell/state.py)
    └── WriteSkipped                the owned tabs were not written this run (exit 1)
        ├── WorkbookChanged         someone saved the file after it was read
        ├── WorkbookLocked          Excel or LibreOffice has the file open
        └── WriteFailed             the service kept failing (quota, 5xx, timeouts)
"""

from __future__ import annotations


class SheetsSyncError(Exception):
    """Base of every error sheets-sync raises on purpose; `str()` is the user's message."""


class ConfigError(SheetsSyncError):
    """The config cannot be used: names the key, the bad value and what is allowed."""


class WorkbookError(SheetsSyncError):
    """The workbook cannot be opened or read at all."""


class CredentialsRefused(WorkbookError):
    """Google would not give the service account a token: the key, not the sheet, is wrong."""


class ReadContradicted(WorkbookError):
    """The read contradicts the last good run, so it is taken as a fault of the read."""


class WriteSkipped(SheetsSyncError):
    """The owned tabs were left as they were; the next run writes them."""


class WorkbookChanged(WriteSkipped):
    """The workbook changed on disk between this run's read and its write."""


class WorkbookLocked(WriteSkipped):
    """A spreadsheet program holds the workbook's lock file."""


class WriteFailed(WriteSkipped):
    """The workbook's service did not take the write within the retry budget."""
