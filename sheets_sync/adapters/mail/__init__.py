"""Mail: letters become MIME messages, and transports send them (one per mail adapter).

    Letter ──build_message──▶ EmailMessage ──Transport.send_each──▶ Outcome per message
                                                                     Delivered | Refused | Failed

Transports: `OutboxTransport` (.eml files in a folder), `SmtpTransport` (one connection per
batch) and `RecordingTransport` (in memory, for tests). None of them raises for a problem
with a message or a server: each problem is an outcome whose reason says what happened.
"""

from sheets_sync.adapters.mail.message import build_message, one_line, parse_address
from sheets_sync.adapters.mail.outbox import OutboxTransport
from sheets_sync.adapters.mail.port import Delivered, Failed, Keyed, Outcome, Refused, Transport
from sheets_sync.adapters.mail.recording import RecordingTransport
from sheets_sync.adapters.mail.smtp import SECURITY, Security, SmtpTransport
from sheets_sync.core.letters import Letter  # what build_message turns into a message

__all__ = [
    "SECURITY",
    "Delivered",
    "Failed",
    "Keyed",
    "Letter",
    "OutboxTransport",
    "Outcome",
    "RecordingTransport",
    "Refused",
    "Security",
    "SmtpTransport",
    "Transport",
    "build_message",
    "one_line",
    "parse_address",
]
