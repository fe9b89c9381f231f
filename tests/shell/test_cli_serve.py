"""`serve` and the state lock through the real command, as separate processes."""

from __future__ import annotations

import io
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sheets_sync.shell.cli import main

HOLD_LOCK = """
import sys, time
from pathlib import Path
from sheets_sync.shell.state import StateLock
with StateLock(Path(sys.argv[1])):
    print("holding", flush=True)
    time.sleep(60)
"""


def demo(folder: Path) -> Path:
    """A demo district in `folder`; its config's path."""
    assert (
        main(["demo", str(folder), "--today", "2025-11-20"], {}, io.StringIO(), io.StringIO()) == 0
    )
    return folder / "sheets-sync.toml"


def test_a_second_worker_on_the_same_state_folder_is_refused(tmp_path: Path) -> None:
    """While another process holds the state folder, `run` exits 2 naming the lock and pid."""
    config = demo(tmp_path / "d")
    state = tmp_path / "d" / "state"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(state)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "holding"
        err = io.StringIO()
        status = main(
            ["--config", str(config), "run", "--today", "2025-11-20"], {}, io.StringIO(), err
        )
    finally:
        holder.kill()
        holder.wait()
    assert status == 2
    assert f"process {holder.pid}" in err.getvalue()
    assert str(state / "lock") in err.getvalue()


@pytest.mark.slow  # a real serve process, signalled: a proof for CI
def test_serve_runs_a_cycle_at_once_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    """`serve` writes last_run.json after its first cycle and exits 0 on SIGTERM."""
    config = demo(tmp_path / "d")
    last_run = tmp_path / "d" / "state" / "last_run.json"
    worker = subprocess.Popen(
        [sys.executable, "-m", "sheets_sync", "--config", str(config), "serve"],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not last_run.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert last_run.exists(), "no cycle within 60 s"
        worker.send_signal(signal.SIGTERM)
        status = worker.wait(timeout=60)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert status == 0
    summary = json.loads(last_run.read_text())
    assert summary["schools"] == 11
    assert worker.stderr is not None
    assert "cycle" in worker.stderr.read()
