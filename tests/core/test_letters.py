"""Who receives which letter, with what subject and what in it (PRODUCT.md §5), worked by hand.

The hand-made district of `grids` as of Thursday 2025-11-20 (ISO week 2025-W47), with this
contact log: Adams is On track (contacts in Sep, Oct and Nov); Baker Overdue (nothing since
the cluster meeting of Sep 24: October missed, none yet in November); Cole has no November
contact yet, 10 days left, which is not yet "due soon" (7 days), so it is On track. Every
school met its principal in September and attended the Q1 cluster meeting. Pat Lee
facilitates Adams and Baker, Kim Park facilitates Cole; Dale Closed is inactive.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from functools import partial

from sheets_sync.core.cycle import Evaluation, evaluate
from sheets_sync.core.grid import Grid, RawValue
from sheets_sync.core.letters import (
    ContactForm,
    DueKinds,
    Letter,
    Templates,
    Words,
    compose,
    letter_key,
)
from sheets_sync.core.settings import Settings
from sheets_sync.demo import DEMO_DOMAIN, demo_district
from tests.core.grids import (
    ADAMS,
    BAKER,
    COLE,
    DALE,
    KIM,
    PAT,
    PLAN_HEADER,
    ROSTER_HEADER,
    SCHOOL_ROWS,
    SCHOOLS_HEADER,
    SETTINGS,
    district_book,
    full_plan,
    full_roster,
)
from tests.demo.test_district import as_book

THURSDAY = date(2025, 11, 20)  # ISO week 2025-W47
MONDAY = date(2025, 11, 24)  # ISO week 2025-W48: Cole is due in 6 days
ALL_DUE = DueKinds("2025-W47", "2025-11", "2025-W47")
NEXT_WEEK = DueKinds("2025-W48", None, "2025-W48")
WORDS = Words(
    district="Riverbend School District",
    workbook_url="https://docs.google.com/spreadsheets/d/abc123",
    district_recipients=("Dee Director <dee@district.org>",),
)
TEMPLATES = Templates()  # loaded once for every test here

Rows = Sequence[Sequence[RawValue]]
CONTACTS: list[list[RawValue]] = [
    ["2025-09-10", ADAMS, PAT, "Principal Meeting", "Principal", ""],
    ["2025-09-09", BAKER, PAT, "Principal Meeting", "Principal", ""],
    ["2025-09-11", COLE, KIM, "Principal Meeting", "Principal", ""],
    ["2025-09-24", f"{ADAMS}; {BAKER}; {COLE}", PAT, "Cluster Meeting", "Chairs", ""],
    ["2025-10-08", ADAMS, PAT, "Site Visit", "Full team", ""],
    ["2025-10-15", COLE, KIM, "Phone", "Chair", ""],
    ["2025-11-05", ADAMS, PAT, "Phone", "Chair", ""],
]


# The tests' district with the contacts above.
book = partial(district_book, contacts=CONTACTS)


def letters_for(
    workbook: dict[str, Grid | None] | None = None,
    today: date = THURSDAY,
    due: DueKinds = ALL_DUE,
    words: Words = WORDS,
    settings: Settings = SETTINGS,
) -> list[Letter]:
    evaluation = evaluate(book() if workbook is None else workbook, settings, today)
    return compose(evaluation, settings, words, due, today, templates=TEMPLATES)


def keys(letters: Sequence[Letter]) -> list[str]:
    return [letter.key for letter in letters]


def to(letters: Sequence[Letter], address: str) -> Letter:
    (found,) = [letter for letter in letters if letter.to == address]
    return found


def with_school(row: int, **changes: RawValue) -> list[list[RawValue]]:
    """SCHOOL_ROWS with the cells of the school at index `row` changed, by column title."""
    rows = [list(r) for r in SCHOOL_ROWS]
    for title, value in changes.items():
        rows[row][SCHOOLS_HEADER.index(title.replace("_", " "))] = value
    return rows


# -- who receives what ------------------------------------------------------------------------


def test_who_receives_what_on_a_thursday_in_november() -> None:
    """Pat (an Overdue school) gets the digest, every active principal a summary, Dee the
    district summary; Kim (Cole due in 10 days, nothing else open) and Dale's school nothing."""
    assert keys(letters_for()) == [
        "facilitator-digest / pat@district.org / 2025-W47",
        "principal-summary / ann@district.org / 2025-11",
        "principal-summary / bo@district.org / 2025-11",
        "principal-summary / cy@district.org / 2025-11",
        "district-summary / dee@district.org / 2025-W47",
    ]


