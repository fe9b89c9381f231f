"""Email through `sheets-sync run` against a real SMTP server on 127.0.0.1: who receives what,
exactly once per period, through refusals, outages, a cap and a crash."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from sheets_sync.adapters.ledger import Ledger
from sheets_sync.adapters.xlsx import create_workbook
from sheets_sync.core.settings import SchoolYear, Settings
from sheets_sync.demo import demo_district
from sheets_sync.shell.cli import main
from tests.adapters.smtp_fixtures import Recorder, closed_port, smtp_server

YEAR = Settings(year=SchoolYear(date(2025, 8, 1), date(2026, 6, 30)))
DOMAIN = "riverbend.k12.org"


def district(folder: Path, port: int, extra: str = "") -> Path:
    """The demo district as of 20 November 2025, with a config sending by SMTP to `port`."""
    create_workbook(folder / "district.xlsx", demo_district(date(2025, 11, 20), YEAR))
    return smtp_config(folder, port, extra)


def smtp_config(folder: Path, port: int, extra: str = "") -> Path:
    config = folder / "sheets-sync.toml"
    config.write_text(
        "[workbook]\n\n[school_year]\nstart = 2025-08-01\nend = 2026-06-30\n\n"
        '[email]\ntransport = "smtp"\n'
        f'from = "Family Partnerships <partnerships@{DOMAIN}>"\n'
        f'allowed_domains = ["{DOMAIN}"]\n{extra}\n'
        f'[email.smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\n'
        'username_env = ""\ntimeout_seconds = 5\n'
    )
    return config


def run(config: Path, now: str) -> tuple[int, list[str]]:
    out = io.StringIO()
    status = main(["--config", str(config), "run", "--now", now], {}, out, io.StringIO())
    return status, out.getvalue().splitlines()


def expected_recipients(folder: Path) -> tuple[set[str], set[str]]:
    """Facilitators' and active schools' principals' addresses, read from the workbook."""
    book = CalamineWorkbook.from_path(str(folder / "district.xlsx"))
    facilitators = book.get_sheet_by_name("Facilitators").to_python()[1:]
    schools = book.get_sheet_by_name("Schools").to_python()
    active = [dict(zip(schools[0], row, strict=True)) for row in schools[1:]]
    principals = {s["Principal Email"] for s in active if s["Active"] != "No"}
    return {f[1] for f in facilitators}, principals


def test_each_person_gets_one_email_per_period(tmp_path: Path) -> None:
    """Thursday: digests and summaries once; again: nothing; next week: digests; 1 Dec: both."""
    with smtp_server() as server:
        config = district(tmp_path, server.port)
        facilitators, principals = expected_recipients(tmp_path)
        status, lines = run(config, "2025-11-20T08:00")
        assert status == 1  # the demo's deliberate data errors, not the email
        first = sorted(server.recorder.recipients)
        # Every demo facilitator has open items; all 11 active schools' principals are due
        # their November summary (its first Monday, the 3rd, has passed).
        assert first == sorted(facilitators | principals)
        assert len(first) == 14
        assert lines[-1] == "Email: 14 sent, 0 failed, 0 already sent this period."

        run(config, "2025-11-20T15:00")
        assert len(server.recorder.recipients) == 14  # nothing new the same day

        _, lines = run(config, "2025-11-27T08:00")
        assert sorted(server.recorder.recipients[14:]) == sorted(facilitators)
        assert lines[-1] == "Email: 3 sent, 0 failed, 11 already sent this period."

        # Monday 1 December, 07:45: week 49's digests (due since 07:00) and December's
        # principal summaries (its first Monday is today, due since 07:30).
        _, lines = run(config, "2025-12-01T07:45")
        assert sorted(server.recorder.recipients[17:]) == sorted(facilitators | principals)
        assert lines[-1] == "Email: 14 sent, 0 failed, 0 already sent this period."
    assert all(r.endswith("@" + DOMAIN) for r in first)
    subjects = {m.message["Subject"] for m in server.received}
    assert all("@" not in subject for subject in subjects)  # no personal data in subjects


