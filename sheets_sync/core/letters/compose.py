"""Who gets which letter this run, and what it says (PRODUCT.md §5).

Pure: an evaluation and the periods due in, rendered letters out. Only the right people:
an address outside the allowed domains, an inactive school, a missing or invalid address
gets nothing; each key is composed at most once (two schools with one principal make one
letter, with a section for each).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from email.utils import parseaddr
from functools import partial

from sheets_sync.core.cycle import Evaluation
from sheets_sync.core.issues import Issue
from sheets_sync.core.letters.model import (
    DISTRICT_SUMMARY,
    FACILITATOR_DIGEST,
    PRINCIPAL_SUMMARY,
    YEAR_SUMMARY,
    ContactForm,
    DueKinds,
    Letter,
    Words,
    letter_key,
    long_day,
    month_title,
    one_line,
    plural,
    short_day,
    week_monday,
)
from sheets_sync.core.letters.privacy import Redactor
from sheets_sync.core.letters.render import Templates
from sheets_sync.core.letters.views import (
    UPCOMING_DAYS,
    Digest,
    digest,
    district_view,
    facilitator_issue_text,
    needs_digest,
    school_summary,
)
from sheets_sync.core.records import Activity
from sheets_sync.core.settings import Settings
from sheets_sync.core.standing import Standing
from sheets_sync.core.table import Table
from sheets_sync.core.values import in_domains, parse_email


@dataclass
class _Recipient:
    address: str
    name: str
    standings: list[Standing] = field(default_factory=list)
    log_errors: list[Issue] = field(default_factory=list)


def compose(
    evaluation: Evaluation,
    settings: Settings,
    words: Words,
    due: DueKinds,
    today: date,
    *,
    templates: Templates | None = None,
) -> list[Letter]:
    """Every letter due, in order: facilitators' digests, principals' summaries, the district's.

    `templates` defaults to the packaged ones; the shell passes `Templates(templates_dir)`.
    """
    templates = templates or Templates()
    redact = Redactor.for_members(evaluation.members)
    letters: list[Letter] = []
    if due.facilitator_week is not None:
        letters += _digests(
            evaluation, settings, words, due.facilitator_week, today, templates, redact
        )
    if due.principal_month is not None:
        letters += _principal_summaries(
            evaluation, settings, words, due.principal_month, today, templates, redact
        )
    if due.district_week is not None:
        letters += _district_summaries(evaluation, settings, words, due.district_week, templates)
    once: dict[str, Letter] = {}
    for letter in letters:
        once.setdefault(letter.key, letter)  # nobody gets the same letter twice
    return list(once.values())


def may_receive(address: str | None, words: Words, settings: Settings) -> bool:
    """A valid address inside the allowed domains (of the config and of the settings)."""
    if not address:
        return False
    return all(
        not domains or in_domains(address, domains)
        for domains in (words.allowed_domains, settings.allowed_domains)
    )


# -- facilitators -----------------------------------------------------------------------------


def _digests(
    evaluation: Evaluation,
    settings: Settings,
    words: Words,
    week: str,
    today: date,
    templates: Templates,
    redact: Redactor,
) -> list[Letter]:
    by_facilitator: dict[str, list[Standing]] = {}
    for standing in evaluation.standings:
        by_facilitator.setdefault(standing.facilitator, []).append(standing)
    log_errors = _log_errors_by_facilitator(evaluation, settings)
    recipients: dict[str, _Recipient] = {}
    for facilitator in evaluation.directory.facilitators:
        if facilitator.email is None or not may_receive(facilitator.email, words, settings):
            continue
        recipient = recipients.setdefault(
            facilitator.email.lower(), _Recipient(facilitator.email, facilitator.name)
        )
        recipient.standings += by_facilitator.get(facilitator.name, [])
        recipient.log_errors += log_errors.get(facilitator.name, [])
    monday = week_monday(week)
    issue_text = facilitator_issue_text(settings, redact, words.cell_links)
    letters = []
    for recipient in recipients.values():
        if not recipient.log_errors and not any(
            needs_digest(s, settings) for s in recipient.standings
        ):
            continue
        log_link = partial(words.contact_form.link, facilitator=recipient.name, day=today)
        view = digest(
            recipient.standings, recipient.log_errors, settings, issue_text, redact, log_link
        )
        subject = digest_subject(words, view, monday)
        context = {
            "words": words,
            "subject": subject,
            "name": one_line(recipient.name),
            "week_of": long_day(monday),
            "digest": view,
            "due_soon_days": settings.rules.due_soon_days,
            "log_note": log_note(words.contact_form, today),
        }
        letters.append(_letter(FACILITATOR_DIGEST, recipient, week, subject, templates, context))
    return letters


def _log_errors_by_facilitator(
    evaluation: Evaluation, settings: Settings
) -> dict[str, list[Issue]]:
    """Errors in Contact Log rows that name no school (so no school's list shows them), by the
    facilitator who logged the row: a misspelt school is theirs to correct."""
    logged_by = {c.row: c.facilitator for c in evaluation.contacts if c.facilitator}
    found: dict[str, list[Issue]] = {}
    for issue in evaluation.issues:
        if issue.severity == "error" and issue.tab == settings.tabs.contacts and not issue.schools:
            facilitator = logged_by.get(issue.row)
            if facilitator is not None:
                found.setdefault(facilitator, []).append(issue)
    return found


def log_note(form: ContactForm, today: date) -> str:
    """What a digest's "Log contact" links fill in, said once above them ("" without a Form)."""
    if not form.url:
        return ""
    filled = [
        what
        for entry, what in (
            (form.school_entry, "the school"),
            (form.facilitator_entry, "your name"),
            (form.date_entry, f"today's date ({long_day(today)})"),
        )
        if entry
    ]
    if not filled:
        return 'Each "Log contact" link opens the district\'s form for logging a contact.'
    listed = filled[0] if len(filled) == 1 else ", ".join(filled[:-1]) + " and " + filled[-1]
    said = f'Each "Log contact" link opens the district\'s form with {listed} filled in'
    if form.date_entry:
        return said + "; change the date if the contact was on another day."
    return said + "."


def digest_subject(words: Words, view: Digest, monday: date) -> str:
    """`ATP check-in: 2 schools overdue, 3 due this month (week of Nov 24)`."""
    overdue, due = len(view.overdue), len(view.due)
    if overdue and due:
        counts = f"{plural(overdue, 'school')} overdue, {due} due this month"
    elif overdue:
        counts = f"{plural(overdue, 'school')} overdue"
    elif due:
        counts = f"{plural(due, 'school')} due this month"
    else:
        counts = f"{plural(len(view.open), 'school')} with open items"
    return one_line(f"{words.team_short} check-in: {counts} (week of {short_day(monday)})")


# -- principals -------------------------------------------------------------------------------


def _principal_summaries(
    evaluation: Evaluation,
    settings: Settings,
    words: Words,
    month: str,
    today: date,
    templates: Templates,
    redact: Redactor,
) -> list[Letter]:
    recipients: dict[str, _Recipient] = {}
    for standing in evaluation.standings:  # active schools only
        email = standing.school.principal_email
        if email is None or not may_receive(email, words, settings):
            continue
        recipient = recipients.setdefault(
            email.lower(), _Recipient(email, standing.school.principal)
        )
        recipient.standings.append(standing)
    activities: dict[str, list[Activity]] = {}
    for activity in evaluation.activities:
        activities.setdefault(activity.school, []).append(activity)
    redact = redact.with_schools(s.name for s in evaluation.directory.schools)
    title = month_title(month)
    letters = []
    for recipient in recipients.values():
        schools = tuple(
            school_summary(
                s,
                activities.get(s.name, []),
                settings,
                redact.for_school(s.name),
                today,
            )
            for s in recipient.standings
        )
        subject = principal_subject(words, [s.name for s in schools], title)
        context = {
            "words": words,
            "subject": subject,
            "name": one_line(recipient.name),
            "month": title,
            "schools": schools,
            "upcoming_days": UPCOMING_DAYS,
        }
        letters.append(_letter(PRINCIPAL_SUMMARY, recipient, month, subject, templates, context))
    return letters


def principal_subject(words: Words, schools: Sequence[str], month: str) -> str:
    """`Lincoln Elementary: monthly ATP summary, November 2025` (`2 schools: …` for several)."""
    who = schools[0] if len(schools) == 1 else plural(len(schools), "school")
    return one_line(f"{who}: monthly {words.team_short} summary, {month}")


# -- the district -----------------------------------------------------------------------------


def _district_summaries(
    evaluation: Evaluation, settings: Settings, words: Words, week: str, templates: Templates
) -> list[Letter]:
    recipients = list(_district_recipients(words, settings))
    if not recipients:
        return []
    view = district_view(
        evaluation.standings,
        [f.name for f in evaluation.directory.facilitators],
        evaluation.errors,
        evaluation.warnings,
    )
    monday = week_monday(week)
    subject = district_subject(words, monday)
    context = {"words": words, "subject": subject, "week_of": long_day(monday), "district": view}
    text, html = templates.render("district_summary", context)
    return _to_each(recipients, DISTRICT_SUMMARY, week, subject, text, html)


def year_summaries(
    record: Table, settings: Settings, words: Words, templates: Templates | None = None
) -> list[Letter]:
    """The district's letter with an ended year's totals, to `district_recipients`: sent once,
    by the run that writes the year's tab (`core/year_record.py`), summer or not."""
    recipients = list(_district_recipients(words, settings))
    if not recipients or not record.rows:
        return []
    year = record.name.removeprefix("Year ")
    subject = one_line(f"{words.district or 'District'}: the {year} school year")
    totals = list(zip(record.header[3:], record.rows[-1][3:], strict=True))
    context = {
        "words": words,
        "subject": subject,
        "year": year,
        "schools": len(record.rows) - 1,
        "totals": [{"what": what, "value": value} for what, value in totals],
        "tab": record.name,
    }
    text, html = (templates or Templates()).render("year_summary", context)
    return _to_each(recipients, YEAR_SUMMARY, year, subject, text, html)


def _to_each(
    recipients: Sequence[_Recipient], kind: str, period: str, subject: str, text: str, html: str
) -> list[Letter]:
    """The same letter to each of the district's recipients, keyed for each."""
    return [
        Letter(
            letter_key(kind, r.address, period),
            kind,
            r.address,
            one_line(r.name),
            subject,
            text,
            html,
        )
        for r in recipients
    ]


def _district_recipients(words: Words, settings: Settings) -> Iterator[_Recipient]:
    """`district_recipients` as written (`addr` or `Name <addr>`), each address once."""
    seen: set[str] = set()
    for entry in words.district_recipients:
        address = parse_email(entry)
        if address is None or address.lower() in seen or not may_receive(address, words, settings):
            continue
        seen.add(address.lower())
        yield _Recipient(address, parseaddr(entry)[0])


def district_subject(words: Words, monday: date) -> str:
    """`Riverbend School District summary: week of Nov 24`."""
    return one_line(f"{words.district or 'District'} summary: week of {short_day(monday)}")


def _letter(
    kind: str,
    recipient: _Recipient,
    period: str,
    subject: str,
    templates: Templates,
    context: dict[str, object],
) -> Letter:
    text, html = templates.render(kind.replace("-", "_"), context)
    return Letter(
        letter_key(kind, recipient.address, period),
        kind,
        recipient.address,
        one_line(recipient.name),
        subject,
        text,
        html,
    )
