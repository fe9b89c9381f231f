"""build_message: the headers and parts of every email, and no way to inject a header."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from email import message_from_bytes, policy
from email.header import decode_header, make_header
from email.message import EmailMessage
from email.utils import format_datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sheets_sync.adapters.mail import Letter, build_message, one_line

NOW = datetime(2026, 11, 23, 7, 0, tzinfo=timezone(timedelta(hours=-5)))
SENDER = "Family Partnerships <partnerships@district.org>"
HEADERS = ["From", "To", "Subject", "Date", "Message-ID", "Auto-Submitted", "MIME-Version"]
HEADERS += ["Content-Type"]


def letter(
    to_name: str = "Ann Lee",
    subject: str = "Your schools this week",
    to: str = "ann@district.org",
    text: str = "Two schools need a contact this week.\n",
    html: str = "<p>Two schools need a contact this week.</p>\n",
) -> Letter:
    return Letter(
        key=f"facilitator-digest / {to} / 2026-W48",
        kind="facilitator-digest",
        to=to,
        to_name=to_name,
        subject=subject,
        text=text,
        html=html,
    )


def wire(message: EmailMessage) -> bytes:
    return message.as_bytes()


def parsed(message: EmailMessage) -> EmailMessage:
    """The message as a receiving program reads it off the wire."""
    result = message_from_bytes(wire(message), policy=policy.default)
    assert isinstance(result, EmailMessage)
    return result


def raw_header(message: EmailMessage, name: str) -> str:
    """A header's value exactly as sent, unfolded."""
    head = wire(message).split(b"\r\n\r\n", 1)[0].decode("ascii")
    found = re.search(rf"^{name}: ?(.*?)(?=\r\n(?! ))", head + "\r\n", re.MULTILINE | re.DOTALL)
    assert found is not None, f"no {name} header"
    return found.group(1).replace("\r\n", "")


def decoded(message: EmailMessage, name: str) -> str:
    """A header as RFC 2047 reads it (spaces between encoded words do not count)."""
    return str(make_header(decode_header(raw_header(message, name))))


def test_headers_of_a_digest() -> None:
    """A message has From, To with the name, Subject, Date, Message-ID and Reply-To."""
    message = parsed(build_message(letter(), SENDER, "Mary Ortiz <mary@district.org>", NOW))
    assert str(message["From"]) == SENDER
    assert str(message["To"]) == "Ann Lee <ann@district.org>"
    assert str(message["Reply-To"]) == "Mary Ortiz <mary@district.org>"
    assert str(message["Subject"]) == "Your schools this week"
    assert str(message["Date"]) == format_datetime(NOW) == "Mon, 23 Nov 2026 07:00:00 -0500"
    assert re.fullmatch(r"<[^<>@\s]+@district\.org>", str(message["Message-ID"]))
    assert str(message["Auto-Submitted"]) == "auto-generated"


def test_no_reply_to_when_none_is_configured() -> None:
    """An empty reply_to leaves the Reply-To header out."""
    message = parsed(build_message(letter(), SENDER, "", NOW))
    assert list(message.keys()) == HEADERS


def test_every_message_gets_its_own_message_id() -> None:
    """Two messages built from one letter carry different Message-IDs."""
    first = build_message(letter(), SENDER, "", NOW)
    second = build_message(letter(), SENDER, "", NOW)
    assert first["Message-ID"] != second["Message-ID"]


def test_plain_text_first_then_html() -> None:
    """The body is multipart/alternative: the plain text, then the HTML, both intact."""
    text = "Café Lumière is overdue: 34 days since the last contact.\n"
    html = "<p>Caf&eacute; Lumi\u00e8re is <b>overdue</b>.</p>\n"
    message = parsed(build_message(letter(text=text, html=html), SENDER, "", NOW))
    assert message.get_content_type() == "multipart/alternative"
    parts = list(message.iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
    assert [p.get_content().replace("\r\n", "\n") for p in parts] == [text, html]


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Short ASCII lines.\nTwo of them.\n", "7bit"),
        ("Café Lumière\n", "quoted-printable"),
        ("x" * 79 + "\n", "quoted-printable"),
        ("", "7bit"),
    ],
)
def test_each_part_is_seven_bit_or_quoted_printable(text: str, encoding: str) -> None:
    """Short ASCII lines go as they are; anything else as quoted-printable, never 8-bit."""
    message = parsed(build_message(letter(text=text, html=text), SENDER, "", NOW))
    for part in message.iter_parts():
        assert part["Content-Transfer-Encoding"] == encoding
        assert part.get_content_charset() == "utf-8"


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=400), html=st.text(max_size=400))
def test_any_body_arrives_as_written(text: str, html: str) -> None:
    """Any text and HTML come back from the wire as written (line ends as LF, one at the end)."""
    message = parsed(build_message(letter(text=text, html=html), SENDER, "", NOW))
    got = [p.get_content().replace("\r\n", "\n") for p in message.iter_parts()]
    assert got == [_as_lines(text), _as_lines(html)]


