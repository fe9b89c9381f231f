"""The one cell parser: dates, months, emails, text and loose names, by example and by property."""

from __future__ import annotations

import calendar
import math
from datetime import date, datetime, time, timedelta

import pytest
from email_validator import EmailNotValidError, validate_email
from hypothesis import example, given
from hypothesis import strategies as st

from sheets_sync.core import values
from sheets_sync.core.grid import RawValue, header_key, name_key
from sheets_sync.core.records import Period
from sheets_sync.core.values import (
    NameIndex,
    as_text,
    in_domains,
    is_blank,
    parse_day,
    parse_email,
    parse_period,
)
from sheets_sync.core.vocab import (
    CONTACT_TYPE,
    GOAL_TYPE,
    LEADERSHIP,
    ROLES,
    STATUS,
    YES_NO,
    Choices,
    InvolvementTypes,
)
from tests.core.grids import ANY_CELL

YEARS_DATES = st.dates(min_value=date(1950, 1, 1), max_value=date(2099, 12, 31))


# -- as_text -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        ("  Adams  ", "Adams"),
        ("0042", "0042"),
        (42.0, "42"),
        (42, "42"),
        (2.5, "2.5"),
        (True, "TRUE"),
        (False, "FALSE"),
        (date(2025, 10, 14), "2025-10-14"),
        (datetime(2025, 10, 14), "2025-10-14"),
        (datetime(2025, 10, 14, 9, 30), "2025-10-14 09:30"),
        (time(9, 5), "09:05"),
        (float("nan"), "nan"),
    ],
)
def test_as_text_shows_a_cell_as_people_see_it(value: RawValue, text: str) -> None:
    """Numbers lose a stray `.0`, codes keep leading zeros, a midnight datetime is just its day."""
    assert as_text(value) == text


def test_whitespace_only_cells_are_blank() -> None:
    """Spaces, tabs, line breaks and no-break spaces are blank; zero is not."""
    assert all(is_blank(v) for v in (None, "", "  ", "\t\n", "\u00a0"))
    assert not any(is_blank(v) for v in ("x", 0, 0.0, False))


# -- dates -------------------------------------------------------------------------------

SEP_15 = date(2025, 9, 15)


@pytest.mark.parametrize(
    "text",
    [
        "2025-09-15",
        "2025/9/15",
        "2025-09-15 10:30",
        "2025-09-15T10:30:00Z",
        "9/15/2025",
        "9/15/25",
        "09-15-2025",
        "9.15.2025",
        "Sept 15, 2025",
        "Sept 15,2025",
        "Sep. 15 2025",
        "September 15th, 2025",
        "Monday, September 15, 2025",
        "15 Sep 2025",
        "15-Sep-2025",
        "15th of September, 2025",
        "  SEP   15,   2025 ",
        "45915",
    ],
)
def test_date_shapes_people_type(text: str) -> None:
    """Every date shape of PRODUCT.md §1 (and a few more) reads as 15 September 2025."""
    assert parse_day(text) == SEP_15


@pytest.mark.parametrize(
    "value",
    [SEP_15, datetime(2025, 9, 15, 14, 0), 45915, 45915.0, 45915.75],
)
def test_real_dates_and_serial_numbers(value: RawValue) -> None:
    """Real dates, datetimes and spreadsheet serial numbers (fractions are times) are days."""
    assert parse_day(value) == SEP_15


@pytest.mark.parametrize(
    "value",
    [
        "",
        "soon",
        "13/45/2025",
        "2025-02-30",
        "Oct 2025",
        "Sept 2025",
        "2025",
        2025,
        12.5,
        True,
        time(9, 0),
        timedelta(days=3),
        float("nan"),
        float("inf"),
        10_000_000,
        "9/15",
    ],
)
def test_not_a_day(value: RawValue) -> None:
    """Impossible dates, bare years, months, times, booleans and stray numbers are not days."""
    assert parse_day(value) is None


def test_month_first_unless_day_first() -> None:
    """3/10/2025 is 10 March by default and 3 October when the config says day-first."""
    assert parse_day("3/10/2025") == date(2025, 3, 10)
    assert parse_day("3/10/2025", day_first=True) == date(2025, 10, 3)
    assert parse_day("2025-03-10", day_first=True) == date(2025, 3, 10)
    assert parse_day("15/9/2025") is None
    assert parse_day("15/9/2025", day_first=True) == SEP_15


