"""No message, exception text or log line the gsheets backend produces holds a secret."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from gsheets_fixtures import Answer, PacedTime, Seen, key_file, private_key_pem, scripted_server

from sheets_sync.adapters.gsheets import GoogleSheetsWorkbook, HttpSettings
from sheets_sync.adapters.gsheets.transport import load_credentials
from sheets_sync.errors import WorkbookError

KEY_LINES = private_key_pem().splitlines()[2:-2]  # whole 64-character lines of the key
KEY_BODY = "".join(KEY_LINES)
LEAKED_TOKEN = "ya29.SECRET-token"


def _texts(exc: BaseException) -> Iterator[str]:
    """The exception's text and that of every exception a traceback of it would show."""
    seen: BaseException | None = exc
    while seen is not None:
        yield str(seen)
        yield repr(seen.args)
        shown_context = None if seen.__suppress_context__ else seen.__context__
        seen = seen.__cause__ or shown_context


def _assert_clean(texts: list[str], assertions: list[str]) -> None:
    for text in texts:
        squeezed = "".join(text.split()).replace("\\n", "")
        assert KEY_BODY[40:120] not in squeezed
        assert not any(line in text for line in KEY_LINES)
        assert "Bearer " not in text
        assert LEAKED_TOKEN not in text
        for assertion in assertions:
            assert assertion.split(".")[1][:40] not in text


def _key_with(folder: Path, **fields: object) -> Path:
    path = key_file(folder, "https://oauth2.googleapis.com/token")
    info = json.loads(path.read_text())
    info.update(fields)
    path.write_text(json.dumps(info))
    return path


def _ec_pem() -> str:
    key = ec.generate_private_key(ec.SECP256R1())
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


@pytest.mark.parametrize(
    "private_key",
    [
        private_key_pem().splitlines(),
        {"pem": private_key_pem()},
        private_key_pem()[:300],
        private_key_pem().replace("A", "#", 3),
        "MII" + KEY_BODY,
        _ec_pem(),
    ],
    ids=["list", "dict", "truncated", "corrupt", "no-header", "ec"],
)
def test_bad_keys_are_reported_without_their_material(tmp_path: Path, private_key: object) -> None:
    """A private key google-auth cannot use gives our message, never its own (which can
    quote the key)."""
    path = _key_with(tmp_path, private_key=private_key)
    with pytest.raises(WorkbookError) as caught:
        load_credentials(path)
    assert "is not a usable service-account key" in str(caught.value)
    _assert_clean(list(_texts(caught.value)), [])


def _token_server(answer: Callable[[Seen], Answer]) -> Callable[[Seen], Answer]:
    def script(seen: Seen) -> Answer:
        if seen.path.startswith("/token"):
            return answer(seen)
        return Answer(200, {"properties": {"title": "T"}, "sheets": []})

    return script


def _echo_assertion(seen: Seen) -> Answer:
    """A token endpoint that quotes the signed assertion back in its error."""
    assertion = parse_qs(seen.body.decode())["assertion"][0]
    return Answer(400, {"error": "invalid_grant", "error_description": f"bad {assertion}"})


BATTERY: dict[str, Callable[[Seen], Answer]] = {
    "assertion echoed": _echo_assertion,
    "token with a newline": lambda seen: Answer(
        200, {"access_token": LEAKED_TOKEN + "\nX", "expires_in": 3600, "token_type": "Bearer"}
    ),
    "token page": lambda seen: Answer(200, f"<html>Bearer {LEAKED_TOKEN}</html>"),
    "token text": lambda seen: Answer(502, f"upstream said Bearer {LEAKED_TOKEN}"),
}


@pytest.mark.parametrize("name", sorted(BATTERY))
def test_failures_never_carry_tokens_or_assertions(
    tmp_path: Path, name: str, caplog: pytest.LogCaptureFixture
) -> None:
    """In a battery of token-endpoint failures, neither the message, the exceptions
    chained to it nor the log holds a bearer token, the JWT assertion or key material."""
    assertions: list[str] = []

    def answer(seen: Seen) -> Answer:
        if seen.body:
            assertions.extend(parse_qs(seen.body.decode()).get("assertion", []))
        return BATTERY[name](seen)

    caplog.set_level(logging.DEBUG)
    with scripted_server(_token_server(answer)) as (url, _):
        key = key_file(tmp_path, f"{url}/token")
        paced = PacedTime()
        workbook = GoogleSheetsWorkbook(
            "sid", key, url, HttpSettings(attempts=2), sleep=paced.sleep, clock=paced.clock
        )
        with pytest.raises(WorkbookError) as caught:
            workbook.read(["Schools"])
    assert assertions
    # google-auth's own DEBUG lines (its background lookup's exceptions) are its business.
    logged = [
        r.getMessage()
        for r in caplog.records
        if r.name.startswith("sheets_sync") or r.levelno >= logging.INFO
    ]
    texts = [*_texts(caught.value), *logged]
    _assert_clean(texts, assertions)
