"""A small district across two school years, through `sheets-sync run` on both backends, with
every Summary status, the year's tab and each email worked out by hand from the rules.

The district is the tests' own (tests/core/grids.py): Adams and Baker with Pat Lee, Cole with
Kim Park, Dale inactive; every team meets the roster rules; each school's plan has 7
activities covering the six types, one Done and evaluated. The config rolls its year (08-01
to 06-30) and names one district recipient. The workbook grows as it would:

- 2025-26 rows from the start (the contacts of tests/core/test_year_record.py: Adams every
  required month, a principal meeting, four cluster meetings, a celebration; Baker three
  site visits and a late principal meeting; Cole nothing).
- Mon 29 Jun 2026, 08:00. Year 2025-26. Baker and Cole missed May and have no June contact:
  Overdue. Adams: May done, a June contact, but 6 evaluations due: Needs attention. Due: the
  week's digests (2026-W27) to Pat and Kim (each has an Overdue school), June's summaries
  (first Monday, 1 Jun) to the three principals, the week's district summary.
- In the summer the teams write their 2026-27 plans (the same plans, a year on).
- Wed 15 Jul 2026. Summer: no scheduled email. The record of 2025-26 is written (the figures
  of tests/core/test_year_record.py) and its totals go to the district recipient, once.
- Mon 3 Aug 2026. Year 2026-27: nothing has ended yet and last year's rows are history: all
  On track. Due: 2026-W32 digests (every principal meeting is due by 30 Sep, an open item),
  August's summaries (first Monday, 3 Aug, 07:30), the district summary.
- In September the facilitators log: Adams a principal meeting (10 Sep) and a site visit
  (15 Sep); Baker a phone call (20 Sep).
- Thu 1 Oct 2026. Cole missed September and has no October contact: Overdue. Baker: its
  principal meeting was due by 30 Sep: Needs attention. Adams: On track. Due: 2026-W40
  digests (Pat for Baker's overdue meeting, Kim for Cole) and the district summary. No
  principal summary: a letter is due for the period that contains the run (core/
  email_schedule.py), and October's is due on its first Monday, the 5th; September's, missed
  while the worker was down, is not sent late. The year's tab is as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from sheets_sync.adapters.xlsx import create_workbook
from sheets_sync.core.grid import RawValue
from sheets_sync.core.table import InputColumn, InputTab
from tests.adapters.gsheets_fixtures import bench
from tests.core.grids import ADAMS, BAKER, COLE, PAT, district_book, full_plan
from tests.core.test_year_record import CONTACTS, contact
from tests.proof.harness import in_process

Grids = dict[str, list[list[object]]]
DISTRICT = (
    '[program]\ndistrict = "Northfield"\n\n[school_year]\nstart = "08-01"\nend = "06-30"\n\n'
    '[email]\ntransport = "outbox"\noutbox_dir = "outbox"\n'
    'district_recipients = ["director@district.org"]\n\n[state]\ndir = "state"\n'
)
NEW_PLAN = [
    [str(cell).replace("2026", "2027").replace("2025", "2026") for cell in row]
    for row in full_plan()
]
SEPTEMBER = [
    contact("2026-09-10", ADAMS, "Principal Meeting"),
    contact("2026-09-15", ADAMS, "Site Visit"),
    contact("2026-09-20", BAKER, "Phone"),
]
PRINCIPALS = ("ann@district.org", "bo@district.org", "cy@district.org")
FACILITATORS = ("kim@district.org", "pat@district.org")


def mails(day: str, digests: bool, summaries: bool, district: bool, year: bool) -> set[str]:
    names = set()
    if digests:
        names |= {f"{day} facilitator-digest {a}.eml" for a in FACILITATORS}
    if summaries:
        names |= {f"{day} principal-summary {a}.eml" for a in PRINCIPALS}
    if district:
        names.add(f"{day} district-summary director@district.org.eml")
    if year:
        names.add(f"{day} year-summary director@district.org.eml")
    return names


EXPECTED = [  # (moment, Summary's School and Status, the emails written that run)
    (
        "2026-06-29T08:00",
        [(BAKER, "Overdue"), (COLE, "Overdue"), (ADAMS, "Needs attention")],
        mails("2026-06-29", True, True, True, False),
    ),
    (
        "2026-07-15T08:00",
        [(BAKER, "Overdue"), (COLE, "Overdue"), (ADAMS, "Needs attention")],
        mails("2026-07-15", False, False, False, True),
    ),
    (
        "2026-08-03T08:00",
        [(ADAMS, "On track"), (BAKER, "On track"), (COLE, "On track")],
        mails("2026-08-03", True, True, True, False),
    ),
    (
        "2026-10-01T08:00",
        [(COLE, "Overdue"), (BAKER, "Needs attention"), (ADAMS, "On track")],
        mails("2026-10-01", True, False, True, False),
    ),
]
SUMMER_NOTICE = (
    "School year 2025-26 ended on 2026-06-30: this is its final standing. The next year "
    "begins on 2026-08-01."
)
# The record of 2025-26, as tests/core/test_year_record.py works it out.
BAKER_MISSED = "Nov, Jan, Feb, Mar, Apr, May"
COLE_MISSED = "Sep, Oct, Nov, Dec, Jan, Feb, Mar, Apr, May"
YEAR_2025_26 = [
    [ADAMS, "0042", PAT, 9, 9, "", "Done 2025-09-10", 4, 4, "Done 2026-05-28", 7, 1, 1, 6, 0],
    [BAKER, "101", PAT, 3, 9, BAKER_MISSED, "Late 2025-10-15", 0, 4, "Missed", 7, 1, 1, 6, 0],
    [COLE, "C-3", "Kim Park", 0, 9, COLE_MISSED, "Missed", 0, 4, "Missed", 7, 1, 1, 6, 0],
    [
        *("District total (3 schools)", "", "", 12, 27, "15 missed", "2 of 3 held", 4, 12),
        *("1 of 3 held", 21, 3, 3, "3 of 3 cover all 6", 0),
    ],
]


def start() -> Grids:
    book = district_book(contacts=CONTACTS)
    return {name: [list(row) for row in grid or []] for name, grid in book.items()}


def plain(cell: object) -> object:
    """A cell as both backends give it back: whole numbers as int."""
    return int(cell) if isinstance(cell, float) and cell.is_integer() else cell


def walk(
    folder: Path,
    read: Callable[[], Grids],
    add_rows: Callable[[str, list[list[RawValue]]], None],
) -> None:
    config = folder / "sheets-sync.toml"
    config.write_text(config.read_text() + DISTRICT if config.exists() else DISTRICT)
    outbox = folder / "outbox"
    before: set[str] = set()
    records = []
    for at, (moment, statuses, emails) in enumerate(EXPECTED):
        if at == 1:
            add_rows("Action Plan", NEW_PLAN)
        if at == 3:
            add_rows("Contact Log", SEPTEMBER)
        _, out, err = in_process(config, "run", "--now", moment)
        assert "Wrote Summary" in out, out + err
        tabs = read()
        summary = tabs["Summary"]
        assert [(row[0], row[3]) for row in summary[1:]] == statuses, moment
        notice = summary[2][20] if len(summary[2]) > 20 else ""  # under the counts
        assert notice == (SUMMER_NOTICE if at == 1 else ""), moment
        written = {p.name for p in outbox.glob("*.eml")} if outbox.exists() else set()
        assert written - before == emails, moment
        before = written
        records.append(tabs.get("Year 2025-26"))
    assert records[0] is None
    assert [[plain(c) for c in row] for row in records[1][1:]] == YEAR_2025_26
    assert records[1] == records[2] == records[3]
    issues = read()["Data Issues"][1:]
    old_rows = {"Action Plan": len(full_plan()) + 1, "Contact Log": len(CONTACTS) + 1}
    on_old_rows = [
        row for row in issues if row[1] in old_rows and _row(row[2]) <= old_rows[str(row[1])]
    ]
    assert on_old_rows == []  # nothing said about last year's rows


def _row(cell: object) -> int:
    return int("".join(ch for ch in str(cell) if ch.isdigit()) or 0)


def test_two_years_on_an_xlsx_workbook(tmp_path: Path) -> None:
    workbook = tmp_path / "district.xlsx"
    tabs = [
        InputTab(name, tuple(InputColumn(str(t)) for t in grid[0]), tuple(map(tuple, grid[1:])))
        for name, grid in start().items()
    ]
    create_workbook(workbook, tabs)
    (tmp_path / "sheets-sync.toml").write_text('[workbook]\npath = "district.xlsx"\n\n')

    def read() -> Grids:
        book = CalamineWorkbook.from_path(str(workbook))
        return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}

    def add_rows(tab: str, rows: list[list[RawValue]]) -> None:
        book = openpyxl.load_workbook(workbook)  # a person's save
        for row in rows:
            book[tab].append(row)
        book.save(workbook)

    walk(tmp_path, read, add_rows)


@pytest.mark.slow  # the same proof as on .xlsx, through the Sheets API stand-in: CI runs it
def test_two_years_on_google_sheets(tmp_path: Path) -> None:
    with bench(tmp_path) as b:
        grids = start()
        sheet = b.api.create_spreadsheet("Northfield", grids)
        (tmp_path / "sheets-sync.toml").write_text(
            f'[workbook]\nbackend = "gsheets"\nspreadsheet_id = "{sheet}"\n'
            f'credentials = "{b.key}"\nendpoint = "{b.api.url}"\n\n'
        )

        def read() -> Grids:
            return {tab: b.api.values(sheet, tab) for tab in b.api.tabs(sheet)}

        def add_rows(tab: str, rows: list[list[RawValue]]) -> None:
            below = len(b.api.values(sheet, tab)) + 1
            b.api.set_values(sheet, tab, rows, f"A{below}")

        walk(tmp_path, read, add_rows)
