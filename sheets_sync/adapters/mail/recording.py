"""A transport that keeps messages in memory, for tests: no server, no files."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from email.headerregistry import Address
from email.message import EmailMessage

from sheets_sync.adapters.mail.port import (
    Delivered,
    Failed,
    Keyed,
    Outcome,
    Refused,
    Transport,
)


class RecordingTransport(Transport):
    """Keeps what it is given in `sent`; refuses the addresses it was told to refuse.

    `down`, when set, is the reason every message fails with (a server that is down).
    `lose_reply` makes messages to an address arrive (they are kept) while their outcome is
    `Failed(maybe_delivered=True)`, as when a connection breaks before the server's reply.
    Every message is serialised as SMTP would, so one that could not be sent fails here too.
    """

    def __init__(self, refuse: Iterable[str] = ()) -> None:
        self.sent: list[Keyed] = []
        self.outcomes: list[Outcome] = []
        self.refusals: dict[str, tuple[int, str]] = {}
        self.replies_lost: set[str] = set()
        self.down: str | None = None
        for address in refuse:
            self.refuse(address)

    def refuse(
        self, address: str, code: int = 550, text: str = "5.1.1 mailbox unavailable"
    ) -> None:
        """Refuse messages to `address` from now on: a 5xx code is permanent, a 4xx temporary."""
        self.refusals[address.casefold()] = (code, text)

    def lose_reply(self, address: str) -> None:
        """From now on, messages to `address` arrive but are reported as maybe delivered."""
        self.replies_lost.add(address.casefold())

    def send_each(self, messages: Iterable[Keyed]) -> Iterator[Outcome]:
        for key, message in messages:
            outcome = self._take(key, message)
            self.outcomes.append(outcome)
            yield outcome

    @property
    def recipients(self) -> list[str]:
        """The address each sent message went to, in order."""
        return [_to(message) for _, message in self.sent]

    def _take(self, key: str, message: EmailMessage) -> Outcome:
        if self.down is not None:
            return Failed(key, self.down)
        message.as_bytes()  # raises as smtplib would for a message that cannot be written
        to = _to(message)
        refusal = self.refusals.get(to.casefold())
        if refusal is not None:
            code, text = refusal
            return Refused(key, f"the mail server refused {to}: {code} {text}", code >= 500)
        self.sent.append((key, message))
        if to.casefold() in self.replies_lost:
            reason = "the connection to the mail server was lost before it confirmed the message"
            return Failed(key, reason, maybe_delivered=True)
        return Delivered(key)


def _to(message: EmailMessage) -> str:
    addresses: tuple[Address, ...] = getattr(message.get("To"), "addresses", ())
    return ", ".join(a.addr_spec for a in addresses)
