"""The config file: defaults, paths, secrets, and the exact messages for a bad one."""

from __future__ import annotations

import contextlib
import re
import tomllib
from dataclasses import replace
from datetime import UTC, date, time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sheets_sync.core.letters import ContactForm
from sheets_sync.core.settings import (
    CONTACT_TYPES,
    GOAL_TYPES,
    NamedColumn,
    Rules,
    SchoolYear,
    TabNames,
    YearRule,
)
from sheets_sync.errors import ConfigError
from sheets_sync.shell.config import (
    SCHEMA,
    Config,
    EmailConfig,
    Monthly,
    ProgramConfig,
    ScheduleConfig,
    SmtpConfig,
    StateConfig,
    Weekly,
    WorkbookConfig,
    config_path,
    load_config,
    parse_config,
    starter_config,
)

REPO = Path(__file__).resolve().parents[2]
NAME = "config/sheets-sync.toml"  # how messages name the file in these tests
MINIMAL = """\
[workbook]
path = "district.xlsx"

[school_year]
start = 2025-08-01
end = 2026-06-30
"""


@pytest.fixture
def cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh working folder holding config/, so messages can name `config/sheets-sync.toml`."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "config").mkdir()
    return tmp_path


def load(text: str, environ: dict[str, str] | None = None) -> Config:
    """Write `text` to config/sheets-sync.toml (under the cwd fixture) and load it."""
    path = Path(NAME)
    path.write_text(text, encoding="utf-8")
    return load_config(path, environ or {})


def with_section(section: str, body: str) -> str:
    """The minimal config plus one more section."""
    return f"{MINIMAL}\n[{section}]\n{body}\n"


def message(text: str, environ: dict[str, str] | None = None) -> str:
    with pytest.raises(ConfigError) as caught:
        load(text, environ)
    return str(caught.value)


def rules_message(body: str) -> str:
    return message(with_section("rules", body))


# --- defaults and paths ------------------------------------------------------------------


@pytest.mark.usefixtures("cwd")
def test_minimal_config_gives_every_default() -> None:
    """Only [workbook] and [school_year] given: every other value is the documented default."""
    config = load(MINIMAL)
    folder = Path.cwd() / "config"
    assert config.workbook == WorkbookConfig(path=folder / "district.xlsx")
    assert config.school_year == YearRule(fixed=SchoolYear(date(2025, 8, 1), date(2026, 6, 30)))
    assert config.program == ProgramConfig()
    assert config.rules == Rules()
    assert config.tabs == TabNames()
    assert config.email == EmailConfig(outbox_dir=folder / "outbox")
    assert config.schedule == ScheduleConfig()
    assert config.state == StateConfig(dir=folder / "state")


def test_defaults_are_the_documented_values() -> None:
    """The defaults in code are those of PRODUCT.md §7, spelled out once here."""
    assert (EmailConfig().from_, EmailConfig().max_per_run) == (
        "Family Partnerships <partnerships@example.org>",
        200,
    )
    assert SmtpConfig() == SmtpConfig(
        "localhost", 587, "starttls", "SMTP_USERNAME", "SMTP_PASSWORD", 30
    )
    assert ScheduleConfig() == ScheduleConfig(
        15, Weekly(0, time(7, 0)), Monthly(1, 0, time(7, 30)), Weekly(0, time(7, 0))
    )
    assert ProgramConfig() == ProgramConfig(
        "", "Action Team for Partnerships", "ATP", "nnps", "America/New_York"
    )


@pytest.mark.usefixtures("cwd")
def test_settings_are_the_core_view_of_the_config() -> None:
    """`Config.settings` carries the year, rules, tabs, framework and allowed domains."""
    config = load(
        MINIMAL
        + '[program]\nframework = "pta"\n[email]\nallowed_domains = ["District.ORG"]\n'
        + '[tabs]\nsummary = "Overview"\n'
    )
    settings = config.settings_on(date(2026, 12, 7))  # past the fixed year: still that year
    assert settings.year == SchoolYear(date(2025, 8, 1), date(2026, 6, 30))
    assert settings.fixed_year
    assert settings.rules == config.rules
    assert settings.tabs.summary == "Overview"
    assert settings.framework == "pta"
    assert settings.allowed_domains == ("district.org",)


