"""The `[email]` and `[email.smtp]` sections: who sends, to whom it may go, and how."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.utils import parseaddr
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email

from sheets_sync.core.letters import ContactForm
from sheets_sync.core.values import in_domains
from sheets_sync.shell.config_fields import (
    Invalid,
    Table,
    boolean,
    choice,
    nearest,
    nonblank,
    one_of,
    optional_path_in,
    path_in,
    text,
    toml_key,
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
_FORM_ENTRY = re.compile(r"entry\.[0-9]+")
_FORM_QUESTIONS = ("school", "facilitator", "date")  # what a "Log contact" link fills in
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
    contact_form: ContactForm = field(default_factory=ContactForm)  # contact_form_url, _fields
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
        contact_form=_contact_form(t),
        templates_dir=t.get("templates_dir", optional_path_in(folder), d.templates_dir),
        smtp=_smtp(smtp),
    )


def _contact_form(t: Table) -> ContactForm:
    """contact_form_url and contact_form_fields: the Form a digest's "Log contact" links open."""
    url = t.get("contact_form_url", _form_address, "")
    fields: dict[str, str] = t.get("contact_form_fields", _form_fields, {})
    if fields and not url:
        raise t.bad(
            "contact_form_fields",
            t.data["contact_form_fields"],
            f"set {t.key('contact_form_url')} too, or leave this out",
        )
    return ContactForm(url, *(fields.get(question, "") for question in _FORM_QUESTIONS))


def _form_address(value: object) -> str:
    """A Google Form's address, up to `/viewform`: a query (a pre-filled link's answers) goes."""
    given = web_address(value)
    base = urlsplit(given)._replace(query="", fragment="").geturl().rstrip("/")
    if given and not base.endswith("/viewform"):
        raise Invalid(
            "use the address people answer the Form at, ending in /viewform (in Forms: Send,"
            ' the link tab, without "Shorten URL"), or "" for none'
        )
    return base


def _form_fields(value: object) -> dict[str, str]:
    """{ school = "entry.1", facilitator = "entry.2", date = "entry.3" }, any of the three."""
    example = '{ school = "entry.1111", facilitator = "entry.2222", date = "entry.3333" }'
    if not isinstance(value, dict):
        raise Invalid(f"use a table such as {example}")
    found: dict[str, str] = {}
    for question, entry in value.items():
        if question not in _FORM_QUESTIONS:
            guess = nearest(question, _FORM_QUESTIONS)
            hint = f"did you mean {guess}? " if guess else ""
            keys = one_of(_FORM_QUESTIONS, quote=False)
            raise Invalid(f"{toml_key(question)} is not a question it fills; {hint}use {keys}")
        if not isinstance(entry, str) or not _FORM_ENTRY.fullmatch(entry.strip()):
            raise Invalid(
                f"give each question its entry id as a pre-filled link shows it, such as"
                f' "entry.1234567" ({example})'
            )
        found[question] = entry.strip()
    if len(set(found.values())) < len(found):
        raise Invalid("each question has its own entry id; two here are the same")
    return found


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
