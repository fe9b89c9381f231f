"""The gsheets backend, real gspread and google-auth, against the local Sheets API stand-in."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from gsheets_fixtures import CELLS_ONLY, EMAIL, Bench, as_user, bench

from sheets_sync.adapters.gsheets.looks import PROTECTION_NOTE
from sheets_sync.adapters.workbook import Workbook
from sheets_sync.adapters.xlsx import XlsxWorkbook, create_workbook
from sheets_sync.core.blank_tabs import input_tabs
from sheets_sync.core.owned_tabs import summary_table
from sheets_sync.core.settings import Settings
from sheets_sync.core.table import TONES, Column, Link, Table, laid_out
from sheets_sync.core.values import to_serial
from sheets_sync.demo import demo_district, synthetic_district
from sheets_sync.shell.run import run_cycle

SETTINGS = Settings()
TODAY = date(2026, 2, 10)
NOW = datetime(2026, 2, 10, 7, 0)
METADATA, BATCH_GET = "spreadsheets.get", "spreadsheets.values.batchGet"
# A write that shapes a tab (and writes its cells), and one that only writes cells.
STRUCTURE, VALUES = "spreadsheets.batchUpdate", CELLS_ONLY

SCHOOLS: list[list[object]] = [
    ["School", "Code", "Principal", "Active"],
    ["Adams Elementary", "0042", "Ana Ruiz", "Yes"],
    ["O'Brien Middle", 1234, "Ben Cole"],
    ["Cedar High", "", "Cy Park", True],
]
CONTACTS: list[list[object]] = [
    ["Date", "School", "Facilitator", "Contact Type"],
    [45915, "Adams Elementary", "Maria Delgado", "Phone"],
    ["9/15/2025", "O'Brien Middle", "Maria Delgado", "Site Visit"],
    [45916.75, "Cedar High"],
]


@pytest.fixture
def tb(tmp_path: Path) -> Iterator[Bench]:
    with bench(tmp_path) as running:
        yield running


def district(tb: Bench) -> str:
    return tb.api.create_spreadsheet(
        "Riverbend",
        {"Schools": SCHOOLS, "Team Roster": [["School", "Name"]], "Contact Log": CONTACTS},
    )


SUMMARY = Table(
    "Summary",
    (Column("School", 30), Column("Status", 16, toned=True), Column("Days", 8)),
    [
        ("Adams Elementary", "Overdue", 40),
        ("O'Brien Middle", "On track", 3.5),
        ("Cedar High", None, None),
    ],
)
ISSUES = Table(
    "Data Issues",
    (Column("Severity", toned=True), Column("Problem", 40)),
    [("error", '=HYPERLINK("http://evil.example","click")'), ("warning", "=1+2")],
)


def trimmed(rows: list[list[Any]]) -> list[list[Any]]:
    """Rows as Google answers them: trailing blanks left out."""
    out = []
    for row in rows:
        cells = ["" if v is None else v for v in row]
        while cells and cells[-1] == "":
            cells.pop()
        out.append(cells)
    while out and not out[-1]:
        out.pop()
    return out


def as_rows(table: Table) -> list[list[Any]]:
    """The table as a Google Sheet gives it back: dates as day numbers, its panel beside it."""
    columns, rows = laid_out(table)
    grid = [[c.title for c in columns], *(list(r) for r in rows)]
    return trimmed([[to_serial(v) if isinstance(v, date) else v for v in r] for r in grid])


def test_read_gives_raw_values_like_xlsx(tb: Bench) -> None:
    """Text, numbers and serial dates arrive unformatted; names match loosely; absent is None."""
    sid = district(tb)
    got = tb.workbook(sid).read(["schools", "Contact Log", "Team Roster", "Run Log"])
    assert got["schools"] == SCHOOLS
    assert got["Contact Log"] == CONTACTS
    assert got["Team Roster"] == [["School", "Name"]]
    assert got["Run Log"] is None
    assert tb.operations() == [METADATA, BATCH_GET]


def test_read_asks_for_unformatted_values_in_one_request(tb: Bench) -> None:
    """One batchGet carries every tab, quoted, with the render options the parser expects."""
    sid = tb.api.create_spreadsheet("Book", {"Kim's Tab": [["a"]], "Team Roster": [["b"]]})
    tb.workbook(sid).read(["Kim's Tab", "Team Roster"])
    batch = tb.api.sheets_requests[-1]
    assert batch.query["ranges"] == ["'Kim''s Tab'", "'Team Roster'"]
    assert batch.query["valueRenderOption"] == ["UNFORMATTED_VALUE"]
    assert batch.query["dateTimeRenderOption"] == ["SERIAL_NUMBER"]
    assert batch.query["majorDimension"] == ["ROWS"]


def test_metadata_asks_only_for_the_fields_it_uses(tb: Bench) -> None:
    """The metadata request has a `fields` mask, so no cell data or theme comes back."""
    sid = district(tb)
    tb.workbook(sid).read(["Schools"])
    assert tb.api.sheets_requests[0].query["fields"] == [
        "spreadsheetId,properties(title,timeZone),"
        "sheets(properties(sheetId,title,sheetType,"
        "gridProperties(rowCount,columnCount,frozenRowCount,frozenColumnCount),tabColor,"
        "tabColorStyle),"
        "protectedRanges(protectedRangeId,range,description,warningOnly),"
        "conditionalFormats(ranges,booleanRule(condition)),basicFilter(range),"
        "columnGroups(range,depth),charts(chartId))"
    ]


def test_write_then_read_gives_the_tables(tb: Bench) -> None:
    """Owned tables read back as written: numbers as numbers, None as blank."""
    sid = district(tb)
    workbook = tb.workbook(sid)
    workbook.read(["Schools"])
    workbook.write([SUMMARY, ISSUES])
    got = workbook.read(["Summary", "Data Issues"])
    assert got["Summary"] == as_rows(SUMMARY)
    assert got["Data Issues"] == as_rows(ISSUES)


def test_first_cycle_adds_tabs_then_three_requests_a_cycle(tb: Bench) -> None:
    """The first cycle adds the owned tabs (4 requests); every later cycle costs exactly 3."""
    sid = district(tb)
    workbook = tb.workbook(sid)
    workbook.read(["Schools", "Run Log"])
    workbook.write([SUMMARY, ISSUES])
    assert tb.operations() == [METADATA, BATCH_GET, STRUCTURE]
    for _ in range(2):
        tb.api.reset_requests()
        workbook.read(["Schools", "Run Log"])
        workbook.write([SUMMARY, ISSUES])
        assert tb.operations() == [METADATA, BATCH_GET, VALUES]


@pytest.mark.slow  # three districts up to 2,000 schools: seconds; CI runs it
def test_one_write_request_whatever_the_number_of_schools(tmp_path: Path, tb: Bench) -> None:
    """A steady-state cycle costs 3 Sheets requests for 5 schools and for 150."""
    for n_schools in (5, 150):
        tabs = synthetic_district(n_schools, TODAY, SETTINGS)
        sid = tb.api.create_spreadsheet(f"{n_schools} schools")
        workbook = tb.workbook(sid)
        workbook.add_tabs(tabs)
        run_cycle(workbook, SETTINGS, NOW)
        tb.api.reset_requests()
        report = run_cycle(workbook, SETTINGS, NOW)
        assert report.written
        assert len(report.evaluation.standings) == n_schools
        assert tb.operations() == [METADATA, BATCH_GET, VALUES]


def test_a_shorter_table_blanks_the_leftover_rows_in_the_same_write(tb: Bench) -> None:
    """Rows and columns of a longer earlier table are blanked by the one values write."""
    sid = district(tb)
    workbook = tb.workbook(sid)
    long = Table("Summary", SUMMARY.columns, [(f"School {i}", "Overdue", i) for i in range(60)])
    workbook.write([long])
    short = Table("Summary", SUMMARY.columns[:2], [("Only", "On track")])
    tb.api.reset_requests()
    workbook.write([short])
    assert tb.api.values(sid, "Summary") == [["School", "Status"], ["Only", "On track"]]
    assert tb.operations() == [METADATA, VALUES]  # the grid still fits: no structure request


def test_formula_looking_text_stays_text(tb: Bench) -> None:
    """Text goes as a stringValue: `=1+2` and `=HYPERLINK(...)` are stored as the characters
    typed, and no request carries a formula."""
    sid = district(tb)
    tb.workbook(sid).write([ISSUES])
    assert tb.api.values(sid, "Data Issues")[1:] == as_rows(ISSUES)[1:]  # not 3, not a link
    assert tb.api.values(sid, "Data Issues", render="FORMULA")[2] == ["warning", "=1+2"]
    sent = json.dumps([r.body for r in tb.api.sheets_requests])
    assert '"stringValue": "=1+2"' in sent
    assert "formulaValue" not in sent


def test_input_tabs_are_never_written(tb: Bench) -> None:
    """Two full cycles leave every input tab's cells as they were, and send nothing to them."""
    tabs = demo_district(TODAY, SETTINGS)
    sid = tb.api.create_spreadsheet("Riverbend")
    workbook = tb.workbook(sid)
    workbook.add_tabs(tabs)
    names = [t.name for t in tabs]
    before = {n: tb.api.values(sid, n, render="FORMULA") for n in names}
    ids = {tb.api.sheet_properties(sid, n)["sheetId"] for n in names}
    tb.api.reset_requests()
    run_cycle(workbook, SETTINGS, NOW)
    run_cycle(workbook, SETTINGS, NOW)
    assert {n: tb.api.values(sid, n, render="FORMULA") for n in names} == before
    writes = [r for r in tb.api.sheets_requests if r.operation == STRUCTURE]
    assert writes  # the owned tabs were written, by batchUpdate alone
    for request in writes:
        assert not ids & set(_sheet_ids(request.body))


