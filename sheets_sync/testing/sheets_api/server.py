"""`SheetsApiStandIn`: the server, its thread, and the helpers tests drive it with."""

from __future__ import annotations

import copy
import threading
from collections.abc import Iterable, Mapping, Sequence
from types import TracebackType
from typing import Any

from sheets_sync.testing.sheets_api import a1, metadata, values
from sheets_sync.testing.sheets_api.auth import Tokens
from sheets_sync.testing.sheets_api.cells import DATE_OPTIONS, RENDER_OPTIONS
from sheets_sync.testing.sheets_api.faults import Fault, Faults
from sheets_sync.testing.sheets_api.handler import Handler, RecordedRequest, Server, wake
from sheets_sync.testing.sheets_api.model import Grid, Sheet, Spreadsheet, Store


class SheetsApiStandIn:
    """A local Google Sheets API v4 (and OAuth token endpoint) keeping spreadsheets in memory.

    Use it as a context manager, or call `start` and `stop`::

        with SheetsApiStandIn() as api:
            sid = api.create_spreadsheet("District", {"Schools": [["School", "Region"]]})
            ...  # point gspread at api.url, the service-account file's token_uri at api.token_url
            assert api.values(sid, "Summary")[0] == ["School", "Status"]
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        require_auth: bool = True,
        token_lifetime: int = 3600,
        seed: int | None = None,
    ) -> None:
        self.host = host
        self.port = port
        self.require_auth = require_auth
        self.store = Store(seed)
        self.tokens = Tokens(lifetime=token_lifetime)
        self.faults = Faults()
        self._log: list[RecordedRequest] = []
        self._log_lock = threading.Lock()
        self.stopping = threading.Event()
        self._server: Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------

    def start(self) -> SheetsApiStandIn:
        if self._server is not None:
            return self
        self.stopping.clear()
        server = Server((self.host, self.port), Handler)
        server.stand_in = self
        self._server = server
        self.port = server.server_address[1]
        self._thread = threading.Thread(
            target=server.serve_forever, name="sheets-api-stand-in", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        self.stopping.set()
        stopper = threading.Thread(target=server.shutdown, daemon=True)
        stopper.start()
        while stopper.is_alive():
            wake(server)  # the serve loop notices a shutdown only between two events
            stopper.join(timeout=0.05)
        server.close_connections()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> SheetsApiStandIn:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``: the root that stands for ``https://sheets.googleapis.com``.

        Listening on every address (``0.0.0.0``), it is reached here at 127.0.0.1."""
        host = "127.0.0.1" if self.host in ("", "0.0.0.0") else self.host
        return f"http://{host}:{self.port}"

    @property
    def token_url(self) -> str:
        """The ``token_uri`` to put in a service-account file for this stand-in."""
        return f"{self.url}/token"

    # -- spreadsheets ----------------------------------------------------------------

    def create_spreadsheet(
        self,
        title: str = "Untitled spreadsheet",
        sheets: Mapping[str, Sequence[Sequence[object]]] | None = None,
        *,
        shared_with: Iterable[str] | None = None,
        owner: str | None = None,
        spreadsheet_id: str | None = None,
        user_entered: bool = False,
    ) -> str:
        """A new spreadsheet with these tabs (``{"Schools": [[header...], [row...]]}``); its id.

        Without tabs it has Google's default ``Sheet1``. Cells are stored as RAW values
        (text stays text) unless ``user_entered``; a `datetime.date` becomes a date cell
        (a serial number shown as ``2024-09-03``), as typing it would make.
        ``shared_with`` lists the only service accounts that may open it (others get
        403); None lets any valid token in.
        """
        with self.store.lock:
            spreadsheet = metadata.new_spreadsheet(self.store, title, owner)
            if spreadsheet_id is not None:
                spreadsheet.spreadsheet_id = spreadsheet_id
            spreadsheet.shared_with = None if shared_with is None else set(shared_with)
            for name, rows in (sheets or {"Sheet1": []}).items():
                height = max(len(rows), 1000)
                width = max((len(r) for r in rows), default=0)
                props = {
                    "title": name,
                    "gridProperties": {"rowCount": height, "columnCount": max(width, 26)},
                }
                metadata.add_sheet(self.store, spreadsheet, props, "sheets")
            self.store.spreadsheets[spreadsheet.spreadsheet_id] = spreadsheet
            for name, rows in (sheets or {}).items():
                if rows:
                    self._write(spreadsheet, name, rows, "A1", user_entered)
            return spreadsheet.spreadsheet_id

    def copy_spreadsheet(self, spreadsheet_id: str, title: str | None = None) -> str:
        """A copy (as Drive's files.copy makes), with a new id; its id."""
        with self.store.lock:
            source = self.store.get(spreadsheet_id)
            twin = copy.deepcopy(source)
            twin.spreadsheet_id = self.store.new_spreadsheet_id()
            twin.properties["title"] = title or f"Copy of {source.properties['title']}"
            self.store.spreadsheets[twin.spreadsheet_id] = twin
            return twin.spreadsheet_id

    def delete_spreadsheet(self, spreadsheet_id: str) -> None:
        with self.store.lock:
            self.store.spreadsheets.pop(spreadsheet_id, None)

    def set_values(
        self,
        spreadsheet_id: str,
        tab: str,
        rows: Sequence[Sequence[object]],
        start: str = "A1",
        *,
        user_entered: bool = False,
    ) -> None:
        """Writes cells as a person would between runs (no request is logged)."""
        with self.store.lock:
            self._write(self.store.get(spreadsheet_id), tab, rows, start, user_entered)

    def _write(
        self,
        spreadsheet: Spreadsheet,
        tab: str,
        rows: Sequence[Sequence[object]],
        start: str,
        user_entered: bool,
    ) -> None:
        target = f"{a1.quote_title(tab)}!{start}"
        body = {"values": [list(r) for r in rows]}
        values.plan_write(spreadsheet, target, body, user_entered, "data").apply()

    def values(
        self,
        spreadsheet_id: str,
        tab: str,
        *,
        render: str = "UNFORMATTED_VALUE",
        dates: str = "SERIAL_NUMBER",
    ) -> list[list[object]]:
        """The tab's cells as a whole-tab values read answers them (trailing empties dropped).

        ``render="FORMULA"`` shows formulas as their text; the default shows stored text,
        numbers and booleans as they are.
        """
        if render not in RENDER_OPTIONS or dates not in DATE_OPTIONS:
            raise ValueError(f"render must be one of {RENDER_OPTIONS}, dates one of {DATE_OPTIONS}")
        with self.store.lock:
            sheet = self._tab(spreadsheet_id, tab)
            grid = Grid(sheet, 0, sheet.row_count, 0, sheet.column_count)
            return values.read(grid, render, dates, "ROWS")

    def sheet_properties(self, spreadsheet_id: str, tab: str) -> dict[str, Any]:
        """The tab's properties as ``GET`` answers them (sheetId, index, gridProperties...)."""
        with self.store.lock:
            spreadsheet = self.store.get(spreadsheet_id)
            return metadata.sheet_properties(spreadsheet, self._tab(spreadsheet_id, tab))

    def metadata(self, spreadsheet_id: str, *, include_grid: bool = False) -> dict[str, Any]:
        """The spreadsheet as ``GET /v4/spreadsheets/{id}`` answers it."""
        with self.store.lock:
            return metadata.render(self.store.get(spreadsheet_id), include_grid=include_grid)

    def tabs(self, spreadsheet_id: str) -> list[str]:
        with self.store.lock:
            return [s.title for s in self.store.get(spreadsheet_id).sheets]

    def _tab(self, spreadsheet_id: str, tab: str) -> Sheet:
        sheet = self.store.get(spreadsheet_id).sheet_by_title(tab)
        if sheet is None:
            raise KeyError(f"no tab {tab!r} in spreadsheet {spreadsheet_id}")
        return sheet

    def share(self, spreadsheet_id: str, email: str, role: str = "writer") -> None:
        """Shares with one account as Editor (``"writer"``) or Viewer (``"reader"``, whose
        writes get Google's 403)."""
        if role not in ("writer", "reader"):
            raise ValueError(f"role must be 'writer' or 'reader', not {role!r}")
        with self.store.lock:
            spreadsheet = self.store.get(spreadsheet_id)
            if spreadsheet.shared_with is not None:
                spreadsheet.shared_with.add(email)
            if role == "reader":
                spreadsheet.readers.add(email)
            else:
                spreadsheet.readers.discard(email)

    def unshare(self, spreadsheet_id: str, email: str) -> None:
        """Takes access away from one service account (the spreadsheet stops being open to all)."""
        with self.store.lock:
            spreadsheet = self.store.get(spreadsheet_id)
            if spreadsheet.shared_with is None:
                spreadsheet.shared_with = set()
            spreadsheet.shared_with.discard(email)
            if spreadsheet.owner == email:
                spreadsheet.owner = None

    # -- auth ------------------------------------------------------------------------

    def register_service_account(self, email: str, public_key: Any = None) -> None:
        """Accept token requests from this account; with a public key (PEM or a
        `cryptography` key), only correctly signed ones. Once any account is registered,
        unregistered ones are refused."""
        with self.store.lock:
            self.tokens.register(email, public_key)

    def issue_token(self, email: str = "tester@stand-in.iam.gserviceaccount.com") -> str:
        """An access token for ``email``, for requests made without google-auth."""
        with self.store.lock:
            return self.tokens.issue(email)

    # -- request log -----------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received since the last `reset_requests`, oldest first."""
        with self._log_lock:
            return list(self._log)

    @property
    def sheets_requests(self) -> list[RecordedRequest]:
        """Only the Sheets API requests (not the token or access boundary ones)."""
        return [r for r in self.requests if r.kind == "sheets"]

    def reset_requests(self) -> None:
        with self._log_lock:
            self._log.clear()

    def record(self, entry: RecordedRequest) -> None:
        """Adds a request to the log (the HTTP handler calls this)."""
        with self._log_lock:
            self._log.append(entry)

    # -- faults ----------------------------------------------------------------------

    def fail_next(
        self,
        n: int = 1,
        status: int = 429,
        retry_after: float | str | None = None,
        *,
        include_auth: bool = False,
    ) -> None:
        """The next ``n`` Sheets requests answer ``status`` (429 with Google's quota message;
        ``Retry-After`` sent when given)."""
        header = (
            None
            if retry_after is None
            else (f"{retry_after:g}" if isinstance(retry_after, float | int) else retry_after)
        )
        self.faults.add(
            Fault("fail", n, status=status, retry_after=header, include_auth=include_auth)
        )

    def delay_next(self, n: int, seconds: float, *, include_auth: bool = False) -> None:
        """The next ``n`` Sheets requests are carried out, but answered ``seconds`` late."""
        self.faults.add(Fault("delay", n, seconds=seconds, include_auth=include_auth))

    def drop_next(self, n: int = 1, *, include_auth: bool = False) -> None:
        """The next ``n`` Sheets requests get no answer: the connection just closes.

        The request is not carried out."""
        self.faults.add(Fault("drop", n, include_auth=include_auth))

    def clear_faults(self) -> None:
        self.faults.clear()
