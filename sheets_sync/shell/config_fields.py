"""Typed readers for one config table, and the few shapes every config message takes::

    FILE: section.key = VALUE is not allowed; what to write instead.
    FILE: section.key entry VALUE is not allowed; what to write instead.   (one item of a list)
    FILE: section.key is missing; what to add.
    FILE: section.key is not a known key; did you mean section.other?
    FILE: [section] is not a known section; did you mean [other]?

VALUE is shown as it is written in TOML, so people can find it in their file.
"""

from __future__ import annotations

import datetime as dt
import difflib
import ipaddress
import json
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

from sheets_sync.errors import ConfigError

T = TypeVar("T")
Parse = Callable[[object], T]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_SHOW_LIMIT = 80

MONTH_DAY = re.compile(r"([0-9]{1,2})-([0-9]{1,2})")  # "09-30"


class Invalid(Exception):
    """A value a parser cannot take; `remedy` says what to write instead."""

    def __init__(self, remedy: str) -> None:
        super().__init__(remedy)
        self.remedy = remedy


# --- how values and choices are written in messages --------------------------------------


def toml_string(text: str) -> str:
    """`text` as a TOML basic string (JSON's escapes are TOML's, bar DEL)."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def toml_key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else toml_string(key)


def show(value: object) -> str:
    """`value` as it is written in TOML, cut short when long."""
    text = _toml(value)
    return text if len(text) <= _SHOW_LIMIT else text[: _SHOW_LIMIT - 1] + "…"


def _toml(value: object) -> str:
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, Mapping):
        inner = ", ".join(f"{toml_key(str(k))} = {_toml(v)}" for k, v in value.items())
        return f"{{ {inner} }}" if inner else "{}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    return _toml_scalar(value)


def _toml_scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return repr(value)


def boolean(value: object) -> bool:
    if isinstance(value, bool):
        return value
    raise Invalid("use true or false, without quotes")


def one_of(options: Iterable[str], quote: bool = True) -> str:
    """`"a" or "b"`, `"a", "b" or "c"`: the allowed values, as a message lists them."""
    shown = [toml_string(o) if quote else o for o in options]
    if len(shown) <= 1:
        return "".join(shown)
    return ", ".join(shown[:-1]) + " or " + shown[-1]


def nearest(word: str, options: Iterable[str]) -> str | None:
    """The option closest to `word` (ignoring case), if one is close enough to suggest."""
    by_key = {o.casefold(): o for o in options}
    found = difflib.get_close_matches(word.casefold(), list(by_key), n=1, cutoff=0.6)
    return by_key[found[0]] if found else None


# --- readers for one table ---------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    """One section of the file (`rules`, `email.smtp`) and the messages about its keys."""

    file: Path
    name: str
    data: Mapping[str, object]

    def key(self, key: str) -> str:
        return f"{self.name}.{toml_key(key)}"

    def bad(self, key: str, value: object, remedy: str, *, hide: bool = False) -> ConfigError:
        shown = "(not shown)" if hide else show(value)
        return ConfigError(f"{self.file}: {self.key(key)} = {shown} is not allowed; {remedy}.")

    def bad_entry(self, key: str, value: object, remedy: str) -> ConfigError:
        return ConfigError(
            f"{self.file}: {self.key(key)} entry {show(value)} is not allowed; {remedy}."
        )

    def missing(self, key: str, remedy: str) -> ConfigError:
        return ConfigError(f"{self.file}: {self.key(key)} is missing; {remedy}.")

    def unknown(self, key: str, guess: str | None, allowed: str) -> ConfigError:
        """`key` is not one this table takes: suggest `guess` (a full key), else list `allowed`."""
        hint = f"did you mean {guess}?" if guess else f"use {allowed}."
        return ConfigError(f"{self.file}: {self.key(key)} is not a known key; {hint}")

    def parse(self, key: str, parse: Parse[T], *, hide: bool = False) -> T:
        value = self.data[key]
        try:
            return parse(value)
        except Invalid as invalid:
            raise self.bad(key, value, invalid.remedy, hide=hide) from None

    def get(self, key: str, parse: Parse[T], default: T, *, hide: bool = False) -> T:
        """The key's value read by `parse`, or `default` when the file leaves it out."""
        return self.parse(key, parse, hide=hide) if key in self.data else default

    def need(self, key: str, parse: Parse[T], remedy: str) -> T:
        """The key's value read by `parse`; the file must give it."""
        if key not in self.data:
            raise self.missing(key, remedy)
        return self.parse(key, parse)

    def items(
        self, key: str, parse: Parse[T], default: tuple[T, ...], example: str
    ) -> tuple[T, ...]:
        """A list, each entry read by `parse`; an entry may not repeat an earlier one."""
        if key not in self.data:
            return default
        value = self.data[key]
        if not isinstance(value, list):
            raise self.bad(key, value, f"use a list such as {example}")
        found: list[T] = []
        for entry in value:
            try:
                item = parse(entry)
            except Invalid as invalid:
                raise self.bad_entry(key, entry, invalid.remedy) from None
            if item in found:
                raise self.bad_entry(key, entry, "it repeats an earlier entry; list each once")
            found.append(item)
        return tuple(found)


