"""Faults a year of operation brings: 429 storms, a day without mail, a person saving mid-cycle,
formula-looking text, and secrets that must never show."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest

from sheets_sync.adapters.xlsx import XlsxWorkbook, create_workbook
from sheets_sync.core.settings import SchoolYear, Settings
from sheets_sync.demo import demo_district
from tests.adapters.gsheets_fixtures import Bench, bench, private_key_pem
from tests.adapters.smtp_fixtures import (
    PASSWORD,
    USER,
    Recorder,
    closed_port,
    smtp_server,
    trickling_server,
)
from tests.proof.harness import (
    INPUTS,
    REPO,
    check_owned_whole,
    cli,
    demo_folder,
    duplicates,
    formulas_in,
    gsheets_config,
    in_process,
    pending_keys,
    smtp_config,
    xlsx_grids,
)
from tests.proof.sheets_proxy import Answer, sheets_proxy, swapped, without_values

YEAR = Settings(year=SchoolYear(date(2025, 8, 1), date(2026, 6, 30)))
NOW = "2025-11-20T08:00"
FORMULA = "=1+1"
LINK = '=HYPERLINK("http://evil.example","click")'


def demo_grids() -> dict[str, list[list[object]]]:
    tabs = demo_district(date(2025, 11, 20), YEAR)
    return {t.name: [[c.title for c in t.columns], *map(list, t.rows)] for t in tabs}


def google_district(
    b: Bench,
    folder: Path,
    grids: dict[str, list[list[object]]] | None = None,
    retry_attempts: int = 6,
) -> tuple[str, Path]:
    sheet = b.api.create_spreadsheet("Riverbend", grids or demo_grids())
    return sheet, gsheets_config(folder, sheet, b.key, b.api.url, retry_attempts=retry_attempts)


def google_tabs(b: Bench, sheet: str) -> dict[str, list[list[object]]]:
    return {tab: b.api.values(sheet, tab) for tab in b.api.tabs(sheet)}


# -- 429 ----------------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_429_storm_within_the_retry_budget_still_completes(tmp_path: Path) -> None:
    """Four 429s with Retry-After: 1: the run waits them out and writes every tab whole."""
    with bench(tmp_path) as b:
        sheet, config = google_district(b, tmp_path)
        before = {tab: b.api.values(sheet, tab) for tab in INPUTS}
        b.api.fail_next(4, status=429, retry_after=1)
        done = cli(config, "run", "--now", NOW)
        after = google_tabs(b, sheet)
    assert done.returncode == 1, done.stderr  # the demo's deliberate data errors
    assert "Wrote Summary, Contact Calendar, Data Issues, Run Log" in done.stdout
    assert {tab: after[tab] for tab in INPUTS} == before
    check_owned_whole(after, before["Schools"])


@pytest.mark.slow
def test_a_429_storm_longer_than_the_attempts_stops_with_a_clear_message(tmp_path: Path) -> None:
    """More 429s than attempts: the run stops, says why, writes nothing; the next run writes."""
    with bench(tmp_path) as b:
        sheet, config = google_district(b, tmp_path, retry_attempts=2)
        before = google_tabs(b, sheet)
        b.api.fail_next(10, status=429, retry_after=1)
        stopped = cli(config, "run", "--now", NOW)
        during = google_tabs(b, sheet)
        b.api.clear_faults()
        later = cli(config, "run", "--now", "2025-11-20T09:00")
        after = google_tabs(b, sheet)
    assert stopped.returncode == 2  # could not run: the workbook could not be reached
    assert stopped.stderr.splitlines()[-1].startswith("sheets-sync: Cannot read the Google")
    assert "429" in stopped.stderr or "quota" in stopped.stderr.lower()
    assert "Traceback" not in stopped.stderr
    assert during == before  # not one tab added or half written
    assert "Wrote Summary" in later.stdout
    check_owned_whole(after, before["Schools"])


# -- a day without mail -------------------------------------------------------------------------


@pytest.mark.slow
def test_a_day_long_smtp_outage_then_recovery_sends_every_email_once(tmp_path: Path) -> None:
    """24 hourly runs with no mail server all fail (exit 1, "failed"); then each email goes once."""
    folder = demo_folder(tmp_path / "district")
    config = smtp_config(folder, closed_port())
    start = datetime(2025, 11, 20, 8, 0)
    for hour in range(24):
        now = (start + timedelta(hours=hour)).isoformat(timespec="minutes")
        status, out, _ = in_process(config, "run", "--now", now)
        assert status == 1
        assert "Email: 0 sent, 14 failed, 0 already sent this period." in out
    log = xlsx_grids(folder / "district.xlsx", ("Run Log",))["Run Log"]
    assert [row[1] for row in log[1:25]] == ["failed"] * 24
    with smtp_server() as server:
        config = smtp_config(folder, server.port)
        back = (start + timedelta(hours=24)).isoformat(timespec="minutes")
        status, out, _ = in_process(config, "run", "--now", back)
        in_process(config, "run", "--now", (start + timedelta(hours=25)).isoformat())
    assert "Email: 14 sent, 0 failed, 0 already sent this period." in out
    recipients = server.recorder.recipients
    assert len(recipients) == 14
    assert len(set(recipients)) == 14
    assert duplicates([r.message for r in server.received]) == {}


@pytest.mark.slow
def test_a_mail_server_that_trickles_cannot_hold_a_run(tmp_path: Path) -> None:
    """A server answering DATA one byte every half second (each within timeout_seconds = 1,
    the reply 20 s long): `run` in a real process ends in seconds, the first message in
    doubt, the 13 others failed untried, the tabs written and last_run.json saying so. Without
    the bound on the whole exchange it took 14 times 20 s."""
    folder = demo_folder(tmp_path / "district")
    with trickling_server(step=0.5) as port:
        config = smtp_config(folder, port)
        config.write_text(config.read_text().replace("timeout_seconds = 5", "timeout_seconds = 1"))
        started = time.monotonic()
        done = cli(config, "run", "--now", "2025-11-20T08:00", timeout=120)
        elapsed = time.monotonic() - started
    print(f"\nrun against a trickling mail server: {elapsed:.1f} s")
    assert done.returncode == 1, done.stdout + done.stderr
    assert elapsed < 30, f"{elapsed:.0f} s"
    assert "Email: 0 sent, 13 failed, 0 already sent this period." in done.stdout
    assert "the connection broke while sending it" in done.stdout  # the one in doubt
    assert "was lost (no whole answer within 4 s)" in done.stdout
    last = json.loads((folder / "state" / "last_run.json").read_text())
    assert (last["written"], last["unknown_outcomes"], last["emails_failed"]) == (True, 1, 13)


# `serve` as a real process on a clock held at 2025-11-20 13:00 UTC (the demo's day).
SERVE_AT_THE_DEMOS_DAY = """
import os, sys
from datetime import UTC, datetime
from pathlib import Path
from sheets_sync.shell.config import load_config
from sheets_sync.shell.serve import serve
config = load_config(Path(sys.argv[1]), os.environ)
sys.exit(serve(config, os.environ, clock=lambda: datetime(2025, 11, 20, 13, 0, tzinfo=UTC)))
"""


@pytest.mark.slow
def test_sigterm_while_serve_is_mailing_ends_the_cycle_in_seconds(tmp_path: Path) -> None:
    """A mail server taking 1 s over each message; SIGTERM once two have arrived: serve
    finishes the message in flight, begins no other, writes its tabs and exits 0 within
    seconds. The ledger holds exactly what arrived, nothing pending; the next run sends the
    rest, none twice."""
    folder = demo_folder(tmp_path / "district")
    recorder = Recorder(stall_in_data=1.0)
    with smtp_server(recorder=recorder) as server:
        config = smtp_config(folder, server.port)
        worker = subprocess.Popen(
            [sys.executable, "-c", SERVE_AT_THE_DEMOS_DAY, str(config)],
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO,
        )
        try:
            deadline = time.monotonic() + 60
            while len(server.received) < 2 and time.monotonic() < deadline:
                time.sleep(0.05)
            asked = time.monotonic()
            worker.send_signal(signal.SIGTERM)
            status = worker.wait(timeout=60)
            took = time.monotonic() - asked
        finally:
            if worker.poll() is None:
                worker.kill()
        arrived = len(server.received)
        pending = pending_keys(folder / "state")
        last = json.loads((folder / "state" / "last_run.json").read_text())
        rest = cli(config, "run", "--now", "2025-11-20T08:30")
        messages = [r.message for r in server.received]
    print(f"\nSIGTERM mid-mail: serve ended {took:.1f} s after it, {arrived} of 14 sent")
    assert status == 0
    assert took < 10
    assert 2 <= arrived <= 3
    assert pending == {}
    assert last["emails_sent"] == arrived
    assert f"{14 - arrived} emails left for the next run: stopped" in last["note"]
    assert f"Email: {14 - arrived} sent" in rest.stdout
    assert len(messages) == 14
    assert duplicates(messages) == {}


# -- an answer that contradicts the sheet ------------------------------------------------------


def emptied(tab: str) -> Callable[[Answer], Answer]:
    def bend(answer: Answer) -> Answer:
        ranges = [dict(r) for r in answer["valueRanges"]]
        for r in ranges:
            if r["range"].startswith((f"'{tab}'!", f"{tab}!")):
                r.pop("values", None)
        return {**answer, "valueRanges": ranges}

    return bend


@pytest.mark.slow
def test_answers_that_contradict_the_sheet_never_wipe_it(tmp_path: Path) -> None:
    """After three good runs, Google answers 200 with no values, then with Schools and Contact
    Log swapped: nothing is written or sent (exit 2, saying why), the Summary keeps its 11
    schools and the Run Log its 3 rows. An answer that drops only the Run Log's values does
    not cut its history. The next good answer goes on with every run logged."""
    with bench(tmp_path) as b, sheets_proxy(b.api.url) as proxy:
        sheet = b.api.create_spreadsheet("Riverbend", demo_grids())
        config = gsheets_config(tmp_path, sheet, b.key, proxy.url)
        for hour in ("06", "07", "08"):
            assert "Wrote Summary" in cli(config, "run", "--now", f"2025-11-20T{hour}:00").stdout
        good = google_tabs(b, sheet)
        assert len(good["Run Log"]) == 4
        assert len(good["Summary"]) == 12
        refused = []
        for bend in (without_values, swapped("Schools", "Contact Log")):
            proxy.bend = bend
            refused.append(cli(config, "run", "--now", "2025-11-20T09:00"))
            assert google_tabs(b, sheet) == good
        proxy.bend = emptied("Run Log")
        kept = cli(config, "run", "--now", "2025-11-20T10:00")
        proxy.bend = None
        later = cli(config, "run", "--now", "2025-11-20T11:00")
        after = google_tabs(b, sheet)
        outbox = sorted(p.name for p in (tmp_path / "outbox").iterdir())
    assert proxy.bent == 3
    for run in refused:
        assert run.returncode == 2
        assert run.stderr.startswith(
            "sheets-sync: This read of the workbook contradicts the last good run "
            "(2025-11-20 08:00): "
        ), run.stderr
        assert "Traceback" not in run.stderr
    assert '"Schools" tab is empty (it had School, Code' in refused[0].stderr
    assert 'row 1 of the "Schools" tab reads Date, School, Facilitator' in refused[1].stderr
    assert "Wrote Summary" in kept.stdout
    assert "Wrote Summary" in later.stdout
    assert [row[0] for row in after["Run Log"][1:]] == [
        "2025-11-20 11:00",
        "2025-11-20 10:00",
        "2025-11-20 08:00",
        "2025-11-20 07:00",
        "2025-11-20 06:00",
    ]
    # The same Summary, but as of a later hour (column U holds the run's time).
    assert [r[:20] + r[21:] for r in after["Summary"]] == [r[:20] + r[21:] for r in good["Summary"]]
    assert after["Summary"][1][20] > good["Summary"][1][20]
    assert len(outbox) == len(set(outbox))  # sent at the first run, never again


# -- a person saves during a cycle --------------------------------------------------------------


def test_a_workbook_saved_during_a_cycle_is_not_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Someone saves between the run's read and write: "Not written", exit 1, their edit kept;
    the next run writes."""
    folder = demo_folder(tmp_path / "district")
    workbook = folder / "district.xlsx"
    config = smtp_config(folder, closed_port())
    write = XlsxWorkbook.write

    def person_saves_first(self: XlsxWorkbook, tables: object) -> None:
        book = openpyxl.load_workbook(workbook)
        book["Contact Log"].append(
            [date(2025, 11, 19), "Lincoln Elementary", "James Whitaker", "Phone", "Principal"]
        )
        book.save(workbook)
        write(self, tables)  # type: ignore[arg-type]

    monkeypatch.setattr(XlsxWorkbook, "write", person_saves_first)
    status, out, _ = in_process(config, "run", "--no-email", "--now", NOW)
    monkeypatch.setattr(XlsxWorkbook, "write", write)
    saved = xlsx_grids(workbook)
    assert status == 1
    assert [line for line in out.splitlines() if line.startswith("Not written: ")] == [
        f"Not written: {workbook} was saved by someone after this run read it; the owned tabs "
        "were not written, to keep their work. The next run writes them."
    ]
    assert saved["Contact Log"][-1][1:5] == [
        "Lincoln Elementary",
        "James Whitaker",
        "Phone",
        "Principal",
    ]
    runs_before = len(xlsx_grids(workbook, ("Run Log",))["Run Log"])
    status, out, _ = in_process(config, "run", "--no-email", "--now", "2025-11-20T09:00")
    assert "Wrote Summary" in out
    assert xlsx_grids(workbook) == saved  # nothing the person wrote was lost
    assert len(xlsx_grids(workbook, ("Run Log",))["Run Log"]) == runs_before + 1


