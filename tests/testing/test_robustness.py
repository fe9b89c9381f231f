"""The stand-in under misuse: its own bugs, bad bodies, roles, protection, the CLI's edges."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from typing import Any

import pytest
import requests

from sheets_sync.testing.sheets_api import SheetsApiStandIn, handler

PROTECTED = (
    "You are trying to edit a protected cell or object. Please contact the spreadsheet "
    "owner to remove protection if you need to edit."
)
WRITE = {"valueInputOption": "RAW", "data": [{"range": "Schools!A2", "values": [["Bell"]]}]}


def call(
    api: SheetsApiStandIn, sid: str, path: str, token: str, **kwargs: Any
) -> requests.Response:
    method = "POST" if "json" in kwargs else "GET"
    url = f"{api.url}/v4/spreadsheets/{sid}{path}"
    headers = {"Authorization": f"Bearer {token}"}
    return requests.request(method, url, headers=headers, timeout=5, **kwargs)


def test_a_bug_in_the_stand_in_answers_500_not_a_dropped_connection(
    api: SheetsApiStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Any exception while answering becomes Google's JSON 500 INTERNAL."""

    def broken(*args: object) -> None:
        raise TypeError("a bug")

    sid = api.create_spreadsheet("District")
    monkeypatch.setattr(handler, "answer", broken)
    reply = call(api, sid, "", api.issue_token())
    assert reply.status_code == 500
    assert reply.json() == {
        "error": {"code": 500, "message": "Internal error encountered.", "status": "INTERNAL"}
    }


def test_data_that_is_not_a_list_is_a_400(api: SheetsApiStandIn) -> None:
    """`values.batchUpdate` with `data` of the wrong type is refused as Google refuses it."""
    sid = api.create_spreadsheet("District", {"Schools": [["School"]]})
    body = {"valueInputOption": "RAW", "data": 5}
    reply = call(api, sid, "/values:batchUpdate", api.issue_token(), json=body)
    assert reply.status_code == 400
    assert reply.json()["error"]["status"] == "INVALID_ARGUMENT"


def test_a_viewer_reads_but_cannot_write(api: SheetsApiStandIn) -> None:
    """Shared as reader, an account gets the sheet but Google's 403 on any write."""
    email = "viewer@x.iam.gserviceaccount.com"
    sid = api.create_spreadsheet("District", {"Schools": [["School"]]}, shared_with=[])
    api.share(sid, email, role="reader")
    token = api.issue_token(email)
    assert call(api, sid, "", token).status_code == 200
    reply = call(api, sid, "/values:batchUpdate", token, json=WRITE)
    assert reply.status_code == 403
    assert reply.json()["error"]["message"] == "The caller does not have permission"
    api.share(sid, email, role="writer")
    assert call(api, sid, "/values:batchUpdate", token, json=WRITE).status_code == 200


@pytest.mark.parametrize("warning_only", [False, True])
def test_protected_ranges_refuse_other_editors(api: SheetsApiStandIn, warning_only: bool) -> None:
    """A protected range stops another account's writes into it, unless warning-only."""
    sid = api.create_spreadsheet("District", {"Schools": [["School"]]})
    owner, other = api.issue_token("owner@x.example"), api.issue_token("robot@x.example")
    sheet_id = api.sheet_properties(sid, "Schools")["sheetId"]
    protect = {"range": {"sheetId": sheet_id, "startRowIndex": 1}, "warningOnly": warning_only}
    added = call(
        api,
        sid,
        ":batchUpdate",
        owner,
        json={"requests": [{"addProtectedRange": {"protectedRange": protect}}]},
    )
    assert added.status_code == 200
    reply = call(api, sid, "/values:batchUpdate", other, json=WRITE)
    if warning_only:
        assert reply.status_code == 200
    else:
        assert (reply.status_code, reply.json()["error"]["message"]) == (403, PROTECTED)
        assert api.values(sid, "Schools") == [["School"]]
    header = {"valueInputOption": "RAW", "data": [{"range": "Schools!A1", "values": [["Name"]]}]}
    assert call(api, sid, "/values:batchUpdate", other, json=header).status_code == 200


def test_expired_tokens_are_forgotten() -> None:
    """Issuing a token prunes the expired ones, so a long-running stand-in stays small."""
    with SheetsApiStandIn(token_lifetime=0) as api:
        old = api.issue_token()
        time.sleep(0.01)
        api.issue_token()
        assert old not in api.tokens.issued


def _serve(*options: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "sheets_sync.testing.sheets_api", *options]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _stop(server: subprocess.Popen[str]) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=10)


def test_no_auth_and_every_address_print_a_usable_url() -> None:
    """`--host 0.0.0.0 --no-auth` prints a 127.0.0.1 address that answers without a token."""
    with _serve(
        "--host", "0.0.0.0", "--port", "0", "--no-auth", "--spreadsheet", "1Sheet"
    ) as server:
        try:
            assert server.stdout is not None
            url = server.stdout.readline().strip()
            assert url.startswith("http://127.0.0.1:")
            server.stdout.readline()
            assert requests.get(f"{url}/v4/spreadsheets/1Sheet", timeout=5).status_code == 200
        finally:
            _stop(server)


def test_a_port_in_use_is_a_clear_message_and_status_2() -> None:
    """Another program on the port: one line saying so, and exit status 2."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with _serve("--port", str(port)) as server:
            try:
                _, err = server.communicate(timeout=20)
            finally:
                _stop(server)
    assert server.returncode == 2
    assert err.strip() == (
        f"Cannot listen on 127.0.0.1:{port} (Address already in use): choose another --port, "
        "or --port 0 for a free one."
    )
