"""The xlsx backend never loses what people typed: it skips, fails cleanly, or writes whole."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import openpyxl
import pytest
from xlsx_district import build_district, owned_tables

from sheets_sync.adapters.workbook import InputColumn, InputTab
from sheets_sync.adapters.xlsx import XlsxWorkbook, create_workbook, files, lock_files
from sheets_sync.errors import WorkbookChanged, WorkbookError, WorkbookLocked, WriteSkipped

ROSTER = InputTab("Team Roster", (InputColumn("School"), InputColumn("Name")))


@pytest.fixture
def district(tmp_path: Path) -> Path:
    return build_district(tmp_path / "district.xlsx")


def someone_saves(path: Path) -> None:
    """What a person's save looks like from here: the same file with a new cell."""
    book = openpyxl.load_workbook(path)
    book["Schools"]["A5"] = "Douglass Elementary"
    book.save(path)


def test_file_saved_after_read_is_not_overwritten(district: Path) -> None:
    """A save between read and write raises WorkbookChanged and keeps the person's bytes."""
    book = XlsxWorkbook(district)
    book.read(["Schools"])
    someone_saves(district)
    theirs = district.read_bytes()
    with pytest.raises(WorkbookChanged) as caught:
        book.write(owned_tables())
    assert str(caught.value) == (
        f"{district} was saved by someone after this run read it; the owned tabs were not "
        "written, to keep their work. The next run writes them."
    )
    assert district.read_bytes() == theirs
    assert sorted(p.name for p in district.parent.iterdir()) == ["district.xlsx"]

    book.read(["Schools"])  # the next run
    book.write(owned_tables())
    grids = XlsxWorkbook(district).read(["Schools", "Summary"])
    assert grids["Schools"][4][0] == "Douglass Elementary"  # type: ignore[index]
    assert grids["Summary"] is not None


def test_file_deleted_after_read_is_not_recreated(district: Path) -> None:
    """A workbook moved away after the read is not written back from this run's copy."""
    book = XlsxWorkbook(district)
    book.read(["Schools"])
    district.unlink()
    with pytest.raises(WorkbookChanged, match="was moved or deleted after this run read it"):
        book.write(owned_tables())
    assert list(district.parent.iterdir()) == []


@pytest.mark.parametrize(
    ("lock_name", "program"),
    [("~$district.xlsx", "Excel"), (".~lock.district.xlsx#", "LibreOffice")],
)
def test_lock_file_skips_the_write(district: Path, lock_name: str, program: str) -> None:
    """An Excel or LibreOffice lock file beside the workbook skips the write, naming the lock."""
    lock = district.with_name(lock_name)
    lock.write_text("someone,host,2025-10-01")
    before = district.read_bytes()
    book = XlsxWorkbook(district)
    book.read(["Schools"])
    with pytest.raises(WorkbookLocked) as caught:
        book.write(owned_tables())
    assert str(caught.value) == (
        f"{district} is open in {program} (lock file {lock}): the owned tabs were not written, "
        "and will be written on the next run after the file is closed. "
        "If no one has it open, delete the lock file."
    )
    assert isinstance(caught.value, WriteSkipped)
    assert district.read_bytes() == before
    assert sorted(p.name for p in district.parent.iterdir()) == sorted([district.name, lock_name])
    assert lock_files(district) == [lock]

    lock.unlink()
    book.write(owned_tables())
    assert XlsxWorkbook(district).read(["Summary"])["Summary"] is not None


def test_lock_files_lists_nothing_for_a_closed_workbook(district: Path) -> None:
    """Without lock files the helper finds none (other workbooks' locks do not count)."""
    district.with_name("~$other.xlsx").write_text("x")
    assert lock_files(district) == []


