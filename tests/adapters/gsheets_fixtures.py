"""Helpers for the Google Sheets backend's tests: a key file, a paced clock, a scripted server."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import requests
from cryptography.hazmat.primitives.asymmetric import rsa

from sheets_sync.adapters.gsheets import GoogleSheetsWorkbook, HttpSettings
from sheets_sync.testing import service_account
from sheets_sync.testing.service_account import new_key
from sheets_sync.testing.sheets_api import SheetsApiStandIn
from sheets_sync.testing.sheets_api.handler import RecordedRequest

EMAIL = "sheets-sync@district-test.iam.gserviceaccount.com"


@lru_cache(maxsize=1)
def _key() -> rsa.RSAPrivateKey:
    """One RSA key per test session (making one takes a moment)."""
    return new_key()


def private_key_pem() -> str:
    return service_account.private_key_pem(_key())


def key_file(folder: Path, token_uri: str, email: str = EMAIL) -> Path:
    """A service-account key file as Google Cloud downloads it, pointing at `token_uri`."""
    path = folder / "service-account.json"
    info = service_account.service_account_info(email, _key(), token_uri)
    path.write_text(json.dumps(info), encoding="utf-8")
    path.chmod(0o600)  # private, as a real key must be
    return path


@dataclass
class PacedTime:
    """Real time plus the waits the code under test asked for, which pass at once."""

    slept: list[float] = field(default_factory=list)

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)

    def clock(self) -> float:
        return time.monotonic() + sum(self.slept)


@dataclass(frozen=True)
class Answer:
    status: int = 200
    body: object = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    hang: float = 0.0  # seconds of silence before answering
    drop: bool = False  # close the connection without answering
    trickle: float = 0.0  # seconds between each 4 bytes of the body


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    body: bytes


Script = Callable[[Seen], Answer]


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        seen = Seen(self.command, self.path, self.rfile.read(length) if length else b"")
        self.server.seen.append(seen)
        answer = self.server.script(seen)
        if answer.hang:
            time.sleep(answer.hang)
        if answer.drop:
            self.close_connection = True
            self.connection.close()
            return
        text = isinstance(answer.body, str)  # a page, as a proxy sends it
        data = (
            answer.body.encode()
            if isinstance(answer.body, str)
            else json.dumps(answer.body).encode()
        )
        kind = "text/html; charset=utf-8" if text else "application/json"
        try:
            self.send_response(answer.status)
            for name, value in {"Content-Type": kind, **answer.headers}.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            step = 4 if answer.trickle else len(data)
            for start in range(0, len(data), step or 1):
                self.wfile.write(data[start : start + step])
                self.wfile.flush()
                time.sleep(answer.trickle)
        except OSError:
            pass  # the client gave up waiting

    do_GET = do_POST = do_PUT = _serve

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    script: Script
    seen: list[Seen]


@contextmanager
def scripted_server(script: Script) -> Iterator[tuple[str, list[Seen]]]:
    """A throwaway HTTP server on 127.0.0.1 answering each request as `script` says."""
    server = _Server(("127.0.0.1", 0), _Handler)
    server.script = script
    server.seen = []
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", server.seen
    finally:
        server.shutdown()
        server.server_close()


def in_turn(*answers: Answer) -> Script:
    """A script giving these answers in order, then repeating the last one."""
    queue = list(answers)

    def script(seen: Seen) -> Answer:
        return queue.pop(0) if len(queue) > 1 else queue[0]

    return script


@dataclass
class Bench:
    """A running stand-in, a key file it trusts, and time that passes only when asked."""

    api: SheetsApiStandIn
    key: Path
    paced: PacedTime = field(default_factory=PacedTime)

    def workbook(
        self, spreadsheet_id: str, settings: HttpSettings | None = None
    ) -> GoogleSheetsWorkbook:
        return GoogleSheetsWorkbook(
            spreadsheet_id,
            self.key,
            self.api.url,
            settings or HttpSettings(),
            sleep=self.paced.sleep,
            clock=self.paced.clock,
        )

    def operations(self) -> list[str]:
        """The Sheets API requests since the last reset, by name (token requests left out);
        a batchUpdate that only writes cells is told apart from one that also shapes a tab."""
        return [_operation(r) for r in self.api.sheets_requests]


CELLS_ONLY = "spreadsheets.batchUpdate (cells only)"


def _operation(request: RecordedRequest) -> str:
    if request.operation == "spreadsheets.batchUpdate" and isinstance(request.body, dict):
        kinds = {kind for item in request.body.get("requests", []) for kind in item}
        if kinds == {"updateCells"}:
            return CELLS_ONLY
    return request.operation


@contextmanager
def bench(folder: Path) -> Iterator[Bench]:
    with SheetsApiStandIn() as api:
        yield Bench(api, service_account.service_account_file(api, folder, EMAIL, _key()))


def as_user(api: SheetsApiStandIn, spreadsheet_id: str, edits: list[dict[str, Any]]) -> None:
    """A person's edit between runs, sent as the Sheets UI would (and left out of the log)."""
    token = api.issue_token("teacher@district.example")
    answer = post_as(
        f"{api.url}/v4/spreadsheets/{spreadsheet_id}:batchUpdate",
        {"requests": edits},
        token,
    )
    assert answer.status_code == 200, answer.text
    api.reset_requests()


def post_as(url: str, body: dict[str, Any], token: str) -> requests.Response:
    return requests.post(url, json=body, headers={"Authorization": f"Bearer {token}"}, timeout=10)
