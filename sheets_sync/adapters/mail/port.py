"""The transport port: what happened to each message, and the two ways to send a batch."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Protocol, TypeAlias

Keyed: TypeAlias = tuple[str, EmailMessage]  # (ledger key, message)


@dataclass(frozen=True, slots=True)
class Delivered:
    """The server (or the outbox) took the message."""

    key: str


@dataclass(frozen=True, slots=True)
class Refused:
    """The server answered no for this message: `permanent` for a 5xx reply, else a 4xx.

    Nothing was delivered. `reason` quotes the server's reply.
    """

    key: str
    reason: str
    permanent: bool


@dataclass(frozen=True, slots=True)
class Failed:
    """No answer about this message: the server was unreachable, the connection broke or
    timed out, or an earlier failure stopped the batch. `reason` says which.

    `maybe_delivered` is True only when the connection broke after the message's data had
    started to go out: the server may have delivered it, so resending risks a duplicate.
    Otherwise the message surely did not go out, and the next run may simply retry it.
    """

    key: str
    reason: str
    maybe_delivered: bool = False


Outcome: TypeAlias = Delivered | Refused | Failed


class Transport(Protocol):
    """Sends keyed messages and says, per message and in order, what happened."""

    def send_each(self, messages: Iterable[Keyed]) -> Iterator[Outcome]:
        """Send the messages one by one, yielding each one's outcome as soon as it is known.

        Each pair is taken from `messages` only when it is about to be sent, and its outcome
        is yielded before the next pair is taken. So a caller that marks a key pending as it
        hands the pair over (a generator that writes the ledger, then yields the pair) and
        records each outcome as it arrives has at most one message in doubt after a crash.
        Leaving the loop early (`break`, or closing the iterator) ends the batch and closes
        the connection; pairs not yet taken are not touched. A problem with a message or the
        server becomes an outcome, never an exception.
        """
        ...

    def send(self, messages: Sequence[Keyed]) -> list[Outcome]:
        """All outcomes at once, one per pair, in order (`send_each` run to the end)."""
        return list(self.send_each(messages))
