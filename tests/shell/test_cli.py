"""The command line, end to end on real .xlsx files: exact messages and exit statuses."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from sheets_sync.adapters.xlsx import create_workbook
from sheets_sync.core.blank_tabs import input_tabs
from sheets_sync.core.settings import Settings
from sheets_sync.core.table import InputColumn, InputTab
from sheets_sync.shell.cli import main
from tests.adapters.xlsx_district import sheet_parts
from tests.zip_bombs import deflated, with_part

CONFIG = """\
[workbook]
path = "district.xlsx"

[school_year]
start = 2025-08-01
end = 2026-06-30
"""


def cli(*argv: str, environ: dict[str, str] | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), environ or {}, out, err)
    return status, out.getvalue(), err.getvalue()


def clean_district() -> list[InputTab]:
    """One school that meets every rule as of 2025-11-20 (worked out by hand below)."""
    school = "Maple Grove Elementary"
    rows = {
        "Schools": [
            (school, "0042", "ES", "Dana Price", "dprice@riverbend.org", "Ann Lee", "North", "Yes")
        ],
        "Facilitators": [("Ann Lee", "alee@riverbend.org")],
        "Team Roster": [
            (school, "Dana Price", "Principal", "", "dprice@riverbend.org", "", "", None),
            (school, "Tom Ray", "Teacher", "Chair", "tray@riverbend.org", "", "", None),
            (school, "Kim Yu", "Teacher", "", "", "", "", None),
            (school, "Sam Cole", "Parent/Family", "", "", "", "", None),
            (school, "Lee Park", "Parent", "", "", "", "", None),
            (school, "Jo Banks", "Community", "", "", "", "", None),
        ],
        # Two Academic goals, one Behavior, one Climate; all six types; nothing due yet.
        "Action Plan": [
            (school, "Reading", "Academic", "Family reading night", 4, "Dec 2025", "Tom Ray"),
            (school, "Math", "Academic", "Math games at home", "Type 1", "Jan 2026", "Kim Yu"),
            (
                school,
                "Attendance",
                "Behavior",
                "Attendance calls",
                "2 Communicating",
                "Feb 2026",
                "Dana Price",
            ),
            (
                school,
                "Welcome",
                "Climate of Partnership",
                "Volunteer fair",
                3,
                "Mar 2026",
                "Sam Cole",
            ),
            (
                school,
                "Welcome",
                "Climate of Partnership",
                "Family council",
                5,
                "Apr 2026",
                "Lee Park",
            ),
            (
                school,
                "Welcome",
                "Climate of Partnership",
                "Library partnership",
                6,
                "May 2026",
                "Jo Banks",
            ),
        ],
        # A contact every month from September; the principal meeting before 30 September;
        # the Q1 (Aug-Oct) cluster meeting attended.
        "Contact Log": [
            (date(2025, 9, 10), school, "Ann Lee", "Principal Meeting"),
            (date(2025, 10, 8), school, "Ann Lee", "Cluster Meeting"),
            (date(2025, 11, 5), school, "Ann Lee", "Site Visit"),
        ],
    }
    return [InputTab(t.name, t.columns, tuple(rows[t.name])) for t in input_tabs(Settings())]


@pytest.fixture
def district(tmp_path: Path) -> Path:
    """A config and a clean workbook in tmp_path; returns the config's path."""
    (tmp_path / "sheets-sync.toml").write_text(CONFIG)
    create_workbook(tmp_path / "district.xlsx", clean_district())
    return tmp_path / "sheets-sync.toml"


def sheet(path: Path, name: str) -> list[list[object]]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python()


def test_run_on_a_clean_district_exits_0_and_writes_the_summary(district: Path) -> None:
    """A workbook with no errors runs with exit 0 and the school On track in the Summary."""
    status, out, err = cli("--config", str(district), "run", "--today", "2025-11-20")
    assert (status, err) == (0, "")
    assert out.splitlines()[:2] == [
        "1 active schools: 0 Overdue, 0 Needs attention, 1 On track",
        "Data issues: 0 errors, 0 warnings.",
    ]
    summary = sheet(district.parent / "district.xlsx", "Summary")
    assert summary[1][:4] == ["Maple Grove Elementary", "0042", "Ann Lee", "On track"]
    header = summary[0]
    row = dict(zip(header, summary[1], strict=True))
    assert row["Last Contact"] == date(2025, 11, 5)  # a real date, not text
    assert row["Days Since Contact"] == 15
    assert row["This Month"] == "Done"
    assert row["Principal Meeting"] == "Done 2025-09-10"
    assert row["Cluster Meetings"] == "Q1 attended, Q2 pending"
    assert row["Types Covered"] == "6 of 6"


