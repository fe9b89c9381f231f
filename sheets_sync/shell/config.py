"""The config file: where it is, what it says, and whether it makes sense.

One TOML file, read into frozen dataclasses (one per section) and checked whole at start:
a bad value, a missing required key, or a key the program does not know (a typo silently
ignored is worse than an error) raises `ConfigError` with the file, the key, the value and
what is allowed. Relative paths are taken from the file's own folder. Secrets never live in
the file; it names the environment variables that hold them, and `environ` is always passed
in, never read from `os.environ`.
"""

from __future__ import annotations

import re
import tomllib
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from pathlib import Path
from typing import Literal

from sheets_sync.core.grid import name_key
from sheets_sync.core.settings import Framework, Rules, SchoolYear, Settings, TabNames
from sheets_sync.errors import ConfigError
from sheets_sync.shell.config_email import EmailConfig, SmtpConfig, read_email
from sheets_sync.shell.config_fields import (
    Invalid,
    Table,
    choice,
    nearest,
    nonblank,
    one_of,
    optional_path_in,
    path_in,
    show,
    text,
    toml_key,
    toml_string,
    web_address,
)
from sheets_sync.shell.config_rules import read_rules
from sheets_sync.shell.config_schedule import Monthly, ScheduleConfig, Weekly, read_schedule
from sheets_sync.shell.config_starter import starter_config

__all__ = [
    "DEFAULT_PATH",
    "Config",
    "EmailConfig",
    "Monthly",
    "ProgramConfig",
    "ScheduleConfig",
    "SmtpConfig",
    "StateConfig",
    "Weekly",
    "WorkbookConfig",
    "config_path",
    "load_config",
    "parse_config",
    "starter_config",
]

DEFAULT_PATH = Path("config", "sheets-sync.toml")
ENV_CONFIG = "SHEETS_SYNC_CONFIG"
ENV_CREDENTIALS = "GOOGLE_APPLICATION_CREDENTIALS"

Backend = Literal["xlsx", "gsheets"]

# Every section and the keys it takes: the contract of PRODUCT.md §7.
SCHEMA: Mapping[str, tuple[str, ...]] = {
    "workbook": ("backend", "path", "spreadsheet_id", "credentials", "endpoint"),
    "program": ("district", "team_name", "team_short", "framework", "timezone"),
    "school_year": ("start", "end"),
    "rules": (
        "required_months",
        "counting_types",
        "due_soon_days",
        "principal_meeting_by",
        "quarters",
        "team_min",
        "team_max",
        "min_teachers",
        "min_families",
        "min_students_high_school",
        "goal_mix",
        "evaluation_grace_days",
        "date_order",
    ),
    "tabs": tuple(f.name for f in fields(TabNames)),
    "email": (
        "transport",
        "outbox_dir",
        "from",
        "reply_to",
        "allowed_domains",
        "max_per_run",
        "district_recipients",
        "workbook_url",
        "templates_dir",
    ),
    "email.smtp": ("host", "port", "security", "username_env", "password_env", "timeout_seconds"),
    "schedule": (
        "sync_every_minutes",
        "facilitator_digest",
        "principal_summary",
        "district_summary",
    ),
    "state": ("dir",),
}
_TOP = tuple(name for name in SCHEMA if "." not in name)


@dataclass(frozen=True)
class WorkbookConfig:
    backend: Backend = "xlsx"
    path: Path = Path("district.xlsx")  # xlsx: the workbook file (gsheets: unused)
    spreadsheet_id: str = ""  # gsheets
    credentials: Path | None = None  # gsheets: service-account JSON, else the env's
    endpoint: str = ""  # gsheets: another Sheets API root; blank for Google's


@dataclass(frozen=True)
class ProgramConfig:
    district: str = ""
    team_name: str = "Action Team for Partnerships"
    team_short: str = "ATP"
    framework: Framework = "nnps"
    timezone: str = "America/New_York"  # an IANA name, checked at load

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)