# A person saving in a tight loop: each save opens the file as it is now, adds one numbered
# edit to a part of the package the run does not own (so the run's read carries it on), and
# replaces the file as Excel and LibreOffice do, through a temporary file and a rename.
SAVER = """
import io, os, random, sys, time, zipfile
path, seconds = sys.argv[1], float(sys.argv[2])
deadline, done = time.monotonic() + seconds, 0
while time.monotonic() < deadline:
    data = open(path, "rb").read()
    with zipfile.ZipFile(io.BytesIO(data)) as old:
        part = "customXml/edits.xml"
        edits = old.read(part).decode() if part in old.namelist() else ""
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
            for item in old.infolist():
                if item.filename != part:
                    new.writestr(item, old.read(item))
            new.writestr(part, edits + f"{done + 1} ")
    temp = path + ".saving"
    with open(temp, "wb") as file:
        file.write(out.getvalue())
        file.flush()
        os.fsync(file.fileno())
    os.replace(temp, path)
    done += 1
    time.sleep(random.uniform(0.05, 0.13))
print(done)
"""


@pytest.mark.slow
def test_saves_in_a_tight_loop_while_runs_loop_lose_no_edit(tmp_path: Path) -> None:
    """A person saves every 50-130 ms for 15 s while runs follow one another: every save is
    still in the file at the end, and runs both wrote and stood aside (proving they met)."""
    folder = demo_folder(tmp_path / "district")
    workbook = folder / "district.xlsx"
    config = smtp_config(folder, closed_port())
    saver = subprocess.Popen(
        [sys.executable, "-c", SAVER, str(workbook), "15"], stdout=subprocess.PIPE, text=True
    )
    outcomes: Counter[str] = Counter()
    while saver.poll() is None:
        _, out, _ = in_process(config, "run", "--no-email", "--now", NOW)
        outcomes["wrote" if "Wrote Summary" in out else "stood aside"] += 1
    saves = int(saver.communicate()[0])
    with zipfile.ZipFile(workbook) as package:
        edits = package.read("customXml/edits.xml").decode().split()
    print(f"{saves} saves, runs: {dict(outcomes)}")
    assert edits == [str(n) for n in range(1, saves + 1)]
    assert saves > 50
    assert outcomes["wrote"] > 0
    assert outcomes["stood aside"] > 0


