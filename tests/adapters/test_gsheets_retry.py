"""The Sheets API client's retries, waits and timeouts, against a throwaway local server."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from email.utils import format_datetime

import pytest
import requests
from gsheets_fixtures import Answer, PacedTime, Seen, in_turn, scripted_server
from hypothesis import given
from hypothesis import strategies as st

from sheets_sync.adapters.gsheets.retry import (
    HttpSettings,
    RequestFailed,
    RetryingHTTPClient,
    retry_after_seconds,
)

QUOTA = {"error": {"code": 429, "message": "Quota exceeded", "status": "RESOURCE_EXHAUSTED"}}


def client(settings: HttpSettings, paced: PacedTime) -> RetryingHTTPClient:
    http = RetryingHTTPClient(None, requests.Session())
    http.configure(settings, sleep=paced.sleep, clock=paced.clock, jitter=lambda ceiling: ceiling)
    return http


def get(http: RetryingHTTPClient, url: str) -> requests.Response:
    return http.request("get", f"{url}/v4/spreadsheets/abc")


def test_retry_after_in_seconds_is_waited_exactly() -> None:
    """A 429 with `Retry-After: 7` is retried after exactly the seven seconds Google asked for."""
    paced = PacedTime()
    script = in_turn(Answer(429, QUOTA, {"Retry-After": "7"}), Answer(200, {"ok": True}))
    with scripted_server(script) as (url, seen):
        response = get(client(HttpSettings(), paced), url)
    assert response.json() == {"ok": True}
    assert paced.slept == [7.0]
    assert len(seen) == 2


def test_retry_after_as_an_http_date_is_honoured() -> None:
    """`Retry-After` given as an HTTP date waits until that moment."""
    now = 1_750_000_000.0
    later = format_datetime(datetime.fromtimestamp(now + 12, UTC), usegmt=True)
    assert retry_after_seconds(later, now) == pytest.approx(12.0)
    assert retry_after_seconds("Tue, 01 Jan 2000 00:00:00 GMT", now) == 0.0


@given(st.integers(min_value=0, max_value=10**9))
def test_retry_after_seconds_reads_any_delay(seconds: int) -> None:
    """Any delay-seconds value reads as that many seconds, whatever the clock says."""
    assert retry_after_seconds(f" {seconds} ", 123.0) == float(seconds)


@pytest.mark.parametrize("value", [None, "", "soon", "-5", "1.5", "Tue, 01 Jan 2000 00:00:00"])
def test_unusable_retry_after_is_ignored(value: str | None) -> None:
    """A missing or malformed `Retry-After` falls back to the client's own backoff."""
    assert retry_after_seconds(value, 0.0) is None


def test_server_errors_back_off_exponentially() -> None:
    """503s are retried with waits whose ceiling doubles (1 s, 2 s, 4 s), then succeed."""
    paced = PacedTime()
    unavailable = Answer(503, {"error": {"code": 503, "message": "The service is unavailable."}})
    script = in_turn(unavailable, unavailable, unavailable, Answer(200, {"ok": True}))
    with scripted_server(script) as (url, seen):
        assert get(client(HttpSettings(), paced), url).ok
    assert paced.slept == [1.0, 2.0, 4.0]
    assert len(seen) == 4


def test_waits_never_exceed_the_backoff_ceiling() -> None:
    """Full jitter draws each wait from zero up to a capped, doubling ceiling."""
    paced = PacedTime()
    settings = HttpSettings(attempts=8, budget_seconds=1000, max_backoff_seconds=5)
    with scripted_server(in_turn(Answer(500))) as (url, _), pytest.raises(RequestFailed):
        get(client(settings, paced), url)
    assert paced.slept == [1.0, 2.0, 4.0, 5.0, 5.0, 5.0, 5.0]


def test_attempts_are_bounded() -> None:
    """A server that keeps failing is tried `attempts` times, then the failure is reported."""
    paced = PacedTime()
    failing = in_turn(Answer(500, {"error": {"message": "Internal error"}}))
    with scripted_server(failing) as (url, seen), pytest.raises(RequestFailed) as caught:
        get(client(HttpSettings(attempts=4), paced), url)
    failure = caught.value
    assert (failure.kind, failure.status, failure.detail) == ("http", 500, "Internal error")
    assert failure.attempts == 4
    assert len(seen) == 4
    assert len(paced.slept) == 3


def test_a_retry_after_beyond_the_budget_gives_up_at_once() -> None:
    """When Google asks for a longer wait than the budget has left, the client stops waiting."""
    paced = PacedTime()
    script = in_turn(Answer(429, QUOTA, {"Retry-After": "300"}))
    with scripted_server(script) as (url, seen), pytest.raises(RequestFailed) as caught:
        get(client(HttpSettings(budget_seconds=120), paced), url)
    assert caught.value.status == 429
    assert paced.slept == []
    assert len(seen) == 1


