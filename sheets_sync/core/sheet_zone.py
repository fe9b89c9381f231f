"""A Google Form writes each Timestamp in the spreadsheet's own time zone. Unless that zone
keeps the district's clock, a contact logged late in the evening is read as the next day's,
and on a month's last evening as the next month's: the workbook is told so, at the column."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sheets_sync.core.grid import Grid, header_key
from sheets_sync.core.issues import Issue, column_letter

TIMESTAMP = "Timestamp"  # the column a Form writes when each response was sent


def zone_issue(
    contacts: Grid | None, tab: str, sheet_zone: str, district: str, today: date
) -> Issue | None:
    """A warning at the contacts tab's Timestamp header when the sheet's zone (`sheet_zone`,
    "" for a file, which keeps none) does not keep the district's clock this year."""
    if not contacts or not sheet_zone or not district:
        return None
    if same_clock(sheet_zone, district, today.year):
        return None
    keys = [header_key(cell) if isinstance(cell, str) else "" for cell in contacts[0]]
    if header_key(TIMESTAMP) not in keys:
        return None
    column = keys.index(header_key(TIMESTAMP)) + 1
    return Issue(
        "warning",
        tab,
        f"{column_letter(column)}1",
        "sheet.time-zone",
        f"The Google Sheet keeps its times in {sheet_zone}, the district in {district} "
        "([program] timezone): a Form writes each Timestamp in the sheet's time zone, so a "
        "contact logged late in the day can count for the next day, or the next month.",
        f"In the sheet choose File, Settings, Time zone: {district} (or set [program] "
        "timezone in the config to the sheet's).",
        row=1,
        column=column,
    )


def same_clock(zone: str, other: str, year: int) -> bool:
    """Two zone names that keep one clock all `year` (`US/Eastern`, `America/New_York`); a
    name this machine does not know is compared as written."""
    try:
        one, two = ZoneInfo(zone), ZoneInfo(other)
    except (ZoneInfoNotFoundError, ValueError):
        return zone == other
    moments = [datetime(year, month, 1, tzinfo=UTC) for month in (1, 4, 7, 10)]
    return all(m.astimezone(one).utcoffset() == m.astimezone(two).utcoffset() for m in moments)
