"""The deployment files (deploy/, docs/deploy.md) held to the code they deploy.

The systemd units, the cron line and the environment file are copied onto servers by people
who cannot read the code; these checks make a renamed command, option, config key or
environment variable fail here rather than there.
"""

from __future__ import annotations

import argparse
import configparser
import re
import shlex
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

from sheets_sync.shell.cli import _parser
from sheets_sync.shell.config import SCHEMA, load_config
from sheets_sync.shell.config_email import SmtpConfig
from sheets_sync.shell.config_sections import ENV_CREDENTIALS, WorkbookConfig

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
DOC = ROOT / "docs" / "deploy.md"
UNIT = DEPLOY / "sheets-sync.service"
TEMPLATE = DEPLOY / "sheets-sync@.service"
ENV_FILE = DEPLOY / "sheets-sync.env.example"
CRONTAB = DEPLOY / "crontab.example"
EXE = "/opt/sheets-sync/bin/sheets-sync"

# Settings whose value names a district's own files, so the template differs there.
PER_DISTRICT = {
    "Description",
    "ExecStart",
    "EnvironmentFile",
    "StateDirectory",
    "WorkingDirectory",
    "ReadWritePaths",
}


def cli_commands() -> dict[str, argparse.ArgumentParser]:
    parser = _parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def readme_commands() -> set[str]:
    """The commands the README documents: the table of its "Command line" section, and
    `sheets-sync COMMAND` written as a command (in backticks, or a program's path) anywhere."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Command line\n", 1)[1].split("\n## ", 1)[0]
    table = set(re.findall(r"^\| `([a-z]+)[ `]", section, re.MULTILINE))
    used = set(re.findall(r"[`/]sheets-sync (?:--config \S+ )?([a-z]+)\b", text))
    return table | used


def ini(path: Path, section: str | None = None) -> configparser.ConfigParser:
    """The file as INI (a unit file), or as the body of `section` (an environment file, which
    has none); keys keep their case."""
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    text = path.read_text(encoding="utf-8")
    parser.read_string(text if section is None else f"[{section}]\n{text}")
    return parser


def entries(path: Path) -> dict[str, dict[str, list[str]]]:
    """Every `Key=value` of a unit file by section, keeping repeated keys (ReadWritePaths=)."""
    found: dict[str, dict[str, list[str]]] = {}
    section = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            found.setdefault(section, {})
            continue
        key, _, value = line.partition("=")
        found[section].setdefault(key.strip(), []).append(value.strip())
    return found


def service(path: Path) -> dict[str, list[str]]:
    return entries(path)["Service"]


def seconds(value: str) -> float:
    """A systemd time span such as `5min`, `30s` or `300`."""
    units = {"": 1, "s": 1, "sec": 1, "min": 60, "m": 60, "h": 3600}
    total = 0.0
    for number, unit in re.findall(r"(\d+)\s*([a-z]*)", value):
        total += int(number) * units[unit]
    return total


def cron_lines() -> list[str]:
    """The job lines of the crontab, the commented examples included."""
    lines = []
    for raw in CRONTAB.read_text(encoding="utf-8").splitlines():
        line = raw.removeprefix("#")
        if re.match(r"^[\d*/,-]+\s+[\d*/,-]+\s+\S+\s+\S+\s+\S+\s+sheets-sync\s", line):
            lines.append(line)
    return lines


def sheets_sync_argv(command: str) -> list[str]:
    """The sheets-sync arguments in a cron job's `sh -c '…; exec EXE ARGS'`."""
    words = shlex.split(command)
    script = words[words.index("-c") + 1]
    run = script.rsplit("exec ", 1)[1]
    argv = shlex.split(run)
    assert argv[0] == EXE
    return argv[1:]


# --- the systemd units -------------------------------------------------------------------


@pytest.mark.parametrize("path", [UNIT, TEMPLATE], ids=lambda p: p.name)
def test_the_units_parse_as_ini_with_the_usual_sections(path: Path) -> None:
    assert set(ini(path).sections()) == {"Unit", "Service", "Install"}


