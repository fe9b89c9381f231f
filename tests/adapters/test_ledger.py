"""The email ledger on a real SQLite file: a message's life, crashes, force, and two writers."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
import textwrap
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sheets_sync.adapters.ledger import Entry, Ledger, LedgerError
from sheets_sync.errors import SheetsSyncError

KEY = "facilitator-digest / ann@district.org / 2026-W47"
OTHER = "facilitator-digest / bo@district.org / 2026-W47"
MON_0700 = datetime(2026, 11, 16, 12, 0, tzinfo=UTC)  # 07:00 in New York
LATER = MON_0700 + timedelta(minutes=15)
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "state" / "ledger.sqlite3"


def test_a_new_ledger_creates_its_folder_and_file(path: Path) -> None:
    """The state folder need not exist; the file is SQLite in WAL mode with a schema version."""
    with Ledger(path):
        pass
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert db.execute("SELECT version FROM schema_version").fetchall() == [(1,)]
    db.close()


def test_a_message_is_pending_then_sent(path: Path) -> None:
    """Never seen: send; begun: pending and unknown; sent: skipped from then on."""
    with Ledger(path) as ledger:
        assert ledger.state(KEY) is None
        assert ledger.should_send(KEY) == "send"
        assert ledger.begin(KEY, "run-1", MON_0700) is True
        assert ledger.state(KEY) == Entry(KEY, "pending", "run-1", 1, None, MON_0700)
        assert ledger.should_send(KEY) == "unknown"
        ledger.sent(KEY, LATER)
        assert ledger.state(KEY) == Entry(KEY, "sent", "run-1", 1, None, LATER)
        assert ledger.should_send(KEY) == "skip-sent"
        assert ledger.should_send(OTHER) == "send"
        assert ledger.unknown_outcomes() == []


def test_times_are_kept_in_utc(path: Path) -> None:
    """A local `now` is stored and read back as the same instant in UTC."""
    local = MON_0700.astimezone(datetime.now(UTC).astimezone().tzinfo)
    with Ledger(path) as ledger:
        ledger.begin(KEY, "run-1", local)
        entry = ledger.state(KEY)
    assert entry is not None
    assert entry.updated == MON_0700
    assert entry.updated.utcoffset() == timedelta(0)


def test_a_naive_time_is_refused(path: Path) -> None:
    """A time without a zone could be read two ways later; the caller is told."""
    with Ledger(path) as ledger, pytest.raises(ValueError, match="now must carry a time zone"):
        ledger.begin(KEY, "run-1", datetime(2026, 11, 16, 7, 0))


def test_a_record_survives_a_new_instance(path: Path) -> None:
    """What one process recorded, the next one reads from the file."""
    with Ledger(path) as first:
        first.begin(KEY, "run-1", MON_0700)
        first.sent(KEY, LATER)
    with Ledger(path) as second:
        assert second.should_send(KEY) == "skip-sent"
        assert second.state(KEY) == Entry(KEY, "sent", "run-1", 1, None, LATER)


def test_a_crash_between_send_and_record_leaves_an_unknown_outcome(path: Path) -> None:
    """Begun, then the process dies (never closed): the next run is told, and does not resend."""
    crashed = Ledger(path)
    crashed.begin(KEY, "run-1", MON_0700)
    # No sent(), no close(): the pending row must already be on disk.
    with Ledger(path) as next_run:
        assert next_run.should_send(KEY) == "unknown"
        assert next_run.unknown_outcomes() == [Entry(KEY, "pending", "run-1", 1, None, MON_0700)]
        assert next_run.begin(KEY, "run-2", LATER) is False
        assert next_run.state(KEY) == Entry(KEY, "pending", "run-1", 1, None, MON_0700)
    crashed.close()


def test_a_crashed_process_really_left_the_pending_row_on_disk(path: Path) -> None:
    """A child process begins a message and exits without a word; the parent sees it pending."""
    script = textwrap.dedent(
        f"""
        import os, sys
        from datetime import datetime, UTC
        from pathlib import Path
        from sheets_sync.adapters.ledger import Ledger
        Ledger(Path(sys.argv[1])).begin({KEY!r}, "run-1", datetime(2026, 11, 16, 12, tzinfo=UTC))
        os._exit(0)  # no close, no finalizers: as if killed
        """
    )
    subprocess.run([sys.executable, "-c", script, str(path)], check=True, cwd=REPO)
    with Ledger(path) as ledger:
        assert [e.key for e in ledger.unknown_outcomes()] == [KEY]
        assert ledger.should_send(KEY) == "unknown"


def test_force_resends_what_was_sent_and_what_is_unknown(path: Path) -> None:
    """`--force` sends a sent key again and an unknown one too; each counts as an attempt."""
    with Ledger(path) as ledger:
        ledger.begin(KEY, "run-1", MON_0700)
        ledger.sent(KEY, MON_0700)
        ledger.begin(OTHER, "run-1", MON_0700)  # left pending: unknown
        assert ledger.should_send(KEY, force=True) == "send"
        assert ledger.should_send(OTHER, force=True) == "send"
        assert ledger.begin(KEY, "run-2", LATER) is False
        assert ledger.begin(KEY, "run-2", LATER, force=True) is True
        assert ledger.begin(OTHER, "run-2", LATER, force=True) is True
        assert ledger.state(KEY) == Entry(KEY, "pending", "run-2", 2, None, LATER)
        assert ledger.state(OTHER) == Entry(OTHER, "pending", "run-2", 2, None, LATER)


def test_a_failed_message_is_sent_again_next_run(path: Path) -> None:
    """Failed (server down): the next run sends it; the error stays until replaced."""
    with Ledger(path) as ledger:
        ledger.begin(KEY, "run-1", MON_0700)
        ledger.failed(KEY, "connection refused", MON_0700, permanent=False)
        assert ledger.state(KEY) == Entry(KEY, "failed", "run-1", 1, "connection refused", MON_0700)
        assert ledger.should_send(KEY) == "send"
        assert ledger.unknown_outcomes() == []
    with Ledger(path) as next_run:
        assert next_run.begin(KEY, "run-2", LATER) is True
        next_run.sent(KEY, LATER)
        assert next_run.state(KEY) == Entry(KEY, "sent", "run-2", 2, "connection refused", LATER)


def test_a_refused_recipient_is_marked_permanent_and_not_retried(path: Path) -> None:
    """A 550 is recorded as permanent and not tried again, unless the caller forces it."""
    with Ledger(path) as ledger:
        ledger.begin(KEY, "run-1", MON_0700)
        ledger.failed(KEY, "550 5.1.1 no such user", MON_0700, permanent=True)
        assert ledger.state(KEY) == Entry(
            KEY, "failed", "run-1", 1, "550 5.1.1 no such user", MON_0700, permanent=True
        )
        assert ledger.should_send(KEY) == "skip-refused"
        assert not ledger.begin(KEY, "run-2", LATER)
        assert ledger.should_send(KEY, force=True) == "send"
        assert ledger.begin(KEY, "run-2", LATER, force=True)
        entry = ledger.state(KEY)
        assert entry is not None
        assert (entry.status, entry.attempts, entry.permanent) == ("pending", 2, False)


def test_recording_an_outcome_for_a_key_never_begun_is_a_bug(path: Path) -> None:
    """sent() or failed() without begin() breaks the protocol and says which key."""
    with Ledger(path) as ledger:
        with pytest.raises(KeyError, match="was never begun"):
            ledger.sent(KEY, MON_0700)
        with pytest.raises(KeyError, match="was never begun"):
            ledger.failed(KEY, "x", MON_0700, permanent=False)


def test_unknown_outcomes_are_listed_oldest_first(path: Path) -> None:
    """Pending rows only, by time then key; sent and failed ones are not unknown."""
    with Ledger(path) as ledger:
        ledger.begin(OTHER, "run-1", MON_0700)
        ledger.begin("principal-summary / cy@school.org / 2026-11", "run-2", LATER)
        ledger.begin(KEY, "run-1", MON_0700)
        ledger.begin("sent", "run-1", MON_0700)
        ledger.sent("sent", MON_0700)
        ledger.begin("failed", "run-1", MON_0700)
        ledger.failed("failed", "timeout", MON_0700, permanent=False)
        assert [e.key for e in ledger.unknown_outcomes()] == [
            KEY,
            OTHER,
            "principal-summary / cy@school.org / 2026-11",
        ]


def test_two_connections_racing_for_one_key_send_it_once(path: Path) -> None:
    """Both see `send`; the first claim wins and the second is refused inside its transaction."""
    with Ledger(path) as a, Ledger(path) as b:
        assert a.should_send(KEY) == b.should_send(KEY) == "send"
        assert a.begin(KEY, "run-a", MON_0700) is True
        assert b.begin(KEY, "run-b", MON_0700) is False
        a.sent(KEY, LATER)
        assert b.state(KEY) == Entry(KEY, "sent", "run-a", 1, None, LATER)


def _hold_write_lock(path: Path) -> sqlite3.Connection:
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute(
        "INSERT INTO messages (key, status, run_id, attempts, updated)"
        " VALUES (?, 'sent', 'run-x', 1, ?)",
        (OTHER, MON_0700.isoformat()),
    )
    return holder


def test_a_writer_waits_for_another_connections_transaction(path: Path) -> None:
    """While another connection holds the write lock for 0.3 s, begin() waits, then claims."""
    with Ledger(path, busy_timeout=10) as ledger:
        holder = _hold_write_lock(path)
        release = threading.Timer(0.3, holder.execute, ("COMMIT",))
        release.start()
        assert ledger.begin(KEY, "run-1", MON_0700) is True
        release.join()
        holder.close()
        assert ledger.should_send(OTHER) == "skip-sent"


def test_a_writer_locked_out_past_its_timeout_fails_clearly(path: Path) -> None:
    """A lock held longer than the busy timeout is a LedgerError, and nothing is claimed."""
    with Ledger(path, busy_timeout=0.1) as ledger:
        holder = _hold_write_lock(path)
        with pytest.raises(LedgerError, match=re.escape("cannot be written (database is locked)")):
            ledger.begin(KEY, "run-1", MON_0700)
        holder.execute("ROLLBACK")
        holder.close()
        assert ledger.state(KEY) is None


def test_two_processes_writing_at_once_leave_a_sound_file(path: Path) -> None:
    """Two processes, started together, claim 300 keys from both ends: each exactly once."""
    script = textwrap.dedent(
        """
        import sys, time
        from datetime import datetime, UTC
        from pathlib import Path
        from sheets_sync.adapters.ledger import Ledger
        ledger = Ledger(Path(sys.argv[1]))
        now = datetime(2026, 11, 16, 12, tzinfo=UTC)
        print("ready", flush=True)
        while not Path(sys.argv[3]).exists():  # the start line, so the two really overlap
            time.sleep(0.001)
        won = 0
        order = range(300) if sys.argv[2] == "run-a" else range(299, -1, -1)
        for n in order:  # towards each other: they meet, and contend, in the middle
            key = f"k{n}"
            if ledger.begin(key, sys.argv[2], now):
                ledger.sent(key, now)
                won += 1
        print(won)
        """
    )
    go = path.parent / "go"
    Ledger(path).close()
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(path), run, str(go)],
            cwd=REPO,
            stdout=subprocess.PIPE,
            text=True,
        )
        for run in ("run-a", "run-b")
    ]
    for run in runs:
        assert run.stdout is not None
        assert run.stdout.readline() == "ready\n"
    go.touch()
    won = [int(run.communicate(timeout=60)[0]) for run in runs]
    assert [run.returncode for run in runs] == [0, 0]
    assert sum(won) == 300
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert db.execute("SELECT count(*), sum(attempts) FROM messages").fetchone() == (300, 300)
    assert db.execute("SELECT count(*) FROM messages WHERE status != 'sent'").fetchone() == (0,)
    db.close()


def test_a_file_that_is_not_a_ledger_gives_a_clear_error(path: Path) -> None:
    """A text file at the ledger's path: the message names it and says what to do."""
    path.parent.mkdir(parents=True)
    path.write_text("these are not the emails you are looking for\n" * 100)
    with pytest.raises(LedgerError) as raised:
        Ledger(path)
    assert str(raised.value) == (
        f"The email ledger {path} is not a sheets-sync ledger or is damaged (file is not a"
        " database). It records which emails were sent, so no email is sent without it:"
        " check the [state] dir folder (permissions, disk space); if the file is damaged,"
        " move it aside, knowing that emails already sent this period will be sent again."
    )
    assert isinstance(raised.value, SheetsSyncError)


def test_a_folder_at_the_ledgers_path_gives_a_clear_error(path: Path) -> None:
    """A directory where the file should be cannot be opened; the message says so."""
    path.mkdir(parents=True)
    with pytest.raises(LedgerError, match=r"The email ledger .* cannot be opened"):
        Ledger(path)


def test_a_ledger_from_a_newer_version_is_refused(path: Path) -> None:
    """A schema this version does not know is not guessed at: upgrade."""
    Ledger(path).close()
    db = sqlite3.connect(path)
    db.execute("UPDATE schema_version SET version = 2")
    db.commit()
    db.close()
    with pytest.raises(LedgerError) as raised:
        Ledger(path)
    assert str(raised.value) == (
        f"The ledger {path} was written by a newer sheets-sync (schema 2, this one knows 1):"
        " upgrade sheets-sync."
    )
