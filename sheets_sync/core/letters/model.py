"""What the letters are made of: the letter itself, the words from config, the periods due."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Final
from urllib.parse import quote

from sheets_sync.core.months import MONTH_ABBR, MONTH_NAMES

FACILITATOR_DIGEST: Final = "facilitator-digest"
PRINCIPAL_SUMMARY: Final = "principal-summary"
DISTRICT_SUMMARY: Final = "district-summary"
YEAR_SUMMARY: Final = "year-summary"  # once, when an ended year's record is written

_WEEK = re.compile(r"(\d{4})-W(\d{2})")
_MONTH = re.compile(r"(\d{4})-(\d{2})")


@dataclass(frozen=True)
class Letter:
    """One message for one recipient, rendered; the mail adapter sends it as it is."""

    key: str  # the ledger's key: `facilitator-digest / ann@district.org / 2026-W47`
    kind: str  # facilitator-digest, principal-summary or district-summary
    to: str  # one address
    to_name: str  # on one line; may be ""
    subject: str  # on one line, no personal data
    text: str  # the plain-text part
    html: str  # the HTML part, CSS inlined


@dataclass(frozen=True)
class ContactForm:
    """The district's Google Form for logging a contact, and the entry ids of the questions a
    digest's "Log contact" link fills in (a blank id: that question is left for the person)."""

    url: str = ""  # the Form's address up to `/viewform`, without a query; blank: no links
    school_entry: str = ""  # `entry.1234567`
    facilitator_entry: str = ""
    date_entry: str = ""

    def link(self, school: str, facilitator: str, day: date) -> str:
        """The Form opened with `school`, `facilitator` and `day` filled in, as Forms' own
        "Get pre-filled link" writes it (a date as YYYY-MM-DD); "" without a Form."""
        if not self.url:
            return ""
        answers = (
            (self.school_entry, school),
            (self.facilitator_entry, facilitator),
            (self.date_entry, day.isoformat()),
        )
        query = "".join(f"&{entry}={quote(value, safe='')}" for entry, value in answers if entry)
        return f"{self.url}?usp=pp_url{query}"


@dataclass(frozen=True)
class Words:
    """What the letters say that comes from config rather than from the workbook."""

    district: str = ""
    team_name: str = "Action Team for Partnerships"
    team_short: str = "ATP"
    workbook_url: str = ""
    # Input tab (as the config names it) -> a link opening it at a cell, up to the cell's
    # reference (`…#gid=7&range=`); only where the workbook is on the web.
    cell_links: Mapping[str, str] = field(default_factory=dict)
    contact_form: ContactForm = ContactForm()  # "Log contact" links in the facilitator digest
    allowed_domains: tuple[str, ...] = ()  # lower case; empty: every domain
    district_recipients: tuple[str, ...] = ()  # `addr` or `Name <addr>`


@dataclass(frozen=True)
class DueKinds:
    """The period id due now for each kind of letter (`2026-W47`, `2026-11`); None: not due."""

    facilitator_week: str | None = None
    principal_month: str | None = None
    district_week: str | None = None


def letter_key(kind: str, address: str, period: str) -> str:
    """`facilitator-digest / ann@district.org / 2026-W47`, as the ledger records it."""
    return f"{kind} / {address.strip().lower()} / {period}"


def one_line(text: str) -> str:
    """Text for a subject or a header: every run of whitespace (CR and LF among it) one space."""
    return " ".join(text.split())


def week_monday(period: str) -> date:
    """The Monday of an ISO week id such as `2026-W47`."""
    found = _WEEK.fullmatch(period)
    if found is None:
        raise ValueError(f"{period!r} is not an ISO week such as 2026-W47")
    return date.fromisocalendar(int(found[1]), int(found[2]), 1)


def month_title(period: str) -> str:
    """`November 2025` for the month id `2025-11`."""
    found = _MONTH.fullmatch(period)
    if found is None or not 1 <= int(found[2]) <= 12:
        raise ValueError(f"{period!r} is not a month such as 2025-11")
    return f"{MONTH_NAMES[int(found[2]) - 1]} {found[1]}"


def short_day(day: date) -> str:
    """`Nov 24`, for a subject."""
    return f"{MONTH_ABBR[day.month - 1]} {day.day}"


def long_day(day: date) -> str:
    """`Nov 24, 2025`, for a letter's body."""
    return f"{short_day(day)}, {day.year}"


def plural(count: int, noun: str, many: str = "") -> str:
    """`1 school`, `3 schools`; `many` for a noun that is not made plural with an s."""
    return f"{count} {noun if count == 1 else many or noun + 's'}"
