"""SmtpTransport against a real SMTP server on 127.0.0.1 (aiosmtpd), and servers that fail."""

from __future__ import annotations

import base64
import logging
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.smtp import AuthResult
from smtp_fixtures import (
    PASSWORD,
    USER,
    Recorder,
    Server,
    client_context,
    closed_port,
    silent_server,
    smtp_server,
    trickling_server,
)

from sheets_sync.adapters.mail import (
    Delivered,
    Failed,
    Keyed,
    Letter,
    Outcome,
    Refused,
    SmtpTransport,
    build_message,
)
from tests.silence import SILENCE, WELL_BEFORE_THE_SILENCE_ENDS

NOW = datetime(2026, 11, 23, 7, 0, tzinfo=timezone(timedelta(hours=-5)))
SENDER = "Family Partnerships <partnerships@district.org>"
PEOPLE = ["ann@district.org", "bob@district.org", "cy@district.org", "dee@district.org"]


def keyed(address: str, name: str = "") -> Keyed:
    key = f"facilitator-digest / {address} / 2026-W48"
    letter = Letter(
        key=key,
        kind="facilitator-digest",
        to=address,
        to_name=name or address.split("@", maxsplit=1)[0].title(),
        subject="Your schools this week",
        text=f"Hello {address}: two schools need a contact.\n",
        html=f"<p>Hello {address}: <b>two schools</b> need a contact.</p>\n",
    )
    return key, build_message(letter, SENDER, "Mary Ortiz <mary@district.org>", NOW)


def batch(addresses: list[str] = PEOPLE) -> list[Keyed]:
    return [keyed(a) for a in addresses]


def plain(server: Server, timeout: float = 5) -> SmtpTransport:
    return SmtpTransport(server.host, server.port, "none", None, None, timeout)


def keys(outcomes: list[Outcome]) -> list[str]:
    return [o.key for o in outcomes]


def reasons(outcomes: list[Outcome]) -> list[str]:
    return [o.reason for o in outcomes if isinstance(o, Refused | Failed)]


@pytest.fixture
def server() -> Iterator[Server]:
    with smtp_server() as running:
        yield running


def test_each_message_arrives_once_with_its_headers_and_parts(server: Server) -> None:
    """Every message of a batch arrives once, to its recipient, with its headers and both parts."""
    messages = batch()
    outcomes = plain(server).send(messages)
    assert outcomes == [Delivered(key) for key, _ in messages]
    assert [r.rcpt_tos for r in server.received] == [[a] for a in PEOPLE]
    assert {r.mail_from for r in server.received} == {"partnerships@district.org"}
    for (_, sent), received in zip(messages, server.received, strict=True):
        got = received.message
        for name in ("From", "To", "Reply-To", "Subject", "Date", "Message-ID"):
            assert str(got[name]) == str(sent[name])
        parts = [p.get_content_type() for p in got.iter_parts()]
        assert parts == ["text/plain", "text/html"]
        html = got.get_body(("html",))
        assert html is not None
        assert "<b>two schools</b>" in html.get_content()


def test_one_connection_for_the_whole_batch(server: Server) -> None:
    """A batch uses one connection, however many messages it has."""
    plain(server).send(batch([f"person{i}@district.org" for i in range(25)]))
    assert len(server.received) == 25
    assert server.recorder.connections == 1


def test_a_refused_recipient_does_not_stop_the_others() -> None:
    """A 550 for one recipient is a permanent refusal; the others are delivered."""
    recorder = Recorder(refuse={"bob@district.org": "550 5.1.1 <bob@district.org>: no such user"})
    with smtp_server(recorder=recorder) as server:
        outcomes = plain(server).send(batch())
    assert outcomes[1] == Refused(
        outcomes[1].key,
        "the mail server refused bob@district.org: 550 5.1.1 <bob@district.org>: no such user",
        permanent=True,
    )
    assert [type(o) for o in outcomes] == [Delivered, Refused, Delivered, Delivered]
    assert [r.rcpt_tos[0] for r in server.received] == [PEOPLE[0], PEOPLE[2], PEOPLE[3]]


