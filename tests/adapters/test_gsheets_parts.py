"""The Google Sheets backend's pure parts: ranges, cell values, grid sizes, looks and messages."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sheets_sync.adapters.gsheets import a1, looks
from sheets_sync.adapters.gsheets.cells import cell_data, cell_value, input_value
from sheets_sync.adapters.gsheets.messages import read_error, write_error
from sheets_sync.adapters.gsheets.retry import Failure, RequestFailed
from sheets_sync.adapters.gsheets.sheets import parse_book
from sheets_sync.adapters.xlsx import sheet_xml, styles
from sheets_sync.core.table import TONES, Column, Table

EMAIL = "sync@district.iam.gserviceaccount.com"


@pytest.mark.parametrize(
    ("title", "quoted"),
    [
        ("Summary", "'Summary'"),
        ("Team Roster", "'Team Roster'"),
        ("Bob's", "'Bob''s'"),
        ("A1", "'A1'"),
        ("''x", "'''''x'"),
    ],
)
def test_titles_are_quoted_with_apostrophes_doubled(title: str, quoted: str) -> None:
    """Every tab name is quoted in a range, and its apostrophes doubled."""
    assert a1.quote_title(title) == quoted


def test_colours_match_the_xlsx_backend() -> None:
    """A district moving between backends sees the same tab, header and status colours."""
    assert "FF" + looks.TAB_COLOUR == sheet_xml.TAB_COLOUR
    assert "FF" + looks.HEADER_FILL == styles.HEADER_FILL
    assert {t: ("FF" + f, "FF" + x) for t, (f, x) in looks.TONE_COLOURS.items()} == (
        styles.TONE_COLOURS
    )


@given(st.integers(min_value=1, max_value=2_000_000))
def test_a_new_grid_always_fits_with_bounded_room(need: int) -> None:
    """The size a grid is given holds the table, with at most a quarter and 150 rows to spare."""
    rows = looks.rows_for(need)
    assert need < rows <= need + need // 4 + 150


def test_cells_are_written_as_raw_values() -> None:
    """Text, numbers and blanks go as they are; nothing JSON cannot carry is sent."""
    assert cell_value(None) == ""
    assert cell_value('=HYPERLINK("http://x")') == '=HYPERLINK("http://x")'
    assert cell_value(7) == 7
    assert cell_value(2.5) == 2.5
    assert cell_value(float("nan")) == "nan"
    assert cell_value("x" * 60_000) == "x" * 49_992 + " [… cut]"  # 50,000 in all


def test_init_writes_dates_as_serial_numbers() -> None:
    """Dates become the serial numbers a date-formatted column shows as dates."""
    assert input_value(date(2025, 9, 15)) == 45915
    assert input_value(datetime(2025, 9, 15, 12, 0)) == 45915.5
    assert input_value("0042") == "0042"


def test_init_cells_are_never_formulas() -> None:
    """`init` sends typed CellData: text as stringValue, so `=...` and `0042` stay text."""
    assert cell_data("=1+2") == {"userEnteredValue": {"stringValue": "=1+2"}}
    assert cell_data("0042") == {"userEnteredValue": {"stringValue": "0042"}}
    assert cell_data(date(2025, 9, 15)) == {"userEnteredValue": {"numberValue": 45915}}
    assert cell_data(True) == {"userEnteredValue": {"boolValue": True}}
    assert cell_data(None) == {}


def _sheet_meta(rules: list[dict[str, object]]) -> dict[str, object]:
    """A tab as Google describes it: fields at their default (0, false) left out."""
    return {
        "properties": {"title": "Book"},
        "sheets": [
            {
                "properties": {
                    "title": "Summary",
                    "sheetType": "GRID",
                    "gridProperties": {"rowCount": 100, "columnCount": 2, "frozenRowCount": 1},
                    "tabColorStyle": {
                        "rgbColor": {"red": 0.35686275, "green": 0.24705882, "blue": 0.54901963}
                    },
                },
                "protectedRanges": [
                    {
                        "protectedRangeId": 5,
                        "range": {},
                        "description": looks.PROTECTION_NOTE,
                        "warningOnly": True,
                    }
                ],
                "conditionalFormats": rules,
                "basicFilter": {"range": {"endRowIndex": 100, "endColumnIndex": 2}},
            }
        ],
    }


TABLE = Table("Summary", (Column("School", 30), Column("Status", 16, toned=True)), [])


def _rules(column: int) -> list[dict[str, object]]:
    where = {"startRowIndex": 1, "startColumnIndex": column, "endColumnIndex": column + 1}
    return [
        {
            "ranges": [where],
            "booleanRule": {"condition": {"type": "TEXT_EQ", "values": [{"userEnteredValue": w}]}},
        }
        for w in TONES
    ]


def test_intact_looks_are_recognised_in_googles_sparse_metadata() -> None:
    """Sheet id 0 and zero indexes left out by Google still read as the worker's looks."""
    sheet = parse_book(_sheet_meta(_rules(1))).sheets[0]
    assert sheet.sheet_id == 0
    assert looks.looks_intact(sheet, TABLE, 1, 2)


