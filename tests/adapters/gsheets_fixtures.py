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
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from sheets_sync.adapters.gsheets import GoogleSheetsWorkbook, HttpSettings
from sheets_sync.testing.sheets_api import SheetsApiStandIn

EMAIL = "sheets-sync@district-test.iam.gserviceaccount.com"


@lru_cache(maxsize=1)
def private_key_pem() -> str:
    """A fresh RSA key, made once per test session (making one takes a moment)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def key_file(folder: Path, token_uri: str, email: str = EMAIL) -> Path:
    """A service-account key file as Google Cloud downloads it, pointing at `token_uri`."""
    info = {
        "type": "service_account",
        "project_id": "district-test",
        "private_key_id": "0123456789abcdef",
        "private_key": private_key_pem(),
        "client_email": email,
        "client_id": "123456789012345678901",
        "auth_uri": "https://accounts.google.com/o/oauth2/auth",
        "token_uri": token_uri,
        "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
        "universe_domain": "googleapis.com",
    }
    path = folder / "service-account.json"
    path.write_text(json.dumps(info), encoding="utf-8")
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
        data = json.dumps(answer.body).encode()
        try:
            self.send_response(answer.status)
            for name, value in {"Content-Type": "application/json", **answer.headers}.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
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


def public_key_pem() -> str:
    key = serialization.load_pem_private_key(private_key_pem().encode(), password=None)
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


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
        """The Sheets API requests since the last reset, by name (token requests left out)."""
        return [r.operation for r in self.api.sheets_requests]


@contextmanager
def bench(folder: Path) -> Iterator[Bench]:
    with SheetsApiStandIn() as api:
        api.register_service_account(EMAIL, public_key_pem())
        yield Bench(api, key_file(folder, api.token_url))


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
