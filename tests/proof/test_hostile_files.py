"""Hostile and huge workbooks through `sheets-sync run` in a real process: each one is refused
early, or the cycle stays within 15 s of CPU and 600 MB, and a refused file is left as it was.

CPU seconds (user + system, from wait4) rather than wall-clock time: what the run costs,
whatever else the machine is doing.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from sheets_sync.adapters.xlsx import create_workbook
from sheets_sync.core.settings import SchoolYear, Settings
from sheets_sync.demo import synthetic_district
from tests.adapters.xlsx_district import sheet_parts
from tests.proof.harness import REPO, TODAY, demo_folder
from tests.zip_bombs import MB, deflated, junk_rows, one_huge_cell, with_part

pytestmark = pytest.mark.slow

CPU_SECONDS, PEAK_MB = 15.0, 600


@dataclass(frozen=True)
class Cost:
    status: int
    output: str
    cpu: float  # user + system seconds
    peak_mb: float  # the process's largest resident size


# Peak memory must be the run's own: a child started from this (large) test process would
# inherit its high-water mark across exec. A small go-between forks the run and reports it.
_MEASURED = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.executable, [sys.executable, "-m", "sheets_sync", *sys.argv[1:]])
_, status, usage = os.wait4(pid, 0)
print(f"\\nMEASURED {usage.ru_utime + usage.ru_stime} {usage.ru_maxrss}", file=sys.stderr)
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run(config: Path, *args: str) -> Cost:
    """`sheets-sync run` as its own process, with what it cost the machine."""
    command = [sys.executable, "-c", _MEASURED, "--config", str(config), *args]
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=120, check=False, cwd=REPO
    )
    output, _, measured = (done.stdout + done.stderr).rpartition("\nMEASURED ")
    cpu, peak_kb = measured.split()
    return Cost(done.returncode, output, float(cpu), int(peak_kb) / 1024)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    return demo_folder(tmp_path / "demo")


@pytest.mark.parametrize(
    ("megabytes", "claim", "said"),
    [
        (800, None, "The tab 'Schools' in demo/district.xlsx would unpack to 800 MB"),
        (800, 1000, "is not a readable .xlsx workbook"),
        (90, None, "The tab 'Schools' in demo/district.xlsx would unpack to 90 MB"),
    ],
    ids=["800-mb-cell", "800-mb-claiming-1-kb", "90-mb-at-1000-to-1"],
)
def test_a_bomb_is_refused_in_under_2_cpu_seconds_and_the_file_kept(
    demo: Path, megabytes: int, claim: int | None, said: str
) -> None:
    """The issue's bomb (Schools as one 800 MB cell, under 1 MB on disk), the same with a
    header claiming 1 kB, and one under the size limit: exit 2, nothing written."""
    book = demo / "district.xlsx"
    claims = {} if claim is None else {"size": claim}
    with_part(book, book, sheet_parts(book)["Schools"], one_huge_cell(megabytes), **claims)
    assert book.stat().st_size < MB
    before = digest(book)
    cost = run(demo / "sheets-sync.toml", "run", "--today", TODAY, "--no-email")
    print(f"\nrefused: {cost.cpu:.2f} CPU s, {cost.peak_mb:.0f} MB")
    assert cost.status == 2, cost.output
    assert said.replace("demo/", f"{demo}/") in cost.output
    assert cost.cpu < 2.0, f"{cost.cpu:.2f} CPU seconds"
    assert cost.peak_mb < 150, f"{cost.peak_mb:.0f} MB"
    assert digest(book) == before
    assert sorted(p.name for p in demo.iterdir() if p.name.startswith(".")) == []


def test_a_cell_of_5_mb_is_one_issue_and_reaches_no_output_whole(demo: Path) -> None:
    """Five million characters in a School cell (a real value, not a bomb: it packs 1:1):
    one cell.too-long issue, the run goes on, no owned cell and no output line holds it."""
    book = demo / "district.xlsx"
    part = sheet_parts(book)["Contact Log"]
    with zipfile.ZipFile(book) as package:
        xml = package.read(part).decode()
    # Spreadsheet programs (and openpyxl) cut such a cell to 32,767; a hostile file need not.
    huge = f'<c r="B5" t="inlineStr"><is><t>{os.urandom(2_500_000).hex()}</t></is></c>'
    xml, found = re.subn(r'<c r="B5"[^>]*?(/>|>.*?</c>)', huge, xml, count=1)
    assert found == 1
    with_part(book, book, part, deflated(xml.encode()))
    cost = run(demo / "sheets-sync.toml", "run", "--today", TODAY, "--no-email")
    assert cost.status == 1, cost.output  # data errors, written
    assert max(map(len, cost.output.splitlines())) < 1_000
    owned = CalamineWorkbook.from_path(str(book))
    issues = owned.get_sheet_by_name("Data Issues").to_python()
    assert [r[2] for r in issues if r[6] == "cell.too-long"] == ["B5"]
    for tab in ("Summary", "Contact Calendar", "Data Issues", "Run Log"):
        cells = [c for row in owned.get_sheet_by_name(tab).to_python() for c in row]
        assert max(len(str(c)) for c in cells) < 1_000, tab
    assert cost.cpu < CPU_SECONDS
    assert cost.peak_mb < PEAK_MB


def test_a_10_mb_district_runs_within_15_cpu_seconds_and_600_mb(tmp_path: Path) -> None:
    """The largest input the limits let through in practice: 3,500 schools, about 10 MB on
    disk (1.75 times a state's), a full cycle within the bounds."""
    year = Settings(year=SchoolYear(date(2025, 8, 1), date(2026, 6, 30)))
    folder = tmp_path / "state-scale"
    folder.mkdir()
    book = folder / "district.xlsx"
    create_workbook(book, synthetic_district(3_500, date(2026, 5, 25), year))
    (folder / "sheets-sync.toml").write_text(
        '[workbook]\npath = "district.xlsx"\n\n'
        "[school_year]\nstart = 2025-08-01\nend = 2026-06-30\n",
        encoding="utf-8",
    )
    assert 8 * MB < book.stat().st_size < 12 * MB
    cost = run(folder / "sheets-sync.toml", "run", "--today", "2026-05-25", "--no-email")
    print(
        f"\n{book.stat().st_size / MB:.1f} MB district: {cost.cpu:.1f} CPU s, {cost.peak_mb:.0f} MB"
    )
    assert cost.status in (0, 1), cost.output
    assert "Wrote" in cost.output or "written" in cost.output.lower(), cost.output
    assert cost.cpu < CPU_SECONDS, f"{cost.cpu:.1f} CPU seconds"
    assert cost.peak_mb < PEAK_MB, f"{cost.peak_mb:.0f} MB"


CONTACTS = ("Date", "School", "Facilitator", "Contact Type", "With")


def test_10_mb_of_junk_rows_stays_within_the_bounds_and_lists_10000_issues(demo: Path) -> None:
    """480,000 rows of nonsense pasted into the Contact Log (2,400,000 cells, 10 MB on disk):
    every cell an issue, yet the run ends within the bounds, listing 10,000 and one more."""
    book = demo / "district.xlsx"
    with_part(book, book, sheet_parts(book)["Contact Log"], junk_rows(480_000, CONTACTS))
    assert 8 * MB < book.stat().st_size < 10.5 * MB
    cost = run(demo / "sheets-sync.toml", "run", "--today", TODAY, "--no-email")
    print(
        f"\n{book.stat().st_size / MB:.1f} MB of junk: {cost.cpu:.1f} CPU s, {cost.peak_mb:.0f} MB"
    )
    assert cost.status == 1, cost.output
    issues = CalamineWorkbook.from_path(str(book)).get_sheet_by_name("Data Issues").to_python()
    assert len(issues) == 1 + 10_001
    assert issues[-1][6] == "issues.not-listed"
    assert cost.cpu < CPU_SECONDS, f"{cost.cpu:.1f} CPU seconds"
    assert cost.peak_mb < PEAK_MB, f"{cost.peak_mb:.0f} MB"


def test_junk_rows_past_the_cells_a_run_reads_are_refused_at_once(demo: Path) -> None:
    """620,000 such rows (3,100,000 cells, and the header): refused before they are laid
    out, the file kept."""
    book = demo / "district.xlsx"
    with_part(book, book, sheet_parts(book)["Contact Log"], junk_rows(620_000, CONTACTS))
    before = digest(book)
    cost = run(demo / "sheets-sync.toml", "run", "--today", TODAY, "--no-email")
    assert cost.status == 2, cost.output
    assert "reaches cell E620001 (620,001 rows by 5 columns), more than the 3,000,000" in (
        cost.output
    )
    assert cost.cpu < 5.0
    assert cost.peak_mb < 400
    assert digest(book) == before
