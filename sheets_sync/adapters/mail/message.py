"""A letter the shell composed, and the MIME message that carries it.

No name or subject can add a header or a recipient, on any Python this project supports:

1. `one_line` turns every control character (CR, LF, NEL, the Unicode line separators ...)
   into a space, so no value holds a line break of its own.
2. Text that the email package would decode (anything with "=?", which may be an encoded
   word hiding a CR LF) or fold badly (non-ASCII) is never handed to it: `_encoded_words`
   encodes it as RFC 2047 words that show it literally, stored as they are. Before 3.11.10
   and 3.12.5 (CVE-2024-6923) the package writes decoded line breaks unquoted; and where it
   folds between two encoded words it drops the space that separated them.
3. Plain ASCII names go through `Address`, which quotes commas, brackets and quotes.
"""

from __future__ import annotations

import binascii
import re
import secrets
from datetime import datetime
from email import errors, policy
from email.header import Header
from email.headerregistry import Address, BaseHeader, HeaderRegistry
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import format_datetime, make_msgid
from functools import lru_cache

from sheets_sync.core.letters import Letter

# C0 and C1 controls (CR, LF, TAB, NEL, ...) and the Unicode line and paragraph separators:
# everything `str.splitlines` and the email package may take for the end of a line.
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


class _Headers(HeaderRegistry):
    """The email package's header registry, making each header class once, not per header.

    (CPython's builds a new class for every header it parses: a seventh of the time it
    takes to build a message.)
    """

    def __init__(self) -> None:
        super().__init__()
        self._made: dict[str, type[BaseHeader]] = {}

    def __getitem__(self, name: str) -> type[BaseHeader]:
        key = name.lower()
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = super().__getitem__(name)
        return made


# Nothing 8-bit in a message (not every server takes 8BITMIME): `_text_part` writes the
# letter's parts. Headers stored ready-encoded
# (`_encoded_words`) are written exactly as stored.
_SEVEN_BIT = policy.SMTP.clone(cte_type="7bit", refold_source="none", header_factory=_Headers())
_UTF8 = policy.SMTPUTF8.clone(refold_source="none", header_factory=_Headers())
_LINE_LENGTH = 78  # RFC 5322's recommended limit, and policy.SMTP's
_LINESEP = "\r\n"
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_UNICODE_ATEXT = re.compile(r"[^\x00-\x20\x7f-\x9f\s\"(),:;<>@\[\\\]\u2028\u2029]+")
# Lone surrogates cannot be encoded at all; they come only from broken input.
_SURROGATES = re.compile("[\ud800-\udfff]")


def one_line(text: str) -> str:
    """`text` fit for a header: line breaks and other controls become spaces, blanks collapse."""
    text = _SURROGATES.sub("\ufffd", text)
    return " ".join(_CONTROLS.sub(" ", text).split())


def build_message(letter: Letter, sender: str, reply_to: str, now: datetime) -> EmailMessage:
    """The letter as a multipart/alternative message (plain text first, then HTML).

    `sender` and `reply_to` are single addresses, with or without a display name
    (`Family Partnerships <partnerships@district.org>`); `reply_to` may be "" for none.
    `now` must carry its time zone: it becomes the Date header. Raises ValueError when an
    address is not exactly one valid address.
    """
    if now.utcoffset() is None:
        raise ValueError(f"the time of a message must carry its time zone, not {now!r}")
    recipient = _address("the recipient", letter.to_name, letter.to)
    sender_address = parse_address("the sender", sender)
    # A non-ASCII local part can only travel as SMTPUTF8; the transport reports a server
    # that does not offer it as a refusal.
    rules = _SEVEN_BIT if recipient.username.isascii() else _UTF8
    message = EmailMessage(policy=rules)
    _set_address(message, "From", sender_address)
    _set_address(message, "To", recipient)
    if reply_to.strip():
        _set_address(message, "Reply-To", parse_address("the reply-to address", reply_to))
    _set_text(message, "Subject", one_line(letter.subject))
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid(domain=sender_address.domain)
    # RFC 3834: tells vacation responders and the like not to answer.
    message["Auto-Submitted"] = "auto-generated"
    message.set_raw("MIME-Version", "1.0")
    boundary = f"=_{secrets.token_hex(16)}"  # 128 random bits: in no body by chance
    message.set_raw("Content-Type", f'multipart/alternative;{_LINESEP} boundary="{boundary}"')
    message.set_payload(
        [_text_part(letter.text, "plain", rules), _text_part(letter.html, "html", rules)]
    )
    return message


