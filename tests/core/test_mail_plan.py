"""This run's email as one value (core/mail_plan.py), worked by hand on the tests' district
as of Thursday 2025-11-20 (tests/core/test_letters.py): five letters are due, in this order:
Pat's digest, the summaries of Ann, Bo and Cy, Dee's district summary."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sheets_sync.core.cycle import Evaluation, evaluate
from sheets_sync.core.mail_plan import Decision, MailRules, plan_mail
from tests.core.grids import SETTINGS
from tests.core.test_letters import ALL_DUE, TEMPLATES, THURSDAY, WORDS, book

RULES = MailRules(ALL_DUE, cap=200, summer=False, templates=TEMPLATES)
PAT = "facilitator-digest / pat@district.org / 2025-W47"
ANN, BO, CY = (f"principal-summary / {a}@district.org / 2025-11" for a in ("ann", "bo", "cy"))
DEE = "district-summary / dee@district.org / 2025-W47"


def asked(answers: dict[str, Decision]) -> tuple[list[str], Callable[[str], Decision]]:
    """A ledger that answers as given ("send" for a key it has never seen), and what it was
    asked, in order."""
    keys: list[str] = []

    def decide(key: str) -> Decision:
        keys.append(key)
        return answers.get(key, "send")

    return keys, decide


def evaluation(today: date = THURSDAY) -> Evaluation:
    return evaluate(book(), SETTINGS, today)


def test_each_letter_is_as_the_ledger_says_then_the_cap() -> None:
    """Pat's digest was sent, Ann's summary refused for good, Bo's in doubt: Cy's and Dee's
    are to send, and a cap of 1 leaves Dee's for the next run."""
    keys, decide = asked({PAT: "skip-sent", ANN: "skip-refused", BO: "unknown"})
    rules = MailRules(ALL_DUE, cap=1, summer=False, templates=TEMPLATES)
    plan = plan_mail(evaluation(), SETTINGS, WORDS, THURSDAY, rules, decide)
    assert keys == [PAT, ANN, BO, CY, DEE]
    assert [letter.key for letter in plan.due] == [CY]
    assert (plan.already_sent, plan.refused_before, plan.unknown) == (1, 1, (BO,))
    assert (plan.over_cap, plan.cap, plan.held, plan.resting) == (1, 1, (), "")


def test_a_broken_layout_holds_every_letter_and_asks_nothing() -> None:
    """No Facilitator column in the Contact Log: nothing is composed, the ledger is not asked,
    and the plan says why."""
    workbook = dict(book())
    workbook["Contact Log"] = [["Date", "School", "Contact Type"]]
    keys, decide = asked({})
    found = evaluate(workbook, SETTINGS, THURSDAY)
    plan = plan_mail(found, SETTINGS, WORDS, THURSDAY, RULES, decide)
    assert (plan.due, keys) == ((), [])
    assert plan.held == (
        "no email sent: the workbook's layout is broken (column.missing; see the Data Issues tab)",
    )


def test_the_summer_rests_the_scheduled_letters() -> None:
    """On 2026-07-15, after the year's end (2026-06-30), nothing scheduled goes unless
    [email] summer = true."""
    summer = date(2026, 7, 15)
    keys, decide = asked({})
    plan = plan_mail(evaluation(summer), SETTINGS, WORDS, summer, RULES, decide)
    assert (plan.due, keys) == ((), [])
    assert plan.resting.startswith("summer: the 2025-26 school year ended 2026-06-30")
    rules = MailRules(ALL_DUE, cap=200, summer=True, templates=TEMPLATES)
    plan = plan_mail(evaluation(summer), SETTINGS, WORDS, summer, rules, decide)
    assert plan.resting == ""
    assert plan.due
