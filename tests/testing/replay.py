"""Replays Google's recorded Sheets traffic against the stand-in and compares the answers.

Each recording file is a script (create a spreadsheet through Drive, then Sheets requests)
played in order against a fresh stand-in. Ids Google drew (spreadsheets, sheets,
protected and named ranges) are mapped to the stand-in's, learned from the Drive create
answers and the batchUpdate replies, and mapped back before comparing. Requests the
recording cannot set up are counted apart as unreplayable: those on spreadsheets that
existed before the recording (listed through Drive), or whose content a Drive upload
replaced.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests

from sheets_sync.testing.sheets_api import SheetsApiStandIn
from sheets_sync.testing.sheets_api.routes import route

RECORDINGS = (
    Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "google-sheets-recordings"
)
RECORDED_ACCOUNT = "telegram-budgeter@telegram-budgeter.iam.gserviceaccount.com"
# Fields the README says vary by account or time.
IGNORED = frozenset({"spreadsheetTheme", "defaultFormat", "spreadsheetUrl", "autoRecalc"})
ID_KEYS = {
    "sheetId": "sheet",
    "sourceSheetId": "sheet",
    "newSheetId": "sheet",
    "protectedRangeId": "protected",
    "namedRangeId": "named",
    "spreadsheetId": "spreadsheet",
}
REPLY_IDS = {
    "addSheet": ("properties", "sheetId", "sheet"),
    "duplicateSheet": ("properties", "sheetId", "sheet"),
    "addProtectedRange": ("protectedRange", "protectedRangeId", "protected"),
    "addNamedRange": ("namedRange", "namedRangeId", "named"),
}


@dataclass
class Outcome:
    recording: str
    operation: str
    request_kinds: tuple[str, ...]
    same: bool
    replayable: bool = True
    detail: str = ""
    expected: Any = None
    got: Any = None
    status: tuple[int, int] = (0, 0)


@dataclass
class IdMaps:
    """Recorded id -> local id, one table per kind of id."""

    tables: dict[str, dict[Any, Any]] = field(
        default_factory=lambda: {k: {} for k in ("sheet", "protected", "named", "spreadsheet")}
    )

    def learn(self, kind: str, recorded: Any, local: Any) -> None:
        self.tables[kind][recorded] = local

    def to_local(self, value: Any) -> Any:
        return _walk(value, lambda kind, v: self.tables[kind].get(v, v))

    def to_recorded(self, value: Any) -> Any:
        reverse = {k: {v: r for r, v in t.items()} for k, t in self.tables.items()}
        return _walk(value, lambda kind, v: reverse[kind].get(v, v))


def _walk(value: Any, mapper: Any) -> Any:
    if isinstance(value, list):
        return [_walk(v, mapper) for v in value]
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key in IGNORED:
                continue
            if key in ID_KEYS and isinstance(item, int | str) and not isinstance(item, bool):
                out[key] = mapper(ID_KEYS[key], item)
            else:
                out[key] = _walk(item, mapper)
        return out
    return value


def recording_files() -> list[Path]:
    return sorted(RECORDINGS.glob("*.json"))


def _json(text: str) -> Any:
    try:
        return json.loads(text) if text else None
    except ValueError:
        return text


def _spreadsheet_id(path: str) -> str | None:
    prefix = "/v4/spreadsheets/"
    if not path.startswith(prefix):
        return None
    rest = path[len(prefix) :]
    for stop in ("/", ":"):
        rest = rest.split(stop, 1)[0]
    return rest or None


def replay(path: Path, session: requests.Session) -> Iterator[Outcome]:
    interactions = json.loads(path.read_text())["interactions"]
    with SheetsApiStandIn(seed=7) as api:
        headers = {"Authorization": f"Bearer {api.issue_token(RECORDED_ACCOUNT)}"}
        ids = IdMaps()
        replaced: set[str] = set()
        for interaction in interactions:
            request, response = interaction["request"], interaction["response"]
            url = urlsplit(request["uri"])
            expected = _json(response["body"]["string"])
            status = int(response["status"]["code"])
            body = _json(request.get("body") or "")
            if url.netloc != "sheets.googleapis.com":
                _drive(api, request["method"], url.path, body, expected, ids, replaced)
                continue
            routed = route(request["method"], url.path)
            kinds = (
                tuple(k for r in body["requests"] for k in r)
                if routed.operation == "spreadsheets.batchUpdate"
                and isinstance(body, dict)
                and body.get("requests")
                else ()
            )
            recorded_id = _spreadsheet_id(url.path)
            name = path.stem
            if recorded_id in replaced:
                yield Outcome(
                    name,
                    routed.operation,
                    kinds,
                    False,
                    False,
                    "content replaced by a Drive upload",
                )
                continue
            if recorded_id is not None and recorded_id not in ids.tables["spreadsheet"]:
                if status == 403:
                    ids.learn(
                        "spreadsheet",
                        recorded_id,
                        api.create_spreadsheet("Not shared", shared_with=[]),
                    )
                elif status != 404:
                    yield Outcome(
                        name,
                        routed.operation,
                        kinds,
                        False,
                        False,
                        "spreadsheet made before the recording",
                    )
                    continue
            local_path = url.path
            if recorded_id is not None:
                local_path = local_path.replace(
                    recorded_id, ids.tables["spreadsheet"].get(recorded_id, recorded_id), 1
                )
            target = api.url + local_path + (f"?{url.query}" if url.query else "")
            data = json.dumps(ids.to_local(body)) if body is not None else None
            sent_headers = {**headers, "Content-Type": "application/json"} if data else headers
            reply = session.request(
                request["method"], target, data=data, headers=sent_headers, timeout=10
            )
            got = _json(reply.text)
            if (
                routed.operation == "spreadsheets.batchUpdate"
                and reply.status_code == 200
                and status == 200
            ):
                for rec, loc in zip(
                    expected.get("replies", []), got.get("replies", []), strict=False
                ):
                    for kind, (holder, key, table) in REPLY_IDS.items():
                        if kind in rec and kind in loc:
                            ids.learn(table, rec[kind][holder][key], loc[kind][holder][key])
            want = _walk(expected, lambda kind, v: v)
            have = ids.to_recorded(got)
            yield Outcome(
                name,
                routed.operation,
                kinds,
                status == reply.status_code and want == have,
                expected=want,
                got=have,
                status=(status, reply.status_code),
            )


def _drive(
    api: SheetsApiStandIn,
    method: str,
    path: str,
    body: Any,
    answer: Any,
    ids: IdMaps,
    replaced: set[str],
) -> None:
    """The Drive requests that change what the Sheets requests find."""
    if method == "POST" and path == "/drive/v3/files" and isinstance(answer, dict):
        title = (body or {}).get("name") or "Untitled spreadsheet"
        ids.learn(
            "spreadsheet", answer["id"], api.create_spreadsheet(title, owner=RECORDED_ACCOUNT)
        )
    elif method == "POST" and path.endswith("/copy") and isinstance(answer, dict):
        source = path.split("/")[-2]
        local = ids.tables["spreadsheet"].get(source)
        if local is not None:
            title = (body or {}).get("name") or None
            ids.learn("spreadsheet", answer["id"], api.copy_spreadsheet(local, title))
    elif method == "PUT" and path.startswith("/upload/drive/"):
        replaced.add(path.rsplit("/", 1)[-1])