def test_a_school_due_soon_brings_its_facilitator_a_digest() -> None:
    """The next Monday Cole has 6 days left (within 7), so Kim gets a digest too; the monthly
    summaries are not due again."""
    assert keys(letters_for(today=MONDAY, due=NEXT_WEEK)) == [
        "facilitator-digest / pat@district.org / 2025-W48",
        "facilitator-digest / kim@district.org / 2025-W48",
        "district-summary / dee@district.org / 2025-W48",
    ]


def test_nothing_is_composed_when_nothing_is_due() -> None:
    """No period due, no letter."""
    assert letters_for(due=DueKinds()) == []


def test_only_the_kinds_due_are_composed() -> None:
    """With only the principals' month due, only principals receive anything."""
    found = letters_for(due=DueKinds(principal_month="2025-11"))
    assert {letter.kind for letter in found} == {"principal-summary"}


def test_facilitators_with_nothing_open_get_nothing() -> None:
    """With Baker contacted in October and November, no school has an open item: no digest."""
    contacts = [*CONTACTS, ["2025-10-20", BAKER, PAT, "Site Visit", "", ""]]
    contacts.append(["2025-11-12", BAKER, PAT, "Phone", "", ""])
    found = letters_for(book(contacts=contacts), due=DueKinds(facilitator_week="2025-W47"))
    assert found == []


def test_addresses_outside_the_allowed_domains_get_nothing() -> None:
    """Cole's principal and Kim are outside district.org (the core reports both); Baker's
    principal at a subdomain is inside; the district recipient outside is dropped."""
    schools = with_school(1, Principal_Email="bo@baker.district.org")
    schools[2][SCHOOLS_HEADER.index("Principal Email")] = "cy@elsewhere.org"
    facilitators = [[PAT, "pat@district.org"], [KIM, "kim@gmail.com"]]
    settings = Settings(allowed_domains=("district.org",))
    words = Words(
        district_recipients=("dee@district.org", "press@news.example"),
        allowed_domains=("district.org",),
    )
    workbook = book(schools, facilitators)
    evaluation = evaluate(workbook, settings, MONDAY)
    outside = [i.where for i in evaluation.issues if i.code == "email.outside-domain"]
    assert outside == ["Schools!E4", "Facilitators!B3"]
    found = letters_for(
        workbook, MONDAY, DueKinds("2025-W48", "2025-11", "2025-W48"), words, settings
    )
    assert sorted(letter.to for letter in found) == [
        "ann@district.org",
        "bo@baker.district.org",
        "dee@district.org",
        "pat@district.org",
    ]


def test_an_inactive_school_gets_nothing_and_is_named_nowhere() -> None:
    """Dale Closed, with a principal's address and a facilitator, is inactive: skipped."""
    schools = with_school(3, Principal="Di Dale", Principal_Email="di@district.org")
    schools[3][SCHOOLS_HEADER.index("Facilitator")] = KIM
    found = letters_for(book(schools), MONDAY, DueKinds("2025-W48", "2025-11", "2025-W48"))
    assert "di@district.org" not in {letter.to for letter in found}
    assert all(DALE not in letter.text and DALE not in letter.html for letter in found)


def test_a_principal_without_a_valid_email_gets_nothing() -> None:
    """Adams has no principal address and Baker a mistyped one: only Cole's principal."""
    schools = with_school(0, Principal_Email="")
    schools[1][SCHOOLS_HEADER.index("Principal Email")] = "bo at district"
    found = letters_for(book(schools), due=DueKinds(principal_month="2025-11"))
    assert keys(found) == ["principal-summary / cy@district.org / 2025-11"]