def test_two_digit_years_read_like_spreadsheets() -> None:
    """00-29 are 20xx and 30-99 are 19xx, as Excel and Sheets read them."""
    assert parse_day("1/2/29") == date(2029, 1, 2)
    assert parse_day("1/2/30") == date(1930, 1, 2)
    assert parse_day("Jan 2, '26") == date(2026, 1, 2)


OCTOBER = Period(date(2025, 10, 1), date(2025, 10, 31))


@pytest.mark.parametrize(
    "text", ["Oct 2025", "October 2025", "oct. 2025", "Oct, 2025", "Oct '25", "2025-10", "10/2025"]
)
def test_months_mean_the_whole_month(text: str) -> None:
    """A month written alone is a period from its first day to its last."""
    assert parse_period(text) == OCTOBER


def test_period_of_a_day_and_of_february() -> None:
    """A day is a one-day period; a month knows its own length, leap years included."""
    assert parse_period("2025-10-14") == Period(date(2025, 10, 14), date(2025, 10, 14))
    assert parse_period("Feb 2028") == Period(date(2028, 2, 1), date(2028, 2, 29))
    assert parse_period("13/2025") is None
    assert parse_period("Smarch 2025") is None
    assert parse_period(7.0) is None


@given(YEARS_DATES)
def test_date_round_trips(day: date) -> None:
    """Any day of 1950..2099, written in every supported shape, parses back to itself."""
    abbr, name = calendar.month_abbr[day.month], calendar.month_name[day.month]
    serial = (day - date(1899, 12, 30)).days
    shapes: list[RawValue] = [
        day.isoformat(),
        f"{day.month}/{day.day}/{day.year}",
        f"{day.month:02}/{day.day:02}/{day.year}",
        f"{abbr} {day.day}, {day.year}",
        f"{name} {day.day} {day.year}",
        f"{day.day} {abbr} {day.year}",
        f"{day.day} {name}, {day.year}",
        serial,
        float(serial),
        str(serial),
        day,
        datetime(day.year, day.month, day.day, 12, 0),
    ]
    for shape in shapes:
        assert parse_day(shape) == day, shape
        assert parse_period(shape) == Period(day, day), shape
    assert parse_day(f"{day.day}/{day.month}/{day.year}", day_first=True) == day


@given(ANY_CELL, st.booleans())
@example("2025-13-01", False)
@example("99999999999999999999/1/2025", False)
@example("٢٠٢٥-٠٩-١٥", False)
def test_date_parsers_never_raise(value: RawValue, day_first: bool) -> None:
    """No value of any type makes the date parsers raise; a found day is a real date."""
    day = parse_day(value, day_first)
    period = parse_period(value, day_first)
    assert day is None or isinstance(day, date)
    assert period is None or period.first <= period.last
    if day is not None:
        assert period == Period(day, day)


@given(ANY_CELL)
def test_as_text_never_raises_and_is_trimmed(value: RawValue) -> None:
    """Any cell turns into text, with no surrounding whitespace."""
    text = as_text(value)
    assert text == text.strip()
    assert (text == "") == is_blank(value)


# -- emails ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("jane.doe@District.ORG", "jane.doe@district.org"),
        ("  Jane.Doe+atp@school.k12.co.us ", "Jane.Doe+atp@school.k12.co.us"),
        ("Jane Doe <jane@school.org>", "jane@school.org"),
        ("mailto:jane@school.org", "jane@school.org"),
        ("Info@School.org", "info@school.org"),
        ("josé@école.fr", "josé@école.fr"),
    ],
)
def test_valid_emails_are_normalised(text: str, address: str) -> None:
    """Display names and `mailto:` are dropped; the domain (not the mailbox) is lower-cased."""
    assert parse_email(text) == address


@pytest.mark.parametrize(
    "text",
    [
        "jane",
        "jane@",
        "@school.org",
        "jane@school",
        "jane doe@school.org",
        "jane@school..org",
        "a@b.org; c@d.org",
        "jane@localhost",
        "jane@school.test",
        "jane@ab--cd.org",
        "jane@xn--abc.org",
        ".jane@school.org",
        "jane@-school.org",
    ],
)
def test_invalid_emails(text: str) -> None:
    """Addresses that are incomplete, doubled, reserved or malformed are not addresses."""
    assert parse_email(text) is None


def _agrees_with_email_validator(text: str) -> None:
    if not values._fast_accepts(text):
        return
    try:
        checked = validate_email(text, check_deliverability=False)
    except EmailNotValidError as error:  # pragma: no cover - the failure message
        pytest.fail(f"fast path accepts {text!r}, email-validator does not: {error}")
    assert parse_email(text) == checked.normalized


