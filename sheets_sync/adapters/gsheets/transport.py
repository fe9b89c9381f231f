"""The service account's credentials and the HTTP sessions that carry every request.

Two sessions are involved: gspread's (an `AuthorizedSession`, for the Sheets API) and the
one google-auth refreshes tokens with. google-auth 2.55 to 2.62 start a background
regional-access-boundary lookup at `iamcredentials.googleapis.com` after each refresh
(2.63 only when GOOGLE_SDK_EXPERIMENTAL_PYTHON_REGIONAL_ACCESS_BOUNDARY_LOOKUP_ENABLED is
set), sent through a deep copy of the refresh request with `timeout=None`. Nothing here
needs that lookup; when it is made, it must go where the Sheets API goes. Both sessions
therefore get the endpoint adapter, and the refresh transport puts a timeout on anything
sent without one.
"""

from __future__ import annotations

import json
import time
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

from sheets_sync.adapters.gsheets.retry import (
    Clock,
    HttpSettings,
    NotTheApi,
    RetryingHTTPClient,
    SignInUnavailable,
    Sleep,
    json_object,
    read_whole,
    said,
)
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
    problem = _key_problem(info)
    if problem:
        raise WorkbookError(
            f"The credentials file {path} is not a usable service-account key ({problem}). "
            f"{_KEY_HELP}"
        )
    # Nothing google-auth or cryptography says about the key reaches a message: their
    # errors can quote the key itself.
    try:
        from_info = service_account.Credentials.from_service_account_info
        credentials = from_info(info, scopes=list(SCOPES))  # type: ignore[no-untyped-call]
        credentials.sign_bytes(b"sheets-sync")  # an EC or broken key fails here, not mid-run
    except Exception:  # any failure means the same: an unusable key
        raise WorkbookError(
            f"The credentials file {path} is not a usable service-account key (its "
            f"private_key is not an RSA private key that can sign). {_KEY_HELP}"
        ) from None
    return credentials, info["client_email"]


def _key_problem(info: dict[str, Any]) -> str:
    """What is wrong with a key file's fields, in words that never quote the key."""
    missing = [
        name
        for name in ("client_email", "private_key", "token_uri")
        if not isinstance(info.get(name), str) or not info[name].strip()
    ]
    if missing:
        return f"it lacks {', '.join(missing)}, or they are not text"
    if not info["private_key"].lstrip().startswith("-----BEGIN"):
        return "its private_key is not a PEM private key (-----BEGIN PRIVATE KEY-----...)"
    token_uri = urlsplit(info["token_uri"])
    if token_uri.scheme not in ("http", "https") or not token_uri.hostname:
        return f"its token_uri {info['token_uri']!r} is not an http(s) address"
    return ""


# What the endpoint stands in for: the Sheets API and google-auth's background lookup. The
# token request goes to the key file's token_uri as written (a stand-in's key names it).
MOVED_HOSTS = frozenset({"sheets.googleapis.com", "iamcredentials.googleapis.com"})
GOOGLE_ROOT = "https://sheets.googleapis.com"


def api_root(endpoint: str) -> str:
    """The endpoint to move requests to: blank for Google's own root, written or not."""
    endpoint = endpoint.strip().rstrip("/")
    return "" if endpoint.lower() == GOOGLE_ROOT else endpoint


def rewrite(url: str, endpoint: str) -> str:
    """A Sheets API (or access boundary) address moved onto `endpoint`, path and query kept."""
    parts = urlsplit(url)
    if not endpoint or parts.scheme != "https" or parts.hostname not in MOVED_HOSTS:
        return url
    query = f"?{parts.query}" if parts.query else ""
    return f"{endpoint.rstrip('/')}{parts.path}{query}"


class EndpointAdapter(HTTPAdapter):
    """Sends Sheets API and access-boundary requests to another API root instead.

    Mounted on a session, it catches what rewriting gspread's URLs would miss: google-auth's
    own background lookup.
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
    """google-auth's transport, with a timeout on requests google-auth sends without one, a
    deadline on each whole answer (a token endpoint that trickles cannot hold a run), and
    answers that are not a JSON object refused as the network failures they are."""

    def __init__(
        self, session: requests.Session, timeout: tuple[float, float], clock: Clock = time.monotonic
    ) -> None:
        super().__init__(session)
        self.timeout = timeout
        self.clock = clock

    def __call__(
        self,
        url: str,
        method: str = "GET",
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        timeout: Any = None,
        **kwargs: Any,
    ) -> Any:
        timeout = timeout or self.timeout
        whole = sum(timeout) if isinstance(timeout, tuple) else float(timeout)
        deadline = self.clock() + whole

        def read_by_deadline(response: requests.Response, *args: Any, **_: Any) -> None:
            read_whole(response, deadline, self.clock)

        call: Any = super().__call__  # unannotated in google-auth
        response = call(
            url,
            method,
            body,
            headers,
            timeout=timeout,
            stream=True,
            hooks={"response": read_by_deadline},
            **kwargs,
        )
        if response.status == 429 or response.status >= 500:
            raise SignInUnavailable(response.status)
        data = response.data if isinstance(response.data, bytes) else b""
        if json_object(data) is None:
            # google-auth would take a proxy's or captive portal's page for Google's words:
            # a key refusal, or a TypeError on a 200 page.
            kind = response.headers.get("Content-Type", "")
            answered = f"the token endpoint answered {said(response.status, kind, data)}"
            raise NotTheApi(answered)  # type: ignore[no-untyped-call]  # unannotated upstream
        return response


def refresh_transport(endpoint: str, settings: HttpSettings) -> TimeoutRequest:
    """The transport google-auth signs in with (and copies for its boundary lookup)."""
    session = requests.Session()
    if endpoint:
        session.mount("https://", EndpointAdapter(endpoint))
    return TimeoutRequest(session, settings.timeout)


def open_client(
    credentials: Any,
    endpoint: str,
    settings: HttpSettings,
    sleep: Sleep,
    clock: Clock,
) -> RetryingHTTPClient:
    """gspread's client over our sessions; the HTTP client is what the workbook calls."""
    endpoint = api_root(endpoint)
    refresh = refresh_transport(endpoint, settings)
    api_session = AuthorizedSession(  # type: ignore[no-untyped-call]  # unannotated upstream
        credentials, auth_request=refresh
    )
    if endpoint:
        api_session.mount("https://", EndpointAdapter(endpoint))
    client = gspread.Client(credentials, api_session, http_client=RetryingHTTPClient)
    http = client.http_client
    assert isinstance(http, RetryingHTTPClient)  # what gspread built from the class given
    http.configure(settings, sleep=sleep, clock=clock)
    return http
