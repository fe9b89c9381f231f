"""OutboxTransport: each message as an .eml file a person can find, and its HTML beside it."""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from sheets_sync.adapters.mail import (
    Delivered,
    Failed,
    Keyed,
    Letter,
    OutboxTransport,
    build_message,
)

NOW = datetime(2026, 11, 23, 7, 0, tzinfo=timezone(timedelta(hours=-5)))
SENDER = "Family Partnerships <partnerships@district.org>"
HTML = "<!doctype html><p>Escuela José Martí is <b>overdue</b>.</p>\n"


def keyed(address: str = "ann@district.org", kind: str = "facilitator-digest") -> Keyed:
    key = f"{kind} / {address} / 2026-W48"
    letter = Letter(key, kind, address, "Ann Lee", "Your schools", "Overdue: 1\n", HTML)
    return key, build_message(letter, SENDER, "", NOW)


def test_a_message_becomes_an_eml_file_and_an_html_page(tmp_path: Path) -> None:
    """The .eml holds the whole message; the .html beside it opens in a browser as UTF-8."""
    key, message = keyed()
    outbox = tmp_path / "outbox"
    assert OutboxTransport(outbox).send([(key, message)]) == [Delivered(key)]
    eml = outbox / "2026-11-23 facilitator-digest ann@district.org.eml"
    assert sorted(p.name for p in outbox.iterdir()) == [eml.name, eml.with_suffix(".html").name]
    assert eml.read_bytes() == message.as_bytes()
    again = message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert str(again["Message-ID"]) == str(message["Message-ID"])
    assert eml.with_suffix(".html").read_bytes() == b"\xef\xbb\xbf" + HTML.encode()


def test_names_stay_unique(tmp_path: Path) -> None:
    """A second message with the same date, kind and recipient gets ` (2)`, then ` (3)`."""
    transport = OutboxTransport(tmp_path)
    transport.send([keyed(), keyed(), keyed()])
    assert sorted(p.name for p in tmp_path.glob("*.eml")) == [
        "2026-11-23 facilitator-digest ann@district.org (2).eml",
        "2026-11-23 facilitator-digest ann@district.org (3).eml",
        "2026-11-23 facilitator-digest ann@district.org.eml",
    ]


@pytest.mark.parametrize(
    ("kind", "address", "name"),
    [
        ("../../etc/passwd", "ann@district.org", "2026-11-23 .._.._etc_passwd ann@district.org"),
        (
            "principal:summary*?",
            "o'brien@district.org",
            "2026-11-23 principal_summary_ o_brien@district.org",
        ),
        ("résumé", "ann@district.org", "2026-11-23 r_sum_ ann@district.org"),
    ],
)
def test_file_names_use_safe_characters_only(
    tmp_path: Path, kind: str, address: str, name: str
) -> None:
    """Slashes, colons, quotes and non-ASCII in a key never leave the folder or break a name."""
    OutboxTransport(tmp_path).send([keyed(address, kind)])
    assert [p.name for p in tmp_path.glob("*.eml")] == [f"{name}.eml"]


def test_no_temporary_files_are_left(tmp_path: Path) -> None:
    """After a batch the folder holds the messages and pages, nothing half-written."""
    OutboxTransport(tmp_path).send([keyed(f"p{i}@district.org") for i in range(5)])
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".eml"] * 5 + [".html"] * 5


def test_an_unwritable_outbox_fails_each_message_without_raising(tmp_path: Path) -> None:
    """When the outbox cannot be written, each message is Failed with the reason; none raises."""
    blocked = tmp_path / "outbox"
    blocked.write_text("a file where the folder should be")
    outcomes = OutboxTransport(blocked).send([keyed(), keyed("bob@district.org")])
    assert all(isinstance(o, Failed) for o in outcomes)
    assert all(
        o.reason.startswith(f"cannot write the message into the outbox {blocked}: ")
        for o in outcomes
        if isinstance(o, Failed)
    )


def test_a_failed_write_leaves_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write that fails at its last step (the disk full, say) gives Failed and no file."""

    def refuse(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    (outcome,) = OutboxTransport(tmp_path).send([keyed()])
    assert isinstance(outcome, Failed)
    assert list(tmp_path.iterdir()) == []
