"""The workbook file on disk: reading it, lock files beside it, replacing it atomically.

The functions take the file's real location, symlinks resolved, so that a link is never
replaced by a plain file and lock files are looked for beside the real file; `shown` is
the path to name in messages, as the user configured it.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import functools
import hashlib
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from sheets_sync.adapters.atomic import remove_leftovers, temporary_beside
from sheets_sync.adapters.xlsx.limits import check_file_size
from sheets_sync.errors import WorkbookChanged, WorkbookError, WorkbookLocked

_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # encrypted .xlsx and old .xls files are OLE containers


@dataclass(frozen=True)
class Operation:
    """What a write was doing, in the words its skip messages end with."""

    locked: str  # after "<path> is open in Excel (lock file <lock>): "
    busy: str  # after "<path> could not be replaced (...); it is probably open ..."
    changed: str  # after "<path> was saved by someone "
    moved: str  # after "<path> was moved or deleted "


RUN = Operation(
    locked="the owned tabs were not written, and will be written on the next run after the "
    "file is closed.",
    busy="The owned tabs will be written on the next run after it is closed.",
    changed="after this run read it; the owned tabs were not written, to keep their work. "
    "The next run writes them.",
    moved="after this run read it; the owned tabs were not written. The next run writes them.",
)
INIT = Operation(
    locked="no tabs were added. Close the file, then run `sheets-sync init` again.",
    busy="No tabs were added; close it, then run `sheets-sync init` again.",
    changed="while `sheets-sync init` was adding tabs; no tabs were added, to keep their work. "
    "Run `sheets-sync init` again.",
    moved="while `sheets-sync init` was adding tabs; no tabs were added. "
    "Run `sheets-sync init` again.",
)
CREATE_BUSY = "The workbook was not written; close it, then try again."


def lock_files(path: Path) -> list[Path]:
    """The lock files Excel (`~$name`) or LibreOffice (`.~lock.name#`) keep beside an open file."""
    candidates = [path.with_name(f"~${path.name}"), path.with_name(f".~lock.{path.name}#")]
    return [lock for lock in candidates if lock.exists()]


def check_not_locked(path: Path, operation: Operation, shown: Path | None = None) -> None:
    """No lock beside the real file, nor beside the link it may have been opened through."""
    beside_link = lock_files(shown) if shown is not None and shown != path else []
    for lock in lock_files(path) + beside_link:
        program = "Excel" if lock.name.startswith("~$") else "LibreOffice"
        raise WorkbookLocked(
            f"{shown or path} is open in {program} (lock file {lock}): {operation.locked} "
            "If no one has it open, delete the lock file."
        )


def check_same(
    path: Path, seen_sha256: str | None, operation: Operation, shown: Path | None = None
) -> None:
    """The file at `path` still holds the bytes this run read."""
    try:
        current = path.read_bytes()
    except FileNotFoundError:
        raise WorkbookChanged(f"{shown or path} was moved or deleted {operation.moved}") from None
    if hashlib.sha256(current).hexdigest() != seen_sha256:
        raise WorkbookChanged(f"{shown or path} was saved by someone {operation.changed}")


def read_bytes(path: Path, shown: Path | None = None) -> bytes:
    """The workbook's bytes, once its size is known to be a workbook's."""
    shown = shown or path
    try:
        with path.open("rb") as file:
            check_file_size(shown, os.fstat(file.fileno()).st_size)
            return file.read()
    except FileNotFoundError:
        raise WorkbookError(
            f"No workbook at {shown}. Check [workbook] path in the config, "
            "or run `sheets-sync init` to create one."
        ) from None
    except IsADirectoryError:
        raise WorkbookError(
            f"{shown} is a folder, not a workbook. Check [workbook] path in the config."
        ) from None
    except OSError as exc:
        raise WorkbookError(
            f"Cannot read the workbook at {shown}: {exc.strerror or exc}. "
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
    path: Path,
    data: bytes,
    busy: str,
    before_replace: Callable[[], None] = lambda: None,
    shown: Path | None = None,
    check_replaced: Callable[[Path], None] | None = None,
) -> None:
    """Write `data` to a temporary file beside `path`, then swap it in with one rename.

    A crash leaves the old file or the new one, never half of either. `before_replace`
    runs after the new bytes are safely on disk and right before the swap (the lock-file
    check). `check_replaced` is given the file that was replaced and raises to refuse it
    (someone's save): where the system can exchange two files atomically it checks the very
    bytes swapped out, and swaps them back if they fail, so no save can land between the
    check and the swap; elsewhere it checks `path` right before the rename. `busy` ends the
    message when the file cannot be replaced because a program holds it open.
    """
    shown = shown or path
    remove_leftovers(path)
    temp = temporary_beside(path)
    try:
        old = path.stat()
    except FileNotFoundError:
        old = None
    try:
        descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as exc:
        raise WorkbookError(
            f"Cannot write beside the workbook in {path.parent}: {exc.strerror or exc}. "
            "sheets-sync replaces the file through a temporary file in the same folder, "
            "so the user running it needs write access to that folder."
        ) from None
    swap = _Swap(temp, path, hashlib.sha256(data).hexdigest())
    try:
        with os.fdopen(descriptor, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if old is not None:
            _keep_access(temp, old)
        before_replace()
        swap.into_place(check_replaced)
    except BaseException as exc:
        if swap.temp_is_ours:
            with contextlib.suppress(OSError):
                os.unlink(temp)
        if isinstance(exc, PermissionError):  # Windows: the file is open in another program
            raise WorkbookLocked(
                f"{shown} could not be replaced ({exc.strerror}); it is probably open in another "
                f"program. {busy}"
            ) from exc
        if isinstance(exc, OSError):
            reason = exc.strerror or exc
            raise WorkbookError(f"Cannot write the workbook {shown}: {reason}.") from exc
        raise
    _sync_folder(path.parent)


class _Swap:
    """Our temporary file put in place of the workbook, checking what it replaces."""

    def __init__(self, temp: Path, path: Path, ours_sha256: str) -> None:
        self.temp, self.path, self.ours_sha256 = temp, path, ours_sha256
        self.temp_is_ours = True  # false while `temp` holds someone's file

    def into_place(self, check_replaced: Callable[[Path], None] | None) -> None:
        if check_replaced is None:
            os.replace(self.temp, self.path)
            return
        try:
            exchanged = exchange(self.temp, self.path)
        except FileNotFoundError:
            check_replaced(self.path)  # the workbook is gone: says it was moved or deleted
            raise
        if not exchanged:
            check_replaced(self.path)
            os.replace(self.temp, self.path)
            return
        self.temp_is_ours = False  # it holds what the workbook held at the instant of the swap
        try:
            check_replaced(self.temp)
        except BaseException:
            self._put_back()
            raise
        os.unlink(self.temp)
        self.temp_is_ours = True  # nothing left to keep

    def _put_back(self) -> None:
        """Their file back in place; should a newer save have landed on ours meanwhile, that
        newer one stays in place instead (it holds their latest work)."""
        exchange(self.temp, self.path)
        if _sha256(self.temp) != self.ours_sha256:
            exchange(self.temp, self.path)
        self.temp_is_ours = True  # what is left in `temp` is ours or superseded


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


_RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100


def exchange(first: Path, second: Path) -> bool:
    """Swap two files' names in one atomic step (Linux renameat2 RENAME_EXCHANGE).

    False where the system or the file system cannot; raises OSError for any other failure.
    """
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    result = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    if result == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.EPERM):
        return False  # kernel or file system without exchange (some network shares)
    raise OSError(error, os.strerror(error), str(second))


@functools.cache
def _renameat2() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2  # glibc 2.28 and later
    except (AttributeError, OSError):
        return None
    function.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    function.restype = ctypes.c_int
    return cast(Callable[..., int], function)


def _keep_access(temp: Path, old: os.stat_result) -> None:
    """People who could open the workbook still can: same group (and owner, where allowed), mode.

    Ownership is best effort: only root may give a file away, and a user may give it only
    to a group they belong to. The group goes first because chown can clear the mode's
    set-id bits, which chmod then restores.
    """
    if hasattr(os, "chown"):
        for owner in (old.st_uid, -1):
            try:
                os.chown(temp, owner, old.st_gid)
                break
            except OSError:  # not allowed (or not supported here): keep what the OS gave
                continue
    os.chmod(temp, old.st_mode & 0o7777)


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