def _as_lines(text: str) -> str:
    """`text` with its line ends (CR, LF, CRLF) as LF, ending in one."""
    return "\n".join(line.decode() for line in text.encode().splitlines()) + "\n"


def test_wire_form_is_seven_bit_crlf_with_short_lines() -> None:
    """On the wire: CRLF line ends, no 8-bit bytes, no line over 78 characters."""
    html = "<table>" + "<tr><td>Escuela Primaria José Martí</td></tr>" * 200 + "</table>"
    message = build_message(
        letter(subject="Résumé " * 30, to_name="Zoë " * 30, html=html), SENDER, "", NOW
    )
    data = wire(message)
    assert data.isascii()
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert max(len(line) for line in data.split(b"\r\n")) <= 78


def test_a_comma_in_a_name_is_quoted() -> None:
    """A display name with a comma is quoted, so it stays one recipient."""
    message = build_message(letter(to_name="Lee, Ann"), SENDER, "", NOW)
    assert raw_header(message, "To") == '"Lee, Ann" <ann@district.org>'
    assert [a.addr_spec for a in parsed(message)["To"].addresses] == ["ann@district.org"]


def test_non_ascii_headers_keep_their_spaces() -> None:
    """Non-ASCII names and subjects arrive word for word, spaces included, wherever they fold."""
    name = "José José José — de de éé xxxxxxxxxxxx école école"
    subject = "Resumen de mayo: Escuela Primaria José Martí y École Élémentaire Saint-André"
    message = build_message(letter(to_name=name, subject=subject), SENDER, "", NOW)
    assert decoded(message, "Subject") == subject
    assert decoded(message, "To") == f"{name} <ann@district.org>"


def test_a_non_ascii_sender_name_is_encoded() -> None:
    """The district's own name may carry accents; the From header stays ASCII and exact."""
    message = build_message(letter(), "Partenariats Écoles–Familles <p@district.org>", "", NOW)
    assert decoded(message, "From") == "Partenariats Écoles–Familles <p@district.org>"


def test_an_international_domain_travels_as_punycode() -> None:
    """A recipient domain in Unicode is written in its ASCII (Punycode) form."""
    message = build_message(letter(to="ana@escuela-niño.example"), SENDER, "", NOW)
    assert raw_header(message, "To") == "Ann Lee <ana@xn--escuela-nio-beb.example>"


def test_a_long_address_after_a_long_encoded_name() -> None:
    """A long address after a folded non-ASCII name stays one intact recipient."""
    address = "principal.of.the.escuela.primaria.jose.marti.elementary@schools.district.org"
    name = "Directora Año Escolar — Escuela Primaria José Martí, <Sección> Ñandú"
    message = build_message(letter(to=address, to_name=name), SENDER, "", NOW)
    assert decoded(message, "To") == f"{name} <{address}>"
    (received,) = parsed(message)["To"].addresses
    assert received.addr_spec == address


def test_a_unicode_mailbox_name_is_kept_for_smtputf8() -> None:
    """A mailbox name in Unicode is written as it is (UTF-8), for servers with SMTPUTF8."""
    message = build_message(letter(to="zoë@district.org", to_name="Zoë"), SENDER, "", NOW)
    assert "To: =?utf-8?q?Zo=C3=AB?= <zoë@district.org>\r\n" in message.as_bytes().decode()


INJECTIONS = [
    "Ann\r\nBcc: evil@attacker.example",
    "Ann\nBcc: evil@attacker.example",
    "Ann\rBcc: evil@attacker.example",
    "Ann\r\n\r\nFake body",
    "Ann <evil@attacker.example>",
    "Ann, evil@attacker.example",
    "Lee, Ann <evil@attacker.example>, Bob <bob@attacker.example>",
    '"Ann" <evil@attacker.example>,',
    "Ann\x85Bcc: evil@attacker.example",
    "Ann\u2028Bcc: evil@attacker.example",
    "Ann\u2029Bcc: evil@attacker.example",
    "Ann\x0bBcc: evil@attacker.example",
    "Ann\x0cBcc: evil@attacker.example",
    "Ann\x00Bcc: evil@attacker.example",
    "=?utf-8?q?Ann=0D=0ABcc:_evil@attacker.example?=",
    "=?utf-8?b?QW5uDQpCY2M6IGV2aWxAYXR0YWNrZXIuZXhhbXBsZQ==?=",
    "Zoë =?utf-8?q?=0D=0ABcc:_evil@attacker.example?=",
    "Ann\r\n Bcc: evil@attacker.example",
    "Zoë\r\nBcc: evil@attacker.example, ünï <evil@attacker.example>",
]


