"""What a failed Sheets API call means for the district, and what to do about it.

Google's own error body decides (`error.status`, `error.message`, `details[].reason`);
an answer that is not a Google API error (a proxy's page) is reported as what that server
said, never as "not shared" or "wrong id".
"""

from __future__ import annotations

from sheets_sync.adapters.gsheets.retry import RequestFailed
from sheets_sync.errors import CredentialsRefused, WorkbookError, WriteFailed

PROTECTED = "protected cell or object"  # Google's 403 for an edit a protection forbids


def _tries(failure: RequestFailed) -> str:
    if failure.attempts <= 1:
        return ""
    return f" after {failure.attempts} tries over {failure.seconds:.0f} s"


def explain(
    failure: RequestFailed, spreadsheet_id: str, email: str, *, writing: bool = False
) -> tuple[str, str]:
    """What went wrong and what to do, as two sentences' worth of text."""
    status, detail = failure.status, failure.detail
    account = email or "the service account"
    if failure.kind == "auth":
        return (
            f"Google refused the service account's key ({detail})",
            f"Create a new JSON key for {account} and point [workbook] credentials at it.",
        )
    if failure.kind == "signin":
        code = f" (HTTP {status})" if status else ""
        return (f"Google's sign-in service is unavailable{code}{_tries(failure)}", "")
    if failure.kind == "tls":
        return (detail, "")
    if failure.kind == "too-large":
        return (
            f"Google Sheets answered {detail} for it, far more than any district's sheet "
            "(a state's is about 19 MB): a tab holds far more rows or columns than it should",
            "Delete the rows or columns pasted by mistake (Ctrl+End on each tab finds the "
            "last cell), or move earlier years' rows to another sheet, then run again.",
        )
    if failure.kind == "local":
        return (
            f"{detail}",
            "Check [workbook] endpoint and the token_uri in the credentials file.",
        )
    if failure.kind == "network":
        return (
            f"Google Sheets could not be reached: {detail}{_tries(failure)}",
            "Check this machine's internet connection and proxy settings "
            "(and [workbook] endpoint, if set).",
        )
    if status in (403, 404) and not failure.from_google:
        return (
            f"the server answered {detail}",
            "Check [workbook] endpoint and this machine's proxy settings.",
        )
    if status == 403:
        return _forbidden(failure, account, writing)
    if status == 404 and "NOT_FOUND" in failure.reasons:
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
    if not failure.from_google:
        return (f"the server answered {detail}{_tries(failure)}", "")
    return (f"Google Sheets answered {status}: {detail.rstrip('.')}{_tries(failure)}", "")


def _forbidden(failure: RequestFailed, account: str, writing: bool) -> tuple[str, str]:
    detail = failure.detail
    lowered = detail.lower()
    if "SERVICE_DISABLED" in failure.reasons or "has not been used in project" in lowered:
        return (
            "the Google Sheets API is not enabled for the service account's project",
            "Enable the Google Sheets API in the Google Cloud console (APIs & Services, "
            "Enable APIs and services) for the project of that service account.",
        )
    if PROTECTED in lowered:
        return (
            "a protected range in the sheet forbids the service account's edit",
            f"Remove that protection, or add {account} to the people who may edit it.",
        )
    if "PERMISSION_DENIED" in failure.reasons and "does not have permission" in lowered:
        if writing:
            return (
                f"the service account {account} may not edit the sheet "
                "(not shared with it, or shared as Viewer)",
                f"Share the sheet with {account} as Editor.",
            )
        return (
            f"the sheet is not shared with the service account {account}",
            f"Share the sheet with {account} as Editor.",
        )
    return (f"Google Sheets refused the request: {detail}", "")


def read_error(
    failure: RequestFailed, spreadsheet_id: str, email: str, doing: str = "read"
) -> WorkbookError:
    """The sheet could not be read (or, for `init`, changed): the run cannot go on."""
    reason, fix = explain(failure, spreadsheet_id, email, writing=doing != "read")
    fix = fix or "The next run tries again."
    error = CredentialsRefused if failure.kind == "auth" else WorkbookError
    return error(f"Cannot {doing} the Google Sheet {spreadsheet_id}: {reason}. {fix}")


def write_error(failure: RequestFailed, spreadsheet_id: str, email: str) -> WriteFailed:
    reason, fix = explain(failure, spreadsheet_id, email, writing=True)
    message = (
        f"Google Sheets did not accept the write: {reason}. The owned tabs keep last "
        "run's content; the next run writes them."
    )
    return WriteFailed(f"{message} {fix}" if fix else message)
