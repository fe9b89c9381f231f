"""``python -m sheets_sync.testing.sheets_api``: serve the stand-in in the foreground.

The first line printed is the base URL (``http://127.0.0.1:PORT``, also when listening on
``--host 0.0.0.0``); then one line per spreadsheet made with ``--spreadsheet``. Serves
until SIGINT or SIGTERM; a port already in use ends it with status 2 and a message.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType

from sheets_sync.testing.sheets_api.server import SheetsApiStandIn


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sheets_sync.testing.sheets_api",
        description="A local stand-in for the Google Sheets API v4 and its token endpoint.",
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    parser.add_argument("--port", type=int, default=0, help="port; 0 picks a free one (default)")
    parser.add_argument(
        "--spreadsheet",
        action="append",
        default=[],
        metavar="ID",
        help="make an empty spreadsheet with this id (repeatable)",
    )
    parser.add_argument(
        "--no-auth", action="store_true", help="answer Sheets requests without a bearer token"
    )
    args = parser.parse_args(argv)

    stand_in = SheetsApiStandIn(args.host, args.port, require_auth=not args.no_auth)
    try:
        stand_in.start()
    except OSError as exc:
        print(
            f"Cannot listen on {args.host}:{args.port} ({exc.strerror or exc}): choose another "
            "--port, or --port 0 for a free one.",
            file=sys.stderr,
        )
        return 2
    print(stand_in.url, flush=True)
    for spreadsheet_id in args.spreadsheet:
        stand_in.create_spreadsheet("Stand-in spreadsheet", spreadsheet_id=spreadsheet_id)
        print(f"spreadsheet {spreadsheet_id}", flush=True)

    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        while not stop.wait(0.5):
            pass
    finally:
        stand_in.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
