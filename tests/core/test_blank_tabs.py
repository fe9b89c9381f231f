"""The input tabs `init` creates: the contract's columns, dropdowns on the choice columns."""

from __future__ import annotations

from sheets_sync.core.blank_tabs import input_tabs
from sheets_sync.core.settings import Settings, TabNames


def test_columns_are_the_contract_in_order() -> None:
    """Each input tab has exactly the columns of PRODUCT.md §1, in its order."""
    found = {t.name: [c.title for c in t.columns] for t in input_tabs(Settings())}
    assert found == {
        "Schools": [
            "School",
            "Code",
            "Level",
            "Principal",
            "Principal Email",
            "Facilitator",
            "Cluster",
            "Active",
        ],
        "Facilitators": ["Facilitator", "Email"],
        "Team Roster": [
            "School",
            "Name",
            "Role",
            "Leadership",
            "Email",
            "Phone",
            "Grade Levels",
            "Term Ends",
        ],
        "Action Plan": [
            "School",
            "Goal",
            "Goal Type",
            "Activity",
            "Involvement Type",
            "Date",
            "Responsible",
            "Status",
            "Evaluation",
            "Grade Levels",
        ],
        "Contact Log": ["Date", "School", "Facilitator", "Contact Type", "With", "Notes"],
    }


def test_choice_columns_get_their_words_and_name_columns_a_range() -> None:
    """Role lists the seven roles; the Action Plan's School lists the Schools tab's names."""
    tabs = {t.name: {c.title: c for c in t.columns} for t in input_tabs(Settings())}
    assert tabs["Team Roster"]["Role"].choices == (
        "Principal",
        "Administrator",
        "Teacher",
        "Parent/Family",
        "Community",
        "Student",
        "Staff",
    )
    assert tabs["Action Plan"]["School"].source == "'Schools'!$A$2:$A$5000"
    assert tabs["Contact Log"]["School"].source == ""  # it may name several schools
    assert tabs["Contact Log"]["Date"].is_date


def test_pta_framework_lists_the_national_standards() -> None:
    """With framework "pta" the Involvement Type dropdown lists the six standards' short names."""
    tabs = {t.name: {c.title: c for c in t.columns} for t in input_tabs(Settings(framework="pta"))}
    assert tabs["Action Plan"]["Involvement Type"].choices[0] == "1 Welcoming All Families"
    assert len(tabs["Action Plan"]["Involvement Type"].choices) == 6


def test_a_tab_name_with_an_apostrophe_is_quoted_in_ranges() -> None:
    """A Schools tab named `Kim's Schools` is written `'Kim''s Schools'` in dropdown ranges."""
    settings = Settings(tabs=TabNames(schools="Kim's Schools"))
    roster = next(t for t in input_tabs(settings) if t.name == "Team Roster")
    assert roster.columns[0].source == "'Kim''s Schools'!$A$2:$A$5000"