def test_a_principal_of_two_schools_gets_one_letter_with_both() -> None:
    """The key is per address and month: Ann heads Adams and Baker, so one letter covers both."""
    schools = with_school(1, Principal="Ann Adams", Principal_Email="Ann@district.org")
    found = letters_for(book(schools), due=DueKinds(principal_month="2025-11"))
    assert keys(found) == [
        "principal-summary / ann@district.org / 2025-11",
        "principal-summary / cy@district.org / 2025-11",
    ]
    both = found[0]
    assert both.subject == "2 schools: monthly ATP summary, November 2025"
    assert f"\n\n{ADAMS}\n================\n" in both.text
    assert f"\n\n{BAKER}\n============\n" in both.text


def test_facilitators_sharing_an_address_get_one_digest_for_all_their_schools() -> None:
    """Two facilitator rows with one address make one digest, listing both facilitators' work."""
    facilitators = [[PAT, "team@district.org"], [KIM, "TEAM@district.org"]]
    found = letters_for(book(facilitators=facilitators), MONDAY, DueKinds("2025-W48"))
    (digest,) = found
    assert digest.key == "facilitator-digest / team@district.org / 2025-W48"
    assert BAKER in digest.text
    assert COLE in digest.text


def test_each_district_recipient_gets_one_summary() -> None:
    """The same address written three ways is one recipient, named as first written."""
    words = Words(district_recipients=("Dee D <dee@district.org>", "DEE@district.org", "x"))
    found = letters_for(due=DueKinds(district_week="2025-W47"), words=words)
    assert [(letter.key, letter.to, letter.to_name) for letter in found] == [
        ("district-summary / dee@district.org / 2025-W47", "dee@district.org", "Dee D")
    ]


def test_keys_are_the_ledgers() -> None:
    """`kind / address in lower case / period`, as the ledger records it."""
    assert letter_key("facilitator-digest", " Ann@District.org", "2026-W47") == (
        "facilitator-digest / ann@district.org / 2026-W47"
    )


# -- subjects ---------------------------------------------------------------------------------


def subjects(found: Sequence[Letter]) -> dict[str, str]:
    return {letter.to: letter.subject for letter in found}


def test_subjects_on_a_thursday_in_november() -> None:
    """Counts and the week or month in the subject; no person's name."""
    assert subjects(letters_for()) == {
        "pat@district.org": "ATP check-in: 1 school overdue (week of Nov 17)",
        "ann@district.org": "Adams Elementary: monthly ATP summary, November 2025",
        "bo@district.org": "Baker Middle: monthly ATP summary, November 2025",
        "cy@district.org": "Cole High: monthly ATP summary, November 2025",
        "dee@district.org": "Riverbend School District summary: week of Nov 17",
    }


def test_digest_subjects_count_overdue_due_and_open_schools() -> None:
    """Overdue and due together; due alone; neither, only other open items."""
    schools = with_school(2, Facilitator=PAT)  # Pat has Baker (Overdue) and Cole (Due)
    both = letters_for(book(schools), MONDAY, DueKinds("2025-W48"))
    assert subjects(both) == {
        "pat@district.org": "ATP check-in: 1 school overdue, 1 due this month (week of Nov 24)"
    }
    due_only = letters_for(today=MONDAY, due=DueKinds("2025-W48"))
    assert subjects(due_only)["kim@district.org"] == (
        "ATP check-in: 1 school due this month (week of Nov 24)"
    )
    plan = full_plan()
    plan[-1][PLAN_HEADER.index("Responsible")] = ""  # Cole: one data error
    contacts = [*CONTACTS, ["2025-11-12", COLE, KIM, "Phone", "", ""]]  # and November done
    open_only = letters_for(book(plan=plan, contacts=contacts), due=DueKinds("2025-W47"))
    assert subjects(open_only)["kim@district.org"] == (
        "ATP check-in: 1 school with open items (week of Nov 17)"
    )


