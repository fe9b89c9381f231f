"""Credentials, the endpoint adapter and google-auth's own requests, over local HTTP."""

from __future__ import annotations

import copy
import json
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from google.auth import exceptions as auth_exceptions
from gsheets_fixtures import EMAIL, Answer, Seen, in_turn, key_file, scripted_server

from sheets_sync.adapters.gsheets import GoogleSheetsWorkbook, HttpSettings
from sheets_sync.adapters.gsheets.retry import Late
from sheets_sync.adapters.gsheets.transport import (
    EndpointAdapter,
    TimeoutRequest,
    api_root,
    load_credentials,
    refresh_transport,
    rewrite,
)
from sheets_sync.errors import WorkbookError
from tests.silence import SILENCE, WELL_BEFORE_THE_SILENCE_ENDS

KEY_HELP = (
    "Download a JSON key for the service account (Google Cloud console, IAM & Admin, "
    "Service accounts, Keys, Add key, JSON) and set [workbook] credentials to its path."
)


def test_no_credentials_configured() -> None:
    """Without a key file the message names both ways to give one."""
    with pytest.raises(WorkbookError) as caught:
        load_credentials(None)
    assert str(caught.value) == (
        "No Google service-account key is configured: set [workbook] credentials or "
        "GOOGLE_APPLICATION_CREDENTIALS to the service account's JSON key file."
    )


def test_missing_credentials_file(tmp_path: Path) -> None:
    """A key file that is not there is named, with how to get one."""
    path = tmp_path / "key.json"
    with pytest.raises(WorkbookError) as caught:
        GoogleSheetsWorkbook("abc", path)
    assert str(caught.value) == f"The credentials file {path} does not exist. {KEY_HELP}"


def test_credentials_file_not_json(tmp_path: Path) -> None:
    """A file that is not JSON says so, and where the parser stopped."""
    path = tmp_path / "key.json"
    path.write_text("-----BEGIN PRIVATE KEY-----\n", encoding="utf-8")
    with pytest.raises(WorkbookError) as caught:
        load_credentials(path)
    assert str(caught.value) == (
        f"The credentials file {path} is not JSON (Expecting value: line 1 column 1 (char 0)). "
        "It should be the key file of a service account, as Google Cloud downloads it. "
        f"{KEY_HELP}"
    )


def test_credentials_of_a_person_are_refused(tmp_path: Path) -> None:
    """A person's OAuth credentials (`authorized_user`) are not a service-account key."""
    path = tmp_path / "key.json"
    path.write_text(json.dumps({"type": "authorized_user", "client_id": "x"}), encoding="utf-8")
    with pytest.raises(WorkbookError) as caught:
        load_credentials(path)
    assert str(caught.value) == (
        f"The credentials file {path} is not a service-account key (its type is "
        "'authorized_user', not 'service_account'). sheets-sync signs in as a service "
        f"account, not as a person. {KEY_HELP}"
    )


def test_incomplete_service_account_key(tmp_path: Path) -> None:
    """A key file missing its fields says which ones."""
    path = tmp_path / "key.json"
    path.write_text(json.dumps({"type": "service_account"}), encoding="utf-8")
    with pytest.raises(
        WorkbookError, match=r"is not a usable service-account key \(.*client_email"
    ):
        load_credentials(path)


def test_service_account_email_is_kept(tmp_path: Path) -> None:
    """The account's email is at hand for messages and for `doctor`."""
    path = key_file(tmp_path, "https://oauth2.googleapis.com/token")
    workbook = GoogleSheetsWorkbook("abc", path, "http://127.0.0.1:9")
    assert workbook.service_account_email == EMAIL


