"""The cycle as a whole: the issue list stays bounded whatever the rows hold."""

from __future__ import annotations

from sheets_sync.core.cycle import evaluate
from sheets_sync.core.grid import Grid, RawValue
from sheets_sync.core.issues import MAX_LISTED
from tests.core.grids import (
    CONTACTS_HEADER,
    PAT,
    PLAN_HEADER,
    ROSTER_HEADER,
    SETTINGS,
    TODAY,
    facilitators_grid,
    full_plan,
    full_roster,
    grid,
    schools_grid,
)


def district(contacts: list[list[RawValue]]) -> dict[str, Grid | None]:
    """The tests' clean district (every roster and plan rule met) with this Contact Log."""
    return {
        "Schools": schools_grid(),
        "Facilitators": facilitators_grid(),
        "Team Roster": grid(ROSTER_HEADER, full_roster()),
        "Action Plan": grid(PLAN_HEADER, full_plan()),
        "Contact Log": grid(CONTACTS_HEADER, contacts),
    }


def test_past_ten_thousand_issues_the_rest_are_counted_in_one_line() -> None:
    """6,000 junk rows, each an unreadable date and an unknown school, make 12,000 errors:
    10,000 are listed, and one line more says 2,000 are not; the totals count all 12,000."""
    assert evaluate(district([]), SETTINGS, TODAY).issues == []  # the district alone is clean
    junk: list[list[RawValue]] = [
        [f"someday {n}", f"Nowhere {n}", PAT, "Site Visit", "", ""] for n in range(6_000)
    ]
    evaluation = evaluate(district(junk), SETTINGS, TODAY)
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
