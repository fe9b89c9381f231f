"""What the stand-in does where the recordings are silent: limits, errors, typed input, formats."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from hypothesis import given
from hypothesis import strategies as st

from sheets_sync.testing.sheets_api import SheetsApiStandIn, a1


class Client:
    """Plain JSON calls to one spreadsheet of the stand-in, with a valid token."""

    def __init__(self, api: SheetsApiStandIn, spreadsheet_id: str) -> None:
        self.root = f"{api.url}/v4/spreadsheets/{spreadsheet_id}"
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {api.issue_token()}"

    def call(self, method: str, path: str = "", **kwargs: Any) -> tuple[int, Any]:
        reply = self.session.request(method, self.root + path, timeout=5, **kwargs)
        return reply.status_code, reply.json()

    def batch(self, *requests_: dict[str, Any]) -> tuple[int, Any]:
        return self.call("POST", ":batchUpdate", json={"requests": list(requests_)})


@pytest.fixture
def book(api: SheetsApiStandIn) -> tuple[SheetsApiStandIn, str, Client]:
    """A spreadsheet with a small Schools tab (3 rows x 2 columns) and a client for it."""
    sid = api.create_spreadsheet(
        "District", {"Schools": [["School", "Region"], ["Adams", "North"]]}
    )
    api.store.get(sid).sheets[0].resize(rows=3, columns=2)
    return api, sid, Client(api, sid)


@given(
    st.integers(0, 5000),
    st.integers(1, 300),
    st.integers(0, 700),
    st.integers(1, 40),
)
def test_a1_boxes_read_back_as_written(r0: int, height: int, c0: int, width: int) -> None:
    """Any rectangle written in A1 notation parses back to the same rectangle."""
    text = a1.format_box(r0, r0 + height, c0, c0 + width)
    assert a1.parse_cells(text) == a1.Box(r0, r0 + height, c0, c0 + width)


@given(st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30))
def test_quoted_titles_read_back_as_written(title: str) -> None:
    """Any tab title, quoted as Google quotes it, splits back out of a range."""
    assert a1.split_range(f"{a1.quote_title(title)}!B2").title == title


def test_titles_quoted_only_when_needed() -> None:
    """Plain titles stay bare; spaces, cell-like names and quotes get single quotes."""
    assert a1.quote_title("Summary") == "Summary"
    assert a1.quote_title("Run Log") == "'Run Log'"
    assert a1.quote_title("D3") == "'D3'"
    assert a1.quote_title("Kim's") == "'Kim''s'"


def test_writes_past_the_grid_are_refused_whole(book: tuple[SheetsApiStandIn, str, Client]) -> None:
    """A write that would pass the grid answers Google's 400 and stores none of the batch."""
    api, sid, client = book
    body = {
        "valueInputOption": "RAW",
        "data": [
            {"range": "Schools!A2", "values": [["Baker"]]},
            {"range": "Schools!A3", "values": [["Cole"], ["Dunn"]]},
        ],
    }
    status, answer = client.call("POST", "/values:batchUpdate", json=body)
    assert status == 400
    assert answer["error"]["message"] == (
        "Range (Schools!A3:A4) exceeds grid limits. Max rows: 3, max columns: 2"
    )
    assert api.values(sid, "Schools") == [["School", "Region"], ["Adams", "North"]]


def test_bad_ranges_and_request_kinds(book: tuple[SheetsApiStandIn, str, Client]) -> None:
    """An unknown tab and an unknown batchUpdate kind answer 400 as Google words them."""
    _, _, client = book
    status, answer = client.call("GET", "/values/Nope!A1")
    assert (status, answer["error"]["message"]) == (400, "Unable to parse range: Nope!A1")
    status, answer = client.batch({"frobnicate": {}})
    assert status == 400
    assert answer["error"]["message"] == (
        "Invalid JSON payload received. Unknown name \"frobnicate\" at 'requests[0]':"
        " Cannot find field."
    )


def test_batch_update_is_all_or_nothing(book: tuple[SheetsApiStandIn, str, Client]) -> None:
    """When a later request of a batch fails, the earlier ones are undone."""
    api, sid, client = book
    status, answer = client.batch(
        {"addSheet": {"properties": {"title": "Summary"}}},
        {"deleteSheet": {"sheetId": 12345}},
    )
    assert (status, answer["error"]["message"]) == (
        400,
        "Invalid requests[1].deleteSheet: No grid with id: 12345",
    )
    assert api.tabs(sid) == ["Schools"]


