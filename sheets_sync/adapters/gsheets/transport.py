"""The service account's credentials and the HTTP sessions that carry every request.

Two sessions are involved: gspread's (an `AuthorizedSession`, for the Sheets API) and the
one google-auth refreshes tokens with. Since google-auth 2.55 a refresh also starts a
background regional-access-boundary lookup at `iamcredentials.googleapis.com`
(`CredentialsWithRegionalAccessBoundary._after_refresh`), sent through a deep copy of
the refresh request with `timeout=None`. Both sessions therefore get the endpoint
adapter, and the refresh transport puts a timeout on anything sent without one.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import gspread
import requests
from google.auth.transport.requests import AuthorizedSession
from google.auth.transport.requests import Request as AuthRequest
from google.oauth2 import service_account
from requests.adapters import HTTPAdapter
from requests.utils import get_environ_proxies

from sheets_sync.adapters.gsheets.retry import Clock, HttpSettings, RetryingHTTPClient, Sleep
from sheets_sync.errors import WorkbookError

SCOPES = ("https://www.googleapis.com/auth/spreadsheets",)
_KEY_HELP = (
    "Download a JSON key for the service account (Google Cloud console, IAM & Admin, "
    "Service accounts, Keys, Add key, JSON) and set [workbook] credentials to its path."
)


def load_credentials(path: Path | None) -> tuple[Any, str]:
    """Service-account credentials from a key file, and the account's email for messages."""
    if path is None:
        raise WorkbookError(
            "No Google service-account key is configured: set [workbook] credentials or "
            "GOOGLE_APPLICATION_CREDENTIALS to the service account's JSON key file."
        )
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise WorkbookError(f"The credentials file {path} does not exist. {_KEY_HELP}") from None
    except (OSError, UnicodeDecodeError) as exc:
        problem = exc.strerror if isinstance(exc, OSError) else "it is not text"
        raise WorkbookError(
            f"Cannot read the credentials file {path} ({problem}). {_KEY_HELP}"
        ) from None
    try:
        info = json.loads(text)
    except ValueError as exc:
        raise WorkbookError(
            f"The credentials file {path} is not JSON ({exc}). It should be the key file "
            f"of a service account, as Google Cloud downloads it. {_KEY_HELP}"
        ) from None
    kind = info.get("type") if isinstance(info, dict) else None
    if kind != "service_account":
        raise WorkbookError(
            f"The credentials file {path} is not a service-account key (its type is "
            f"{kind!r}, not 'service_account'). sheets-sync signs in as a service account, "
            f"not as a person. {_KEY_HELP}"
        )
    try:
        # It checks the key's fields and parses its private key (unannotated upstream).
        from_info = service_account.Credentials.from_service_account_info
        credentials = from_info(info, scopes=list(SCOPES))  # type: ignore[no-untyped-call]
    except (ValueError, TypeError, KeyError) as exc:
        raise WorkbookError(
            f"The credentials file {path} is not a usable service-account key ({exc}). {_KEY_HELP}"
        ) from None
    return credentials, str(info.get("client_email", ""))


def rewrite(url: str, endpoint: str) -> str:
    """A Google API address moved onto `endpoint`, keeping its path and query."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if not endpoint or parts.scheme != "https" or not host.endswith(".googleapis.com"):
        return url
    query = f"?{parts.query}" if parts.query else ""
    return f"{endpoint.rstrip('/')}{parts.path}{query}"


class EndpointAdapter(HTTPAdapter):
    """Sends every `https://*.googleapis.com` request to another API root instead.

    Mounted on a session, it catches what rewriting gspread's URLs would miss: the token
    request and google-auth's own background lookups.
    """

    # requests pickles (and google-auth deep-copies) adapters through `__attrs__`.
    __attrs__ = [*HTTPAdapter.__attrs__, "endpoint"]  # noqa: RUF012

    def __init__(self, endpoint: str) -> None:
        self.endpoint = endpoint
        super().__init__()

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: Any = None,
        verify: Any = True,
        cert: Any = None,
        proxies: Any = None,
    ) -> requests.Response:
        url = rewrite(request.url or "", self.endpoint)
        if url != request.url:
            request.url = url
            proxies = get_environ_proxies(url)  # the endpoint's proxy, not Google's
        return super().send(request, stream, timeout, verify, cert, proxies)


class TimeoutRequest(AuthRequest):
    """google-auth's transport, with a timeout on requests google-auth sends without one."""

    def __init__(self, session: requests.Session, timeout: tuple[float, float]) -> None:
        super().__init__(session)
        self.timeout = timeout

    def __call__(
        self,
        url: str,
        method: str = "GET",
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        timeout: Any = None,
        **kwargs: Any,
    ) -> Any:
        call: Any = super().__call__  # unannotated in google-auth
        return call(url, method, body, headers, timeout=timeout or self.timeout, **kwargs)


def open_client(
    credentials: Any,
    endpoint: str,
    settings: HttpSettings,
    sleep: Sleep,
    clock: Clock,
) -> RetryingHTTPClient:
    """gspread's client over our sessions; the HTTP client is what the workbook calls."""
    refresh_session = requests.Session()
    refresh = TimeoutRequest(refresh_session, settings.timeout)
    api_session = AuthorizedSession(  # type: ignore[no-untyped-call]  # unannotated upstream
        credentials, auth_request=refresh
    )
    if endpoint:
        for session in (refresh_session, api_session):
            session.mount("https://", EndpointAdapter(endpoint))
    client = gspread.Client(credentials, api_session, http_client=RetryingHTTPClient)
    http = client.http_client
    assert isinstance(http, RetryingHTTPClient)  # what gspread built from the class given
    http.configure(settings, sleep=sleep, clock=clock)
    return http
