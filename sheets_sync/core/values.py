"""One parser for every backend: raw cell values in, meaning out.

Backends hand over what the spreadsheet holds (text, numbers, serial dates, real
dates); everything here is pure and memoised, because the same values (school
names, roles, dates) repeat on thousands of rows.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from functools import cached_property, lru_cache
from itertools import chain

from email_validator import EmailNotValidError, validate_email
from email_validator.rfc_constants import CASE_INSENSITIVE_MAILBOX_NAMES

from sheets_sync.core.grid import RawValue, name_key
from sheets_sync.core.months import month_first, month_index, month_last, month_number
from sheets_sync.core.records import Period

# Spreadsheet day 0 (the 1900 system, counting Lotus's phantom 29 Feb 1900).
_EPOCH = date(1899, 12, 30)
# Serials outside 1950..2099 are far more likely a typo than a date.
_SERIAL_MIN = (date(1950, 1, 1) - _EPOCH).days
_SERIAL_MAX = (date(2099, 12, 31) - _EPOCH).days


def to_serial(day: date | datetime) -> float:
    """A date as the day number spreadsheets store (the time of day as a fraction)."""
    if isinstance(day, datetime):
        delta = day.replace(tzinfo=None) - datetime.combine(_EPOCH, datetime.min.time())
        return delta.days + delta.seconds / 86_400 + delta.microseconds / 86_400e6
    return float((day - _EPOCH).days)


_MONTH_WORD = r"([a-z]{3,9})\.?"
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?\s+)?"
_TIME = r"(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:am|pm)?z?)?"

_ISO = re.compile(rf"(\d{{4}})[-/.](\d{{1,2}})[-/.](\d{{1,2}}){_TIME}")
_NUMERIC = re.compile(rf"(\d{{1,2}})[/.-](\d{{1,2}})[/.-](\d{{4}}|\d{{2}}){_TIME}")
_BEFORE_YEAR = r"(?:\s?,\s?|[\s-]+)"  # "15 2025", "15, 2025", "15,2025", "15-2025"
_MONTH_DAY_YEAR = re.compile(
    rf"{_WEEKDAY}{_MONTH_WORD}[\s-]+(\d{{1,2}})(?:st|nd|rd|th)?{_BEFORE_YEAR}(\d{{4}}|'?\d{{2}}){_TIME}"
)
_DAY_MONTH_YEAR = re.compile(
    rf"{_WEEKDAY}(\d{{1,2}})(?:st|nd|rd|th)?[\s-]+(?:of\s+)?{_MONTH_WORD}{_BEFORE_YEAR}(\d{{4}}|'?\d{{2}}){_TIME}"
)
_MONTH_YEAR = re.compile(rf"{_MONTH_WORD}[\s,/-]+(\d{{4}}|'\d{{2}})")
_YEAR_MONTH = re.compile(r"(\d{4})[-/.](\d{1,2})")
_MONTH_SLASH_YEAR = re.compile(r"(\d{1,2})[/.-](\d{4})")
_SERIAL_TEXT = re.compile(r"\d{5}(?:\.\d+)?")
# Days written without a year, read inside the school year: "jan 5", "1 dec", "12/1".
_MONTH_DAY = re.compile(rf"{_WEEKDAY}{_MONTH_WORD}[\s-]+(\d{{1,2}})(?:st|nd|rd|th)?")
_DAY_MONTH = re.compile(rf"{_WEEKDAY}(\d{{1,2}})(?:st|nd|rd|th)?[\s-]+(?:of\s+)?{_MONTH_WORD}")
_NUMERIC_NO_YEAR = re.compile(r"(\d{1,2})/(\d{1,2})")
_SPACES = re.compile(r"\s+")


def as_text(value: RawValue) -> str:
    """A cell as the text a person sees: numbers without a stray `.0`, dates in ISO."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        # A time object is truthy even at midnight, so compare: a bare day shows as a day.
        if value.time() == time():
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return str(value)


def is_blank(value: RawValue) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


