"""Small files written whole (adapters/atomic.py), and what a killed write leaves behind."""

from __future__ import annotations

from pathlib import Path

from sheets_sync.adapters.atomic import write_atomically
from sheets_sync.adapters.xlsx import XlsxWorkbook, create_workbook
from sheets_sync.core.table import Column, InputColumn, InputTab, Table


def test_the_next_write_removes_what_a_killed_write_left(tmp_path: Path) -> None:
    """A run killed between its temporary file and the rename leaves `.last_run.json.*.tmp`;
    the next write of last_run.json removes it, and nothing of another file's."""
    killed = tmp_path / ".last_run.json.40d17135.tmp"
    killed.write_bytes(b'{"result": "o')
    others = [tmp_path / ".ledger.sqlite3.0badf00d.tmp", tmp_path / "last_run.json.tmp"]
    for other in others:
        other.write_bytes(b"keep")
    write_atomically(tmp_path / "last_run.json", b'{"result": "ok"}')
    assert (tmp_path / "last_run.json").read_bytes() == b'{"result": "ok"}'
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["last_run.json", *(o.name for o in others)]
    )


def test_a_workbook_write_removes_its_own_leftovers_the_same_way(tmp_path: Path) -> None:
    """The .xlsx replacement uses the same rule for the workbook's temporary files."""
    workbook = tmp_path / "district.xlsx"
    create_workbook(workbook, [InputTab("Schools", (InputColumn("School"),), (("Adams",),))])
    killed = tmp_path / ".district.xlsx.0a1b2c3d.tmp"
    killed.write_bytes(b"PK half a zip")
    book = XlsxWorkbook(workbook)
    book.read(["Schools"])
    book.write([Table("Summary", (Column("School"),), [("Adams",)])])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["district.xlsx"]