def test_subjects_take_the_teams_words_from_config() -> None:
    """A Colorado district's FSCP team, and no district name."""
    words = Words(team_name="FSCP team", team_short="FSCP", district_recipients=("d@district.org",))
    found = subjects(letters_for(words=words))
    assert found["pat@district.org"] == "FSCP check-in: 1 school overdue (week of Nov 17)"
    assert found["ann@district.org"] == "Adams Elementary: monthly FSCP summary, November 2025"
    assert found["d@district.org"] == "District summary: week of Nov 17"


def test_names_with_line_breaks_cannot_break_a_header() -> None:
    """A school and a principal named across lines give one-line subjects and names."""
    schools = with_school(0, School="Adams\r\nBcc: all@district.org", Principal="Ann\nAdams")
    roster = [list(row) for row in full_roster()]
    for row in roster:
        if row[0] == ADAMS:
            row[0] = "Adams Bcc: all@district.org"  # the same school, matched loosely
    plan = [row for row in full_plan() if row[0] != ADAMS]
    contacts = [row for row in CONTACTS if row[1] == COLE]
    found = letters_for(book(schools, roster=roster, plan=plan, contacts=contacts))
    letter = to(found, "ann@district.org")
    assert letter.subject == "Adams Bcc: all@district.org: monthly ATP summary, November 2025"
    assert letter.to_name == "Ann Adams"
    for each in found:
        assert "\r" not in each.subject + each.to_name
        assert "\n" not in each.subject + each.to_name


# -- what the digest says ---------------------------------------------------------------------


def test_the_digest_leads_with_what_needs_action_then_other_items_then_the_link() -> None:
    """Overdue (days since, missed months), then Due (days left), then open items, then the
    workbook link."""
    schools = with_school(2, Facilitator=PAT)
    plan = full_plan()
    plan[-1][PLAN_HEADER.index("Responsible")] = ""  # Cole, row 22: G22 blank
    text = to(letters_for(book(schools, plan=plan), MONDAY, NEXT_WEEK), "pat@district.org").text
    assert text == (
        "ATP check-in, week of Nov 24, 2025\n"
        "\n"
        "Hello Pat Lee,\n"
        "\n"
        "NEEDS ACTION THIS WEEK\n"
        "\n"
        "Overdue: no contact last required month, and none yet this month\n"
        "- Baker Middle [Overdue]: 61 days since the last contact (Sep 24, 2025); missed Oct\n"
        "\n"
        "Due this month: no contact yet\n"
        "- Cole High: 6 days left [Soon]\n"
        "\n"
        "OTHER OPEN ITEMS\n"
        "\n"
        "Cole High [Needs attention]\n"
        "- 1 data error to correct:\n"
        '    Action Plan!G22: "Responsible" is blank.\n'
        '      Fix: Fill in "Responsible" (who leads the activity).\n'
        "\n"
        "Open the workbook: https://docs.google.com/spreadsheets/d/abc123\n"
        "\n"
        "--\n"
        "Sent by sheets-sync from the Riverbend School District's partnership workbook.\n"
    )


FORM = ContactForm(
    "https://docs.google.com/forms/d/e/1FAIpQLSdx/viewform", "entry.111", "entry.222", "entry.333"
)


