"""The HTTP shell: a threading server whose handler reads a request, lets a queued fault
act on it, asks `dispatch` for the answer and writes it back."""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote, urlsplit

from sheets_sync.testing.sheets_api.dispatch import Answer, answer, parse_body
from sheets_sync.testing.sheets_api.errors import DEFAULT_MESSAGES, ApiError, injected
from sheets_sync.testing.sheets_api.routes import route

if TYPE_CHECKING:
    from sheets_sync.testing.sheets_api.server import SheetsApiStandIn

_LOG = logging.getLogger(__name__)


@dataclass(frozen=True)
class RecordedRequest:
    """One request the stand-in received, and what became of it."""

    method: str
    path: str  # percent-decoded, without the query
    query: dict[str, list[str]]
    body: Any  # parsed JSON, the token form as a dict, or None
    operation: str  # "spreadsheets.values.batchGet", "oauth2.token", ...
    kind: str  # "sheets", "auth" or "other"
    status: int | None  # None when the connection was dropped
    fault: str | None = None  # "fail 429", "delay 2s", "drop"
    headers: dict[str, str] = field(default_factory=dict)


def serve(stand_in: SheetsApiStandIn, handler: Handler) -> None:
    """Answers one request: logged, maybe failed, delayed or dropped on purpose."""
    split = urlsplit(handler.path)
    routed = route(handler.command, split.path)
    query = parse_qs(split.query, keep_blank_values=True)
    length = int(handler.headers.get("Content-Length") or 0)
    raw = handler.rfile.read(length) if length else b""
    headers = {k.lower(): v for k, v in handler.headers.items()}
    body = parse_body(raw, headers.get("content-type", ""))
    fault = stand_in.faults.take(is_auth=routed.kind == "auth") if routed.kind != "other" else None

    def record(status: int | None) -> None:
        stand_in.record(
            RecordedRequest(
                method=handler.command,
                path=unquote(split.path),
                query={k: list(v) for k, v in query.items()},
                body=body,
                operation=routed.operation,
                kind=routed.kind,
                status=status,
                fault=fault.label if fault else None,
                headers=headers,
            )
        )

    if fault is not None and fault.kind == "drop":
        record(None)
        handler.close_connection = True
        return
    if fault is not None and fault.kind == "fail":
        error = injected(fault.status, handler.command, fault.retry_after)
        reply = Answer(error.code, error.body(), dict(error.headers))
    else:
        try:
            reply = answer(stand_in, routed, query, headers, body)
        except Exception:  # a stand-in bug answers as Google's own trouble would, never a drop
            _LOG.exception("the stand-in failed on %s %s", handler.command, split.path)
            error = ApiError(500, DEFAULT_MESSAGES[500])
            reply = Answer(error.code, error.body())
    record(reply.status)
    if fault is not None and fault.kind == "delay" and stand_in.stopping.wait(fault.seconds):
        handler.close_connection = True
        return
    handler.send(reply)


def wake(server: Server) -> None:
    host, port = str(server.server_address[0]), int(server.server_address[1])
    address = ("127.0.0.1" if host in ("", "0.0.0.0") else host, port)
    with contextlib.suppress(OSError), socket.create_connection(address, timeout=0.2):
        pass


class Server(ThreadingHTTPServer):
    daemon_threads = True
    stand_in: SheetsApiStandIn

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(address, handler)
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Ends kept-alive connections, so that no handler thread outlives `stop`."""
        with self._open_lock:
            open_now = list(self._open)
        for sock in open_now:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Server

    def setup(self) -> None:
        super().setup()
        # One answer goes out as headers then body; without this, Nagle's algorithm and
        # the client's delayed ACK hold every kept-alive answer back by ~40 ms.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the stand-in's log is `SheetsApiStandIn.requests`."""

    def _any(self) -> None:
        serve(self.server.stand_in, self)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _any

    def send(self, reply: Answer) -> None:
        payload = reply.encoded()
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", "application/json; charset=UTF-8")
            self.send_header("Content-Length", str(len(payload)))
            for key, value in reply.headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(payload)
        except OSError:
            self.close_connection = True
