"""The input tabs as `init` creates them: headers in contract order, dropdowns on choice columns."""

from __future__ import annotations

from sheets_sync.core.contacts import (
    CONTACT_DATE,
    CONTACT_FACILITATOR,
    CONTACT_FIELDS,
    CONTACT_SCHOOL,
    CONTACT_TYPE_FIELD,
)
from sheets_sync.core.inputs import Field
from sheets_sync.core.plan import (
    GOAL_TYPE_FIELD,
    INVOLVEMENT,
    PLAN_FIELDS,
    PLAN_SCHOOL,
    STATUS_FIELD,
    WHEN,
)
from sheets_sync.core.roster import LEADERSHIP_FIELD, MEMBER_SCHOOL, ROLE, ROSTER_FIELDS, TERM_ENDS
from sheets_sync.core.schools import ACTIVE, FACILITATOR, FACILITATOR_FIELDS, SCHOOL_FIELDS
from sheets_sync.core.settings import Settings
from sheets_sync.core.table import InputColumn, InputTab
from sheets_sync.core.vocab import (
    CONTACT_TYPE,
    GOAL_TYPE,
    LEADERSHIP,
    ROLES,
    STATUS,
    YES_NO,
    InvolvementTypes,
)

# Enough rows for a state's schools; a dropdown over blank cells costs nothing.
LAST_ROW = 5000
_WIDE = {
    "School": 30,
    "Activity": 40,
    "Goal": 34,
    "Notes": 40,
    "Principal Email": 30,
    "Email": 30,
    "With": 24,
    "Responsible": 22,
    "Principal": 22,
    "Facilitator": 22,
    "Name": 24,
}


def input_tabs(settings: Settings) -> list[InputTab]:
    tabs = settings.tabs
    # Dropdowns list the first column of the Schools and Facilitators tabs as `init` makes them.
    schools = f"{quoted_tab(tabs.schools)}!$A$2:$A${LAST_ROW}"
    facilitators = f"{quoted_tab(tabs.facilitators)}!$A$2:$A${LAST_ROW}"
    involvement = InvolvementTypes(settings.framework).labels()
    special: dict[Field, InputColumn] = {
        ACTIVE: _column(ACTIVE, choices=YES_NO.words),
        FACILITATOR: _column(FACILITATOR, source=facilitators),
        MEMBER_SCHOOL: _column(MEMBER_SCHOOL, source=schools),
        ROLE: _column(ROLE, choices=ROLES.words),
        LEADERSHIP_FIELD: _column(LEADERSHIP_FIELD, choices=LEADERSHIP.words),
        TERM_ENDS: _column(TERM_ENDS, is_date=True),
        PLAN_SCHOOL: _column(PLAN_SCHOOL, source=schools),
        GOAL_TYPE_FIELD: _column(GOAL_TYPE_FIELD, choices=GOAL_TYPE.words),
        INVOLVEMENT: _column(INVOLVEMENT, choices=involvement),
        WHEN: _column(WHEN, is_date=True),
        STATUS_FIELD: _column(STATUS_FIELD, choices=STATUS.words),
        CONTACT_DATE: _column(CONTACT_DATE, is_date=True),
        # A contact may name several schools, so its School column gets no dropdown.
        CONTACT_SCHOOL: _column(CONTACT_SCHOOL),
        CONTACT_FACILITATOR: _column(CONTACT_FACILITATOR, source=facilitators),
        CONTACT_TYPE_FIELD: _column(CONTACT_TYPE_FIELD, choices=CONTACT_TYPE.words),
    }
    layout = (
        (tabs.schools, SCHOOL_FIELDS),
        (tabs.facilitators, FACILITATOR_FIELDS),
        (tabs.roster, ROSTER_FIELDS),
        (tabs.plan, PLAN_FIELDS),
        (tabs.contacts, CONTACT_FIELDS),
    )
    return [
        InputTab(name, tuple(special.get(f) or _column(f) for f in fields))
        for name, fields in layout
    ]


def _column(
    field: Field, choices: tuple[str, ...] = (), source: str = "", is_date: bool = False
) -> InputColumn:
    width = _WIDE.get(field.title, 14 if is_date else max(12, len(field.title) + 4))
    return InputColumn(field.title, width, choices, source, is_date)


def quoted_tab(name: str) -> str:
    """A tab name as a formula writes it: in quotes, an apostrophe doubled (`'Kim''s Tab'`)."""
    return "'" + name.replace("'", "''") + "'"