def test_run_with_data_errors_exits_1(district: Path) -> None:
    """A contact dated after today is an error, so the run exits 1 but still writes."""
    tabs = clean_district()
    contacts = tabs[4]
    tabs[4] = InputTab(
        contacts.name,
        contacts.columns,
        (*contacts.rows, (date(2025, 12, 1), "Maple Grove Elementary", "Ann Lee", "Phone")),
    )
    create_workbook(district.parent / "district.xlsx", tabs, overwrite=True)
    status, out, _ = cli("--config", str(district), "run", "--today", "2025-11-20")
    assert status == 1
    assert "Data issues: 1 error, 0 warnings." in out
    issues = sheet(district.parent / "district.xlsx", "Data Issues")
    assert issues[1][:3] == ["error", "Contact Log", "A5"]
    assert issues[1][6] == "contact.future-date"


def test_check_prints_compiler_style_lines_and_exits_1(district: Path) -> None:
    """`check` names the cell, severity, problem and code on one line and the fix below it."""
    tabs = clean_district()
    roster = tabs[2]
    rows = list(roster.rows)
    rows[1] = (*rows[1][:4], "tray@", *rows[1][5:])
    tabs[2] = InputTab(roster.name, roster.columns, tuple(rows))
    create_workbook(district.parent / "district.xlsx", tabs, overwrite=True)
    status, out, _ = cli("--config", str(district), "check", "--today", "2025-11-20")
    assert status == 1
    assert out.splitlines() == [
        'Team Roster!E3: error: "tray@" is not a valid email address. [cell.bad-email]',
        "    fix: Correct it to a full address such as name@school.org, or clear the cell if "
        "there is none.",
        "Team Roster!E3: error: The team's Chair has no valid email, so the team cannot be "
        "reached. [roster.chair-no-email]",
        "    fix: Enter the Chair's email address.",
        "2 errors, 0 warnings.",
    ]


def test_check_json_is_machine_readable(district: Path) -> None:
    """`check --json` prints the counts and every issue's fields, and exits 0 when clean."""
    status, out, _ = cli("--config", str(district), "check", "--json", "--today", "2025-11-20")
    assert status == 0
    assert json.loads(out) == {"errors": 0, "warnings": 0, "issues": []}


def test_dry_run_writes_nothing(district: Path) -> None:
    """`run --dry-run` leaves the file's bytes as they were and says what it would write."""
    workbook = district.parent / "district.xlsx"
    before = workbook.read_bytes()
    status, out, _ = cli("--config", str(district), "run", "--dry-run", "--today", "2025-11-20")
    assert status == 0
    assert workbook.read_bytes() == before
    # On Thursday 20 November the month's principal summary is due (its first Monday, the
    # 3rd, has passed); the facilitator has no open item, so no digest.
    assert out.splitlines()[-3:] == [
        "Dry run: nothing written. Would write Summary (1 rows), Contact Calendar (1 rows), "
        f"Data Issues (0 rows), Run Log (1 rows) to {workbook}.",
        "Dry run: would send 1 email.",
        "  principal-summary / dprice@riverbend.org / 2025-11",
    ]
    assert not (district.parent / "outbox").exists()


def test_lock_file_skips_the_write_and_exits_1(district: Path) -> None:
    """With LibreOffice's lock file present the run writes nothing, says why, and exits 1."""
    workbook = district.parent / "district.xlsx"
    (district.parent / ".~lock.district.xlsx#").write_text("someone")
    before = workbook.read_bytes()
    status, out, _ = cli("--config", str(district), "run", "--today", "2025-11-20")
    assert status == 1
    assert workbook.read_bytes() == before
    not_written = [line for line in out.splitlines() if line.startswith("Not written: ")]
    assert len(not_written) == 1
    assert ".~lock.district.xlsx#" in not_written[0]


def test_missing_config_exits_2_with_what_to_do(tmp_path: Path) -> None:
    """No config file is exit 2 with a message naming the path and `init`."""
    missing = tmp_path / "nope.toml"
    status, out, err = cli("--config", str(missing), "run")
    assert (status, out) == (2, "")
    assert err.startswith(f"sheets-sync: No config at {missing}.")
    assert "sheets-sync init" in err


def test_missing_workbook_exits_2(tmp_path: Path) -> None:
    """A config naming a workbook that does not exist is exit 2, naming the file."""
    (tmp_path / "sheets-sync.toml").write_text(CONFIG)
    status, _, err = cli("--config", str(tmp_path / "sheets-sync.toml"), "check")
    assert status == 2
    assert str(tmp_path / "district.xlsx") in err


def test_config_from_the_environment(district: Path) -> None:
    """$SHEETS_SYNC_CONFIG names the config when --config is not given."""
    status, _, _ = cli(
        "check", "--today", "2025-11-20", environ={"SHEETS_SYNC_CONFIG": str(district)}
    )
    assert status == 0


