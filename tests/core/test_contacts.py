"""The Contact Log tab: which contacts count, for which schools, and the issues of its rows.

Today is 2025-11-20; the school year is 2025-08-01..2026-06-30.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from sheets_sync.core.contacts import read_contacts
from sheets_sync.core.grid import RawValue
from sheets_sync.core.issues import Issue
from sheets_sync.core.records import Contact
from sheets_sync.core.schools import read_directory
from sheets_sync.core.settings import CONTACT_TYPES, Rules, SchoolYear, Settings
from sheets_sync.core.values import as_text, parse_day
from sheets_sync.core.vocab import CONTACT_TYPE
from tests.core.grids import (
    ADAMS,
    ANY_CELL,
    BAKER,
    COLE,
    CONTACTS_HEADER,
    DALE,
    KIM,
    PAT,
    SETTINGS,
    TODAY,
    assert_cell_issues_at,
    brief,
    grid,
    read_log,
    schools_grid,
)

Rows = list[list[RawValue]]
OCT_1 = date(2025, 10, 1)


def visit(
    day: RawValue = "2025-10-01",
    school: RawValue = ADAMS,
    who: RawValue = PAT,
    kind: RawValue = "Site Visit",
) -> list[RawValue]:
    return [day, school, who, kind, "ATP chair", ""]


def one(row: list[RawValue], settings: Settings = SETTINGS) -> tuple[Contact, list[Issue]]:
    contacts, issues = read_log([row], settings)
    assert len(contacts) == 1
    return contacts[0], issues


def test_a_clean_log() -> None:
    """Readable rows become counting contacts with canonical names and no issue."""
    rows: Rows = [
        visit(),
        [45940.0, "baker  middle", "kim park", "phone call", "", "called the chair"],
        [date(2025, 11, 3), COLE, KIM, "Principal Meeting", "Cy Cole", ""],
    ]
    contacts, issues = read_log(rows)
    assert issues == []
    assert contacts == [
        Contact(2, OCT_1, (ADAMS,), PAT, "Site Visit", counts=True),
        Contact(3, date(2025, 10, 10), (BAKER,), KIM, "Phone", counts=True),
        Contact(4, date(2025, 11, 3), (COLE,), KIM, "Principal Meeting", counts=True),
    ]


@pytest.mark.parametrize(
    "cell",
    [
        f"{ADAMS}; {BAKER}",
        f"{ADAMS}\n{BAKER}",
        f"{ADAMS};{BAKER};",
        f" {ADAMS} ;\r\n{BAKER} ",
        f"{ADAMS}; {BAKER}; adams elementary",
    ],
)
def test_one_row_for_several_schools(cell: str) -> None:
    """Schools separated by `;` or line breaks each get the contact, once each."""
    contact, issues = one(visit(school=cell, kind="Cluster Meeting"))
    assert issues == []
    assert contact.schools == (ADAMS, BAKER)
    assert contact.counts


def test_an_unknown_school_among_several() -> None:
    """An unknown part is one issue with a suggestion; the known parts still count."""
    contact, issues = one(visit(school=f"{ADAMS}; Bakr Middle; {COLE}"))
    assert brief(issues) == [("school.unknown", "error", "Contact Log", "B2", "")]
    assert issues[0].problem == '"Bakr Middle" is not a school in the Schools tab.'
    assert issues[0].fix == (
        'Did you mean "Baker Middle"? Write the name as it is in the Schools '
        "tab, or add a row for it there."
    )
    assert contact.schools == (ADAMS, COLE)
    assert contact.counts


def test_district_contacts() -> None:
    """`District` is district-level work for no school; it can sit beside schools."""
    alone, issues = one(visit(school="district", kind="Presentation"))
    assert issues == []
    assert (alone.schools, alone.district, alone.counts) == ((), True, True)
    both, issues = one(visit(school=f"District; {ADAMS}"))
    assert issues == []
    assert (both.schools, both.district) == ((ADAMS,), True)


def test_unknown_facilitator_still_counts() -> None:
    """An unknown facilitator is one issue with a suggestion; the contact counts for its school."""
    contact, issues = one(visit(who="Pat Lea"))
    assert brief(issues) == [("facilitator.unknown", "error", "Contact Log", "C2", ADAMS)]
    assert issues[0].fix.startswith('Did you mean "Pat Lee"? ')
    assert (contact.facilitator, contact.schools, contact.counts) == (None, (ADAMS,), True)


def test_unreadable_date_does_not_count() -> None:
    """A date that cannot be read is an error and the contact counts for nothing."""
    contact, issues = one(visit(day="Oct 1stish"))
    assert brief(issues) == [("cell.bad-date", "error", "Contact Log", "A2", ADAMS)]
    assert issues[0].problem == '"Oct 1stish" in Date is not a date this sheet can read.'
    assert issues[0].fix == "Write a date such as 2025-10-14 or 10/14/2025 (month first)."
    assert (contact.day, contact.counts) == (None, False)


@pytest.mark.parametrize(
    ("written", "day"),
    [
        ("Oct 1st", date(2025, 10, 1)),
        ("Jan 5", date(2026, 1, 5)),  # January of this school year falls in 2026
        ("1 Dec", date(2025, 12, 1)),
        ("11/3", date(2025, 11, 3)),  # month first, as the sheet reads numeric dates
        ("Mon, Nov 3rd", date(2025, 11, 3)),
    ],
)
def test_a_day_without_its_year_is_read_inside_the_school_year(written: str, day: date) -> None:
    """The school year runs 2025-08-01 to 2026-06-30: the year that puts the day inside it
    (read on 1 March 2026, so that none is in the future)."""
    contacts, issues = read_log([visit(day=written)], today=date(2026, 3, 1))
    assert ([c.day for c in contacts], issues) == ([day], [])


def test_a_date_readable_only_day_first_says_so_and_names_the_setting() -> None:
    """ "14/10/2025" has no 14th month: read day first it is 14 October, and the fix names
    both ways out."""
    contact, issues = one(visit(day="14/10/2025"))
    assert [i.code for i in issues] == ["cell.bad-date"]
    assert issues[0].problem == (
        '"14/10/2025" in Date can only be read day first (14 October 2025), and this sheet '
        "reads numeric dates month first."
    )
    assert issues[0].fix == (
        "Write it as 2025-10-14 or 10/14/2025; or, if the district writes dates day first, set "
        '[rules] date_order = "day-first" in the config.'
    )
    assert contact.day is None


def test_examples_in_date_messages_use_the_current_school_year() -> None:
    """In 2026-27 the example is a day of 2026, not of a year long gone."""
    settings = Settings(year=SchoolYear(date(2026, 8, 1), date(2027, 6, 30)))
    _, issues = read_log([visit(day="someday")], settings, today=date(2026, 12, 7))
    assert issues[0].fix == "Write a date such as 2026-10-14 or 10/14/2026 (month first)."


def test_a_month_is_not_a_contact_date() -> None:
    """A contact happens on a day: `Oct 2025` is not readable as one."""
    contact, issues = one(visit(day="Oct 2025"))
    assert [i.code for i in issues] == ["cell.bad-date"]
    assert not contact.counts


def test_blank_date_is_required() -> None:
    """A blank Date is a required cell; the contact does not count."""
    contact, issues = one(visit(day=""))
    assert brief(issues) == [("cell.required", "error", "Contact Log", "A2", ADAMS)]
    assert not contact.counts


def test_unknown_type_does_not_count() -> None:
    """An unknown Contact Type lists the types, and the contact does not count."""
    contact, issues = one(visit(kind="Coffee"))
    assert brief(issues) == [("cell.bad-choice", "error", "Contact Log", "D2", ADAMS)]
    assert issues[0].problem == '"Coffee" is not a Contact Type this sheet knows.'
    assert issues[0].fix == f"Use one of: {', '.join(CONTACT_TYPES)}."
    assert (contact.type, contact.counts) == (None, False)


@pytest.mark.parametrize("day", ["2025-11-21", "11/21/2025", date(2026, 1, 5)])
def test_future_date_is_an_error_and_does_not_count(day: RawValue) -> None:
    """A contact dated after today is an error and does not count."""
    contact, issues = one(visit(day=day))
    assert brief(issues) == [("contact.future-date", "error", "Contact Log", "A2", ADAMS)]
    assert not contact.counts
    assert contact.day is not None


def test_future_date_text() -> None:
    """The future-date issue names the date and today."""
    _, issues = one(visit(day="2025-11-21"))
    assert issues[0].problem == (
        "This contact is dated 2025-11-21, after today (2025-11-20); "
        "it does not count until it has happened."
    )
    assert issues[0].fix == "Check the date; log contacts once they have taken place."


def test_today_is_not_the_future() -> None:
    """A contact dated today counts."""
    contact, issues = one(visit(day="2025-11-20"))
    assert issues == []
    assert contact.counts


@pytest.mark.parametrize("day", ["2015-07-31", "1925-10-01"])
def test_a_contact_more_than_ten_years_back_is_a_warning(day: str) -> None:
    """Before 2015-08-01, ten years before the year's start, a date is a typo's year: a
    warning on its date; it is still a contact."""
    contact, issues = one(visit(day=day))
    assert brief(issues) == [("contact.outside-year", "warning", "Contact Log", "A2", ADAMS)]
    assert issues[0].problem == (
        "This contact is dated more than 10 years before the school year "
        "(2025-08-01 to 2026-06-30)."
    )
    assert contact.counts


@pytest.mark.parametrize("day", ["2025-07-31", "2024-10-01", "2015-08-01"])
def test_earlier_years_contacts_are_history(day: str) -> None:
    """A contact of an earlier year is neither counted nor checked (not even its school)."""
    contacts, issues = read_log([visit(day=day, school="Nowhere School", kind="Smoke signal")])
    assert (contacts, issues) == ([], [])


def test_in_the_summer_a_contact_after_the_year_is_the_coming_years() -> None:
    """On 2026-07-15 (the year 2025-26 over) a contact of 2026-07-10 belongs to the next
    year: quiet; one of 2026-06-30 is this year's last day and counts."""
    contacts, issues = read_log(
        [visit(day="2026-07-10"), visit(day="2026-06-30")], today=date(2026, 7, 15)
    )
    assert issues == []
    assert [c.day for c in contacts] == [date(2026, 6, 30)]


