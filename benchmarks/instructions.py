"""One cycle on a copy of an .xlsx, for counting instructions (deterministic, unlike seconds
on a shared machine):

    PYTHONHASHSEED=0 valgrind --tool=callgrind --callgrind-out-file=/tmp/cg .venv/bin/python \\
        benchmarks/instructions.py benchmarks/out/district-200.xlsx /tmp/copy.xlsx

(`benchmarks/cycle.py` writes district-200.xlsx.) The count includes Python's start and the
imports, as a `run` pays them; PYTHONHASHSEED=0 makes it repeat (set iteration order).
"""

import shutil
import sys
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from sheets_sync.adapters.xlsx import XlsxWorkbook
from sheets_sync.core.settings import SchoolYear, Settings
from sheets_sync.shell.run import run_cycle

src, dst = Path(sys.argv[1]), Path(sys.argv[2])
shutil.copy(src, dst)
settings = Settings(year=SchoolYear(date(2025, 8, 1), date(2026, 6, 30)))
now = datetime.combine(date(2026, 5, 25), time(23, 59), ZoneInfo("America/New_York"))
run_cycle(XlsxWorkbook(dst), settings, now)