def _sheet_ids(body: Any) -> Iterator[int]:
    if isinstance(body, dict):
        for key, value in body.items():
            if key == "sheetId":
                yield value
            else:
                yield from _sheet_ids(value)
    elif isinstance(body, list):
        for item in body:
            yield from _sheet_ids(item)


def _looks(tb: Bench, sid: str, tab: str) -> dict[str, Any]:
    sheet = next(
        s
        for s in tb.api.metadata(sid, include_grid=True)["sheets"]
        if s["properties"]["title"] == tab
    )
    header = sheet["data"][0]["rowData"][0]["values"][0].get("userEnteredFormat", {})
    return {
        "frozen": sheet["properties"]["gridProperties"].get("frozenRowCount", 0),
        "tab colour": "tabColorStyle" in sheet["properties"],
        "bold header": header.get("textFormat", {}).get("bold", False),
        "rules": [
            r["booleanRule"]["condition"]["values"][0]["userEnteredValue"]
            for r in sheet.get("conditionalFormats", [])
        ],
        "protection": [
            (p.get("description"), p.get("warningOnly", False))
            for p in sheet.get("protectedRanges", [])
        ],
        "filter": _filtered(sheet),
    }


def _filtered(sheet: dict[str, Any]) -> tuple[int, int, int] | None:
    """The header filter's first row and columns, when the tab has one over every row."""
    if "basicFilter" not in sheet:
        return None
    box = sheet["basicFilter"]["range"]
    assert box.get("endRowIndex") == sheet["properties"]["gridProperties"]["rowCount"]
    return box.get("startRowIndex", 0), box.get("startColumnIndex", 0), box["endColumnIndex"]