def test_with_a_form_each_school_in_the_digest_has_a_log_contact_link() -> None:
    """Monday Nov 24: Baker (Overdue) and Cole (due, and open) each get a link filling in the
    school, Pat's name and the day, URL-encoded; the text says once what is filled in."""
    schools = with_school(2, Facilitator=PAT)
    plan = full_plan()
    plan[-1][PLAN_HEADER.index("Responsible")] = ""
    words = replace(WORDS, contact_form=FORM)
    found = letters_for(book(schools, plan=plan), MONDAY, NEXT_WEEK, words)
    form = "https://docs.google.com/forms/d/e/1FAIpQLSdx/viewform?usp=pp_url"
    baker = f"{form}&entry.111=Baker%20Middle&entry.222=Pat%20Lee&entry.333=2025-11-24"
    cole = f"{form}&entry.111=Cole%20High&entry.222=Pat%20Lee&entry.333=2025-11-24"
    letter = to(found, "pat@district.org")
    assert (
        "NEEDS ACTION THIS WEEK\n"
        'Each "Log contact" link opens the district\'s form with the school, your name and'
        " today's date (Nov 24, 2025) filled in; change the date if the contact was on another"
        " day.\n"
        "\n"
        "Overdue: no contact last required month, and none yet this month\n"
        "- Baker Middle [Overdue]: 61 days since the last contact (Sep 24, 2025); missed Oct\n"
        f"  Log contact: {baker}\n"
        "\n"
        "Due this month: no contact yet\n"
        "- Cole High: 6 days left [Soon]\n"
        f"  Log contact: {cole}\n"
        "\n"
        "OTHER OPEN ITEMS\n"
        "\n"
        "Cole High [Needs attention]\n"
        f"- Log contact: {cole}\n"
        "- 1 data error to correct:\n"
    ) in letter.text
    links = re.findall(r'<a href="([^"]*)">Log contact</a>', letter.html)
    assert [html.unescape(link) for link in links] == [baker, cole, cole]
    others = [other for other in found if other.kind != "facilitator-digest"]
    assert others  # the district summary is due too: it carries no link
    assert all("viewform" not in o.text + o.html for o in others)


def test_a_principal_summary_never_carries_a_log_contact_link() -> None:
    """With a Form set, every principal's summary is still without it."""
    found = letters_for(words=replace(WORDS, contact_form=FORM))
    principals = [letter for letter in found if letter.kind == "principal-summary"]
    assert len(principals) == 3
    assert all("viewform" not in p.text + p.html for p in principals)
    assert "viewform" in to(found, "pat@district.org").text


def test_a_form_link_fills_in_only_the_questions_named() -> None:
    """With only the school's entry id, the link fills in the school and the note says so."""
    words = replace(WORDS, contact_form=ContactForm(FORM.url, school_entry="entry.9"))
    text = to(letters_for(words=words), "pat@district.org").text
    assert 'Each "Log contact" link opens the district\'s form with the school filled in.\n' in text
    assert f"  Log contact: {FORM.url}?usp=pp_url&entry.9=Baker%20Middle\n" in text


def test_the_digest_lists_principal_meeting_cluster_and_evaluations() -> None:
    """No principal meeting by Sep 30, no Q1 cluster meeting, and a Done activity not
    evaluated, named with its date."""
    contacts = [row for row in CONTACTS if row[3] not in ("Principal Meeting", "Cluster Meeting")]
    plan = full_plan()
    plan[3][PLAN_HEADER.index("Evaluation")] = ""  # Adams: Welcome breakfast, Done
    text = to(letters_for(book(plan=plan, contacts=contacts)), "pat@district.org").text
    assert (
        "Adams Elementary [Needs attention]\n"
        "- Principal meeting overdue (it was due by Sep 30, 2025)\n"
        "- Q1 cluster meeting missed\n"
        "- Evaluation due: Welcome breakfast (Nov 15, 2025)\n"
    ) in text


def test_on_a_web_workbook_each_data_error_opens_its_cell() -> None:
    """With a link for the Action Plan tab, Cole's blank G22 opens at G22, in the text and as
    the cell reference of the HTML table; a tab without a link keeps plain text."""
    plan = full_plan()
    plan[-1][PLAN_HEADER.index("Responsible")] = ""  # Cole, row 22: G22 blank
    sheet = "https://docs.google.com/spreadsheets/d/abc123/edit"
    words = replace(WORDS, cell_links={"Action Plan": f"{sheet}#gid=7&range="})
    letter = to(letters_for(book(plan=plan), words=words), "kim@district.org")
    assert (
        '    Action Plan!G22: "Responsible" is blank.\n'
        '      Fix: Fill in "Responsible" (who leads the activity).\n'
        f"      Open the cell: {sheet}#gid=7&range=G22\n"
    ) in letter.text
    assert f'<a href="{sheet}#gid=7&amp;range=G22"' in letter.html
    principal = to(letters_for(book(plan=plan), words=words), "cy@district.org")
    assert "gid=7" not in principal.text + principal.html  # a principal's letter has none


