"""Bounded retries and timeouts for every Sheets API call.

gspread 6.2.1 gives two choices and neither fits a scheduled worker: `HTTPClient` never
retries and sends `timeout=None` (a hung server hangs the run), and `BackOffHTTPClient`
retries forever and ignores `Retry-After`. `RetryingHTTPClient` replaces its `request`:
at most `attempts` tries within `budget_seconds`, full-jitter backoff, `Retry-After`
honoured, (connect, read) timeouts on every request, and each answer's body read against
a deadline (a read timeout bounds one silence, not a server that trickles its answer).

A call that fails for good raises `RequestFailed`, whose `kind` says what failed:
`http` (an error answer), `network` (no usable answer), `tls`, `local` (the request could
not be sent as given), `auth` (the key was refused) or `signin` (the token service was
unavailable). Its `detail` never holds a token, a signed assertion or key material.
"""

from __future__ import annotations

import json as jsonlib
import logging
import random
import re
import time
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from typing import Any, Literal
from urllib.parse import urlsplit

import requests
import urllib3
from google.auth import exceptions as auth_exceptions
from gspread.http_client import HTTPClient

_LOG = logging.getLogger(__name__)

Sleep = Callable[[float], None]
Clock = Callable[[], float]
Jitter = Callable[[float], float]  # a wait drawn from [0, ceiling]
Failure = Literal["http", "network", "tls", "local", "auth", "signin", "too-large"]

# Answers that say "try again" besides every 5xx: the request timed out, or the quota.
RETRY_STATUSES = frozenset({408, 429})
NOT_THE_API = (
    "the server answered 200 with a page that is not the Sheets API's (a proxy or captive portal?)"
)
# The request as given cannot be sent: trying again sends the same thing.
_LOCAL_ERRORS = (
    requests.exceptions.InvalidURL,
    requests.exceptions.MissingSchema,
    requests.exceptions.InvalidSchema,
    requests.exceptions.InvalidHeader,
    requests.exceptions.InvalidJSONError,
    requests.exceptions.TooManyRedirects,
)
_CHUNK = 64 * 1024
# The longest answer read. A state's whole read (2,000 schools) is about 19 MB of JSON; past
# this a tab holds far more than any district's, and parsing it would cost gigabytes.
MAX_ANSWER_BYTES = 32 << 20


