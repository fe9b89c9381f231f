"""Sending what is due, exactly once: the core plans it (core/mail_plan.py, the ledger
asked for each letter); here each is claimed in the ledger, sent, and its outcome recorded.

The ledger marks a message pending before it is handed to the transport and sent (or
failed) as soon as its outcome is known, so a crash leaves at most one message in doubt;
that one is reported, never resent on its own (`--force` resends on purpose).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sheets_sync.adapters.ledger import Ledger
from sheets_sync.adapters.mail import (
    Delivered,
    Failed,
    Keyed,
    Refused,
    Transport,
    build_message,
)
from sheets_sync.core.cycle import Evaluation
from sheets_sync.core.email_schedule import Period, period_due
from sheets_sync.core.letters import DueKinds, Letter, Templates, Words
from sheets_sync.core.mail_plan import Decision, MailPlan, MailRules, plan_mail
from sheets_sync.core.mail_plan import letters_due as core_letters_due
from sheets_sync.core.table import Table
from sheets_sync.shell.config import Config


@dataclass
class MailReport:
    """This run's email: the plan (core/mail_plan.py), then what became of what was sent."""

    plan: MailPlan
    sent: list[str] = field(default_factory=list)  # keys
    failed: list[tuple[str, str]] = field(default_factory=list)  # key, reason
    in_doubt: list[str] = field(default_factory=list)  # this run: the line broke mid-message
    left_for_next: int = 0  # not sent: a stop was asked for; the next run sends them

    @property
    def trouble(self) -> bool:
        """Something a person must look at: the run exits 1."""
        return bool(self.failed or self.in_doubt or self.plan.held)

    @property
    def doubtful(self) -> int:
        """Messages that may or may not have gone out: from an earlier run, or this one."""
        return len(self.plan.unknown) + len(self.in_doubt)

    @property
    def note(self) -> str:
        """The Run Log's note: what a district leader should know about this run's email."""
        plan = self.plan
        said = [*plan.held, *([plan.resting] if plan.resting else [])]
        if plan.over_cap:
            said.append(f"{plan.over_cap} emails not sent: max_per_run ({plan.cap}) reached")
        if self.left_for_next:
            said.append(f"{self.left_for_next} emails left for the next run: stopped")
        if self.doubtful:
            said.append(
                f"{self.doubtful} emails may or may not have gone out (see `sheets-sync doctor`)"
            )
        if self.failed:
            said.append(f"{len(self.failed)} emails failed")
        return "; ".join(said)


def words_of(config: Config, cell_links: Mapping[str, str] | None = None) -> Words:
    """The district's own words, as the letters use them; with `workbook_url` set, links to
    the cells of a workbook on the web (see Workbook.cell_links)."""
    program, email = config.program, config.email
    return Words(
        district=program.district,
        team_name=program.team_name,
        team_short=program.team_short,
        workbook_url=email.workbook_url,
        cell_links=dict(cell_links or {}) if email.workbook_url else {},
        contact_form=email.contact_form,
        allowed_domains=email.allowed_domains,
        district_recipients=email.district_recipients,
    )


def mail_rules(config: Config, now: datetime) -> MailRules:
    """The periods due as of `now` (core/email_schedule.py), and the config's other rules."""
    schedule, email = config.schedule, config.email
    district = period_due(schedule.district_summary, now) if email.district_recipients else None
    due = DueKinds(
        facilitator_week=_id(period_due(schedule.facilitator_digest, now)),
        principal_month=_id(period_due(schedule.principal_summary, now)),
        district_week=_id(district),
    )
    return MailRules(due, email.max_per_run, email.summer, Templates(email.templates_dir))


def letters_due(config: Config, evaluation: Evaluation, now: datetime) -> list[Letter]:
    """Every letter due as of `now`, before the ledger is asked (for `preview`)."""
    today = now.date()
    settings = config.settings_on(today)
    rules = mail_rules(config, now)
    return core_letters_due(evaluation, settings, words_of(config), today, rules)[0]


def _id(period: Period | None) -> str | None:
    return period.id if period else None


def send_due(
    evaluation: Evaluation,
    config: Config,
    now: datetime,
    transport: Transport,
    ledger: Ledger | None,
    *,
    force: bool = False,
    resend: frozenset[str] = frozenset(),
    dry_run: bool = False,
    stopping: Callable[[], bool] = lambda: False,
    year_record: Table | None = None,
    cell_links: Mapping[str, str] | None = None,
) -> MailReport:
    """Send what is due. `ledger` None (a dry run with no ledger yet) means nothing was sent
    before; `resend` names keys to send again even if the ledger says sent or in doubt.
    Once `stopping()` says so, no further message is begun (the rest go on the next run).
    `year_record`, an ended year's tab this run writes, sends its totals to the district."""

    def decide(key: str) -> Decision:
        return ledger.should_send(key, force or key in resend) if ledger else "send"

    today = now.date()
    plan = plan_mail(
        evaluation,
        config.settings_on(today),
        words_of(config, cell_links),
        today,
        mail_rules(config, now),
        decide,
        year_record,
    )
    report = MailReport(plan)
    if dry_run or ledger is None:
        return report
    _send(report, config, now, transport, ledger, force, resend, stopping)
    return report


def _send(
    report: MailReport,
    config: Config,
    now: datetime,
    transport: Transport,
    ledger: Ledger,
    force: bool,
    resend: frozenset[str],
    stopping: Callable[[], bool],
) -> None:
    run_id = now.isoformat(timespec="seconds")
    sender, reply_to = config.email.from_, config.email.reply_to

    due = report.plan.due

    def claimed() -> Iterator[Keyed]:
        for done, letter in enumerate(due):
            if stopping():  # before its ledger entry: nothing is pending, nothing in doubt
                report.left_for_next = len(due) - done
                return
            again = force or letter.key in resend
            try:
                message = build_message(letter, sender, reply_to, now)
            except ValueError as unusable:  # an address the message cannot carry
                if ledger.begin(letter.key, run_id, now, force=again):
                    ledger.failed(letter.key, str(unusable), now, permanent=True)
                    report.failed.append((letter.key, str(unusable)))
                continue
            if ledger.begin(letter.key, run_id, now, force=again):  # pending, on disk
                yield letter.key, message

    for outcome in transport.send_each(claimed()):
        if isinstance(outcome, Delivered):
            ledger.sent(outcome.key, now)
            report.sent.append(outcome.key)
        elif isinstance(outcome, Refused):
            ledger.failed(outcome.key, outcome.reason, now, permanent=outcome.permanent)
            report.failed.append((outcome.key, outcome.reason))
        elif isinstance(outcome, Failed) and outcome.maybe_delivered:
            report.in_doubt.append(outcome.key)  # left pending: reported, never resent alone
        else:
            ledger.failed(outcome.key, outcome.reason, now, permanent=False)
            report.failed.append((outcome.key, outcome.reason))


__all__ = ["MailReport", "letters_due", "send_due"]
