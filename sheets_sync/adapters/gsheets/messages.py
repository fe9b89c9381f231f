"""What a failed Sheets API call means for the district, and what to do about it."""

from __future__ import annotations

from sheets_sync.adapters.gsheets.retry import RequestFailed
from sheets_sync.errors import WorkbookError, WriteFailed


def _tries(failure: RequestFailed) -> str:
    if failure.attempts <= 1:
        return ""
    return f" ({failure.attempts} tries over {failure.seconds:.0f} s)"


def explain(failure: RequestFailed, spreadsheet_id: str, email: str) -> tuple[str, str]:
    """What went wrong and what to do, as two sentences' worth of text."""
    status, detail = failure.status, failure.detail
    account = email or "the service account"
    if failure.kind == "auth":
        return (
            f"Google refused the service account's key ({detail})",
            f"Create a new JSON key for {account} and point [workbook] credentials at it.",
        )
    if failure.kind == "network":
        return (
            f"Google Sheets could not be reached: {detail}{_tries(failure)}",
            "Check this machine's internet connection and proxy settings "
            "(and [workbook] endpoint, if set).",
        )
    if status == 403 and _api_disabled(detail):
        return (
            f"the Google Sheets API is not enabled for the service account's project ({detail})",
            "Enable the Google Sheets API in the Google Cloud console (APIs & Services, "
            "Enable APIs and services) for the project of that service account.",
        )
    if status == 403:
        return (
            f"the sheet is not shared with the service account {account}",
            f"Share the sheet with {account} as Editor.",
        )
    if status == 404:
        return (
            f"there is no spreadsheet with the id {spreadsheet_id!r}",
            "Check [workbook] spreadsheet_id: it is the part of the sheet's address "
            "between /d/ and /edit.",
        )
    if status == 401:
        return (
            f"Google did not accept the service account's access token ({detail})",
            f"Check that the key of {account} has not been deleted or disabled.",
        )
    if status == 429:
        return (
            f"the Google Sheets API quota is used up{_tries(failure)}",
            "Run less often ([schedule] sync_every_minutes), or ask for a higher quota "
            "in the Google Cloud console.",
        )
    if status is not None and (status >= 500 or status == 408):
        return (f"Google Sheets answered {status}: {detail}{_tries(failure)}", "")
    return (f"Google Sheets answered {status}: {detail}", "")


def read_error(
    failure: RequestFailed, spreadsheet_id: str, email: str, doing: str = "read"
) -> WorkbookError:
    """The sheet could not be read (or, for `init`, changed): the run cannot go on."""
    reason, fix = explain(failure, spreadsheet_id, email)
    fix = fix or "The next run tries again."
    return WorkbookError(f"Cannot {doing} the Google Sheet {spreadsheet_id}: {reason}. {fix}")


def write_error(failure: RequestFailed, spreadsheet_id: str, email: str) -> WriteFailed:
    reason, fix = explain(failure, spreadsheet_id, email)
    message = (
        f"Google Sheets did not accept the write ({reason}); the owned tabs keep last "
        "run's content; the next run writes them."
    )
    return WriteFailed(f"{message} {fix}" if fix else message)


def _api_disabled(detail: str) -> bool:
    lowered = detail.lower()
    return "has not been used" in lowered or "it is disabled" in lowered
