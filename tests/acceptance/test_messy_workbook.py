"""A messy, real-world workbook gives exactly the standing and issues PRODUCT.md defines.

The workbook is written by openpyxl the way people leave them: columns reordered, headers in
aliases and odd case, an extra column, a blank row, dates as real dates, serial numbers and
text in several shapes, choices in aliases. It is run once as written, and once after
LibreOffice has opened and saved it. Every expected value below is worked out by hand from the
rows, as of 2025-11-20, in the comments beside it.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from sheets_sync.shell.cli import main

TODAY = "2025-11-20"
LIN, ROO = "Lincoln Elementary", "Roosevelt High School"


def serial(day: date) -> int:
    """A date as the spreadsheet serial number a pasted value would carry."""
    return (day - date(1899, 12, 30)).days


def build(path: Path) -> None:
    book = openpyxl.Workbook()
    schools = book.active
    assert schools is not None
    schools.title = "schools"  # tab names match loosely too
    schools.append(
        [
            "Active?",
            "School Name",
            "Principal E-mail",
            "principal",
            "Facilitator",
            "Code",
            "Level",
            "Notes",
        ]
    )
    schools.append(["Yes", LIN, "pat.kim@district.org", "Pat Kim", "Ann Lee", "0042", "ES", "x"])
    schools.append([])  # a blank row, skipped
    schools.append(["", ROO, "rh.principal@district.org", "Chris Doe", "ann  lee", 117, "HS"])
    schools.append(["No", "Closed Academy", "old@district.org", "Old P", "Ben Cho", "", ""])

    facilitators = book.create_sheet("Facilitators")
    facilitators.append(["Name", "Email Address"])
    facilitators.append(["Ann Lee", "ann@district.org"])
    facilitators.append(["Ben Cho", "ben@district.org"])

    roster = book.create_sheet("Team Roster")
    roster.append(["Role", "School", "Full Name", "E-mail", "Leadership (optional)", "Term Ends"])
    for role, name, email, lead in [
        ("Principal", "Pat Kim", "pat.kim@district.org", ""),
        ("Teacher", "Tom Ray", "tray@district.org", "Chair"),
        ("teacher", "Kim Yu", "", ""),
        ("Parent", "Sam Cole", "", ""),
        ("Guardian", "Lee Park", "", ""),
        ("Community Partner", "Jo Banks", "", ""),
    ]:
        roster.append([role, LIN, name, email, lead, None])  # rows 2-7
    for role, name, email, lead in [
        ("Assistant Principal", "Chris Doe", "rh.principal@district.org", ""),  # row 8
        ("Teacher", "Val Ortiz", "", "co chair"),  # row 9: a Co-chair with no email
        ("Student", "Max Lu", "", ""),  # row 10
        ("PTA", "Ana Ruiz", "", ""),  # row 11
    ]:
        roster.append([role, ROO, name, email, lead, None])
    roster.append(["Coach", "Closed Academy", "Someone", "", "", None])  # inactive: ignored

    plan = book.create_sheet("Action Plan")
    plan.append(
        [
            "Activity",
            "School",
            "Goal",
            "Goal Type",
            "Type of Involvement",
            "Date",
            "Person Responsible",
            "Status",
            "Evaluation",
        ]
    )
    plan.append(
        [
            "Family reading night",
            LIN,
            "Reading",
            "Academic",
            "Type 4",
            "Oct 2025",
            "T. Ray",
            "Done",
            "",
        ]
    )  # row 2: Done, not evaluated
    plan.append(
        ["Math at home", LIN, "Math", "Academic", 1, date(2025, 12, 10), "K. Yu", "Planned", ""]
    )
    plan.append(
        [
            "Attendance calls",
            LIN,
            "Attendance",
            "Behavioral",
            "2 Communicating",
            "1/15/2026",
            "P. Kim",
            "",
            "",
        ]
    )
    plan.append(
        [
            "Volunteer fair",
            LIN,
            "Welcome",
            "Climate",
            3,
            serial(date(2026, 2, 12)),
            "S. Cole",
            "Planned",
            "",
        ]
    )
    plan.append(
        [
            "Family council",
            LIN,
            "Welcome",
            "Climate of Partnership",
            5,
            "Mar 2026",
            "S. Cole",
            "planned",
            "",
        ]
    )  # row 6
    plan.append(
        [
            "College night",
            ROO,
            "Graduation",
            "Academic",
            "Learning at Home",
            "Sept 15, 2025",
            "C. Doe",
            "Planned",
            "",
        ]
    )  # row 7

    log = book.create_sheet("Contact Log")
    log.append(["Contact Date", "School(s)", "Facilitator", "Type", "Notes"])
    log.append([date(2025, 9, 12), LIN, "Ann Lee", "Principal Meeting", ""])  # row 2
    log.append(["10/8/2025", f"{LIN}; {ROO}", "Ann Lee", "Cluster Meeting", ""])  # row 3
    log.append(["Nov 3, 2025", "lincoln elementary", "Ann Lee", "Site Visit", ""])  # row 4
    log.append([serial(date(2025, 10, 20)), ROO, "A. Lee", "Phone", ""])  # row 5
    log.append(["2025-11-25", ROO, "Ann Lee", "Email", ""])  # row 6: after today
    log.append([date(2025, 10, 1), "District", "Ann Lee", "Presentation", "Board"])  # row 7
    log.append([date(2025, 9, 20), "Lincon Elementary", "Ann Lee", "Phone", ""])  # row 8
    book.save(path)


# The LibreOffice round trip costs seconds: it runs with the slow proofs (and on CI).
@pytest.fixture(params=["openpyxl", pytest.param("libreoffice", marks=pytest.mark.slow)])
def workbook(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    path = tmp_path / "district.xlsx"
    build(path)
    if request.param == "libreoffice":
        saved = request.getfixturevalue("libreoffice")(path, tmp_path / "libreoffice")
        path.unlink()
        saved.rename(path)
    (tmp_path / "sheets-sync.toml").write_text(
        '[workbook]\npath = "district.xlsx"\n\n'
        "[school_year]\nstart = 2025-08-01\nend = 2026-06-30\n"
    )
    return path


def run(workbook: Path, *argv: str) -> tuple[int, str]:
    out = io.StringIO()
    status = main(
        ["--config", str(workbook.parent / "sheets-sync.toml"), *argv], {}, out, io.StringIO()
    )
    return status, out.getvalue()


def tab(path: Path, name: str) -> list[dict[str, object]]:
    """A tab's rows by its header, up to the first blank title (what stands beside the table
    is not part of its rows)."""
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python()
    width = rows[0].index("") if "" in rows[0] else len(rows[0])
    return [dict(zip(rows[0][:width], row[:width], strict=True)) for row in rows[1:]]


def test_summary_is_exactly_as_worked_out_by_hand(workbook: Path) -> None:
    """Both schools' Summary rows hold the values worked out by hand from the messy rows."""
    status, _ = run(workbook, "run", "--today", TODAY)
    assert status == 1  # the workbook has data errors
    summary = tab(workbook, "Summary")
    # Neither school is Overdue: October (the last required month that ended) had contacts for
    # both. Both need attention: Lincoln has an evaluation due, Roosevelt missed September.
    assert [row["School"] for row in summary] == [LIN, ROO]
    lincoln, roosevelt = summary
    assert lincoln == {
        "School": LIN,
        "Code": "0042",
        "Facilitator": "Ann Lee",
        "Status": "Needs attention",
        "Why": "1 evaluation due",  # the only reason below
        # 6 members: principal, 2 teachers (one the Chair, with email), 2 family, 1 community.
        "Team Members": 6,
        "Team Check": "OK",
        # Types 4, 1, 2, 3, 5 in five activities; no type 6.
        "Plan Activities": 5,
        "Types Covered": "5 of 6 (missing 6 Collaborating with Community)",
        # Sep 12, Oct 8 and Nov 3 count; the "Lincon" row names no known school.
        "Last Contact": date(2025, 11, 3),
        "Days Since Contact": 17,
        "This Month": "Done",
        "Missed Months": "",
        "Principal Meeting": "Done 2025-09-12",
        "Cluster Meetings": "Q1 attended, Q2 pending",
        "Celebration": "Not yet",
        # The October reading night is Done and not evaluated; the others lie ahead.
        "Evaluations Due": 1,
        # plan.types-missing.
        "Data Errors": 0,
        "Data Warnings": 1,
    }
    assert roosevelt == {
        "School": ROO,
        "Code": "117",
        "Facilitator": "Ann Lee",
        "Status": "Needs attention",
        # Sep missed; principal meeting overdue; 1 evaluation due; 4 data errors (below), in
        # the order the Summary gives reasons. November is Due, but 10 days left is not soon.
        "Why": "no contact in Sep; principal meeting overdue; 1 evaluation due; 4 data errors",
        "Team Members": 4,
        "Team Check": "too small, chair without email, few teachers, few families, "
        "no community member, few students",
        "Plan Activities": 1,
        "Types Covered": "1 of 6 (missing 1 Parenting, 2 Communicating, 3 Volunteering, "
        "5 Decision Making, 6 Collaborating with Community)",
        # Oct 8 (cluster) and Oct 20 (phone, unknown facilitator, still counts); the Nov 25
        # email is in the future and does not count, so November is due: 30 - 20 = 10 days.
        "Last Contact": date(2025, 10, 20),
        "Days Since Contact": 31,
        "This Month": "Due (10 days left)",
        "Missed Months": "Sep",
        "Principal Meeting": "Overdue",
        "Cluster Meetings": "Q1 attended, Q2 pending",
        "Celebration": "Not yet",
        # College night, 15 September, Planned and not evaluated: 66 days ago > 14.
        "Evaluations Due": 1,
        # Errors: too-small, chair-no-email, facilitator.unknown (A. Lee), future-date.
        # Warnings: few-teachers, few-families, no-community, few-students, goal-mix,
        # types-missing, stale-planned.
        "Data Errors": 4,
        "Data Warnings": 7,
    }
    # Beside the table: as of the run (--today is 23:59 in the district's time zone), and
    # the two schools by status.
    header, counts = (
        CalamineWorkbook.from_path(str(workbook)).get_sheet_by_name("Summary").to_python()[:2]
    )
    assert header[19:] == ["", "As of (America/New_York)", "Overdue", "Needs attention", "On track"]
    assert counts[20:] == [datetime(2025, 11, 20, 23, 59), 0, 2, 0]