def test_a_4xx_refusal_is_temporary() -> None:
    """A 450 is reported as a temporary refusal (the next run tries again)."""
    recorder = Recorder(refuse={"cy@district.org": "450 4.2.1 mailbox busy, try later"})
    with smtp_server(recorder=recorder) as server:
        outcomes = plain(server).send(batch())
    assert outcomes[2] == Refused(
        outcomes[2].key,
        "the mail server refused cy@district.org: 450 4.2.1 mailbox busy, try later",
        permanent=False,
    )
    assert len(server.received) == 3


def test_the_server_down_fails_every_message_with_one_clear_reason(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Nothing listening: every message Failed, saying so, and no traceback anywhere."""
    port = closed_port()
    outcomes = SmtpTransport("127.0.0.1", port, "starttls", USER, PASSWORD, 5).send(batch())
    reason = (
        f"cannot connect to the mail server 127.0.0.1:{port}: nothing accepts connections there"
    )
    assert outcomes == [Failed(key, reason) for key, _ in batch()]
    assert capsys.readouterr() == ("", "")


def test_a_silent_server_is_bounded_by_the_timeout() -> None:
    """A server that accepts and never answers costs one timeout, not one per message."""
    with silent_server() as port:
        started = time.monotonic()
        outcomes = SmtpTransport("127.0.0.1", port, "starttls", None, None, 0.3).send(batch())
        elapsed = time.monotonic() - started
    reason = f"the mail server 127.0.0.1:{port} did not answer within 0.3 s (connecting)"
    assert outcomes == [Failed(key, reason, maybe_delivered=False) for key, _ in batch()]
    assert elapsed < WELL_BEFORE_THE_SILENCE_ENDS


def test_a_silent_tls_server_is_bounded_by_the_timeout() -> None:
    """The TLS handshake with a silent server is bounded by the timeout too."""
    with silent_server() as port:
        started = time.monotonic()
        outcomes = SmtpTransport("127.0.0.1", port, "tls", None, None, 0.3).send(batch())
        elapsed = time.monotonic() - started
    assert (
        reasons(outcomes)
        == [f"the mail server 127.0.0.1:{port} did not answer within 0.3 s (connecting)"] * 4
    )
    assert elapsed < WELL_BEFORE_THE_SILENCE_ENDS


def test_a_server_that_stalls_mid_message_fails_it_and_the_rest() -> None:
    """No reply to a message's data within the timeout: it may have arrived; the rest wait."""
    with smtp_server(recorder=Recorder(stall_in_data=SILENCE)) as server:
        started = time.monotonic()
        outcomes = plain(server, timeout=0.3).send(batch())
        elapsed = time.monotonic() - started
    where = f"127.0.0.1:{server.port}"
    assert [o.maybe_delivered for o in outcomes if isinstance(o, Failed)] == [True] + [False] * 3
    assert reasons(outcomes) == [
        f"the connection to the mail server {where} was lost (no answer within 0.3 s) "
        "while the message was going out, so it may have been delivered",
        *[f"not tried: the connection to the mail server {where} was lost (no answer within 0.3 s)"]
        * 3,
    ]
    assert elapsed < WELL_BEFORE_THE_SILENCE_ENDS


def test_a_connection_cut_mid_batch_reconnects_for_the_rest() -> None:
    """A cut after messages went through: the one in flight is in doubt, the rest delivered."""
    with smtp_server(recorder=Recorder(drop_in_data={"bob@district.org"})) as server:
        outcomes = plain(server).send(batch())
    assert [type(o) for o in outcomes] == [Delivered, Failed, Delivered, Delivered]
    assert [o.maybe_delivered for o in outcomes if isinstance(o, Failed)] == [True]
    assert reasons(outcomes) == [
        f"the connection to the mail server 127.0.0.1:{server.port} was lost (the server "
        "closed it) while the message was going out, so it may have been delivered"
    ]
    assert server.recorder.connections == 2
    assert [r.rcpt_tos[0] for r in server.received] == PEOPLE  # bob's did arrive


def test_a_connection_cut_on_the_first_message_stops_the_batch() -> None:
    """A connection that never delivered anything is not tried again: the rest fail untried."""
    with smtp_server(recorder=Recorder(drop_in_data={"ann@district.org"})) as server:
        outcomes = plain(server).send(batch())
    assert [type(o) for o in outcomes] == [Failed] * 4
    assert [o.maybe_delivered for o in outcomes if isinstance(o, Failed)] == [True] + [False] * 3
    assert (
        reasons(outcomes)[1:]
        == [
            f"not tried: the connection to the mail server 127.0.0.1:{server.port} was lost "
            "(the server closed it)"
        ]
        * 3
    )
    assert server.recorder.connections == 1


def test_a_cut_before_the_data_resends_on_a_new_connection() -> None:
    """A cut before a message went out, on a connection that worked: resent once, delivered."""
    with smtp_server(recorder=Recorder(drop_in_rcpt={"bob@district.org"})) as server:
        outcomes = plain(server).send(batch())
    assert outcomes == [Delivered(key) for key, _ in batch()]
    assert [r.rcpt_tos[0] for r in server.received] == PEOPLE
    assert server.recorder.connections == 2


def test_a_cut_before_the_first_data_is_surely_not_delivered() -> None:
    """A cut before the first message went out: Failed, surely not delivered; the rest untried."""
    with smtp_server(recorder=Recorder(drop_in_rcpt={"ann@district.org"})) as server:
        outcomes = plain(server).send(batch())
    first = outcomes[0]
    assert first == Failed(
        first.key,
        f"the connection to the mail server 127.0.0.1:{server.port} was lost (the server "
        "closed it) before the message went out, so it was not delivered",
        maybe_delivered=False,
    )
    assert [type(o) for o in outcomes] == [Failed] * 4
    assert server.received == []


def test_a_server_that_closes_after_n_messages_still_gets_the_batch() -> None:
    """A 421 after two messages per connection: the transport reconnects and resends that one."""
    with smtp_server(recorder=Recorder(per_connection=2)) as server:
        outcomes = plain(server).send(batch([f"p{i}@district.org" for i in range(5)]))
    assert all(isinstance(o, Delivered) for o in outcomes)
    assert [r.rcpt_tos[0] for r in server.received] == [f"p{i}@district.org" for i in range(5)]
    assert server.recorder.connections == 3


@pytest.mark.parametrize("mechanism", ["LOGIN", "PLAIN"])
def test_starttls_and_login(mechanism: str) -> None:
    """STARTTLS with the test certificate, then AUTH with either mechanism, then delivery."""
    with smtp_server(tls="starttls", auth=True, mechanisms=(mechanism,)) as server:
        transport = SmtpTransport(
            server.host, server.port, "starttls", USER, PASSWORD, 5, client_context()
        )
        assert transport.send(batch()) == [Delivered(k) for k, _ in batch()]
        assert len(server.received) == 4


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
def test_implicit_tls_and_login() -> None:
    """security = "tls": TLS from the first byte, then AUTH, then delivery."""
    with smtp_server(tls="tls", auth=True) as server:
        transport = SmtpTransport(
            server.host, server.port, "tls", USER, PASSWORD, 5, client_context()
        )
        assert transport.send(batch()) == [Delivered(k) for k, _ in batch()]


def secret_forms() -> list[str]:
    b64 = base64.b64encode
    return [
        PASSWORD,
        b64(PASSWORD.encode()).decode(),
        b64(f"\0{USER}\0{PASSWORD}".encode()).decode(),
    ]


def test_a_wrong_password_fails_clearly_and_never_shows_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A refused login fails the batch saying so, and no outcome, repr or log shows the password."""
    caplog.set_level(logging.DEBUG)
    wrong = "Wr0ng-pa55word-42"
    with smtp_server(tls="starttls", auth=True) as server:
        transport = SmtpTransport(
            server.host, server.port, "starttls", USER, wrong, 5, client_context()
        )
        outcomes = transport.send(batch())
        checked = transport.check()
    reason = (
        f"the mail server 127.0.0.1:{server.port} refused the login for user "
        f"'{USER}': 535 5.7.8 Authentication credentials invalid"
    )
    assert reasons(outcomes) == [reason] * 4
    assert checked == reason
    ours = [r.getMessage() for r in caplog.records if not r.name.startswith("mail.log")]
    texts = [repr(transport), str(transport), *map(repr, outcomes), *ours]
    b64 = base64.b64encode
    for form in (wrong, b64(wrong.encode()).decode(), b64(f"\0{USER}\0{wrong}".encode()).decode()):
        assert not any(form in text for text in texts)


def test_a_password_echoed_by_the_server_is_blotted_out() -> None:
    """Even a server that repeats the password back does not get it into a reason."""

    def echo(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        text = f"535 5.7.8 bad password {data.password.decode()} {secret_forms()[1]}"
        return AuthResult(success=False, handled=False, message=text)

    with smtp_server(tls="starttls", auth=True, authenticator=echo) as server:
        transport = SmtpTransport(
            server.host, server.port, "starttls", USER, PASSWORD, 5, client_context()
        )
        outcomes = transport.send(batch())
    (reason,) = set(reasons(outcomes))
    assert reason.endswith("535 5.7.8 bad password *** ***")
    assert not any(form in reason for form in secret_forms())


def test_a_password_in_a_refusal_is_blotted_out() -> None:
    """A recipient refusal that quotes the password reaches the outcome without it."""
    recorder = Recorder(refuse={"bob@district.org": f"550 5.7.1 not with {PASSWORD}"})
    with smtp_server(tls="starttls", auth=True, recorder=recorder) as server:
        transport = SmtpTransport(
            server.host, server.port, "starttls", USER, PASSWORD, 5, client_context()
        )
        outcomes = transport.send(batch())
    assert reasons(outcomes) == ["the mail server refused bob@district.org: 550 5.7.1 not with ***"]


def test_an_untrusted_certificate_is_a_clear_tls_failure() -> None:
    """With the system's trust store, the self-signed test certificate fails verification."""
    with smtp_server(tls="starttls", auth=True) as server:
        outcomes = SmtpTransport(server.host, server.port, "starttls", USER, PASSWORD, 5).send(
            batch()
        )
    assert (
        reasons(outcomes)
        == [
            f"TLS with the mail server 127.0.0.1:{server.port} failed: its certificate is not "
            "trusted (self-signed certificate)"
        ]
        * 4
    )


def test_starttls_missing_is_a_clear_failure(server: Server) -> None:
    """A server that does not offer STARTTLS is not sent to in the clear."""
    outcomes = SmtpTransport(server.host, server.port, "starttls", None, None, 5).send(batch())
    assert (
        reasons(outcomes)
        == [f"the mail server 127.0.0.1:{server.port} does not offer STARTTLS"] * 4
    )
    assert server.received == []


def test_implicit_tls_against_a_plain_server_says_so(server: Server) -> None:
    """security = "tls" on a port that speaks plain SMTP says the server does not speak TLS."""
    (reason, *_) = reasons(
        SmtpTransport(server.host, server.port, "tls", None, None, 5).send(batch())
    )
    assert reason.startswith(f"TLS with the mail server 127.0.0.1:{server.port} failed (")
    assert reason.endswith(": the server does not speak TLS there)")


def test_a_login_on_a_server_without_auth_is_a_clear_failure(server: Server) -> None:
    """A username for a server that offers no AUTH says that no login is offered."""
    outcomes = SmtpTransport(server.host, server.port, "none", USER, PASSWORD, 5).send(batch())
    assert set(reasons(outcomes)) == {
        f"the mail server 127.0.0.1:{server.port} offers no login (AUTH) on this connection"
    }


def test_check_connects_and_logs_in_without_sending() -> None:
    """check() says None when connecting, STARTTLS and the login all work, and sends nothing."""
    with smtp_server(tls="starttls", auth=True) as server:
        transport = SmtpTransport(
            server.host, server.port, "starttls", USER, PASSWORD, 5, client_context()
        )
        assert transport.check() is None
        assert server.received == []


def test_send_each_takes_each_message_just_before_sending_it(server: Server) -> None:
    """Each pair is taken only when it is sent, and its outcome comes before the next is taken."""
    events: list[str] = []

    def pending() -> Iterator[Keyed]:
        for key, message in batch():
            events.append(f"pending {key}")
            yield key, message

    for outcome in plain(server).send_each(pending()):
        events.append(f"outcome {outcome.key}, {len(server.received)} received")
    assert events == [
        line
        for n, (key, _) in enumerate(batch(), start=1)
        for line in (f"pending {key}", f"outcome {key}, {n} received")
    ]


def test_leaving_early_sends_nothing_more(server: Server) -> None:
    """Breaking out of send_each stops the batch: pairs not yet taken are never sent."""
    taken: list[str] = []

    def pairs() -> Iterator[Keyed]:
        for key, message in batch():
            taken.append(key)
            yield key, message

    outcomes = plain(server).send_each(pairs())
    first = next(outcomes)
    outcomes.close()
    assert isinstance(first, Delivered)
    assert taken == [first.key]
    assert len(server.received) == 1


def test_an_empty_batch_does_not_connect() -> None:
    """Nothing to send: no connection is attempted, so a down server costs nothing."""
    assert SmtpTransport("127.0.0.1", closed_port(), "starttls", None, None, 5).send([]) == []


def test_bad_settings_are_refused() -> None:
    """An unknown security mode or a non-positive timeout is a ValueError at construction."""
    with pytest.raises(ValueError, match="security must be one of starttls, tls, none"):
        # A value from an unchecked config, which the type alone would not catch.
        SmtpTransport("localhost", 25, "ssl", None, None, 5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="timeout must be a positive number"):
        SmtpTransport("localhost", 25, "none", None, None, 0)


@pytest.mark.parametrize("smtputf8", [True, False])
def test_a_non_ascii_mailbox_needs_smtputf8(smtputf8: bool) -> None:
    """A mailbox name in Unicode goes out where the server offers SMTPUTF8, else is refused."""
    with smtp_server(smtputf8=smtputf8) as server:
        (outcome, after) = plain(server).send(
            [keyed("zoë@district.org"), keyed("ann@district.org")]
        )
    assert isinstance(after, Delivered)
    if smtputf8:
        assert outcome == Delivered(outcome.key)
        assert server.received[0].rcpt_tos == ["zoë@district.org"]
    else:
        assert outcome == Refused(
            outcome.key,
            "the mail server cannot take this message: zoë@district.org needs SMTPUTF8, "
            "which the mail server does not offer",
            permanent=True,
        )


def test_a_message_with_no_recipient_is_refused_without_the_server(server: Server) -> None:
    """A message without To is a permanent refusal, and the batch goes on."""
    empty = EmailMessage()
    empty["From"] = SENDER
    empty.set_content("hi")
    outcomes = plain(server).send([("nobody", empty), keyed("ann@district.org")])
    assert outcomes[0] == Refused("nobody", "the message names no recipient", permanent=True)
    assert isinstance(outcomes[1], Delivered)


@pytest.mark.slow  # a second of real waiting each: CI runs them
def test_a_reply_trickled_a_byte_at_a_time_is_cut_off_as_a_whole() -> None:
    """Each byte of the reply to DATA comes within the 0.25 s timeout, but the reply would
    take 4 s: the exchange ends at 1 s (4 timeouts), the message in doubt, the rest not tried."""
    with trickling_server(step=0.1) as port:
        started = time.monotonic()
        outcomes = SmtpTransport("127.0.0.1", port, "none", None, None, 0.25).send(batch())
        elapsed = time.monotonic() - started
    where = f"127.0.0.1:{port}"
    assert reasons(outcomes) == [
        f"the connection to the mail server {where} was lost (no whole answer within 1 s) "
        "while the message was going out, so it may have been delivered",
        *[f"not tried: the connection to the mail server {where} was lost (no whole answer "
          "within 1 s)"] * 3,
    ]  # fmt: skip
    assert [o.maybe_delivered for o in outcomes if isinstance(o, Failed)] == [True] + [False] * 3
    assert elapsed < WELL_BEFORE_THE_SILENCE_ENDS


@pytest.mark.slow
def test_a_greeting_trickled_a_byte_at_a_time_is_cut_off_as_a_whole() -> None:
    """The same for the server's greeting (30 bytes, 3 s): connecting fails at 1 s."""
    with trickling_server(greeting=True, step=0.1) as port:
        started = time.monotonic()
        problem = SmtpTransport("127.0.0.1", port, "none", None, None, 0.25).check()
        elapsed = time.monotonic() - started
    assert problem == (
        f"the mail server 127.0.0.1:{port} did not answer in full within 1 s "
        "(connecting and logging in)"
    )
    assert elapsed < WELL_BEFORE_THE_SILENCE_ENDS
