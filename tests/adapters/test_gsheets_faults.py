"""The gsheets backend under injected faults: bounded retries, then a message saying what to do."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from gsheets_fixtures import CELLS_ONLY, EMAIL, Bench, bench

from sheets_sync.adapters.gsheets import GoogleSheetsWorkbook, HttpSettings
from sheets_sync.core.table import Column, Table
from sheets_sync.errors import WorkbookError, WriteFailed
from tests.silence import SILENCE, WELL_BEFORE_THE_SILENCE_ENDS

SUMMARY = Table("Summary", (Column("School"), Column("Status", toned=True)), [("Adams", "Overdue")])
NEWER = Table("Summary", SUMMARY.columns, [("Adams", "On track"), ("Bell", "Overdue")])
METADATA, BATCH_GET = "spreadsheets.get", "spreadsheets.values.batchGet"
WRITE = "spreadsheets.batchUpdate"  # a tab's structure and its cells, in one request
NOT_WRITTEN = ". The owned tabs keep last run's content; the next run writes them."


@pytest.fixture
def tb(tmp_path: Path) -> Iterator[Bench]:
    with bench(tmp_path) as running:
        yield running


def ready(tb: Bench, settings: HttpSettings | None = None) -> tuple[str, GoogleSheetsWorkbook]:
    """A spreadsheet whose Summary was written once, and a workbook that has just read it."""
    sid: str = tb.api.create_spreadsheet("Riverbend", {"Schools": [["School"], ["Adams"]]})
    workbook = tb.workbook(sid, settings)
    workbook.write([SUMMARY])
    workbook.read(["Schools"])
    tb.api.reset_requests()
    return sid, workbook


def test_429_waits_as_long_as_retry_after_says(tb: Bench) -> None:
    """A quota answer with `Retry-After: 7` is retried after exactly seven seconds."""
    sid = tb.api.create_spreadsheet("Riverbend", {"Schools": [["School"], ["Adams"]]})
    workbook = tb.workbook(sid)
    tb.api.fail_next(1, status=429, retry_after=7)
    assert workbook.read(["Schools"])["Schools"] == [["School"], ["Adams"]]
    assert tb.paced.slept == [7.0]
    assert [r.fault for r in tb.api.sheets_requests] == ["fail 429", None, None]


def test_503_is_retried_and_the_write_lands(tb: Bench) -> None:
    """Two 503s on the values write cost two short waits, then the write goes through."""
    sid, workbook = ready(tb)
    tb.api.fail_next(2, status=503)
    workbook.write([NEWER])
    assert tb.api.values(sid, "Summary") == [
        ["School", "Status"],
        ["Adams", "On track"],
        ["Bell", "Overdue"],
    ]
    assert len(tb.paced.slept) == 2
    assert 0 <= tb.paced.slept[0] <= 1
    assert 0 <= tb.paced.slept[1] <= 2


def test_quota_exhausted_on_write_keeps_last_runs_tabs(tb: Bench) -> None:
    """429s past the budget end in WriteFailed saying so; the Summary keeps last run's rows."""
    sid, workbook = ready(tb)
    tb.api.fail_next(20, status=429, retry_after=30)
    with pytest.raises(WriteFailed) as caught:
        workbook.write([NEWER])
    assert str(caught.value) == (
        "Google Sheets did not accept the write: the Google Sheets API quota is used up "
        f"after 4 tries over 90 s{NOT_WRITTEN} Run less often ([schedule] sync_every_minutes), "
        "or ask for a higher quota in the Google Cloud console."
    )
    assert tb.paced.slept == [30.0, 30.0, 30.0]
    assert tb.api.values(sid, "Summary") == [["School", "Status"], ["Adams", "Overdue"]]


def test_server_errors_past_the_budget_on_read(tb: Bench) -> None:
    """503s on every try end the read with WorkbookError, after `attempts` tries."""
    sid = tb.api.create_spreadsheet("Riverbend")
    workbook = tb.workbook(sid, HttpSettings(attempts=6))
    tb.api.fail_next(20, status=503, retry_after=5)
    with pytest.raises(WorkbookError) as caught:
        workbook.read(["Schools"])
    assert str(caught.value) == (
        f"Cannot read the Google Sheet {sid}: Google Sheets answered 503: The service is "
        "currently unavailable after 6 tries over 25 s. The next run tries again."
    )
    assert len(tb.api.sheets_requests) == 6


def test_a_hang_longer_than_the_read_timeout_is_retried(tb: Bench) -> None:
    """An answer slower than the read timeout is abandoned and asked for again."""
    sid = tb.api.create_spreadsheet("Riverbend", {"Schools": [["School"]]})
    workbook = tb.workbook(sid, HttpSettings(read_timeout=0.3))
    tb.api.delay_next(1, SILENCE)
    started = time.monotonic()
    assert workbook.read(["Schools"])["Schools"] == [["School"]]
    assert time.monotonic() - started < WELL_BEFORE_THE_SILENCE_ENDS
    assert [r.fault for r in tb.api.sheets_requests][:2] == [f"delay {SILENCE:g}s", None]