def test_init_writes_config_and_workbook_then_leaves_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`init` makes a starter config and a workbook with the input tabs; again, changes nothing."""
    monkeypatch.chdir(tmp_path)
    status, out, _ = cli("init")
    assert status == 0
    assert (tmp_path / "config" / "sheets-sync.toml").exists()
    workbook = tmp_path / "config" / "district.xlsx"
    assert out.splitlines() == [
        "Wrote a starter config to config/sheets-sync.toml; edit it to name your district.",
        "Created config/district.xlsx with tabs Schools, Facilitators, Team Roster, Action Plan, "
        "Contact Log.",
    ]
    assert sheet(workbook, "Team Roster")[0] == [
        "School",
        "Name",
        "Role",
        "Leadership",
        "Email",
        "Phone",
        "Grade Levels",
        "Term Ends",
    ]
    before = workbook.read_bytes()
    status, out, _ = cli("init")
    assert out.splitlines() == [
        "config/district.xlsx already has every input tab; nothing changed."
    ]
    assert workbook.read_bytes() == before


def test_init_adds_only_missing_tabs_to_an_existing_workbook(district: Path) -> None:
    """`init` on a workbook without a Contact Log adds that tab and keeps the others' bytes."""
    workbook = district.parent / "district.xlsx"
    create_workbook(workbook, clean_district()[:4], overwrite=True)
    with zipfile.ZipFile(workbook) as z:
        before = {n: z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/")}
    status, out, _ = cli("--config", str(district), "init")
    assert status == 0
    assert out.splitlines() == [f"Added tabs Contact Log to {workbook}."]
    with zipfile.ZipFile(workbook) as z:
        assert all(z.read(n) == data for n, data in before.items())
    assert sheet(workbook, "Contact Log")[0][:4] == [
        "Date",
        "School",
        "Facilitator",
        "Contact Type",
    ]


def test_demo_shows_every_status_and_writes_its_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`demo` writes a workbook and config, shows all three statuses, and a pasteable next step."""
    monkeypatch.chdir(tmp_path)
    status, out, _ = cli("demo", "--today", "2025-11-20")
    assert status == 0
    for word in ("Overdue", "Needs attention", "On track"):
        assert word in out
    names = CalamineWorkbook.from_path(str(tmp_path / "demo" / "district.xlsx")).sheet_names
    assert names[-4:] == ["Summary", "Contact Calendar", "Data Issues", "Run Log"]
    # Thursday 20 November: the week's digests for the three facilitators (each has open
    # items) and the month's summaries for the 11 active schools' principals.
    assert out.splitlines()[-6:] == [
        "Workbook: demo/district.xlsx",
        "          open it: see the Summary, Contact Calendar, Data Issues and Run Log tabs.",
        "Emails:   14 written to demo/outbox (as .eml files, none sent)",
        "          open demo/outbox/2025-11-20 facilitator-digest "
        "james.whitaker@riverbend.k12.org.html to see a facilitator's weekly email.",
        "Config:   demo/sheets-sync.toml",
        "Next:     sheets-sync --config demo/sheets-sync.toml check",
    ]
    assert len(list((tmp_path / "demo" / "outbox").glob("*.eml"))) == 14
    status, _, _ = cli("--config", "demo/sheets-sync.toml", "check", "--today", "2025-11-20")
    assert status == 1  # the demo's deliberate errors


def test_bad_today_is_a_usage_error() -> None:
    """A --today that is not a date stops with exit 2 before anything runs."""
    with pytest.raises(SystemExit) as stopped:
        cli("run", "--today", "11/20/2025")
    assert stopped.value.code == 2


def test_python_dash_m_runs_the_same_command() -> None:
    """`python -m sheets_sync --help` lists every command of this release."""
    done = subprocess.run(
        [sys.executable, "-m", "sheets_sync", "--help"], capture_output=True, text=True, check=True
    )
    for command in ("demo", "init", "check", "run"):
        assert command in done.stdout


def test_demo_never_replaces_a_districts_files(tmp_path: Path) -> None:
    """`demo DIR` refuses a folder holding a config it did not write, and leaves both files."""
    (tmp_path / "sheets-sync.toml").write_text(CONFIG)
    (tmp_path / "district.xlsx").write_bytes(b"a district's own workbook")
    status, _, err = cli("demo", str(tmp_path), "--today", "2025-11-20")
    assert status == 2
    assert err == (
        f"sheets-sync: {tmp_path} already holds a workbook or config that the demo did not "
        "write, and the demo never replaces them. Give it another folder: "
        "`sheets-sync demo DIR`.\n"
    )
    assert (tmp_path / "sheets-sync.toml").read_text() == CONFIG
    assert (tmp_path / "district.xlsx").read_bytes() == b"a district's own workbook"


def test_demo_twice_in_one_folder_replaces_its_own_files(tmp_path: Path) -> None:
    """A second `demo` into the same folder regenerates the earlier demo's files."""
    assert cli("demo", str(tmp_path / "d"), "--today", "2025-11-20")[0] == 0
    assert cli("demo", str(tmp_path / "d"), "--today", "2026-02-10")[0] == 0
    run_log = sheet(tmp_path / "d" / "district.xlsx", "Run Log")
    assert len(run_log) == 2  # a fresh workbook: its header and this run's row


def test_a_persons_summary_tab_keeps_the_file_unchanged(district: Path) -> None:
    """An .xlsx with a person's own "Summary" tab is left byte for byte, and the run exits 1."""
    tabs = [*clean_district(), InputTab("Summary", (InputColumn("Notes"),), (("Board notes",),))]
    workbook = district.parent / "district.xlsx"
    create_workbook(workbook, tabs, overwrite=True)
    before = workbook.read_bytes()
    status, out, _ = cli("--config", str(district), "run", "--today", "2025-11-20")
    assert status == 1
    assert workbook.read_bytes() == before
    assert 'Not written: The workbook has a tab "Summary"' in out


def test_an_xlsx_district_never_loads_the_google_libraries(district: Path) -> None:
    """`check` and `run` on an .xlsx import neither the Google adapter nor gspread,
    google-auth or requests: only the composition root may, and only for a Google Sheet."""
    code = (
        "import sys, io\n"
        "from sheets_sync.shell.cli import main\n"
        "for argv in (['check'], ['run', '--no-email']):\n"
        f"    main(['--config', {str(district)!r}, *argv, '--today', '2025-11-20'], {{}},"
        " io.StringIO(), io.StringIO())\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in"
        " ('gspread', 'google', 'requests') or m.startswith('sheets_sync.adapters.gsheets')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=district.parent,
    )
    assert done.stdout == "[]\n"


def test_check_shows_escape_sequences_instead_of_sending_them_to_the_terminal(
    tmp_path: Path,
) -> None:
    """A principal's name holding ESC[2J (clear screen; Excel's file form is _x001B_, which
    the reader decodes) reaches `check`'s output as text, with one warning at its cell."""
    (tmp_path / "sheets-sync.toml").write_text(CONFIG)
    book = tmp_path / "district.xlsx"
    create_workbook(book, clean_district())
    part = sheet_parts(book)["Schools"]
    with zipfile.ZipFile(book) as package:
        xml = package.read(part).decode()
    cell = '<c r="D2" t="inlineStr"><is><t>Dana_x001B_[2J Price</t></is></c>'
    xml, found = re.subn(r'<c r="D2"[^>]*?(/>|>.*?</c>)', cell, xml, count=1)
    assert found == 1
    with_part(book, book, part, deflated(xml.encode()))
    status, out, _ = cli(
        "--config", str(tmp_path / "sheets-sync.toml"), "check", "--today", "2025-11-20"
    )
    assert "\x1b" not in out
    assert (
        "Schools!D2: warning: This Principal cell holds characters that do not show, or that "
        'reverse the text around them: "Dana<U+001B>[2J Price". [cell.hidden-characters]'
    ) in out
    assert status == 0  # a warning only


def test_form_choices_prints_the_active_schools_and_contact_types_to_paste(
    tmp_path: Path,
) -> None:
    """Every active school in the Schools tab's order (a name with a comma whole, an inactive
    school left out), then District; then the contact types as PRODUCT.md lists them."""
    tabs = clean_district()
    schools = next(t for t in tabs if t.name == "Schools")
    maple = schools.rows[0]
    rows = (
        maple,
        ("Cedar Ridge, Upper Campus", "0043", *maple[2:]),
        ("Old Mill School", "0044", *maple[2:7], "No"),
    )
    tabs = [replace(t, rows=rows) if t.name == "Schools" else t for t in tabs]
    (tmp_path / "sheets-sync.toml").write_text(CONFIG)
    create_workbook(tmp_path / "district.xlsx", tabs)
    status, out, err = cli("--config", str(tmp_path / "sheets-sync.toml"), "form-choices")
    assert (status, err) == (0, "")
    assert out.splitlines() == [
        'Schools (the choices of the "School(s)" question, one a line):',
        "Maple Grove Elementary",
        "Cedar Ridge, Upper Campus",
        "District",
        "",
        'Contact types (the choices of the "Type of contact" question):',
        *("Site Visit", "Team Meeting", "Phone", "Email", "Virtual Meeting", "Training"),
        *("Cluster Meeting", "Principal Meeting", "Celebration", "Presentation", "Other"),
    ]
