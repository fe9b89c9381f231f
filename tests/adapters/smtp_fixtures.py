"""A real SMTP server on 127.0.0.1 (aiosmtpd) for the mail tests, and servers that misbehave.

`smtp_server(...)` runs aiosmtpd in a thread on a port of its own: plain, with STARTTLS, or
TLS from the first byte, with or without AUTH (LOGIN and PLAIN, one user and password). Its
`Recorder` keeps every message it accepted and refuses the recipients it is told to, with
the reply it is given. The certificate is made here, self-signed for 127.0.0.1 and
localhost; `client_context()` trusts it and nothing else.
"""

from __future__ import annotations

import asyncio
import datetime
import ipaddress
import socket
import ssl
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

USER = "sheets-sync@district.org"
PASSWORD = "c0rrect-h0rse-battery-staple"  # the test server's own

Tls = Literal["none", "starttls", "tls"]


@lru_cache(maxsize=1)
def certificate() -> tuple[bytes, bytes]:
    """A self-signed certificate for 127.0.0.1 and localhost, and its key (PEM), made once."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "sheets-sync test SMTP server")])
    now = datetime.datetime.now(datetime.UTC)
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(ski, critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False
        )
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return cert.public_bytes(serialization.Encoding.PEM), key_pem


def client_context() -> ssl.SSLContext:
    """A client context that trusts the test certificate (strictly checked) and nothing else."""
    context = ssl.create_default_context(cadata=certificate()[0].decode("ascii"))
    context.verify_flags |= ssl.VERIFY_X509_STRICT  # as Python 3.13's default context does
    return context


def server_context() -> ssl.SSLContext:
    cert_pem, key_pem = certificate()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    with tempfile.TemporaryDirectory() as folder:
        cert_file, key_file = Path(folder, "cert.pem"), Path(folder, "key.pem")
        cert_file.write_bytes(cert_pem)
        key_file.write_bytes(key_pem)
        context.load_cert_chain(cert_file, key_file)
    return context


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: list[str]
    content: bytes

    @property
    def message(self) -> EmailMessage:
        parsed = message_from_bytes(self.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


@dataclass
class Recorder:
    """The server's handler: keeps what it accepted, refuses what it is told to.

    `refuse` maps an address to the reply for RCPT TO (`"550 5.1.1 no such user"`).
    `per_connection` closes each connection with a 421 after that many messages.
    `drop_in_rcpt` names recipients whose RCPT TO cuts the connection, once each.
    `drop_in_data` names recipients whose message is kept and whose connection is then
    cut before the reply. `stall_in_data` is how long DATA waits before answering.
    """

    refuse: dict[str, str] = field(default_factory=dict)
    per_connection: int | None = None
    drop_in_rcpt: set[str] = field(default_factory=set)
    drop_in_data: set[str] = field(default_factory=set)
    stall_in_data: float = 0.0
    received: list[Received] = field(default_factory=list)
    connections: int = 0  # connections that sent a message

    async def handle_MAIL(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if not hasattr(session, "messages"):
            session.messages = 0
            self.connections += 1
        if self.per_connection is not None and session.messages >= self.per_connection:
            return "421 4.7.0 Too many messages on this connection, closing"
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if address.lower() in self.drop_in_rcpt:
            self.drop_in_rcpt.discard(address.lower())
            server.transport.abort()
            return "250 OK"  # never arrives
        reply = self.refuse.get(address.lower())
        if reply is not None:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        session.messages += 1
        content = envelope.original_content or envelope.content
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), content))
        if self.stall_in_data:
            await asyncio.sleep(self.stall_in_data)
        if self.drop_in_data & {a.lower() for a in envelope.rcpt_tos}:
            server.transport.abort()
        return "250 2.0.0 Message accepted for delivery"

    @property
    def recipients(self) -> list[str]:
        return [to for message in self.received for to in message.rcpt_tos]


def check_login(
    server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
) -> AuthResult:
    good = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login == USER.encode()
        and auth_data.password == PASSWORD.encode()
    )
    return AuthResult(success=good, handled=False)  # a failure answers 535 5.7.8


class _BoundController(Controller):
    """aiosmtpd's controller on a socket bound beforehand, so that port 0 can be used."""

    def __init__(self, handler: Recorder, sock: socket.socket, **kwargs: Any) -> None:
        self._sock = sock
        super().__init__(handler, hostname="127.0.0.1", port=sock.getsockname()[1], **kwargs)

    def _create_server(self) -> Any:
        return self.loop.create_server(self._factory_invoker, sock=self._sock, ssl=self.ssl_context)


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    recorder: Recorder

    @property
    def received(self) -> list[Received]:
        return self.recorder.received