INTACT = {
    "frozen": 1,
    "tab colour": True,
    "bold header": True,
    "rules": list(TONES),
    "protection": [(PROTECTION_NOTE, True)],
    "filter": (0, 0, 3),  # on the header, over the table's three columns
}


def test_owned_tabs_get_their_looks(tb: Bench) -> None:
    """A new owned tab has a frozen bold header, tab colour, status rules and a warning."""
    sid = district(tb)
    tb.workbook(sid).write([SUMMARY])
    assert _looks(tb, sid, "Summary") == INTACT


def test_an_owned_tab_a_person_edited_is_restored(tb: Bench) -> None:
    """Typed-over values, removed formatting and protection all come back on the next run."""
    sid = district(tb)
    workbook = tb.workbook(sid)
    workbook.write([SUMMARY])
    sheet_id = tb.api.sheet_properties(sid, "Summary")["sheetId"]
    tb.api.set_values(sid, "Summary", [["typed over", "by hand"]], "A2")
    tb.api.set_values(sid, "Summary", [["a note"]], "B40")
    protection = tb.api.metadata(sid)["sheets"][-1]["protectedRanges"][0]["protectedRangeId"]
    as_user(
        tb.api,
        sid,
        [
            {"deleteConditionalFormatRule": {"sheetId": sheet_id, "index": 0}},
            {"deleteProtectedRange": {"protectedRangeId": protection}},
            {"clearBasicFilter": {"sheetId": sheet_id}},
            {
                "updateSheetProperties": {
                    "properties": {"sheetId": sheet_id, "gridProperties": {"frozenRowCount": 0}},
                    "fields": "gridProperties.frozenRowCount",
                }
            },
            {
                "repeatCell": {
                    "range": {"sheetId": sheet_id, "startRowIndex": 0, "endRowIndex": 1},
                    "cell": {"userEnteredFormat": {}},
                    "fields": "userEnteredFormat",
                }
            },
        ],
    )
    workbook.read(["Schools"])
    workbook.write([SUMMARY])
    assert tb.operations() == [METADATA, BATCH_GET, STRUCTURE]
    assert tb.api.values(sid, "Summary") == as_rows(SUMMARY)
    assert _looks(tb, sid, "Summary") == INTACT
    tb.api.reset_requests()
    workbook.read(["Schools"])
    workbook.write([SUMMARY])
    assert tb.operations() == [METADATA, BATCH_GET, VALUES]


