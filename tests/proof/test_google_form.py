"""A district that logs contacts through a Google Form, through `sheets-sync run` on both
backends: the Form's responses tab is the Contact Log, the Summary is worked out by hand and is
the same as from the equivalent Contact Log, and each school in a digest has its exact
"Log contact" link.

The tests' district (tests/core/grids.py), with Cole High renamed "Cole High, East Campus" (a
name holding ", ", which is how Forms joins checkbox answers). The Form collects addresses
and has no date or name question; its tab "Form Responses 1" holds seven responses:

    Timestamp         Email Address     School(s)                                Type
    2025-09-09 10:00  pat@district.org  Baker Middle                             Principal Mtg
    2025-09-10 09:30  pat@district.org  Adams Elementary                         Principal Mtg
    2025-09-11 14:05  KIM@District.org  Cole High, East Campus                   Principal Mtg
    2025-09-24 18:45  pat@district.org  Adams Elementary, Baker Middle, Cole     Cluster Mtg
                                        High, East Campus
    2025-10-08 11:00  pat@district.org  Adams Elementary                         Site Visit
    2025-10-15 16:20  kim@district.org  Cole High, East Campus                   Phone
    2025-11-05 08:10  sam@district.org  Adams Elementary                         Phone

Run Monday 2025-11-24 at 08:00 (ISO week 2025-W48; November has 6 days left, within the 7 of
"due soon"), by the rules of PRODUCT.md §3:

- Adams: Sep (10th, 24th), Oct (8th), Nov (5th): no month missed; principal met Sep 10, before
  Sep 30; the Q1 cluster meeting attended. The Nov 5 response comes from an address of no
  facilitator: a `facilitator.unknown` error at its cell (B8), and the contact still counts.
  One data error: Needs attention, "1 data error"; last contact Nov 5, 19 days.
- Baker: Sep (9th, 24th) only: October missed and nothing yet in November: Overdue, "no contact
  in Oct; Nov due in 6 days"; last contact Sep 24, 61 days.
- Cole, East Campus: Sep (11th, 24th, the cluster meeting joined with the others), Oct (15th):
  nothing yet in November, 6 days left: Needs attention, "Nov due in 6 days"; last contact
  Oct 15, 40 days. Kim's address in another case is Kim.
- Dale is inactive and not listed.

Pat's digest: Baker (Overdue) and Adams (its data error) each with a link; Kim's: Cole (Due,
Soon). Each link opens the Form with the school and the day filled in (no name question).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from sheets_sync.adapters.xlsx import create_workbook
from sheets_sync.core.table import InputColumn, InputTab
from tests.adapters.gsheets_fixtures import as_user, bench
from tests.core.grids import ADAMS, BAKER, COLE, KIM, PAT, district_book
from tests.proof.harness import in_process, outbox_messages

EAST = "Cole High, East Campus"
RESPONSES = "Form Responses 1"
FORM_HEADER = ["Timestamp", "Email Address", "School(s)", "Type of contact", "Anything else?"]
ANSWERS: list[list[object]] = [
    [datetime(2025, 9, 9, 10, 0), "pat@district.org", BAKER, "Principal Meeting", ""],
    [datetime(2025, 9, 10, 9, 30), "pat@district.org", ADAMS, "Principal Meeting", ""],
    [datetime(2025, 9, 11, 14, 5), "KIM@District.org", EAST, "Principal Meeting", ""],
    [
        datetime(2025, 9, 24, 18, 45),
        "pat@district.org",
        f"{ADAMS}, {BAKER}, {EAST}",
        "Cluster Meeting",
        "Q1 cluster",
    ],
    [datetime(2025, 10, 8, 11, 0), "pat@district.org", ADAMS, "Site Visit", ""],
    [datetime(2025, 10, 15, 16, 20), "kim@district.org", EAST, "Phone", ""],
    [datetime(2025, 11, 5, 8, 10), "sam@district.org", ADAMS, "Phone", ""],
]
# The same contacts as a Contact Log under its own headers, typed by hand.
LOG = [
    ["2025-09-09", BAKER, PAT, "Principal Meeting", "", ""],
    ["2025-09-10", ADAMS, PAT, "Principal Meeting", "", ""],
    ["2025-09-11", EAST, KIM, "Principal Meeting", "", ""],
    ["2025-09-24", f"{ADAMS}; {BAKER}; {EAST}", PAT, "Cluster Meeting", "", "Q1 cluster"],
    ["2025-10-08", ADAMS, PAT, "Site Visit", "", ""],
    ["2025-10-15", EAST, KIM, "Phone", "", ""],
    ["2025-11-05", ADAMS, "Sam Stranger", "Phone", "", ""],
]
FORM_CONFIG = (
    '[tabs]\ncontacts = "Form Responses 1"\n\n'
    '[columns]\ncontacts.notes = "Anything else?"\n\n'
    "[email]\n"
    'contact_form_url = "https://docs.google.com/forms/d/e/1FAIpQLSdx/viewform?usp=sf_link"\n'
    'contact_form_fields = { school = "entry.111", date = "entry.333" }\n'
)
YEAR = '[school_year]\nstart = 2025-08-01\nend = 2026-06-30\n\n[state]\ndir = "state"\n\n'
NOW = "2025-11-24T08:00"
SERIAL_EPOCH = datetime(1899, 12, 30)
FORM = "https://docs.google.com/forms/d/e/1FAIpQLSdx/viewform?usp=pp_url"
LINKS = {
    BAKER: f"{FORM}&entry.111=Baker%20Middle&entry.333=2025-11-24",
    ADAMS: f"{FORM}&entry.111=Adams%20Elementary&entry.333=2025-11-24",
    EAST: f"{FORM}&entry.111=Cole%20High%2C%20East%20Campus&entry.333=2025-11-24",
}
# School, Status, Why, Last Contact, Days Since Contact, This Month, Missed Months, Principal
# Meeting, Data Errors: worked out above.
SUMMARY = [
    [
        BAKER,
        "Overdue",
        "no contact in Oct; Nov due in 6 days",
        "2025-09-24",
        61,
        "Due (6 days left)",
        "Oct",
    ],
    [ADAMS, "Needs attention", "1 data error", "2025-11-05", 19, "Done", ""],
    [EAST, "Needs attention", "Nov due in 6 days", "2025-10-15", 40, "Due (6 days left)", ""],
]

PAT_AT, KIM_AT = "pat@district.org", "kim@district.org"

Grids = dict[str, list[list[object]]]


def district(contacts_tab: str, header: list[object], rows: list[list[object]]) -> Grids:
    """The tests' district with Cole renamed, and its contacts in `contacts_tab`."""
    book = {
        name: [[EAST if cell == COLE else cell for cell in row] for row in grid or []]
        for name, grid in district_book().items()
        if name != "Contact Log"
    }
    book[contacts_tab] = [header, *rows]
    return book


