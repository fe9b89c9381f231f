"""The SMTP transport: one connection for a batch, and an outcome for every message.

    connect (TLS) - EHLO - (STARTTLS - EHLO) - (AUTH) - message, message, ... - QUIT

- A failure before the first message (unreachable, TLS, login) fails every message of the
  batch with the same reason, after one try.
- A refusal (a 4xx or 5xx reply) concerns one message; the batch goes on.
- A connection lost mid-batch fails the message being sent, saying whether its data had
  gone out (then it may have been delivered). If that connection had completed a message
  before, the transport connects once more, and resends the current message only when
  it surely never went out (a server that closes after N messages still gets the whole
  batch); if not, the rest of the batch fails without being tried.
- Every socket operation is bounded by `timeout` (seconds), and every exchange as a whole
  (connecting up to the login; one message) by `EXCHANGE_TIMEOUTS` times that: a server
  that trickles its reply a byte at a time, each within the timeout, is cut off all the same.
- The password is in no outcome and no repr, and is scrubbed (with its base64 forms) from
  any text a server sends back.
"""

from __future__ import annotations

import base64
import contextlib
import smtplib
import socket
import ssl
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import getaddresses
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

from sheets_sync.adapters.mail.port import (
    Delivered,
    Failed,
    Keyed,
    Outcome,
    Refused,
    Transport,
)

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

Security: TypeAlias = Literal["starttls", "tls", "none"]
SECURITY: tuple[Security, ...] = ("starttls", "tls", "none")
_STAGES = {
    "connect": "connecting",
    "EHLO": "the EHLO greeting",
    "STARTTLS": "STARTTLS",
    "login": "the login",
}


EXCHANGE_TIMEOUTS = 4  # an exchange may take this many `timeout`s, all its reads together


