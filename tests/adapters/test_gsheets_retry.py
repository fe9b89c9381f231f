"""The Sheets API client's retries, waits and timeouts, against a throwaway local server."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path

import pytest
import requests
from gsheets_fixtures import Answer, PacedTime, Seen, bench, in_turn, scripted_server
from hypothesis import given
from hypothesis import strategies as st

from sheets_sync.adapters.gsheets.retry import (
    NOT_THE_API,
    HttpSettings,
    RequestFailed,
    RetryingHTTPClient,
    retry_after_seconds,
)
from tests.silence import SILENCE, WELL_BEFORE_THE_SILENCE_ENDS

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
    script = in_turn(Answer(hang=SILENCE), Answer(200, {"ok": True}))
    with scripted_server(script) as (url, seen):
        started = time.monotonic()
        assert get(client(settings, paced), url).ok
        assert time.monotonic() - started < WELL_BEFORE_THE_SILENCE_ENDS
    assert len(seen) == 2


@pytest.mark.slow  # a second of real waiting: CI runs it
def test_a_server_that_always_hangs_is_bounded_by_the_budget() -> None:
    """Even with a long read timeout, a hang never outlasts the total budget."""
    paced = PacedTime()
    settings = HttpSettings(attempts=50, budget_seconds=1.0, read_timeout=30)
    with scripted_server(in_turn(Answer(hang=SILENCE))) as (url, _):
        started = time.monotonic()
        with pytest.raises(RequestFailed) as caught:
            get(client(settings, paced), url)
        elapsed = time.monotonic() - started
    assert caught.value.kind == "network"
    assert caught.value.detail == "the server did not answer in time"
    assert elapsed < WELL_BEFORE_THE_SILENCE_ENDS


def test_every_request_carries_a_timeout(tmp_path: Path) -> None:
    """A gspread helper call (not only our own requests) gives up on the stand-in's slow
    answer after the read timeout, where gspread's default would wait for it."""
    with bench(tmp_path) as tb:
        sid = tb.api.create_spreadsheet("Riverbend")
        http = tb.workbook(sid, HttpSettings(attempts=1, read_timeout=0.3)).http
        tb.api.delay_next(1, SILENCE)
        started = time.monotonic()
        with pytest.raises(RequestFailed) as caught:
            http.fetch_sheet_metadata(sid)
        assert time.monotonic() - started < WELL_BEFORE_THE_SILENCE_ENDS
    assert caught.value.detail == "the server did not answer in time"
    assert [r.fault for r in tb.api.sheets_requests] == [f"delay {SILENCE:g}s"]


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


@pytest.mark.parametrize(
    "answer",
    [
        Answer(200, "<html><body>Sign in to the guest Wi-Fi</body></html>"),
        Answer(200, [1, 2]),
    ],
)
def test_a_200_that_is_not_a_json_object_is_retried_then_reported(answer: Answer) -> None:
    """A captive portal's page or a JSON list answered with 200 is a retryable failure, not
    a traceback later in gspread."""
    paced = PacedTime()
    with scripted_server(in_turn(answer)) as (url, seen), pytest.raises(RequestFailed) as caught:
        get(client(HttpSettings(attempts=3), paced), url)
    assert len(seen) == 3
    assert (caught.value.kind, caught.value.detail) == ("network", NOT_THE_API)


@pytest.mark.slow  # waits out a real trickle of seconds: a proof for CI
def test_a_server_trickling_its_answer_is_bounded_by_the_budget() -> None:
    """A body sent a few bytes at a time (each read within the read timeout) is abandoned
    at the try's deadline, within the budget."""
    settings = HttpSettings(attempts=2, budget_seconds=1.5, read_timeout=1.0)
    started = time.monotonic()
    trickle = in_turn(Answer(200, {"values": ["x" * 600]}, trickle=0.2))  # 30 s in all
    with scripted_server(trickle) as (url, _), pytest.raises(RequestFailed) as caught:
        get(client(settings, PacedTime()), url)
    assert time.monotonic() - started < WELL_BEFORE_THE_SILENCE_ENDS
    assert caught.value.detail == "the server's answer did not arrive in time"


def test_an_html_error_page_is_named_not_pasted() -> None:
    """A proxy's 502 page is reported as such, not as its HTML."""
    page = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"
    with (
        scripted_server(in_turn(Answer(502, page))) as (url, _),
        pytest.raises(RequestFailed) as caught,
    ):
        get(client(HttpSettings(attempts=1), PacedTime()), url)
    assert caught.value.detail == "502 Bad Gateway (an HTML page, probably from a proxy)"
    assert not caught.value.from_google


def test_tls_failures_are_not_retried_and_say_what_to_do() -> None:
    """A TLS handshake that fails (here: https to a plain HTTP server) is tried once and
    named as a TLS problem, with the proxy remedy."""
    https = HttpSettings(attempts=5)
    with scripted_server(in_turn(Answer())) as (url, _), pytest.raises(RequestFailed) as caught:
        get(client(https, PacedTime()), url.replace("http:", "https:"))
    assert caught.value.kind == "tls"
    assert caught.value.attempts == 1
    assert caught.value.detail.startswith("the TLS connection to 127.0.0.1 failed: ")
    assert caught.value.detail.endswith(
        "— if a proxy inspects TLS, set REQUESTS_CA_BUNDLE to its certificate"
    )


@pytest.mark.parametrize("url", ["127.0.0.1:1/x", "ftp://127.0.0.1/x", "http://[::1/x"])
def test_a_request_that_cannot_be_sent_is_not_retried(url: str) -> None:
    """A malformed address is a local fault: one try, no network story."""
    paced = PacedTime()
    with pytest.raises(RequestFailed) as caught:
        client(HttpSettings(attempts=5), paced).request("get", url)
    assert caught.value.kind == "local"
    assert paced.slept == []


def test_an_answer_past_the_size_limit_is_refused_without_a_retry(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An answer longer than the limit (1 MB here, 32 MB for real) is not read to its end,
    parsed, or asked for again: the same sheet would answer the same."""
    monkeypatch.setattr("sheets_sync.adapters.gsheets.retry.MAX_ANSWER_BYTES", 1 << 20)
    big = in_turn(Answer(200, {"values": [["x" * (2 << 20)]]}))
    with scripted_server(big) as (url, seen), pytest.raises(RequestFailed) as caught:
        get(client(HttpSettings(attempts=5), PacedTime()), url)
    assert len(seen) == 1
    assert (caught.value.kind, caught.value.detail) == ("too-large", "more than 1 MB")
