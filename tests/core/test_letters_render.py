"""The templates: strict, escaped, inlined for mail clients, overridable, and complete for every
kind of standing (PRODUCT.md §5)."""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from jinja2 import StrictUndefined, UndefinedError

from sheets_sync.core.cycle import evaluate
from sheets_sync.core.letters import (
    TEMPLATE_NAMES,
    DueKinds,
    Letter,
    Templates,
    Words,
    compose,
    packaged_templates,
)
from sheets_sync.core.settings import Settings
from sheets_sync.demo import DEMO_DOMAIN, demo_district
from tests.core.grids import ADAMS, COLE, PLAN_HEADER, full_plan, full_roster
from tests.core.test_letters import (
    ALL_DUE,
    CONTACTS,
    TEMPLATES,
    THURSDAY,
    WORDS,
    book,
    letters_for,
    to,
    with_school,
)
from tests.demo.test_district import as_book

REPO = Path(__file__).resolve().parents[2]


class _Text(HTMLParser):
    """An HTML document's text and attribute values, as a reader (or a filter) sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.statuses: list[str] = []
        self._in_status = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.parts += [value for _, value in attrs if value]
        if tag == "span" and "status" in (dict(attrs).get("class") or "").split():
            self._in_status += 1
            self.statuses.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "span" and self._in_status:
            self._in_status -= 1

    def handle_data(self, data: str) -> None:
        self.parts.append(data)
        if self._in_status:
            self.statuses[-1] += data


def html_text(html: str) -> _Text:
    parser = _Text()
    parser.feed(html)
    parser.close()
    return parser


# -- every kind of standing -------------------------------------------------------------------

DEMO_DAYS = (
    date(2025, 8, 20),  # before any required month has ended: no school can be Overdue
    date(2025, 10, 20),
    date(2026, 2, 10),
    date(2026, 5, 25),
    date(2026, 7, 10),  # after the school year's end
)


def demo_letters(today: date) -> tuple[list[Letter], set[str]]:
    settings = Settings()
    evaluation = evaluate(as_book(demo_district(today, settings)), settings, today)
    week, month = f"{today.isocalendar().year}-W{today.isocalendar().week:02d}", f"{today:%Y-%m}"
    words = Words(district_recipients=(f"dee@{DEMO_DOMAIN}",))
    letters = compose(
        evaluation, settings, words, DueKinds(week, month, week), today, templates=TEMPLATES
    )
    return letters, {s.status for s in evaluation.standings}


@pytest.mark.parametrize("today", DEMO_DAYS)
def test_every_letter_renders_through_the_school_year(today: date) -> None:
    """Strict templates render every letter of the demo district on days across the year."""
    letters, _ = demo_letters(today)
    assert {letter.kind for letter in letters} >= {"principal-summary", "district-summary"}
    for letter in letters:
        assert letter.html.startswith("<!DOCTYPE html>")
        assert letter.text.strip()
        assert "{{" not in letter.text + letter.html
        assert "{%" not in letter.text + letter.html


def test_the_demo_days_cover_every_status() -> None:
    """Across those days the letters have been rendered for Overdue, Needs attention, On track."""
    seen: set[str] = set()
    for today in DEMO_DAYS:
        seen |= demo_letters(today)[1]
    assert seen == {"Overdue", "Needs attention", "On track"}


def test_a_school_with_no_contacts_and_no_plan_renders() -> None:
    """Cole with no contact at all and no plan rows: said plainly, not left out."""
    contacts = [row for row in CONTACTS if COLE not in str(row[1])]
    plan = [row for row in full_plan() if row[0] != COLE]
    found = letters_for(book(plan=plan, contacts=contacts))
    text = to(found, "cy@district.org").text
    assert (
        "Status: Overdue (no contact in Sep, Oct; principal meeting overdue;"
        " Q1 cluster meeting missed; 1 data error)\n"
    ) in text
    assert "Plan: 0 activities; 0 of 6 types of involvement covered (missing 1 Parenting," in text
    assert "Principal meeting: Overdue (it was due by Sep 30, 2025)\n" in text
    assert "Last contact: none this year\n" in text
    assert "  No activity in the plan for the next 30 days.\n" in text
    assert "  Schools!A4: The school has no action plan activities.\n" in text
    digest = to(found, "kim@district.org").text
    assert "- Cole High [Overdue]: no contact this year; missed Sep, Oct\n" in digest


def test_a_summary_before_the_school_year_has_begun_renders() -> None:
    """In July before the year, no month has begun: the summary says so."""
    found = letters_for(today=date(2025, 7, 20), due=DueKinds(principal_month="2025-07"))
    text = to(found, "ann@district.org").text
    assert "Contacts this year by month (0 in all):\n  The school year has not begun.\n" in text


# -- strict and overridable -------------------------------------------------------------------


def test_the_templates_are_strict_and_escape_html_only() -> None:
    """StrictUndefined everywhere; autoescape for .html.j2, none for .txt.j2."""
    environment = Templates().environment
    assert environment.undefined is StrictUndefined
    assert callable(environment.autoescape)
    assert environment.autoescape("principal_summary.html.j2")
    assert not environment.autoescape("principal_summary.txt.j2")


def test_a_template_naming_an_unknown_value_fails_loudly(tmp_path: Path) -> None:
    """A district's template with a typo raises instead of sending a blank."""
    (tmp_path / "district_summary.txt.j2").write_text("{{ district.shcools }}\n")
    evaluation = evaluate(book(), Settings(), THURSDAY)
    with pytest.raises(UndefinedError):
        compose(
            evaluation,
            Settings(),
            WORDS,
            DueKinds(district_week="2025-W47"),
            THURSDAY,
            templates=Templates(tmp_path),
        )