@pytest.mark.parametrize(
    ("url", "moved"),
    [
        (
            "https://sheets.googleapis.com/v4/spreadsheets/abc/values:batchGet?ranges=%27A%27",
            "http://127.0.0.1:8080/v4/spreadsheets/abc/values:batchGet?ranges=%27A%27",
        ),
        ("https://oauth2.googleapis.com/token", "https://oauth2.googleapis.com/token"),
        ("https://www.googleapis.com/drive/v3/files", "https://www.googleapis.com/drive/v3/files"),
        (
            f"https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/{EMAIL}/allowedLocations",
            f"http://127.0.0.1:8080/v1/projects/-/serviceAccounts/{EMAIL}/allowedLocations",
        ),
        ("https://example.org/v4/spreadsheets/abc", "https://example.org/v4/spreadsheets/abc"),
        ("http://sheets.googleapis.com/v4", "http://sheets.googleapis.com/v4"),
        ("https://googleapis.com.evil.example/x", "https://googleapis.com.evil.example/x"),
    ],
)
def test_rewrite_moves_only_google_apis(url: str, moved: str) -> None:
    """Only the Sheets API and the access-boundary lookup go to the endpoint, path and
    query kept; the token request goes to the key file's token_uri as written."""
    assert rewrite(url, "http://127.0.0.1:8080/") == moved


@pytest.mark.parametrize(
    "root", ["https://sheets.googleapis.com", "https://sheets.googleapis.com/"]
)
def test_googles_own_root_as_endpoint_is_no_endpoint(root: str) -> None:
    """`endpoint = "https://sheets.googleapis.com"` means Google's API, not a rewrite."""
    assert api_root(root) == ""
    assert api_root("http://127.0.0.1:8080/") == "http://127.0.0.1:8080"


def test_endpoint_survives_google_auths_deep_copy() -> None:
    """google-auth deep-copies the refresh transport for its background lookup; the copy
    still routes to the endpoint and still has a timeout."""
    session = requests.Session()
    session.mount("https://", EndpointAdapter("http://127.0.0.1:1"))
    copied = copy.deepcopy(TimeoutRequest(session, (1.0, 2.0)))
    adapter = copied.session.get_adapter("https://iamcredentials.googleapis.com/v1/x")
    assert isinstance(adapter, EndpointAdapter)
    assert adapter.endpoint == "http://127.0.0.1:1"
    assert copied.timeout == (1.0, 2.0)


def test_refresh_transport_puts_a_timeout_on_requests_sent_without_one() -> None:
    """google-auth sends its lookup with `timeout=None`; that request still times out,
    long before the silent server would answer."""
    with scripted_server(in_turn(Answer(hang=SILENCE))) as (url, _):
        request = TimeoutRequest(requests.Session(), (1.0, 0.3))
        started = time.monotonic()
        with pytest.raises(auth_exceptions.TransportError):
            request(f"{url}/v1/x", timeout=None)
        assert time.monotonic() - started < WELL_BEFORE_THE_SILENCE_ENDS


# A token endpoint that sends its answer 4 bytes every 0.4 s: 340 bytes take 34 s.
TRICKLED_TOKEN = Answer(
    body={"access_token": "t" * 300, "expires_in": 3600, "token_type": "Bearer"}, trickle=0.4
)


@pytest.mark.slow  # a second of real waiting: CI runs it
def test_a_token_endpoint_that_trickles_is_cut_at_the_whole_answers_deadline() -> None:
    """Each silence is short, so no read timeout fires; the whole answer is bounded by the
    try's connect and read timeouts together (here 1 s)."""
    with scripted_server(in_turn(TRICKLED_TOKEN)) as (url, _):
        request = TimeoutRequest(requests.Session(), (0.5, 0.5))
        started = time.monotonic()
        with pytest.raises(Late):
            request(f"{url}/token", method="POST", body=b"grant_type=x")
        assert time.monotonic() - started < WELL_BEFORE_THE_SILENCE_ENDS
    assert SILENCE < 0.4 * 340 / 4  # the answer would take longer than the silence


