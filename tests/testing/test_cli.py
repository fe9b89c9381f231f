"""``python -m sheets_sync.testing.sheets_api`` as a district runs it."""

from __future__ import annotations

import signal
import subprocess
import sys

import requests


def test_prints_its_url_first_answers_and_stops_on_sigterm() -> None:
    """The first line is the base URL; the server answers there; SIGTERM ends it cleanly."""
    command = [
        sys.executable,
        "-m",
        "sheets_sync.testing.sheets_api",
        "--port",
        "0",
        "--spreadsheet",
        "1DistrictSheetForTesting",
    ]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as server:
        try:
            assert server.stdout is not None
            url = server.stdout.readline().strip()
            assert url.startswith("http://127.0.0.1:")
            assert server.stdout.readline().strip() == "spreadsheet 1DistrictSheetForTesting"
            answer = requests.get(f"{url}/v4/spreadsheets/1DistrictSheetForTesting", timeout=5)
            assert answer.status_code == 401
            assert answer.json()["error"]["status"] == "UNAUTHENTICATED"
            server.send_signal(signal.SIGTERM)
            assert server.wait(timeout=10) == 0
        finally:
            if server.poll() is None:
                server.kill()
