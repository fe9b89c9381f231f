"""The Google Sheets backend: gspread and google-auth, with a service account.

Modules: `retry` (bounded retries and timeouts under gspread), `transport` (credentials,
sessions, the endpoint adapter), `a1` (ranges), `cells` (values), `sheets` (metadata),
`looks` (format and structure requests), `messages` (what a failure means), `workbook` (the port).
"""

from sheets_sync.adapters.gsheets.retry import HttpSettings
from sheets_sync.adapters.gsheets.workbook import GoogleSheetsWorkbook, SheetCheck

__all__ = ["GoogleSheetsWorkbook", "HttpSettings", "SheetCheck"]
