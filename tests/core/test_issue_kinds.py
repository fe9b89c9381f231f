"""The registry of issue kinds is the one place a code is defined: every code the rules
raise is in it with its severity, and the README's table says the same."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from sheets_sync.core.cycle import evaluate
from sheets_sync.core.issue_kinds import BY_CODE, KINDS, LAYOUT_CODES, TEAM_PROBLEMS, meaning
from sheets_sync.core.issues import NOT_LISTED
from sheets_sync.core.settings import Rules, SchoolYear, Settings, TabNames
from sheets_sync.demo import demo_district, synthetic_district
from tests.demo.test_district import as_book

REPO = Path(__file__).resolve().parents[2]
CODE = re.compile(r'"((?:tab|column|cell|school|facilitator|roster|plan|contact|email|issues)'
                  r'\.[a-z-]+)"')  # fmt: skip


def test_every_code_in_the_rules_is_registered_once() -> None:
    """Each code literal in the core's rules, and the four made from a kind of name, is in
    the registry; no code is registered twice."""
    written = {
        code
        for path in (REPO / "sheets_sync" / "core").glob("*.py")
        if path.name != "issue_kinds.py"
        for code in CODE.findall(path.read_text(encoding="utf-8"))
    }
    made = {
        f"{kind}.{what}" for kind in ("school", "facilitator") for what in ("unknown", "duplicate")
    }
    assert written | made <= BY_CODE.keys()
    assert len(BY_CODE) == len(KINDS)


def test_issues_raised_carry_their_registered_severity() -> None:
    """Over the demo district and a synthetic one (issues of every common kind), each issue's
    severity is the one its kind says."""
    year = Settings(year=SchoolYear(date(2025, 8, 1), date(2026, 6, 30)))
    today = date(2026, 2, 20)
    issues = [
        *evaluate(as_book(demo_district(today, year)), year, today).issues,
        *evaluate(as_book(synthetic_district(60, today, year)), year, today).issues,
    ]
    assert len({i.code for i in issues}) >= 12
    for issue in issues:
        assert issue.severity == BY_CODE[issue.code].severity, issue.code


def test_the_readme_table_lists_every_kind_with_its_severity() -> None:
    """The README's table of checks names each code once, with the registry's severity."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    row = r"^\| (`[a-z.-]+`(?:, `[a-z.-]+`)*) \| (error|warning|error or warning) \|"
    rows = re.findall(row, readme, re.MULTILINE)
    listed = {code: severity for codes, severity in rows for code in re.findall(r"`(.+?)`", codes)}
    assert listed.keys() == BY_CODE.keys()
    for code, severity in listed.items():
        expected = "error or warning" if code == NOT_LISTED else BY_CODE[code].severity
        assert severity == expected, code


def test_what_the_other_tables_are_made_of() -> None:
    """Layout codes hold the mail back; Team Check's phrases come in the rule order; a
    meaning quotes the configured thresholds and tab names."""
    assert {"tab.missing", "tab.empty", "column.missing"} == LAYOUT_CODES
    assert list(TEAM_PROBLEMS)[:3] == ["roster.empty", "roster.too-small", "roster.large"]
    assert meaning("roster.few-teachers", Rules(min_teachers=1), TabNames()) == (
        "The team has fewer than 1 teacher."
    )
    assert meaning("school.unknown", Rules(), TabNames(schools="Sites")) == (
        "A school name matches no row of the Sites tab."
    )
    assert meaning("nothing.like-this", Rules(), TabNames()) == "A problem (nothing.like-this)."