LABEL = st.from_regex(r"[a-zA-Z0-9]([a-zA-Z0-9-]{0,8}[a-zA-Z0-9])?", fullmatch=True)
ADDRESSES = st.builds(
    lambda local, labels, tld: f"{local}@{'.'.join(labels)}.{tld}",
    st.one_of(
        st.from_regex(r"[a-zA-Z0-9!#$%&'*+/=?^_`{|}~.-]{1,20}", fullmatch=True),
        st.sampled_from(["info", "Sales", "POSTMASTER", "www", "jane.doe", "a" * 65]),
    ),
    st.lists(
        st.one_of(LABEL, st.sampled_from(["xn--abc", "xn--bcher-kva", "ab--cd", "a" * 64])),
        min_size=1,
        max_size=3,
    ),
    st.one_of(
        st.from_regex(r"[a-zA-Z]{1,6}", fullmatch=True),
        st.sampled_from(["test", "local", "onion", "arpa", "invalid", "localhost"]),
    ),
)


@given(st.one_of(ADDRESSES, st.from_regex(values._PLAIN_EMAIL, fullmatch=True)))
@example("Info@school.org")
@example("jane@ab--cd.org")
@example("jane@xn--abc.org")
def test_fast_path_agrees_with_email_validator(text: str) -> None:
    """What the fast path accepts, email-validator accepts too, with the same normalised form."""
    _agrees_with_email_validator(text)


@given(st.text())
def test_parse_email_never_raises(text: str) -> None:
    """Any text gives an address or None, and an address has one @ with text on both sides."""
    _agrees_with_email_validator(text)
    found = parse_email(text)
    if found is not None:
        local, at, domain = found.rpartition("@")
        assert local
        assert at
        assert "." in domain


def test_domains_include_subdomains() -> None:
    """An allowed domain covers its subdomains but not look-alike domains."""
    assert in_domains("a@district.org", ["district.org"])
    assert in_domains("a@mail.District.org", ["district.org"])
    assert not in_domains("a@baddistrict.org", ["district.org"])
    assert not in_domains("a@district.org.evil.com", ["district.org"])


# -- names and choices -------------------------------------------------------------------


def test_names_match_ignoring_case_spaces_and_punctuation() -> None:
    """`adams  elementary.` finds `Adams Elementary`; the first spelling is the canonical one."""
    index = NameIndex(["Adams Elementary", "St. Mary's Academy", "ADAMS ELEMENTARY"])
    assert index.find("  adams  elementary. ") == "Adams Elementary"
    assert index.find("ADAMS ELEMENTARY") == "Adams Elementary"
    assert index.find("ST MARYS ACADEMY") == "St. Mary's Academy"
    assert index.find("Adams") is None


def test_did_you_mean_suggestions() -> None:
    """A typo or a shortened name suggests the nearest known name; nonsense suggests nothing."""
    index = NameIndex(["Adams Elementary", "Baker Middle", "Cole High"])
    assert index.suggest("Adams Elementry") == "Adams Elementary"
    assert index.suggest("Baker") == "Baker Middle"
    assert index.suggest("Zebra Academy") is None
    assert index.suggest("...") is None


def test_headers_ignore_a_trailing_optional() -> None:
    """`E-mail (optional)` and `email` are the same header; `(optional)` mid-header is kept."""
    assert header_key("E-mail (Optional)") == header_key("email") == name_key("Email")
    assert header_key("Grade Levels  ( optional )") == "gradelevels"


@pytest.mark.parametrize(
    ("choices", "text", "word"),
    [
        (ROLES, "PTA/PTO", "Parent/Family"),
        (ROLES, "pto", "Parent/Family"),
        (ROLES, "Guardian", "Parent/Family"),
        (ROLES, "assistant principal", "Administrator"),
        (ROLES, "Business Partner", "Community"),
        (ROLES, "Community Partner", "Community"),
        (ROLES, "counselor", "Staff"),
        (ROLES, "Nurse", "Staff"),
        (ROLES, "Social Worker", "Staff"),
        (ROLES, "Parent Liaison", "Staff"),
        (ROLES, "parent / family", "Parent/Family"),
        (LEADERSHIP, "co chair", "Co-chair"),
        (LEADERSHIP, "CO-CHAIR", "Co-chair"),
        (GOAL_TYPE, "Behavioral", "Behavior"),
        (GOAL_TYPE, "Non-academic", "Behavior"),
        (GOAL_TYPE, "partnership", "Climate of Partnership"),
        (GOAL_TYPE, "Climate", "Climate of Partnership"),
        (STATUS, "canceled", "Cancelled"),
        (CONTACT_TYPE, "e-mail", "Email"),
        (CONTACT_TYPE, "site visit", "Site Visit"),
        (YES_NO, "n", "No"),
        (YES_NO, "FALSE", "No"),
    ],
)
def test_choice_aliases(choices: Choices, text: str, word: str) -> None:
    """The aliases of PRODUCT.md §1 find their word, whatever the case or punctuation."""
    assert choices.find(text) == word


