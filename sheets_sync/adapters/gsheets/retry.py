"""Bounded retries and timeouts for every Sheets API call.

gspread 6.2.1 gives two choices and neither fits a scheduled worker: `HTTPClient` never
retries and sends `timeout=None` (a hung server hangs the run), and `BackOffHTTPClient`
retries forever and ignores `Retry-After`. `RetryingHTTPClient` replaces its `request`:
at most `attempts` tries within `budget_seconds`, full-jitter backoff, `Retry-After`
honoured, and (connect, read) timeouts on every request.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any, Literal

import requests
from google.auth import exceptions as auth_exceptions
from gspread.http_client import HTTPClient

_LOG = logging.getLogger(__name__)

Sleep = Callable[[float], None]
Clock = Callable[[], float]
Jitter = Callable[[float], float]  # a wait drawn from [0, ceiling]
Failure = Literal["http", "network", "auth"]

# Answers that say "try again": request timeout, quota, and the server's own trouble.
RETRY_STATUSES = frozenset({408, 429})
# Failures before any answer: refused or dropped connections, timeouts, broken bodies.
_NETWORK_ERRORS = (
    requests.ConnectionError,
    requests.Timeout,
    requests.exceptions.ChunkedEncodingError,
    auth_exceptions.TransportError,  # the token request's own connection failures
)


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


class RequestFailed(Exception):
    """A call that failed for good: retrying could not help, or the retries ran out."""

    def __init__(
        self,
        kind: Failure,
        detail: str,
        *,
        status: int | None = None,
        attempts: int = 1,
        seconds: float = 0.0,
    ) -> None:
        super().__init__(detail)
        self.kind = kind
        self.detail = detail  # Google's own message, or the network error
        self.status = status
        self.attempts = attempts
        self.seconds = seconds


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


def error_detail(response: requests.Response) -> str:
    """Google's message from an error answer (`{"error": {"message": ...}}`), else its text."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        message = body["error"].get("message")
        if isinstance(message, str) and message:
            return message
    text = response.text.strip()
    return text[:300] if text else f"HTTP {response.status_code} {response.reason or ''}".strip()


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
        self.timeout = settings.timeout  # never gspread's default of None
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
            # The read timeout never outlasts the budget, so a hang cannot stretch it.
            timeout = (settings.connect_timeout, max(0.1, min(settings.read_timeout, remaining)))
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
                )
            except _NETWORK_ERRORS as exc:
                failure = RequestFailed("network", _network_detail(exc))
            except auth_exceptions.RefreshError as exc:
                failure = RequestFailed("auth", _refresh_detail(exc))
                if not exc.retryable:
                    raise _finished(failure, attempt, self._clock() - started) from exc
            else:
                if response.ok:
                    return response
                status = response.status_code
                failure = RequestFailed("http", error_detail(response), status=status)
                if status not in RETRY_STATUSES and status < 500:
                    raise _finished(failure, attempt, self._clock() - started)
            wait = self._wait(attempt, response)
            spent = self._clock() - started
            if attempt >= settings.attempts or spent + wait >= settings.budget_seconds:
                raise _finished(failure, attempt, spent)
            _LOG.info(
                "Sheets API %s failed (%s); try %d of %d in %.1f s",
                method.upper(),
                failure.status or failure.detail,
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


def _network_detail(exc: Exception) -> str:
    if isinstance(exc, requests.ConnectTimeout):
        return "the connection timed out"
    if isinstance(exc, requests.ReadTimeout):
        return "the server did not answer in time"
    if isinstance(exc, requests.ConnectionError):
        return "the connection failed or was dropped"
    return f"{type(exc).__name__}: {exc}"


def _refresh_detail(exc: auth_exceptions.RefreshError) -> str:
    """google-auth's refresh error args are (message, response data); the message is enough."""
    return str(exc.args[0]) if exc.args else "the access token could not be obtained"