@lru_cache(maxsize=65536, typed=True)
def parse_day(
    value: RawValue, day_first: bool = False, year_start: date | None = None
) -> date | None:
    """A cell as a calendar day, or None when it is not one (a month alone is not a day).

    Given the school year's first day, a day written without its year ("Jan 5", "1 Dec",
    "12/1") is read as the one inside the year that starts then."""
    if isinstance(value, bool) or value is None or isinstance(value, (time, timedelta)):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)):
        return _from_serial(value)
    text = _SPACES.sub(" ", value.strip().casefold())
    found = _day_from_text(text, day_first)
    if found is None and year_start is not None:
        return _day_without_year(text, day_first, year_start)
    return found


@lru_cache(maxsize=65536, typed=True)
def parse_period(
    value: RawValue, day_first: bool = False, year_start: date | None = None
) -> Period | None:
    """A day, or a whole month written as `Oct 2025`, `October 2025`, `2025-10` or `10/2025`."""
    day = parse_day(value, day_first, year_start)
    if day is not None:
        return Period(day, day)
    if not isinstance(value, str):
        return None
    text = _SPACES.sub(" ", value.strip().casefold())
    if found := _MONTH_YEAR.fullmatch(text):
        return _month(month_number(found.group(1)), _year(found.group(2)))
    if found := _YEAR_MONTH.fullmatch(text):
        return _month(int(found.group(2)), int(found.group(1)))
    if found := _MONTH_SLASH_YEAR.fullmatch(text):
        return _month(int(found.group(1)), int(found.group(2)))
    return None


def _from_serial(serial: float) -> date | None:
    if not _SERIAL_MIN <= serial <= _SERIAL_MAX:
        return None
    return _EPOCH + timedelta(days=int(serial))


def _day_from_text(text: str, day_first: bool) -> date | None:
    if found := _ISO.fullmatch(text):
        year, month, day = (int(g) for g in found.groups())
        return _date(year, month, day)
    if found := _NUMERIC.fullmatch(text):
        first, second = int(found.group(1)), int(found.group(2))
        month, day = (second, first) if day_first else (first, second)
        return _date(_year(found.group(3)), month, day)
    if found := _MONTH_DAY_YEAR.fullmatch(text):
        return _named(found.group(1), found.group(2), found.group(3))
    if found := _DAY_MONTH_YEAR.fullmatch(text):
        return _named(found.group(2), found.group(1), found.group(3))
    if _SERIAL_TEXT.fullmatch(text):
        return _from_serial(float(text))
    return None


def _day_without_year(text: str, day_first: bool, year_start: date) -> date | None:
    if found := _MONTH_DAY.fullmatch(text):
        month, day = month_number(found.group(1)), int(found.group(2))
    elif found := _DAY_MONTH.fullmatch(text):
        month, day = month_number(found.group(2)), int(found.group(1))
    elif found := _NUMERIC_NO_YEAR.fullmatch(text):
        first, second = int(found.group(1)), int(found.group(2))
        month, day = (second, first) if day_first else (first, second)
    else:
        return None
    if month is None or not 1 <= month <= 12:
        return None
    on_or_after_start = (month, day) >= (year_start.month, year_start.day)
    return _date(year_start.year if on_or_after_start else year_start.year + 1, month, day)


def _named(month_word: str, day: str, year: str) -> date | None:
    month = month_number(month_word)
    return None if month is None else _date(_year(year), month, int(day))


def _year(text: str) -> int:
    """Four digits as written; two digits the way spreadsheets read them (00-29 -> 20xx)."""
    digits = int(text.lstrip("'"))
    if len(text.lstrip("'")) == 4:
        return digits
    return 2000 + digits if digits < 30 else 1900 + digits


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month(month: int | None, year: int) -> Period | None:
    if month is None or not 1 <= month <= 12 or not 1900 <= year <= 2099:
        return None
    index = month_index(date(year, month, 1))
    return Period(month_first(index), month_last(index))