@pytest.mark.parametrize(
    ("path", "name"), [(UNIT, "district"), (TEMPLATE, "%i")], ids=["unit", "template"]
)
def test_the_unit_starts_serve_with_its_config_and_secrets(path: Path, name: str) -> None:
    settings = service(path)
    (exec_start,) = settings["ExecStart"]
    argv = shlex.split(exec_start)
    assert argv[0] == EXE
    assert argv[1:3] == ["--config", f"/etc/sheets-sync/{name}.toml"]
    assert "--config" in _parser()._option_string_actions
    command = argv[3]
    assert command == "serve"
    assert command in readme_commands(), f"the README does not document `{command}`"
    if command in cli_commands():  # once serve has landed, its real parser takes the line
        _parser().parse_args(argv[1:])
    assert settings["EnvironmentFile"] == [f"/etc/sheets-sync/{name}.env"]


@pytest.mark.parametrize(
    ("path", "state"),
    [(UNIT, "sheets-sync"), (TEMPLATE, "sheets-sync/%i")],
    ids=["unit", "template"],
)
def test_the_unit_runs_as_its_own_user_in_its_state_folder(path: Path, state: str) -> None:
    settings = service(path)
    assert settings["User"] == ["sheets-sync"]
    assert settings["StateDirectory"] == [state]
    assert settings["WorkingDirectory"] == [f"/var/lib/{state}"]
    writable = [p.removeprefix("-") for p in settings["ReadWritePaths"]]
    assert f"/var/lib/{state}" in writable
    assert any(p.startswith("/srv/sheets-sync") for p in writable)  # the .xlsx workbook's folder


@pytest.mark.parametrize("path", [UNIT, TEMPLATE], ids=lambda p: p.name)
def test_the_unit_restarts_stops_gracefully_and_is_hardened(path: Path) -> None:
    settings = service(path)
    assert settings["Restart"] == ["on-failure"]
    assert 5 <= seconds(settings["RestartSec"][0]) <= 300
    assert settings["KillSignal"] == ["SIGTERM"]
    # Long enough for a cycle stuck in one Google call's whole retry budget plus a slow send.
    budget = WorkbookConfig.retry_budget_seconds + SmtpConfig.timeout_seconds
    assert seconds(settings["TimeoutStopSec"][0]) > budget
    for key, value in {
        "NoNewPrivileges": "yes",
        "ProtectSystem": "strict",
        "ProtectHome": "yes",
        "PrivateTmp": "yes",
    }.items():
        assert settings[key] == [value], key
    assert entries(path)["Install"]["WantedBy"] == ["multi-user.target"]


def test_the_template_differs_from_the_unit_only_in_per_district_paths() -> None:
    unit, template = service(UNIT), service(TEMPLATE)
    assert unit.keys() == template.keys()
    for key in unit:
        if key in PER_DISTRICT:
            assert all("%i" in value for value in template[key]), key
        else:
            assert unit[key] == template[key], key
    assert entries(UNIT)["Unit"].keys() - {"Description"} == (
        entries(TEMPLATE)["Unit"].keys() - {"Description"}
    )


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd is not installed")
def test_systemd_accepts_every_setting_of_the_units(tmp_path: Path) -> None:
    """`systemd-analyze verify` on copies whose ExecStart is a program that exists here."""
    copies = []
    for path, name in ((UNIT, UNIT.name), (TEMPLATE, "sheets-sync@adams.service")):
        copy = tmp_path / name
        copy.write_text(path.read_text(encoding="utf-8").replace(EXE, "/bin/true"))
        copies.append(copy)
    result = subprocess.run(
        ["systemd-analyze", "verify", *map(str, copies)],
        capture_output=True,
        text=True,
        check=False,
    )
    ours = [line for line in result.stderr.splitlines() if str(tmp_path) in line]
    assert not ours, "\n".join(ours)
    assert result.returncode == 0, result.stderr


# --- cron ------------------------------------------------------------------------------------


def test_crontab_runs_run_every_15_minutes_with_flock_secrets_and_a_log() -> None:
    lines = cron_lines()
    assert len(lines) >= 2  # the district's line and the commented second district
    for line in lines:
        fields = line.split(None, 6)
        minute, user, command = fields[0], fields[5], fields[6]
        assert minute.endswith("/15")
        assert fields[1:5] == ["*", "*", "*", "*"]
        assert user == "sheets-sync"
        assert "%" not in line  # cron turns % into a newline
        assert command.startswith("flock -n /var/lib/sheets-sync/")
        name = re.search(r"--config /etc/sheets-sync/([\w-]+)\.toml", command)
        assert name is not None
        assert f". /etc/sheets-sync/{name[1]}.env;" in command
        assert command.endswith(f">>/var/log/sheets-sync/{name[1]}.log 2>&1")
        argv = sheets_sync_argv(command.split(" >>", 1)[0])
        assert argv[2] == "run"
        assert argv[2] in cli_commands()
        _parser().parse_args(argv)  # every option as the CLI has it


