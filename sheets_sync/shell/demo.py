"""`sheets-sync demo`: a believable district in a folder, run once, shown on the terminal."""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import TextIO

from sheets_sync.adapters.xlsx import create_workbook
from sheets_sync.demo.district import DEMO_DISTRICT, DEMO_DOMAIN, demo_district
from sheets_sync.errors import SheetsSyncError
from sheets_sync.shell.config import Config, load_config
from sheets_sync.shell.paths import shown
from sheets_sync.shell.run import RunReport

_MARK = "# The demo district's config."
_CONFIG = """\
# The demo district's config. To start your own, see "From the demo to your district" in the
# README. Keys not written here take the defaults in config/sheets-sync.example.toml.

[workbook]
backend = "xlsx"
path = "district.xlsx"

[program]
district = "{district}"
timezone = "America/New_York"

[school_year]
start = "08-01"
end = "06-30"

[email]
transport = "outbox"
outbox_dir = "outbox"
from = "Family Partnerships <partnerships@{domain}>"
allowed_domains = ["{domain}"]

[state]
dir = "state"
"""


def write_demo(folder: Path, today: date, environ: Mapping[str, str]) -> Config:
    """Write the demo workbook and its config into `folder`, replacing only an earlier demo's."""
    config_file, workbook = folder / "sheets-sync.toml", folder / "district.xlsx"
    earlier_demo = config_file.exists() and config_file.read_text(
        encoding="utf-8", errors="replace"
    ).startswith(_MARK)
    if (config_file.exists() or workbook.exists()) and not earlier_demo:
        raise SheetsSyncError(
            f"{folder} already holds a workbook or config that the demo did not write, and the "
            "demo never replaces them. Give it another folder: `sheets-sync demo DIR`."
        )
    folder.mkdir(parents=True, exist_ok=True)
    for earlier in ("outbox", "state"):  # an earlier demo's emails and ledger
        shutil.rmtree(folder / earlier, ignore_errors=True)
    # The year rolls: in July the demo shows the year just ended, which has a whole year of data.
    config_file.write_text(
        _CONFIG.format(district=DEMO_DISTRICT, domain=DEMO_DOMAIN), encoding="utf-8"
    )
    config = load_config(config_file, environ)
    create_workbook(workbook, demo_district(today, config.settings_on(today)), overwrite=True)
    return config


def print_demo(report: RunReport, config: Config, out: TextIO, program: str) -> None:
    """The Summary's key columns, in the Summary's own order, then where everything went."""
    summary = report.tables[0]
    columns = [summary.header.index(t) for t in ("School", "Facilitator", "Status", "Why")]
    rows = [[str(summary.header[i]) for i in columns]]
    rows += [["" if row[i] is None else str(row[i]) for i in columns] for row in summary.rows]
    widths = [max(len(r[i]) for r in rows) for i in range(len(columns))]
    print(f"{config.program.district}: one cycle, as of {report.today.isoformat()}.\n", file=out)
    for number, row in enumerate(rows):
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip(), file=out)
        if number == 0:
            print("  ".join("-" * w for w in widths), file=out)
    evaluation = report.evaluation
    print(
        f"\nData issues: {evaluation.errors} errors, {evaluation.warnings} warnings "
        "(deliberate: the demo shows what the checks find).",
        file=out,
    )
    config_file = shown(config.path)
    outbox = config.email.outbox_dir
    pages = sorted(outbox.glob("*facilitator-digest*.html")) or sorted(outbox.glob("*.html"))
    sent = len(report.mail.sent) if report.mail else 0
    print(
        f"\nWorkbook: {shown(config.workbook.path)}\n"
        "          open it: see the Summary, Contact Calendar, Data Issues and Run Log tabs.\n"
        f"Emails:   {sent} written to {shown(outbox)} (as .eml files, none sent)"
        + (
            f"\n          open {shown(pages[0])} to see a facilitator's weekly email."
            if pages
            else ""
        )
        + f"\nConfig:   {config_file}\n"
        f"Next:     {program} --config {config_file} check",
        file=out,
    )
