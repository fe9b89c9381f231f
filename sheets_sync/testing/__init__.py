"""Helpers shipped for testing sheets-sync and a district's own setup.

`sheets_sync.testing.sheets_api` is a local stand-in for the Google Sheets API v4 (with
its OAuth token endpoint): ``python -m sheets_sync.testing.sheets_api --port 0``.
"""

from __future__ import annotations

from sheets_sync.testing.sheets_api import RecordedRequest, SheetsApiStandIn

__all__ = ["RecordedRequest", "SheetsApiStandIn"]
