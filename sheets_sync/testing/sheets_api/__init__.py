"""A faithful local stand-in for the Google Sheets API v4, kept in memory.

It speaks the part of Sheets v4 that sheets-sync uses, as Google answers it (checked
against Google's recorded answers), plus the OAuth token endpoint a service account
uses, and it can fail on purpose::

    from sheets_sync.testing.sheets_api import SheetsApiStandIn

    with SheetsApiStandIn() as api:
        sid = api.create_spreadsheet("District", {"Schools": [["School", "Region"]]})
        api.fail_next(2, status=429, retry_after=1)
        ...

Modules: `a1` (ranges), `cells` (values in and out), `model` (spreadsheets in memory),
`fields` (field masks), `formats` (colors and ranges as stored), `values` (the values
endpoints), `metadata` (the Spreadsheet resource), `sheet_requests` and `cell_requests`
(batchUpdate requests, run by `batch_update`), `auth` (tokens), `faults`, `routes`,
`dispatch`, `handler` (HTTP) and `server` (the `SheetsApiStandIn` class).
"""

from __future__ import annotations

from sheets_sync.testing.sheets_api.handler import RecordedRequest
from sheets_sync.testing.sheets_api.server import SheetsApiStandIn

__all__ = ["RecordedRequest", "SheetsApiStandIn"]