def test_duplicate_contact() -> None:
    """The same date, school, facilitator and type twice is a warning on the later row."""
    rows: Rows = [
        visit(),
        visit(day="10/1/2025", school="ADAMS ELEMENTARY", who="pat lee", kind="visit"),
        visit(kind="Phone"),
        visit(who=KIM),
        visit(school=BAKER),
        visit(school=f"{BAKER}; {ADAMS}"),
    ]
    contacts, issues = read_log(rows)
    assert brief(issues) == [
        ("contact.duplicate", "warning", "Contact Log", "A3", ADAMS),
        ("contact.duplicate", "warning", "Contact Log", "A7", f"{BAKER}; {ADAMS}"),
    ]
    assert issues[0].problem == (
        "Row 2 already logs a Site Visit on 2025-10-01 with the same school and facilitator."
    )
    assert issues[0].fix == "Remove the repeated row, or correct its date, school or type."
    assert all(c.counts for c in contacts)


def test_unknown_facilitators_are_not_the_same_facilitator() -> None:
    """Two rows whose facilitators are different unknown names are not duplicates."""
    _, issues = read_log([visit(who="Sam Smith"), visit(who="Jo Jones")])
    assert [i.code for i in issues] == ["facilitator.unknown", "facilitator.unknown"]


def test_inactive_school_rows_are_skipped() -> None:
    """A contact only with an inactive school costs no issue and is not a contact."""
    contacts, issues = read_log(
        [visit(day="never", school=DALE, who="Nobody", kind="Coffee"), visit(school="dale closed")]
    )
    assert issues == []
    assert contacts == []