def test_the_budget_bounds_all_waits_together() -> None:
    """Retries stop once the next wait would pass the total time budget."""
    paced = PacedTime()
    script = in_turn(Answer(429, QUOTA, {"Retry-After": "20"}))
    with scripted_server(script) as (url, seen), pytest.raises(RequestFailed) as caught:
        get(client(HttpSettings(attempts=10, budget_seconds=50), paced), url)
    assert paced.slept == [20.0, 20.0]
    assert caught.value.attempts == 3
    assert len(seen) == 3


@pytest.mark.parametrize("status", [400, 401, 403, 404])
def test_client_errors_are_not_retried(status: int) -> None:
    """Answers that retrying cannot change fail at once, with Google's own message."""
    paced = PacedTime()
    body = {"error": {"code": status, "message": "The caller does not have permission"}}
    refusing = in_turn(Answer(status, body))
    with scripted_server(refusing) as (url, seen), pytest.raises(RequestFailed) as caught:
        get(client(HttpSettings(), paced), url)
    assert (caught.value.status, caught.value.detail) == (
        status,
        "The caller does not have permission",
    )
    assert len(seen) == 1
    assert paced.slept == []


def test_408_is_retried() -> None:
    """A request timeout answered by the server is retried like a 5xx."""
    paced = PacedTime()
    with scripted_server(in_turn(Answer(408), Answer(200))) as (url, seen):
        assert get(client(HttpSettings(), paced), url).ok
    assert len(seen) == 2


def test_a_dropped_connection_is_retried() -> None:
    """A connection closed without an answer is retried."""
    paced = PacedTime()
    with scripted_server(in_turn(Answer(drop=True), Answer(200, {"ok": 1}))) as (url, seen):
        assert get(client(HttpSettings(), paced), url).json() == {"ok": 1}
    assert len(seen) == 2


def test_a_refused_connection_fails_as_a_network_failure() -> None:
    """Nothing listening: every attempt fails fast and the failure says so."""
    paced = PacedTime()
    with scripted_server(in_turn(Answer())) as (url, _):
        pass  # the server is gone: its port now refuses connections
    with pytest.raises(RequestFailed) as caught:
        get(client(HttpSettings(attempts=3), paced), url)
    assert caught.value.kind == "network"
    assert caught.value.attempts == 3


def test_a_hang_longer_than_the_read_timeout_is_retried() -> None:
    """A server silent for longer than the read timeout is given up on and asked again."""
    paced = PacedTime()
    settings = HttpSettings(read_timeout=0.3)
    script = in_turn(Answer(hang=2.0), Answer(200, {"ok": True}))
    with scripted_server(script) as (url, seen):
        started = time.monotonic()
        assert get(client(settings, paced), url).ok
        assert time.monotonic() - started < 1.5
    assert len(seen) == 2


def test_a_server_that_always_hangs_is_bounded_by_the_budget() -> None:
    """Even with a long read timeout, a hang never outlasts the total budget."""
    paced = PacedTime()
    settings = HttpSettings(attempts=50, budget_seconds=1.0, read_timeout=30)
    with scripted_server(in_turn(Answer(hang=5.0))) as (url, _):
        started = time.monotonic()
        with pytest.raises(RequestFailed) as caught:
            get(client(settings, paced), url)
        elapsed = time.monotonic() - started
    assert caught.value.kind == "network"
    assert caught.value.detail == "the server did not answer in time"
    assert elapsed < 2.5


def test_every_request_carries_a_timeout() -> None:
    """gspread's default of no timeout is replaced, also for its own helper methods."""
    http = RetryingHTTPClient(None, requests.Session())
    assert http.timeout == (10.0, 60.0)
    seen_timeouts: list[object] = []
    original = http.session.request

    def spy(*args: object, **kwargs: object) -> requests.Response:
        seen_timeouts.append(kwargs.get("timeout"))
        return original(*args, **kwargs)  # type: ignore[arg-type]

    http.session.request = spy  # type: ignore[method-assign]
    with scripted_server(in_turn(Answer(200, {"values": [["a"]]}))) as (url, _):
        http.request("get", f"{url}/x")
    assert seen_timeouts == [(10.0, 60.0)]


def test_seen_requests_record_method_and_path() -> None:
    """The throwaway server records what it was asked (a check on the helper itself)."""
    with scripted_server(in_turn(Answer())) as (url, seen):
        requests.post(f"{url}/a?b=1", data=b"xy", timeout=5)
    assert seen == [Seen("POST", "/a?b=1", b"xy")]


def test_settings_refuse_nonsense() -> None:
    """Settings that would never send a request, or never wait for one, are refused."""
    with pytest.raises(ValueError, match="attempts"):
        HttpSettings(attempts=0)
    with pytest.raises(ValueError, match="read_timeout"):
        HttpSettings(read_timeout=0)
