"""`sheets-sync`: parse options, call one function, turn a known failure into a message.

Exit status: 0 success; 1 the run finished but found errors (or could not write);
2 it could not run at all (bad config, workbook unreachable).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import sys
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from sheets_sync import __version__
from sheets_sync.core.issues import Issue
from sheets_sync.core.values import visible
from sheets_sync.errors import SheetsSyncError
from sheets_sync.shell import commands
from sheets_sync.shell.config import config_path, load_config
from sheets_sync.shell.doctor import diagnose, report
from sheets_sync.shell.outcome import attempt, record, secrets_of
from sheets_sync.shell.paths import shown
from sheets_sync.shell.serve import configure_logging, serve
from sheets_sync.shell.state import StateLock

EXIT_OK, EXIT_FOUND_ERRORS, EXIT_CANNOT_RUN = 0, 1, 2


def main(
    argv: Sequence[str] | None = None,
    environ: Mapping[str, str] | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    environ = os.environ if environ is None else environ
    out, err = out or sys.stdout, err or sys.stderr
    args = _parser().parse_args(argv)
    configure_logging(
        logging.DEBUG if getattr(args, "verbose", False) else logging.INFO,
        getattr(args, "log_format", "plain") == "json",
        err,
    )
    try:
        status: int = args.handler(args, environ, out)
    except SheetsSyncError as failure:
        print(f"sheets-sync: {failure}", file=err)
        return EXIT_CANNOT_RUN
    except BrokenPipeError:  # output piped into `head`, which stopped reading: not a failure
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    return status


def _parser() -> argparse.ArgumentParser:
    config = argparse.ArgumentParser(add_help=False)
    # Also after the command (`serve --log-format json`), as people write them in unit files.
    config.add_argument(
        "--verbose",
        action="store_true",
        default=argparse.SUPPRESS,
        help="log each step, not only cycles",
    )
    config.add_argument(
        "--log-format",
        choices=("plain", "json"),
        default=argparse.SUPPRESS,
        help="log lines as text, or one JSON object per line",
    )
    config.add_argument(
        "--config",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="config file (default: $SHEETS_SYNC_CONFIG, else config/sheets-sync.toml)",
    )
    parser = argparse.ArgumentParser(
        prog="sheets-sync",
        parents=[config],
        description="Keeps a district's family-school partnership workbook working: validates "
        "it, computes each school's standing, and writes the Summary tabs.",
    )
    parser.add_argument("--version", action="version", version=f"sheets-sync {__version__}")
    commands_ = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")

    demo = commands_.add_parser("demo", parents=[config], help="write a demo district and run it")
    demo.add_argument("dir", nargs="?", default="demo", help="where to write it (default ./demo)")
    demo.add_argument("--today", type=_date, help="as of this date (YYYY-MM-DD)")
    demo.set_defaults(handler=_demo)

    init = commands_.add_parser(
        "init", parents=[config], help="create the input tabs (and a starter config if none)"
    )
    init.set_defaults(handler=_init)

    check = commands_.add_parser(
        "check", parents=[config], help="validate the workbook and list its issues"
    )
    check.add_argument("--json", action="store_true", help="print the issues as JSON")
    check.add_argument("--today", type=_date, help="check as of this date (YYYY-MM-DD)")
    check.set_defaults(handler=_check)

    form = commands_.add_parser(
        "form-choices",
        parents=[config],
        help="print the schools and contact types to paste into a Google Form's questions",
    )
    form.set_defaults(handler=_form_choices, today=None)

    preview = commands_.add_parser(
        "preview", parents=[config], help="write every email due now to files, sending nothing"
    )
    preview_when = preview.add_mutually_exclusive_group()
    preview_when.add_argument("--today", type=_date, help="as of this date, 23:59 (YYYY-MM-DD)")
    preview_when.add_argument("--now", type=_datetime, help="as of this moment (YYYY-MM-DDTHH:MM)")
    preview.add_argument(
        "--out", metavar="DIR", help="where to write them (default: STATE/preview)"
    )
    preview.set_defaults(handler=_preview)

    serve_ = commands_.add_parser(
        "serve", parents=[config], help="run cycles on the configured schedule until stopped"
    )
    serve_.set_defaults(handler=_serve)

    doctor = commands_.add_parser(
        "doctor", parents=[config], help="check the config, credentials and workbook"
    )
    doctor.add_argument("--today", type=_date, help="check as of this date (YYYY-MM-DD)")
    doctor.set_defaults(handler=_doctor)

    run = commands_.add_parser("run", parents=[config], help="run one full cycle")
    when = run.add_mutually_exclusive_group()
    when.add_argument("--today", type=_date, help="run as of this date, 23:59 local (YYYY-MM-DD)")
    when.add_argument("--now", type=_datetime, help="run as of this moment (YYYY-MM-DDTHH:MM)")
    run.add_argument(
        "--dry-run", action="store_true", help="write and send nothing; show what would change"
    )
    run.add_argument("--no-email", action="store_true", help="write the tabs but send no email")
    run.add_argument(
        "--force", action="store_true", help="resend what the ledger says was sent this period"
    )
    run.add_argument(
        "--trust-read",
        action="store_true",
        help="take this read as the workbook even where it contradicts the last good run",
    )
    run.add_argument(
        "--resend",
        action="append",
        default=[],
        metavar="KEY",
        help="send this period's email KEY again (as `run` and `doctor` name it); repeatable",
    )
    run.set_defaults(handler=_run)
    return parser


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; use YYYY-MM-DD") from None


def _datetime(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date and time; use YYYY-MM-DDTHH:MM"
        ) from None


def _config(args: argparse.Namespace, environ: Mapping[str, str]) -> commands.Config:
    return load_config(config_path(getattr(args, "config", None), environ, Path.cwd()), environ)


def _moment(args: argparse.Namespace, timezone: str) -> datetime:
    """`--now`, `--today` (at 23:59), or the clock, in the district's time zone."""
    zone = ZoneInfo(timezone)
    if getattr(args, "now", None) is not None:
        now: datetime = args.now
        return now.replace(tzinfo=zone) if now.tzinfo is None else now.astimezone(zone)
    if args.today is not None:
        return datetime.combine(args.today, time(23, 59), zone)
    return datetime.now(zone)


