"""From a routed request to its answer: auth, sharing, then the endpoint.

Works on plain values (no sockets), so the HTTP handler stays a thin shell around it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from sheets_sync.testing.sheets_api import batch_update, metadata, values
from sheets_sync.testing.sheets_api import fields as masks
from sheets_sync.testing.sheets_api.auth import GOOGLE_TOKEN_URIS, NO_BOUNDARY, GrantError
from sheets_sync.testing.sheets_api.errors import (
    INVALID_CREDENTIALS,
    MISSING_CREDENTIALS,
    ApiError,
    bad_request,
    not_found,
    permission_denied,
    unauthenticated,
)
from sheets_sync.testing.sheets_api.model import Spreadsheet
from sheets_sync.testing.sheets_api.routes import Route

if TYPE_CHECKING:
    from sheets_sync.testing.sheets_api.server import SheetsApiStandIn


_WRITES = frozenset(
    {
        "spreadsheets.batchUpdate",
        "spreadsheets.values.update",
        "spreadsheets.values.batchUpdate",
        "spreadsheets.values.clear",
        "spreadsheets.values.batchClear",
        "spreadsheets.values.append",
    }
)


@dataclass
class Answer:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)

    def encoded(self) -> bytes:
        return json.dumps(self.body, ensure_ascii=False, separators=(",", ":")).encode()


def parse_body(raw: bytes, content_type: str) -> Any:
    if not raw:
        return None
    text = raw.decode("utf-8", errors="replace")
    if content_type.startswith("application/x-www-form-urlencoded"):
        return {k: v[-1] for k, v in parse_qs(text, keep_blank_values=True).items()}
    try:
        return json.loads(text)
    except ValueError:
        return text


def answer(
    stand_in: SheetsApiStandIn,
    route: Route,
    query: Mapping[str, Sequence[str]],
    headers: Mapping[str, str],
    body: Any,
) -> Answer:
    try:
        if route.operation == "oauth2.token":
            return _token(stand_in, headers, body)
        caller = _authenticate(stand_in, route, headers.get("authorization"))
        if route.operation == "iamcredentials.allowedLocations":
            return Answer(200, dict(NO_BOUNDARY))
        if route.kind != "sheets" or route.operation == "spreadsheets.unknown":
            raise ApiError(404, "The requested URL was not found on this server.")
        out = _sheets(stand_in, route, query, body, caller)
        if query.get("fields") and route.operation != "spreadsheets.get":
            out = masks.select(out, masks.parse(query["fields"][-1]))
        return Answer(200, out)
    except ApiError as error:
        return Answer(error.code, error.body(), dict(error.headers))


def _token(stand_in: SheetsApiStandIn, headers: Mapping[str, str], body: Any) -> Answer:
    form = body if isinstance(body, dict) else {}
    host = headers.get("host", "")
    audiences = {stand_in.token_url, f"http://{host}/token", *GOOGLE_TOKEN_URIS}
    try:
        with stand_in.store.lock:
            return Answer(200, stand_in.tokens.grant(form, audiences))
    except GrantError as error:
        return Answer(400, error.body)


def _authenticate(
    stand_in: SheetsApiStandIn, route: Route, authorization: str | None
) -> str | None:
    with stand_in.store.lock:
        caller = stand_in.tokens.caller(authorization)
    if caller is None and stand_in.require_auth:
        raise unauthenticated(INVALID_CREDENTIALS if authorization else MISSING_CREDENTIALS)
    return caller


def _sheets(
    stand_in: SheetsApiStandIn,
    route: Route,
    query: Mapping[str, Sequence[str]],
    body: Any,
    caller: str | None,
) -> Any:
    store = stand_in.store
    with store.lock:
        if route.operation == "spreadsheets.create":
            return _create(stand_in, body, caller)
        spreadsheet = store.get(route.spreadsheet_id or "")
        if not spreadsheet.can_be_read_by(caller):
            raise permission_denied()
        op = route.operation
        if op in _WRITES and not spreadsheet.can_be_written_by(caller):
            raise permission_denied()  # shared as Viewer: Google answers the same 403
        text = route.range_text or ""
        if op == "spreadsheets.get":
            return _metadata(spreadsheet, query)
        if op == "spreadsheets.batchUpdate":
            return batch_update.batch_update(store, spreadsheet, body, caller)
        if op == "spreadsheets.values.get":
            return values.get(spreadsheet, text, query)
        if op == "spreadsheets.values.batchGet":
            return values.batch_get(spreadsheet, query)
        if op == "spreadsheets.values.update":
            return values.update(spreadsheet, text, query, body, caller)
        if op == "spreadsheets.values.batchUpdate":
            return values.batch_update(spreadsheet, body, caller)
        if op == "spreadsheets.values.clear":
            return values.clear(spreadsheet, text)
        if op == "spreadsheets.values.batchClear":
            return values.batch_clear(spreadsheet, body)
        if op == "spreadsheets.values.append":
            return values.append(spreadsheet, text, query, body)
    raise not_found()


def _metadata(spreadsheet: Spreadsheet, query: Mapping[str, Sequence[str]]) -> Any:
    include = values.flag(query, "includeGridData")
    grids = [spreadsheet.resolve(text) for text in query.get("ranges", [])]
    mask = masks.parse(query["fields"][-1]) if query.get("fields") else None
    return metadata.render(spreadsheet, include_grid=include, ranges=grids, mask=mask)


def _create(stand_in: SheetsApiStandIn, body: Any, caller: str | None) -> Any:
    body = body if isinstance(body, dict) else {}
    props = body.get("properties") or {}
    spreadsheet = metadata.new_spreadsheet(
        stand_in.store, str(props.get("title") or "Untitled spreadsheet"), caller
    )
    for key in ("locale", "timeZone", "autoRecalc"):
        if props.get(key):
            spreadsheet.properties[key] = props[key]
    if caller is not None:
        spreadsheet.shared_with = {caller}
    sheets = body.get("sheets") or [{}]
    for i, sheet in enumerate(sheets):
        if not isinstance(sheet, dict):
            raise bad_request(f"Invalid sheets[{i}]")
        metadata.add_sheet(
            stand_in.store, spreadsheet, sheet.get("properties") or {}, f"sheets[{i}]"
        )
    stand_in.store.spreadsheets[spreadsheet.spreadsheet_id] = spreadsheet
    return metadata.render(spreadsheet)