def test_relative_paths_resolve_against_the_config_folder_not_the_cwd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every relative path is taken from the config file's folder, wherever sheets-sync runs."""
    folder = tmp_path / "etc" / "sheets-sync"
    folder.mkdir(parents=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    (folder / "sync.toml").write_text(
        MINIMAL.replace('"district.xlsx"', '"data/district.xlsx"')
        + '[email]\noutbox_dir = "mail/out"\ntemplates_dir = "tpl"\n'
        + '[state]\ndir = "/var/lib/sheets-sync"\n',
        encoding="utf-8",
    )
    config = load_config(folder / "sync.toml", {})
    assert config.workbook.path == folder / "data" / "district.xlsx"
    assert config.email.outbox_dir == folder / "mail" / "out"
    assert config.email.templates_dir == folder / "tpl"
    assert config.state.dir == Path("/var/lib/sheets-sync")


def test_a_relative_config_path_still_gives_absolute_paths(cwd: Path) -> None:
    """Given `config/sheets-sync.toml` relative to the cwd, the paths in it come out absolute."""
    config = load(MINIMAL)
    assert config.workbook.path == cwd / "config" / "district.xlsx"
    assert config.workbook.path.is_absolute()
    assert config.path == Path(NAME)


@pytest.mark.usefixtures("cwd")
def test_credentials_fall_back_to_the_passed_environment() -> None:
    """Blank credentials take $GOOGLE_APPLICATION_CREDENTIALS from the environ passed in."""
    gsheets = '[workbook]\nbackend = "gsheets"\nspreadsheet_id = "abc"\n'
    year = "[school_year]\nstart = 2025-08-01\nend = 2026-06-30\n"
    environ = {"GOOGLE_APPLICATION_CREDENTIALS": "/secrets/sa.json"}
    assert load(gsheets + year, environ).workbook.credentials == Path("/secrets/sa.json")
    blank = gsheets + 'credentials = ""\n' + year
    assert load(blank, environ).workbook.credentials == Path("/secrets/sa.json")
    assert load(gsheets + year, {}).workbook.credentials is None
    named = gsheets + 'credentials = "sa.json"\n' + year
    assert load(named, environ).workbook.credentials == Path.cwd() / "config" / "sa.json"


@pytest.mark.usefixtures("cwd")
def test_credentials_are_never_read_from_the_process_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The real os.environ is ignored: only the environ argument counts."""
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", "/from/os/environ.json")
    assert load(MINIMAL, {}).workbook.credentials is None


# --- finding the file --------------------------------------------------------------------


def test_config_path_prefers_the_option_then_the_environment_then_the_default(
    tmp_path: Path,
) -> None:
    """--config beats $SHEETS_SYNC_CONFIG, which beats config/sheets-sync.toml under cwd."""
    env = {"SHEETS_SYNC_CONFIG": "/etc/sheets-sync.toml"}
    assert config_path("mine.toml", env, tmp_path) == tmp_path / "mine.toml"
    assert config_path("/abs/mine.toml", env, tmp_path) == Path("/abs/mine.toml")
    assert config_path(None, env, tmp_path) == Path("/etc/sheets-sync.toml")
    assert config_path(None, {"SHEETS_SYNC_CONFIG": "rel.toml"}, tmp_path) == tmp_path / "rel.toml"
    assert config_path(None, {}, tmp_path) == tmp_path / "config" / "sheets-sync.toml"
    assert config_path(None, {"SHEETS_SYNC_CONFIG": "  "}, tmp_path) == (
        tmp_path / "config" / "sheets-sync.toml"
    )


@pytest.mark.usefixtures("cwd")
def test_a_missing_file_says_how_to_get_one() -> None:
    """No file: the message points at `sheets-sync init` and --config."""
    with pytest.raises(ConfigError) as caught:
        load_config(Path(NAME), {})
    assert str(caught.value) == (
        "No config at config/sheets-sync.toml. Run `sheets-sync init` to write a starter"
        " config, or pass --config."
    )


@pytest.mark.usefixtures("cwd")
def test_a_folder_is_not_a_config() -> None:
    """Pointing --config at a folder says so."""
    with pytest.raises(ConfigError, match="is a folder, not a config file"):
        load_config(Path("config"), {})


@pytest.mark.usefixtures("cwd")
def test_toml_syntax_errors_give_line_and_column() -> None:
    """A TOML error names the file, the line and the column, with tomllib's words."""
    assert message('[workbook]\npath = "district.xlsx"\nbackend xlsx\n') == (
        f"{NAME}: not valid TOML: Expected '=' after a key in a key/value pair"
        " (at line 3, column 9)."
    )


@pytest.mark.usefixtures("cwd")
def test_unquoted_text_gets_a_hint_about_quotes() -> None:
    """The commonest TOML slip, text without quotes, is explained."""
    assert message("[workbook]\nbackend = xlsx\n") == (
        f"{NAME}: not valid TOML: Invalid value (at line 2, column 11); text needs double"
        ' quotes (backend = "xlsx"), dates do not (end = 2026-06-30).'
    )


@pytest.mark.usefixtures("cwd")
def test_a_file_that_is_not_utf8_names_the_line() -> None:
    """Bytes that are not UTF-8 are reported with their line, not a traceback."""
    Path(NAME).write_bytes(b'[workbook]\npath = "caf\xe9.xlsx"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(Path(NAME), {})
    assert str(caught.value) == f"{NAME}: line 2 is not UTF-8 text; save the file as UTF-8."


@pytest.mark.usefixtures("cwd")
def test_a_byte_order_mark_is_accepted() -> None:
    """Windows Notepad's UTF-8 byte-order mark does not break the file."""
    Path(NAME).write_bytes(b"\xef\xbb\xbf" + MINIMAL.encode())
    assert load_config(Path(NAME), {}).school_year == YearRule(fixed=SchoolYear())


# --- required sections and keys, unknown ones ---------------------------------------------


@pytest.mark.usefixtures("cwd")
def test_missing_required_sections_are_named() -> None:
    """[workbook] is required, and the message shows what to add; [school_year] is not (the
    year from 1 August to 30 June that contains today)."""
    assert message("[school_year]\nstart = 2025-08-01\nend = 2026-06-30\n") == (
        f"{NAME}: [workbook] is missing; add it with the workbook's file,"
        ' e.g. path = "district.xlsx".'
    )
    assert load('[workbook]\npath = "district.xlsx"\n').school_year == YearRule((8, 1), (6, 30))
    assert "[workbook] is missing" in message("")


@pytest.mark.usefixtures("cwd")
def test_missing_required_keys_are_named() -> None:
    """A fixed start with the end left out (the default "06-30", a month-day) is named."""
    assert message('[workbook]\npath = "d.xlsx"\n[school_year]\nstart = 2025-08-01\n') == (
        f"{NAME}: school_year.start = 2025-08-01 is not allowed; give school_year.start and "
        'school_year.end in the same form: both month-days ("08-01", "06-30") or both dates '
        "(2025-08-01, 2026-06-30)."
    )


@pytest.mark.usefixtures("cwd")
def test_workbook_path_defaults_to_district_xlsx_beside_the_config() -> None:
    """An empty [workbook] means an .xlsx named district.xlsx in the config's folder."""
    config = load("[workbook]\n[school_year]\nstart = 2025-08-01\nend = 2026-06-30\n")
    assert config.workbook.path == Path.cwd() / "config" / "district.xlsx"


@pytest.mark.usefixtures("cwd")
def test_an_unknown_key_suggests_the_nearest_one() -> None:
    """A typo in a key is an error that suggests the key meant."""
    assert rules_message("due_son_days = 5") == (
        f"{NAME}: rules.due_son_days is not a known key; did you mean rules.due_soon_days?"
    )


@pytest.mark.usefixtures("cwd")
def test_a_key_in_the_wrong_section_points_to_its_section() -> None:
    """A real key under the wrong section suggests it under the right one."""
    assert message(MINIMAL + 'timezone = "America/Denver"\n') == (
        f"{NAME}: school_year.timezone is not a known key; did you mean program.timezone?"
    )


@pytest.mark.usefixtures("cwd")
def test_an_unknown_key_without_a_near_one_lists_the_keys() -> None:
    """With nothing close, the message lists what the section takes."""
    assert message(with_section("state", "zzz = 1")) == (
        f"{NAME}: state.zzz is not a known key; use dir."
    )


@pytest.mark.usefixtures("cwd")
def test_an_unknown_section_suggests_the_nearest_one() -> None:
    """A typo in a section name is an error with a suggestion."""
    assert message(with_section("rule", "due_soon_days = 5")) == (
        f"{NAME}: [rule] is not a known section; did you mean [rules]?"
    )
    assert message(with_section("email.smpt", 'host = "x"')) == (
        f"{NAME}: email.smpt is not a known key; did you mean email.smtp?"
    )
    assert message(with_section("widgets", "a = 1")) == (
        f"{NAME}: [widgets] is not a known section; use [workbook], [program], [school_year],"
        " [rules], [tabs], [email], [schedule], [state] or [columns]."
    )


@pytest.mark.usefixtures("cwd")
def test_a_key_before_any_section_is_sent_to_its_section() -> None:
    """A key written above every section header says which section it belongs under."""
    assert message('backend = "xlsx"\n' + MINIMAL) == (
        f"{NAME}: backend is outside any section; move it under [workbook]."
    )


@pytest.mark.usefixtures("cwd")
def test_a_section_written_as_a_value_is_refused() -> None:
    """`rules = 5` at the top is not a section."""
    assert message("rules = 5\n" + MINIMAL) == (
        f"{NAME}: rules = 5 is not allowed; make it a section: [rules] on a line of its own,"
        " with its keys on the lines below."
    )


# --- types --------------------------------------------------------------------------------


@pytest.mark.usefixtures("cwd")
def test_a_boolean_is_not_a_number() -> None:
    """TOML `true` is refused where a number belongs (Python would take it as 1)."""
    assert rules_message("team_min = true") == (
        f"{NAME}: rules.team_min = true is not allowed; use a whole number, 0 or more."
    )


@pytest.mark.usefixtures("cwd")
def test_numbers_in_quotes_and_fractions_are_refused() -> None:
    """A number in quotes, or with a fraction, is not a whole number."""
    assert rules_message('due_soon_days = "7"') == (
        f'{NAME}: rules.due_soon_days = "7" is not allowed; use a whole number from 0 to 31.'
    )
    assert "rules.team_max = 12.5 is not allowed" in rules_message("team_max = 12.5")
    assert "program.district = 42 is not allowed; use text" in message(
        with_section("program", "district = 42")
    )


# --- [workbook] and [program] -------------------------------------------------------------


@pytest.mark.usefixtures("cwd")
def test_the_backend_must_be_known_and_have_its_location() -> None:
    """xlsx needs an .xlsx path; gsheets needs a spreadsheet ID."""
    year = "[school_year]\nstart = 2025-08-01\nend = 2026-06-30\n"
    assert message('[workbook]\nbackend = "excel"\npath = "d.xlsx"\n' + year) == (
        f'{NAME}: workbook.backend = "excel" is not allowed; use "xlsx" or "gsheets".'
    )
    assert message('[workbook]\npath = ""\n' + year) == (
        f'{NAME}: workbook.path = "" is not allowed; backend "xlsx" needs the workbook file,'
        ' e.g. path = "district.xlsx".'
    )
    assert message('[workbook]\npath = "district.csv"\n' + year) == (
        f'{NAME}: workbook.path = "district.csv" is not allowed; use an .xlsx file; for a'
        ' Google Sheet, set backend = "gsheets" and spreadsheet_id.'
    )
    assert message('[workbook]\nbackend = "gsheets"\n' + year) == (
        f'{NAME}: workbook.spreadsheet_id is missing; backend "gsheets" needs the sheet\'s ID,'
        " the part of its address after /d/."
    )


@pytest.mark.usefixtures("cwd")
def test_a_pasted_sheet_address_gives_its_id() -> None:
    """The whole Google Sheets address is accepted and reduced to its ID."""
    config = load(
        '[workbook]\nbackend = "GSheets"\nspreadsheet_id = '
        '"https://docs.google.com/spreadsheets/d/1AbC-d_9/edit#gid=0"\n'
        'endpoint = "http://127.0.0.1:8080"\n'
        "[school_year]\nstart = 2025-08-01\nend = 2026-06-30\n"
    )
    assert config.workbook.backend == "gsheets"
    assert config.workbook.spreadsheet_id == "1AbC-d_9"
    assert config.workbook.endpoint == "http://127.0.0.1:8080"
    assert "workbook.endpoint" in message(
        MINIMAL.replace("[school_year]", 'endpoint = "localhost:80"\n[school_year]')
    )


@pytest.mark.usefixtures("cwd")
def test_framework_and_timezone_are_checked() -> None:
    """The framework is nnps or pta; the time zone must be a real IANA name."""
    assert message(with_section("program", 'framework = "epstein"')) == (
        f'{NAME}: program.framework = "epstein" is not allowed; use "nnps" or "pta".'
    )
    assert message(with_section("program", 'timezone = "America/New_Yrok"')) == (
        f'{NAME}: program.timezone = "America/New_Yrok" is not allowed; did you mean'
        ' "America/New_York"? Or use an IANA time zone such as "America/New_York" or'
        ' "America/Denver".'
    )
    assert "program.timezone" in message(with_section("program", 'timezone = "../etc/passwd"'))
    config = load(with_section("program", 'timezone = "America/Denver"\nframework = "PTA"'))
    assert (config.program.timezone, config.program.framework) == ("America/Denver", "pta")
    assert config.program.zone.key == "America/Denver"


@pytest.mark.usefixtures("cwd")
def test_team_words_are_one_line_and_not_blank() -> None:
    """Team names go into email subjects: no blank name, no line breaks."""
    assert "program.team_name" in message(with_section("program", 'team_name = "  "'))
    assert "program.team_short" in message(with_section("program", 'team_short = "A\\nB"'))


# --- [school_year] ------------------------------------------------------------------------


@pytest.mark.usefixtures("cwd")
def test_school_year_dates_may_be_dates_or_text() -> None:
    """Dates come as TOML dates or "YYYY-MM-DD" text."""
    text = '[workbook]\npath = "d.xlsx"\n[school_year]\nstart = "2026-08-01"\nend = 2027-06-30\n'
    assert load(text).school_year == YearRule(fixed=SchoolYear(date(2026, 8, 1), date(2027, 6, 30)))


def year(start: str, end: str) -> str:
    """The message for a [school_year] with these two values, written as TOML."""
    return message(f"[workbook]\n[school_year]\nstart = {start}\nend = {end}\n")


@pytest.mark.usefixtures("cwd")
def test_school_year_month_days_roll() -> None:
    """Month-days set a year that rolls; they must be days that exist, and differ."""

    assert load('[workbook]\n[school_year]\nstart = "9-1"\nend = "06-15"\n').school_year == (
        YearRule((9, 1), (6, 15))
    )
    assert year('"08-01"', '"02-30"') == (
        f'{NAME}: school_year.end = "02-30" is not allowed; there is no such day; use a '
        'month-day such as "08-01" (the year that contains today, rolling on by itself) or a '
        "date such as 2025-08-01 (one fixed year)."
    )
    assert year('"08-01"', '"08-01"') == (
        f'{NAME}: school_year.end = "08-01" is not allowed; it must differ from the start.'
    )
    assert "02-29" not in year('"02-29"', '"13-01"')  # 29 February exists; month 13 does not


@pytest.mark.usefixtures("cwd")
def test_school_year_must_run_forwards_and_last_at_most_a_year() -> None:
    """The end comes after the start, at most 366 days later; times and other shapes are refused."""

    assert year("2025-08-01", "2025-07-31") == (
        f"{NAME}: school_year.end = 2025-07-31 is not allowed; it must come after"
        " school_year.start = 2025-08-01."
    )
    assert year("2025-08-01", "2026-08-03") == (
        f"{NAME}: school_year.end = 2026-08-03 is not allowed; it must be at most 366 days"
        " after school_year.start = 2025-08-01."
    )
    assert year('"8/1/2025"', "2026-06-30") == (
        f'{NAME}: school_year.start = "8/1/2025" is not allowed; use a month-day such as '
        '"08-01" (the year that contains today, rolling on by itself) or a date such as '
        "2025-08-01 (one fixed year)."
    )
    assert year("2025-08-01T07:00:00", "2026-06-30") == (
        f"{NAME}: school_year.start = 2025-08-01T07:00:00 is not allowed; use a date such as"
        " 2025-08-01, without a time."
    )
    assert "there is no such day" in year('"2025-02-30"', "2026-06-30")
    assert load(
        '[workbook]\npath = "d.xlsx"\n[school_year]\nstart = 2025-08-01\nend = 2026-08-02\n'
    ).school_year.year_of(date(2026, 1, 1)).end == date(2026, 8, 2)


# --- [rules] ------------------------------------------------------------------------------


@pytest.mark.usefixtures("cwd")
def test_required_months_accept_names_and_abbreviations_in_any_case() -> None:
    """Sep, Sept and September all mean 9; months come back in school-year order."""
    rules = load(
        with_section("rules", 'required_months = ["jan", "Sept", "OCTOBER", "Dec."]')
    ).rules
    assert rules.required_months == (9, 10, 12, 1)
    assert load(with_section("rules", "required_months = []")).rules.required_months == ()


@pytest.mark.usefixtures("cwd")
def test_required_months_must_be_months_inside_the_year() -> None:
    """A month outside the school year, a non-month, or a repeat is refused with its entry."""
    assert rules_message('required_months = ["Sep", "Jul"]') == (
        f'{NAME}: rules.required_months entry "Jul" is not allowed; July is outside the school'
        " year, 2025-08-01 to 2026-06-30."
    )
    assert rules_message('required_months = ["Sep", "Spt"]') == (
        f'{NAME}: rules.required_months entry "Spt" is not allowed; use month names such as'
        ' "Sep" or "September".'
    )
    assert rules_message('required_months = ["Sep", "September"]') == (
        f'{NAME}: rules.required_months entry "September" is not allowed; it repeats an earlier'
        " entry; list each once."
    )
    assert rules_message('required_months = "Sep-May"') == (
        f'{NAME}: rules.required_months = "Sep-May" is not allowed; use a list such as'
        ' ["Sep", "Oct", "Nov"].'
    )
    assert "entry 9 is not allowed" in rules_message("required_months = [9]")


@pytest.mark.usefixtures("cwd")
def test_counting_types_match_any_case_and_are_stored_canonically() -> None:
    """Contact types match ignoring case and spacing, and come back as CONTACT_TYPES spell them."""
    rules = load(
        with_section("rules", 'counting_types = ["site visit", "PHONE", "virtualmeeting"]')
    ).rules
    assert rules.counting_types == frozenset({"Site Visit", "Phone", "Virtual Meeting"})
    assert rules_message('counting_types = ["Site Visits"]') == (
        f'{NAME}: rules.counting_types entry "Site Visits" is not allowed; did you mean'
        ' "Site Visit"? Use ' + ", ".join(f'"{t}"' for t in CONTACT_TYPES[:-1]) + ' or "Other".'
    )
    assert "list at least one contact type" in rules_message("counting_types = []")


@pytest.mark.usefixtures("cwd")
def test_principal_meeting_by_is_a_real_day_inside_the_year() -> None:
    """An "MM-DD" deadline must be a real month-day that falls inside the school year."""
    assert load(
        with_section("rules", 'principal_meeting_by = "10-15"')
    ).rules.principal_meeting_by == (10, 15)
    assert rules_message('principal_meeting_by = "02-30"') == (
        f'{NAME}: rules.principal_meeting_by = "02-30" is not allowed; February 2026 has no'
        ' day 30; use "MM-DD", e.g. "09-30".'
    )
    assert rules_message('principal_meeting_by = "07-15"') == (
        f'{NAME}: rules.principal_meeting_by = "07-15" is not allowed; July is outside the'
        " school year, 2025-08-01 to 2026-06-30."
    )
    assert rules_message('principal_meeting_by = "Sept 30"') == (
        f'{NAME}: rules.principal_meeting_by = "Sept 30" is not allowed; use "MM-DD", e.g. "09-30".'
    )
    assert "13-01" in rules_message('principal_meeting_by = "13-01"')


@pytest.mark.usefixtures("cwd")
def test_principal_meeting_by_must_fall_inside_a_partial_month() -> None:
    """In a year starting 15 August, 08-10 is before the year begins."""
    text = (
        '[workbook]\npath = "d.xlsx"\n[school_year]\nstart = 2025-08-15\nend = 2026-06-30\n'
        '[rules]\nprincipal_meeting_by = "08-10"\n'
    )
    assert message(text) == (
        f'{NAME}: rules.principal_meeting_by = "08-10" is not allowed; 2025-08-10 is outside'
        " the school year, 2025-08-15 to 2026-06-30."
    )


@pytest.mark.usefixtures("cwd")
def test_quarters_parse_month_names_in_order() -> None:
    """Quarters like "Aug-Oct" become (first, last) month numbers, in order, without overlap."""
    rules = load(
        with_section("rules", 'quarters = ["August - September", "oct to jan", "Feb–Jun"]')
    ).rules
    assert rules.quarters == ((8, 9), (10, 1), (2, 6))
    assert rules_message('quarters = ["Aug-Oct", "Oct-Dec"]') == (
        f'{NAME}: rules.quarters entry "Oct-Dec" is not allowed; it overlaps or comes before'
        " the quarter listed before it."
    )
    assert rules_message('quarters = ["Oct-Aug"]') == (
        f'{NAME}: rules.quarters entry "Oct-Aug" is not allowed; its first month comes after'
        " its last in the school year."
    )
    assert rules_message('quarters = ["Jun-Jul"]') == (
        f'{NAME}: rules.quarters entry "Jun-Jul" is not allowed; July is outside the school'
        " year, 2025-08-01 to 2026-06-30."
    )
    assert rules_message('quarters = ["Q1"]') == (
        f'{NAME}: rules.quarters entry "Q1" is not allowed; use the first and last month,'
        ' e.g. "Aug-Oct".'
    )


@pytest.mark.usefixtures("cwd")
def test_goal_mix_takes_every_goal_type_in_any_case() -> None:
    """goal_mix keys match goal types ignoring case; a type left out keeps its default."""
    rules = load(
        with_section(
            "rules", 'goal_mix = { academic = 3, BEHAVIOR = 0, "climate of partnership" = 1 }'
        )
    ).rules
    assert dict(rules.goal_mix) == {"Academic": 3, "Behavior": 0, "Climate of Partnership": 1}
    assert list(rules.goal_mix) == list(GOAL_TYPES)
    assert rules_message(
        'goal_mix = { Acadmic = 2, Behavior = 1, "Climate of Partnership" = 1 }'
    ) == (
        f"{NAME}: rules.goal_mix.Acadmic is not a known key; did you mean rules.goal_mix.Academic?"
    )
    partial = load(with_section("rules", "goal_mix = { Academic = 3 }")).rules
    assert dict(partial.goal_mix) == {"Academic": 3, "Behavior": 1, "Climate of Partnership": 1}
    assert rules_message(
        'goal_mix = { Academic = -1, Behavior = 1, "Climate of Partnership" = 1 }'
    ) == (f"{NAME}: rules.goal_mix.Academic = -1 is not allowed; use a whole number, 0 or more.")
    assert "use a table" in rules_message("goal_mix = 4")


@pytest.mark.usefixtures("cwd")
def test_thresholds_are_non_negative_and_team_min_is_at_most_team_max() -> None:
    """Counts are whole numbers 0 or more, and the smallest team is not bigger than the largest."""
    assert rules_message("team_min = 13") == (
        f"{NAME}: rules.team_min = 13 is not allowed; it must be at most rules.team_max = 12."
    )
    assert rules_message("min_families = -1") == (
        f"{NAME}: rules.min_families = -1 is not allowed; use a whole number, 0 or more."
    )
    assert "evaluation_grace_days" in rules_message("evaluation_grace_days = 9999")
    rules = load(with_section("rules", "team_min = 4\nteam_max = 4\nmin_teachers = 0")).rules
    assert (rules.team_min, rules.team_max, rules.min_teachers) == (4, 4, 0)


@pytest.mark.usefixtures("cwd")
def test_date_order_chooses_day_first() -> None:
    """date_order is month-first or day-first and sets Rules.day_first."""
    assert rules_message('date_order = "dayfirst"') == (
        f'{NAME}: rules.date_order = "dayfirst" is not allowed; use "month-first" or "day-first".'
    )
    assert load(with_section("rules", 'date_order = "day-first"')).rules.day_first is True


# --- [tabs] -------------------------------------------------------------------------------


@pytest.mark.usefixtures("cwd")
def test_tab_names_follow_the_spreadsheet_rules() -> None:
    """Tab names are 1-31 characters, without [ ] : * ? / \\, and all nine different."""
    assert message(with_section("tabs", 'summary = "Summary: 2025/26"')) == (
        f'{NAME}: tabs.summary = "Summary: 2025/26" is not allowed; a tab name cannot contain'
        " [ ] : * ? / \\ or control characters."
    )
    assert message(with_section("tabs", f'plan = "{"x" * 32}"')).endswith(
        "a tab name has at most 31 characters; this one has 32."
    )
    assert "tabs.roster" in message(with_section("tabs", 'roster = ""'))
    assert message(with_section("tabs", 'summary = "schools"')) == (
        f'{NAME}: tabs.summary = "schools" is not allowed; it names the same tab as'
        ' tabs.schools = "Schools" (tab names match ignoring case, spaces and punctuation).'
    )


@pytest.mark.usefixtures("cwd")
def test_a_clash_with_a_default_tab_name_blames_the_key_the_file_gave() -> None:
    """Renaming `schools` to "Summary" is reported on tabs.schools, the key that was written."""
    assert message(with_section("tabs", 'schools = "Summary"')) == (
        f'{NAME}: tabs.schools = "Summary" is not allowed; it names the same tab as'
        ' tabs.summary = "Summary" (tab names match ignoring case, spaces and punctuation).'
    )


# --- [email] ------------------------------------------------------------------------------


@pytest.mark.usefixtures("cwd")
def test_from_takes_a_named_or_bare_address() -> None:
    """`from` is "Name <address>" or a bare address, with valid syntax."""
    assert (
        load(with_section("email", 'from = "ops@district.org"')).email.from_ == "ops@district.org"
    )
    email = load(with_section("email", 'from = "\\"Smith, Pat\\" <pat@district.org>"')).email
    assert (email.from_name, email.from_address) == ("Smith, Pat", "pat@district.org")
    expected = (
        f'{NAME}: email.from = "Partnerships partnerships@district.org" is not allowed; use an'
        ' address such as "partnerships@example.org" or "Family Partnerships'
        ' <partnerships@example.org>".'
    )
    assert (
        message(with_section("email", 'from = "Partnerships partnerships@district.org"'))
        == expected
    )
    for bad in ["", "nobody", "a@b", "Name <a@b.org", "x@y.org\\nBcc: z@y.org"]:
        assert "email.from" in message(with_section("email", f'from = "{bad}"')), bad
    assert "email.reply_to" in message(with_section("email", 'reply_to = "nope"'))
    assert load(with_section("email", 'reply_to = ""')).email.reply_to == ""


@pytest.mark.usefixtures("cwd")
def test_allowed_domains_are_lower_case_without_at_signs() -> None:
    """Domains are stored in lower case; an "@" is refused with a hint."""
    email = load(with_section("email", 'allowed_domains = ["District.ORG", "k12.co.us"]')).email
    assert email.allowed_domains == ("district.org", "k12.co.us")
    assert message(with_section("email", 'allowed_domains = ["@district.org"]')) == (
        f'{NAME}: email.allowed_domains entry "@district.org" is not allowed; use a domain'
        ' such as "district.org", without "@".'
    )
    assert "email.allowed_domains" in message(with_section("email", 'allowed_domains = "a.org"'))


@pytest.mark.usefixtures("cwd")
def test_district_recipients_are_addresses_inside_the_allowed_domains() -> None:
    """District recipients must be valid, and may not sit outside allowed_domains."""
    email = load(
        with_section(
            "email",
            'allowed_domains = ["district.org"]\n'
            'district_recipients = ["Dr. Lee <lee@district.org>", "ops@hs.district.org"]',
        )
    ).email
    assert email.district_recipients == ("Dr. Lee <lee@district.org>", "ops@hs.district.org")
    assert message(
        with_section(
            "email", 'allowed_domains = ["district.org"]\ndistrict_recipients = ["x@gmail.com"]'
        )
    ) == (
        f'{NAME}: email.district_recipients entry "x@gmail.com" is not allowed; its domain is'
        " outside email.allowed_domains, so nothing would go to it; add its domain there or"
        " use another address."
    )
    assert 'entry "lee" is not allowed' in message(
        with_section("email", 'district_recipients = ["lee"]')
    )


@pytest.mark.usefixtures("cwd")
def test_email_numbers_and_choices_are_checked() -> None:
    """transport, max_per_run and workbook_url refuse what they cannot use."""
    assert message(with_section("email", 'transport = "sendmail"')) == (
        f'{NAME}: email.transport = "sendmail" is not allowed; use "outbox" or "smtp".'
    )
    assert message(with_section("email", "max_per_run = -5")) == (
        f"{NAME}: email.max_per_run = -5 is not allowed; use a whole number, 0 or more."
    )
    assert "email.workbook_url" in message(with_section("email", 'workbook_url = "docs.google"'))
    email = load(with_section("email", 'max_per_run = 0\nworkbook_url = "https://x.org/s"')).email
    assert (email.max_per_run, email.workbook_url) == (0, "https://x.org/s")


FORM_URL = "https://docs.google.com/forms/d/e/1FAIpQLSdx/viewform"


@pytest.mark.usefixtures("cwd")
def test_a_contact_form_is_read_from_its_address_and_entry_ids() -> None:
    """A pre-filled link pasted whole keeps its address only; the entry ids name the questions."""
    email = load(
        with_section(
            "email",
            f'contact_form_url = "{FORM_URL}?usp=pp_url&entry.1=Adams"\n'
            'contact_form_fields = { school = "entry.1", date = " entry.3 " }',
        )
    ).email
    assert email.contact_form == ContactForm(FORM_URL, "entry.1", "", "entry.3")
    assert load(MINIMAL).email.contact_form == ContactForm()


@pytest.mark.usefixtures("cwd")
def test_a_contact_form_that_cannot_make_a_link_is_refused() -> None:
    """The Form's editor address, an unknown question, an id that is not `entry.N`, one id for
    two questions, and ids without an address each say what to write instead."""
    editor = "https://docs.google.com/forms/d/1AbC/edit"
    assert message(with_section("email", f'contact_form_url = "{editor}"')) == (
        f'{NAME}: email.contact_form_url = "{editor}" is not allowed; use the address people'
        " answer the Form at, ending in /viewform (in Forms: Send, the link tab, without"
        ' "Shorten URL"), or "" for none.'
    )
    url = f'contact_form_url = "{FORM_URL}"\n'
    assert message(with_section("email", url + 'contact_form_fields = { shcool = "entry.1" }')) == (
        f'{NAME}: email.contact_form_fields = {{ shcool = "entry.1" }} is not allowed; shcool is'
        " not a question it fills; did you mean school? use school, facilitator or date."
    )
    assert 'such as "entry.1234567"' in message(
        with_section("email", url + 'contact_form_fields = { date = "1234567" }')
    )
    twice = 'contact_form_fields = { school = "entry.1", date = "entry.1" }'
    assert "two here are the same" in message(with_section("email", url + twice))
    assert message(with_section("email", 'contact_form_fields = { school = "entry.1" }')) == (
        f'{NAME}: email.contact_form_fields = {{ school = "entry.1" }} is not allowed; set'
        " email.contact_form_url too, or leave this out."
    )


@pytest.mark.usefixtures("cwd")
def test_smtp_settings_are_checked_and_passwords_never_shown() -> None:
    """security and port are checked; a bad password_env is refused without echoing it."""
    assert message(with_section("email.smtp", 'security = "ssl"')) == (
        f'{NAME}: email.smtp.security = "ssl" is not allowed; use "starttls", "tls" or "none".'
    )
    assert message(with_section("email.smtp", "port = 70000")) == (
        f"{NAME}: email.smtp.port = 70000 is not allowed; use a whole number from 1 to 65535."
    )
    shown = message(with_section("email.smtp", 'password_env = "hunter2!"'))
    assert "hunter2" not in shown
    assert shown.startswith(f"{NAME}: email.smtp.password_env = (not shown) is not allowed;")
    assert "password_env" in message(with_section("email.smtp", 'password = "hunter2"'))
    smtp = load(
        with_section(
            "email.smtp", 'host = "mail.k12.us"\nport = 465\nsecurity = "TLS"\nusername_env = ""'
        )
    ).email.smtp
    assert smtp == SmtpConfig("mail.k12.us", 465, "tls", "", "SMTP_PASSWORD", 30)


# --- [schedule] and [state] ---------------------------------------------------------------


@pytest.mark.usefixtures("cwd")
def test_schedules_parse_into_weekly_and_monthly() -> None:
    """Schedule strings become Weekly and Monthly values the scheduler can use."""
    schedule = load(
        with_section(
            "schedule",
            'sync_every_minutes = 5\nfacilitator_digest = "Fri 16:30"\n'
            'principal_summary = "last Thursday 6:05"\ndistrict_summary = "sunday 23:59"',
        )
    ).schedule
    assert schedule == ScheduleConfig(
        5, Weekly(4, time(16, 30)), Monthly(-1, 3, time(6, 5)), Weekly(6, time(23, 59))
    )
    assert str(schedule.principal_summary) == "last thursday 06:05"
    assert str(ScheduleConfig().facilitator_digest) == "monday 07:00"


@pytest.mark.usefixtures("cwd")
def test_bad_schedules_say_the_expected_shape() -> None:
    """A schedule that cannot be read says which shape is expected."""
    assert message(with_section("schedule", 'facilitator_digest = "monday 7am"')) == (
        f'{NAME}: schedule.facilitator_digest = "monday 7am" is not allowed; use a weekday and'
        ' a 24-hour time, e.g. "monday 07:00".'
    )
    assert message(with_section("schedule", 'principal_summary = "fifth monday 07:30"')) == (
        f'{NAME}: schedule.principal_summary = "fifth monday 07:30" is not allowed; use first,'
        " second, third, fourth or last, a weekday and a 24-hour time, e.g."
        ' "first monday 07:30".'
    )
    assert "schedule.district_summary" in message(
        with_section("schedule", 'district_summary = "monday 24:00"')
    )
    assert message(with_section("schedule", "sync_every_minutes = 0")) == (
        f"{NAME}: schedule.sync_every_minutes = 0 is not allowed;"
        " use a whole number from 1 to 1440."
    )


@pytest.mark.usefixtures("cwd")
def test_paths_cannot_be_blank_or_start_with_a_tilde() -> None:
    """state.dir must name a folder; ~ is refused rather than made into a folder named ~."""
    assert message(with_section("state", 'dir = ""')) == (
        f'{NAME}: state.dir = "" is not allowed; it cannot be blank.'
    )
    assert message(with_section("email", 'outbox_dir = "~/outbox"')) == (
        f'{NAME}: email.outbox_dir = "~/outbox" is not allowed; ~ is not expanded; write the'
        " full path, or one relative to this file."
    )


# --- the starter and the example ----------------------------------------------------------


def uncommented(text: str) -> str:
    """`text` with every commented-out setting (`# key = value`) switched on."""
    return re.sub(r"(?m)^# ([a-z_]+ = .*)$", r"\1", text)


def build(text: str, path: Path) -> Config:
    return parse_config(tomllib.loads(text), path, {})


def test_the_starter_config_rolls_its_year_on_by_itself(tmp_path: Path) -> None:
    """The starter names month-days, not a year: the file needs no edit when a year ends."""
    config = build(starter_config(), tmp_path / "c.toml")
    assert config.school_year == YearRule((8, 1), (6, 30))
    assert config.settings_on(date(2026, 12, 7)).year == SchoolYear(
        date(2026, 8, 1), date(2027, 6, 30)
    )
    assert config.workbook.path == tmp_path / "district.xlsx"


def test_starter_config_quotes_the_workbook_path(tmp_path: Path) -> None:
    """A Windows path with backslashes and quotes survives into TOML."""
    text = starter_config('C:\\Shared\\"Family" Partnerships.xlsx')
    config = build(text, tmp_path / "c.toml")
    assert config.workbook.path == tmp_path / 'C:\\Shared\\"Family" Partnerships.xlsx'


def test_starter_config_comments_out_every_default(tmp_path: Path) -> None:
    """Switching on every commented line of the starter changes nothing: they are the defaults."""
    text = starter_config()
    assert build(text, tmp_path / "c.toml") == build(uncommented(text), tmp_path / "c.toml")
    document = tomllib.loads(uncommented(text))
    assert _keys(document) == _keys_of_schema()


def test_the_example_config_is_every_key_at_its_default() -> None:
    """config/sheets-sync.example.toml loads, names every key, and each value is the default."""
    path = REPO / "config" / "sheets-sync.example.toml"
    config = load_config(path, {})
    folder = path.parent
    assert config.workbook == WorkbookConfig(path=folder / "district.xlsx")
    assert config.school_year == YearRule()
    assert config.program == ProgramConfig()
    assert config.rules == Rules()
    assert config.tabs == TabNames()
    assert config.email == replace(EmailConfig(), outbox_dir=folder / "outbox")
    assert config.schedule == ScheduleConfig()
    assert config.state == StateConfig(dir=folder / "state")
    assert _keys(tomllib.loads(path.read_text(encoding="utf-8"))) == _keys_of_schema()


def test_the_config_docs_list_every_key() -> None:
    """The README's config reference has a part for every section and a row for every key."""
    docs = (REPO / "README.md").read_text(encoding="utf-8")
    columns = docs.split("### `[columns]`", 1)[1].split("\n##", 1)[0]
    for section, keys in SCHEMA.items():
        if section.startswith("columns."):  # one table: each tab and its column keys
            tab = section.removeprefix("columns.")
            line = next(row for row in columns.splitlines() if row.startswith(f"| `{tab}` |"))
            assert all(f"`{key}`" in line for key in keys), section
            continue
        heading = f"### `[{section}]`"
        assert heading in docs, heading
        part = docs.split(heading, 1)[1].split("\n##", 1)[0]
        for key in keys:
            assert f"| `{key}` |" in part, f"{section}.{key}"


def _keys(document: dict[str, object], prefix: str = "") -> set[str]:
    found: set[str] = set()
    for key, value in document.items():
        if isinstance(value, dict) and f"{prefix}{key}" in SCHEMA:
            found |= _keys(value, f"{prefix}{key}.")
        else:
            found.add(f"{prefix}{key}")
    return found


def _keys_of_schema() -> set[str]:
    """Every key that has a default; [columns] maps columns to headers and has none."""
    return {
        f"{section}.{key}"
        for section, keys in SCHEMA.items()
        if not section.startswith("columns.")
        for key in keys
    }


# --- junk never escapes as anything but ConfigError ---------------------------------------

_SCALARS = st.one_of(
    st.text(max_size=12),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(),
    st.booleans(),
    st.dates(),
    st.datetimes(timezones=st.none() | st.just(UTC)),
    st.times(),
)
_JUNK = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
_MONTHISH = st.sampled_from(["Sep", "sept", "JULY", "Jan.", "Aug", "Jun", "", "Sep-", "mayo"])
_PLAUSIBLE = st.one_of(
    st.lists(_MONTHISH | _JUNK, max_size=6),
    st.lists(st.builds("{}-{}".format, _MONTHISH, _MONTHISH), max_size=5),
    st.from_regex(r"[0-9]{1,3}-[0-9]{1,3}", fullmatch=True),
    st.lists(st.sampled_from([*CONTACT_TYPES, "site visit", "Visit"]), max_size=5),
    st.dictionaries(
        st.sampled_from([*GOAL_TYPES, "academic", "Goal"]), _JUNK | st.integers(), max_size=4
    ),
    st.sampled_from(["month-first", "day-first", "Day-First"]),
)
_RULE_KEYS = st.sampled_from(SCHEMA["rules"]) | st.text(max_size=8)


@given(st.dictionaries(_RULE_KEYS, _JUNK | _PLAUSIBLE, max_size=6))
def test_junk_in_rules_raises_only_config_errors(rules: dict[str, object]) -> None:
    """Whatever TOML can hold in [rules], loading either works or raises ConfigError."""
    document = {
        "workbook": {"path": "district.xlsx"},
        "school_year": {"start": date(2025, 8, 1), "end": date(2026, 6, 30)},
        "rules": rules,
    }
    outcome: Config | ConfigError
    try:
        outcome = parse_config(document, Path("/srv/sheets-sync.toml"), {})
    except ConfigError as error:
        outcome = error
    if isinstance(outcome, ConfigError):
        assert str(outcome).startswith("/srv/sheets-sync.toml: ")
    else:
        assert set(rules) <= set(SCHEMA["rules"])
        assert all(1 <= m <= 12 for m in outcome.rules.required_months)


_SECTIONS = st.sampled_from(sorted(SCHEMA))


@st.composite
def _documents(draw: st.DrawFn) -> dict[str, object]:
    """A config with random known sections and keys (and a few unknown), holding junk."""
    document: dict[str, object] = {}
    for section in draw(st.lists(_SECTIONS, max_size=5)):
        known = SCHEMA[section]
        keys = (st.sampled_from(known) if known else st.nothing()) | st.text(max_size=6)
        table = draw(st.dictionaries(keys, _JUNK | _PLAUSIBLE, max_size=4))
        parent, _, child = section.partition(".")
        holder = document.setdefault(parent, {})
        if isinstance(holder, dict):
            holder.update({child: table} if child else table)
    return document


@given(_documents())
def test_junk_anywhere_raises_only_config_errors(document: dict[str, object]) -> None:
    """Whatever TOML can hold in any section, loading either works or raises ConfigError."""
    with contextlib.suppress(ConfigError):
        parse_config(document, Path("/srv/sheets-sync.toml"), {})


@pytest.mark.usefixtures("cwd")
@pytest.mark.parametrize(
    "endpoint",
    [
        "http://127.0.0.1:8080",
        "http://127.9.9.9",
        "http://[::1]:8080",
        "http://localhost:8080/",
        "https://sheets.example.org/api",
    ],
)
def test_an_endpoint_on_this_machine_or_over_https_is_taken(endpoint: str) -> None:
    """[workbook] endpoint takes https anywhere, and plain http only to a loopback address."""
    text = MINIMAL.replace("[school_year]", f'endpoint = "{endpoint}"\n[school_year]')
    assert load(text).workbook.endpoint == endpoint


@pytest.mark.usefixtures("cwd")
def test_an_endpoint_over_plain_http_elsewhere_is_refused() -> None:
    """Plain http to another machine would send the access token in clear text."""
    text = MINIMAL.replace("[school_year]", 'endpoint = "http://10.0.0.5:8080"\n[school_year]')
    assert message(text) == (
        f'{NAME}: workbook.endpoint = "http://10.0.0.5:8080" is not allowed; plain http:// '
        "would send the access token unencrypted; use https://, or http:// only to this "
        "machine (127.0.0.1, ::1 or localhost)."
    )


@pytest.mark.usefixtures("cwd")
@pytest.mark.parametrize(
    "endpoint", ["https://api.example.org/?key=1", "https://api.example.org/#x"]
)
def test_an_endpoint_with_a_query_or_fragment_is_refused(endpoint: str) -> None:
    """A query or fragment would be dropped from every request: the root must stand alone."""
    text = MINIMAL.replace("[school_year]", f'endpoint = "{endpoint}"\n[school_year]')
    assert message(text) == (
        f'{NAME}: workbook.endpoint = "{endpoint}" is not allowed; use the API root alone, '
        'with no "?..." or "#..." part.'
    )


# --- [columns] ---------------------------------------------------------------------------


@pytest.mark.usefixtures("cwd")
def test_columns_name_the_districts_own_headers() -> None:
    """Each TAB.COLUMN key gives its column the district's header, read for that tab."""
    body = 'contacts.facilitator = "Your name"\nroster.email = "E-mail"'
    config = load(with_section("columns", body))
    assert config.columns == {
        "contacts": (NamedColumn("Facilitator", "Your name", "contacts.facilitator"),),
        "roster": (NamedColumn("Email", "E-mail", "roster.email"),),
    }
    assert config.settings_on(date(2025, 11, 20)).columns == config.columns


@pytest.mark.usefixtures("cwd")
def test_an_unknown_column_key_names_the_nearest() -> None:
    """A misspelt column, or a misspelt tab, is a config error with the key it meant."""
    assert message(with_section("columns", 'contacts.facilitater = "Your name"')) == (
        f"{NAME}: columns.contacts.facilitater is not a known key; did you mean "
        "columns.contacts.facilitator?"
    )
    assert message(with_section("columns", 'contact.facilitator = "Your name"')) == (
        f"{NAME}: columns.contact is not a known key; did you mean columns.contacts?"
    )


@pytest.mark.usefixtures("cwd")
def test_a_column_header_must_be_text_and_name_one_column() -> None:
    """A header that is not text, or that is another column's own title, is refused."""
    assert message(with_section("columns", "contacts.facilitator = 3")) == (
        f"{NAME}: columns.contacts.facilitator = 3 is not allowed; use the column's header as "
        "row 1 of the tab shows it, in quotes."
    )
    assert message(with_section("columns", 'contacts.facilitator = "notes"')) == (
        f'{NAME}: columns.contacts.facilitator = "notes" is not allowed; it is the header of '
        'the "Notes" column itself; name another header.'
    )
