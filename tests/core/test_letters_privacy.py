"""What letters never say: another school's name to a principal, or a family member's or
student's name, phone or email to anyone (PRODUCT.md §5)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from sheets_sync.core.cycle import evaluate
from sheets_sync.core.grid import RawValue, name_key
from sheets_sync.core.issues import Issue
from sheets_sync.core.letters import DueKinds, Letter, Words, compose
from sheets_sync.core.letters.privacy import ANOTHER_SCHOOL, WITHHELD, Redactor, issue_meaning
from sheets_sync.core.records import Member
from sheets_sync.core.settings import Rules, Settings, TabNames
from tests.core.grids import (
    CONTACTS_HEADER,
    FACILITATORS_HEADER,
    PLAN_HEADER,
    ROSTER_HEADER,
    SCHOOLS_HEADER,
    grid,
)
from tests.core.test_letters import TEMPLATES
from tests.core.test_letters_render import html_text

# -- the redactor -----------------------------------------------------------------------------


def member(name: str, role: str | None, email: str | None = None) -> Member:
    return Member("Adams", 2, name, role, "Member", email)


def test_family_members_and_students_are_withheld_from_free_text() -> None:
    """Their names (any case and spacing) and emails go; staff names stay."""
    redact = Redactor.for_members(
        [
            member("Fay Family", "Parent/Family", "fay@example.com"),
            member("Stu Dent", "Student"),
            member("Una Known", None),
            member("Tom Teacher", "Teacher", "tom@district.org"),
        ]
    )
    assert redact("Coffee with fay  FAMILY, Stu Dent and Una Known; Tom Teacher hosts") == (
        f"Coffee with {WITHHELD}, {WITHHELD} and {WITHHELD}; Tom Teacher hosts"
    )
    assert redact("Fay Familyson") == "Fay Familyson"  # a whole name only


def test_addresses_and_phone_numbers_are_withheld_from_free_text() -> None:
    """Any address or telephone number typed into a cell; dates and grade spans stay."""
    redact = Redactor.for_members([])
    assert redact("RSVP fay@example.com or (303) 555-0134, +1 303.555.0134, 555-0100") == (
        f"RSVP {WITHHELD} or {WITHHELD}, {WITHHELD}, {WITHHELD}"
    )
    assert redact("Grades 3-5, 2025-2026, on 2025-11-14") == "Grades 3-5, 2025-2026, on 2025-11-14"


def test_one_schools_redactor_withholds_the_others_but_not_its_own_name() -> None:
    """ "Lincoln" inside "Lincoln Elementary" is the school's own name; alone it is another's."""
    schools = ["Lincoln", "Lincoln Elementary", "Elementary School West"]
    district = Redactor.for_members([]).with_schools(schools)
    own = district.for_school("Lincoln Elementary")
    assert own("Lincoln Elementary night with Lincoln") == (
        f"Lincoln Elementary night with {ANOTHER_SCHOOL}"
    )
    # Read either way, as its own name or as another's: all of it goes, since the "Lincoln"
    # left over would be the school "Lincoln".
    assert own("Lincoln Elementary School West") == ANOTHER_SCHOOL
    short = district.for_school("Lincoln")
    assert short("Lincoln visits Lincoln Elementary") == f"Lincoln visits {ANOTHER_SCHOOL}"


def test_names_across_the_schools_own_name() -> None:
    """Found by the property below: "Zorvik Quellan" inside its own name said twice is made of
    its own words and stays; "Zorvik Zorvik" across its name takes the whole run with it."""
    schools = ["Quellan Zorvik", "Zorvik Quellan", "Zorvik Zorvik", "Quellan", "Zorvik"]
    own = Redactor.for_members([]).with_schools(schools).for_school("Quellan Zorvik")
    twice = "Family night Quellan Zorvik Quellan Zorvik"
    assert own(twice) == twice
    assert own("Family night Quellan Zorvik Zorvik") == f"Family night {ANOTHER_SCHOOL}"


def test_every_code_the_core_reports_has_plain_words() -> None:
    """No issue is shown by its bare code."""
    codes = (
        "tab.missing",
        "tab.empty",
        "column.missing",
        "column.duplicate",
        "cell.required",
        "cell.bad-date",
        "cell.bad-email",
        "cell.bad-choice",
        "school.unknown",
        "facilitator.unknown",
        "school.duplicate",
        "facilitator.duplicate",
        "roster.empty",
        "roster.too-small",
        "roster.large",
        "roster.no-chair",
        "roster.chair-no-email",
        "roster.no-principal",
        "roster.few-teachers",
        "roster.few-families",
        "roster.no-community",
        "roster.few-students",
        "roster.duplicate-member",
        "roster.term-ended",
        "plan.empty",
        "plan.goal-mix",
        "plan.types-missing",
        "plan.date-outside-year",
        "plan.stale-planned",
        "contact.future-date",
        "contact.outside-year",
        "contact.duplicate",
        "email.outside-domain",
    )
    for code in codes:
        issue = Issue("error", "Team Roster", "A2", code, "", "")
        assert not issue_meaning(issue, Rules(), TabNames()).startswith("A problem ("), code
    assert issue_meaning(
        Issue("error", "X", "A1", "roster.too-small", "", ""), Rules(), TabNames()
    ) == ("The team has fewer than 6 members.")


# -- districts of any names -------------------------------------------------------------------

# No token is inside another, none is in a template's words, and some need escaping in HTML.
TOKENS = ("Zorvik", "Quellan", "Brasko", "Tindale", "Mervyn", "O'Dare", "A&B", "<Yel>", "Östby")
FIRST = ("Wren", "Idris", "Soren", "Maelis", "Tavi")
LAST = ("Kettleby", "Marchetti", "Ostrova", "Fenwright", "Quist")
TODAY = date(2025, 11, 20)
WEEK, MONTH = "2025-W47", "2025-11"
SETTINGS = Settings()


@dataclass(frozen=True)
class Person:
    name: str
    phone: str
    email: str


@dataclass(frozen=True)
class District:
    book: dict[str, list[list[RawValue]]]
    schools: tuple[str, ...]  # every school, active or not
    principals: dict[str, str]  # principal's address -> school
    private: tuple[Person, ...]  # family members and students


school_names = st.lists(
    st.lists(st.sampled_from(TOKENS), min_size=1, max_size=3).map(" ".join),
    min_size=2,
    max_size=5,
    unique_by=name_key,
)


@st.composite
def districts(draw: st.DrawFn) -> District:
    names = draw(school_names)
    active = [draw(st.booleans()) or i == 0 for i in range(len(names))]
    people = iter(
        Person(f"{f} {la}", f"303-555-01{i:02d}", f"{f}.{la}@example.net".lower())
        for i, (f, la) in enumerate(draw(st.permutations([(f, la) for f in FIRST for la in LAST])))
    )
    schools: list[list[RawValue]] = []
    roster: list[list[RawValue]] = []
    plan: list[list[RawValue]] = []
    log: list[list[RawValue]] = []
    private: list[Person] = []
    principals: dict[str, str] = {}
    for i, (name, is_active) in enumerate(zip(names, active, strict=True)):
        email = f"p{i}@district.org"
        schools.append(
            [
                name,
                "",
                "HS",
                f"Principal {i}",
                email,
                ("Fran Facil", "Gil Guide")[i % 2],
                "",
                "Yes" if is_active else "No",
            ]
        )
        if is_active:
            principals[email] = name
        family = [next(people) for _ in range(3)]
        private += family
        roster += [
            [name, f"Chair {i}", "Teacher", "Chair", f"chair{i}@district.org", "", "", ""],
            [name, family[0].name, "Parent", "", family[0].email, family[0].phone, "", ""],
            [name, family[1].name, "Guardian", "", family[1].email, family[1].phone, "", ""],
            [name, family[2].name, "Student", "", family[2].email, family[2].phone, "", ""],
        ]
        # Free text as schools type it: their own name, others', a family member's details.
        fragments = [
            name,
            *names,
            *(getattr(p, f) for p in family for f in ("name", "phone", "email")),
        ]
        for _ in range(draw(st.integers(0, 3))):
            words = draw(st.lists(st.sampled_from(fragments), max_size=3))
            day = TODAY + timedelta(days=draw(st.integers(-25, 30)))
            plan.append(
                [
                    name,
                    "Reading",
                    "Academic",
                    " ".join(["Family night", *words]),
                    draw(st.integers(1, 6)),
                    day.isoformat(),
                    family[0].name,
                    draw(st.sampled_from(["", "Done"])),
                    "",
                    "",
                ]
            )
        for day in draw(st.lists(st.dates(date(2025, 8, 1), date(2025, 12, 20)), max_size=3)):
            shared = draw(st.lists(st.sampled_from(names), max_size=2))
            log.append(
                [
                    day.isoformat(),
                    "; ".join(dict.fromkeys([name, *shared])),
                    "Fran Facil",
                    draw(st.sampled_from(["Site Visit", "Cluster Meeting", "Zoom"])),
                    family[1].name,
                    family[1].phone,
                ]
            )
        if draw(st.booleans()):  # a family member's name typed where a school goes
            log.append([TODAY.isoformat(), family[2].name, "Gil Guide", "Phone", "", ""])
    book = {
        "Schools": grid(SCHOOLS_HEADER, schools),
        "Facilitators": grid(
            FACILITATORS_HEADER,
            [["Fran Facil", "fran@district.org"], ["Gil Guide", "gil@district.org"]],
        ),
        "Team Roster": grid(ROSTER_HEADER, roster),
        "Action Plan": grid(PLAN_HEADER, plan),
        "Contact Log": grid(CONTACTS_HEADER, log),
    }
    return District(book, tuple(names), principals, tuple(private))


def compose_all(district: District) -> list[Letter]:
    evaluation = evaluate(dict(district.book), SETTINGS, TODAY)
    words = Words(district="Northfield District", district_recipients=("dee@district.org",))
    due = DueKinds(WEEK, MONTH, WEEK)
    return compose(evaluation, SETTINGS, words, due, TODAY, templates=TEMPLATES)


def readable(letter: Letter) -> tuple[str, ...]:
    """What a reader sees: the subject, the plain part, the HTML part's text and attributes."""
    return (letter.subject, letter.text, "\x00".join(html_text(letter.html).parts))


