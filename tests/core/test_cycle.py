"""The cycle as a whole: the issue list stays bounded whatever the rows hold."""

from __future__ import annotations

from datetime import datetime, time

from sheets_sync.core.cycle import evaluate, owned_tables
from sheets_sync.core.grid import RawValue
from sheets_sync.core.issues import MAX_LISTED
from sheets_sync.core.owned_tabs import RunEntry
from sheets_sync.core.table import Link
from tests.core.grids import (
    PAT,
    SCHOOL_ROWS,
    SETTINGS,
    TODAY,
    district_book,
)


def test_past_ten_thousand_issues_the_rest_are_counted_in_one_line() -> None:
    """6,000 junk rows, each an unreadable date and an unknown school, make 12,000 errors:
    10,000 are listed, and one line more says 2,000 are not; the totals count all 12,000."""
    assert evaluate(district_book(), SETTINGS, TODAY).issues == []  # the district alone is clean
    junk: list[list[RawValue]] = [
        [f"someday {n}", f"Nowhere {n}", PAT, "Site Visit", "", ""] for n in range(6_000)
    ]
    evaluation = evaluate(district_book(contacts=junk), SETTINGS, TODAY)
    assert MAX_LISTED == 10_000
    assert len(evaluation.issues) == 10_001
    assert {i.code for i in evaluation.issues[:-1]} == {"cell.bad-date", "school.unknown"}
    last = evaluation.issues[-1]
    assert (last.severity, last.tab, last.code) == ("error", "All tabs", "issues.not-listed")
    assert last.problem == (
        "2,000 more issues (2,000 errors, 0 warnings) were found and are not listed: "
        "the list stops at 10,000."
    )
    assert (evaluation.errors, evaluation.warnings) == (12_000, 0)


def test_owned_tabs_show_hidden_characters_as_text() -> None:
    """A school code typed with a right-to-left override is written to the Summary with the
    mark spelled out, and the Data Issues tab warns about its cell."""
    schools = [list(row) for row in SCHOOL_ROWS]
    schools[0][1] = "00\u202e42"
    book = district_book(schools)
    evaluation = evaluate(book, SETTINGS, TODAY)
    entry = RunEntry(run_at="2025-11-20 07:00", result="ok")
    now = datetime.combine(TODAY, time(7, 0))
    summary, _, issues, _ = owned_tables(evaluation, SETTINGS, now, entry, [])
    codes = [row[1] for row in summary.rows]
    assert "00<U+202E>42" in codes
    assert not any("\u202e" in str(cell) for row in summary.rows for cell in row)
    assert [(row[2], row[6]) for row in issues.rows] == [
        (Link("B2", "Schools", "B2"), "cell.hidden-characters")
    ]