@pytest.mark.slow  # waits out a real trickle of seconds: a proof for CI
def test_a_run_signing_in_at_a_trickling_token_endpoint_ends_with_a_message(
    tmp_path: Path,
) -> None:
    """Through the workbook: two tries, each cut at its deadline, then a clear failure."""
    with scripted_server(in_turn(TRICKLED_TOKEN)) as (url, _):
        settings = HttpSettings(
            attempts=2, connect_timeout=0.5, read_timeout=0.5, backoff_seconds=0
        )
        workbook = GoogleSheetsWorkbook(
            "abc", key_file(tmp_path, f"{url}/token"), "http://127.0.0.1:9", settings
        )
        started = time.monotonic()
        with pytest.raises(WorkbookError, match="did not arrive in time"):
            workbook.read(["Schools"])
        assert time.monotonic() - started < WELL_BEFORE_THE_SILENCE_ENDS


def test_token_to_token_uri_and_sheets_to_the_endpoint(tmp_path: Path) -> None:
    """The token request goes to the key's token_uri, then the Sheets request reaches the
    endpoint; whether google-auth also looks up an access boundary is its own choice."""

    def script(seen: Seen) -> Answer:
        path = urlsplit(seen.path).path
        if path == "/token":
            return Answer(
                200, {"access_token": "t0k3n", "expires_in": 3600, "token_type": "Bearer"}
            )
        if path.endswith("/allowedLocations"):
            return Answer(200, {"locations": ["us-east1"], "encodedLocations": "0x1"})
        return Answer(200, {"properties": {"title": "District"}, "sheets": []})

    with scripted_server(script) as (url, seen):
        key = key_file(tmp_path, f"{url}/token")
        workbook = GoogleSheetsWorkbook("sheet-1", key, url, HttpSettings(attempts=1))
        assert workbook.check().title == "District"
    paths = [urlsplit(s.path).path for s in seen]
    assert paths[0] == "/token"
    assert "/v4/spreadsheets/sheet-1" in paths
    lookup = f"/v1/projects/-/serviceAccounts/{EMAIL}/allowedLocations"
    assert set(paths[1:]) <= {"/v4/spreadsheets/sheet-1", lookup}
    grant = parse_qs(seen[0].body.decode())
    assert grant["grant_type"] == ["urn:ietf:params:oauth:grant-type:jwt-bearer"]


def test_a_boundary_lookup_sent_as_google_auth_sends_it_reaches_the_endpoint() -> None:
    """google-auth (2.55 to 2.62, or later when opted in) sends the lookup through a deep
    copy of the refresh transport, with no timeout: it lands on the endpoint, answered."""
    lookup = f"https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/{EMAIL}/allowedLocations"
    boundary = {"locations": ["us-east1"], "encodedLocations": "0x1"}
    with scripted_server(in_turn(Answer(200, boundary))) as (url, seen):
        transport = copy.deepcopy(refresh_transport(url, HttpSettings(attempts=1)))
        response = transport(lookup, "GET", headers={"authorization": "Bearer t0k3n"})
    assert response.status == 200
    assert json.loads(response.data) == boundary
    assert [(s.method, s.path) for s in seen] == [
        ("GET", f"/v1/projects/-/serviceAccounts/{EMAIL}/allowedLocations")
    ]


@pytest.mark.parametrize("token_uri", ["nope", "oauth2.googleapis.com/token", "ftp://x/token", 5])
def test_a_token_uri_that_is_not_a_web_address_is_refused_at_once(
    tmp_path: Path, token_uri: object
) -> None:
    """A key file whose token_uri cannot be requested is a key problem found on loading,
    not six network failures later."""
    path = key_file(tmp_path, "https://oauth2.googleapis.com/token")
    info = json.loads(path.read_text())
    path.write_text(json.dumps({**info, "token_uri": token_uri}))
    with pytest.raises(WorkbookError, match="is not a usable service-account key") as caught:
        load_credentials(path)
    assert "token_uri" in str(caught.value)
