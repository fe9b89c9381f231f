"""The one vocabulary for how a cycle ended (core/results.py), worked out case by case."""

from __future__ import annotations

from itertools import product

import pytest

from sheets_sync.core.results import EXIT_STATUS, cycle_result
from sheets_sync.core.table import TONES


@pytest.mark.parametrize(
    ("data_errors", "mail_trouble", "written", "result"),
    [
        (False, False, True, "ok"),
        (True, False, True, "data errors"),
        (False, True, True, "failed"),  # mail trouble outranks data errors: a person must look
        (True, True, True, "failed"),
        (False, False, False, "not written"),
        (True, False, False, "not written"),
        (True, True, False, "failed"),
    ],
)
def test_the_worst_thing_about_a_cycle_names_it(
    data_errors: bool, mail_trouble: bool, written: bool, result: str
) -> None:
    """Failed mail first, then an unwritten workbook, then data errors, else ok."""
    assert cycle_result(data_errors=data_errors, mail_trouble=mail_trouble, written=written) == (
        result
    )


def test_exit_statuses_are_the_documented_ones() -> None:
    """0 all well; 1 finished with something to look at; 2 could not run (README)."""
    assert dict(EXIT_STATUS) == {
        "ok": 0,
        "data errors": 1,
        "failed": 1,
        "not written": 1,
        "could not run": 2,
    }


def test_every_result_a_run_log_row_can_carry_has_a_colour() -> None:
    """A row is written only when the tabs are: ok, errors or failed, each with a tone."""
    logged = {
        cycle_result(data_errors=e, mail_trouble=m) for e, m in product((False, True), repeat=2)
    }
    assert logged == {"ok", "data errors", "failed"}
    assert all(result in TONES for result in logged)