def test_a_refused_recipient_does_not_stop_the_others(tmp_path: Path) -> None:
    """A 550 for one principal and a 450 for another: the other 12 are delivered, exit 1;
    the next run retries only the temporary refusal and reports the permanent one."""
    recorder = Recorder()
    with smtp_server(recorder=recorder) as server:
        config = district(tmp_path, server.port)
        _, principals = expected_recipients(tmp_path)
        gone, busy = sorted(principals)[:2]
        recorder.refuse[gone] = "550 5.1.1 No such user"
        recorder.refuse[busy] = "450 4.2.1 Mailbox busy, try later"
        status, lines = run(config, "2025-11-20T08:00")
        assert status == 1
        assert gone not in server.recorder.recipients
        assert busy not in server.recorder.recipients
        assert len(server.recorder.recipients) == 12
        assert any(line.startswith("  failed: principal-summary / " + gone) for line in lines)

        recorder.refuse.clear()
        _, lines = run(config, "2025-11-20T09:00")
        assert server.recorder.recipients[12:] == [busy]
        assert lines[-1] == (
            "  1 refused for good by the mail server earlier: correct those addresses (see the "
            "Run Log and `doctor`)."
        )


def test_a_server_down_then_back_sends_everything_once(tmp_path: Path) -> None:
    """With nothing listening every send fails (exit 1); once it is back, all go, once."""
    config = district(tmp_path, closed_port())
    status, lines = run(config, "2025-11-20T08:00")
    assert status == 1
    assert lines[-15] == "Email: 0 sent, 14 failed, 0 already sent this period."
    with smtp_server() as server:
        config = smtp_config(tmp_path, server.port)
        run(config, "2025-11-20T10:00")
        run(config, "2025-11-20T11:00")
    assert len(server.recorder.recipients) == 14
    assert len(set(server.recorder.recipients)) == 14


def test_the_cap_stops_a_runaway_and_the_next_run_goes_on(tmp_path: Path) -> None:
    """max_per_run = 5 sends 5 and says 9 more were due; the next runs send the rest."""
    with smtp_server() as server:
        config = district(tmp_path, server.port, "max_per_run = 5")
        _, lines = run(config, "2025-11-20T08:00")
        assert len(server.recorder.recipients) == 5
        assert lines[-1] == (
            "  9 more were due: max_per_run (5) stopped them; the next run sends them."
        )
        run(config, "2025-11-20T09:00")
        run(config, "2025-11-20T10:00")
        assert len(set(server.recorder.recipients)) == 14
        assert len(server.recorder.recipients) == 14


class Crash(Exception):
    """The process dying between a message's delivery and its record."""


