"""RecordingTransport: the in-memory transport that the shell's tests send through."""

from __future__ import annotations

from datetime import UTC, datetime

from sheets_sync.adapters.mail import (
    Delivered,
    Failed,
    Keyed,
    Letter,
    RecordingTransport,
    Refused,
    Transport,
    build_message,
)

NOW = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)


def keyed(address: str) -> Keyed:
    key = f"principal-summary / {address} / 2026-11"
    letter = Letter(key, "principal-summary", address, "", "November", "text", "<p>html</p>")
    return key, build_message(letter, "partnerships@district.org", "", NOW)


def test_keeps_what_it_sends() -> None:
    """Delivered messages are kept in order with their keys; `recipients` lists their To."""
    transport = RecordingTransport()
    messages = [keyed("ann@district.org"), keyed("bob@district.org")]
    assert transport.send(messages) == [Delivered(k) for k, _ in messages]
    assert transport.sent == messages
    assert transport.recipients == ["ann@district.org", "bob@district.org"]


def test_refuses_the_addresses_it_is_told_to() -> None:
    """A refused address gets a Refused outcome (5xx permanent, 4xx temporary) and is not kept."""
    transport = RecordingTransport(refuse=["Bob@District.org"])
    transport.refuse("cy@district.org", 451, "4.3.0 try again later")
    outcomes = transport.send(
        [keyed(a) for a in ("ann@district.org", "bob@district.org", "cy@district.org")]
    )
    assert outcomes[1:] == [
        Refused(
            outcomes[1].key,
            "the mail server refused bob@district.org: 550 5.1.1 mailbox unavailable",
            True,
        ),
        Refused(
            outcomes[2].key,
            "the mail server refused cy@district.org: 451 4.3.0 try again later",
            False,
        ),
    ]
    assert transport.recipients == ["ann@district.org"]
    assert transport.outcomes == outcomes


def test_down_fails_everything() -> None:
    """Set `down`, and every message fails with that reason and nothing is kept."""
    transport = RecordingTransport()
    transport.down = (
        "cannot connect to the mail server smtp.district.org:587: nothing accepts connections there"
    )
    (outcome,) = transport.send([keyed("ann@district.org")])
    assert outcome == Failed(outcome.key, transport.down)
    assert transport.sent == []


def test_is_a_transport() -> None:
    """It satisfies the Transport port, so the shell can take it where it takes SMTP."""
    transport: Transport = RecordingTransport()
    assert list(transport.send_each(iter([]))) == []


def test_a_lost_reply_keeps_the_message_but_reports_it_in_doubt() -> None:
    """`lose_reply`: the message arrives, and its outcome says it may have been delivered."""
    transport = RecordingTransport()
    transport.lose_reply("ann@district.org")
    (outcome,) = transport.send([keyed("ann@district.org")])
    assert isinstance(outcome, Failed)
    assert outcome.maybe_delivered
    assert transport.recipients == ["ann@district.org"]