@dataclass(frozen=True)
class HttpSettings:
    """How hard to try one Sheets API call; the defaults suit a district's scheduled runs."""

    attempts: int = 6  # tries per call, the first one included
    budget_seconds: float = 120.0  # every try and wait of one call together
    connect_timeout: float = 10.0
    read_timeout: float = 60.0  # longest silence from the server within one answer
    backoff_seconds: float = 1.0  # ceiling of the first wait; doubles with each retry
    max_backoff_seconds: float = 30.0  # ceiling of any one wait (Retry-After aside)

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError("attempts must be at least 1")
        for name in ("budget_seconds", "connect_timeout", "read_timeout"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be more than 0")
        if self.backoff_seconds < 0 or self.max_backoff_seconds < 0:
            raise ValueError("backoff_seconds and max_backoff_seconds cannot be negative")

    @property
    def timeout(self) -> tuple[float, float]:
        return (self.connect_timeout, self.read_timeout)

    @property
    def try_seconds(self) -> float:
        """The longest one try may take, its whole answer included."""
        return self.connect_timeout + self.read_timeout


class RequestFailed(Exception):
    """A call that failed for good: retrying could not help, or the retries ran out."""

    def __init__(
        self,
        kind: Failure,
        detail: str,
        *,
        status: int | None = None,
        reasons: tuple[str, ...] = (),
        from_google: bool = False,
        attempts: int = 1,
        seconds: float = 0.0,
    ) -> None:
        super().__init__(detail)
        self.kind = kind
        self.detail = detail  # Google's own message, or what the server or network did
        self.status = status
        self.reasons = reasons  # Google's `error.status` and `details[].reason`
        self.from_google = from_google  # the answer was a Google API error body
        self.attempts = attempts
        self.seconds = seconds


class NotTheApi(auth_exceptions.TransportError):
    """The token endpoint's address answered with something other than OAuth's JSON."""


class SignInUnavailable(auth_exceptions.TransportError):
    """The token endpoint answered 429 or 5xx: the sign-in service's trouble, not the key's.

    Raised before google-auth sees the answer, so that this client's budget (not
    google-auth's own, unbounded by it, sleeps) governs the retries."""

    def __init__(self, status: int) -> None:
        super().__init__(f"the token endpoint answered {status}")  # type: ignore[no-untyped-call]
        self.status = status


class Late(Exception):
    """An answer whose body did not arrive by the try's deadline."""


class _TooLarge(requests.RequestException):
    """An answer longer than `MAX_ANSWER_BYTES`: the same sheet would answer the same."""


def full_jitter(ceiling: float) -> float:
    return random.uniform(0.0, ceiling)


def retry_after_seconds(value: str | None, now: float) -> float | None:
    """A `Retry-After` header as seconds to wait (delay-seconds or an HTTP date), if usable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:  # an HTTP date is always GMT; a sloppy server may omit it
        return None
    return max(0.0, when.timestamp() - now)


_SECRETS = (
    (re.compile(r"-----BEGIN[^-]*-----.*?(-----END[^-]*-----|$)", re.S), "(key material)"),
    (re.compile(r"Bearer\s+\S+", re.I), "(a bearer token)"),
    (re.compile(r"eyJ[\w-]*\.[\w-]+\.[\w-]*"), "(a signed token)"),
    (re.compile(r"ya29\.[\w.-]+"), "(an access token)"),
)


def redact(text: str) -> str:
    """Text from a server or library, without tokens, signed assertions or key material."""
    for pattern, stand_in in _SECRETS:
        text = pattern.sub(stand_in, text)
    return text


def http_failure(response: requests.Response) -> RequestFailed:
    """An error answer: Google's message and reasons, or what another server sent, briefly."""
    status = response.status_code
    body = _json_object(response)
    error = body.get("error") if body is not None else None
    if isinstance(error, dict) and isinstance(error.get("message"), str) and error["message"]:
        reasons = [error.get("status")]
        details = error.get("details")
        if isinstance(details, list):
            reasons += [d.get("reason") for d in details if isinstance(d, dict)]
        found = tuple(r for r in reasons if isinstance(r, str) and r)
        detail = redact(error["message"])[:300]
        return RequestFailed("http", detail, status=status, reasons=found, from_google=True)
    content_type = response.headers.get("Content-Type", "")
    return RequestFailed("http", said(status, content_type, response.content), status=status)


def said(status: int, content_type: str, body: bytes) -> str:
    """What a server other than Google's API answered, in a few words."""
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = ""
    head = f"{status} {phrase}".strip()
    text = body.decode("utf-8", "replace").strip()
    if "html" in content_type.lower() or text[:200].lower().startswith(("<!doctype", "<html")):
        return f"{head} (an HTML page, probably from a proxy)"
    first = redact(" ".join(text.split()))[:100]
    return f"{head}: {first}" if first else head


def _json_object(response: requests.Response) -> dict[str, Any] | None:
    return json_object(response.content)


def json_object(content: bytes) -> dict[str, Any] | None:
    try:
        body = jsonlib.loads(content)
    except (ValueError, UnicodeDecodeError):
        return None
    return body if isinstance(body, dict) else None


def read_whole(response: requests.Response, deadline: float, clock: Clock) -> None:
    """The whole body of a streamed answer, read as it arrives until `deadline` on `clock`
    (then `Late`): a read timeout bounds one silence, not a server that trickles."""
    chunks: list[bytes] = []
    size = 0
    try:
        while True:
            chunk = response.raw.read1(_CHUNK, decode_content=True)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > MAX_ANSWER_BYTES:
                raise _TooLarge
            if clock() > deadline:
                raise Late
    except (Late, _TooLarge):  # first: a RequestException is an OSError too
        response.close()
        raise
    except (urllib3.exceptions.HTTPError, OSError) as exc:
        response.close()
        raise requests.ConnectionError(type(exc).__name__, request=response.request) from exc
    response._content = b"".join(chunks)  # what `.json()` and `.text` read from now on
    response._content_consumed = True
    response.close()  # hands the connection back to the pool


class RetryingHTTPClient(HTTPClient):
    """gspread's HTTP client with bounded retries, backoff and timeouts on every request.

    gspread builds it from the class alone, so `configure` sets what the defaults do not.
    """

    def __init__(self, auth: Any, session: requests.Session | None = None) -> None:
        super().__init__(auth, session)
        self.configure(HttpSettings())

    def configure(
        self,
        settings: HttpSettings,
        *,
        sleep: Sleep = time.sleep,
        clock: Clock = time.monotonic,
        jitter: Jitter = full_jitter,
        wall_clock: Clock = time.time,
    ) -> None:
        self.settings = settings
        self._sleep = sleep
        self._clock = clock
        self._jitter = jitter
        self._wall_clock = wall_clock

    def request(
        self,
        method: str,
        endpoint: str,
        params: MutableMapping[str, Any] | None = None,
        data: bytes | None = None,
        json: Mapping[str, Any] | None = None,
        files: Any = None,
        headers: MutableMapping[str, str] | None = None,
    ) -> requests.Response:
        settings = self.settings
        started = self._clock()
        attempt = 0
        while True:
            attempt += 1
            remaining = settings.budget_seconds - (self._clock() - started)
            # Neither one silence nor one whole answer may outlast the budget.
            timeout = (settings.connect_timeout, max(0.1, min(settings.read_timeout, remaining)))
            deadline = self._clock() + max(0.1, min(settings.try_seconds, remaining))
            response: requests.Response | None = None
            try:
                response = self.session.request(
                    method=method,
                    url=endpoint,
                    params=params,
                    data=data,
                    json=json,
                    files=files,
                    headers=headers,
                    timeout=timeout,
                    stream=True,
                )
                read_whole(response, deadline, self._clock)
            except Late:
                failure = RequestFailed("network", "the server's answer did not arrive in time")
            except auth_exceptions.RefreshError as exc:
                failure = _refresh_failure(exc)
                if failure.kind == "auth":
                    raise _finished(failure, attempt, self._clock() - started) from None
            except (requests.RequestException, auth_exceptions.TransportError) as exc:
                failure = _sending_failure(exc)
                if failure.kind not in ("network", "signin"):
                    raise _finished(failure, attempt, self._clock() - started) from None
            else:
                if response.ok and _json_object(response) is not None:
                    return response
                if response.ok:
                    failure = RequestFailed("network", NOT_THE_API, status=response.status_code)
                else:
                    failure = http_failure(response)
                    status = response.status_code
                    if status not in RETRY_STATUSES and status < 500:
                        raise _finished(failure, attempt, self._clock() - started)
            wait = self._wait(attempt, response)
            spent = self._clock() - started
            if attempt >= settings.attempts or spent + wait >= settings.budget_seconds:
                raise _finished(failure, attempt, spent)
            _LOG.info(
                "Sheets API %s failed (%s); try %d of %d in %.1f s",
                method.upper(),
                failure.status or failure.detail,  # never a token: details are redacted
                attempt + 1,
                settings.attempts,
                wait,
            )
            self._sleep(wait)

    def _wait(self, attempt: int, response: requests.Response | None) -> float:
        if response is not None:
            told = retry_after_seconds(response.headers.get("Retry-After"), self._wall_clock())
            if told is not None:
                return told
        ceiling = self.settings.backoff_seconds * 2 ** (attempt - 1)
        return self._jitter(min(self.settings.max_backoff_seconds, ceiling))


def _finished(failure: RequestFailed, attempts: int, seconds: float) -> RequestFailed:
    failure.attempts = attempts
    failure.seconds = seconds
    return failure


def _sending_failure(exc: Exception) -> RequestFailed:
    """A request that got no usable answer, said without the exception's own text (which
    can hold a header's value, such as the bearer token)."""
    if isinstance(exc, SignInUnavailable):
        return RequestFailed("signin", str(exc), status=exc.status)
    if isinstance(exc, NotTheApi):
        return RequestFailed("network", str(exc))
    if isinstance(exc, _TooLarge):
        return RequestFailed("too-large", f"more than {MAX_ANSWER_BYTES >> 20} MB")
    cause = exc
    if isinstance(exc, auth_exceptions.TransportError):  # google-auth wraps requests' error
        inner = exc.__cause__ if exc.__cause__ is not None else (exc.args or [None])[0]
        cause = inner if isinstance(inner, Exception) else exc
    request = getattr(cause, "request", None)
    host = urlsplit(getattr(request, "url", None) or "").hostname or "the server"
    if isinstance(cause, requests.exceptions.SSLError):
        found = re.search(r"\[SSL(?:: [A-Z_]+)?\] ([^(']+)", str(cause))
        why = found.group(1).strip() if found else "the handshake failed"
        return RequestFailed(
            "tls",
            f"the TLS connection to {host} failed: {why} — if a proxy inspects TLS, "
            "set REQUESTS_CA_BUNDLE to its certificate",
        )
    if isinstance(cause, requests.exceptions.InvalidHeader):
        return RequestFailed(
            "local",
            "a request header could not be sent (InvalidHeader: the token endpoint may "
            "have given a malformed access token)",
        )
    if isinstance(cause, _LOCAL_ERRORS):
        return RequestFailed("local", f"the request could not be sent ({type(cause).__name__})")
    if isinstance(cause, requests.ConnectTimeout):
        return RequestFailed("network", f"the connection to {host} timed out")
    if isinstance(cause, requests.ReadTimeout):
        return RequestFailed("network", "the server did not answer in time")
    if isinstance(cause, requests.ConnectionError):
        return RequestFailed("network", f"the connection to {host} failed or was dropped")
    return RequestFailed("network", f"the request failed ({type(cause).__name__})")


def _refresh_failure(exc: auth_exceptions.RefreshError) -> RequestFailed:
    """google-auth's refresh error: its args are (message, response data)."""
    if not exc.retryable:
        message = str(exc.args[0]) if exc.args else "the access token could not be obtained"
        return RequestFailed("auth", redact(message)[:300])
    data = exc.args[1] if len(exc.args) > 1 else None
    error = data.get("error") if isinstance(data, dict) else None
    code = error.get("code") if isinstance(error, dict) else None
    status = code if isinstance(code, int) else None
    return RequestFailed("signin", "the token request failed", status=status)
