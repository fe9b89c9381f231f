"""Fixtures shared across the test folders."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

Resave = Callable[[Path, Path], Path]


@pytest.fixture(autouse=True)
def _impatient_state_lock(monkeypatch: pytest.MonkeyPatch) -> None:
    """A refused second worker waits 0.2 s, not 2 s, for the lock (test_state checks the wait)."""
    monkeypatch.setattr("sheets_sync.shell.state.LOCK_PATIENCE", 0.2)


@pytest.fixture(scope="session")
def libreoffice(tmp_path_factory: pytest.TempPathFactory) -> Resave:
    """Opens a workbook in LibreOffice and saves it again as .xlsx into a folder; the copy.

    Skipped with a reason where LibreOffice is not installed; on CI (which installs it in
    .ci/run) its absence is a failure, so the check is never silently skipped there.
    """
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is missing on CI; .ci/run should install it")
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-calc-nogui)")
    profile = tmp_path_factory.mktemp("lo-profile").as_uri()

    def resave(path: Path, out: Path) -> Path:
        command = [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(path),
        ]
        done = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
        result = out / path.name
        assert result.exists(), f"LibreOffice did not convert {path}: {done.stdout} {done.stderr}"
        return result

    return resave