# --- parsers for plain values ------------------------------------------------------------


def text(value: object) -> str:
    if not isinstance(value, str):
        raise Invalid('use text in double quotes, e.g. "…"')
    return value


def nonblank(value: object) -> str:
    if not text(value).strip():
        raise Invalid("it cannot be blank")
    return str(value).strip()


def whole(minimum: int = 0, maximum: int | None = None) -> Parse[int]:
    """A parser for a whole number in a range (a TOML `true` is not a number)."""
    if maximum is not None:
        allowed = f"use a whole number from {minimum} to {maximum}"
    else:
        allowed = f"use a whole number, {minimum} or more"

    def parse(value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise Invalid(allowed)
        if value < minimum or (maximum is not None and value > maximum):
            raise Invalid(allowed)
        return value

    return parse


def choice(options: Mapping[str, T]) -> Parse[T]:
    """A parser for one of a few words (any case), each standing for a value."""

    def parse(value: object) -> T:
        if isinstance(value, str) and value.strip().casefold() in options:
            return options[value.strip().casefold()]
        raise not_one_of(value, list(options))

    return parse


def not_one_of(value: object, options: Sequence[str]) -> Invalid:
    """`value` is none of `options`: say which it may have meant, when there are many."""
    guess = nearest(value, options) if isinstance(value, str) and len(options) > 2 else None
    if guess is not None:
        return Invalid(f"did you mean {toml_string(guess)}? Use {one_of(options)}")
    return Invalid(f"use {one_of(options)}")


def path_in(folder: Path) -> Parse[Path]:
    """A parser for a path; a relative one is taken from `folder` (the config's own)."""

    def parse(value: object) -> Path:
        given = nonblank(value)
        if given.startswith("~"):
            raise Invalid("~ is not expanded; write the full path, or one relative to this file")
        return folder / given

    return parse


def optional_path_in(folder: Path) -> Parse[Path | None]:
    """Like `path_in`, but blank means none."""
    parse = path_in(folder)

    def optional(value: object) -> Path | None:
        return None if text(value).strip() == "" else parse(value)

    return optional


def api_endpoint(value: object) -> str:
    """Blank, or an API root that requests can safely be sent to: https, or plain http only
    to this machine (a local stand-in), with no query or fragment to lose."""
    given = web_address(value)
    if not given:
        return ""
    parts = urlsplit(given)
    if parts.query or parts.fragment:
        raise Invalid('use the API root alone, with no "?..." or "#..." part')
    if parts.scheme == "http" and not is_loopback(parts.hostname or ""):
        raise Invalid(
            "plain http:// would send the access token unencrypted; use https://, "
            "or http:// only to this machine (127.0.0.1, ::1 or localhost)"
        )
    return given


def is_loopback(host: str) -> bool:
    """Whether `host` is this machine (where plain connections give nothing away)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def web_address(value: object) -> str:
    """Blank, or an http(s) address."""
    given = text(value).strip()
    if not given:
        return ""
    try:
        parts = urlsplit(given)
    except ValueError:
        parts = urlsplit("")
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in given:
        raise Invalid('use a web address starting with https://, or "" for none')
    return given
