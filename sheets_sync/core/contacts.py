"""The Contact Log tab, kept by facilitators: every meeting, call and visit with a school."""

from __future__ import annotations

import re
from datetime import date

from sheets_sync.core.grid import Grid, name_key
from sheets_sync.core.inputs import Field, Row, TabReader
from sheets_sync.core.issues import Issue
from sheets_sync.core.records import Contact
from sheets_sync.core.schools import Directory
from sheets_sync.core.settings import Settings
from sheets_sync.core.vocab import CONTACT_TYPE

CONTACT_DATE = Field("Date", ("Contact Date", "Date of Contact", "When"), required=True,
                     example="the day of the contact, such as 2025-10-14")
CONTACT_SCHOOL = Field("School", ("School(s)", "Schools", "School Name"), required=True,
                       example='the school, several separated by ";", or "District"')
CONTACT_FACILITATOR = Field("Facilitator", ("Facilitator Name", "Staff", "Contact By", "By"),
                            required=True, example="a name from the Facilitators tab")
CONTACT_TYPE_FIELD = Field("Contact Type", ("Type", "Type of Contact", "Contact"), required=True,
                           example=CONTACT_TYPE.listing())
WITH = Field("With", ("Contacted", "Who", "Met With", "Attendees"))
NOTES = Field("Notes", ("Note", "Comments", "Summary"))
CONTACT_FIELDS = (CONTACT_DATE, CONTACT_SCHOOL, CONTACT_FACILITATOR, CONTACT_TYPE_FIELD, WITH, NOTES)

_SEPARATORS = re.compile(r"[;\n\r]+")
DISTRICT = name_key("District")


def read_contacts(grid: Grid | None, directory: Directory, settings: Settings, today: date,
                  issues: list[Issue]) -> list[Contact]:
    if grid is None:
        return []
    reader = TabReader(settings.tabs.contacts, grid, CONTACT_FIELDS, issues)
    year = settings.year
    contacts: list[Contact] = []
    seen: dict[tuple[date, str, str, str], int] = {}
    for row in reader.rows():
        schools, district = _schools(row, directory, settings)
        if not district and schools and not any(s in directory.active_names for s in schools):
            continue  # a contact only with inactive schools
        row.schools = schools
        day = row.day(CONTACT_DATE, settings.rules.day_first)
        facilitator = row.name(CONTACT_FACILITATOR, directory.facilitator_names,
                               settings.tabs.facilitators, "facilitator")
        kind = row.choice(CONTACT_TYPE_FIELD, CONTACT_TYPE, "Contact Type")
        future = day is not None and day > today
        if day is not None and future:
            row.issue("error", CONTACT_DATE.title, "contact.future-date",
                      f"This contact is dated {day.isoformat()}, after today "
                      f"({today.isoformat()}); it does not count until it has happened.",
                      "Check the date; log contacts once they have taken place.")
        elif day is not None and not year.start <= day <= year.end:
            row.issue("warning", CONTACT_DATE.title, "contact.outside-year",
                      f"This contact is dated outside the school year "
                      f"({year.start.isoformat()} to {year.end.isoformat()}).",
                      "Check the year in the date.")
        if day is not None and kind is not None:
            _check_duplicate(row, seen, day, schools, facilitator, kind)
        counts = day is not None and not future and kind is not None
        contacts.append(Contact(row.number, day, schools, facilitator, kind, district, counts))
    return contacts


def _schools(row: Row, directory: Directory, settings: Settings) -> tuple[tuple[str, ...], bool]:
    """The schools named in the cell (one, several, or `District` for district-level work)."""
    text = row.text(CONTACT_SCHOOL)
    names: list[str] = []
    district = False
    for part in _SEPARATORS.split(text):
        part = part.strip()
        if not part:
            continue
        if name_key(part) == DISTRICT:
            district = True
            continue
        found = row.known(CONTACT_SCHOOL, part, directory.school_names, settings.tabs.schools,
                          "school")
        if found is not None and found not in names:
            names.append(found)
    return tuple(names), district


def _check_duplicate(row: Row, seen: dict[tuple[date, str, str, str], int], day: date,
                     schools: tuple[str, ...], facilitator: str | None, kind: str) -> None:
    who = facilitator or ""
    earlier = [seen.setdefault((day, school, who, kind), row.number) for school in schools]
    first = min((r for r in earlier if r != row.number), default=None)
    if first is not None:
        row.issue("warning", CONTACT_DATE.title, "contact.duplicate",
                  f"Row {first} already logs a {kind} on {day.isoformat()} with the same "
                  f"school and facilitator.",
                  "Remove the repeated row, or correct its date, school or type.")