def spans(text: str, name: str) -> list[tuple[int, int]]:
    """Where `name` occurs in `text`, ignoring case (overlapping occurrences included)."""
    text, name = text.casefold(), name.casefold()
    found, start = [], text.find(name)
    while start != -1:
        found.append((start, start + len(name)))
        start = text.find(name, start + 1)
    return found


def other_schools_named(text: str, own: str, schools: tuple[str, ...]) -> list[str]:
    """Other schools' names in `text`, except where every word of it is a word of the school's
    own name as written there: a principal of "Zorvik Quellan" may read "Zorvik" there, and
    "Quellan Zorvik" across "Zorvik Quellan Zorvik Quellan", but not "Zorvik" on its own."""
    own_words = {word for s, e in spans(text, own) for word in words_between(text, s, e)}
    return [
        other
        for other in schools
        if other != own
        for start, end in spans(text, other)
        if not words_between(text, start, end) <= own_words
    ]


def words_between(text: str, start: int, end: int) -> set[int]:
    """Where each word within text[start:end] begins."""
    return {start + m.start() for m in re.finditer(r"\w+", text[start:end])}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(districts())
def test_a_principal_never_reads_another_schools_name(district: District) -> None:
    """Whatever the schools are called, even names inside names, and whatever their rows say."""
    names = district.schools
    if any(a != b and a.casefold() in b.casefold() for a in names for b in names):
        event("a name inside another")
    letters = [letter for letter in compose_all(district) if letter.kind == "principal-summary"]
    assert {letter.to for letter in letters} == set(district.principals)
    for letter in letters:
        own = district.principals[letter.to]
        if ANOTHER_SCHOOL in letter.text:
            event("another school's name withheld from the plan's text")
        for part in readable(letter):
            assert own.casefold() in part.casefold()
            assert other_schools_named(part, own, names) == [], (own, part)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(districts())
def test_no_letter_carries_a_family_members_or_students_details(district: District) -> None:
    """Not their name, phone or email: not in the subject, the text or the HTML."""
    for letter in compose_all(district):
        for part in map(str.casefold, readable(letter)):
            for person in district.private:
                for detail in (person.name, person.phone, person.email):
                    assert detail.casefold() not in part, (letter.key, detail)


def test_names_are_found_whatever_their_punctuation_and_spacing() -> None:
    """Whole names only, with the punctuation inside them, in any case and spacing."""
    redact = Redactor.for_members([member("Mary-Jo O'Neil", "Parent/Family")])
    assert redact("Thanks, mary-jo  o'neil!") == f"Thanks, {WITHHELD}!"
    assert redact("Mary-Jo O'Neill") == "Mary-Jo O'Neill"
    district = Redactor.for_members([]).with_schools(["St. Mary's", "<Yel>", "A&B"])
    assert district.for_school("A&B")("A&B with st.  Mary's and Yel") == (
        f"A&B with {ANOTHER_SCHOOL} and {ANOTHER_SCHOOL}"
    )