@pytest.mark.parametrize(
    ("framework", "text", "number"),
    [
        ("nnps", "4", 4),
        ("nnps", "Type 4", 4),
        ("nnps", "type4", 4),
        ("nnps", "4 - Learning at Home", 4),
        ("nnps", "Learning at home", 4),
        ("nnps", "Decision-Making", 5),
        ("nnps", "Collaborating with the Community", 6),
        ("nnps", "Collaborating with Community", 6),
        ("pta", "1", 1),
        ("pta", "Welcoming All Families into the School Community", 1),
        ("pta", "Welcoming all families", 1),
        ("pta", "Communicating", 2),
        ("pta", "Communicating Effectively", 2),
        ("pta", "Standard 4", 4),
        ("pta", "Speaking Up", 4),
        ("pta", "Sharing Power", 5),
        ("pta", "Collaborating with Community", 6),
    ],
)
def test_involvement_types_of_both_frameworks(framework: str, text: str, number: int) -> None:
    """Number, name, short name or `Type N` each name the type."""
    assert InvolvementTypes(framework).find(text) == number  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["7", "0", "4 Parenting", "4th grade", "Type 4.5", "Sharing", ""])
def test_not_an_involvement_type(text: str) -> None:
    """Numbers outside 1-6, contradictions and partial names name no type."""
    assert InvolvementTypes("nnps").find(text) is None


def test_involvement_labels() -> None:
    """Types are shown as `N Short name` in messages and dropdowns."""
    assert InvolvementTypes("nnps").name(6) == "6 Collaborating with Community"
    assert InvolvementTypes("pta").labels()[0] == "1 Welcoming All Families"


@given(st.text(), st.sampled_from(["nnps", "pta"]))
def test_finders_never_raise(text: str, framework: str) -> None:
    """No text makes a choice finder or the name index raise."""
    for choices in (ROLES, LEADERSHIP, GOAL_TYPE, STATUS, CONTACT_TYPE, YES_NO):
        found = choices.find(text)
        assert found is None or found in choices.words
    number = InvolvementTypes(framework).find(text)  # type: ignore[arg-type]
    assert number is None or 1 <= number <= 6
    index = NameIndex(["Adams Elementary", "Baker Middle"])
    index.find(text)
    index.suggest(text)


def test_nan_is_not_a_number_of_anything() -> None:
    """NaN neither parses as a serial date nor shows as a number."""
    assert parse_day(math.nan) is None
    assert as_text(math.nan) == "nan"


# -- days written without their year --------------------------------------------------------


@given(
    st.dates(min_value=date(2000, 8, 1), max_value=date(2098, 7, 31)),
    st.integers(min_value=0, max_value=333),
    st.sampled_from(["{mon} {d}", "{d} {mon}", "{month} {d}", "{m}/{d}", "{mon}. {d}th"]),
)
def test_a_day_without_its_year_is_the_one_inside_the_school_year(
    start: date, offset: int, shape: str
) -> None:
    """Any day of the 334 from the year's start, written without its year, reads back as
    itself given the start (and as nothing without it)."""
    day = start + timedelta(days=offset)
    written = shape.format(
        mon=calendar.month_abbr[day.month],
        month=calendar.month_name[day.month],
        d=day.day,
        m=day.month,
    )
    assert values.parse_day(written, False, start) == day
    assert values.parse_day(written) is None


@given(ANY_CELL, st.booleans(), st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 1, 1)))
def test_a_year_start_never_makes_a_dated_cell_read_otherwise(
    value: RawValue, day_first: bool, start: date
) -> None:
    """The year start only fills in a missing year: whatever reads without it reads the same."""
    alone = values.parse_day(value, day_first)
    if alone is not None:
        assert values.parse_day(value, day_first, start) == alone