class _Watchdog:
    """Ends an exchange that outlasts `seconds` by shutting its socket down (from a timer
    thread: a blocked read then returns at once), and remembers that it did."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.fired = False
        self._timer: threading.Timer | None = None

    def start(self, sock: Callable[[], socket.socket | None]) -> None:
        self.stop()
        self.fired = False

        def fire() -> None:
            self.fired = True
            current = sock()
            if current is not None:
                with contextlib.suppress(OSError):
                    current.shutdown(socket.SHUT_RDWR)

        self._timer = threading.Timer(self.seconds, fire)
        self._timer.daemon = True
        self._timer.start()

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None


class _Client(smtplib.SMTP):
    """smtplib's client, noting when a message's data begins to go out, with a watchdog on
    the exchange from the moment the socket connects."""

    data_started = False

    def __init__(self, *args: Any, watchdog: _Watchdog, **kwargs: Any) -> None:
        self.watchdog = watchdog
        super().__init__(*args, **kwargs)

    def _get_socket(self, host: str, port: int, timeout: float) -> socket.socket:
        connected: socket.socket = super()._get_socket(host, port, timeout)  # type: ignore[misc]
        self.watchdog.start(lambda: self.sock or connected)
        return connected

    def data(self, msg: ReadableBuffer | str) -> tuple[int, bytes]:
        self.data_started = True
        return super().data(msg)


class _TlsClient(_Client, smtplib.SMTP_SSL):
    """The same, on a connection that is TLS from the start (`security = "tls"`)."""


class _CannotConnect(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class _Attempt:
    outcome: Outcome
    lost: str | None = None  # why the connection is gone, if it is
    never_sent: bool = False  # the message surely did not go out


class SmtpTransport(Transport):
    """SMTP to `host`:`port`; `security` "starttls" (upgrade after connecting), "tls" (TLS
    from the first byte, usually port 465) or "none". AUTH when `username` is given.
    `ssl_context` defaults to the system's trust store with host-name checks.
    """

    def __init__(
        self,
        host: str,
        port: int,
        security: Security,
        username: str | None,
        password: str | None,
        timeout: float,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        if security not in SECURITY:
            raise ValueError(f"security must be one of {', '.join(SECURITY)}, not {security!r}")
        if not timeout > 0:
            raise ValueError(f"the timeout must be a positive number of seconds, not {timeout!r}")
        self.host = host
        self.port = port
        self.security = security
        self.username = username or None
        self.timeout = timeout
        self.ssl_context = ssl_context
        self._password = password or ""
        self._secrets = _secret_forms(self.username or "", self._password)

    def __repr__(self) -> str:
        return (
            f"SmtpTransport(host={self.host!r}, port={self.port}, security={self.security!r}, "
            f"username={self.username!r}, timeout={self.timeout:g})"
        )

    @property
    def where(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"

    def send_each(self, messages: Iterable[Keyed]) -> Iterator[Outcome]:
        batch = _Batch(self)
        try:
            for key, message in messages:
                yield batch.send(key, message)
        finally:
            batch.close()

    def check(self) -> str | None:
        """Connect, secure and log in, then quit without sending: None, or what went wrong."""
        try:
            client = self._open()
        except _CannotConnect as exc:
            return exc.reason
        _quit(client)
        return None

    def _open(self) -> _Client:
        """An open, secured and logged-in connection; `_CannotConnect` says why not."""
        context = self.ssl_context or ssl.create_default_context()
        client: _Client | None = None
        stage = "connect"
        watchdog = _Watchdog(self.exchange_seconds)
        try:
            if self.security == "tls":
                client = _TlsClient(
                    self.host, self.port, timeout=self.timeout, context=context, watchdog=watchdog
                )
            else:
                client = _Client(self.host, self.port, timeout=self.timeout, watchdog=watchdog)
            stage = "EHLO"
            client.ehlo_or_helo_if_needed()
            if self.security == "starttls":
                stage = "STARTTLS"
                code, text = client.starttls(context=context)
                if code != 220:
                    raise smtplib.SMTPResponseException(code, text)
                stage = "EHLO"
                client.ehlo_or_helo_if_needed()
            if self.username is not None:
                stage = "login"
                client.login(self.username, self._password)
        except Exception as exc:
            watchdog.stop()
            if client is not None:
                client.close()
            if watchdog.fired:  # a greeting cut off can look whole: the stage may be later
                reason = (
                    f"the mail server {self.where} did not answer in full within "
                    f"{self.exchange_seconds:g} s (connecting and logging in)"
                )
            else:
                reason = self._explain(exc, stage)
            raise _CannotConnect(self._clean(reason)) from None
        watchdog.stop()
        return client

    @property
    def exchange_seconds(self) -> float:
        return EXCHANGE_TIMEOUTS * self.timeout

    def _clean(self, text: str) -> str:
        """`text` with the password, in any form a server might echo, blotted out."""
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text

    def _explain(self, exc: Exception, stage: str) -> str:
        where, doing = self.where, _STAGES[stage]
        if isinstance(exc, smtplib.SMTPResponseException):
            return self._explain_reply(exc, doing)
        if isinstance(exc, smtplib.SMTPNotSupportedError):
            if stage == "STARTTLS":
                return f"the mail server {where} does not offer STARTTLS"
            return f"the mail server {where} offers no login (AUTH) on this connection"
        if isinstance(exc, ssl.SSLCertVerificationError):
            return (
                f"TLS with the mail server {where} failed: its certificate is not trusted "
                f"({exc.verify_message})"
            )
        if isinstance(exc, ssl.SSLError):
            return f"TLS with the mail server {where} failed ({_ssl_problem(exc)})"
        if _timed_out(exc):
            return f"the mail server {where} did not answer within {self.timeout:g} s ({doing})"
        if isinstance(exc, smtplib.SMTPServerDisconnected):
            return f"the mail server {where} closed the connection ({doing})"
        if isinstance(exc, ConnectionRefusedError):
            return f"cannot connect to the mail server {where}: nothing accepts connections there"
        if isinstance(exc, socket.gaierror):
            return f"cannot connect to the mail server {where}: its name was not found"
        if isinstance(exc, smtplib.SMTPException):
            return f"the mail server {where} failed {doing}: {exc}"
        if isinstance(exc, OSError):
            return f"cannot connect to the mail server {where}: {exc.strerror or exc}"
        return f"cannot use the mail server {where} ({doing}): {type(exc).__name__}: {exc}"

    def _explain_reply(self, exc: smtplib.SMTPResponseException, doing: str) -> str:
        where, reply = self.where, _said(exc.smtp_code, exc.smtp_error)
        if isinstance(exc, smtplib.SMTPAuthenticationError):
            return f"the mail server {where} refused the login for user {self.username!r}: {reply}"
        if isinstance(exc, smtplib.SMTPConnectError):
            return f"the mail server {where} refused the connection: {reply}"
        return f"the mail server {where} answered {reply} to {doing}"


class _Batch:
    """One batch's connection, and what became of it."""

    def __init__(self, transport: SmtpTransport) -> None:
        self.transport = transport
        self.client: _Client | None = None
        self.completed = 0  # messages the current connection has answered for
        self.stopped: str | None = None  # why the rest of the batch is not tried

    def send(self, key: str, message: EmailMessage) -> Outcome:
        while self.stopped is None:
            if self.client is None:
                try:
                    self.client = self.transport._open()
                except _CannotConnect as exc:
                    self.stopped = exc.reason
                    break
                self.completed = 0
            attempt = self._deliver(self.client, key, message)
            if attempt.lost is None:
                self.completed += 1
                return attempt.outcome
            had_worked = self.completed > 0
            self.close()
            if not had_worked:
                self.stopped = (
                    f"not tried: the connection to the mail server {self.transport.where} "
                    f"was lost ({attempt.lost})"
                )
            if not (had_worked and attempt.never_sent):
                return attempt.outcome
            # A connection that worked was closed before this message went out: resend it
            # once on a new connection, which stops the batch if it fails the same way.
        return Failed(key, self.stopped)

    def close(self) -> None:
        if self.client is not None:
            _quit(self.client)
            self.client = None

    def _deliver(self, client: _Client, key: str, message: EmailMessage) -> _Attempt:
        """One message's exchange, under the watchdog."""
        client.watchdog.start(lambda: client.sock)
        try:
            return self._exchange(client, key, message)
        finally:
            client.watchdog.stop()

    def _lost(self, exc: OSError | None, client: _Client) -> str:
        """Why the connection was lost mid-message, in a few words."""
        if client.watchdog.fired:
            return f"no whole answer within {self.transport.exchange_seconds:g} s"
        if exc is None or _timed_out(exc):
            return f"no answer within {self.transport.timeout:g} s"
        if isinstance(exc, smtplib.SMTPServerDisconnected):
            return "the server closed it"
        return f"{type(exc).__name__}: {exc.strerror or exc}"

    def _exchange(self, client: _Client, key: str, message: EmailMessage) -> _Attempt:
        clean = self.transport._clean
        recipients = _recipients(message)
        if not recipients:
            return _Attempt(Refused(key, "the message names no recipient", permanent=True))
        client.data_started = False
        try:
            refused = client.send_message(message, to_addrs=recipients)
        except smtplib.SMTPRecipientsRefused as exc:
            return _refusal(key, exc.recipients, clean)
        except smtplib.SMTPSenderRefused as exc:
            reply = _said(exc.smtp_code, exc.smtp_error)
            reason = f"the mail server refused the sender {exc.sender}: {reply}"
            return _replied(key, exc.smtp_code, clean(reason))
        except smtplib.SMTPDataError as exc:
            reason = f"the mail server refused the message: {_said(exc.smtp_code, exc.smtp_error)}"
            return _replied(key, exc.smtp_code, clean(reason))
        except smtplib.SMTPNotSupportedError as exc:
            unicode = [a for a in recipients if not a.isascii()]
            detail = f"{', '.join(unicode)} needs SMTPUTF8" if unicode else str(exc)
            reason = f"the mail server cannot take this message: {detail}"
            if unicode:
                reason += ", which the mail server does not offer"
            return _Attempt(Refused(key, clean(reason), permanent=True))
        except smtplib.SMTPResponseException as exc:
            reason = f"the mail server answered {_said(exc.smtp_code, exc.smtp_error)}"
            return _replied(key, exc.smtp_code, clean(reason))
        except OSError as exc:  # smtplib's own errors are OSErrors too
            return self._broken(client, key, self._lost(exc, client))
        if client.watchdog.fired:  # a reply cut off mid-line can look whole: trust none of it
            return self._broken(client, key, self._lost(None, client))
        if refused:
            return _refusal(key, refused, clean)
        return _Attempt(Delivered(key))

    def _broken(self, client: _Client, key: str, lost: str) -> _Attempt:
        """The message's outcome when its connection broke: in doubt once its data went out."""
        clean, where = self.transport._clean, self.transport.where
        sent = client.data_started
        fate = (
            "while the message was going out, so it may have been delivered"
            if sent
            else "before the message went out, so it was not delivered"
        )
        reason = f"the connection to the mail server {where} was lost ({lost}) {fate}"
        failed = Failed(key, clean(reason), maybe_delivered=sent)
        return _Attempt(failed, lost=clean(lost), never_sent=not sent)