def test_a_roster_issue_is_shown_by_its_cell_and_meaning_not_its_value() -> None:
    """A family member's mistyped email is an error at its cell; the digest never quotes it."""
    roster = full_roster()
    roster[3][ROSTER_HEADER.index("Email")] = "fay.family@@example.com"  # Adams, row 5
    letter = to(letters_for(book(roster=roster)), "pat@district.org")
    assert "    Team Roster!E5: An email address is not valid.\n" in letter.text
    for part in (letter.text, letter.html):
        assert "fay.family" not in part
        assert "Fay Family" not in part


def test_errors_in_a_facilitators_own_log_rows_reach_them() -> None:
    """A misspelt school names no school, so the row's facilitator is told of it (by its
    meaning: the cell might hold anything, a parent's name among it)."""
    contacts = [*CONTACTS, ["2025-11-03", "Colle High", KIM, "Phone", "", ""]]
    letter = to(letters_for(book(contacts=contacts)), "kim@district.org")
    assert (
        "YOUR CONTACT LOG ROWS\n"
        "1 error to correct in rows you logged:\n"
        "    Contact Log!B9: A school name matches no row of the Schools tab.\n"
        '      Fix: Did you mean "Cole High"? Write the name as it is in the Schools tab, or '
        "add a row for it there.\n"
    ) in letter.text
    assert "Colle" not in letter.text


# -- what the principal's summary says --------------------------------------------------------


def test_a_principal_summary_on_a_thursday_in_november() -> None:
    """Adams's month, worked out by hand from its team, plan and contacts."""
    text = to(letters_for(), "ann@district.org").text
    assert text == (
        "Monthly ATP summary, November 2025\n"
        "\n"
        "Hello Ann Adams,\n"
        "\n"
        "Here is where your school's Action Team for Partnerships stands, from the district's"
        " partnership workbook.\n"
        "\n"
        "\n"
        "Adams Elementary\n"
        "================\n"
        "\n"
        "Status: On track\n"
        "Team: 7 members; check: OK\n"
        "Plan: 7 activities; 6 of 6 types of involvement covered\n"
        "Goals: Academic 2, Behavior 1, Climate of Partnership 1\n"
        "Principal meeting: Held Sep 10, 2025\n"
        "Last contact: Nov 5, 2025\n"
        "Facilitator: Pat Lee\n"
        "\n"
        "Contacts this year by month (4 in all):\n"
        "  Aug 2025: 0\n"
        "  Sep 2025: 2\n"
        "  Oct 2025: 1\n"
        "  Nov 2025: 1 (this month)\n"
        "\n"
        "Coming up in the next 30 days:\n"
        "  Dec 4, 2025: Family reading night\n"
        "\n"
        "Evaluations due:\n"
        "  None.\n"
        "\n"
        "Data issues in your school's rows:\n"
        "  None.\n"
        "\n"
        "Open the workbook: https://docs.google.com/spreadsheets/d/abc123\n"
        "\n"
        "--\n"
        "Sent by sheets-sync from the Riverbend School District's partnership workbook.\n"
    )


def test_an_overdue_schools_summary_marks_the_missed_month_and_says_why() -> None:
    """Baker: October missed, the status and its reason in words."""
    text = to(letters_for(), "bo@district.org").text
    assert "Status: Overdue (no contact in Oct)\n" in text
    assert "  Oct 2025: 0 [MISSED]\n  Nov 2025: 0 (this month)\n" in text