def test_inactive_school_among_several_is_dropped() -> None:
    """A row for an inactive and an active school counts for the active one only."""
    contact, issues = one(visit(school=f"{DALE}; {ADAMS}"))
    assert issues == []
    assert contact.schools == (ADAMS,)


def test_blank_school_is_required_and_the_contact_counts_for_no_school() -> None:
    """A blank School is one issue; the other cells are still checked."""
    contact, issues = one(visit(school=" ", kind="Nope"))
    assert brief(issues) == [
        ("cell.required", "error", "Contact Log", "B2", ""),
        ("cell.bad-choice", "error", "Contact Log", "D2", ""),
    ]
    assert contact.schools == ()


def test_every_bad_cell_at_once() -> None:
    """Blank facilitator, bad date, bad type: one issue each, in column order."""
    contact, issues = one(visit(day="31/31/2025", who="", kind=""))
    assert brief(issues) == [
        ("cell.bad-date", "error", "Contact Log", "A2", ADAMS),
        ("cell.required", "error", "Contact Log", "C2", ADAMS),
        ("cell.required", "error", "Contact Log", "D2", ADAMS),
    ]
    assert not contact.counts


def test_day_first() -> None:
    """With day-first dates 3/10/2025 is 3 October."""
    contact, issues = one(visit(day="3/10/2025"), Settings(rules=Rules(day_first=True)))
    assert issues == []
    assert contact.day == date(2025, 10, 3)


def test_missing_type_column() -> None:
    """Without a Contact Type column: one issue; no contact can count, the rest is checked."""
    header = CONTACTS_HEADER[:3]
    contacts, issues = read_log([visit()[:3], visit(who="Pat Lea")[:3]], header=header)
    assert brief(issues) == [
        ("column.missing", "error", "Contact Log", "D1", ""),
        ("facilitator.unknown", "error", "Contact Log", "C3", ADAMS),
    ]
    assert issues[0].problem == 'The "Contact Type" column is missing from the header row.'
    assert [c.counts for c in contacts] == [False, False]


def test_missing_school_column() -> None:
    """Without a School column rows cannot be given to schools: one issue and no contacts."""
    header = [h for h in CONTACTS_HEADER if h != "School"]
    contacts, issues = read_log(
        [[r[0], *r[2:]] for r in [visit(), visit(kind="Coffee")]], header=header
    )
    assert brief(issues) == [("column.missing", "error", "Contact Log", "F1", "")]
    assert contacts == []


