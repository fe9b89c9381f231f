"""Each input tab's columns by the keys [columns] names them with (`contacts.facilitator`)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from sheets_sync.core.contacts import CONTACT_READ
from sheets_sync.core.inputs import Field
from sheets_sync.core.plan import PLAN_FIELDS
from sheets_sync.core.roster import ROSTER_FIELDS
from sheets_sync.core.schools import FACILITATOR_FIELDS, SCHOOL_FIELDS

# By the tab's [tabs] key, in the workbook's order.
FIELDS_BY_TAB: Mapping[str, tuple[Field, ...]] = {
    "schools": SCHOOL_FIELDS,
    "facilitators": FACILITATOR_FIELDS,
    "roster": ROSTER_FIELDS,
    "plan": PLAN_FIELDS,
    "contacts": CONTACT_READ,
}


def field_key(field: Field) -> str:
    """A column's key in [columns]: its title in lower case, words joined by `_`
    ("Contact Type" -> "contact_type")."""
    return re.sub(r"[^a-z0-9]+", "_", field.title.lower()).strip("_")


def column_keys(tab_key: str) -> tuple[str, ...]:
    return tuple(field_key(f) for f in FIELDS_BY_TAB[tab_key])


def column_title(tab_key: str, key: str) -> str:
    """The title of the column `key` of the tab `tab_key` (both known)."""
    return next(f.title for f in FIELDS_BY_TAB[tab_key] if field_key(f) == key)
