"""The Contact Log tab, kept by facilitators: every meeting, call and visit with a school."""

from __future__ import annotations

import re
from datetime import date
from typing import NamedTuple

from sheets_sync.core.grid import Grid, name_key
from sheets_sync.core.inputs import Field, Row, TabReader, quoted
from sheets_sync.core.issues import Issue
from sheets_sync.core.months import outside_the_year, year_place
from sheets_sync.core.records import Contact
from sheets_sync.core.schools import Directory
from sheets_sync.core.settings import Settings
from sheets_sync.core.values import as_text, parse_day
from sheets_sync.core.vocab import CONTACT_TYPE

CONTACT_DATE = Field(
    "Date",
    ("Contact Date", "Date of Contact", "When"),
    required=True,
    example="the day of the contact, such as 2025-10-14",
    fallback="Timestamp",  # a Google Form's responses with no date question: when it was sent
)
CONTACT_SCHOOL = Field(
    "School",
    ("School(s)", "Schools", "School Name"),
    required=True,
    example='the school, several separated by ";", or "District"',
)
# No "Staff", "By" or "Contact": a log may well have a column of staff met, or of the contact.
CONTACT_FACILITATOR = Field(
    "Facilitator",
    ("Facilitator Name", "Contact By"),
    required=True,
    example="a name from the Facilitators tab",
    instead="Email Address",  # a Google Form's responses: the facilitator by the address
)
# The address a Google Form collects: names the facilitator when there is no name question.
COLLECTED_EMAIL = Field("Email Address", example="the facilitator's address")
CONTACT_TYPE_FIELD = Field(
    "Contact Type",
    ("Type", "Type of Contact"),
    required=True,
    example=CONTACT_TYPE.listing(),
)
WITH = Field("With", ("Contacted", "Who", "Met With", "Attendees"))
NOTES = Field("Notes", ("Note", "Comments", "Summary"))
CONTACT_FIELDS = (
    CONTACT_DATE,
    CONTACT_SCHOOL,
    CONTACT_FACILITATOR,
    CONTACT_TYPE_FIELD,
    WITH,
    NOTES,
)
# What is read: the contract's columns, and the address a Form may have collected.
CONTACT_READ = (*CONTACT_FIELDS, COLLECTED_EMAIL)

_SEPARATORS = re.compile(r"[;\n\r]+")
DISTRICT = name_key("District")


def read_contacts(
    grid: Grid | None, directory: Directory, settings: Settings, today: date, issues: list[Issue]
) -> list[Contact]:
    if grid is None or not directory.schools_known:
        return []  # without known schools every row would be "unknown": that tab's issue is enough
    reader = TabReader(
        settings.tabs.contacts, grid, CONTACT_READ, issues, settings.columns.get("contacts", ())
    )
    if not reader.has(CONTACT_SCHOOL.title):
        return []  # rows cannot be given to schools; the missing column is the issue
    year = settings.year
    start = year.start  # a day written without its year is read inside the school year
    contacts: list[Contact] = []
    seen: dict[tuple[date, str, str, str], int] = {}
    cells: dict[str, SchoolCell] = {}
    for row in reader.rows():
        dated = parse_day(row.raw(CONTACT_DATE.title), settings.rules.day_first, start)
        place = year_place(dated, dated, year, today) if dated and dated <= today else ""
        if place in ("history", "next year"):
            row.set_aside(earlier=place == "history")  # another year's contact, kept in the tab
            continue
        text = row.text(CONTACT_SCHOOL)
        cell = cells.get(text)
        if cell is None:
            cell = cells[text] = _school_cell(text, directory)
        for part in cell.unknown:
            row.match_name(
                CONTACT_SCHOOL, part, directory.school_names, settings.tabs.schools, "school"
            )
        if cell.inactive_only:
            continue
        schools, district = cell.schools, cell.district
        row.schools = schools
        day = row.day(CONTACT_DATE, settings.rules.day_first, start)  # its issues name the schools
        facilitator = _facilitator(row, reader, directory, settings.tabs.facilitators)
        kind = row.choice(CONTACT_TYPE_FIELD, CONTACT_TYPE, "Contact Type")
        future = day is not None and day > today
        if day is not None and future:
            row.issue(
                "error",
                CONTACT_DATE.title,
                "contact.future-date",
                f"This contact is dated {day.isoformat()}, after today "
                f"({today.isoformat()}); it does not count until it has happened.",
                "Check the date; log contacts once they have taken place.",
            )
        elif place in ("after the year", "long before"):
            row.issue(
                "warning",
                CONTACT_DATE.title,
                "contact.outside-year",
                f"This contact is dated {outside_the_year(place, year)}.",
                "Check the year in the date.",
            )
        if day is not None and kind is not None:
            # An unknown facilitator is compared as written, so two different unknowns differ.
            typed = row.raw(CONTACT_FACILITATOR.title) or row.raw(COLLECTED_EMAIL.title)
            who = facilitator or name_key(as_text(typed))
            _check_duplicate(row, seen, day, schools, who, kind)
        counts = day is not None and not future and kind is not None
        contacts.append(Contact(row.number, day, schools, facilitator, kind, district, counts))
    return contacts