@pytest.mark.slow  # real waiting for the budget: CI runs it
def test_hangs_are_bounded_by_the_budget(tb: Bench) -> None:
    """A server that never answers in time ends the read within the budget, with a message."""
    sid = tb.api.create_spreadsheet("Riverbend")
    workbook = tb.workbook(sid, HttpSettings(budget_seconds=2.0, read_timeout=0.3))
    tb.api.delay_next(50, SILENCE)
    started = time.monotonic()
    with pytest.raises(WorkbookError) as caught:
        workbook.read(["Schools"])
    assert time.monotonic() - started < WELL_BEFORE_THE_SILENCE_ENDS
    assert len(tb.api.sheets_requests) >= 2
    assert re.fullmatch(
        rf"Cannot read the Google Sheet {sid}: Google Sheets could not be reached: the server "
        r"did not answer in time after \d tries over \d s\. Check this machine's internet "
        r"connection and proxy settings \(and \[workbook\] endpoint, if set\)\.",
        str(caught.value),
    )


def test_a_dropped_connection_is_retried(tb: Bench) -> None:
    """A connection closed without an answer is tried again, and the write lands."""
    sid, workbook = ready(tb)
    tb.api.drop_next(1)
    workbook.write([NEWER])
    assert [r.fault for r in tb.api.sheets_requests] == ["drop", None]
    assert tb.api.values(sid, "Summary")[1] == ["Adams", "On track"]


def test_a_structure_request_answered_too_late_is_not_applied_twice(tb: Bench) -> None:
    """A batchUpdate carried out but answered after the timeout is retried, refused (the tab
    exists), and the write looks at the sheet again and writes the cells alone."""
    sid = tb.api.create_spreadsheet("Riverbend", {"Schools": [["School"]]})
    workbook = tb.workbook(sid, HttpSettings(read_timeout=0.3))
    workbook.read(["Schools"])
    tb.api.reset_requests()
    tb.api.delay_next(1, 1.0)
    workbook.write([SUMMARY])
    assert [r.operation for r in tb.api.sheets_requests] == [WRITE, WRITE, METADATA, WRITE]
    assert [r.status for r in tb.api.sheets_requests][:2] == [200, 400]
    assert tb.api.tabs(sid) == ["Schools", "Summary"]
    assert tb.api.values(sid, "Summary") == [["School", "Status"], ["Adams", "Overdue"]]


def test_not_shared_names_the_service_account(tb: Bench) -> None:
    """A sheet not shared with the service account says which email to share it with."""
    sid = tb.api.create_spreadsheet(
        "Riverbend", shared_with=["someone@else.iam.gserviceaccount.com"]
    )
    with pytest.raises(WorkbookError) as caught:
        tb.workbook(sid).read(["Schools"])
    assert str(caught.value) == (
        f"Cannot read the Google Sheet {sid}: the sheet is not shared with the service "
        f"account {EMAIL}. Share the sheet with {EMAIL} as Editor."
    )
    assert len(tb.api.sheets_requests) == 1  # a 403 is not retried


def test_access_taken_away_before_the_write(tb: Bench) -> None:
    """Losing access between read and write is a WriteFailed that names the email too."""
    sid, workbook = ready(tb)
    tb.api.unshare(sid, EMAIL)
    with pytest.raises(WriteFailed) as caught:
        workbook.write([NEWER])
    assert str(caught.value) == (
        f"Google Sheets did not accept the write: the service account {EMAIL} may not edit "
        f"the sheet (not shared with it, or shared as Viewer){NOT_WRITTEN} Share the sheet "
        f"with {EMAIL} as Editor."
    )


def test_wrong_spreadsheet_id_is_named(tb: Bench) -> None:
    """An id that names no spreadsheet is shown, with where to find the right one."""
    with pytest.raises(WorkbookError) as caught:
        tb.workbook("1NoSuchSheet").check()
    assert str(caught.value) == (
        "Cannot read the Google Sheet 1NoSuchSheet: there is no spreadsheet with the id "
        "'1NoSuchSheet'. Check [workbook] spreadsheet_id: it is the part of the sheet's "
        "address between /d/ and /edit."
    )


def test_a_key_the_token_endpoint_refuses(tmp_path: Path, tb: Bench) -> None:
    """A key whose account the token endpoint does not know is reported as a key problem."""
    from gsheets_fixtures import key_file

    sid = tb.api.create_spreadsheet("Riverbend")
    other = tmp_path / "other"
    other.mkdir()
    tb.key = key_file(other, tb.api.token_url, email="stranger@elsewhere.iam.gserviceaccount.com")
    with pytest.raises(WorkbookError) as caught:
        tb.workbook(sid).read(["Schools"])
    message = str(caught.value)
    assert message.startswith(
        f"Cannot read the Google Sheet {sid}: Google refused the service account's key ("
    )
    assert message.endswith(
        "Create a new JSON key for stranger@elsewhere.iam.gserviceaccount.com and point "
        "[workbook] credentials at it."
    )


