"""The record of an ended school year, worked out by hand for three schools.

The year is 2025-08-01 to 2026-06-30, and the run is on 2026-07-15, in the summer. Each school
has the tests' passing plan (7 activities, all six types, one Done and evaluated) and a team
that meets every roster rule. Contacts:
- Adams: a site visit on the 15th of each required month (Sep-May), a principal meeting on
  2025-09-10, a cluster meeting in each of the four quarters, a celebration on 2026-05-28.
- Baker: site visits on 2025-09-20, 2025-10-20 and 2025-12-10, a principal meeting on
  2025-10-15 (after the 30 September deadline: late); no cluster meeting, no celebration.
- Cole: none.
Dale is inactive and has no line.
"""

from __future__ import annotations

from datetime import date

from sheets_sync.core.cycle import evaluate
from sheets_sync.core.grid import RawValue
from sheets_sync.core.letters import Words, year_summaries
from sheets_sync.core.settings import SchoolYear, Settings
from sheets_sync.core.year_record import ended_year, year_record
from tests.core.grids import ADAMS, BAKER, KIM, PAT, district_book

YEAR = SchoolYear(date(2025, 8, 1), date(2026, 6, 30))
SUMMER = date(2026, 7, 15)


def contact(day: str, school: str, kind: str, who: str = PAT) -> list[RawValue]:
    return [day, school, who, kind, "ATP chair", ""]


MONTHS = ("09", "10", "11", "12", "01", "02", "03", "04", "05")
CONTACTS = [
    *(contact(f"{2025 if m >= '08' else 2026}-{m}-15", ADAMS, "Site Visit") for m in MONTHS),
    contact("2025-09-10", ADAMS, "Principal Meeting"),
    *(
        contact(day, ADAMS, "Cluster Meeting")
        for day in ("2025-10-02", "2025-12-03", "2026-03-04", "2026-06-05")
    ),
    contact("2026-05-28", ADAMS, "Celebration"),
    contact("2025-09-20", BAKER, "Site Visit"),
    contact("2025-10-20", BAKER, "Site Visit"),
    contact("2025-12-10", BAKER, "Site Visit"),
    contact("2025-10-15", BAKER, "Principal Meeting"),
]


def test_the_record_of_the_year_just_ended() -> None:
    settings = Settings(year=YEAR)
    book = district_book(contacts=CONTACTS)
    table = year_record(book, settings, SUMMER, evaluate(book, settings, SUMMER))
    assert table is not None
    assert table.name == "Year 2025-26"
    assert table.header == (
        "School",
        "Code",
        "Facilitator",
        "Months Contacted",
        "Months Required",
        "Missed Months",
        "Principal Meeting",
        "Cluster Meetings Attended",
        "Quarters",
        "Celebration",
        "Plan Activities",
        "Activities Done",
        "Done and Evaluated",
        "Types Covered",
        "Data Errors",
    )
    assert table.rows == [
        (ADAMS, "0042", PAT, 9, 9, "", "Done 2025-09-10", 4, 4, "Done 2026-05-28", 7, 1, 1, 6, 0),
        (
            BAKER,
            "101",
            PAT,
            3,
            9,
            "Nov, Jan, Feb, Mar, Apr, May",
            "Late 2025-10-15",
            0,
            4,
            "Missed",
            7,
            1,
            1,
            6,
            0,
        ),
        (
            "Cole High",
            "C-3",
            KIM,
            0,
            9,
            "Sep, Oct, Nov, Dec, Jan, Feb, Mar, Apr, May",
            "Missed",
            0,
            4,
            "Missed",
            7,
            1,
            1,
            6,
            0,
        ),
        (
            "District total (3 schools)",
            "",
            "",
            12,
            27,
            "15 missed",
            "2 of 3 held",
            4,
            12,
            "1 of 3 held",
            21,
            3,
            3,
            "3 of 3 cover all 6",
            0,
        ),
    ]


def test_the_same_record_once_the_next_year_has_begun() -> None:
    """On 2026-10-01 (in 2026-27, the worker down all summer) the ended year is 2025-26 and its
    record is the same; this year's rows change nothing in it."""
    settings = Settings(year=SchoolYear(date(2026, 8, 1), date(2027, 6, 30)))
    autumn = date(2026, 10, 1)
    assert ended_year(settings, autumn) == YEAR
    this_year = [contact("2026-09-15", ADAMS, "Site Visit"), contact("2026-09-16", BAKER, "Phone")]
    book = district_book(contacts=CONTACTS + this_year)
    later = year_record(book, settings, autumn, evaluate(book, settings, autumn))
    book = district_book(contacts=CONTACTS)
    summer = year_record(
        book, Settings(year=YEAR), SUMMER, evaluate(book, Settings(year=YEAR), SUMMER)
    )
    assert later == summer


def test_nothing_to_record_for_a_year_without_rows() -> None:
    """A district that began this year: the year before holds none of its dated rows."""
    settings = Settings(year=YEAR)
    plan_of_this_year_only = district_book(contacts=[contact("2025-10-01", ADAMS, "Phone")])
    assert ended_year(settings, date(2025, 11, 20)) == SchoolYear(
        date(2024, 8, 1), date(2025, 6, 30)
    )
    today = date(2025, 11, 20)
    this = evaluate(plan_of_this_year_only, settings, today)
    assert this.earlier_rows == 0
    assert year_record(plan_of_this_year_only, settings, today, this) is None


def test_the_district_gets_the_years_totals_once() -> None:
    """The record's district line, in a letter to each district recipient, keyed by the year."""
    book = district_book(contacts=CONTACTS)
    settings = Settings(year=YEAR)
    table = year_record(book, settings, SUMMER, evaluate(book, settings, SUMMER))
    assert table is not None
    words = Words(district="Riverbend", district_recipients=("Dee Rector <dee@district.org>",))
    (letter,) = year_summaries(table, settings, words)
    assert (letter.key, letter.to, letter.subject) == (
        "year-summary / dee@district.org / 2025-26",
        "dee@district.org",
        "Riverbend: the 2025-26 school year",
    )
    assert letter.text == (
        "Riverbend: the 2025-26 school year\n\n"
        "The 2025-26 school year has ended. Its record, 3 active schools and the district's "
        'totals, is in the workbook\'s "Year 2025-26" tab, and stays as it is.\n\n'
        "DISTRICT TOTALS\n"
        "  Months Contacted: 12\n"
        "  Months Required: 27\n"
        "  Missed Months: 15 missed\n"
        "  Principal Meeting: 2 of 3 held\n"
        "  Cluster Meetings Attended: 4\n"
        "  Quarters: 12\n"
        "  Celebration: 1 of 3 held\n"
        "  Plan Activities: 21\n"
        "  Activities Done: 3\n"
        "  Done and Evaluated: 3\n"
        "  Types Covered: 3 of 3 cover all 6\n"
        "  Data Errors: 0\n\n"
        "--\n"
        "Sent by sheets-sync from the Riverbend's partnership workbook.\n"
    )
    assert year_summaries(table, settings, Words(district="Riverbend")) == []