def test_user_entered_text_is_typed_raw_is_not(book: tuple[SheetsApiStandIn, str, Client]) -> None:
    """USER_ENTERED turns typed text into numbers, booleans and dates; RAW keeps text."""
    api, sid, client = book
    row = ["007", "TRUE"]
    for option, start in (("USER_ENTERED", "A2"), ("RAW", "A3")):
        status, _ = client.call(
            "PUT",
            f"/values/Schools!{start}",
            params={"valueInputOption": option},
            json={"values": [row]},
        )
        assert status == 200
    assert api.values(sid, "Schools")[1:] == [[7, True], ["007", "TRUE"]]
    client.call(
        "PUT",
        "/values/Schools!A1",
        params={"valueInputOption": "USER_ENTERED"},
        json={"values": [["2024-01-31", "2,000.5"]]},
    )
    assert api.values(sid, "Schools")[0] == [45322, 2000.5]
    assert api.values(sid, "Schools", render="FORMATTED_VALUE")[0] == ["2024-01-31", "2,000.5"]


def test_formats_protection_and_field_masks(book: tuple[SheetsApiStandIn, str, Client]) -> None:
    """Colors are kept at 8 bits with their Style twin; protections list their owner; masks nest."""
    _, _, client = book
    status, answer = client.batch(
        {
            "repeatCell": {
                "range": {"sheetId": 0, "startRowIndex": 0, "endRowIndex": 1},
                "cell": {"userEnteredFormat": {"backgroundColor": {"red": 1, "green": 0.5}}},
                "fields": "userEnteredFormat.backgroundColor",
            }
        },
        {"addProtectedRange": {"protectedRange": {"range": {"sheetId": 0}, "warningOnly": True}}},
    )
    assert status == 200
    protected = answer["replies"][1]["addProtectedRange"]["protectedRange"]
    assert protected["warningOnly"] is True
    assert protected["editors"] == {}
    status, answer = client.call(
        "GET",
        "",
        params={
            "ranges": "Schools!B1",
            "fields": "sheets(data.rowData.values.userEnteredFormat,"
            "protectedRanges(warningOnly,editors))",
        },
    )
    sheet = answer["sheets"][0]
    assert sheet["data"][0]["rowData"][0]["values"][0]["userEnteredFormat"] == {
        "backgroundColor": {"red": 1, "green": 0.49803922},
        "backgroundColorStyle": {"rgbColor": {"red": 1, "green": 0.49803922}},
    }
    assert sheet["protectedRanges"] == [
        {"warningOnly": True, "editors": {"users": ["tester@stand-in.iam.gserviceaccount.com"]}}
    ]


def test_create_conditional_formats_and_dimensions(api: SheetsApiStandIn) -> None:
    """POST /v4/spreadsheets makes the tabs named; rules and sizes read back from metadata."""
    token = api.issue_token("maker@x.iam.gserviceaccount.com")
    body = {"properties": {"title": "New"}, "sheets": [{"properties": {"title": "Summary"}}]}
    made = requests.post(
        f"{api.url}/v4/spreadsheets",
        json=body,
        headers={"Authorization": f"Bearer {token}"},
        timeout=5,
    ).json()
    assert [s["properties"]["title"] for s in made["sheets"]] == ["Summary"]
    client = Client(api, made["spreadsheetId"])
    client.session.headers["Authorization"] = f"Bearer {token}"
    rule = {
        "ranges": [{"sheetId": 0, "startColumnIndex": 1, "endColumnIndex": 2}],
        "booleanRule": {
            "condition": {"type": "TEXT_EQ", "values": [{"userEnteredValue": "Overdue"}]},
            "format": {"backgroundColor": {"red": 1}},
        },
    }
    status, _ = client.batch(
        {"addConditionalFormatRule": {"rule": rule, "index": 0}},
        {
            "updateDimensionProperties": {
                "range": {"sheetId": 0, "dimension": "COLUMNS", "startIndex": 0, "endIndex": 1},
                "properties": {"pixelSize": 240},
                "fields": "pixelSize",
            }
        },
        {"appendDimension": {"sheetId": 0, "dimension": "ROWS", "length": 500}},
    )
    assert status == 200
    sheet = api.metadata(made["spreadsheetId"], include_grid=True)["sheets"][0]
    assert sheet["properties"]["gridProperties"] == {"rowCount": 1500, "columnCount": 26}
    assert sheet["data"][0]["columnMetadata"][:2] == [{"pixelSize": 240}, {"pixelSize": 100}]
    assert sheet["conditionalFormats"][0]["booleanRule"]["format"]["backgroundColorStyle"] == {
        "rgbColor": {"red": 1}
    }
    status, answer = client.batch({"deleteConditionalFormatRule": {"sheetId": 0, "index": 0}})
    assert answer["replies"][0]["deleteConditionalFormatRule"]["rule"]["ranges"] == rule["ranges"]
    assert "conditionalFormats" not in api.metadata(made["spreadsheetId"])["sheets"][0]
    other = Client(api, made["spreadsheetId"])
    assert other.call("GET")[0] == 403