@dataclass(frozen=True)
class StateConfig:
    dir: Path = Path("state")  # ledger, lock, last run; absolute once loaded


@dataclass(frozen=True)
class Config:
    """The whole config file. Paths are absolute once loaded (relative defaults name the
    folder under the config's own)."""

    path: Path  # the file it was read from, as given
    workbook: WorkbookConfig
    school_year: SchoolYear
    program: ProgramConfig = field(default_factory=ProgramConfig)
    rules: Rules = field(default_factory=Rules)
    tabs: TabNames = field(default_factory=TabNames)
    email: EmailConfig = field(default_factory=EmailConfig)
    schedule: ScheduleConfig = field(default_factory=ScheduleConfig)
    state: StateConfig = field(default_factory=StateConfig)

    @property
    def settings(self) -> Settings:
        """The core's view of this config."""
        return Settings(
            year=self.school_year,
            rules=self.rules,
            tabs=self.tabs,
            framework=self.program.framework,
            allowed_domains=self.email.allowed_domains,
        )


# --- finding and reading the file --------------------------------------------------------


def config_path(arg: str | None, environ: Mapping[str, str], cwd: Path) -> Path:
    """The config to use: `--config`, else `$SHEETS_SYNC_CONFIG`, else config/sheets-sync.toml;
    a relative one is taken from `cwd`. A blank value counts as not given."""
    for given in (arg, environ.get(ENV_CONFIG)):
        if given is not None and given.strip():
            return cwd / given.strip()
    return cwd / DEFAULT_PATH