def test_a_shared_contact_row_is_counted_for_the_school_and_names_no_other() -> None:
    """The cluster meeting with all three schools counts in each letter; a future-dated shared
    row is shown to each school by its cell, without the other schools' names."""
    contacts = [*CONTACTS, ["2025-12-01", f"{ADAMS}; {COLE}", PAT, "Training", "", ""]]
    found = letters_for(book(contacts=contacts), due=DueKinds(principal_month="2025-11"))
    for address, own, others in (
        ("ann@district.org", ADAMS, (BAKER, COLE)),
        ("cy@district.org", COLE, (ADAMS, BAKER)),
    ):
        letter = to(found, address)
        assert "  Sep 2025: 2\n" in letter.text
        assert "  Contact Log!A9: A contact is dated after today.\n" in letter.text
        assert own in letter.text
        for other in others:
            assert other not in letter.text
            assert other not in letter.html


def test_upcoming_activities_show_the_activity_and_date_never_who_is_responsible() -> None:
    """Responsible may name a family member: the summary shows what and when only."""
    plan = full_plan()
    plan[0][PLAN_HEADER.index("Responsible")] = "Fay Family"  # Adams: Family reading night
    letter = to(letters_for(book(plan=plan)), "ann@district.org")
    assert "  Dec 4, 2025: Family reading night\n" in letter.text
    assert "Fay Family" not in letter.text
    assert "Fay Family" not in letter.html


# -- the district summary ---------------------------------------------------------------------


def test_the_district_summary_gives_totals_and_overdue_schools_by_facilitator() -> None:
    """Three active schools: one Overdue (Baker, Pat's), two On track; no data issues."""
    text = to(letters_for(), "dee@district.org").text
    assert text == (
        "Riverbend School District summary, week of Nov 17, 2025\n"
        "\n"
        "3 active schools:\n"
        "  Overdue: 1\n"
        "  Needs attention: 0\n"
        "  On track: 2\n"
        "\n"
        "Data issues in the workbook: 0 errors, 0 warnings.\n"
        "\n"
        "OVERDUE SCHOOLS BY FACILITATOR\n"
        "\n"
        "Pat Lee\n"
        "- Baker Middle: 57 days since the last contact (Sep 24, 2025); missed Oct\n"
        "\n"
        "Open the workbook: https://docs.google.com/spreadsheets/d/abc123\n"
        "\n"
        "--\n"
        "Sent by sheets-sync from the Riverbend School District's partnership workbook.\n"
    )


# -- the demo district ------------------------------------------------------------------------

DEMO_TODAY = date(2026, 2, 10)  # a Tuesday in ISO week 2026-W07


def demo_evaluation(today: date = DEMO_TODAY) -> tuple[Evaluation, Settings]:
    settings = Settings()
    return evaluate(as_book(demo_district(today, settings)), settings, today), settings


def test_the_demo_district_on_a_february_tuesday() -> None:
    """Every active school's principal once, Fairview (inactive) never, the facilitator of the
    Overdue Riverside told so, and every recipient on the district's domain."""
    evaluation, settings = demo_evaluation()
    due = DueKinds("2026-W07", "2026-02", "2026-W07")
    words = Words(district="Riverbend School District", district_recipients=(f"dee@{DEMO_DOMAIN}",))
    found = compose(evaluation, settings, words, due, DEMO_TODAY, templates=TEMPLATES)
    principals = [letter.to for letter in found if letter.kind == "principal-summary"]
    active = evaluation.directory.active
    assert sorted(principals) == sorted(s.principal_email or "" for s in active)
    assert len(principals) == 11
    assert all("Fairview" not in letter.text for letter in found)
    assert all(letter.to.endswith(f"@{DEMO_DOMAIN}") for letter in found)
    assert len(keys(found)) == len(set(keys(found)))
    riverside = next(s for s in evaluation.standings if s.name == "Riverside K-8 Academy")
    assert riverside.status == "Overdue"
    facilitator = next(
        f for f in evaluation.directory.facilitators if f.name == riverside.facilitator
    )
    digest = to(found, facilitator.email or "")
    overdue = digest.text.split("Overdue: no contact", 1)[1].split("\n\n", 1)[0]
    assert "- Riverside K-8 Academy [Overdue]: " in overdue