def run(folder: Path, config: str, read: Callable[[], Grids]) -> tuple[Grids, list[EmailMessage]]:
    """One run at NOW; every input tab (the Form's responses among them) is left as it was."""
    (folder / "sheets-sync.toml").write_text((folder / "sheets-sync.toml").read_text() + config)
    before = read()
    _, out, err = in_process(folder / "sheets-sync.toml", "run", "--now", NOW)
    assert "Wrote Summary" in out, out + err
    after = read()
    assert {tab: after[tab] for tab in before} == before
    return after, outbox_messages(folder / "outbox")


def shown(summary: list[list[object]]) -> list[list[object]]:
    """The columns worked out above, dates as the ISO text both backends can be read as."""
    picked = []
    for row in summary[1:]:
        last = row[9]
        if isinstance(last, int | float):  # Google's serial day number
            last = SERIAL_EPOCH + timedelta(days=last)
        day = last.date().isoformat() if isinstance(last, datetime) else str(last)[:10]
        picked.append([row[0], row[3], row[4], day, int(float(str(row[10]))), row[11], row[12]])
    return picked


def to(messages: list[EmailMessage], address: str) -> EmailMessage:
    (message,) = [m for m in messages if str(m["To"]).endswith(f"<{address}>")]
    return message


def text_of(messages: list[EmailMessage], address: str) -> tuple[str, str]:
    message = to(messages, address)
    text, html = message.get_body(("plain",)), message.get_body(("html",))
    assert text is not None
    assert html is not None
    return str(text.get_content()).replace("\r\n", "\n"), str(html.get_content())


def check(form: tuple[Grids, list[EmailMessage]], log: tuple[Grids, list[EmailMessage]]) -> None:
    grids, messages = form
    assert shown(grids["Summary"]) == SUMMARY
    summary_columns = slice(0, 19)
    assert [r[summary_columns] for r in grids["Summary"]] == [
        r[summary_columns] for r in log[0]["Summary"]
    ]  # the same Summary as from the equivalent Contact Log
    issues = [row[:4] for row in grids["Data Issues"][1:]]
    assert issues == [["error", RESPONSES, "B8", ADAMS]]
    pat, pat_html = text_of(messages, PAT_AT)
    assert (
        f"- {BAKER} [Overdue]: 61 days since the last contact (Sep 24, 2025); missed Oct\n"
        f"  Log contact: {LINKS[BAKER]}\n" in pat
    )
    assert f"{ADAMS} [Needs attention]\n- Log contact: {LINKS[ADAMS]}\n" in pat
    assert (
        "Each \"Log contact\" link opens the district's form with the school and today's date"
        " (Nov 24, 2025) filled in; change the date if the contact was on another day.\n"
    ) in pat
    kim, kim_html = text_of(messages, KIM_AT)
    assert f"- {EAST}: 6 days left [Soon]\n  Log contact: {LINKS[EAST]}\n" in kim
    for link in LINKS.values():
        assert link.replace("&", "&amp;") in pat_html + kim_html
    others = [m for m in messages if m not in (to(messages, PAT_AT), to(messages, KIM_AT))]
    assert sorted(str(m["To"]) for m in others) == [  # November's summaries, due since Nov 3
        "Ann Adams <ann@district.org>",
        "Bo Baker <bo@district.org>",
        "Cy Cole <cy@district.org>",
    ]
    assert all("viewform" not in m.as_string() for m in others)


