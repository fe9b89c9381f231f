"""`sheets-sync doctor`: what it finds on .xlsx and Google Sheets, and its exit status."""

from __future__ import annotations

import io
import json
from pathlib import Path

from sheets_sync.adapters.xlsx import create_workbook
from sheets_sync.core.table import InputTab
from sheets_sync.shell.cli import main
from tests.adapters.gsheets_fixtures import EMAIL, as_user, bench
from tests.adapters.xlsx_district import sheet_parts
from tests.shell.test_cli import CONFIG, clean_district
from tests.zip_bombs import one_huge_cell, with_part


def doctor(config: Path) -> tuple[int, list[str]]:
    """Doctor's lines, without those about the state folder (their own test is below)."""
    out = io.StringIO()
    status = main(
        ["--config", str(config), "doctor", "--today", "2025-11-20"], {}, out, io.StringIO()
    )
    return status, [line for line in out.getvalue().splitlines() if " state " not in line[:22]]


def gsheets_config(folder: Path, spreadsheet_id: str, key: Path, endpoint: str) -> Path:
    config = folder / "sheets-sync.toml"
    config.write_text(
        f'[workbook]\nbackend = "gsheets"\nspreadsheet_id = "{spreadsheet_id}"\n'
        f'credentials = "{key}"\nendpoint = "{endpoint}"\n\n'
        "[school_year]\nstart = 2025-08-01\nend = 2026-06-30\n"
    )
    return config


def grids(tabs: list[InputTab]) -> dict[str, list[list[object]]]:
    return {t.name: [[c.title for c in t.columns], *map(list, t.rows)] for t in tabs}


def test_a_healthy_xlsx_setup_is_all_well(tmp_path: Path) -> None:
    """A valid config and a workbook with every tab and column: every line ok, exit 0."""
    config = tmp_path / "sheets-sync.toml"
    config.write_text(CONFIG)
    create_workbook(tmp_path / "district.xlsx", clean_district())
    status, lines = doctor(config)
    assert status == 0
    assert [line.split()[:2] for line in lines[:-1]] == [
        ["ok", "config"],
        ["ok", "workbook"],
        ["ok", "tabs"],
    ]
    assert lines[-1] == "All is well."


def test_a_missing_column_and_a_lock_file_are_problems(tmp_path: Path) -> None:
    """A roster without its Role column and Excel's lock file are two problems, exit 1."""
    config = tmp_path / "sheets-sync.toml"
    config.write_text(CONFIG)
    tabs = clean_district()
    roster = tabs[2]
    keep = [i for i, c in enumerate(roster.columns) if c.title != "Role"]
    tabs[2] = InputTab(
        roster.name,
        tuple(roster.columns[i] for i in keep),
        tuple(tuple(row[i] for i in keep) for row in roster.rows),
    )
    create_workbook(tmp_path / "district.xlsx", tabs)
    (tmp_path / "~$district.xlsx").write_text("")
    status, lines = doctor(config)
    assert status == 1
    problems = [line for line in lines if line.startswith("PROBLEM")]
    assert len(problems) == 2
    assert "~$district.xlsx is present: a spreadsheet program has the workbook open" in problems[0]
    assert problems[1].split(None, 2)[2] == (
        'Team Roster!H1: The "Role" column is missing from the header row. '
        'Add a column headed "Role" in row 1 (for example in H1).'
    )
    assert lines[-1] == "2 problems: fix them and run `sheets-sync doctor` again."


def test_a_google_sheet_not_shared_names_the_account_to_share_with(tmp_path: Path) -> None:
    """On Google Sheets, a sheet not shared with the service account is the one problem."""
    with bench(tmp_path) as b:
        sheet = b.api.create_spreadsheet("District", grids(clean_district()), shared_with=[])
        status, lines = doctor(gsheets_config(tmp_path, sheet, b.key, b.api.url))
    assert status == 1
    assert lines[1] == f"ok       credentials  service account {EMAIL}"
    assert lines[2].startswith("PROBLEM  workbook")
    assert EMAIL in lines[2]
    assert "Share" in lines[2]