@lru_cache(maxsize=32)  # the sender and reply-to of every message: parsed once
def _text_part(content: str, subtype: str, rules: EmailPolicy) -> EmailMessage:
    """A text/`subtype` part in UTF-8: 7bit when it is short-lined ASCII, else quoted-printable.

    What `set_content` does, in a tenth of the time (binascii encodes in C).
    """
    data = content.encode("utf-8", "replace")  # a lone surrogate (broken input) becomes "?"
    lines = data.splitlines()  # bytes split at CR, LF and CRLF only, as the email package does
    body = b"\n".join(lines) + b"\n"
    if body.isascii() and max(map(len, lines), default=0) <= _LINE_LENGTH:
        encoding = "7bit"
    else:
        encoding = "quoted-printable"
        body = binascii.b2a_qp(body, istext=True)
    part = EmailMessage(policy=rules)
    part.set_raw("Content-Type", f'text/{subtype}; charset="utf-8"')
    part.set_raw("Content-Transfer-Encoding", encoding)
    part.set_payload(body.decode("ascii"))
    return part


@lru_cache(maxsize=32)  # the sender and reply-to of every message: parsed once
def parse_address(what: str, text: str) -> Address:
    """The one address in `text` (`Name <addr>` or a bare address); ValueError otherwise."""
    header = policy.SMTP.header_factory("Reply-To", one_line(text))
    addresses: tuple[Address, ...] = getattr(header, "addresses", ())
    if len(addresses) != 1:
        raise ValueError(f"{what} must be exactly one email address, not {text!r}")
    found: Address = addresses[0]
    return _address(what, found.display_name, found.addr_spec, text)


def _set_text(message: EmailMessage, name: str, text: str) -> None:
    if _plain(text):
        message[name] = text
    else:
        message.set_raw(name, _encoded_words(name, text))


def _set_address(message: EmailMessage, name: str, address: Address) -> None:
    if _plain(address.display_name):
        message[name] = address  # the email package quotes the name where it must
        return
    words = _encoded_words(name, address.display_name)
    angle = f"<{address.addr_spec}>"
    _, linesep, last_line = words.rpartition(_LINESEP)
    used = len(last_line) if linesep else len(f"{name}: {words}")
    room = used + 1 + len(angle) <= _LINE_LENGTH
    message.set_raw(name, f"{words}{' ' if room else _LINESEP + ' '}{angle}")


def _plain(text: str) -> bool:
    """Whether the email package may take `text` as it is.

    It decodes whatever looks like an encoded word ("=?utf-8?q?Ann=0D=0A...?=") and, before
    CPython 3.11.10 and 3.12.5, writes what that decodes to unquoted, line breaks included.
    Such text is therefore encoded by `_encoded_words`, which shows it literally.
    """
    return text.isascii() and "=?" not in text


def _encoded_words(name: str, text: str) -> str:
    """Non-ASCII `text` as RFC 2047 encoded words, folded to lines of 78 characters.

    The email package's own folder drops the space between two encoded words where it folds
    (CPython 3.11 and 3.12: "two words" can arrive as "twowords"); `Header` keeps every space
    inside the words. The result is stored as it is, so the folder never touches it.
    """
    header = Header(text, "utf-8", maxlinelen=_LINE_LENGTH, header_name=name)
    return header.encode(linesep=_LINESEP)


def _address(what: str, name: str, addr_spec: str, given: str | None = None) -> Address:
    shown, addr_spec = addr_spec if given is None else given, addr_spec.strip()
    local, _, domain = addr_spec.rpartition("@")
    # A mailbox name in Unicode (RFC 6531) is checked in an ASCII stand-in, since the
    # email package's parser refuses it; only SMTPUTF8 servers will take it.
    international = not local.isascii() and _UNICODE_ATEXT.fullmatch(local) is not None
    checked = f"{_NON_ASCII.sub('u', local)}@{domain}" if international else addr_spec
    try:
        parsed = Address(addr_spec=checked)
    # Address's parser raises several types for a bad address (IndexError for "a@").
    except (ValueError, IndexError, errors.MessageError):
        raise ValueError(f"{what} is not a valid email address: {shown!r}") from None
    # Equal to what was given: no comments dropped, nothing decoded along the way.
    if not parsed.username or not parsed.domain or parsed.addr_spec != checked:
        raise ValueError(f"{what} is not a valid email address: {shown!r}")
    if not domain.isascii():
        try:
            # An internationalised domain travels as its Punycode form (RFC 5890).
            domain = domain.encode("idna").decode("ascii")
        except UnicodeError:
            raise ValueError(f"{what} has a domain that is not valid: {shown!r}") from None
    username = local if international else parsed.username
    return Address(display_name=one_line(name), username=username, domain=domain)