def test_a_failed_write_never_leaves_a_long_tab_cut_short(tb: Bench) -> None:
    """After a 1,001-row Data Issues, a 10-row one whose write fails leaves the tab holding
    the whole old content (the one batchUpdate is applied whole or not at all)."""
    columns = (Column("School"), Column("Status", toned=True))
    sid, workbook = ready(tb, HttpSettings(attempts=2))
    long = Table("Data Issues", columns, [(f"S{i}", "Overdue") for i in range(1000)])
    workbook.write([long])
    workbook.read(["Schools"])
    tb.api.reset_requests()
    write = workbook.http.batch_update

    def quota_storm(*args: Any, **kwargs: Any) -> Any:
        """Whatever went before, the write meets only 429s."""
        tb.api.fail_next(5, status=429, retry_after=1)
        return write(*args, **kwargs)

    workbook.http.batch_update = quota_storm  # type: ignore[method-assign]
    with pytest.raises(WriteFailed):
        workbook.write([Table("Data Issues", columns, [(f"T{i}", "On track") for i in range(10)])])
    assert tb.api.values(sid, "Data Issues") == [["School", "Status"]] + [
        [f"S{i}", "Overdue"] for i in range(1000)
    ]


def test_a_shorter_table_after_a_long_one_costs_no_structure_request(tb: Bench) -> None:
    """The grid keeps its size: the shorter table's write blanks the rest in the one write,
    with no change of structure."""
    sid, workbook = ready(tb)
    workbook.write([Table("Summary", SUMMARY.columns, [(f"S{i}", "Overdue") for i in range(300)])])
    grid = tb.api.sheet_properties(sid, "Summary")["gridProperties"]["rowCount"]
    workbook.read(["Schools"])
    tb.api.reset_requests()
    workbook.write([NEWER])
    assert tb.operations() == [CELLS_ONLY]
    assert tb.api.sheet_properties(sid, "Summary")["gridProperties"]["rowCount"] == grid
    assert tb.api.values(sid, "Summary") == [
        ["School", "Status"],
        ["Adams", "On track"],
        ["Bell", "Overdue"],
    ]


def test_token_endpoint_trouble_is_not_a_refused_key(tb: Bench) -> None:
    """503s from the token endpoint are retried within the budget and reported as the
    sign-in service being down, not as a key to replace."""
    sid = tb.api.create_spreadsheet("Riverbend")
    tb.api.fail_next(100, status=503, include_auth=True)
    with pytest.raises(WorkbookError) as caught:
        tb.workbook(sid, HttpSettings(attempts=2, budget_seconds=30)).read(["Schools"])
    assert re.fullmatch(
        rf"Cannot read the Google Sheet {sid}: Google's sign-in service is unavailable "
        r"\(HTTP 503\) after 2 tries over \d s\. The next run tries again\.",
        str(caught.value),
    )


def test_a_write_into_a_protected_range_says_so(tb: Bench) -> None:
    """Google's 403 for a protected range is not reported as an unshared sheet."""
    sid, workbook = ready(tb)
    sheet_id = tb.api.sheet_properties(sid, "Summary")["sheetId"]
    from gsheets_fixtures import as_user

    as_user(
        tb.api,
        sid,
        [{"addProtectedRange": {"protectedRange": {"range": {"sheetId": sheet_id}}}}],
    )
    with pytest.raises(WriteFailed) as caught:
        workbook.write([NEWER])
    assert str(caught.value).startswith(
        "Google Sheets did not accept the write: a protected range in the sheet forbids the "
        "service account's edit."
    )


def test_tabs_past_the_cells_a_run_reads_are_refused(
    tb: Bench, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same budget as for .xlsx (10 cells here, 3,000,000 for real): counted as Google
    answers, row by row, and refused before the core sees the rows."""
    monkeypatch.setattr("sheets_sync.adapters.workbook.MAX_CELLS", 10)
    sid = tb.api.create_spreadsheet(
        "Riverbend",
        {"Schools": [["School", "Code"], *[["Adams", "1"]] * 3], "Facilitators": [["F"]] * 5},
    )
    with pytest.raises(WorkbookError) as caught:
        tb.workbook(sid).read(["Schools", "Facilitators"])
    assert str(caught.value) == (
        f"The tabs sheets-sync reads in the Google Sheet {sid} cover 13 cells together "
        "('Schools' 8, 'Facilitators' 5), more than the 10 it reads in one run (a state's "
        "workbook covers about 1,000,000). Rows pasted by mistake make a tab huge: delete "
        "them, or move earlier years' rows to another workbook, save, and run again."
    )