# -- formula-looking text -----------------------------------------------------------------------


def with_formulas(grids: dict[str, list[list[object]]]) -> dict[str, list[list[object]]]:
    """The demo's input tabs with formula-looking text in a text cell of each, and an unknown
    school named like a formula in the Contact Log (so that Data Issues quotes it)."""
    grids = {tab: [list(row) for row in rows] for tab, rows in grids.items()}
    targets = {
        "Schools": "Cluster",
        "Facilitators": "Facilitator",
        "Team Roster": "Phone",
        "Action Plan": "Activity",
        "Contact Log": "Notes",
    }
    for tab, column in targets.items():
        grids[tab][2][grids[tab][0].index(column)] = FORMULA
    log = grids["Contact Log"]
    log[3][log[0].index("With")] = LINK
    log[4][log[0].index("School")] = FORMULA
    return grids


def test_formula_text_stays_text_in_xlsx(tmp_path: Path) -> None:
    """Formula-looking text in every input tab stays text there, and in the owned tabs."""
    folder = tmp_path / "district"
    demo_folder(folder)
    workbook = folder / "district.xlsx"
    grids = with_formulas(demo_grids())
    tabs = [
        replace(tab, rows=tuple(map(tuple, grids[tab.name][1:])))
        for tab in demo_district(date(2025, 11, 20), YEAR)
    ]
    create_workbook(workbook, tabs, overwrite=True)
    before = xlsx_grids(workbook)
    config = smtp_config(folder, closed_port())
    _, out, _ = in_process(config, "run", "--no-email", "--now", NOW)
    assert "Wrote Summary" in out
    after = xlsx_grids(workbook, (*INPUTS, "Summary", "Data Issues", "Run Log"))
    assert {tab: after[tab] for tab in INPUTS} == before
    assert formulas_in(workbook) == []
    issues = [str(c) for row in after["Data Issues"] for c in row]
    assert any(FORMULA in c for c in issues)
    book = openpyxl.load_workbook(workbook)
    for tab in INPUTS:
        for row in book[tab].iter_rows():
            assert all(cell.data_type != "f" for cell in row), tab