def test_data_issues_are_exactly_as_worked_out_by_hand(workbook: Path) -> None:
    """Data Issues lists each problem once, at its cell, errors first, in tab and row order.

    A team or plan rule points at the School cell of the school's first row in that tab.
    """
    run(workbook, "run", "--today", TODAY)
    found = [
        (i["Severity"], i["Tab"], i["Cell"], i["School"], i["Code"])
        for i in tab(workbook, "Data Issues")
    ]
    assert found == [
        ("error", "Team Roster", "B8", ROO, "roster.too-small"),
        ("error", "Team Roster", "D9", ROO, "roster.chair-no-email"),
        ("error", "Contact Log", "C5", ROO, "facilitator.unknown"),
        ("error", "Contact Log", "A6", ROO, "contact.future-date"),
        ("error", "Contact Log", "B8", "", "school.unknown"),
        ("warning", "Team Roster", "B8", ROO, "roster.few-families"),
        ("warning", "Team Roster", "B8", ROO, "roster.few-students"),
        ("warning", "Team Roster", "B8", ROO, "roster.few-teachers"),
        ("warning", "Team Roster", "B8", ROO, "roster.no-community"),
        ("warning", "Action Plan", "B2", LIN, "plan.types-missing"),
        ("warning", "Action Plan", "B7", ROO, "plan.goal-mix"),
        ("warning", "Action Plan", "B7", ROO, "plan.types-missing"),
        ("warning", "Action Plan", "H7", ROO, "plan.stale-planned"),
    ]
    fixes = {i["Code"]: i["How to Fix"] for i in tab(workbook, "Data Issues")}
    assert fixes["school.unknown"].startswith('Did you mean "Lincoln Elementary"?')
    assert fixes["facilitator.unknown"].startswith('Did you mean "Ann Lee"?')


def test_contact_calendar_is_exactly_as_worked_out_by_hand(workbook: Path) -> None:
    """The calendar counts each month's contacts, marks Roosevelt's September MISSED, and
    leaves months not begun blank."""
    run(workbook, "run", "--today", TODAY)
    calendar = {row["School"]: row for row in tab(workbook, "Contact Calendar")}
    months = ["Aug 2025", "Sep 2025", "Oct 2025", "Nov 2025", "Dec 2025", "Jun 2026"]
    assert [calendar[LIN][m] for m in months] == [0, 1, 1, 1, "", ""]
    assert [calendar[ROO][m] for m in months] == [0, "MISSED", 2, 0, "", ""]