def xlsx_run(folder: Path, grids: Grids, config: str) -> tuple[Grids, list[EmailMessage]]:
    folder.mkdir(exist_ok=True)
    workbook = folder / "district.xlsx"
    tabs = [
        InputTab(name, tuple(InputColumn(str(t)) for t in grid[0]), tuple(map(tuple, grid[1:])))
        for name, grid in grids.items()
    ]
    create_workbook(workbook, tabs)
    (folder / "sheets-sync.toml").write_text('[workbook]\npath = "district.xlsx"\n\n' + YEAR)

    def read() -> Grids:
        book = CalamineWorkbook.from_path(str(workbook))
        return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}

    return run(folder, config, read)


def test_a_forms_responses_on_an_xlsx_workbook(tmp_path: Path) -> None:
    form = xlsx_run(tmp_path / "form", district(RESPONSES, FORM_HEADER, ANSWERS), FORM_CONFIG)
    header = ["Date", "School", "Facilitator", "Contact Type", "With", "Notes"]
    log = xlsx_run(tmp_path / "log", district("Contact Log", header, LOG), "")
    check(form, log)


@pytest.mark.slow  # the same proof through the Sheets API stand-in: CI runs it
def test_a_forms_responses_on_google_sheets(tmp_path: Path) -> None:
    def sheets_run(folder: Path, grids: Grids, config: str) -> tuple[Grids, list[EmailMessage]]:
        folder.mkdir()
        with bench(folder) as b:
            sheet = b.api.create_spreadsheet("Riverbend", grids)  # Timestamps as date-times
            # The district's clock, as its own sheets keep it (one made through the API keeps
            # Etc/GMT, which is a `sheet.time-zone` warning: tests/core/test_sheet_zone.py).
            zone = {"properties": {"timeZone": "America/New_York"}, "fields": "timeZone"}
            as_user(b.api, sheet, [{"updateSpreadsheetProperties": zone}])
            (folder / "sheets-sync.toml").write_text(
                f'[workbook]\nbackend = "gsheets"\nspreadsheet_id = "{sheet}"\n'
                f'credentials = "{b.key}"\nendpoint = "{b.api.url}"\n\n' + YEAR
            )
            return run(
                folder, config, lambda: {t: b.api.values(sheet, t) for t in b.api.tabs(sheet)}
            )

    form = sheets_run(tmp_path / "form", district(RESPONSES, FORM_HEADER, ANSWERS), FORM_CONFIG)
    header = ["Date", "School", "Facilitator", "Contact Type", "With", "Notes"]
    log = sheets_run(tmp_path / "log", district("Contact Log", header, LOG), "")
    check(form, log)


def test_a_response_edited_later_counts_as_edited(tmp_path: Path) -> None:
    """Sam's response (row 8) is re-sent from Pat's address, as Forms rewrites an edited
    response's row: the next run reads it as it is now. Adams's one data error is gone, so
    Adams is On track; Baker and the East Campus stand as before."""
    xlsx_run(tmp_path, district(RESPONSES, FORM_HEADER, ANSWERS), FORM_CONFIG)
    book = openpyxl.load_workbook(tmp_path / "district.xlsx")  # Forms' rewrite of the row
    book[RESPONSES]["B8"] = PAT_AT
    book.save(tmp_path / "district.xlsx")
    _, out, err = in_process(tmp_path / "sheets-sync.toml", "run", "--now", NOW)
    assert "Wrote Summary" in out, out + err
    after = CalamineWorkbook.from_path(str(tmp_path / "district.xlsx"))
    summary = after.get_sheet_by_name("Summary").to_python()
    assert [(row[0], row[3], row[4]) for row in summary[1:]] == [
        (BAKER, "Overdue", "no contact in Oct; Nov due in 6 days"),
        (EAST, "Needs attention", "Nov due in 6 days"),
        (ADAMS, "On track", ""),
    ]
    assert after.get_sheet_by_name("Data Issues").to_python()[1:] == []
