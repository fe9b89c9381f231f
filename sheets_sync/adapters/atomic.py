"""A small file written whole or not at all: a temporary file beside it, flushed to disk,
then renamed over it. A crash leaves the old file or the new one, never half of either.

(The workbook's own replacement, `adapters/xlsx/files.py`, adds to this what a district's
file needs: keeping its owner and mode, and a last check for someone's save.)
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def write_atomically(path: Path, data: bytes, mode: int | None = None) -> None:
    """Replace `path` with `data`; its mode is `mode` exactly, or as the umask makes it."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
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
