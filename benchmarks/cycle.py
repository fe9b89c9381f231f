"""Time one sheets-sync cycle on a synthetic district, against the fastest bare read of the file.

    .venv/bin/python benchmarks/cycle.py [--schools 200 2000] [--out benchmarks/out]

For each N it writes `synthetic_district(N)` as an .xlsx under --out, then measures (best of
--repeats): a bare python-calamine read of every cell; one full cycle (read, evaluate, owned
tables, write) in a fresh process on a fresh copy of the file, with that process's peak RSS;
and the core alone (evaluate + owned tables) on grids already read. It prints the machine and
a Markdown table. benchmarks/README.md explains every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from datetime import time as clock
from pathlib import Path

from python_calamine import CalamineWorkbook

from sheets_sync.adapters.xlsx import XlsxWorkbook, create_workbook
from sheets_sync.core.cycle import evaluate, owned_tables
from sheets_sync.core.grid import Grid
from sheets_sync.core.owned_tabs import RunEntry, logged_rows
from sheets_sync.core.settings import SchoolYear, Settings
from sheets_sync.core.values import parse_day, parse_email, parse_period
from sheets_sync.demo import synthetic_district
from sheets_sync.shell.run import collection_paused, run_cycle

SETTINGS = Settings(year=SchoolYear(date(2025, 8, 1), date(2026, 6, 30)))
# Late in the year: nearly every month has begun, so the contact log is as long as it gets.
TODAY = date(2026, 5, 25)
TARGETS = "targets: cycle / bare read <= 3; core > 200,000 rows/s; peak RSS < 400 MB; linear"


@dataclass(frozen=True)
class Figures:
    schools: int
    rows: int  # input rows under the header rows, all five tabs
    megabytes: float  # the workbook file
    bare_read: float
    cycle: float
    core_cold: float  # value parsers' caches emptied first, as in a fresh `run`
    core_warm: float  # caches kept from the run before, as in `serve`
    peak_mb: float  # peak RSS of the process that ran one cycle
    baseline_mb: float  # its RSS after imports, before the cycle

    def cells(self) -> list[str]:
        return [
            f"{self.schools:,}",
            f"{self.rows:,}",
            f"{self.megabytes:.1f}",
            f"{self.bare_read:.3f}",
            f"{self.cycle:.3f}",
            f"{self.cycle / self.bare_read:.2f}",
            f"{self.core_cold:.3f}",
            f"{self.rows / self.core_cold:,.0f}",
            f"{self.rows / self.core_warm:,.0f}",
            f"{self.peak_mb:.0f} ({self.baseline_mb:.0f})",
            f"{self.cycle / self.rows * 1e6:.1f}",
        ]


HEADER = [
    "schools",
    "input rows",
    "file MB",
    "bare read s",
    "cycle s",
    "cycle / read",
    "core s",
    "core rows/s",
    "core rows/s warm",
    "peak RSS MB (after imports)",
    "cycle µs/row",
]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--schools", type=int, nargs="+", default=[200, 2000])
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "out")
    parser.add_argument("--today", type=date.fromisoformat, default=TODAY)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--one-cycle", type=Path, help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args(argv)
    if args.one_cycle:
        return _one_cycle(args.one_cycle, args.today)
    args.out.mkdir(parents=True, exist_ok=True)
    print(_machine(), flush=True)
    found = []
    for n in args.schools:
        found.append(measure(n, args.out, args.today, args.repeats))
        print(f"  measured {n:,} schools", file=sys.stderr, flush=True)
    print()
    print(_markdown(found))
    print()
    if len(found) >= 2:
        small, large = found[0], found[-1]
        per_row = (large.cycle / large.rows) / (small.cycle / small.rows)
        core = (large.core_cold / large.rows) / (small.core_cold / small.rows)
        print(
            f"Linearity: time per row at {large.schools:,} schools is {per_row:.2f}x that at "
            f"{small.schools:,} for the cycle, {core:.2f}x for the core (1.00 = linear)."
        )
    print(TARGETS)
    return 0


def measure(n: int, out: Path, today: date, repeats: int) -> Figures:
    path = out / f"district-{n}.xlsx"
    tabs = synthetic_district(n, today, SETTINGS)
    create_workbook(path, tabs, overwrite=True)
    rows = sum(len(t.rows) for t in tabs)
    bare = _best(repeats, lambda: _bare_read(path))
    cycles = [_cycle_in_child(path, out / f"cycle-{n}.xlsx", today) for _ in range(repeats)]
    book = XlsxWorkbook(path).read([*SETTINGS.tabs.inputs, SETTINGS.tabs.run_log])
    return Figures(
        schools=n,
        rows=rows,
        megabytes=path.stat().st_size / 1e6,
        bare_read=bare,
        cycle=min(c["seconds"] for c in cycles),
        core_cold=_best(repeats, lambda: _core(book, today, cold=True)),
        core_warm=_best(repeats, lambda: _core(book, today, cold=False)),
        peak_mb=max(c["peak_mb"] for c in cycles),
        baseline_mb=min(c["baseline_mb"] for c in cycles),
    )


def _best(repeats: int, work: Callable[[], float | None]) -> float:
    """The shortest of `repeats` runs; `work` returns its own time, or None to be timed whole."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        own = work()
        times.append(own if own is not None else time.perf_counter() - started)
    return min(times)


