"""The workbook file on disk: reading it, lock files beside it, replacing it atomically."""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable
from pathlib import Path

from sheets_sync.errors import WorkbookError, WorkbookLocked

_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # encrypted .xlsx and old .xls files are OLE containers


def lock_files(path: Path) -> list[Path]:
    """The lock files Excel (`~$name`) or LibreOffice (`.~lock.name#`) keep beside an open file."""
    candidates = [path.with_name(f"~${path.name}"), path.with_name(f".~lock.{path.name}#")]
    return [lock for lock in candidates if lock.exists()]


def check_not_locked(path: Path) -> None:
    for lock in lock_files(path):
        program = "Excel" if lock.name.startswith("~$") else "LibreOffice"
        raise WorkbookLocked(
            f"{path} is open in {program} (lock file {lock}): the owned tabs were not written, "
            "and will be written on the next run after the file is closed. "
            "If no one has it open, delete the lock file."
        )


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise WorkbookError(
            f"No workbook at {path}. Check [workbook] path in the config, "
            "or run `sheets-sync init` to create one."
        ) from None
    except IsADirectoryError:
        raise WorkbookError(
            f"{path} is a folder, not a workbook. Check [workbook] path in the config."
        ) from None
    except OSError as exc:
        raise WorkbookError(
            f"Cannot read the workbook at {path}: {exc.strerror or exc}. "
            "Check that the user running sheets-sync may read and write it."
        ) from None


def unreadable(path: Path, data: bytes, detail: object) -> WorkbookError:
    if data.startswith(_OLE_MAGIC):
        return WorkbookError(
            f"{path} is password-protected or an old .xls file, which sheets-sync cannot read. "
            "Open it in Excel, remove the password if it has one, and save it as "
            "Excel Workbook (.xlsx)."
        )
    return WorkbookError(
        f"{path} is not a readable .xlsx workbook ({detail}). Open it in Excel or LibreOffice "
        "and save it as Excel Workbook (.xlsx), or restore it from a backup."
    )


def replace_atomically(
    path: Path, data: bytes, before_replace: Callable[[], None] = lambda: None
) -> None:
    """Write `data` to a temporary file beside `path`, then swap it in with one rename.

    A crash leaves the old file or the new one, never half of either. `before_replace`
    runs after the new bytes are safely on disk and right before the swap, so a check
    there (locks, someone else's save) leaves the smallest possible window.
    """
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = None
    try:
        descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as exc:
        raise WorkbookError(
            f"Cannot write beside the workbook in {path.parent}: {exc.strerror or exc}. "
            "sheets-sync replaces the file through a temporary file in the same folder, "
            "so the user running it needs write access to that folder."
        ) from None
    try:
        with os.fdopen(descriptor, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if mode is not None:
            os.chmod(temp, mode)  # people who could open the workbook still can
        before_replace()
        os.replace(temp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if isinstance(exc, PermissionError):  # Windows: the file is open in another program
            raise WorkbookLocked(
                f"{path} could not be replaced ({exc.strerror}); it is probably open in another "
                "program. The owned tabs will be written on the next run after it is closed."
            ) from exc
        if isinstance(exc, OSError):
            reason = exc.strerror or exc
            raise WorkbookError(f"Cannot write the workbook {path}: {reason}.") from exc
        raise
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable; not possible (nor needed) on Windows."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