def test_no_facilitator_names_means_no_facilitator_check() -> None:
    """Without a Facilitators tab no contact's facilitator is "unknown" (a blank one is still)."""
    issues: list[Issue] = []
    found = read_directory(schools_grid(), None, Settings(), issues)
    contacts = read_contacts(
        grid(CONTACTS_HEADER, [visit(who="Anyone"), visit(who="")]),
        found,
        Settings(),
        date(2025, 11, 20),
        issues,
    )
    assert brief(issues) == [("cell.required", "error", "Contact Log", "C3", ADAMS)]
    assert [c.counts for c in contacts] == [True, True]


def test_header_aliases() -> None:
    """`Contact Date`, `School(s)`, `Facilitator Name`, `Type` and extra columns are understood."""
    header: list[RawValue] = ["Contact Date", "School(s)", "Facilitator Name", "Type", "Minutes"]
    contacts, issues = read_log([[*visit()[:4], "long notes"]], header=header)
    assert issues == []
    assert contacts == [Contact(2, OCT_1, (ADAMS,), PAT, "Site Visit", counts=True)]


LOG: Rows = [
    visit(),
    visit("2025-10-02", f"{ADAMS}; {BAKER}", KIM, "Cluster Meeting"),
    visit(45940.0, BAKER, "pat lee", "phone"),
    visit(date(2025, 11, 3), COLE, KIM, "Principal Meeting"),
    visit("9/30/2025", "District", PAT, "Presentation"),
    visit("2025-11-20", COLE, PAT, "Email"),
]


@given(st.integers(0, len(LOG) - 1), st.integers(0, 5), ANY_CELL)
@example(0, 0, "2025-11-21")
@example(1, 1, "Adams; Bakr; Zed")
@example(2, 3, "Coffee")
def test_junk_in_any_cell_is_reported_at_that_cell(index: int, column: int, junk: RawValue) -> None:
    """Any value in any log cell never breaks the reader, and its issue points at that cell."""
    rows = [list(r) for r in LOG]
    rows[index][column] = junk
    contacts, issues = read_log(rows)
    row = index + 2
    here = [
        i.code
        for i in assert_cell_issues_at(
            issues, row, column + 1, ("contact.future-date", "contact.outside-year")
        )
    ]
    text = as_text(junk)
    if column in range(4) and not text:
        assert here == ["cell.required"]
    elif column == 0 and parse_day(junk) is None:
        assert here == ["cell.bad-date"]
    elif column == 3 and CONTACT_TYPE.find(text) is None:
        assert here == ["cell.bad-choice"]
    # A contact counts exactly when its date is readable and not after today and its type known.
    for contact in contacts:
        readable = contact.day is not None and contact.type is not None
        assert contact.counts == (readable and contact.day <= TODAY)  # type: ignore[operator]


def test_an_unknown_name_repeated_in_one_cell_is_one_issue() -> None:
    """A cell naming `Zed` 3,000 times (in any case) and `Bakr Middle` once costs two issues."""
    cell = "; ".join(["Zed", "zed ", "ZED."] * 1000 + ["Bakr Middle", ADAMS])
    contact, issues = one(visit(school=cell))
    assert brief(issues) == [
        ("school.unknown", "error", "Contact Log", "B2", ""),
        ("school.unknown", "error", "Contact Log", "B2", ""),
    ]
    assert [i.problem for i in issues] == [
        '"Zed" is not a school in the Schools tab.',
        '"Bakr Middle" is not a school in the Schools tab.',
    ]
    assert contact.schools == (ADAMS,)


LONG = "Notes from the visit. " * 2_000  # 44,000 characters: more than a cell holds


@pytest.mark.parametrize(("column", "cell"), [(0, "A2"), (1, "B2"), (2, "C2"), (3, "D2")])
def test_a_cell_too_long_for_any_cell_is_that_one_issue_only(column: int, cell: str) -> None:
    """An over-long date, school, facilitator or type (44,000 characters; Excel holds 32,767)
    is one error at its cell, quoting only its beginning: not also blank, unknown or unreadable."""
    row = visit()
    row[column] = LONG
    _, issues = read_log([row])
    assert [(i.code, i.severity, i.cell) for i in issues] == [("cell.too-long", "error", cell)]
    title = CONTACTS_HEADER[column]
    assert issues[0].problem == (
        f"This {title} cell holds 44,000 characters, more than a spreadsheet cell can (32,767), "
        'so it is not read; it begins "Notes from the visit. Notes from the visit. Notes from '
        'the …".'
    )
    assert issues[0].fix == (
        "Shorten it to what the cell is for; keep long notes in a document and link to it."
    )