def test_a_crash_between_send_and_record_never_sends_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run killed after its 3rd delivery: the next run reports that one and resends nothing."""
    with smtp_server() as server:
        config = district(tmp_path, server.port)
        recorded = Ledger.sent
        calls = []

        def dies_on_third(self: Ledger, key: str, now: object) -> None:
            calls.append(key)
            if len(calls) == 3:
                raise Crash
            recorded(self, key, now)  # type: ignore[arg-type]

        monkeypatch.setattr(Ledger, "sent", dies_on_third)
        with pytest.raises(Crash):
            run(config, "2025-11-20T08:00")
        monkeypatch.setattr(Ledger, "sent", recorded)
        delivered_before = list(server.recorder.recipients)
        assert len(delivered_before) == 3

        _, lines = run(config, "2025-11-20T09:00")
        after = server.recorder.recipients
    # 3 delivered before the crash (the 3rd unrecorded), the other 11 after it: the one in
    # doubt is not resent, so each of the 14 got exactly one.
    assert len(after) == 14
    assert len(set(after)) == 14
    unknown = [line for line in lines if line.startswith("  outcome unknown: ")]
    assert len(unknown) == 1
    assert calls[2] in unknown[0]
    log = CalamineWorkbook.from_path(str(tmp_path / "district.xlsx"))
    note = log.get_sheet_by_name("Run Log").to_python()[1][8]
    assert "may or may not have gone out" in str(note)
    doctor = io.StringIO()
    doctor_args = ["--config", str(config), "doctor", "--today", "2025-11-20"]
    assert main(doctor_args, {}, doctor, io.StringIO()) == 1
    in_doubt = [line for line in doctor.getvalue().splitlines() if calls[2] in line]
    assert len(in_doubt) == 1
    assert in_doubt[0].startswith("PROBLEM  mail")


def test_no_email_and_dry_run_send_nothing_and_record_nothing(tmp_path: Path) -> None:
    """`--no-email` and `--dry-run` leave the server and the ledger untouched."""
    with smtp_server() as server:
        config = district(tmp_path, server.port)
        out = io.StringIO()
        main(
            ["--config", str(config), "run", "--no-email", "--now", "2025-11-20T08:00"],
            {},
            out,
            io.StringIO(),
        )
        assert out.getvalue().splitlines()[-1] == "Email: none sent (--no-email)."
        out = io.StringIO()
        main(
            ["--config", str(config), "run", "--dry-run", "--now", "2025-11-20T08:00"],
            {},
            out,
            io.StringIO(),
        )
        assert "Dry run: would send 14 emails." in out.getvalue()
        assert server.recorder.recipients == []
        _, lines = run(config, "2025-11-20T08:00")
    assert lines[-1] == "Email: 14 sent, 0 failed, 0 already sent this period."


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
def test_login_comes_from_the_environment_and_never_shows(tmp_path: Path) -> None:
    """SMTP AUTH takes the user and password from the named variables; no output shows them."""
    from tests.adapters.smtp_fixtures import PASSWORD, USER

    with smtp_server(auth=True) as server:
        config = district(tmp_path, server.port)
        text = config.read_text().replace('username_env = ""\n', "")
        config.write_text(text)  # back to the defaults: SMTP_USERNAME and SMTP_PASSWORD
        environ = {"SMTP_USERNAME": USER, "SMTP_PASSWORD": PASSWORD}
        out, err = io.StringIO(), io.StringIO()
        main(["--config", str(config), "run", "--now", "2025-11-20T08:00"], environ, out, err)
        assert len(server.recorder.recipients) == 14
        doctor = io.StringIO()
        main(["--config", str(config), "doctor"], environ, doctor, io.StringIO())
        wrong = io.StringIO()
        main(
            ["--config", str(config), "doctor"],
            {**environ, "SMTP_PASSWORD": "not-it"},
            wrong,
            io.StringIO(),
        )
    assert f"ok       mail         127.0.0.1:{server.port} (none): connected and logged in" in (
        doctor.getvalue()
    )
    assert "PROBLEM  mail" in wrong.getvalue()
    shown = out.getvalue() + err.getvalue() + doctor.getvalue() + wrong.getvalue()
    shown += str(
        CalamineWorkbook.from_path(str(tmp_path / "district.xlsx"))
        .get_sheet_by_name("Run Log")
        .to_python()
    )
    assert PASSWORD not in shown


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
def test_doctor_never_echoes_a_password_typed_as_the_variables_name(tmp_path: Path) -> None:
    """password_env = "Summer2025Secret" (a password typed where a variable's name goes,
    though it looks like one): doctor says the variable is not set, and never prints it."""
    from tests.adapters.smtp_fixtures import USER

    with smtp_server(auth=True) as server:
        config = district(tmp_path, server.port)
        text = config.read_text().replace(
            'username_env = ""\n', 'password_env = "Summer2025Secret"\n'
        )
        config.write_text(text)
        out, err = io.StringIO(), io.StringIO()
        main(["--config", str(config), "doctor"], {"SMTP_USERNAME": USER}, out, err)
    shown = out.getvalue() + err.getvalue()
    assert "Summer2025Secret" not in shown
    assert (
        "Check [email.smtp]; the user name variable SMTP_USERNAME is set; the variable that "
        "email.smtp.password_env names is not set." in shown
    )


def test_a_stop_mid_run_begins_no_further_email_and_the_next_run_sends_the_rest(
    tmp_path: Path,
) -> None:
    """A stop asked for once two emails are delivered: no third is begun, the tabs are
    written, the Run Log says 12 are left; the next run sends exactly those 12."""
    from sheets_sync.shell import commands
    from sheets_sync.shell.config import load_config

    with smtp_server() as server:
        config = load_config(district(tmp_path, server.port), {})
        now = datetime(2025, 11, 20, 8, 0, tzinfo=config.program.zone)
        report = commands.run(
            config, now, {}, stopping=lambda: len(server.recorder.recipients) >= 2
        )
        assert report.written
        assert report.mail is not None
        assert (len(report.mail.sent), report.mail.left_for_next) == (2, 12)
        assert report.mail.note == "12 emails left for the next run: stopped"
        assert not report.mail.trouble
        assert report.exit_status == 1  # the demo's data errors, not the stop
        commands.run(config, now.replace(hour=9), {})
    assert len(server.recorder.recipients) == 14
    assert len(set(server.recorder.recipients)) == 14


# -- the school year's end ----------------------------------------------------------------------


def rolling(config: Path) -> Path:
    """The same config with the year by month-days, as `init` and the demo write it."""
    text = config.read_text().replace(
        "start = 2025-08-01\nend = 2026-06-30", 'start = "08-01"\nend = "06-30"'
    )
    config.write_text(text)
    return config


def test_no_scheduled_email_in_the_summer(tmp_path: Path) -> None:
    """On 15 July 2026 the rolling year 2025-26 has ended and 2026-27 has not begun: the
    Monday digests and July's summaries are not sent, and the run says why. With
    `[email] summer = true` they are."""
    summer_line = (
        "  none due: summer: the 2025-26 school year ended 2026-06-30, so no scheduled email "
        "goes out until the next one begins ([email] summer = true sends them)"
    )
    (tmp_path / "quiet").mkdir()
    (tmp_path / "sends").mkdir()
    with smtp_server() as server:
        config = rolling(district(tmp_path / "quiet", server.port))
        status, lines = run(config, "2026-07-15T08:00")
        assert server.recorder.recipients == []
        assert lines[-2:] == ["Email: 0 sent, 0 failed, 0 already sent this period.", summer_line]
        assert status == 1  # the demo's data errors; a quiet summer is no trouble

        config = rolling(district(tmp_path / "sends", server.port, "summer = true\n"))
        _, lines = run(config, "2026-07-15T08:00")
        assert len(server.recorder.recipients) == 14
        assert summer_line not in lines


def test_a_fixed_year_that_is_over_sends_nothing(tmp_path: Path) -> None:
    """The fixed year 2025-26 on 7 December 2026: no email, the run says why, and `doctor`
    names the problem and the edit to make."""
    with smtp_server() as server:
        config = district(tmp_path, server.port)
        status, lines = run(config, "2026-12-07T08:00")
        assert server.recorder.recipients == []
    assert status == 1
    assert lines[-2:] == [
        "Email: 0 sent, 0 failed, 0 already sent this period.",
        "  held back: no email sent: the school year in the config is over (year.over; see "
        "the Data Issues tab)",
    ]
    out = io.StringIO()
    doctor = main(["--config", str(config), "doctor", "--today", "2026-12-07"], {}, out, out)
    problem = [line for line in out.getvalue().splitlines() if "school year" in line[:22]]
    assert doctor == 1
    assert problem == [
        "PROBLEM  school year  The school year set in the config (2025-08-01 to 2026-06-30) "
        "ended on 2026-06-30; today is 2026-12-07. Standing is shown as of that year, and no "
        'email is sent. In the config, set [school_year] start = "08-01" and end = "06-30" so '
        "the year rolls on by itself, or set the dates of this year: start = 2026-08-01, "
        "end = 2027-06-30."
    ]


def test_doctor_does_not_claim_a_login_it_did_not_try(tmp_path: Path) -> None:
    """With username_env = "" no login is tried, and doctor says so instead of "logged in"."""
    with smtp_server() as server:
        config = district(tmp_path, server.port)
        out = io.StringIO()
        main(["--config", str(config), "doctor", "--today", "2025-11-20"], {}, out, out)
    mail = [line for line in out.getvalue().splitlines() if line.startswith("ok       mail")]
    assert mail == [
        f"ok       mail         127.0.0.1:{server.port} (none): connected (no login set)"
    ]
