"""Raw tabs as backends hand them over, and the loose name matching people expect."""

from __future__ import annotations

import difflib
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


_WORD = re.compile(r"[^\W_]+")
NEAR = 0.75  # how alike two names' words must be to be offered as a typo of one another


def near_match(wanted: str, names: Iterable[str]) -> str | None:
    """The name among `names` a person most likely meant by `wanted`, if one is near: the
    same words in any case, give or take a plural, a year ("Contact Log 2026-27") or words
    added ("school list"), or a typo ("Rol"). None when none is."""
    want = _stems(wanted)
    best, best_score = None, 0.0
    for name in names:
        have = _stems(name)
        if not want or not have:
            continue
        if want == have:
            score = 1.0
        elif want <= have or have <= want:
            score = 0.9 - 0.01 * len(want ^ have)
        else:
            joined = (" ".join(sorted(want)), " ".join(sorted(have)))
            score = difflib.SequenceMatcher(None, *joined).ratio()
        if score > best_score:
            best, best_score = name, score
    return best if best_score >= NEAR else None


def _stems(text: str) -> frozenset[str]:
    """A name's words, lower case, singular, numbers (years) left out."""
    words = _WORD.findall(text.casefold())
    return frozenset(
        w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
        for w in words
        if not w.isdigit()
    )
