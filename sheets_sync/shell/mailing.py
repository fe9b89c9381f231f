"""Sending what is due, exactly once: compose, ask the ledger, send, record each outcome.

The ledger marks a message pending before it is handed to the transport and sent (or
failed) as soon as its outcome is known, so a crash leaves at most one message in doubt;
that one is reported, never resent on its own (`--force` resends on purpose).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sheets_sync.adapters.ledger import Ledger
from sheets_sync.adapters.mail import (
    Delivered,
    Failed,
    Keyed,
    OutboxTransport,
    Refused,
    SmtpTransport,
    Transport,
    build_message,
)
from sheets_sync.core.cycle import Evaluation
from sheets_sync.core.email_schedule import period_due
from sheets_sync.core.letters import DueKinds, Letter, Templates, Words, compose
from sheets_sync.shell.config import Config


@dataclass
class MailReport:
    due: list[Letter] = field(default_factory=list)  # what the ledger lets go out this run
    sent: list[str] = field(default_factory=list)  # keys
    failed: list[tuple[str, str]] = field(default_factory=list)  # key, reason: retried next run
    unknown: list[str] = field(default_factory=list)  # keys in doubt since an earlier crash
    already_sent: int = 0  # due this period, sent by an earlier run
    over_cap: int = 0  # not sent: max_per_run reached
    cap: int = 0

    @property
    def note(self) -> str:
        """The Run Log's note: what a district leader should know about this run's email."""
        said = []
        if self.over_cap:
            said.append(f"{self.over_cap} emails not sent: max_per_run ({self.cap}) reached")
        if self.unknown:
            said.append(
                f"{len(self.unknown)} emails of an interrupted run may or may not have "
                "gone out (see `sheets-sync doctor`)"
            )
        if self.failed:
            said.append(f"{len(self.failed)} emails failed; the next run retries them")
        return "; ".join(said)


def letters_due(evaluation: Evaluation, config: Config, now: datetime) -> list[Letter]:
    """Every letter whose period is due as of `now` (before the ledger is asked)."""
    schedule, email, program = config.schedule, config.email, config.program
    facilitator = period_due(schedule.facilitator_digest, now)
    principal = period_due(schedule.principal_summary, now)
    district = period_due(schedule.district_summary, now) if email.district_recipients else None
    due = DueKinds(
        facilitator_week=facilitator.id if facilitator else None,
        principal_month=principal.id if principal else None,
        district_week=district.id if district else None,
    )
    words = Words(
        district=program.district,
        team_name=program.team_name,
        team_short=program.team_short,
        workbook_url=email.workbook_url,
        allowed_domains=email.allowed_domains,
        district_recipients=email.district_recipients,
    )
    templates = Templates(email.templates_dir)
    return compose(evaluation, config.settings, words, due, now.date(), templates=templates)


def send_due(
    evaluation: Evaluation,
    config: Config,
    now: datetime,
    transport: Transport,
    ledger: Ledger,
    *,
    force: bool = False,
    dry_run: bool = False,
) -> MailReport:
    report = MailReport(unknown=[e.key for e in ledger.unknown_outcomes()])
    for letter in letters_due(evaluation, config, now):
        decision = ledger.should_send(letter.key, force)
        if decision == "skip-sent":
            report.already_sent += 1
        elif decision == "send":
            report.due.append(letter)
    cap = report.cap = config.email.max_per_run
    report.over_cap = max(0, len(report.due) - cap)
    report.due = report.due[:cap]
    if dry_run:
        return report
    run_id = now.isoformat(timespec="seconds")
    sender, reply_to = config.email.from_, config.email.reply_to

    def claimed() -> Iterator[Keyed]:
        for letter in report.due:
            try:
                message = build_message(letter, sender, reply_to, now)
            except ValueError as unusable:  # an address the message cannot carry
                if ledger.begin(letter.key, run_id, now, force=force):
                    ledger.failed(letter.key, str(unusable), now, permanent=True)
                    report.failed.append((letter.key, str(unusable)))
                continue
            if ledger.begin(letter.key, run_id, now, force=force):  # pending, on disk
                yield letter.key, message

    for outcome in transport.send_each(claimed()):
        if isinstance(outcome, Delivered):
            ledger.sent(outcome.key, now)
            report.sent.append(outcome.key)
        elif isinstance(outcome, Refused):
            ledger.failed(outcome.key, outcome.reason, now, permanent=outcome.permanent)
            report.failed.append((outcome.key, outcome.reason))
        elif isinstance(outcome, Failed) and outcome.maybe_delivered:
            report.unknown.append(outcome.key)  # left pending: reported, never resent alone
        else:
            ledger.failed(outcome.key, outcome.reason, now, permanent=False)
            report.failed.append((outcome.key, outcome.reason))
    return report


def open_transport(config: Config, environ: Mapping[str, str]) -> Transport:
    email = config.email
    if email.transport == "outbox":
        return OutboxTransport(email.outbox_dir)
    smtp = email.smtp
    username = environ.get(smtp.username_env, "") if smtp.username_env else ""
    return SmtpTransport(
        smtp.host,
        smtp.port,
        smtp.security,
        username or None,
        environ.get(smtp.password_env, "") or None,
        float(smtp.timeout_seconds),
    )


def ledger_path(config: Config) -> Path:
    return config.state.dir / "ledger.sqlite3"


def open_ledger(config: Config) -> Ledger:
    return Ledger(ledger_path(config))


__all__ = ["MailReport", "letters_due", "open_ledger", "open_transport", "send_due"]