@pytest.mark.parametrize("attempt", INJECTIONS)
def test_a_name_cannot_add_headers_or_recipients(attempt: str) -> None:
    """Line breaks, angle brackets and commas in a name neither add headers nor recipients."""
    message = build_message(letter(to_name=attempt), SENDER, "", NOW)
    received = parsed(message)
    assert list(received.keys()) == HEADERS
    assert [a.addr_spec for a in received["To"].addresses] == ["ann@district.org"]
    assert b"attacker" not in wire(message).split(b"\r\nTo: ", 1)[0]
    assert not re.search(rb"\r\n(Bcc|Fake)", wire(message))


@pytest.mark.parametrize("attempt", INJECTIONS)
def test_a_subject_cannot_add_headers(attempt: str) -> None:
    """Line breaks in a subject become spaces; the subject stays one header."""
    message = build_message(letter(subject=attempt), SENDER, "", NOW)
    received = parsed(message)
    assert list(received.keys()) == HEADERS
    assert [a.addr_spec for a in received["To"].addresses] == ["ann@district.org"]
    assert decoded(message, "Subject") == one_line(attempt)


@pytest.mark.parametrize(
    "address",
    [
        "ann@district.org\r\nBcc: evil@attacker.example",
        "ann@district.org, evil@attacker.example",
        "Ann <ann@district.org>",
        "ann@district.org>",
        "",
        "ann",
        "ann@",
        "@district.org",
        "(comment)ann@district.org",
        "zo ë@district.org",
        "zoë,evil@district.org",
        "=?utf-8?q?ann=0D=0ABcc:_x?=@district.org",
    ],
)
def test_a_recipient_must_be_one_plain_address(address: str) -> None:
    """A `to` that is not exactly one address is refused before any message exists."""
    with pytest.raises(ValueError, match="the recipient is not a valid email address"):
        build_message(letter(to=address), SENDER, "", NOW)


@pytest.mark.parametrize(
    "sender",
    ["", "Family Partnerships", "a@district.org, b@district.org", "Ann <ann@>"],
)
def test_a_sender_must_be_one_address(sender: str) -> None:
    """The configured sender must name exactly one valid address."""
    with pytest.raises(ValueError, match="the sender"):
        build_message(letter(), sender, "", NOW)


def test_a_reply_to_must_be_one_address() -> None:
    """The configured Reply-To must name exactly one valid address."""
    with pytest.raises(ValueError, match="the reply-to address must be exactly one"):
        build_message(letter(), SENDER, "a@district.org, b@district.org", NOW)


def test_the_date_needs_a_time_zone() -> None:
    """A naive `now` is refused: the Date header must say its offset."""
    with pytest.raises(ValueError, match="time zone"):
        build_message(letter(), SENDER, "", datetime(2026, 11, 23, 7, 0))


def test_one_line_turns_breaks_and_controls_into_single_spaces() -> None:
    """one_line leaves one line of text with single spaces."""
    assert one_line("  Ann\r\n\tLee\u2028\x85Jr.\x00 ") == "Ann Lee Jr."
    assert one_line("lone \ud800 surrogate") == "lone \ufffd surrogate"


# Any text, weighted towards what breaks headers: specials, line breaks, encoded words
# (which the email package would decode), non-ASCII and length.
_TRICKY = list('\r\n\t\x0b\x0c\x00\x85\u2028\u2029<>,;:"\\@()[]=?_ é—漢')
_TRICKY += ["=?utf-8?q?", "=?utf-8?b?", "?=", "=0D=0A", "DQo=", "Bcc: ", "x@attacker.example"]
names = st.lists(
    st.one_of(st.sampled_from(_TRICKY), st.text(st.characters(codec="utf-8"), max_size=8)),
    max_size=40,
).map("".join)


@pytest.mark.slow  # 500 examples: seconds; CI runs it
@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=names, subject=names)
def test_any_name_and_subject_give_one_recipient_and_no_extra_header(
    name: str, subject: str
) -> None:
    """Whatever the name and subject, the message has the same headers and one To: the letter's."""
    message = build_message(letter(to_name=name, subject=subject), SENDER, "", NOW)
    received = parsed(message)
    assert list(received.keys()) == HEADERS
    assert len(received.get_all("To", [])) == 1
    (address,) = received["To"].addresses
    assert address.addr_spec == "ann@district.org"
    assert decoded(message, "Subject") == one_line(subject)
    # Python's own parser adds a space between encoded words, so compare without spaces.
    assert address.display_name.replace(" ", "") == one_line(name).replace(" ", "")
