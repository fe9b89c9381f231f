"""Which tab or header a person most likely meant: by hand, then as properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sheets_sync.core.grid import near_match

TITLES = [
    "Schools",
    "Facilitators",
    "Team Roster",
    "Action Plan",
    "Contact Log",
    "Role",
    "Principal Email",
    "Contact Type",
    "Term Ends",
]


@pytest.mark.parametrize(
    ("wanted", "names", "meant"),
    [
        ("Schools", ["Summary", "school list"], "school list"),  # words added, singular
        ("Contact Log", ["Contact Log 2026-27", "Contacts"], "Contact Log 2026-27"),  # a year
        ("Role", ["Name", "Roles"], "Roles"),  # a plural
        ("Facilitators", ["Facilitaters"], "Facilitaters"),  # a typo
        ("Team Roster", ["team  roster", "Team Roster 2025"], "team  roster"),  # the same words
        ("Schools", ["Summary", "Run Log", "Budget"], None),  # nothing near
        ("Email", ["Phone", "Name"], None),
        ("Role", [], None),
    ],
)
def test_near_matches_worked_out_by_hand(wanted: str, names: list[str], meant: str | None) -> None:
    assert near_match(wanted, names) == meant


@given(
    st.sampled_from(TITLES),
    st.sampled_from(["", " 2026-27", " (2025)", " list", " 2026"]),
    st.sampled_from([str.upper, str.lower, str.title, lambda s: s.replace(" ", "  ")]),
)
def test_a_title_dressed_up_is_still_found(title: str, suffix: str, case: object) -> None:
    """Case, spacing, a year or a word added: the title is still the near match, even among
    every other title."""
    dressed = case(title) + suffix  # type: ignore[operator]
    others = [t for t in TITLES if t != title]
    assert near_match(title, [*others, dressed]) == dressed


@given(st.text(max_size=30), st.lists(st.text(max_size=30), max_size=8))
def test_any_text_gives_one_of_the_names_or_none(wanted: str, names: list[str]) -> None:
    """Never a crash, and never a name that was not offered."""
    found = near_match(wanted, names)
    assert found is None or found in names
