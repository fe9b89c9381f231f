"""A Sheets API proxy on 127.0.0.1 that passes every request on to the stand-in and can bend
its values:batchGet answers, as a broken answer from Google would be bent: 200, but no values,
or two tabs' values swapped."""

from __future__ import annotations

import http.client
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

Answer = dict[str, Any]


@dataclass
class Proxy:
    url: str
    bend: Callable[[Answer], Answer] | None = None  # applied to each batchGet answer
    bent: int = 0  # how many answers were bent


def without_values(answer: Answer) -> Answer:
    """Google's 200 that names every range and holds no values."""
    return {**answer, "valueRanges": [{"range": r["range"]} for r in answer["valueRanges"]]}


def swapped(first: str, second: str) -> Callable[[Answer], Answer]:
    """Two tabs' values traded, each still under its own range name."""

    def bend(answer: Answer) -> Answer:
        ranges = answer["valueRanges"]
        at = {_tab(r["range"]): i for i, r in enumerate(ranges)}
        i, j = at[first], at[second]
        bent = [dict(r) for r in ranges]
        bent[i]["values"], bent[j]["values"] = ranges[j].get("values"), ranges[i].get("values")
        return {**answer, "valueRanges": bent}

    return bend


def _tab(a1: str) -> str:
    name = a1.rsplit("!", 1)[0]
    return name[1:-1].replace("''", "'") if name.startswith("'") else name


@contextmanager
def sheets_proxy(upstream: str) -> Iterator[Proxy]:
    target = urlsplit(upstream)
    proxy = Proxy("")

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

        def _forward(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            headers = {
                k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")
            }
            connection = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
            try:
                connection.request(self.command, self.path, body=body, headers=headers)
                answer = connection.getresponse()
                status, data = answer.status, answer.read()
                kind = answer.getheader("Content-Type", "application/json")
            finally:
                connection.close()
            if proxy.bend is not None and status == 200 and "values:batchGet" in self.path:
                data = json.dumps(proxy.bend(json.loads(data))).encode()
                proxy.bent += 1
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = _forward

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    proxy.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield proxy
    finally:
        server.shutdown()
        server.server_close()