def _bare_read(path: Path) -> None:
    """The fastest bare read: open the file and take every cell of every sheet."""
    book = CalamineWorkbook.from_path(str(path))
    for name in book.sheet_names:
        book.get_sheet_by_name(name).to_python()


def _core(book: dict[str, Grid | None], today: date, cold: bool) -> float:
    if cold:
        for cached in (parse_day, parse_period, parse_email):
            cached.cache_clear()
    # Measured as run_cycle runs it: with the cyclic collector paused.
    with collection_paused():
        started = time.perf_counter()
        evaluation = evaluate(book, SETTINGS, today)
        entry = RunEntry(
            run_at=f"{today.isoformat()} 07:00", result="ok", schools=len(evaluation.standings)
        )
        now = datetime.combine(today, clock(7, 0))
        owned_tables(evaluation, SETTINGS, now, entry, logged_rows(book.get(SETTINGS.tabs.run_log)))
        return time.perf_counter() - started


def _cycle_in_child(path: Path, copy: Path, today: date) -> dict[str, float]:
    """One cycle on a fresh copy of the workbook, in a fresh process: its time and peak RSS."""
    shutil.copyfile(path, copy)
    done = subprocess.run(
        [sys.executable, __file__, "--one-cycle", str(copy), "--today", today.isoformat()],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, float] = json.loads(done.stdout)
    return result


def _one_cycle(path: Path, today: date) -> int:
    """The child: one full cycle through the shell's run function, reported as JSON."""
    workbook = XlsxWorkbook(path)
    baseline = _max_rss_mb()
    started = time.perf_counter()
    report = run_cycle(workbook, SETTINGS, datetime.combine(today, clock(23, 59)))
    seconds = time.perf_counter() - started
    if not report.written:
        print(f"the cycle did not write: {report.skipped}", file=sys.stderr)
        return 1
    print(json.dumps({"seconds": seconds, "peak_mb": _max_rss_mb(), "baseline_mb": baseline}))
    return 0


def _max_rss_mb() -> float:
    """This process's peak resident memory so far, in MB.

    Linux's VmHWM belongs to the process's own address space. ru_maxrss is not used there:
    across fork and exec it keeps the parent's high-water mark, which here is the larger.
    """
    try:
        status = Path("/proc/self/status").read_text(encoding="utf-8")
    except OSError:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / 1e6 if sys.platform == "darwin" else peak / 1024  # bytes on macOS, else KiB
    kib = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))
    return int(kib) / 1024


def _machine() -> str:
    model = _cpu_model() or platform.processor() or platform.machine()
    return (
        f"Machine: {model}, {os.cpu_count()} cores, Python {platform.python_version()} "
        f"({platform.python_implementation()}), {platform.system()} {platform.release()}"
    )


def _cpu_model() -> str:
    """The CPU's name from /proc/cpuinfo; empty where there is none (not Linux)."""
    try:
        lines = Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines()
    except OSError:
        return ""
    names = (line.split(":", 1)[1].strip() for line in lines if line.startswith("model name"))
    return next(names, "")


def _markdown(found: Sequence[Figures]) -> str:
    lines = [
        "| " + " | ".join(HEADER) + " |",
        "|" + "|".join("---:" for _ in HEADER) + "|",
    ]
    lines += ["| " + " | ".join(f.cells()) + " |" for f in found]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
