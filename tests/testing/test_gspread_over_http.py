"""The real gspread and google-auth against the stand-in over HTTP; faults as requests sees them."""

from __future__ import annotations

import copy
import json

import gspread
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from gspread.utils import DateTimeOption, ValueInputOption, ValueRenderOption

from sheets_sync.adapters.gsheets.retry import HttpSettings
from sheets_sync.adapters.gsheets.transport import refresh_transport
from sheets_sync.testing.sheets_api import SheetsApiStandIn
from tests.testing.conftest import ROBOT
from tests.testing.google_clients import gspread_client, new_key, service_account_info


@pytest.fixture
def client(api: SheetsApiStandIn, robot_key: rsa.RSAPrivateKey) -> gspread.Client:
    """gspread signed in as the test service account through the stand-in's token endpoint."""
    return gspread_client(api, service_account_info(api, ROBOT, robot_key))


def test_open_read_and_write_a_worksheet(api: SheetsApiStandIn, client: gspread.Client) -> None:
    """open_by_key, a worksheet read and a write land in the stand-in through a real token."""
    sid = api.create_spreadsheet(
        "District", {"Schools": [["School", "Region"], ["Adams", "North"]]}
    )
    spreadsheet = client.open_by_key(sid)
    sheet = spreadsheet.worksheet("Schools")
    assert sheet.get_all_values() == [["School", "Region"], ["Adams", "North"]]
    sheet.update([["Baker", "South"]], "A3")
    assert api.values(sid, "Schools")[2] == ["Baker", "South"]
    operations = [r.operation for r in api.requests]
    assert operations[0] == "oauth2.token"
    assert all(r.headers["authorization"].startswith("Bearer ya29.") for r in api.sheets_requests)


def test_batch_get_unformatted_with_serial_dates(
    api: SheetsApiStandIn, client: gspread.Client
) -> None:
    """batch_get with UNFORMATTED_VALUE and SERIAL_NUMBER gives numbers, serial dates and text."""
    sid = api.create_spreadsheet("District", {"Contacts": [["Date", "Minutes", "Note"]]})
    api.set_values(sid, "Contacts", [["2024-09-03", "15", "call"]], "A2", user_entered=True)
    sheet = client.open_by_key(sid).worksheet("Contacts")
    got = sheet.batch_get(
        ["A1:C2"],
        value_render_option=ValueRenderOption.unformatted,
        date_time_render_option=DateTimeOption.serial_number,
    )
    assert got[0] == [["Date", "Minutes", "Note"], [45538, 15, "call"]]
    formatted = sheet.batch_get(["A2:C2"])
    assert formatted[0] == [["2024-09-03", "15", "call"]]


def test_raw_batch_update_keeps_formula_looking_text(
    api: SheetsApiStandIn, client: gspread.Client
) -> None:
    """values_batch_update with RAW stores "=1+1" as text, where USER_ENTERED makes a formula."""
    sid = api.create_spreadsheet("District", {"Summary": []})
    spreadsheet = client.open_by_key(sid)
    body = {
        "valueInputOption": "RAW",
        "data": [{"range": "Summary!A1", "values": [["=1+1", "+3", "007"]]}],
    }
    reply = spreadsheet.values_batch_update(body)
    assert reply["totalUpdatedCells"] == 3
    sheet = spreadsheet.worksheet("Summary")
    sheet.update([["=1+1"]], "A2", value_input_option=ValueInputOption.user_entered)
    unformatted = sheet.get("A1:C2", value_render_option=ValueRenderOption.unformatted)
    assert unformatted == [["=1+1", "+3", "007"], [2]]
    assert sheet.get("A1:A2", value_render_option=ValueRenderOption.formula) == [["=1+1"], ["=1+1"]]
    grid = spreadsheet.fetch_sheet_metadata(
        {"ranges": "Summary!A1:A2", "fields": "sheets.data.rowData.values.userEnteredValue"}
    )
    rows = grid["sheets"][0]["data"][0]["rowData"]
    assert rows == [
        {"values": [{"userEnteredValue": {"stringValue": "=1+1"}}]},
        {"values": [{"userEnteredValue": {"formulaValue": "=1+1"}}]},
    ]


def test_not_shared_and_unknown_spreadsheets(api: SheetsApiStandIn, client: gspread.Client) -> None:
    """Not shared with the account: 403; an unknown id: 404; both worded as Google words them."""
    private = api.create_spreadsheet(
        "Private", shared_with=["someone-else@example.iam.gserviceaccount.com"]
    )
    with pytest.raises(PermissionError) as denied:
        client.open_by_key(private)
    cause = denied.value.__cause__
    assert isinstance(cause, gspread.exceptions.APIError)
    assert cause.response.json() == {
        "error": {
            "code": 403,
            "message": "The caller does not have permission",
            "status": "PERMISSION_DENIED",
        }
    }
    with pytest.raises(gspread.exceptions.SpreadsheetNotFound) as missing:
        client.open_by_key("1NoSuchSpreadsheetXXXXXXXXXXXXXXXXXXXXXXXXXX")
    not_found = missing.value.__cause__
    assert isinstance(not_found, gspread.exceptions.APIError)
    assert not_found.response.json()["error"] == {
        "code": 404,
        "message": "Requested entity was not found.",
        "status": "NOT_FOUND",
    }