# Addresses as schools write them: a fast, strict pattern decides the common case; anything it
# does not accept goes to email-validator, whose verdict is final (tests hold the two together).
_PLAIN_EMAIL = re.compile(
    r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}",
    re.IGNORECASE,
)
_SPECIAL_USE = ("arpa", "invalid", "local", "localhost", "onion", "test")
# RFC 2142 mailboxes (`Info@`), which email-validator lower-cases: left to it.
_CASE_INSENSITIVE = frozenset(CASE_INSENSITIVE_MAILBOX_NAMES)


@lru_cache(maxsize=65536)
def parse_email(text: str) -> str | None:
    """The address in a cell (`mailto:` and `Name <addr>` forms accepted), or None if invalid."""
    address = text.strip()
    if address.endswith(">") and "<" in address:
        address = address[address.rindex("<") + 1 : -1].strip()
    if address[:7].casefold() == "mailto:":
        address = address[7:].strip()
    if _fast_accepts(address):
        local, _, domain = address.rpartition("@")
        return f"{local}@{domain.lower()}"
    try:
        return validate_email(address, check_deliverability=False).normalized
    except EmailNotValidError:
        return None


def _fast_accepts(address: str) -> bool:
    if len(address) > 254 or not _PLAIN_EMAIL.fullmatch(address):
        return False
    local, _, domain = address.rpartition("@")
    # "--" in a label is Punycode or an invalid R-LDH label: email-validator decides those.
    return (
        len(local) <= 64
        and "--" not in domain
        and local.lower() not in _CASE_INSENSITIVE
        and domain.rsplit(".", 1)[-1].lower() not in _SPECIAL_USE
    )


def email_domain(address: str) -> str:
    return address.rpartition("@")[2].lower()


def in_domains(address: str, domains: Iterable[str]) -> bool:
    """Whether the address is in one of the domains or a subdomain of one."""
    domain = email_domain(address)
    return any(domain == d or domain.endswith("." + d) for d in domains)


_CANDIDATES = 32


def _trigrams(key: str) -> set[str]:
    padded = f"  {key} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


class NameIndex:
    """Canonical names (schools, facilitators), found again however people type them."""

    def __init__(self, names: Iterable[str]) -> None:
        self._by_key: dict[str, str] = {}
        self._suggested: dict[str, str | None] = {}  # the same typo tends to repeat
        for name in names:
            self._by_key.setdefault(name_key(name), name)

    def find(self, text: str) -> str | None:
        return self._by_key.get(name_key(text))

    @cached_property
    def _by_trigram(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for key in self._by_key:
            for trigram in _trigrams(key):
                found.setdefault(trigram, []).append(key)
        return found

    def suggest(self, text: str) -> str | None:
        """The nearest known name, for a "did you mean" (None when nothing is close)."""
        key = name_key(text)
        if key not in self._suggested:
            self._suggested[key] = self._nearest(key) if key else None
        return self._suggested[key]

    def _nearest(self, key: str) -> str | None:
        # difflib over thousands of names costs milliseconds: compare only the names that
        # share the most trigrams with the key (any close match shares many).
        shared = Counter(chain.from_iterable(self._by_trigram.get(t, ()) for t in _trigrams(key)))
        candidates = [k for k, _ in shared.most_common(_CANDIDATES)]
        close = difflib.get_close_matches(key, candidates, n=1, cutoff=0.75)
        if not close:
            starts = [k for k in self._by_key if k.startswith(key) or key.startswith(k)]
            close = starts[:1] if len(starts) == 1 else []
        return self._by_key[close[0]] if close else None


# Characters that do not show, or change how the text around them shows: controls (but tab
# and line breaks), DEL and the C1 controls (a terminal obeys ESC sequences), and the marks
# and overrides that reverse text (a name can read as another).
HIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def has_hidden(text: str) -> bool:
    """Whether `text` holds a character of HIDDEN (printable text is checked in C only)."""
    return not text.isprintable() and HIDDEN.search(text) is not None


def visible(text: str) -> str:
    """`text` with each hidden character written out as <U+XXXX>, so it shows and acts on
    nothing: for every text that quotes a cell or reaches a terminal."""
    return HIDDEN.sub(lambda m: f"<U+{ord(m[0]):04X}>", text) if has_hidden(text) else text
