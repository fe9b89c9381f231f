"""The outbox transport: each message becomes an .eml file, and its HTML a page beside it.

Names read like `2026-11-23 facilitator-digest ann@district.org.eml`: the message's date,
the kind of email (the ledger key's first part) and the recipient, in characters that are
safe on every file system; ` (2)`, ` (3)` ... keep them unique. Files appear whole or not at
all (written to a temporary name, flushed to disk, then renamed). One process writes the
folder at a time (the shell holds the state folder's lock), so a free name stays free.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path

from sheets_sync.adapters.atomic import write_atomically
from sheets_sync.adapters.mail.port import Delivered, Failed, Keyed, Outcome, Transport

_UNSAFE = re.compile(r"[^A-Za-z0-9@._+ -]+")
_LONGEST_STEM = 120


class OutboxTransport(Transport):
    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def __repr__(self) -> str:
        return f"OutboxTransport({str(self.folder)!r})"

    def send_each(self, messages: Iterable[Keyed]) -> Iterator[Outcome]:
        for key, message in messages:
            try:
                self.write(key, message)
            except OSError as exc:
                detail = exc.strerror or str(exc)
                yield Failed(
                    key, f"cannot write the message into the outbox {self.folder}: {detail}"
                )
            else:
                yield Delivered(key)

    def write(self, key: str, message: EmailMessage) -> Path:
        """Write one message (and its HTML part, if any) and return the .eml file's path."""
        self.folder.mkdir(parents=True, exist_ok=True)
        stem = self._free_stem(file_stem(key, message))
        html = message.get_body(preferencelist=("html",))
        if isinstance(html, EmailMessage):
            # The byte order mark makes browsers read the page as UTF-8 whatever its <head> says.
            page = html.get_content().encode("utf-8-sig")
            write_atomically(self.folder / f"{stem}.html", page)
        eml = self.folder / f"{stem}.eml"
        write_atomically(eml, message.as_bytes(policy=message.policy.clone(linesep="\r\n")))
        return eml

    def _free_stem(self, stem: str) -> str:
        candidate, number = stem, 1
        while (self.folder / f"{candidate}.eml").exists() or (
            self.folder / f"{candidate}.html"
        ).exists():
            number += 1
            candidate = f"{stem} ({number})"
        return candidate


def file_stem(key: str, message: EmailMessage) -> str:
    """`2026-11-23 facilitator-digest ann@district.org`: date, kind and recipient, made safe."""
    parts = [_day(message), key.split(" / ", 1)[0].strip() or "message"]
    to = message.get("To")
    addresses: tuple[Address, ...] = getattr(to, "addresses", ())
    parts.extend(a.addr_spec for a in addresses[:1])
    stem = _UNSAFE.sub("_", " ".join(p for p in parts if p)).strip(" .")
    return stem[:_LONGEST_STEM].rstrip(" .") or "message"


def _day(message: EmailMessage) -> str:
    date = message.get("Date")
    if date is None:
        return ""
    try:
        return parsedate_to_datetime(str(date)).strftime("%Y-%m-%d")
    except (TypeError, ValueError):
        return ""