def test_a_healthy_google_sheet_is_all_well(tmp_path: Path) -> None:
    """On Google Sheets: credentials, the shared sheet and its tabs all check out."""
    with bench(tmp_path) as b:
        sheet = b.api.create_spreadsheet("Riverbend", grids(clean_district()))
        status, lines = doctor(gsheets_config(tmp_path, sheet, b.key, b.api.url))
    assert status == 0
    assert lines[2] == 'ok       workbook     "Riverbend" is reachable and shared'
    assert lines[-1] == "All is well."


def test_form_times_in_another_time_zone_than_the_districts_are_a_problem(tmp_path: Path) -> None:
    """A Form's responses (a Timestamp column) in a sheet on Google's default time zone for a
    sheet made through the API (Etc/GMT), for a district in America/New_York (the default):
    doctor says so. Set to US/Eastern, the same clock by another name, all is well."""
    tabs = grids(clean_district())
    tabs["Contact Log"][0][0] = "Timestamp"
    with bench(tmp_path) as b:
        sheet = b.api.create_spreadsheet("Riverbend", tabs)
        config = gsheets_config(tmp_path, sheet, b.key, b.api.url)
        status, lines = doctor(config)
        zone = {"properties": {"timeZone": "US/Eastern"}, "fields": "timeZone"}
        as_user(b.api, sheet, [{"updateSpreadsheetProperties": zone}])
        fixed, after = doctor(config)
    assert status == 1
    (line,) = [line for line in lines if "time zone" in line]
    assert line == (
        "PROBLEM  workbook     Contact Log!A1: The Google Sheet keeps its times in Etc/GMT, the"
        " district in America/New_York ([program] timezone): a Form writes each Timestamp in the"
        " sheet's time zone, so a contact logged late in the day can count for the next day, or"
        " the next month. In the sheet choose File, Settings, Time zone: America/New_York (or"
        " set [program] timezone in the config to the sheet's)."
    )
    assert (fixed, after[-1]) == (0, "All is well.")


def test_a_missing_credentials_file_is_a_problem(tmp_path: Path) -> None:
    """A credentials path that does not exist is reported before anything else is tried."""
    config = gsheets_config(tmp_path, "abc123", tmp_path / "nope.json", "http://127.0.0.1:9")
    status, lines = doctor(config)
    assert status == 1
    assert lines[1].startswith("PROBLEM  credentials")
    assert "nope.json" in lines[1]


def test_init_on_a_google_sheet_adds_the_input_tabs_once(tmp_path: Path) -> None:
    """`init` adds the five input tabs to a new Google Sheet; run again, it changes nothing."""
    with bench(tmp_path) as b:
        sheet = b.api.create_spreadsheet("New district")
        config = gsheets_config(tmp_path, sheet, b.key, b.api.url)
        lines = []
        for _ in range(2):
            out = io.StringIO()
            assert main(["--config", str(config), "init"], {}, out, io.StringIO()) == 0
            lines.append(out.getvalue().strip())
        tabs = b.api.tabs(sheet)
        roster_header = b.api.values(sheet, "Team Roster")[0]
    assert lines == [
        f"Added tabs Schools, Facilitators, Team Roster, Action Plan, Contact Log to "
        f"Google Sheet {sheet}.",
        f"Google Sheet {sheet} already has every input tab; nothing changed.",
    ]
    assert tabs == [
        "Sheet1",
        "Schools",
        "Facilitators",
        "Team Roster",
        "Action Plan",
        "Contact Log",
    ]
    assert roster_header == [
        "School",
        "Name",
        "Role",
        "Leadership",
        "Email",
        "Phone",
        "Grade Levels",
        "Term Ends",
    ]


def test_a_google_sheet_shared_as_viewer_is_a_problem(tmp_path: Path) -> None:
    """A sheet the service account can read but not edit is reported as shared as Viewer."""
    with bench(tmp_path) as b:
        sheet = b.api.create_spreadsheet("District", grids(clean_district()), shared_with=[])
        b.api.share(sheet, EMAIL, role="reader")
        status, lines = doctor(gsheets_config(tmp_path, sheet, b.key, b.api.url))
    assert status == 1
    assert lines[2] == f"PROBLEM  workbook     shared as Viewer: share it as Editor with {EMAIL}."
    assert lines[3] == "ok       tabs         every input tab has its required columns"


