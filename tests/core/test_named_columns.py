"""A district's own column headers ([columns]): found by them, and named when missing.

The tests' district (tests/core/grids.py) as of 2025-11-20, its Contact Log headed as a Google
Form's responses would head it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sheets_sync.core.cycle import evaluate
from sheets_sync.core.settings import NamedColumn
from tests.core.grids import (
    ADAMS,
    BAKER,
    PAT,
    SCHOOL_ROWS,
    SCHOOLS_HEADER,
    SETTINGS,
    TODAY,
    district_book,
    grid,
)

FORM_HEADER = ["Timestamp", "School(s)", "Your name", "Type of contact"]
NAMED = (
    NamedColumn("Date", "Timestamp", "contacts.date"),
    NamedColumn("School", "School(s)", "contacts.school"),
    NamedColumn("Facilitator", "Your name", "contacts.facilitator"),
    NamedColumn("Contact Type", "Type of contact", "contacts.contact_type"),
)
FORM_SETTINGS = replace(SETTINGS, columns={"contacts": NAMED})


def with_contacts(header: list[object], rows: list[list[object]]) -> dict[str, object]:
    book = dict(district_book())
    book["Contact Log"] = grid(header, rows)
    return book


def test_a_form_shaped_contact_log_reads_as_the_contact_log() -> None:
    """Adams's two Form responses (Timestamps in Oct and Nov) count as its Oct and Nov
    contacts, exactly as the same rows under the Contact Log's own headers do."""
    rows = [
        [datetime(2025, 10, 3, 9, 15), ADAMS, PAT, "Site Visit"],
        [datetime(2025, 11, 4, 16, 40), ADAMS, PAT, "Phone"],
    ]
    formed = evaluate(with_contacts(FORM_HEADER, rows), FORM_SETTINGS, TODAY)
    plain_header = ["Date", "School", "Facilitator", "Contact Type"]
    plain = evaluate(with_contacts(plain_header, rows), SETTINGS, TODAY)
    assert [i.code for i in formed.issues if i.tab == "Contact Log"] == []
    adams = next(s for s in formed.standings if s.name == ADAMS)
    assert [(t.month, t.contacts) for t in adams.months if t.contacts] == [(10, 1), (11, 1)]
    assert formed.standings == plain.standings


def test_a_named_header_row_1_lacks_is_named_with_its_near_match() -> None:
    """The config names "Your name" for the Facilitator; row 1 says "Yuor name" in C1."""
    header = ["Timestamp", "School(s)", "Yuor name", "Type of contact"]
    found = evaluate(with_contacts(header, []), FORM_SETTINGS, TODAY)
    (issue,) = [i for i in found.issues if i.tab == "Contact Log"]
    assert (issue.severity, issue.cell, issue.code) == ("error", "C1", "column.missing")
    assert issue.problem == (
        'The header row has no "Your name" column, which the config names for "Facilitator" '
        '([columns] contacts.facilitator = "Your name"); "Yuor name" in C1 looks like it.'
    )
    assert issue.fix == (
        'Set [columns] contacts.facilitator = "Yuor name" in the config, or rename C1 to '
        '"Your name".'
    )


def test_a_named_header_with_no_near_match_points_at_the_free_cell() -> None:
    """Nothing like "Your name" in row 1 (four headers): the issue stands at E1."""
    header = ["Timestamp", "School(s)", "Email Address", "Type of contact"]
    found = evaluate(with_contacts(header, []), FORM_SETTINGS, TODAY)
    (issue,) = [i for i in found.issues if i.tab == "Contact Log"]
    assert (issue.cell, issue.code) == ("E1", "column.missing")
    assert issue.fix == (
        'Correct [columns] contacts.facilitator = "Your name" in the config to a header of '
        'row 1, or head a column "Your name" (for example in E1).'
    )


def test_a_named_column_is_found_by_its_header_alone() -> None:
    """With the Facilitator named "Your name", a column headed "Facilitator" is not read as
    it (an extra column, left alone)."""
    header = [*FORM_HEADER, "Facilitator"]
    rows = [[datetime(2025, 11, 4, 16, 40), ADAMS, PAT, "Phone", "Someone Else"]]
    found = evaluate(with_contacts(header, rows), FORM_SETTINGS, TODAY)
    assert [i.code for i in found.issues if i.tab == "Contact Log"] == []


