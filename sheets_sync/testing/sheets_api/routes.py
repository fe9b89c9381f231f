"""Which API operation a request is, from its method and path.

Paths are read before percent-decoding, so that the ``:clear`` of
``/values/%27My%20Tab%27%21A1%3AB2:clear`` is told from a colon inside the range.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

_SPREADSHEETS = "/v4/spreadsheets"
_ID = r"([A-Za-z0-9_-]+)"
_BOUNDARY = re.compile(r"/v1/projects/[^/]+/serviceAccounts/([^/]+)/allowedLocations")


@dataclass(frozen=True)
class Route:
    operation: str  # "spreadsheets.values.get", "oauth2.token", ... or "unknown"
    spreadsheet_id: str | None = None
    range_text: str | None = None

    @property
    def kind(self) -> str:
        """ "sheets", "auth" or "other": what faults and request counts go by."""
        if self.operation.startswith("spreadsheets."):
            return "sheets"
        if self.operation in ("oauth2.token", "iamcredentials.allowedLocations"):
            return "auth"
        return "other"


_TABLE: list[tuple[str, re.Pattern[str], str]] = [
    ("POST", re.compile(r""), "spreadsheets.create"),
    ("GET", re.compile(rf"/{_ID}"), "spreadsheets.get"),
    ("POST", re.compile(rf"/{_ID}:batchUpdate"), "spreadsheets.batchUpdate"),
    ("GET", re.compile(rf"/{_ID}/values:batchGet"), "spreadsheets.values.batchGet"),
    ("POST", re.compile(rf"/{_ID}/values:batchUpdate"), "spreadsheets.values.batchUpdate"),
    ("POST", re.compile(rf"/{_ID}/values:batchClear"), "spreadsheets.values.batchClear"),
    ("POST", re.compile(rf"/{_ID}/values/(.+):clear"), "spreadsheets.values.clear"),
    ("POST", re.compile(rf"/{_ID}/values/(.+):append"), "spreadsheets.values.append"),
    ("GET", re.compile(rf"/{_ID}/values/(.+)"), "spreadsheets.values.get"),
    ("PUT", re.compile(rf"/{_ID}/values/(.+)"), "spreadsheets.values.update"),
]


def route(method: str, raw_path: str) -> Route:
    path = raw_path.split("?", 1)[0]
    if path.rstrip("/") == "/token" and method == "POST":
        return Route("oauth2.token")
    boundary = _BOUNDARY.fullmatch(path)
    if boundary and method == "GET":
        return Route("iamcredentials.allowedLocations", range_text=unquote(boundary.group(1)))
    if not path.startswith(_SPREADSHEETS):
        return Route("unknown")
    rest = path[len(_SPREADSHEETS) :]
    for verb, pattern, operation in _TABLE:
        match = pattern.fullmatch(rest)
        if match and verb == method:
            groups = match.groups()
            spreadsheet_id = groups[0] if groups else None
            range_text = unquote(groups[1]) if len(groups) > 1 else None
            return Route(operation, spreadsheet_id, range_text)
    return Route("spreadsheets.unknown" if rest else "unknown")
