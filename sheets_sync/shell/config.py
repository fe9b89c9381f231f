"""The config file: where it is, what it says, and whether it makes sense.

One TOML file, read into frozen dataclasses (one per section) and checked whole at start:
a bad value, a missing required key, or a key the program does not know (a typo silently
ignored is worse than an error) raises `ConfigError` with the file, the key, the value and
what is allowed. Relative paths are taken from the file's own folder. Secrets never live in
the file; it names the environment variables that hold them, and `environ` is always passed
in, never read from `os.environ`.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path

from sheets_sync.core.columns import FIELDS_BY_TAB, column_keys
from sheets_sync.core.settings import NamedColumn, Rules, Settings, TabNames, YearRule
from sheets_sync.errors import ConfigError
from sheets_sync.shell.config_email import EmailConfig, SmtpConfig, read_email
from sheets_sync.shell.config_fields import Table, nearest, one_of, path_in, show, toml_key
from sheets_sync.shell.config_rules import read_rules
from sheets_sync.shell.config_schedule import Monthly, ScheduleConfig, Weekly, read_schedule
from sheets_sync.shell.config_sections import (
    ENV_CREDENTIALS,
    ProgramConfig,
    WorkbookConfig,
    read_columns,
    read_program,
    read_school_year,
    read_tabs,
    read_workbook,
)
from sheets_sync.shell.config_starter import starter_config

__all__ = [
    "DEFAULT_PATH",
    "ENV_CONFIG",
    "ENV_CREDENTIALS",
    "SCHEMA",
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

# Every section and the keys it takes: the contract of PRODUCT.md §7.
SCHEMA: Mapping[str, tuple[str, ...]] = {
    "workbook": (
        "backend",
        "path",
        "spreadsheet_id",
        "credentials",
        "endpoint",
        "retry_attempts",
        "retry_budget_seconds",
        "connect_timeout_seconds",
        "read_timeout_seconds",
    ),
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
        "summer",
        "district_recipients",
        "workbook_url",
        "contact_form_url",
        "contact_form_fields",
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
    # The district's own headers: [columns] contacts.facilitator = "Your name".
    "columns": (),
    **{f"columns.{tab}": column_keys(tab) for tab in FIELDS_BY_TAB},
}
_TOP = tuple(name for name in SCHEMA if "." not in name)


@dataclass(frozen=True)
class StateConfig:
    dir: Path = Path("state")  # ledger, lock, last run; absolute once loaded


@dataclass(frozen=True)
class Config:
    """The whole config file. Paths are absolute once loaded (relative defaults name the
    folder under the config's own)."""

    path: Path  # the file it was read from, as given
    workbook: WorkbookConfig
    school_year: YearRule = field(default_factory=YearRule)
    program: ProgramConfig = field(default_factory=ProgramConfig)
    rules: Rules = field(default_factory=Rules)
    tabs: TabNames = field(default_factory=TabNames)
    columns: Mapping[str, tuple[NamedColumn, ...]] = field(default_factory=dict)  # by tab key
    email: EmailConfig = field(default_factory=EmailConfig)
    schedule: ScheduleConfig = field(default_factory=ScheduleConfig)
    state: StateConfig = field(default_factory=StateConfig)

    def settings_on(self, today: date) -> Settings:
        """The core's view of this config for a run on `today` (the school year it is in)."""
        return Settings(
            year=self.school_year.year_of(today),
            fixed_year=self.school_year.fixed is not None,
            rules=self.rules,
            tabs=self.tabs,
            framework=self.program.framework,
            allowed_domains=self.email.allowed_domains,
            columns=self.columns,
            timezone=self.program.timezone,
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

    workbook = read_workbook(
        section("workbook", 'add it with the workbook\'s file, e.g. path = "district.xlsx"'),
        folder,
        environ,
    )
    year = read_school_year(section("school_year"))
    return Config(
        path=path,
        workbook=workbook,
        school_year=year,
        program=read_program(section("program")),
        rules=read_rules(section("rules"), year),  # month names placed in the year's months
        tabs=read_tabs(section("tabs")),
        columns=read_columns(path, document.get("columns", {})),
        email=read_email(section("email"), section("email.smtp"), folder),
        schedule=read_schedule(section("schedule")),
        state=StateConfig(
            dir=section("state").get("dir", path_in(folder), folder / StateConfig.dir)
        ),
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
