"""Whether a read can be the district's workbook, judged against the last good run's read.

An answer can be wrong without being an error: Google has answered 200 with no values at
all, or with two tabs' values swapped. Taken as the district's data, such a read empties the
Summary and mails every school as Overdue. A read that contradicts the last good run (no
active school where it had some; a tab whose row 1 no longer holds the header it had, or that
is gone) is taken as a fault of the read instead: nothing is written or sent, and the next
cycle reads again. A district that really changed its book so says so once (`--trust-read`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sheets_sync.core.grid import Grid, header_key
from sheets_sync.core.settings import TabNames
from sheets_sync.core.values import as_text, visible


@dataclass(frozen=True)
class ReadShape:
    """What a read held, in the few figures that tell a real workbook from a broken answer."""

    at: str  # the run's local time, "2025-11-20 08:00"
    active_schools: int
    headers: Mapping[str, tuple[str, ...]]  # each input tab there: its row 1 as written
    rows: Mapping[str, int]  # each input tab there: the rows below its header


def read_shape(
    book: Mapping[str, Grid | None], tabs: TabNames, active_schools: int, at: str
) -> ReadShape:
    headers: dict[str, tuple[str, ...]] = {}
    rows: dict[str, int] = {}
    for name in tabs.inputs:
        grid = book.get(name)
        if grid is None:
            continue
        first = grid[0] if grid else []
        headers[name] = tuple(text for text in map(as_text, first) if text.strip())
        rows[name] = max(len(grid) - 1, 0)
    return ReadShape(at, active_schools, headers, rows)


def contradiction(last: ReadShape | None, now: ReadShape, tabs: TabNames) -> str:
    """Why `now` cannot be the district's workbook as the last good run left it; "" if it can.

    A tab keeps its header if row 1 still holds at least half of the titles it had (a person
    renaming a column or two is data, and gets its own issue). Tabs the last run did not read
    under this name (a config that now names another tab) are not compared.
    """
    if last is None:
        return ""
    reasons = [
        reason
        for name, titles in last.headers.items()
        if titles
        and name in tabs.inputs
        and (reason := _header_lost(name, titles, last.rows.get(name, 0), now))
    ]
    if last.active_schools and not now.active_schools:
        reasons.append(f"no active school, where it had {last.active_schools}")
    if not reasons:
        return ""
    return (
        f"This read of the workbook contradicts the last good run ({last.at}): "
        f"{'; '.join(reasons)}. It was taken as a fault of the read (an incomplete answer, "
        "or a file caught mid-save): nothing was written and no email sent, and the next "
        "cycle reads again. If the workbook really changed so, fix it or, to accept it as it "
        "is, run `sheets-sync run --trust-read` once (stop `serve` first)."
    )


def _header_lost(name: str, titles: tuple[str, ...], rows: int, now: ReadShape) -> str:
    had = f"it had {_shown_titles(titles)} and {rows} row{'' if rows == 1 else 's'}"
    if name not in now.headers:
        return f'the "{name}" tab is not there ({had})'
    now_titles = now.headers[name]
    kept = {header_key(t) for t in titles} & {header_key(t) for t in now_titles}
    if 2 * len(kept) >= len(set(map(header_key, titles))):
        return ""
    if not now_titles:
        return f'the "{name}" tab is empty ({had})'
    return f'row 1 of the "{name}" tab reads {_shown_titles(now_titles)} ({had})'


def _shown_titles(titles: tuple[str, ...]) -> str:
    shown = ", ".join(visible(t[:40]) for t in titles[:6])
    return shown + (", …" if len(titles) > 6 else "")