# --- the environment file ----------------------------------------------------------------


def env_values() -> dict[str, str]:
    return dict(ini(ENV_FILE, "env")["env"])


def test_the_env_file_names_every_variable_the_config_names() -> None:
    example = tomllib.loads((ROOT / "config" / "sheets-sync.example.toml").read_text("utf-8"))
    smtp = example["email"]["smtp"]
    wanted = {smtp["username_env"], smtp["password_env"], ENV_CREDENTIALS}
    assert {SmtpConfig.username_env, SmtpConfig.password_env} <= wanted
    assert wanted <= env_values().keys()


def test_the_env_file_reads_the_same_in_systemd_and_sh(tmp_path: Path) -> None:
    """NAME=value lines, no `export`; sh (the cron line) gets the values systemd gets."""
    for line in ENV_FILE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            assert re.fullmatch(r"[A-Z_][A-Z0-9_]*=('[^']*'|[^\s'\"$`\\#;]*)", line), line
    sh = shutil.which("sh")
    if sh is None:
        pytest.skip("no sh here")
    names = list(env_values())
    script = f'set -a; . "{ENV_FILE}"; set +a; ' + "; ".join(
        f'printf "%s\\0" "${name}"' for name in names
    )
    printed = subprocess.run(
        [sh, "-c", script], capture_output=True, text=True, check=True, cwd=tmp_path
    ).stdout.split("\0")[:-1]
    assert printed == [value.strip("'") for value in env_values().values()]


# --- docs/deploy.md -----------------------------------------------------------------------


def mentioned_keys() -> list[tuple[str, str]]:
    """Config keys named in the docs and deploy files: TOML blocks, and `[section] key` text."""
    found = []
    for path in [DOC, *sorted(DEPLOY.iterdir())]:
        text = path.read_text(encoding="utf-8")
        found += re.findall(r"\[([a-z_.]+)\] ([a-z_]+)\b", text)
        for block in re.findall(r"```toml\n(.*?)```", text, re.DOTALL):
            section = ""
            for line in block.splitlines():
                if header := re.match(r"\[([a-z_.]+)\]", line):
                    section = header[1]
                elif key := re.match(r"([a-z_]+) =", line):
                    found.append((section, key[1]))
    return found


def test_every_config_key_the_docs_mention_exists() -> None:
    keys = mentioned_keys()
    assert len(keys) >= 20
    unknown = [f"[{s}] {k}" for s, k in keys if k not in SCHEMA.get(s, ())]
    assert not unknown


def test_the_docs_example_config_loads_and_keeps_state_in_var_lib(tmp_path: Path) -> None:
    (block,) = re.findall(r"```toml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL)
    path = tmp_path / "district.toml"
    path.write_text(block, encoding="utf-8")
    config = load_config(path, {})
    assert config.state.dir == Path("/var/lib/sheets-sync")
    assert config.email.outbox_dir.is_relative_to("/var/lib/sheets-sync")
    assert config.workbook.path.parent == Path("/srv/sheets-sync")


def test_every_command_the_docs_use_is_one_the_cli_or_readme_has() -> None:
    text = DOC.read_text(encoding="utf-8")
    used = set(re.findall(r"(?:sheets-sync-as-service|district\.toml) ([a-z]+)\b", text))
    used |= set(re.findall(r"`sheets-sync ([a-z]+)\b", text))
    assert {"doctor", "check", "run", "serve"} <= used
    known = cli_commands().keys() | readme_commands()
    assert used <= known, used - known


def test_the_docs_mention_every_deploy_file_and_mark_what_is_new() -> None:
    text = DOC.read_text(encoding="utf-8")
    for path in DEPLOY.iterdir():
        assert f"deploy/{path.name}" in text, path.name
    for new in ("`serve`", "lock", "last_run.json", "--log-format"):
        # named, and marked within the same sentence or two
        assert re.search(re.escape(new) + r"[^.]{0,120}\*\(this release\)\*", text), new
