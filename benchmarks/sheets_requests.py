"""Sheets API requests per cycle, and cycle time, against the local Sheets API stand-in.

    .venv/bin/python benchmarks/sheets_requests.py [--schools 20 200 2000]

For each N: a synthetic district of N schools is put in a stand-in spreadsheet; two cycles
run through the gsheets backend (the real gspread and google-auth, over HTTP on 127.0.0.1);
the stand-in's request log gives the Sheets API requests of each. The first cycle creates
the owned tabs; the second is the steady state that every later cycle repeats.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import date, datetime
from datetime import time as clock
from pathlib import Path
from typing import Any

from sheets_sync.adapters.gsheets import GoogleSheetsWorkbook
from sheets_sync.core.settings import Settings
from sheets_sync.demo import synthetic_district
from sheets_sync.shell.run import run_cycle
from sheets_sync.testing.service_account import service_account_file
from sheets_sync.testing.sheets_api import SheetsApiStandIn

EMAIL = "benchmark@district.iam.gserviceaccount.com"
SETTINGS = Settings()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, nargs="+", default=[20, 200, 2000])
    parser.add_argument("--today", type=date.fromisoformat, default=date(2026, 5, 25))
    args = parser.parse_args(argv)
    rows = [
        "| schools | input rows | first cycle: requests | s | steady cycle: requests | s | "
        "steady write KB | the same cells as a RAW values write, KB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    with tempfile.TemporaryDirectory() as folder, SheetsApiStandIn() as api:
        credentials = service_account_file(api, Path(folder), EMAIL)
        for n in args.schools:
            tabs = synthetic_district(n, args.today, SETTINGS)
            grids = {t.name: [[c.title for c in t.columns], *map(list, t.rows)] for t in tabs}
            sheet = api.create_spreadsheet(f"district-{n}", grids)
            figures = [_cycle(api, sheet, credentials, args.today) for _ in range(2)]
            input_rows = sum(len(t.rows) for t in tabs)
            (first_n, first_s, _, _), (steady_n, steady_s, steady_kb, values_kb) = figures
            rows.append(
                f"| {n:,} | {input_rows:,} | {first_n} | {first_s:.2f} | {steady_n} | "
                f"{steady_s:.2f} | {steady_kb:,.0f} | {values_kb:,.0f} |"
            )
            print(f"  measured {n:,} schools", file=sys.stderr)
    print("\n".join(rows))
    return 0


def _cycle(
    api: SheetsApiStandIn, sheet: str, credentials: Path, today: date
) -> tuple[int, float, float, float]:
    """One cycle: its requests, its seconds, the KB of JSON its write sent, and the KB the
    same cells would take as a RAW values write (what the worker sent before its cells
    carried links; blank rows past the table not counted)."""
    api.reset_requests()
    workbook = GoogleSheetsWorkbook(sheet, credentials, api.url)
    started = time.perf_counter()
    report = run_cycle(workbook, SETTINGS, datetime.combine(today, clock(23, 59)))
    seconds = time.perf_counter() - started
    if not report.written:
        raise SystemExit(f"the cycle did not write: {report.skipped}")
    bodies = [r.body for r in api.sheets_requests if r.method == "POST"]
    sent = sum(len(json.dumps(body)) for body in bodies)
    tables = [
        [[_value(cell) for cell in row["values"]] for row in request["updateCells"]["rows"]]
        for body in bodies
        for request in body["requests"]
        if "updateCells" in request
    ]
    as_values = {"valueInputOption": "RAW", "data": [{"values": t} for t in tables]}
    return len(api.sheets_requests), seconds, sent / 1000, len(json.dumps(as_values)) / 1000


def _value(cell: dict[str, Any]) -> object:
    """A CellData's value as a values write sends it ("" for a blank)."""
    return next(iter(cell.get("userEnteredValue", {}).values()), "")


if __name__ == "__main__":
    sys.exit(main())
