"""The ledger: which emails were sent, kept in SQLite in the state folder.

Each message is one row under its key (`facilitator-digest / ann@district.org / 2026-W47`).
A sender claims the key with `begin()`, which is on disk as `pending` before the message
goes out, then records `sent()` or `failed()`. A row still `pending` when a later run
looks is a message whose outcome nobody knows (the process died between sending and
recording): it is reported, never resent on its own, because a duplicate email is worse
than a missing one and a person can look and use `--force`.

Writes are short `BEGIN IMMEDIATE` transactions in WAL mode with `synchronous=FULL`, so two
processes sharing the file wait for each other (up to the busy timeout) instead of
corrupting it, and a claim is atomic: of two processes racing for one key, one gets it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Literal, cast

from sheets_sync.core.mail_plan import Decision
from sheets_sync.errors import SheetsSyncError

Status = Literal["pending", "sent", "failed"]

SCHEMA_VERSION = 1
BUSY_TIMEOUT_SECONDS = 30.0
_SCHEMA = """
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS messages (
    key TEXT PRIMARY KEY,
    status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    run_id TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    last_error TEXT,
    permanent INTEGER NOT NULL DEFAULT 0,
    updated TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS messages_status ON messages (status);
"""
_COLUMNS = "key, status, run_id, attempts, last_error, updated, permanent"


class LedgerError(SheetsSyncError):
    """The ledger cannot be opened or written: no email may be sent without it."""


@dataclass(frozen=True)
class Entry:
    """One message's record; `updated` is in UTC, `permanent` marks a refusal (e.g. 550)."""

    key: str
    status: Status
    run_id: str
    attempts: int
    last_error: str | None
    updated: datetime
    permanent: bool = False


class Ledger:
    """The ledger file at `path` (created with its folder); one connection per instance.

    `busy_timeout` is how long a write waits for another process's transaction.
    """

    def __init__(
        self, path: Path, *, busy_timeout: float = BUSY_TIMEOUT_SECONDS, read_only: bool = False
    ) -> None:
        """`read_only` (for dry runs and `doctor`) opens an existing ledger without writing
        anything to it, not even its schema."""
        self.path = path
        try:
            if read_only:
                uri = f"{path.resolve().as_uri()}?mode=ro"
                self._db = sqlite3.connect(
                    uri, timeout=busy_timeout, isolation_level=None, uri=True
                )
                return
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, timeout=busy_timeout, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise self._error("cannot be opened", exc) from exc
        try:
            self._setup()
        except (sqlite3.Error, LedgerError) as exc:
            self._db.close()
            if isinstance(exc, LedgerError):
                raise
            raise self._error("is not a sheets-sync ledger or is damaged", exc) from exc

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def should_send(self, key: str, force: bool = False) -> Decision:
        """`send` (never seen, or failed), `skip-sent`, or `unknown` (pending); force: `send`."""
        return _decide(self.state(key), force)

    def begin(self, key: str, run_id: str, now: datetime, *, force: bool = False) -> bool:
        """Claims `key` as pending, on disk before returning; False: do not send it.

        The claim re-checks `should_send` inside the write transaction, so a key another
        process claimed or sent meanwhile is refused rather than sent twice.
        """
        with self._write() as db:
            if _decide(self._get(db, key), force) != "send":
                return False
            db.execute(
                "INSERT INTO messages (key, status, run_id, attempts, updated)"
                " VALUES (?, 'pending', ?, 1, ?)"
                " ON CONFLICT (key) DO UPDATE SET status = 'pending', run_id = excluded.run_id,"
                " attempts = attempts + 1, permanent = 0, updated = excluded.updated",
                (key, run_id, _stamp(now)),
            )
        return True

    def sent(self, key: str, now: datetime) -> None:
        self._finish(
            key,
            "UPDATE messages SET status = 'sent', updated = ? WHERE key = ?",
            (_stamp(now), key),
        )

    def failed(self, key: str, reason: str, now: datetime, permanent: bool) -> None:
        """Records a failed attempt; the next run sends it again (a person fixes a refusal)."""
        self._finish(
            key,
            "UPDATE messages SET status = 'failed', last_error = ?, permanent = ?, updated = ?"
            " WHERE key = ?",
            (reason, int(permanent), _stamp(now), key),
        )

    def state(self, key: str) -> Entry | None:
        with self._read() as db:
            return self._get(db, key)

    def unknown_outcomes(self) -> list[Entry]:
        """Messages claimed but never recorded as sent or failed, oldest first.

        Called before a run sends, these are all from earlier runs: each may or may not
        have reached its reader.
        """
        with self._read() as db:
            rows = db.execute(
                f"SELECT {_COLUMNS} FROM messages WHERE status = 'pending' ORDER BY updated, key"
            ).fetchall()
        return [_entry(row) for row in rows]

    def _setup(self) -> None:
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute("PRAGMA synchronous = FULL")
        with self._write() as db:
            # One statement at a time: executescript() would commit outside this transaction.
            for statement in filter(str.strip, _SCHEMA.split(";")):
                db.execute(statement)
            row = db.execute("SELECT max(version) FROM schema_version").fetchone()
            if row[0] is None:
                db.execute("INSERT INTO schema_version (version) VALUES (?)", (SCHEMA_VERSION,))
            elif row[0] > SCHEMA_VERSION:
                raise LedgerError(
                    f"The ledger {self.path} was written by a newer sheets-sync (schema"
                    f" {row[0]}, this one knows {SCHEMA_VERSION}): upgrade sheets-sync."
                )

    def _finish(self, key: str, sql: str, values: tuple[object, ...]) -> None:
        with self._write() as db:
            if db.execute(sql, values).rowcount == 0:
                raise KeyError(f"{key!r} was never begun in the ledger")

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        # BEGIN IMMEDIATE takes the write lock up front: a read-then-write in a deferred
        # transaction could fail with SQLITE_BUSY halfway instead of waiting.
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise self._error("cannot be written", exc) from exc
        try:
            yield self._db
            self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            self._rollback()
            raise self._error("cannot be written", exc) from exc
        except BaseException:
            self._rollback()
            raise

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        try:
            yield self._db
        except sqlite3.Error as exc:
            raise self._error("cannot be read", exc) from exc

    def _rollback(self) -> None:
        if self._db.in_transaction:
            self._db.execute("ROLLBACK")

    @staticmethod
    def _get(db: sqlite3.Connection, key: str) -> Entry | None:
        row = db.execute(f"SELECT {_COLUMNS} FROM messages WHERE key = ?", (key,)).fetchone()
        return None if row is None else _entry(row)

    def _error(self, what: str, exc: BaseException) -> LedgerError:
        return LedgerError(
            f"The email ledger {self.path} {what} ({exc}). It records which emails were sent,"
            " so no email is sent without it: check the [state] dir folder (permissions,"
            " disk space); if the file is damaged, move it aside, knowing that emails already"
            " sent this period will be sent again."
        )


def _decide(entry: Entry | None, force: bool) -> Decision:
    if force or entry is None or (entry.status == "failed" and not entry.permanent):
        return "send"
    if entry.status == "failed":
        return "skip-refused"  # refused for good (5xx, or an unusable address): not again
    return "skip-sent" if entry.status == "sent" else "unknown"


def _entry(row: tuple[object, ...]) -> Entry:
    key, status, run_id, attempts, last_error, updated, permanent = row
    return Entry(
        key=str(key),
        status=cast(Status, status),
        run_id=str(run_id),
        attempts=cast(int, attempts),
        last_error=None if last_error is None else str(last_error),
        updated=datetime.fromisoformat(str(updated)),
        permanent=bool(permanent),
    )


def _stamp(now: datetime) -> str:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(f"now must carry a time zone: {now.isoformat()}")
    return now.astimezone(UTC).isoformat()
