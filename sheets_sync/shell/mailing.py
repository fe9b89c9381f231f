"""Sending what is due, exactly once: compose, ask the ledger, send, record each outcome.

The ledger marks a message pending before it is handed to the transport and sent (or
failed) as soon as its outcome is known, so a crash leaves at most one message in doubt;
that one is reported, never resent on its own (`--force` resends on purpose).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from css_inline import InlineError
from jinja2 import TemplateError

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
from sheets_sync.core.issue_kinds import LAYOUT_CODES, MAIL_HOLDING_CODES
from sheets_sync.core.letters import DueKinds, Letter, Templates, Words, compose, year_summaries
from sheets_sync.core.table import Table
from sheets_sync.shell.config import Config


@dataclass
class MailReport:
    due: list[Letter] = field(default_factory=list)  # what the ledger lets go out this run
    sent: list[str] = field(default_factory=list)  # keys
    failed: list[tuple[str, str]] = field(default_factory=list)  # key, reason
    unknown: list[str] = field(default_factory=list)  # due now, in doubt since an earlier run
    in_doubt: list[str] = field(default_factory=list)  # this run: the line broke mid-message
    already_sent: int = 0  # due this period, sent by an earlier run
    refused_before: int = 0  # refused for good by an earlier run: not sent again
    over_cap: int = 0  # not sent: max_per_run reached
    cap: int = 0
    held: list[str] = field(default_factory=list)  # why some or all mail was held back
    left_for_next: int = 0  # not sent: a stop was asked for; the next run sends them
    resting: str = ""  # why no scheduled email is due at all (the summer)

    @property
    def trouble(self) -> bool:
        """Something a person must look at: the run exits 1."""
        return bool(self.failed or self.in_doubt or self.held)

    @property
    def note(self) -> str:
        """The Run Log's note: what a district leader should know about this run's email."""
        said = [*self.held, *([self.resting] if self.resting else [])]
        if self.over_cap:
            said.append(f"{self.over_cap} emails not sent: max_per_run ({self.cap}) reached")
        if self.left_for_next:
            said.append(f"{self.left_for_next} emails left for the next run: stopped")
        doubtful = len(self.unknown) + len(self.in_doubt)
        if doubtful:
            said.append(
                f"{doubtful} emails may or may not have gone out (see `sheets-sync doctor`)"
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


def letters_due(
    evaluation: Evaluation,
    config: Config,
    now: datetime,
    held: list[str] | None = None,
    cell_links: Mapping[str, str] | None = None,
) -> list[Letter]:
    """Every letter whose period is due as of `now` (before the ledger is asked).

    A kind whose template fails to render (a district's own template, say) is left out and
    said in `held`; the other kinds still go.
    """
    schedule, email = config.schedule, config.email
    facilitator = period_due(schedule.facilitator_digest, now)
    principal = period_due(schedule.principal_summary, now)
    district = period_due(schedule.district_summary, now) if email.district_recipients else None
    words = words_of(config, cell_links)
    settings = config.settings_on(now.date())
    templates = Templates(email.templates_dir)
    kinds = (
        ("facilitator digests", DueKinds(facilitator_week=_id(facilitator))),
        ("principal summaries", DueKinds(principal_month=_id(principal))),
        ("district summaries", DueKinds(district_week=_id(district))),
    )
    letters: list[Letter] = []
    for name, due in kinds:
        if due == DueKinds():
            continue
        try:
            letters += compose(
                evaluation,
                settings,
                words,
                due,
                now.date(),
                templates=templates,
            )
        except (TemplateError, InlineError) as broken:
            (held if held is not None else []).append(
                f"{name} not sent: a template failed ({type(broken).__name__}: {broken}); "
                "fix it (see templates_dir)"
            )
    return letters


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
    report = MailReport(cap=config.email.max_per_run)
    holding = sorted({i.code for i in evaluation.issues if i.code in MAIL_HOLDING_CODES})
    if holding:
        why = (
            "the workbook's layout is broken"
            if set(holding) & LAYOUT_CODES
            else "the school year in the config is over"
        )
        report.held.append(f"no email sent: {why} ({', '.join(holding)}; see the Data Issues tab)")
        return report
    settings = config.settings_on(now.date())
    year = settings.year
    letters: list[Letter] = []
    if settings.in_summer(now.date()) and not config.email.summer:
        report.resting = (
            f"summer: the {year.name} school year ended {year.end.isoformat()}, so no scheduled "
            "email goes out until the next one begins ([email] summer = true sends them)"
        )
    else:
        letters = letters_due(evaluation, config, now, report.held, cell_links)
    if year_record is not None:
        templates = Templates(config.email.templates_dir)
        letters += year_summaries(year_record, settings, words_of(config), templates)
    for letter in letters:
        again = force or letter.key in resend
        decision = ledger.should_send(letter.key, again) if ledger else "send"
        if decision == "send":
            report.due.append(letter)
        elif decision == "skip-sent":
            report.already_sent += 1
        elif decision == "skip-refused":
            report.refused_before += 1
        else:
            report.unknown.append(letter.key)
    report.over_cap = max(0, len(report.due) - report.cap)
    report.due = report.due[: report.cap]
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

    def claimed() -> Iterator[Keyed]:
        for done, letter in enumerate(report.due):
            if stopping():  # before its ledger entry: nothing is pending, nothing in doubt
                report.left_for_next = len(report.due) - done
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