@pytest.mark.parametrize("swap", ["exchange", "replace"])
def test_crash_while_replacing_keeps_the_old_file(
    district: Path, monkeypatch: pytest.MonkeyPatch, swap: str
) -> None:
    """A failure at the swap (an exchange, or the rename where there is none) leaves the
    original intact and no temporary file behind."""
    before = district.read_bytes()
    book = XlsxWorkbook(district)
    book.read(["Schools"])

    def broken(src: object, dst: object) -> None:
        raise OSError(5, "Input/output error")

    if swap == "exchange":
        monkeypatch.setattr(files, "exchange", broken)
    else:
        monkeypatch.setattr(files, "exchange", lambda first, second: False)
        monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(WorkbookError, match=r"Cannot write the workbook .*: Input/output error\."):
        book.write(owned_tables())
    assert district.read_bytes() == before
    assert sorted(p.name for p in district.parent.iterdir()) == ["district.xlsx"]


def test_a_save_at_the_instant_of_the_swap_is_kept(
    district: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Someone's save lands after every check and right before the swap (the window that lost
    one edit in about 1,660 runs): the exchange hands back what it replaced, which is theirs,
    so it goes back in place and the run says it was not written."""
    book = XlsxWorkbook(district)
    book.read(["Schools"])
    real_exchange = files.exchange
    saves: list[bytes] = []

    def save_then_exchange(first: Path, second: Path) -> bool:
        if not saves:  # only the first exchange: the swap itself, not its undoing
            someone_saves(district)
            saves.append(district.read_bytes())
        return real_exchange(first, second)

    monkeypatch.setattr(files, "exchange", save_then_exchange)
    with pytest.raises(WorkbookChanged, match="was saved by someone after this run read it"):
        book.write(owned_tables())
    assert district.read_bytes() == saves[0]
    assert sorted(p.name for p in district.parent.iterdir()) == ["district.xlsx"]


def test_a_save_on_top_of_the_new_file_wins_over_the_older_save(
    district: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two saves around the swap: one just before it (refused, so it goes back) and one onto
    the run's new file before it is put back. The newest save is the one left in place."""
    book = XlsxWorkbook(district)
    book.read(["Schools"])
    real_exchange = files.exchange
    calls: list[int] = []

    def newest_save(path: Path) -> bytes:
        workbook = openpyxl.load_workbook(path)
        workbook["Schools"]["A6"] = "Newest Save Middle School"
        workbook.save(path)
        return path.read_bytes()

    newest: list[bytes] = []

    def racing_exchange(first: Path, second: Path) -> bool:
        calls.append(1)
        if len(calls) == 1:
            someone_saves(district)
        elif len(calls) == 2:
            newest.append(newest_save(district))  # lands on the run's file, now in place
        return real_exchange(first, second)

    monkeypatch.setattr(files, "exchange", racing_exchange)
    with pytest.raises(WorkbookChanged):
        book.write(owned_tables())
    assert district.read_bytes() == newest[0]
    assert sorted(p.name for p in district.parent.iterdir()) == ["district.xlsx"]