def test_a_collapsed_column_group_hides_its_columns(
    book: tuple[SheetsApiStandIn, str, Client],
) -> None:
    """updateDimensionGroup finds the group by range and depth; collapsing it hides its
    columns and expanding shows them, as the API reference says; an unknown group is a 400."""
    _, _, client = book
    columns = {"sheetId": 0, "dimension": "COLUMNS", "startIndex": 1, "endIndex": 2}
    group = {"range": columns, "depth": 1, "collapsed": True}
    status, _ = client.batch(
        {"addDimensionGroup": {"range": columns}},
        {"updateDimensionGroup": {"dimensionGroup": group, "fields": "collapsed"}},
    )
    assert status == 200
    fields = "sheets(columnGroups,data.columnMetadata.hiddenByUser)"
    _, answer = client.call("GET", "", params={"ranges": "Schools!A1:B1", "fields": fields})
    sheet = answer["sheets"][0]
    in_range = {"dimension": "COLUMNS", "startIndex": 1, "endIndex": 2}  # sheet id 0 left out
    assert sheet["columnGroups"] == [{"range": in_range, "depth": 1, "collapsed": True}]
    assert sheet["data"][0]["columnMetadata"] == [{}, {"hiddenByUser": True}]
    expand = {"dimensionGroup": {**group, "collapsed": False}, "fields": "collapsed"}
    assert client.batch({"updateDimensionGroup": expand})[0] == 200
    _, answer = client.call("GET", "", params={"ranges": "Schools!A1:B1", "fields": fields})
    assert answer["sheets"][0]["columnGroups"][0].get("collapsed") is None
    assert answer["sheets"][0]["data"][0]["columnMetadata"] == [{}, {}]
    deeper = {"dimensionGroup": {**group, "depth": 2}, "fields": "collapsed"}
    status, answer = client.batch({"updateDimensionGroup": deeper})
    assert (status, answer["error"]["message"]) == (
        400,
        "Invalid requests[0].updateDimensionGroup: No dimension group was found in the range.",
    )


def test_charts_are_added_listed_and_deleted_by_id(
    book: tuple[SheetsApiStandIn, str, Client],
) -> None:
    """A chart over a sheet keeps the id asked for; a second chart with it, or a deletion of
    an id no object has, is a 400; so is a chart whose source is on no sheet."""
    _, _, client = book
    source = {"sheetId": 0, "startRowIndex": 0, "endRowIndex": 1, "startColumnIndex": 0}
    spec = {"basicChart": {"chartType": "COLUMN", "domains": [
        {"domain": {"sourceRange": {"sources": [{**source, "endColumnIndex": 2}]}}}
    ]}}  # fmt: skip
    anchor = {"overlayPosition": {"anchorCell": {"sheetId": 0, "rowIndex": 2, "columnIndex": 0}}}
    chart = {"chartId": 77, "spec": spec, "position": anchor}
    status, answer = client.batch({"addChart": {"chart": chart}})
    assert (status, answer["replies"][0]["addChart"]["chart"]["chartId"]) == (200, 77)
    _, listed = client.call("GET", "", params={"fields": "sheets(charts(chartId))"})
    assert listed["sheets"][0]["charts"] == [{"chartId": 77}]
    status, answer = client.batch({"addChart": {"chart": chart}})
    assert (status, answer["error"]["message"]) == (
        400,
        "Invalid requests[0].addChart: An object with id 77 already exists.",
    )
    elsewhere = {**source, "sheetId": 999, "endColumnIndex": 2}
    lost = {**chart, "chartId": 78}
    lost["spec"] = {
        "basicChart": {"domains": [{"domain": {"sourceRange": {"sources": [elsewhere]}}}]}
    }
    status, answer = client.batch({"addChart": {"chart": lost}})
    assert (status, answer["error"]["message"]) == (
        400,
        "Invalid requests[0].addChart: No grid with id: 999",
    )
    assert client.batch({"deleteEmbeddedObject": {"objectId": 77}})[0] == 200
    status, answer = client.batch({"deleteEmbeddedObject": {"objectId": 77}})
    assert (status, answer["error"]["message"]) == (
        400,
        "Invalid requests[0].deleteEmbeddedObject: No object with id: 77",
    )


def test_a_link_run_makes_the_cell_a_hyperlink(book: tuple[SheetsApiStandIn, str, Client]) -> None:
    """updateCells with textFormatRuns keeps the runs; one link over the text is the cell's
    `hyperlink`."""
    _, _, client = book
    link = [{"format": {"link": {"uri": "#gid=0&range=B2"}}}]
    cells = {"values": [{"userEnteredValue": {"stringValue": "B2"}, "textFormatRuns": link}]}
    where = {"sheetId": 0, "startRowIndex": 2, "endRowIndex": 3, "startColumnIndex": 0}
    update = {"range": {**where, "endColumnIndex": 1}, "rows": [cells]}
    update["fields"] = "userEnteredValue,textFormatRuns"
    assert client.batch({"updateCells": update})[0] == 200
    fields = "sheets(data.rowData.values(hyperlink,textFormatRuns,formattedValue))"
    _, answer = client.call("GET", "", params={"ranges": "Schools!A3", "fields": fields})
    (cell,) = answer["sheets"][0]["data"][0]["rowData"][0]["values"]
    assert cell == {"formattedValue": "B2", "textFormatRuns": link, "hyperlink": "#gid=0&range=B2"}