def test_an_owned_tab_a_person_deleted_comes_back(tb: Bench) -> None:
    """A deleted owned tab is added again, whole, by the next run."""
    sid = district(tb)
    workbook = tb.workbook(sid)
    workbook.write([SUMMARY, ISSUES])
    sheet_id = tb.api.sheet_properties(sid, "Summary")["sheetId"]
    as_user(tb.api, sid, [{"deleteSheet": {"sheetId": sheet_id}}])
    workbook.read(["Schools"])
    workbook.write([SUMMARY, ISSUES])
    assert tb.operations() == [METADATA, BATCH_GET, STRUCTURE]
    assert tb.api.values(sid, "Summary") == as_rows(SUMMARY)
    assert _looks(tb, sid, "Summary") == INTACT


def test_a_tab_deleted_between_read_and_write_is_recovered(tb: Bench) -> None:
    """When a person deletes an owned tab mid-cycle, the write looks again once and succeeds."""
    sid = district(tb)
    workbook = tb.workbook(sid)
    workbook.write([SUMMARY])
    tb.api.reset_requests()
    workbook.read(["Schools"])
    sheet_id = tb.api.sheet_properties(sid, "Summary")["sheetId"]
    as_user(tb.api, sid, [{"deleteSheet": {"sheetId": sheet_id}}])
    workbook.write([SUMMARY])
    assert tb.operations() == [VALUES, METADATA, STRUCTURE]
    assert tb.api.values(sid, "Summary") == as_rows(SUMMARY)


def test_the_grid_grows_before_a_longer_table_is_written(tb: Bench) -> None:
    """A table longer than its grid grows it, in the same write as its cells."""
    sid = district(tb)
    workbook = tb.workbook(sid)
    workbook.write([SUMMARY])
    rows = tb.api.sheet_properties(sid, "Summary")["gridProperties"]["rowCount"]
    longer = Table("Summary", SUMMARY.columns, [(f"S{i}", "On track", i) for i in range(rows + 5)])
    tb.api.reset_requests()
    workbook.write([longer])
    assert tb.operations() == [METADATA, STRUCTURE]
    assert len(tb.api.values(sid, "Summary")) == rows + 6


