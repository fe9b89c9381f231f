"""Every transport takes each message only when it sends it, and reports it before the next."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from smtp_fixtures import smtp_server

from sheets_sync.adapters.mail import (
    Keyed,
    Letter,
    OutboxTransport,
    RecordingTransport,
    SmtpTransport,
    Transport,
    build_message,
)

NOW = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)


def keyed(address: str) -> Keyed:
    key = f"facilitator-digest / {address} / 2026-W48"
    letter = Letter(key, "facilitator-digest", address, "", "Week 48", "text", "<p>html</p>")
    return key, build_message(letter, "partnerships@district.org", "", NOW)


def outbox(tmp_path: Path) -> Iterator[Transport]:
    yield OutboxTransport(tmp_path)


def recording(tmp_path: Path) -> Iterator[Transport]:
    yield RecordingTransport()


def smtp(tmp_path: Path) -> Iterator[Transport]:
    with smtp_server() as server:
        yield SmtpTransport(server.host, server.port, "none", None, None, 5)


@pytest.mark.parametrize("make", [outbox, recording, smtp])
def test_pending_then_outcome_one_message_at_a_time(
    tmp_path: Path, make: Callable[[Path], Iterator[Transport]]
) -> None:
    """A ledger marking a key pending as it hands the pair over sees its outcome before the next."""
    events: list[str] = []
    addresses = [f"p{i}@district.org" for i in range(4)]

    def pending() -> Iterator[Keyed]:
        for address in addresses:
            key, message = keyed(address)
            events.append(f"pending {key}")
            yield key, message

    for transport in make(tmp_path):
        for outcome in transport.send_each(pending()):
            events.append(f"{type(outcome).__name__} {outcome.key}")
    assert events == [
        line for a in addresses for line in (f"pending {keyed(a)[0]}", f"Delivered {keyed(a)[0]}")
    ]