def _checked_boxes(part: str, directory: Directory) -> list[str]:
    """`part` as the names it holds: itself when it is one name (or none can be found), else
    the comma-separated run of school names (or District) that makes it up, each whole."""
    pieces = part.split(",")
    if len(pieces) == 1 or _names_one(part, directory):
        return [part]
    ways: dict[int, list[str] | None] = {len(pieces): []}  # from piece i on: the names, or None
    for start in range(len(pieces) - 1, -1, -1):
        ways[start] = None
        for end in range(start + 1, len(pieces) + 1):
            name = ",".join(pieces[start:end]).strip()
            rest = ways[end]
            if rest is not None and name and _names_one(name, directory):
                ways[start] = [name, *rest]
                break
    return ways[0] or [part]


def _names_one(name: str, directory: Directory) -> bool:
    return name_key(name) == DISTRICT or directory.school_names.find(name) is not None


def _facilitator(
    row: Row, reader: TabReader, directory: Directory, facilitators_tab: str
) -> str | None:
    """The row's facilitator: by name, or by the address a Form collected when the tab has
    no name column; None (with its issue) when it names no facilitator."""
    if not reader.has(CONTACT_FACILITATOR.title):
        return _by_address(row, directory, facilitators_tab)
    if not directory.facilitators_known:
        row.text(CONTACT_FACILITATOR)  # still a required cell
        return None
    return row.name(
        CONTACT_FACILITATOR, directory.facilitator_names, facilitators_tab, "facilitator"
    )


def _by_address(row: Row, directory: Directory, facilitators_tab: str) -> str | None:
    """The facilitator whose address the Form collected (any case), or None and an issue."""
    address = row.text(COLLECTED_EMAIL).strip()
    if not address:
        row.blank(COLLECTED_EMAIL)
        return None
    found = directory.facilitator_by_address.get(address.casefold())
    if found is None and directory.facilitators_known:
        row.issue(
            "error",
            COLLECTED_EMAIL.title,
            "facilitator.unknown",
            f"{quoted(address)} is not the address of a facilitator in the {facilitators_tab} tab.",
            f"Add this address to its facilitator's row in the {facilitators_tab} tab, or "
            "log the contact from a facilitator's address.",
        )
    return found


class SchoolCell(NamedTuple):
    """What a School cell names, worked out once for each distinct text."""

    schools: tuple[str, ...]  # the active schools it names
    district: bool  # `District`: district-level work
    unknown: tuple[str, ...]  # parts that name no school, each distinct name once
    inactive_only: bool  # it names schools, only inactive ones: the row is skipped


def _school_cell(text: str, directory: Directory) -> SchoolCell:
    """One school; several separated by `;` or line breaks; or `District`. A part that names
    no school but splits at commas into schools is a Google Form's checkbox answer, which
    Forms joins with ", " (a school whose name holds a comma is found whole first)."""
    named: dict[str, None] = {}  # in order, each once
    unknown: dict[str, str] = {}  # by name_key: one issue per name, however often it repeats
    district = False
    for whole in filter(None, (p.strip() for p in _SEPARATORS.split(text))):
        for part in _checked_boxes(whole, directory):
            key = name_key(part)
            found = directory.school_names.find(part)
            if key == DISTRICT:
                district = True
            elif found is None:
                unknown.setdefault(key, part)
            else:
                named.setdefault(found)
    schools = tuple(s for s in named if s in directory.active_names)
    inactive_only = bool(named) and not schools and not district
    return SchoolCell(schools, district, tuple(unknown.values()), inactive_only)


def _check_duplicate(
    row: Row,
    seen: dict[tuple[date, str, str, str], int],
    day: date,
    schools: tuple[str, ...],
    who: str,
    kind: str,
) -> None:
    first = row.number
    for school in schools:
        first = min(first, seen.setdefault((day, school, who, kind), row.number))
    if first != row.number:
        row.issue(
            "warning",
            CONTACT_DATE.title,
            "contact.duplicate",
            f"Row {first} already logs a {kind} on {day.isoformat()} with the same "
            f"school and facilitator.",
            "Remove the repeated row, or correct its date, school or type.",
        )
