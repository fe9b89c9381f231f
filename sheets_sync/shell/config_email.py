"""The `[email]` and `[email.smtp]` sections: who sends, to whom it may go, and how."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import parseaddr
from pathlib import Path
from typing import Literal

from email_validator import EmailNotValidError, validate_email

from sheets_sync.core.values import in_domains
from sheets_sync.shell.config_fields import (
    Invalid,
    Table,
    boolean,
    choice,
    nonblank,
    optional_path_in,
    path_in,
    text,
    web_address,
    whole,
)

Transport = Literal["outbox", "smtp"]
Security = Literal["starttls", "tls", "none"]

_TRANSPORTS: Mapping[str, Transport] = {"outbox": "outbox", "smtp": "smtp"}
_SECURITY: Mapping[str, Security] = {"starttls": "starttls", "tls": "tls", "none": "none"}
_NAMED = re.compile(r"(?P<name>[^<>]*)<(?P<address>[^<>]*)>")
_DOMAIN_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_DOMAIN = re.compile(rf"(?:{_DOMAIN_LABEL}\.)*{_DOMAIN_LABEL}")
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ADDRESS_HINT = (
    'use an address such as "partnerships@example.org"'
    ' or "Family Partnerships <partnerships@example.org>"'
)


@dataclass(frozen=True)
class SmtpConfig:
    host: str = "localhost"
    port: int = 587
    security: Security = "starttls"
    username_env: str = "SMTP_USERNAME"  # names of environment variables; blank: no login
    password_env: str = "SMTP_PASSWORD"
    timeout_seconds: int = 30


@dataclass(frozen=True)
class EmailConfig:
    transport: Transport = "outbox"
    outbox_dir: Path = Path("outbox")  # absolute once loaded
    from_: str = "Family Partnerships <partnerships@example.org>"  # the key `from`
    reply_to: str = ""
    allowed_domains: tuple[str, ...] = ()  # lower case; empty: every domain
    max_per_run: int = 200
    summer: bool = False  # scheduled emails between one school year's end and the next's start
    district_recipients: tuple[str, ...] = ()
    workbook_url: str = ""
    templates_dir: Path | None = None  # None: the packaged templates
    smtp: SmtpConfig = SmtpConfig()

    @property
    def from_address(self) -> str:
        return parseaddr(self.from_)[1]

    @property
    def from_name(self) -> str:
        return parseaddr(self.from_)[0]


def read_email(t: Table, smtp: Table, folder: Path) -> EmailConfig:
    d = EmailConfig()
    domains = t.items("allowed_domains", _domain, d.allowed_domains, '["district.org"]')
    recipients = t.items(
        "district_recipients", address, d.district_recipients, '["director@district.org"]'
    )
    for recipient in recipients:
        if domains and not in_domains(parseaddr(recipient)[1], domains):
            raise t.bad_entry(
                "district_recipients",
                recipient,
                f"its domain is outside {t.key('allowed_domains')}, so nothing would go to it;"
                " add its domain there or use another address",
            )
    return EmailConfig(
        transport=t.get("transport", choice(_TRANSPORTS), d.transport),
        outbox_dir=t.get("outbox_dir", path_in(folder), folder / d.outbox_dir),
        from_=t.get("from", address, d.from_),
        reply_to=t.get("reply_to", _optional_address, d.reply_to),
        allowed_domains=domains,
        max_per_run=t.get("max_per_run", whole(0), d.max_per_run),
        summer=t.get("summer", boolean, d.summer),
        district_recipients=recipients,
        workbook_url=t.get("workbook_url", web_address, d.workbook_url),
        templates_dir=t.get("templates_dir", optional_path_in(folder), d.templates_dir),
        smtp=_smtp(smtp),
    )


def _smtp(t: Table) -> SmtpConfig:
    d = SmtpConfig()
    return SmtpConfig(
        host=t.get("host", _host, d.host),
        port=t.get("port", whole(1, 65535), d.port),
        security=t.get("security", choice(_SECURITY), d.security),
        username_env=t.get("username_env", _env_name, d.username_env),
        # A password typed here by mistake must not be echoed into a log.
        password_env=t.get("password_env", _env_name, d.password_env, hide=True),
        timeout_seconds=t.get("timeout_seconds", whole(1, 3600), d.timeout_seconds),
    )


def address(value: object) -> str:
    """A mailbox as written, `Name <addr>` or a bare `addr`, checked for syntax only."""
    if not isinstance(value, str) or any(c in value for c in "\r\n"):
        raise Invalid(_ADDRESS_HINT)
    written = value.strip()
    match = _NAMED.fullmatch(written)
    bare = match["address"].strip() if match else written
    if not bare or parseaddr(written)[1] != bare:
        raise Invalid(_ADDRESS_HINT)
    try:
        validate_email(bare, check_deliverability=False)
    except EmailNotValidError:
        raise Invalid(_ADDRESS_HINT) from None
    return written


def _optional_address(value: object) -> str:
    return "" if text(value).strip() == "" else address(value)


def _domain(value: object) -> str:
    hint = 'use a domain such as "district.org"'
    given = text(value).strip().lower()
    if "@" in given:
        raise Invalid(f'{hint}, without "@"')
    if not _DOMAIN.fullmatch(given):
        raise Invalid(hint)
    return given


def _host(value: object) -> str:
    given = nonblank(value)
    if any(c.isspace() for c in given):
        raise Invalid('use a host name such as "smtp.district.org", without spaces')
    return given


def _env_name(value: object) -> str:
    given = text(value).strip()
    if given and not _ENV_NAME.fullmatch(given):
        raise Invalid(
            'name the environment variable that holds it, e.g. "SMTP_PASSWORD" (letters,'
            ' digits and _), or "" for none; the secret itself never goes in the file'
        )
    return given