@pytest.mark.parametrize(
    "damage",
    ["frozen", "colour", "protection", "rule", "rows", "filter", "filter-narrowed"],
)
def test_looks_a_person_removed_are_noticed(damage: str) -> None:
    """Unfrozen header, tab colour, protection, a status colour or the header's filter gone
    (or cut down to fewer columns): the looks are resent."""
    meta = _sheet_meta(_rules(1))
    sheet_meta = meta["sheets"][0]  # type: ignore[index]
    props = sheet_meta["properties"]
    if damage == "frozen":
        del props["gridProperties"]["frozenRowCount"]
    elif damage == "colour":
        del props["tabColorStyle"]
    elif damage == "protection":
        sheet_meta["protectedRanges"] = []
    elif damage == "rule":
        sheet_meta["conditionalFormats"] = _rules(1)[1:]
    elif damage == "filter":
        del sheet_meta["basicFilter"]
    elif damage == "filter-narrowed":
        sheet_meta["basicFilter"]["range"]["endColumnIndex"] = 1
    else:
        props["gridProperties"]["rowCount"] = 50
    sheet = parse_book(meta).sheets[0]
    need_rows = 60 if damage == "rows" else 1
    assert not looks.looks_intact(sheet, TABLE, need_rows, 2)


def test_status_colours_are_one_rule_per_word() -> None:
    """Each status word gets one TEXT_EQ rule over the toned columns, whatever the row count."""
    requests = looks.owned_looks(9, TABLE, 100, 2)
    rules = [
        r["addConditionalFormatRule"]["rule"] for r in requests if "addConditionalFormatRule" in r
    ]
    assert [r["booleanRule"]["condition"]["values"][0]["userEnteredValue"] for r in rules] == list(
        TONES
    )
    assert all(
        r["ranges"]
        == [{"sheetId": 9, "startRowIndex": 1, "startColumnIndex": 1, "endColumnIndex": 2}]
        for r in rules
    )
    protection = requests[-1]["addProtectedRange"]["protectedRange"]
    assert protection == {
        "range": {"sheetId": 9},
        "description": looks.PROTECTION_NOTE,
        "warningOnly": True,
    }


_GOOGLE_REASONS = {403: ("PERMISSION_DENIED",), 404: ("NOT_FOUND",)}


def _failure(
    status: int | None,
    kind: Failure = "http",
    detail: str = "The caller does not have permission",
    attempts: int = 1,
    *,
    from_google: bool = True,
) -> RequestFailed:
    reasons = _GOOGLE_REASONS.get(status or 0, ()) if from_google else ()
    return RequestFailed(
        kind,
        detail,
        status=status,
        reasons=reasons,
        from_google=from_google,
        attempts=attempts,
        seconds=118.4,
    )


def test_messages_say_what_to_do() -> None:
    """Each failure a district meets reads as what went wrong and what to do."""
    assert str(read_error(_failure(403), "1AbC", EMAIL)) == (
        f"Cannot read the Google Sheet 1AbC: the sheet is not shared with the service account "
        f"{EMAIL}. Share the sheet with {EMAIL} as Editor."
    )
    assert str(read_error(_failure(404), "1AbC", EMAIL)) == (
        "Cannot read the Google Sheet 1AbC: there is no spreadsheet with the id '1AbC'. "
        "Check [workbook] spreadsheet_id: it is the part of the sheet's address between "
        "/d/ and /edit."
    )
    assert str(write_error(_failure(429, attempts=6), "1AbC", EMAIL)) == (
        "Google Sheets did not accept the write: the Google Sheets API quota is used up "
        "after 6 tries over 118 s. The owned tabs keep last run's content; the next run writes "
        "them. Run less often ([schedule] sync_every_minutes), or ask for a higher quota in "
        "the Google Cloud console."
    )
    assert str(
        write_error(_failure(503, detail="The service is unavailable.", attempts=6), "1AbC", EMAIL)
    ) == (
        "Google Sheets did not accept the write: Google Sheets answered 503: The service is "
        "unavailable after 6 tries over 118 s. The owned tabs keep last run's content; the next "
        "run writes them."
    )
    disabled = _failure(
        403, detail="Google Sheets API has not been used in project 12 before or it is disabled."
    )
    assert "Enable the Google Sheets API" in str(read_error(disabled, "1AbC", EMAIL))
    huge = RequestFailed("too-large", "more than 32 MB")
    assert str(read_error(huge, "1AbC", EMAIL)) == (
        "Cannot read the Google Sheet 1AbC: Google Sheets answered more than 32 MB for it, far "
        "more than any district's sheet (a state's is about 19 MB): a tab holds far more rows "
        "or columns than it should. Delete the rows or columns pasted by mistake (Ctrl+End on "
        "each tab finds the last cell), or move earlier years' rows to another sheet, then run "
        "again."
    )