def test_a_districts_folder_overrides_one_template_and_the_rest_are_packaged(
    tmp_path: Path,
) -> None:
    """The district's own plain-text digest is used; its HTML part is still the packaged one."""
    (tmp_path / "facilitator_digest.txt.j2").write_text(
        "{{ words.team_short }}: {{ digest.overdue | length }} overdue, {{ week_of }}\n"
    )
    evaluation = evaluate(book(), Settings(), THURSDAY)
    found = compose(evaluation, Settings(), WORDS, ALL_DUE, THURSDAY, templates=Templates(tmp_path))
    digest = to(found, "pat@district.org")
    assert digest.text == "ATP: 1 overdue, Nov 17, 2025\n"
    assert "Needs action this week" in digest.html
    assert "Hello Ann Adams," in to(found, "ann@district.org").text


def test_the_packaged_templates_are_found_in_a_checkout() -> None:
    """From a checkout the top-level templates/ folder, with both parts of every letter."""
    folder = packaged_templates()
    assert folder == REPO / "templates"
    for name in TEMPLATE_NAMES:
        assert (folder / f"{name}.txt.j2").is_file()
        assert (folder / f"{name}.html.j2").is_file()
    assert (folder / "base.html.j2").is_file()


# -- HTML for mail clients --------------------------------------------------------------------


def test_a_school_name_is_escaped_in_html_and_kept_in_text() -> None:
    """`<script>` in a school's name is text in the HTML part, as written in the plain part."""
    name = "<script>alert(1)</script> & Co"
    schools = with_school(0, School=name)
    roster = [[name if r[0] == ADAMS else r[0], *r[1:]] for r in full_roster()]
    plan = [[name if r[0] == ADAMS else r[0], *r[1:]] for r in full_plan()]
    contacts = [[r[0], str(r[1]).replace(ADAMS, name), *r[2:]] for r in CONTACTS]
    letter = to(
        letters_for(book(schools, roster=roster, plan=plan, contacts=contacts)), "ann@district.org"
    )
    assert "<script>" not in letter.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in letter.html
    assert name in html_text(letter.html).parts
    assert f"\n{name}\n" in letter.text
    assert letter.subject == f"{name}: monthly ATP summary, November 2025"


def test_the_html_has_its_css_inlined_and_reads_on_a_phone() -> None:
    """No style sheet left to strip, inline styles, a 600px container and 16px text."""
    for letter in letters_for():
        html = letter.html
        assert "<style" not in html
        assert "max-width: 600px" in html
        assert "font-size: 16px" in html
        assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
        assert "<!--[if mso]>" in html  # a fixed-width frame for Outlook, which ignores max-width
        assert not re.search(
            r"<(div|p|td|h1|h2|span)\b[^>]*\bclass=\"[^\"]*\"(?![^>]*style=)", html
        )


def test_every_status_colour_carries_its_words() -> None:
    """Each coloured status label says its status in words; colour is never alone."""
    schools = with_school(2, Facilitator="Pat Lee")
    plan = full_plan()
    plan[-1][PLAN_HEADER.index("Responsible")] = ""
    found = letters_for(book(schools, plan=plan), date(2025, 11, 24), ALL_DUE)
    labels = [s for letter in found for s in html_text(letter.html).statuses]
    assert set(labels) == {"Overdue", "Needs attention", "On track", "Soon", "Missed"}


def test_every_letter_has_a_plain_text_part_without_markup() -> None:
    """The plain-text part is text: no tags, no entities."""
    for letter in letters_for():
        assert letter.text.strip()
        assert not re.search(r"<[a-z/!]", letter.text)
        assert "&amp;" not in letter.text
        assert "&lt;" not in letter.text


def test_the_workbook_link_is_shown_when_configured() -> None:
    """With a workbook URL the letters link to it; without one they say where to look."""
    with_link = to(letters_for(), "pat@district.org")
    assert 'href="https://docs.google.com/spreadsheets/d/abc123"' in with_link.html
    without = to(letters_for(words=Words()), "pat@district.org")
    assert "href=" not in without.html
    assert "Open the district's partnership workbook" in without.text


def test_letters_show_hidden_characters_as_text(tmp_path: Path) -> None:
    """Whatever a template prints from the workbook, an ESC or a right-to-left override in it
    is written out: as text in the plain part, escaped in the HTML part."""
    (tmp_path / "probe.txt.j2").write_text("School: {{ name }}\n")
    (tmp_path / "probe.html.j2").write_text("<p>School: {{ name }}</p>\n")
    text, html = Templates(tmp_path).render("probe", {"name": "Adams\u202e \x1b[2JElementary"})
    assert text == "School: Adams<U+202E> <U+001B>[2JElementary\n"
    assert "School: Adams&lt;U+202E&gt; &lt;U+001B&gt;[2JElementary" in html
    assert "\u202e" not in html
    assert "\x1b" not in html
