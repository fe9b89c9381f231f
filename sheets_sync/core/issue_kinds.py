"""Every kind of issue in one table: its code, severity, plain meaning, and what it implies.

The rules raise issues by code; what a code means elsewhere is read from here, never kept
beside the code that needs it: the plain meaning a principal's letter shows instead of the
problem's text, the phrase the Summary's Team Check uses, whether the problem's text
quotes a cell (and so may carry a name that must not leave the school), and whether the
workbook could not be read as laid out (then no email goes out and `doctor` says so), or
otherwise holds every email back (a school year that is over).
A new rule adds one line here (a test holds every code the rules raise to this table).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sheets_sync.core.issues import NOT_LISTED, Severity
from sheets_sync.core.settings import Rules, TabNames

Meaning = Callable[[Rules, TabNames], str]


@dataclass(frozen=True)
class Kind:
    code: str
    severity: Severity
    meaning: Meaning  # in plain words, quoting no cell
    quotes_cell: bool = True  # the problem's text may quote what someone typed
    layout: bool = False  # the workbook cannot be read as laid out
    team_phrase: str = ""  # how the Summary's Team Check says a roster rule
    holds_mail: bool = False  # no email goes out while it stands (a layout problem too)


def _said(text: str) -> Meaning:
    return lambda rules, tabs: text


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _roster(code: str, severity: Severity, meaning: Meaning, phrase: str) -> Kind:
    return Kind(f"roster.{code}", severity, meaning, quotes_cell=True, team_phrase=phrase)


KINDS: tuple[Kind, ...] = (
    Kind("tab.missing", "error", _said("A required tab is missing."), False, layout=True),
    Kind("tab.empty", "error", _said("The tab lists no rows."), layout=True),
    Kind("column.missing", "error", _said("A required column is missing."), False, layout=True),
    Kind("column.duplicate", "warning", _said("Two columns have the same heading.")),
    Kind("cell.required", "error", _said("A required cell is blank."), False),
    Kind("cell.bad-date", "error", _said("A date cannot be read.")),
    Kind("cell.bad-email", "error", _said("An email address is not valid.")),
    Kind("cell.bad-choice", "error", _said("A value is not one of the allowed choices.")),
    Kind("cell.too-long", "error", _said("A cell holds more text than a spreadsheet cell can.")),
    Kind(
        "cell.hidden-characters",
        "warning",
        _said("A cell holds characters that do not show, or that reverse the text around them."),
    ),
    Kind(
        "school.unknown",
        "error",
        lambda rules, tabs: f"A school name matches no row of the {tabs.schools} tab.",
    ),
    Kind(
        "facilitator.unknown",
        "error",
        lambda rules, tabs: f"A facilitator matches no row of the {tabs.facilitators} tab.",
    ),
    Kind("school.duplicate", "error", _said("A school is listed twice.")),
    Kind("facilitator.duplicate", "error", _said("A facilitator is listed twice.")),
    _roster("empty", "error", _said("The team has no members listed."), "no members"),
    _roster(
        "too-small",
        "error",
        lambda rules, tabs: f"The team has fewer than {_count(rules.team_min, 'member')}.",
        "too small",
    ),
    _roster(
        "large",
        "warning",
        lambda rules, tabs: f"The team has more than {_count(rules.team_max, 'member')}.",
        "large",
    ),
    _roster("no-chair", "error", _said("The team has no Chair or Co-chair."), "no chair"),
    _roster(
        "chair-no-email",
        "error",
        _said("A Chair or Co-chair has no valid email."),
        "chair without email",
    ),
    _roster(
        "no-principal",
        "error",
        _said("The team has no Principal or Administrator."),
        "no principal",
    ),
    _roster(
        "few-teachers",
        "warning",
        lambda rules, tabs: f"The team has fewer than {_count(rules.min_teachers, 'teacher')}.",
        "few teachers",
    ),
    _roster(
        "few-families",
        "warning",
        lambda rules, tabs: (
            f"The team has fewer than {_count(rules.min_families, 'family member')}."
        ),
        "few families",
    ),
    _roster(
        "no-community", "warning", _said("The team has no Community member."), "no community member"
    ),
    _roster(
        "few-students",
        "warning",
        lambda rules, tabs: (
            f"The team has fewer than {_count(rules.min_students_high_school, 'student')}."
        ),
        "few students",
    ),
    _roster(
        "duplicate-member",
        "warning",
        _said("The same email is on two rows of the team."),
        "duplicate member",
    ),
    _roster("term-ended", "warning", _said("A member's term has ended."), "term ended"),
    Kind("plan.empty", "error", _said("The school has no action plan activities."), False),
    Kind(
        "plan.goal-mix",
        "warning",
        _said("The plan has fewer goals of a type than expected."),
        False,
    ),
    Kind(
        "plan.types-missing",
        "warning",
        _said("The plan leaves out some types of involvement."),
        False,
    ),
    Kind(
        "plan.date-outside-year",
        "warning",
        _said("An activity is dated outside the school year."),
        False,
    ),
    Kind(
        "plan.stale-planned",
        "warning",
        lambda rules, tabs: (
            f"An activity dated more than {rules.evaluation_grace_days} days ago "
            "still says Planned."
        ),
        False,
    ),
    Kind("contact.future-date", "error", _said("A contact is dated after today."), False),
    Kind(
        "contact.outside-year",
        "warning",
        _said("A contact is dated outside the school year."),
        False,
    ),
    Kind("contact.duplicate", "warning", _said("The same contact is logged twice."), False),
    Kind(
        "year.over",
        "error",
        _said("The school year set in the config has ended, or has not begun."),
        False,
        holds_mail=True,
    ),
    Kind(
        "sheet.time-zone",
        "warning",
        _said("The spreadsheet keeps another time zone than the district's."),
        False,
    ),
    Kind(
        "email.outside-domain",
        "warning",
        _said("An email address is outside the district's allowed domains."),
    ),
    Kind(
        NOT_LISTED,
        "error",  # or a warning, when only warnings went unlisted
        _said("More issues were found than are listed."),
        False,
    ),
)

BY_CODE: Mapping[str, Kind] = {kind.code: kind for kind in KINDS}
LAYOUT_CODES = frozenset(kind.code for kind in KINDS if kind.layout)
MAIL_HOLDING_CODES = frozenset(kind.code for kind in KINDS if kind.layout or kind.holds_mail)
# Team Check's phrases, in the order it lists them.
TEAM_PROBLEMS: Mapping[str, str] = {k.code: k.team_phrase for k in KINDS if k.team_phrase}


def meaning(code: str, rules: Rules, tabs: TabNames) -> str:
    """What a code means, in plain words that quote no cell."""
    kind = BY_CODE.get(code)
    return kind.meaning(rules, tabs) if kind else f"A problem ({code})."


def quotes_cell(code: str) -> bool:
    """Whether an issue's problem text may quote a cell; an unknown code is taken to."""
    kind = BY_CODE.get(code)
    return kind is None or kind.quotes_cell
