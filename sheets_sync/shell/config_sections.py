"""The `[workbook]`, `[program]`, `[school_year]` and `[tabs]` sections."""

from __future__ import annotations

import calendar
import re
import zoneinfo
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Literal

from sheets_sync.core.columns import FIELDS_BY_TAB, column_title
from sheets_sync.core.grid import header_key, name_key
from sheets_sync.core.settings import (
    Framework,
    MonthDay,
    NamedColumn,
    SchoolYear,
    TabNames,
    YearRule,
)
from sheets_sync.errors import ConfigError
from sheets_sync.shell.config_fields import (
    MONTH_DAY,
    Invalid,
    Table,
    api_endpoint,
    choice,
    nearest,
    nonblank,
    optional_path_in,
    text,
    toml_string,
    whole,
)

ENV_CREDENTIALS = "GOOGLE_APPLICATION_CREDENTIALS"

Backend = Literal["xlsx", "gsheets"]


@dataclass(frozen=True)
class WorkbookConfig:
    backend: Backend = "xlsx"
    path: Path = Path("district.xlsx")  # xlsx: the workbook file (gsheets: unused)
    spreadsheet_id: str = ""  # gsheets
    credentials: Path | None = None  # gsheets: service-account JSON, else the env's
    endpoint: str = ""  # gsheets: another Sheets API root; blank for Google's
    # gsheets: how hard one Sheets API call is tried (429, 5xx, timeouts) before the run says so
    retry_attempts: int = 6
    retry_budget_seconds: int = 120
    connect_timeout_seconds: int = 10
    read_timeout_seconds: int = 60


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


_SHEET_URL = re.compile(r"https://docs\.google\.com/spreadsheets/d/([A-Za-z0-9_-]+)")
_SHEET_ID = re.compile(r"[A-Za-z0-9_-]+")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_TAB_FORBIDDEN = "[]:*?/\\"
_BACKENDS: Mapping[str, Backend] = {"xlsx": "xlsx", "gsheets": "gsheets"}
_FRAMEWORKS: Mapping[str, Framework] = {"nnps": "nnps", "pta": "pta"}


def read_workbook(t: Table, folder: Path, environ: Mapping[str, str]) -> WorkbookConfig:
    backend: Backend = t.get("backend", choice(_BACKENDS), "xlsx")
    # §7: path defaults to "district.xlsx" beside the config, like every key but the sections.
    default_path: Path | None = folder / "district.xlsx"
    path = t.get("path", optional_path_in(folder), default_path)
    if backend == "xlsx":
        needs = 'backend "xlsx" needs the workbook file, e.g. path = "district.xlsx"'
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
        endpoint=t.get("endpoint", api_endpoint, ""),
        retry_attempts=t.get("retry_attempts", whole(1, 20), 6),
        retry_budget_seconds=t.get("retry_budget_seconds", whole(1, 3600), 120),
        connect_timeout_seconds=t.get("connect_timeout_seconds", whole(1, 300), 10),
        read_timeout_seconds=t.get("read_timeout_seconds", whole(1, 600), 60),
    )


def _spreadsheet_id(value: object) -> str:
    given = text(value).strip()
    if match := _SHEET_URL.match(given):  # the whole address, pasted from the browser
        return match[1]
    if given and not _SHEET_ID.fullmatch(given):
        raise Invalid("use the sheet's ID, the part of its address after /d/ (or the address)")
    return given


def read_program(t: Table) -> ProgramConfig:
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


@cache
def _zone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())  # scans the zone files: once is enough


def _timezone(value: object) -> str:
    names = _zone_names()
    if isinstance(value, str) and value.strip() in names:
        return value.strip()
    hint = 'use an IANA time zone such as "America/New_York" or "America/Denver"'
    guess = nearest(value, names) if isinstance(value, str) else None
    if guess:
        raise Invalid(f"did you mean {toml_string(guess)}? Or {hint}")
    raise Invalid(hint)


_YEAR_HINT = (
    'use a month-day such as "08-01" (the year that contains today, rolling on by itself) '
    "or a date such as 2025-08-01 (one fixed year)"
)


def read_school_year(t: Table) -> YearRule:
    """Month-days (the default, "08-01" to "06-30") or full dates; both keys the same form."""
    default = YearRule()
    first: date | MonthDay = default.start
    last: date | MonthDay = default.end
    start = t.get("start", _year_bound, first)
    end = t.get("end", _year_bound, last)
    if isinstance(start, tuple) and isinstance(end, tuple):
        if start == end:
            raise t.bad("end", t.data.get("end", "06-30"), "it must differ from the start")
        return YearRule(start=start, end=end)
    if not (isinstance(start, date) and isinstance(end, date)):
        key = "end" if "end" in t.data else "start"
        raise t.bad(
            key,
            t.data[key],
            f"give {t.key('start')} and {t.key('end')} in the same form: both month-days "
            '("08-01", "06-30") or both dates (2025-08-01, 2026-06-30)',
        )
    if end <= start:
        raise t.bad("end", t.data["end"], f"it must come after {t.key('start')} = {start}")
    if (end - start).days > 366:
        raise t.bad(
            "end", t.data["end"], f"it must be at most 366 days after {t.key('start')} = {start}"
        )
    return YearRule(fixed=SchoolYear(start=start, end=end))


def _year_bound(value: object) -> date | MonthDay:
    if isinstance(value, str) and (match := MONTH_DAY.fullmatch(value.strip())):
        month, day = int(match[1]), int(match[2])
        if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(2024, month)[1]:
            raise Invalid(f"there is no such day; {_YEAR_HINT}")
        return (month, day)
    if isinstance(value, date) or (isinstance(value, str) and _ISO_DATE.fullmatch(value.strip())):
        return _date(value)  # its own words for a time of day or a day that does not exist
    raise Invalid(_YEAR_HINT)


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


def read_tabs(t: Table) -> TabNames:
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


def read_columns(path: Path, section: object) -> dict[str, tuple[NamedColumn, ...]]:
    """[columns]: each input tab's columns headed in the district's own words. Keys are
    checked against the schema before this; here each header must be text, and two columns
    of a tab may not be found by one header."""
    named: dict[str, tuple[NamedColumn, ...]] = {}
    tables = section if isinstance(section, dict) else {}
    for tab, columns in tables.items():
        t = Table(path, f"columns.{tab}", columns if isinstance(columns, dict) else {})
        found = [
            NamedColumn(column_title(tab, key), t.parse(key, _header), f"{tab}.{key}")
            for key in t.data
        ]
        _check_distinct(t, tab, found)
        named[tab] = tuple(found)
    return named


def _header(value: object) -> str:
    if not isinstance(value, str) or not header_key(value):
        raise Invalid("use the column's header as row 1 of the tab shows it, in quotes")
    return value


def _check_distinct(t: Table, tab: str, found: Sequence[NamedColumn]) -> None:
    """Each header finds one column: not another named one's, nor another column's title."""
    named = {n.title for n in found}
    taken = {header_key(f.title): f.title for f in FIELDS_BY_TAB[tab] if f.title not in named}
    for n in found:
        other = taken.get(header_key(n.header))
        if other is not None and other != n.title:
            raise t.bad(
                n.key.split(".", 1)[1],
                n.header,
                f'it is the header of the "{other}" column itself; name another header',
            )
        taken[header_key(n.header)] = n.title
