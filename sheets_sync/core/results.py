"""How a cycle ended, in one vocabulary: the Run Log row, last_run.json, the log line and
the exit status all say it with these words."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

# ok: read, checked, written, and every email that was due went out.
# data errors: the same, but the district's data has errors to fix (the tool worked).
# failed: some email failed, is in doubt, or was held back (the note says which).
# not written: the owned tabs were left as they were (a person's save, a lock, Google).
# could not run: the workbook could not be read, or the config or state folder is wrong.
Result = Literal["ok", "data errors", "failed", "not written", "could not run"]

EXIT_STATUS: Mapping[Result, int] = {
    "ok": 0,
    "data errors": 1,
    "failed": 1,
    "not written": 1,
    "could not run": 2,
}


def cycle_result(*, data_errors: bool, mail_trouble: bool, written: bool = True) -> Result:
    """The worst thing about a cycle that ran to its end."""
    if mail_trouble:
        return "failed"
    if not written:
        return "not written"
    return "data errors" if data_errors else "ok"