def test_init_adds_only_missing_tabs_with_dropdowns(tb: Bench) -> None:
    """`init` adds the missing input tabs (headers, dropdowns, dates, frozen header) in one
    request after the metadata, and leaves an existing tab exactly as it was."""
    sid = tb.api.create_spreadsheet("Riverbend", {"Schools": SCHOOLS})
    workbook = tb.workbook(sid)
    created = workbook.add_tabs(input_tabs(SETTINGS))
    assert created == ["Facilitators", "Team Roster", "Action Plan", "Contact Log"]
    assert tb.operations() == [METADATA, STRUCTURE]
    assert tb.api.values(sid, "Schools") == SCHOOLS
    assert tb.api.values(sid, "Team Roster")[0][:3] == ["School", "Name", "Role"]
    sheets = {
        s["properties"]["title"]: s for s in tb.api.metadata(sid, include_grid=True)["sheets"]
    }
    roster = sheets["Team Roster"]
    assert roster["properties"]["gridProperties"]["frozenRowCount"] == 1
    cells = roster["data"][0]["rowData"][1]["values"]
    school, role = cells[0]["dataValidation"], cells[2]["dataValidation"]
    assert school["condition"] == {
        "type": "ONE_OF_RANGE",
        "values": [{"userEnteredValue": "='Schools'!$A$2:$A$5000"}],
    }
    assert role["condition"]["type"] == "ONE_OF_LIST"
    assert role["condition"]["values"][0] == {"userEnteredValue": "Principal"}
    assert role.get("strict", False) is False
    assert role["showCustomUi"] is True
    log = sheets["Contact Log"]["data"][0]["rowData"][1]["values"][0]
    assert log["userEnteredFormat"]["numberFormat"]["type"] == "DATE"
    assert workbook.add_tabs(input_tabs(SETTINGS)) == []


def test_check_reports_title_and_tabs_for_doctor(tb: Bench) -> None:
    """`doctor` learns the sheet's title and tabs, and the account to share with."""
    sid = district(tb)
    workbook = tb.workbook(sid)
    found = workbook.check()
    assert (found.title, found.tabs) == ("Riverbend", ("Schools", "Team Roster", "Contact Log"))
    assert workbook.service_account_email == EMAIL


def test_same_owned_tabs_as_xlsx_for_the_demo_district(tmp_path: Path, tb: Bench) -> None:
    """The demo district held in Google Sheets and in .xlsx gives the same Summary,
    Contact Calendar and Data Issues, and the same Run Log but for the seconds."""
    tabs = demo_district(TODAY, SETTINGS)
    path = tmp_path / "district.xlsx"
    create_workbook(path, tabs)
    sid = tb.api.create_spreadsheet("Riverbend")
    sheets = tb.workbook(sid)
    assert sheets.add_tabs(tabs) == [t.name for t in tabs]
    for _ in range(2):  # the second run reads the first one's Run Log back
        from_xlsx = run_cycle(XlsxWorkbook(path), SETTINGS, NOW)
        from_sheets = run_cycle(sheets, SETTINGS, NOW)
        assert from_sheets.written
        assert from_xlsx.written
        by_name = {t.name: t for t in from_xlsx.tables}
        for table in from_sheets.tables:
            if table.name == SETTINGS.tabs.run_log:
                continue
            assert table == by_name[table.name], table.name
        logs = [t for t in (*from_xlsx.tables, *from_sheets.tables) if t.name == "Run Log"]
        seconds = [c.title for c in logs[0].columns].index("Seconds")
        assert [[v for i, v in enumerate(r) if i != seconds] for r in logs[0].rows] == [
            [v for i, v in enumerate(r) if i != seconds] for r in logs[1].rows
        ]
    assert from_sheets.evaluation.errors > 0  # the demo's planted problems were seen
    written = sheets.read(["Summary"])["Summary"]
    assert written == as_rows(by_name["Summary"])