def form_rows_book(cells: list[tuple[str, str]]) -> dict[str, object]:
    """The district plus "Cedar Ridge, Upper Campus" (Pat's), and a Nov 4 contact of Pat's
    for each (School cell, type), headed as a Form heads its responses (no [columns] needed:
    Timestamp reads as the date, the rest are the Contact Log's own aliases)."""
    book = with_contacts(
        ["Timestamp", "School(s)", "Facilitator", "Type of contact"],
        [[datetime(2025, 11, 4, 16, 40), cell, PAT, kind] for cell, kind in cells],
    )
    cedar = [CEDAR, "0050", "ES", "Cy Dar", "cy.dar@district.org", PAT, "North", ""]
    book["Schools"] = grid(SCHOOLS_HEADER, [*SCHOOL_ROWS, cedar])
    return book


CEDAR = "Cedar Ridge, Upper Campus"


def november(found: object, school: str) -> int:
    standing = next(s for s in found.standings if s.name == school)  # type: ignore[attr-defined]
    return next(t.contacts for t in standing.months if t.month == 11)


def test_a_checkbox_answer_names_each_school_it_joins() -> None:
    """ "Adams Elementary, Baker Middle" is one contact with each; a school whose own name
    holds ", " is found whole, alone or among others."""
    cells = [(f"{ADAMS}, {BAKER}", "Phone"), (CEDAR, "Phone"), (f"{CEDAR}, {ADAMS}", "Site Visit")]
    found = evaluate(form_rows_book(cells), SETTINGS, TODAY)
    assert [i.code for i in found.issues if i.tab == "Contact Log"] == []
    assert (november(found, ADAMS), november(found, BAKER), november(found, CEDAR)) == (2, 1, 2)


def test_a_joined_answer_with_a_part_that_is_no_school_is_unknown_whole() -> None:
    """ "Adams Elementary, Nowhere High" names no school as a whole nor in parts: one issue
    quoting it as written, and Adams gets no contact from it."""
    found = evaluate(form_rows_book([(f"{ADAMS}, Nowhere High", "Phone")]), SETTINGS, TODAY)
    (issue,) = [i for i in found.issues if i.tab == "Contact Log"]
    assert (issue.cell, issue.code) == ("B2", "school.unknown")
    assert f'"{ADAMS}, Nowhere High"' in issue.problem
    assert november(found, ADAMS) == 0


def address_book(address: str) -> dict[str, object]:
    """A Form with no name question: the address it collected names the facilitator."""
    return with_contacts(
        ["Timestamp", "Email Address", "School(s)", "Type of contact"],
        [[datetime(2025, 11, 4, 16, 40), address, ADAMS, "Phone"]],
    )


def test_the_collected_address_names_the_facilitator() -> None:
    """Pat's address, typed in another case, is Pat: the contact counts, no issue."""
    found = evaluate(address_book("PAT@District.org"), SETTINGS, TODAY)
    assert [i.code for i in found.issues if i.tab == "Contact Log"] == []
    assert [c.facilitator for c in found.contacts] == [PAT]
    assert november(found, ADAMS) == 1


def test_an_address_of_no_facilitator_is_named_and_the_contact_still_counts() -> None:
    """An address in no Facilitators row: an error at its cell (B2); the contact counts for
    Adams all the same, as one with an unknown facilitator does."""
    found = evaluate(address_book("someone@else.org"), SETTINGS, TODAY)
    (issue,) = [i for i in found.issues if i.tab == "Contact Log"]
    assert (issue.cell, issue.code) == ("B2", "facilitator.unknown")
    assert issue.problem == (
        '"someone@else.org" is not the address of a facilitator in the Facilitators tab.'
    )
    assert [c.facilitator for c in found.contacts] == [None]
    assert november(found, ADAMS) == 1


def test_a_date_question_wins_over_the_timestamp() -> None:
    """Sent on Nov 4 about a visit on Oct 30: the contact is October's, with no word about
    two date columns."""
    book = with_contacts(
        ["Timestamp", "Date of contact", "School(s)", "Facilitator", "Type of contact"],
        [[datetime(2025, 11, 4, 16, 40), "2025-10-30", ADAMS, PAT, "Site Visit"]],
    )
    found = evaluate(book, SETTINGS, TODAY)
    assert [i.code for i in found.issues if i.tab == "Contact Log"] == []
    assert [str(c.day) for c in found.contacts] == ["2025-10-30"]


def test_a_blank_collected_address_is_a_blank_required_cell() -> None:
    """No address in B2: the cell is named as blank, with what to fill in."""
    found = evaluate(address_book(""), SETTINGS, TODAY)
    (issue,) = [i for i in found.issues if i.tab == "Contact Log"]
    assert (issue.cell, issue.code, issue.problem) == (
        "B2",
        "cell.required",
        '"Email Address" is blank.',
    )
    assert issue.fix == 'Fill in "Email Address" (the facilitator\'s address).'