@contextmanager
def smtp_server(
    *,
    tls: Tls = "none",
    auth: bool = False,
    mechanisms: tuple[str, ...] = ("LOGIN", "PLAIN"),
    recorder: Recorder | None = None,
    authenticator: Any = None,
    smtputf8: bool = True,
) -> Iterator[Server]:
    """A running aiosmtpd server on 127.0.0.1; stopped on leaving the block."""
    recorder = recorder or Recorder()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    kwargs: dict[str, Any] = {"server_hostname": "mail.district.test", "enable_SMTPUTF8": smtputf8}
    if tls == "starttls":
        kwargs.update(tls_context=server_context(), require_starttls=True)
    elif tls == "tls":
        kwargs["ssl_context"] = server_context()
    if auth:
        excluded = [m for m in ("LOGIN", "PLAIN") if m not in mechanisms]
        kwargs.update(
            authenticator=authenticator or check_login,
            auth_required=True,
            auth_require_tls=tls == "starttls",  # implicit TLS counts as plain to aiosmtpd
            auth_exclude_mechanism=excluded,
        )
    controller = _BoundController(recorder, sock, **kwargs)
    controller.start()
    try:
        yield Server("127.0.0.1", sock.getsockname()[1], recorder)
    finally:
        controller.stop()
        sock.close()


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens (it was free a moment ago)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@contextmanager
def silent_server() -> Iterator[int]:
    """A server that accepts connections and never says a word; yields its port."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.05)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except TimeoutError:
                continue
            except OSError:
                return

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join(timeout=5)
        for sock in held:
            sock.close()
        listener.close()


@contextmanager
def trickling_server(*, greeting: bool = False, step: float = 0.5) -> Iterator[int]:
    """A server that speaks SMTP but trickles a reply one byte every `step` seconds: its
    greeting (`greeting`), else its answer to a message's data. Yields its port."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    stop = threading.Event()

    def say(conn: socket.socket, line: bytes, slowly: bool = False) -> None:
        for byte in [line[i : i + 1] for i in range(len(line))] if slowly else [line]:
            if stop.is_set():
                return
            conn.sendall(byte)
            if slowly:
                stop.wait(step)

    def serve(conn: socket.socket) -> None:
        with conn, conn.makefile("rb") as lines:
            say(conn, b"220 mail.district.test ESMTP\r\n", slowly=greeting)
            for line in lines:
                verb = line[:4].upper()
                if verb in (b"EHLO", b"HELO"):
                    say(conn, b"250 mail.district.test\r\n")
                elif verb in (b"MAIL", b"RCPT", b"RSET", b"NOOP"):
                    say(conn, b"250 OK\r\n")
                elif verb == b"DATA":
                    say(conn, b"354 go ahead\r\n")
                    for body in lines:
                        if body == b".\r\n":
                            break
                    say(conn, b"250 2.0.0 Message accepted for delivery\r\n", slowly=True)
                elif verb == b"QUIT":
                    say(conn, b"221 bye\r\n")
                    return

    def accept() -> None:
        while not stop.is_set():
            try:
                conn = listener.accept()[0]
            except OSError:
                return
            threading.Thread(target=serve, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        listener.close()