def test_workbook_is_the_port(tb: Bench) -> None:
    """Used only through the `Workbook` protocol, the backend adds tabs, writes and reads
    back what it wrote."""
    sid = tb.api.create_spreadsheet("Riverbend", {"Schools": SCHOOLS})
    port: Workbook = tb.workbook(sid)
    assert port.add_tabs(input_tabs(SETTINGS)) == [
        "Facilitators",
        "Team Roster",
        "Action Plan",
        "Contact Log",
    ]
    port.read(["Schools"])
    port.write([SUMMARY])
    found = port.read(["Schools"], owned=["Summary"])
    assert found["Summary"] == as_rows(SUMMARY)
    assert found["Schools"] == SCHOOLS


def test_the_school_column_stays_in_view_and_comes_back(tb: Bench) -> None:
    """A frozen first column is set with the tab, and restored in the one structure request
    after a person unfreezes it; the steady cycle then asks nothing more."""
    sid = district(tb)
    summary = Table(SUMMARY.name, SUMMARY.columns, SUMMARY.rows, frozen_columns=1)
    workbook = tb.workbook(sid)
    workbook.read(["Schools"])
    workbook.write([summary])
    assert tb.api.sheet_properties(sid, "Summary")["gridProperties"]["frozenColumnCount"] == 1
    sheet_id = tb.api.sheet_properties(sid, "Summary")["sheetId"]
    unfreeze = {
        "properties": {"sheetId": sheet_id, "gridProperties": {"frozenColumnCount": 0}},
        "fields": "gridProperties.frozenColumnCount",
    }
    as_user(tb.api, sid, [{"updateSheetProperties": unfreeze}])
    workbook.read(["Schools"])
    workbook.write([summary])
    assert tb.operations() == [METADATA, BATCH_GET, STRUCTURE]
    assert tb.api.sheet_properties(sid, "Summary")["gridProperties"]["frozenColumnCount"] == 1
    tb.api.reset_requests()
    workbook.read(["Schools"])
    workbook.write([summary])
    assert tb.operations() == [METADATA, BATCH_GET, VALUES]


def _column_groups(tb: Bench, sid: str) -> tuple[list[Any], list[bool]]:
    """The Summary's column groups (their ranges without the sheet id), and which of its
    columns are hidden."""
    sheet = next(
        s
        for s in tb.api.metadata(sid, include_grid=True)["sheets"]
        if s["properties"]["title"] == "Summary"
    )
    hidden = [c.get("hiddenByUser", False) for c in sheet["data"][0]["columnMetadata"]]
    groups = [
        {**g, "range": {k: v for k, v in g["range"].items() if k != "sheetId"}}
        for g in sheet.get("columnGroups", [])
    ]
    return groups, hidden


def test_folded_columns_open_folded_and_a_persons_opening_is_kept(tb: Bench) -> None:
    """The folded columns are grouped and collapsed with the tab's looks; a person who opens
    the group keeps it open (no request); a group a person deleted comes back folded."""
    sid = district(tb)
    folded = Table(SUMMARY.name, SUMMARY.columns, SUMMARY.rows, folded=(1, 3))
    workbook = tb.workbook(sid)
    workbook.read(["Schools"])
    workbook.write([folded])
    group_range = {"dimension": "COLUMNS", "startIndex": 1, "endIndex": 3}
    sheet_id = tb.api.sheet_properties(sid, "Summary")["sheetId"]
    closed = {"range": group_range, "depth": 1, "collapsed": True}
    groups, hidden = _column_groups(tb, sid)
    assert groups == [closed]
    assert hidden == [False, True, True]
    group = {"range": {"sheetId": sheet_id, **group_range}, "depth": 1, "collapsed": False}
    opened = {"dimensionGroup": group, "fields": "collapsed"}
    as_user(tb.api, sid, [{"updateDimensionGroup": opened}])
    tb.api.reset_requests()
    workbook.read(["Schools"])
    workbook.write([folded])
    assert tb.operations() == [METADATA, BATCH_GET, VALUES]
    assert _column_groups(tb, sid)[1] == [False] * 3
    removed = {"range": {"sheetId": sheet_id, **group_range}}
    as_user(tb.api, sid, [{"deleteDimensionGroup": removed}])
    workbook.read(["Schools"])
    workbook.write([folded])
    assert _column_groups(tb, sid) == ([closed], [False, True, True])


