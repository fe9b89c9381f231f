"""Raw tabs as backends hand them over, and the loose name matching people expect."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from functools import lru_cache

# What a backend may put in a cell: text, numbers (serial dates among them), booleans,
# real dates and times, or nothing. The core's parser makes sense of all of them.
RawValue = str | int | float | bool | date | datetime | time | timedelta | None
Grid = list[list[RawValue]]  # grid[0] is the sheet's row 1

_NOT_WORD = re.compile(r"[\W_]+")
_OPTIONAL = re.compile(r"\(\s*optional\s*\)\s*$", re.IGNORECASE)


@lru_cache(maxsize=65536)  # the same names and choices repeat on thousands of rows
def name_key(text: str) -> str:
    """The form two names are compared in: case, spaces and punctuation ignored."""
    return _NOT_WORD.sub("", text.casefold())


def header_key(text: str) -> str:
    """A header's comparable form: like `name_key`, also ignoring a trailing "(optional)"."""
    return name_key(_OPTIONAL.sub("", text))


def match_tab(available: Iterable[str], wanted: str) -> str | None:
    """The workbook's own name for the tab configured as `wanted`, if it has one."""
    names = list(available)
    if wanted in names:
        return wanted
    key = name_key(wanted)
    return next((name for name in names if name_key(name) == key), None)


def tab_named(available: Iterable[str], wanted: str) -> str | None:
    """The tab called `wanted`, compared as spreadsheet programs do: ignoring case only.

    The worker's own tabs are found this way, never loosely, so that a person's "Run-Log"
    or "summary " is not taken for the Run Log or the Summary.
    """
    names = list(available)
    if wanted in names:
        return wanted
    key = wanted.casefold()
    return next((name for name in names if name.casefold() == key), None)