def _refusal(
    key: str, refused: Mapping[str, tuple[int, bytes]], clean: Callable[[str], str]
) -> _Attempt:
    codes = [code for code, _ in refused.values()]
    said = "; ".join(f"{address}: {_said(code, text)}" for address, (code, text) in refused.items())
    outcome = Refused(key, clean(f"the mail server refused {said}"), all(c >= 500 for c in codes))
    return _closing(outcome, codes)


def _replied(key: str, code: int, reason: str) -> _Attempt:
    return _closing(Refused(key, reason, permanent=code >= 500), [code])


def _closing(outcome: Refused, codes: list[int]) -> _Attempt:
    # 421: the server is closing the connection (smtplib has closed it); nothing was taken.
    if 421 in codes:
        return _Attempt(outcome, lost="the server closed it with 421", never_sent=True)
    return _Attempt(outcome)


def _recipients(message: EmailMessage) -> list[str]:
    found: list[str] = []
    for name in ("To", "Cc", "Bcc"):
        for header in message.get_all(name, []):
            addresses: tuple[Address, ...] | None = getattr(header, "addresses", None)
            if addresses is not None:
                found.extend(a.addr_spec for a in addresses)
            else:
                found.extend(addr for _, addr in getaddresses([str(header)]) if addr)
    return found