def test_dates_are_real_dates_long_text_wraps_and_a_cell_reference_links(tb: Bench) -> None:
    """A dated column holds day numbers shown in a date format; a wrapped column wraps; a
    cell reference of Data Issues opens its input tab (by gid) at that cell."""
    sid = district(tb)
    table = Table(
        "Data Issues",
        (Column("Cell"), Column("Last Contact", dated="date"), Column("Why", wrapped=True)),
        [(Link("E7", "schools", "E7"), date(2025, 11, 3), "no contact in Oct")],
    )
    workbook = tb.workbook(sid)
    workbook.read(["Schools"])
    workbook.write([table])
    assert tb.api.values(sid, "Data Issues")[1] == ["E7", 45964, "no contact in Oct"]
    sheet = next(
        s
        for s in tb.api.metadata(sid, include_grid=True)["sheets"]
        if s["properties"]["title"] == "Data Issues"
    )
    cells = sheet["data"][0]["rowData"][1]["values"]
    formats = [c.get("userEnteredFormat", {}) for c in cells]
    assert formats[1]["numberFormat"]["type"] == "DATE"
    assert formats[2]["wrapStrategy"] == "WRAP"
    assert "wrapStrategy" not in formats[0]
    schools = tb.api.sheet_properties(sid, "Schools")["sheetId"]
    assert cells[0]["hyperlink"] == f"#gid={schools}&range=E7"  # "schools" found as read finds it
    assert "hyperlink" not in cells[2]


def _charts(tb: Bench, sid: str) -> list[dict[str, Any]]:
    return next(
        s.get("charts", [])
        for s in tb.api.metadata(sid)["sheets"]
        if s["properties"]["title"] == "Summary"
    )


def test_the_summary_chart_is_made_once_and_comes_back(tb: Bench) -> None:
    """The Summary gets one column chart of the panel's counts (names V1:X1, heights V2:X2:
    the table is A:S, T blank, U the date), made with the tab; the steady cycle makes no
    request for it; deleted by a person, it comes back once."""
    sid = district(tb)
    now = datetime(2026, 12, 7, 7, 0, tzinfo=ZoneInfo("UTC"))
    summary = summary_table([], Settings(), now)
    workbook = tb.workbook(sid)
    workbook.read(["Schools"])
    workbook.write([summary])
    (chart,) = _charts(tb, sid)
    basic = chart["spec"]["basicChart"]
    (domain,) = basic["domains"][0]["domain"]["sourceRange"]["sources"]
    (series,) = basic["series"][0]["series"]["sourceRange"]["sources"]
    box = ("startRowIndex", "endRowIndex", "startColumnIndex", "endColumnIndex")
    assert [domain[k] for k in box] == [0, 1, 21, 24]
    assert [series[k] for k in box] == [1, 2, 21, 24]
    assert chart["spec"]["title"] == "Schools by status"
    tb.api.reset_requests()
    workbook.read(["Schools"])
    workbook.write([summary])
    assert tb.operations() == [METADATA, BATCH_GET, VALUES]
    as_user(tb.api, sid, [{"deleteEmbeddedObject": {"objectId": chart["chartId"]}}])
    workbook.read(["Schools"])
    workbook.write([summary])
    assert [c["chartId"] for c in _charts(tb, sid)] == [chart["chartId"]]


def test_cell_links_open_a_tab_at_a_cell(tb: Bench) -> None:
    """After a read, each tab the sheet has (matched loosely) links to its gid; a tab it
    lacks has no link."""
    sid = district(tb)
    workbook = tb.workbook(sid)
    workbook.read(["schools", "Contact Log"])
    ids = {
        title: tb.api.sheet_properties(sid, title)["sheetId"]
        for title in ("Schools", "Contact Log")
    }
    sheet = f"https://docs.google.com/spreadsheets/d/{sid}/edit"
    assert workbook.cell_links(["schools", "Contact Log", "Action Plan"]) == {
        "schools": f"{sheet}#gid={ids['Schools']}&range=",
        "Contact Log": f"{sheet}#gid={ids['Contact Log']}&range=",
    }
