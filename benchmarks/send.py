"""Time SmtpTransport sending digests over one connection, against plain smtplib doing the same.

    .venv/bin/python benchmarks/send.py [--messages 1000] [--repeats 3]

It makes N digest-sized letters (about 5 KB of HTML and 2 KB of text each, every one
different), starts a local SMTP server (aiosmtpd's Sink handler, in a process of its own so
that it does not share this one's interpreter lock), and then, best of --repeats, in turn:

- transport: the messages, built beforehand with `build_message`, sent through
  `SmtpTransport.send` (one connection, an outcome per message);
- smtplib: the same pre-built messages sent with a bare `smtplib.SMTP.send_message` loop
  on one connection;
- build + transport: each letter built as `SmtpTransport.send_each` takes it, as the shell
  does, so the time includes `build_message` (but not rendering the templates).

Target: transport / smtplib <= 2. It asserts nothing: the figures depend on the machine.
"""

from __future__ import annotations

import argparse
import platform
import smtplib
import socket
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage

from sheets_sync.adapters.mail import Delivered, Keyed, Letter, SmtpTransport, build_message

NOW = datetime(2026, 11, 23, 7, 0, tzinfo=timezone(timedelta(hours=-5)))
SENDER = "Family Partnerships <partnerships@district.org>"
STATUSES = [("Overdue", "#b91c1c"), ("Due this month", "#b45309"), ("On track", "#15803d")]


def digest(n: int) -> Letter:
    """The n-th facilitator's digest: ten schools, as the templates would render them."""
    address = f"facilitator{n:04d}@district.org"
    cell = 'style="padding:6px 8px;border-bottom:1px solid #e5e7eb;vertical-align:top"'
    rows, lines = [], []
    for s in range(10):
        status, colour = STATUSES[(n + s) % 3]
        school = f"School {n}-{s} Elementary"
        days = 17 + (n * 7 + s * 5) % 40
        missed = ", ".join(["Sep", "Oct", "Nov"][: (n + s) % 4])
        rows.append(
            f"<tr><td {cell}>{school}</td>"
            f'<td {cell}><span style="color:{colour};font-weight:bold">{status}</span></td>'
            f"<td {cell}>{days} days</td><td {cell}>{missed or '-'}</td></tr>"
        )
        lines.append(
            f"  {school:<26} {status:<15} last contact {days} days ago\n"
            f"  {'':<26} missed months: {missed or 'none'}\n"
            f"  {'':<26} next: contact the team chair before Friday"
        )
    html = (
        '<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" '
        'content="width=device-width"></head><body style="margin:0;padding:16px;font-family:'
        'Arial,Helvetica,sans-serif;font-size:15px;line-height:1.4;color:#111827">'
        '<h1 style="font-size:20px;margin:0 0 12px">Your schools this week</h1>'
        f"<p>Hello Facilitator {n}, here is what needs action this week.</p>"
        '<table role="presentation" style="border-collapse:collapse;width:100%">'
        f"<tr><th {cell}>School</th><th {cell}>Status</th><th {cell}>Last contact</th>"
        f"<th {cell}>Missed months</th></tr>" + "".join(rows) + "</table>"
        '<p style="margin-top:16px"><a href="https://docs.google.com/spreadsheets/d/district"'
        ' style="color:#1d4ed8">Open the workbook</a></p></body></html>'
    )
    text = (
        f"Hello Facilitator {n},\n\nHere is what needs action this week.\n\n"
        + "\n".join(lines)
        + "\n\nOpen the workbook: https://docs.google.com/spreadsheets/d/district\n"
    )
    key = f"facilitator-digest / {address} / 2026-W48"
    subject = "Your schools this week: 5 overdue, 5 due this month"
    return Letter(key, "facilitator-digest", address, f"Facilitator {n}", subject, text, html)


@contextmanager
def sink_server() -> Iterator[int]:
    """aiosmtpd with its Sink handler (accepts and drops every message) in a child process."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    command = [sys.executable, "-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Sink"]
    server = subprocess.Popen([*command, "-l", f"127.0.0.1:{port}"])
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("the local SMTP server did not start") from None
                time.sleep(0.05)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


def with_transport(port: int, messages: Iterable[Keyed]) -> float:
    transport = SmtpTransport("127.0.0.1", port, "none", None, None, timeout=30)
    started = time.perf_counter()
    outcomes = list(transport.send_each(messages))
    elapsed = time.perf_counter() - started
    assert all(isinstance(o, Delivered) for o in outcomes), outcomes[:3]
    return elapsed


def with_smtplib(port: int, messages: list[Keyed]) -> float:
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
        for _, message in messages:
            client.send_message(message)
    return time.perf_counter() - started


def built_as_taken(letters: list[Letter]) -> Iterator[Keyed]:
    for letter in letters:
        yield letter.key, build_message(letter, SENDER, "", NOW)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    options = parser.parse_args()

    letters = [digest(n) for n in range(options.messages)]
    messages = list(built_as_taken(letters))
    sizes = [len(m.as_bytes()) for _, m in messages]
    parts = _part_sizes(messages[0][1])

    ours: list[float] = []
    bare: list[float] = []
    whole: list[float] = []
    with sink_server() as port:
        for _ in range(options.repeats):
            ours.append(with_transport(port, messages))
            bare.append(with_smtplib(port, messages))
            whole.append(with_transport(port, built_as_taken(letters)))

    n = options.messages
    print(f"{platform.processor() or platform.machine()}, Python {platform.python_version()}")
    print(
        f"{n:,} messages of {sum(sizes) / n / 1024:.1f} KB on the wire on average "
        f"(text {parts[0] / 1024:.1f} KB, HTML {parts[1] / 1024:.1f} KB before encoding), "
        f"one connection each time, best of {options.repeats}"
    )
    for label, times in [
        ("SmtpTransport.send", ours),
        ("smtplib send_message", bare),
        ("build + SmtpTransport", whole),
    ]:
        print(f"{label:<24} {min(times):7.3f} s  {min(times) / n * 1e3:6.2f} ms/message")
    print(f"transport / smtplib          {min(ours) / min(bare):5.2f}   (target <= 2)")
    print(f"build + transport / smtplib  {min(whole) / min(bare):5.2f}")


def _part_sizes(message: EmailMessage) -> tuple[int, int]:
    text, html = (p.get_content() for p in message.iter_parts())
    return len(text.encode()), len(html.encode())


if __name__ == "__main__":
    main()