def test_access_boundary_lookup_is_answered(api: SheetsApiStandIn, client: gspread.Client) -> None:
    """The access boundary lookup, sent as google-auth sends it (a copy of the sign-in
    transport, the caller's token), reaches the stand-in and gets a no-op boundary."""
    client.open_by_key(api.create_spreadsheet("District"))
    token = client.http_client.session.credentials.token
    lookup = f"https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/{ROBOT}/allowedLocations"
    transport = copy.deepcopy(refresh_transport(api.url, HttpSettings()))
    response = transport(lookup, "GET", headers={"authorization": f"Bearer {token}"})
    assert response.status == 200
    assert json.loads(response.data) == {"locations": [], "encodedLocations": "0x0"}
    lookups = [r for r in api.requests if r.operation == "iamcredentials.allowedLocations"]
    assert lookups[-1].path == f"/v1/projects/-/serviceAccounts/{ROBOT}/allowedLocations"
    assert lookups[-1].status == 200


def test_token_requests_are_checked(api: SheetsApiStandIn) -> None:
    """An assertion signed by another key, or from an unknown account, gets no token."""
    stranger = service_account_info(api, ROBOT, new_key())
    other = gspread_client(api, stranger)
    with pytest.raises(Exception, match="Invalid JWT Signature"):
        other.open_by_key(api.create_spreadsheet("District"))
    unknown = gspread_client(
        api, service_account_info(api, "nobody@x.iam.gserviceaccount.com", new_key())
    )
    with pytest.raises(Exception, match="account not found"):
        unknown.open_by_key(api.create_spreadsheet("District"))


def test_requests_without_a_valid_token_get_401(api: SheetsApiStandIn) -> None:
    """No bearer token, or one the stand-in did not issue, answers 401 in Google's shape."""
    sid = api.create_spreadsheet("District")
    bare = requests.get(f"{api.url}/v4/spreadsheets/{sid}", timeout=5)
    assert bare.status_code == 401
    assert bare.json()["error"]["status"] == "UNAUTHENTICATED"
    assert bare.json()["error"]["message"].startswith(
        "Request is missing required authentication credential."
    )
    forged = requests.get(
        f"{api.url}/v4/spreadsheets/{sid}", headers={"Authorization": "Bearer made-up"}, timeout=5
    )
    assert forged.status_code == 401
    assert forged.json()["error"]["message"].startswith(
        "Request had invalid authentication credentials."
    )


def test_injected_faults_as_a_plain_client_sees_them(api: SheetsApiStandIn) -> None:
    """429 with Retry-After, 503, a slow answer past the read timeout and a dropped connection."""
    sid = api.create_spreadsheet("District")
    url = f"{api.url}/v4/spreadsheets/{sid}/values/Sheet1"
    headers = {"Authorization": f"Bearer {api.issue_token()}"}
    api.fail_next(1, status=429, retry_after=7)
    api.fail_next(1, status=503)
    api.delay_next(1, 1.0)
    api.drop_next(1)
    quota = requests.get(url, headers=headers, timeout=5)
    assert quota.status_code == 429
    assert quota.headers["Retry-After"] == "7"
    assert quota.json()["error"]["status"] == "RESOURCE_EXHAUSTED"
    unavailable = requests.get(url, headers=headers, timeout=5)
    assert (unavailable.status_code, unavailable.json()["error"]["status"]) == (503, "UNAVAILABLE")
    with pytest.raises(requests.exceptions.ReadTimeout):
        requests.get(url, headers=headers, timeout=(2, 0.2))
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(url, headers=headers, timeout=5)
    assert requests.get(url, headers=headers, timeout=5).status_code == 200
    faults = [r.fault for r in api.sheets_requests]
    assert faults == ["fail 429", "fail 503", "delay 1s", "drop", None]


def test_request_log_counts_each_cycle(api: SheetsApiStandIn, client: gspread.Client) -> None:
    """reset_requests starts a fresh count of the Sheets requests a piece of work makes."""
    sid = api.create_spreadsheet("District", {"Schools": [["School"]], "Summary": []})
    spreadsheet = client.open_by_key(sid)
    api.reset_requests()
    spreadsheet.values_batch_get(
        ["Schools", "Summary"], params={"valueRenderOption": "UNFORMATTED_VALUE"}
    )
    spreadsheet.values_batch_update(
        {"valueInputOption": "RAW", "data": [{"range": "Summary!A1", "values": [["x"]]}]}
    )
    assert [r.operation for r in api.sheets_requests] == [
        "spreadsheets.values.batchGet",
        "spreadsheets.values.batchUpdate",
    ]
    assert api.sheets_requests[0].query["ranges"] == ["Schools", "Summary"]