def test_formula_text_stays_text_in_google_sheets(tmp_path: Path) -> None:
    """The same on the Sheets API stand-in: input cells unchanged, owned tabs show text."""
    with bench(tmp_path) as b:
        sheet, config = google_district(b, tmp_path, with_formulas(demo_grids()))
        before = {tab: b.api.values(sheet, tab, render="FORMULA") for tab in INPUTS}
        _, out, _ = in_process(config, "run", "--no-email", "--now", NOW)
        formulas = {tab: b.api.values(sheet, tab, render="FORMULA") for tab in b.api.tabs(sheet)}
        shown = {tab: b.api.values(sheet, tab) for tab in b.api.tabs(sheet)}
    assert "Wrote Summary" in out
    assert {tab: formulas[tab] for tab in INPUTS} == before
    # A stored formula would show its result (2, or "click") when not asked for FORMULA.
    assert formulas == shown
    assert any(FORMULA in str(c) for row in shown["Data Issues"] for c in row)


# -- secrets ------------------------------------------------------------------------------------


def secret_fragments() -> list[str]:
    """The SMTP password, and pieces of the private key (any of which would be a leak)."""
    body = [line for line in private_key_pem().splitlines() if line and "-----" not in line]
    return [PASSWORD, private_key_pem(), *body[1:-1:4]]


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
def test_no_secret_appears_in_any_output_log_or_run_log(tmp_path: Path) -> None:
    """Across SMTP and Google Sheets runs, good and failing, no password or key shows anywhere."""
    shown: list[str] = []
    environ = {"SMTP_USERNAME": USER, "SMTP_PASSWORD": PASSWORD, "PATH": "/usr/bin:/bin"}
    folder = demo_folder(tmp_path / "xlsx")
    with smtp_server(auth=True) as server:
        config = smtp_config(folder, server.port, login=True)
        for args in (
            ("--log-format", "json", "--verbose", "run", "--now", NOW),
            ("--verbose", "run", "--now", "2025-11-27T08:00"),
            ("doctor", "--today", "2025-11-27"),
        ):
            done = cli(config, *args, env=environ)
            shown += [done.stdout, done.stderr]
        wrong = {**environ, "SMTP_PASSWORD": PASSWORD + "-wrong"}
        for args in (("run", "--now", "2025-12-01T08:00"), ("doctor",)):
            done = cli(config, "--log-format", "json", *args, env=wrong)
            shown += [done.stdout, done.stderr]
    assert len(server.recorder.recipients) > 0
    shown.append((folder / "state" / "last_run.json").read_text())
    shown.append(json.dumps(xlsx_grids(folder / "district.xlsx", ("Run Log",)), default=str))
    google = tmp_path / "google"
    google.mkdir()
    with bench(google) as b:
        sheet, config = google_district(b, google)
        for fault in (None, 429, 403):
            if fault:
                b.api.fail_next(10, status=fault, retry_after=0)
            done = cli(config, "--log-format", "json", "--verbose", "run", "--now", NOW)
            b.api.clear_faults()
            shown += [done.stdout, done.stderr]
        done = cli(config, "doctor")
        shown += [done.stdout, done.stderr]
        shown.append(json.dumps(b.api.values(sheet, "Run Log"), default=str))
    shown.append((google / "state" / "last_run.json").read_text())
    everything = "\n".join(shown)
    assert "sheets-sync" in everything
    for secret in secret_fragments():
        assert secret not in everything
