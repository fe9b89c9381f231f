"""A small file written whole or not at all: a temporary file beside it, flushed to disk,
then renamed over it. A crash leaves the old file or the new one, never half of either.

(The workbook's own replacement, `adapters/xlsx/files.py`, adds to this what a district's
file needs: keeping its owner and mode, and a last check for someone's save.)
"""

from __future__ import annotations

import contextlib
import glob
import os
import secrets
from pathlib import Path


def temporary_beside(path: Path) -> Path:
    """A new name for the temporary file that will replace `path`: `.name.1a2b3c4d.tmp`."""
    return path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")


def remove_leftovers(path: Path) -> None:
    """Delete the temporary files that earlier writes of `path` left beside it.

    A write killed between writing its temporary file and the rename (SIGKILL, power loss)
    cannot clean up after itself; the next write does. Only one worker writes in a state
    folder and its workbook (the state folder's lock), so none belongs to a write in progress.
    """
    for leftover in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        with contextlib.suppress(OSError):
            leftover.unlink()


def write_atomically(path: Path, data: bytes, mode: int | None = None) -> None:
    """Replace `path` with `data`; its mode is `mode` exactly, or as the umask makes it."""
    remove_leftovers(path)
    temporary = temporary_beside(path)
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        if mode is not None:
            os.fchmod(descriptor, mode)
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