def load_config(path: Path, environ: Mapping[str, str]) -> Config:
    """Read and check the config at `path`; raises ConfigError saying what to fix."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(
            f"No config at {path}. Run `sheets-sync init` to write a starter config,"
            " or pass --config."
        ) from None
    except IsADirectoryError:
        raise ConfigError(
            f"{path} is a folder, not a config file; pass --config with the path of the .toml file."
        ) from None
    except OSError as error:
        raise ConfigError(
            f"{path}: cannot be read ({error.strerror or error}); make it readable by the user"
            " sheets-sync runs as."
        ) from None
    try:
        source = raw.decode("utf-8-sig")  # Notepad may start the file with a byte-order mark
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ConfigError(
            f"{path}: line {line} is not UTF-8 text; save the file as UTF-8."
        ) from None
    try:
        document = tomllib.loads(source)
    except tomllib.TOMLDecodeError as error:
        hint = ""
        if str(error).startswith("Invalid value"):
            hint = '; text needs double quotes (backend = "xlsx"), dates do not (end = 2026-06-30)'
        raise ConfigError(f"{path}: not valid TOML: {error}{hint}.") from None
    return parse_config(document, path, environ)


def parse_config(document: Mapping[str, object], path: Path, environ: Mapping[str, str]) -> Config:
    """Check a config already parsed from TOML at `path` and build it."""
    _check_names(path, document)
    folder = path.absolute().parent

    def section(name: str, missing: str | None = None) -> Table:
        parent, _, child = name.partition(".")
        data = document.get(parent, {})
        if child and isinstance(data, dict):
            data = data.get(child, {})
        if missing is not None and parent not in document:
            raise ConfigError(f"{path}: [{name}] is missing; {missing}.")
        return Table(path, name, data if isinstance(data, dict) else {})

    workbook = _workbook(
        section("workbook", 'add it with the workbook\'s file, e.g. path = "district.xlsx"'),
        folder,
        environ,
    )
    year = _school_year(
        section("school_year", "add it with the year's first and last days, e.g."
                " start = 2025-08-01 and end = 2026-06-30")
    )  # fmt: skip
    return Config(
        path=path,
        workbook=workbook,
        school_year=year,
        program=_program(section("program")),
        rules=read_rules(section("rules"), year),
        tabs=_tabs(section("tabs")),
        email=read_email(section("email"), section("email.smtp"), folder),
        schedule=read_schedule(section("schedule")),
        state=StateConfig(dir=section("state").get("dir", path_in(folder), folder / "state")),
    )


# --- sections and keys the program does not know -----------------------------------------


def _check_names(path: Path, document: Mapping[str, object]) -> None:
    for name, value in document.items():
        if name in _TOP:
            _check_table(path, name, value)
        elif isinstance(value, dict):
            raise _unknown_section(path, name)
        elif (home := _section_taking(name)) is not None:
            raise ConfigError(
                f"{path}: {toml_key(name)} is outside any section; move it under [{home}]."
            )
        else:
            raise ConfigError(
                f"{path}: {toml_key(name)} is not a known key; keys go under a section, such as"
                " [workbook] or [rules]."
            )


def _check_table(path: Path, name: str, value: object) -> None:
    if not isinstance(value, dict):
        raise ConfigError(
            f"{path}: {name} = {show(value)} is not allowed; make it a section: [{name}] on a"
            " line of its own, with its keys on the lines below."
        )
    for key, item in value.items():
        full = f"{name}.{key}"
        if full in SCHEMA:
            _check_table(path, full, item)
        elif key not in SCHEMA[name]:
            subsections = (s.removeprefix(f"{name}.") for s in SCHEMA if s.startswith(f"{name}."))
            known = SCHEMA[name] + tuple(subsections)
            guess = nearest(key, known)
            home = _section_taking(key)
            full_guess = f"{name}.{guess}" if guess else (f"{home}.{key}" if home else None)
            raise Table(path, name, value).unknown(key, full_guess, one_of(known, False))


def _unknown_section(path: Path, name: str) -> ConfigError:
    guess = nearest(name, SCHEMA)
    sections = one_of((f"[{s}]" for s in _TOP), quote=False)
    hint = f"did you mean [{guess}]?" if guess else f"use {sections}."
    return ConfigError(f"{path}: [{name}] is not a known section; {hint}")


def _section_taking(key: str) -> str | None:
    return next((name for name, keys in SCHEMA.items() if key in keys), None)


# --- one builder per section -------------------------------------------------------------

_SHEET_URL = re.compile(r"https://docs\.google\.com/spreadsheets/d/([A-Za-z0-9_-]+)")
_SHEET_ID = re.compile(r"[A-Za-z0-9_-]+")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_TAB_FORBIDDEN = "[]:*?/\\"
_BACKENDS: Mapping[str, Backend] = {"xlsx": "xlsx", "gsheets": "gsheets"}
_FRAMEWORKS: Mapping[str, Framework] = {"nnps": "nnps", "pta": "pta"}


def _workbook(t: Table, folder: Path, environ: Mapping[str, str]) -> WorkbookConfig:
    backend: Backend = t.get("backend", choice(_BACKENDS), "xlsx")
    path = t.get("path", optional_path_in(folder), None)
    if backend == "xlsx":
        needs = 'backend "xlsx" needs the workbook file, e.g. path = "district.xlsx"'
        if "path" not in t.data:
            raise t.missing("path", needs)
        if path is None:
            raise t.bad("path", t.data["path"], needs)
        if path.suffix.lower() not in (".xlsx", ".xlsm"):
            raise t.bad(
                "path",
                t.data["path"],
                'use an .xlsx file; for a Google Sheet, set backend = "gsheets" and spreadsheet_id',
            )
    sheet = t.get("spreadsheet_id", _spreadsheet_id, "")
    if backend == "gsheets" and not sheet:
        needs = 'backend "gsheets" needs the sheet\'s ID, the part of its address after /d/'
        if "spreadsheet_id" not in t.data:
            raise t.missing("spreadsheet_id", needs)
        raise t.bad("spreadsheet_id", t.data["spreadsheet_id"], needs)
    credentials = t.get("credentials", optional_path_in(folder), None)
    from_env = environ.get(ENV_CREDENTIALS, "").strip()
    if credentials is None and from_env:
        credentials = Path(from_env)
    return WorkbookConfig(
        backend=backend,
        path=path or folder / WorkbookConfig.path,
        spreadsheet_id=sheet,
        credentials=credentials,
        endpoint=t.get("endpoint", web_address, ""),
    )


def _spreadsheet_id(value: object) -> str:
    given = text(value).strip()
    if match := _SHEET_URL.match(given):  # the whole address, pasted from the browser
        return match[1]
    if given and not _SHEET_ID.fullmatch(given):
        raise Invalid("use the sheet's ID, the part of its address after /d/ (or the address)")
    return given


def _program(t: Table) -> ProgramConfig:
    d = ProgramConfig()
    return ProgramConfig(
        district=t.get("district", _one_line, d.district),
        team_name=t.get("team_name", _one_line_nonblank, d.team_name),
        team_short=t.get("team_short", _one_line_nonblank, d.team_short),
        framework=t.get("framework", choice(_FRAMEWORKS), d.framework),
        timezone=t.get("timezone", _timezone, d.timezone),
    )


def _one_line(value: object) -> str:
    given = text(value)
    if any(ord(c) < 32 or ord(c) == 127 for c in given):
        raise Invalid("use text on one line, without control characters")
    return given.strip()


def _one_line_nonblank(value: object) -> str:
    return _one_line(nonblank(value))


def _timezone(value: object) -> str:
    names = zoneinfo.available_timezones()
    if isinstance(value, str) and value.strip() in names:
        return value.strip()
    hint = 'use an IANA time zone such as "America/New_York" or "America/Denver"'
    guess = nearest(value, names) if isinstance(value, str) else None
    if guess:
        raise Invalid(f"did you mean {toml_string(guess)}? Or {hint}")
    raise Invalid(hint)


def _school_year(t: Table) -> SchoolYear:
    start = t.need("start", _date, "add the school year's first day, e.g. start = 2025-08-01")
    end = t.need("end", _date, "add the school year's last day, e.g. end = 2026-06-30")
    if end <= start:
        raise t.bad("end", t.data["end"], f"it must come after {t.key('start')} = {start}")
    if (end - start).days > 366:
        raise t.bad(
            "end", t.data["end"], f"it must be at most 366 days after {t.key('start')} = {start}"
        )
    return SchoolYear(start=start, end=end)


def _date(value: object) -> date:
    hint = "use a date such as 2025-08-01"
    if isinstance(value, datetime):
        raise Invalid(f"{hint}, without a time")
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise Invalid(f"there is no such day; {hint}") from None
    raise Invalid(hint)


def _tabs(t: Table) -> TabNames:
    d = TabNames()
    names = {f.name: t.get(f.name, _tab_name, getattr(d, f.name)) for f in fields(TabNames)}
    first_with: dict[str, str] = {}  # a name's comparable form -> the first key giving it
    for key, name in names.items():
        other = first_with.setdefault(name_key(name) or name, key)
        if other != key:
            raise _same_tab(t, names, *((other, key) if key not in t.data else (key, other)))
    return TabNames(**names)


def _same_tab(t: Table, names: Mapping[str, str], key: str, other: str) -> ConfigError:
    """Two tab keys name one tab; `key` is the one the file gave, when only one is."""
    return t.bad(
        key,
        names[key],
        f"it names the same tab as {t.key(other)} = {toml_string(names[other])}"
        " (tab names match ignoring case, spaces and punctuation)",
    )


def _tab_name(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise Invalid("use a tab name of 1 to 31 characters")
    if value != value.strip():
        raise Invalid("remove the spaces at its start or end")
    if len(value) > 31:
        raise Invalid(f"a tab name has at most 31 characters; this one has {len(value)}")
    if any(c in _TAB_FORBIDDEN or ord(c) < 32 for c in value):
        raise Invalid("a tab name cannot contain [ ] : * ? / \\ or control characters")
    if value.startswith("'") or value.endswith("'"):
        raise Invalid("a tab name cannot start or end with '")
    return value