def _said(code: int, text: bytes | str) -> str:
    """A server's reply on one line: `550 5.1.1 no such user`."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return " ".join(f"{code} {text}".split())


def _ssl_problem(exc: ssl.SSLError) -> str:
    if exc.reason in {"WRONG_VERSION_NUMBER", "RECORD_LAYER_FAILURE", "UNKNOWN_PROTOCOL"}:
        return f"{exc.reason}: the server does not speak TLS there"
    return str(exc.reason or exc)


def _timed_out(exc: BaseException) -> bool:
    """Whether `exc` or an error it was raised from is a timeout (smtplib rewraps them)."""
    seen: BaseException | None = exc
    for _ in range(8):
        if seen is None:
            return False
        if isinstance(seen, TimeoutError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _secret_forms(username: str, password: str) -> tuple[str, ...]:
    """The password as a server could echo it: plain, and as AUTH LOGIN / PLAIN send it."""
    if not password:
        return ()

    def b64(text: str) -> str:
        return base64.b64encode(text.encode("utf-8")).decode("ascii")

    forms = {password, b64(password), b64(f"\0{username}\0{password}")}
    return tuple(sorted(forms, key=len, reverse=True))


def _quit(client: smtplib.SMTP) -> None:
    try:
        client.quit()
    except (smtplib.SMTPException, OSError):
        client.close()