def test_doctor_signs_in_once_reads_once_and_changes_nothing(tmp_path: Path) -> None:
    """One token request, one metadata read, one batchGet, and a write probe that leaves
    the spreadsheet exactly as it was."""
    with bench(tmp_path) as b:
        sheet = b.api.create_spreadsheet("Riverbend", grids(clean_district()))
        before = b.api.metadata(sheet, include_grid=True)
        b.api.reset_requests()
        status, _ = doctor(gsheets_config(tmp_path, sheet, b.key, b.api.url))
        operations = sorted(r.operation for r in b.api.requests if r.kind != "other")
        after = b.api.metadata(sheet, include_grid=True)
    assert status == 0
    assert [o for o in operations if not o.startswith("iamcredentials")] == [
        "oauth2.token",
        "spreadsheets.batchUpdate",
        "spreadsheets.get",
        "spreadsheets.values.batchGet",
    ]
    assert after == before


def test_a_refused_key_is_a_credentials_problem(tmp_path: Path) -> None:
    """A key the token endpoint refuses is filed under credentials, not workbook."""
    from tests.adapters.gsheets_fixtures import key_file

    with bench(tmp_path) as b:
        sheet = b.api.create_spreadsheet("Riverbend", grids(clean_district()))
        other = tmp_path / "other"
        other.mkdir()
        key = key_file(other, b.api.token_url, email="stranger@x.iam.gserviceaccount.com")
        status, lines = doctor(gsheets_config(tmp_path, sheet, key, b.api.url))
    assert status == 1
    assert lines[1].startswith("PROBLEM  credentials  Cannot read the Google Sheet")
    assert "Google refused the service account's key" in lines[1]
    assert len(lines) == 3


def test_state_folder_last_run_and_a_readable_key(tmp_path: Path) -> None:
    """Doctor says the state folder is writable, how the last run went, and flags a key file
    that other users can read."""
    config = tmp_path / "sheets-sync.toml"
    config.write_text(CONFIG)
    create_workbook(tmp_path / "district.xlsx", clean_district())
    main(
        ["--config", str(config), "run", "--today", "2025-11-20"], {}, io.StringIO(), io.StringIO()
    )
    out = io.StringIO()
    main(["--config", str(config), "doctor", "--today", "2025-11-20"], {}, out, io.StringIO())
    lines = out.getvalue().splitlines()
    assert f"ok       state        {tmp_path / 'state'} is writable" in lines
    assert any(
        line.startswith("ok       last run     last run 20") and line.endswith(": ok")
        for line in lines
    )

    # A last run a week old means the service or cron job has stopped.
    last_run = tmp_path / "state" / "last_run.json"
    summary = json.loads(last_run.read_text())
    summary["finished_at"] = "2020-01-01T07:00:00+00:00"
    last_run.write_text(json.dumps(summary))
    out = io.StringIO()
    main(["--config", str(config), "doctor", "--today", "2025-11-20"], {}, out, io.StringIO())
    stale = [line for line in out.getvalue().splitlines() if "last run" in line]
    assert len(stale) == 1
    assert stale[0].startswith("PROBLEM  last run")
    assert stale[0].endswith("ago: is the service (or the cron job) running?")

    with bench(tmp_path) as b:
        sheet = b.api.create_spreadsheet("Riverbend", grids(clean_district()))
        b.key.chmod(0o644)
        out = io.StringIO()
        main(
            ["--config", str(gsheets_config(tmp_path, sheet, b.key, b.api.url)), "doctor"],
            {},
            out,
            io.StringIO(),
        )
    assert (
        f"PROBLEM  credentials  {b.key} can be read by other users of this machine; make it "
        f"private: chmod 600 {b.key}"
    ) in out.getvalue().splitlines()


def test_a_bomb_is_a_workbook_problem_in_the_runs_words(tmp_path: Path) -> None:
    """doctor reads the way `run` does: a Schools tab of one 800 MB cell is named, refused."""
    config = tmp_path / "sheets-sync.toml"
    config.write_text(CONFIG)
    book = tmp_path / "district.xlsx"
    create_workbook(book, clean_district())
    with_part(book, book, sheet_parts(book)["Schools"], one_huge_cell(800))
    status, lines = doctor(config)
    assert status == 1
    assert lines[1].startswith(
        f"PROBLEM  workbook     The tab 'Schools' in {book} would unpack to 800 MB"
    )
