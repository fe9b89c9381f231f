"""This run's email as one value, decided before anything is sent (PRODUCT.md §5's promises).

Held back whole on a broken layout or an ended fixed year; resting in the summer; else the
letters of each period due, a kind whose template fails left out and said; then each letter
as the ledger answers for it (sent before, refused for good, in doubt, or to send), and the
per-run cap. Pure: the ledger's answer comes in as a function; sending is the shell's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from css_inline import InlineError
from jinja2 import TemplateError

from sheets_sync.core.cycle import Evaluation
from sheets_sync.core.issue_kinds import LAYOUT_CODES, MAIL_HOLDING_CODES
from sheets_sync.core.letters import DueKinds, Letter, Templates, Words, compose, year_summaries
from sheets_sync.core.settings import Settings
from sheets_sync.core.table import Table

# What the ledger says of a key: never sent (or failed: send it), sent, refused for good, or
# pending since an earlier run (in doubt: reported, never resent on its own).
Decision = Literal["send", "skip-sent", "skip-refused", "unknown"]


@dataclass(frozen=True)
class MailPlan:
    """What this run's email is to do."""

    due: tuple[Letter, ...] = ()  # to send now, in order, at most `cap`
    cap: int = 0
    over_cap: int = 0  # due, left for the next run by the cap
    already_sent: int = 0  # due this period, sent by an earlier run
    refused_before: int = 0  # refused for good by an earlier run: not sent again
    unknown: tuple[str, ...] = ()  # keys due now, in doubt since an earlier run
    held: tuple[str, ...] = ()  # why some or all mail is held back
    resting: str = ""  # why no scheduled email is due at all (the summer)


@dataclass(frozen=True)
class MailRules:
    """What of the config the plan needs."""

    due: DueKinds  # the periods due now
    cap: int  # max_per_run
    summer: bool  # scheduled letters between one year's end and the next's start too
    templates: Templates


def plan_mail(
    evaluation: Evaluation,
    settings: Settings,
    words: Words,
    today: date,
    rules: MailRules,
    decide: Callable[[str], Decision],
    year_record: Table | None = None,
) -> MailPlan:
    """The letters due as of `today` and what becomes of each. `year_record`, an ended year's
    tab this run writes, sends its totals to the district (summer or not)."""
    holding = sorted({i.code for i in evaluation.issues if i.code in MAIL_HOLDING_CODES})
    if holding:
        why = (
            "the workbook's layout is broken"
            if set(holding) & LAYOUT_CODES
            else "the school year in the config is over"
        )
        held = f"no email sent: {why} ({', '.join(holding)}; see the Data Issues tab)"
        return MailPlan(cap=rules.cap, held=(held,))
    year, resting = settings.year, ""
    letters: list[Letter] = []
    held_kinds: list[str] = []
    if settings.in_summer(today) and not rules.summer:
        resting = (
            f"summer: the {year.name} school year ended {year.end.isoformat()}, so no scheduled "
            "email goes out until the next one begins ([email] summer = true sends them)"
        )
    else:
        letters, held_kinds = letters_due(evaluation, settings, words, today, rules)
    if year_record is not None:
        letters += year_summaries(year_record, settings, words, rules.templates)
    return _asked(letters, decide, rules.cap, tuple(held_kinds), resting)


def letters_due(
    evaluation: Evaluation, settings: Settings, words: Words, today: date, rules: MailRules
) -> tuple[list[Letter], list[str]]:
    """Every letter of the periods due (before the ledger is asked), and why a kind is left
    out: its template failed to render (a district's own template, say); the others still go."""
    due = rules.due
    kinds = (
        ("facilitator digests", DueKinds(facilitator_week=due.facilitator_week)),
        ("principal summaries", DueKinds(principal_month=due.principal_month)),
        ("district summaries", DueKinds(district_week=due.district_week)),
    )
    letters: list[Letter] = []
    held: list[str] = []
    for name, kind in kinds:
        if kind == DueKinds():
            continue
        try:
            letters += compose(evaluation, settings, words, kind, today, templates=rules.templates)
        except (TemplateError, InlineError) as broken:
            held.append(
                f"{name} not sent: a template failed ({type(broken).__name__}: {broken}); "
                "fix it (see templates_dir)"
            )
    return letters, held


def _asked(
    letters: Sequence[Letter],
    decide: Callable[[str], Decision],
    cap: int,
    held: tuple[str, ...],
    resting: str,
) -> MailPlan:
    due: list[Letter] = []
    unknown: list[str] = []
    sent = refused = 0
    for letter in letters:
        decision = decide(letter.key)
        if decision == "send":
            due.append(letter)
        elif decision == "skip-sent":
            sent += 1
        elif decision == "skip-refused":
            refused += 1
        else:
            unknown.append(letter.key)
    return MailPlan(
        due=tuple(due[:cap]),
        cap=cap,
        over_cap=max(0, len(due) - cap),
        already_sent=sent,
        refused_before=refused,
        unknown=tuple(unknown),
        held=held,
        resting=resting,
    )