def _run(args: argparse.Namespace, environ: Mapping[str, str], out: TextIO) -> int:
    config = _config(args, environ)
    now = _moment(args, config.program.timezone)
    if args.dry_run:  # writes and sends nothing, so it may run beside a worker
        report = commands.run(
            config,
            now,
            environ,
            dry_run=True,
            email=not args.no_email,
            trust_read=args.trust_read,
        )
    else:
        zone = ZoneInfo(config.program.timezone)
        with StateLock(config.state.dir):  # one worker per state folder
            outcome = attempt(
                lambda: commands.run(
                    config,
                    now,
                    environ,
                    email=not args.no_email,
                    force=args.force,
                    resend=frozenset(args.resend),
                    trust_read=args.trust_read,
                ),
                lambda: datetime.now(zone),
            )
            # A failure too, so that doctor does not show an old "ok".
            record(config.state.dir, outcome, secrets_of(config, environ))
        if outcome.report is None:
            raise SheetsSyncError(outcome.error)
        report = outcome.report
    commands.print_run(report, config, out, dry_run=args.dry_run)
    return report.exit_status


def _serve(args: argparse.Namespace, environ: Mapping[str, str], out: TextIO) -> int:
    return serve(_config(args, environ), environ)


def _check(args: argparse.Namespace, environ: Mapping[str, str], out: TextIO) -> int:
    config = _config(args, environ)
    evaluation = commands.check(config, _moment(args, config.program.timezone).date())
    if args.json:
        json.dump(_issues_json(evaluation.issues), out, indent=2, ensure_ascii=False)
        out.write("\n")
    else:
        for issue in evaluation.issues:  # names from the workbook may hold ESC: shown, not obeyed
            line = f"{issue.where}: {issue.severity}: {issue.problem} [{issue.code}]"
            print(visible(line), file=out)
            print(visible(f"    fix: {issue.fix}"), file=out)
        print(commands.counts_line(evaluation), file=out)
    return EXIT_FOUND_ERRORS if evaluation.errors else EXIT_OK


def _form_choices(args: argparse.Namespace, environ: Mapping[str, str], out: TextIO) -> int:
    config = _config(args, environ)
    evaluation = commands.check(config, _moment(args, config.program.timezone).date())
    for line in commands.form_choices(evaluation):
        print(visible(line), file=out)  # a name may hold ESC: shown, not obeyed
    return EXIT_OK


def _preview(args: argparse.Namespace, environ: Mapping[str, str], out: TextIO) -> int:
    config = _config(args, environ)
    folder = Path(args.out) if args.out else config.state.dir / "preview"
    written = commands.preview(config, _moment(args, config.program.timezone), folder)
    for path in written:
        print(shown(path), file=out)
    print(f"{len(written)} emails due, written to {shown(folder)}; nothing was sent.", file=out)
    return EXIT_OK


def _doctor(args: argparse.Namespace, environ: Mapping[str, str], out: TextIO) -> int:
    config = _config(args, environ)
    findings = diagnose(config, _moment(args, config.program.timezone).date(), environ)
    for line in report(findings):
        print(line, file=out)
    return EXIT_OK if all(f.ok for f in findings) else EXIT_FOUND_ERRORS


def _issues_json(issues: list[Issue]) -> dict[str, object]:
    errors = sum(i.severity == "error" for i in issues)
    return {
        "errors": errors,
        "warnings": len(issues) - errors,
        "issues": [
            {
                "severity": i.severity,
                "tab": i.tab,
                "cell": i.cell,
                "school": i.school,
                "code": i.code,
                "problem": i.problem,
                "fix": i.fix,
            }
            for i in issues
        ],
    }


def _init(args: argparse.Namespace, environ: Mapping[str, str], out: TextIO) -> int:
    path = config_path(getattr(args, "config", None), environ, Path.cwd())
    for line in commands.init(path, environ, datetime.now().date()):
        print(line, file=out)
    return EXIT_OK


def _demo(args: argparse.Namespace, environ: Mapping[str, str], out: TextIO) -> int:
    folder = Path(args.dir).resolve()
    today = args.today or datetime.now().date()
    commands.demo(folder, today, environ, out, program=_invoked_as())
    return EXIT_OK


def _invoked_as() -> str:
    """The command as the user started it, so that a suggested next command works when pasted."""
    started = Path(sys.argv[0])
    if started.name == "__main__.py":
        return "python -m sheets_sync"
    on_path = shutil.which("sheets-sync")
    if not started.name.startswith("sheets-sync") or (
        on_path and Path(on_path).resolve() == started.resolve()
    ):
        return "sheets-sync"
    return shown(started)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