def test_without_an_atomic_exchange_the_check_comes_right_before_the_rename(
    district: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the system has no exchange (macOS, Windows, some network shares) the write still
    refuses a save made after the read, and still writes when there was none."""
    monkeypatch.setattr(files, "exchange", lambda first, second: False)
    book = XlsxWorkbook(district)
    book.read(["Schools"])
    someone_saves(district)
    theirs = district.read_bytes()
    with pytest.raises(WorkbookChanged):
        book.write(owned_tables())
    assert district.read_bytes() == theirs
    book.read(["Schools"])
    book.write(owned_tables())
    assert XlsxWorkbook(district).read(["Summary"])["Summary"] is not None


def test_the_exchange_swaps_two_files(tmp_path: Path) -> None:
    """On this Linux machine the exchange is there and swaps names in one step."""
    first, second = tmp_path / "a", tmp_path / "b"
    first.write_text("one")
    second.write_text("two")
    assert files.exchange(first, second) is True
    assert (first.read_text(), second.read_text()) == ("two", "one")
    with pytest.raises(FileNotFoundError):
        files.exchange(first, tmp_path / "missing")


def test_crash_while_writing_the_temp_file_keeps_the_old_file(
    district: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An interrupt while the new bytes are flushed leaves the original and no temp file."""
    before = district.read_bytes()
    book = XlsxWorkbook(district)
    book.read(["Schools"])

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        book.write(owned_tables())
    assert district.read_bytes() == before
    assert sorted(p.name for p in district.parent.iterdir()) == ["district.xlsx"]


def test_write_without_read_reads_first(district: Path) -> None:
    """write() on a fresh instance reads the file itself and writes normally."""
    XlsxWorkbook(district).write(owned_tables())
    assert XlsxWorkbook(district).read(["Summary"])["Summary"] is not None


def test_read_remembers_the_bytes_it_saw(district: Path) -> None:
    """read() keeps the sha256 of exactly the bytes it parsed."""
    book = XlsxWorkbook(district)
    book.read([])
    assert book.seen_sha256 == hashlib.sha256(district.read_bytes()).hexdigest()


def test_file_mode_is_kept(district: Path) -> None:
    """The replaced workbook keeps the permission bits people gave it."""
    district.chmod(0o640)
    XlsxWorkbook(district).write(owned_tables())
    assert stat.S_IMODE(district.stat().st_mode) == 0o640


def test_file_group_and_mode_are_kept(district: Path) -> None:
    """The replaced workbook keeps its group (where the user may set it) and its mode."""
    others = [g for g in os.getgroups() if g != os.getegid()]
    if os.geteuid() == 0:
        others = [os.getegid() + 4242]  # root may give a file to any group
    if not hasattr(os, "chown") or not others:
        pytest.skip("no other group to give the file to")
    os.chown(district, -1, others[0])
    district.chmod(0o640)
    XlsxWorkbook(district).write(owned_tables())
    assert district.stat().st_gid == others[0]
    assert stat.S_IMODE(district.stat().st_mode) == 0o640


def linked_district(tmp_path: Path) -> tuple[Path, Path]:
    """A district in shared/ and a symlink to it in mine/, as (link, real file)."""
    (tmp_path / "shared").mkdir()
    (tmp_path / "mine").mkdir()
    real = build_district(tmp_path / "shared" / "district.xlsx")
    link = tmp_path / "mine" / "district.xlsx"
    link.symlink_to(real)
    return link, real


def test_a_symlinked_workbook_stays_a_link(tmp_path: Path) -> None:
    """Through a symlink the file it points to is replaced; the link stays and nothing is left."""
    link, real = linked_district(tmp_path)
    real.chmod(0o640)
    XlsxWorkbook(link).write(owned_tables())
    assert link.is_symlink()
    assert link.resolve() == real.resolve()
    assert XlsxWorkbook(real).read([], owned=["Summary"])["Summary"] is not None
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert [p.name for p in link.parent.iterdir()] == ["district.xlsx"]
    assert [p.name for p in real.parent.iterdir()] == ["district.xlsx"]


@pytest.mark.parametrize("beside", ["real", "link"])
def test_lock_files_beside_a_symlinked_workbook(tmp_path: Path, beside: str) -> None:
    """A lock beside the real file, or beside the link it was opened through, skips the write."""
    link, real = linked_district(tmp_path)
    lock = (real if beside == "real" else link).with_name("~$district.xlsx")
    lock.write_text("someone")
    before = real.read_bytes()
    with pytest.raises(WorkbookLocked) as caught:
        XlsxWorkbook(link).write(owned_tables())
    assert str(caught.value).startswith(f"{link} is open in Excel (lock file {lock}): ")
    assert real.read_bytes() == before
    assert link.is_symlink()


def test_create_workbook_through_a_symlink(tmp_path: Path) -> None:
    """A new workbook at a link to a missing file is made where the link points; the link stays."""
    (tmp_path / "shared").mkdir()
    link = tmp_path / "district.xlsx"
    link.symlink_to(tmp_path / "shared" / "district.xlsx")
    create_workbook(link, [ROSTER])
    create_workbook(link, [ROSTER], overwrite=True)
    assert link.is_symlink()
    assert XlsxWorkbook(link).read(["Team Roster"])["Team Roster"] == [["School", "Name"]]


def test_init_names_itself_when_the_workbook_is_locked(district: Path) -> None:
    """add_tabs (what `init` runs) says no tabs were added and to run init again once closed."""
    lock = district.with_name(".~lock.district.xlsx#")
    lock.write_text("someone")
    before = district.read_bytes()
    with pytest.raises(WorkbookLocked) as caught:
        XlsxWorkbook(district).add_tabs([ROSTER])
    assert str(caught.value) == (
        f"{district} is open in LibreOffice (lock file {lock}): no tabs were added. Close the "
        "file, then run `sheets-sync init` again. If no one has it open, delete the lock file."
    )
    assert district.read_bytes() == before


def test_init_names_itself_when_the_workbook_changed(district: Path) -> None:
    """add_tabs after someone saved says no tabs were added, to keep their work."""
    book = XlsxWorkbook(district)
    book.read([])
    someone_saves(district)
    theirs = district.read_bytes()
    with pytest.raises(WorkbookChanged) as caught:
        book.add_tabs([ROSTER])
    assert str(caught.value) == (
        f"{district} was saved by someone while `sheets-sync init` was adding tabs; no tabs "
        "were added, to keep their work. Run `sheets-sync init` again."
    )
    assert district.read_bytes() == theirs


def test_missing_workbook_says_what_to_do(tmp_path: Path) -> None:
    """A missing file names the path and points at the config and `init`."""
    path = tmp_path / "district.xlsx"
    with pytest.raises(WorkbookError) as caught:
        XlsxWorkbook(path).read(["Schools"])
    assert str(caught.value) == (
        f"No workbook at {path}. Check [workbook] path in the config, "
        "or run `sheets-sync init` to create one."
    )


@pytest.mark.parametrize(
    "content",
    [b"School,Code\nAdams,0042\n", b"PK\x03\x04 truncated", b""],
    ids=["csv-named-xlsx", "broken-zip", "empty"],
)
def test_unreadable_file_says_what_to_do(tmp_path: Path, content: bytes) -> None:
    """A file that is not an .xlsx gets a message naming it and how to repair it."""
    path = tmp_path / "district.xlsx"
    path.write_bytes(content)
    with pytest.raises(WorkbookError) as caught:
        XlsxWorkbook(path).read(["Schools"])
    message = str(caught.value)
    assert message.startswith(f"{path} is not a readable .xlsx workbook (")
    assert message.endswith(
        "Open it in Excel or LibreOffice and save it as Excel Workbook (.xlsx), "
        "or restore it from a backup."
    )
    with pytest.raises(WorkbookError):
        XlsxWorkbook(path).write(owned_tables())
    assert path.read_bytes() == content


def test_truncated_workbook_is_unreadable(district: Path) -> None:
    """Half a real workbook (an interrupted copy) is refused, not half-read."""
    district.write_bytes(district.read_bytes()[:2000])
    with pytest.raises(WorkbookError, match=r"is not a readable \.xlsx workbook"):
        XlsxWorkbook(district).read(["Schools"])


def test_encrypted_workbook_gets_its_own_message(tmp_path: Path) -> None:
    """A password-protected workbook (an OLE file) is named as such."""
    path = tmp_path / "district.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    with pytest.raises(WorkbookError) as caught:
        XlsxWorkbook(path).read(["Schools"])
    assert str(caught.value) == (
        f"{path} is password-protected or an old .xls file, which sheets-sync cannot read. "
        "Open it in Excel, remove the password if it has one, and save it as "
        "Excel Workbook (.xlsx)."
    )


def test_folder_instead_of_file(tmp_path: Path) -> None:
    """A folder at the workbook path is reported as such."""
    with pytest.raises(WorkbookError, match="is a folder, not a workbook"):
        XlsxWorkbook(tmp_path).read(["Schools"])
