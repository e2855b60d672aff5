"""Commands off the ledger must not pay for SQLAlchemy: shell completion runs them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Sla

HEAVY = ("sqlalchemy", "sqlmodel", "alembic", "pydantic")


def imported_modules(
    args: list[str], tmp_path: Path, env: dict[str, str] | None = None, exit_code: int = 0
) -> set[str]:
    """The modules a run of `sla ARGS` imports (on the built-in config and no ledger, unless
    ``env`` names them); the run must end with ``exit_code``."""
    run_env = {
        **os.environ,
        "SLA_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
        "HOME": str(tmp_path),
        "COLUMNS": "100",
        **(env or {}),
    }
    if env is None:
        run_env.pop("SLA_CONFIG", None)
    code = (
        "import sys, runpy\n"
        f"sys.argv = ['sla', *{args!r}]\n"
        "code = 0\n"
        "try:\n    runpy.run_module('sla_cli', run_name='__main__')\n"
        "except SystemExit as e:\n    code = e.code or 0\n"
        "sys.stderr.write('\\n'.join([f'exit {code}', *sorted(sys.modules)]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=run_env, timeout=60
    )
    lines = done.stderr.splitlines()
    assert f"exit {exit_code}" in lines, done.stderr[-2000:]
    return set(lines)


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["quote", "--variant", "1", "--months", "12"],
        ["quote", "--variant", "1", "--months", "12", "--format", "json"],
        ["tariffs"],
        ["calendar", "--year", "2025"],
    ],
)
def test_commands_off_the_ledger_do_not_import_the_database_stack(
    args: list[str], tmp_path: Path
) -> None:
    modules = imported_modules(args, tmp_path)
    assert "sla_cli.cli.app" in modules  # the program really ran
    heavy = sorted(m for m in modules if m.split(".")[0] in HEAVY)
    assert heavy == []


def test_json_output_does_not_import_rich_tables(tmp_path: Path) -> None:
    modules = imported_modules(["quote", "-v", "1", "-f", "json"], tmp_path)
    assert "rich.table" not in modules


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["quote", "--variant", "1", "--months", "12"],
        ["tariffs"],
        ["calendar", "--year", "2025"],
        ["calendar", "--month", "2025-03"],
    ],
)
def test_commands_off_the_ledger_do_not_import_documents_or_babel(
    args: list[str], tmp_path: Path
) -> None:
    modules = imported_modules(args, tmp_path)
    assert "sla_cli.cli.app" in modules
    heavy = sorted(
        m for m in modules if m.startswith("sla_cli.documents") or m.split(".")[0] == "babel"
    )
    assert heavy == []


def test_help_loads_no_config_rules_or_views(tmp_path: Path) -> None:
    """`--help` and shell completion only register commands: nothing else of the tool loads."""
    modules = imported_modules(["--help"], tmp_path)
    ours = {m for m in modules if m.startswith("sla_cli.")}
    loaded = sorted(
        m
        for m in ours
        if m.startswith(("sla_cli.ops", "sla_cli.store", "sla_cli.documents"))
        or m in ("sla_cli.config", "sla_cli.cli.views", "sla_cli.cli.ledger_views")
        or (m.startswith("sla_cli.domain.") and m not in LIGHT_DOMAIN)
    )
    assert loaded == []


# Enums and parsers the commands' signatures and messages need; no records, rules or calendar
# (the production calendar's source is named as the program starts, its data not read).
LIGHT_DOMAIN = {"sla_cli.domain", "sla_cli.domain.kinds", "sla_cli.domain.durations",
                "sla_cli.domain.money", "sla_cli.domain.production"}  # fmt: skip


# What the quick commands must not load: the database stack and pendulum (read only a wall
# time without an offset, which none of these is given).
NOT_QUICK = (*HEAVY, "pendulum")
QUICK = (
    ["log", "1h", "ACME-7"],
    ["log", "--undo"],
    ["start", "ACME-7"],
    ["status"],
    ["stop", "--discard"],
    *(["incident", event, "ACME-7"] for event in ("ack", "wait", "resume", "start")),
)


def test_the_quick_commands_load_no_database_library_nor_pendulum(sla: Sla, tmp_path: Path) -> None:
    now = {"SLA_NOW": "2026-11-24T12:00:00+03:00"}
    sla.ok("contract", "add", "Acme", "--key", "ACME", "--variant", "1", "--tier", "basic",
           "--start", "2026-10-01", "--months", "12", env=now)  # fmt: skip
    sla.ok("incident", "open", "ACME-7", "--at", "2026-11-24T10:00", env=now)
    env = {**sla.env, **now}
    for args in QUICK:
        modules = imported_modules(args, tmp_path, env)
        assert "sla_cli.store.db" in modules, args
        assert sorted(m for m in modules if m.split(".")[0] in NOT_QUICK) == [], args
    # `sla log`, the command run most, defines no dataclass (each costs ~0.4 ms to create)
    assert "dataclasses" not in imported_modules(["log", "30m", "ACME-7"], tmp_path, env)
    entries = sla.ok("entries", "--format", "json").json()
    assert sorted(e["minutes"] for e in entries) == [-60, 30, 60]  # logged, undone, logged


# Every other command on an SQLite ledger at the current revision: only the schema's work
# (`init`, `upgrade`, `demo`) loads SQLAlchemy, SQLModel, Alembic or pydantic.
LEDGER_COMMANDS = (
    ["report", "--month", "2026-10"],
    ["report", "--month", "2026-10", "--client", "ACME", "--format", "json"],
    ["breaches", "--month", "2026-11"],
    ["incident", "list"],
    ["entries", "--month", "2026-11"],
    ["contract", "list"],
    ["contract", "show", "ACME"],
    ["timesheet", "--month", "2026-11"],
    ["verify"],
    ["export", "--month", "2026-11", "--format", "csv"],
    ["rollover", "--dry-run"],
    ["void", "1"],
    ["contract", "prepay", "ACME", "--months", "1"],
    ["contract", "add", "Beta", "--key", "BETA", "--variant", "3", "--tier", "minimal",
     "--start", "2026-11-01"],
    ["contract", "topup", "BETA"],
    ["incident", "open", "ACME-8", "--at", "2026-11-24T11:00"],
    ["incident", "resolve", "ACME-7"],
    ["trends"],
    ["trends", "--client", "ACME", "--format", "json"],
    ["trends", "--since", "2026-10", "--until", "2026-11", "--format", "csv"],
)  # fmt: skip


def test_ledger_commands_on_sqlite_load_no_database_library(sla: Sla, tmp_path: Path) -> None:
    now = {"SLA_NOW": "2026-11-24T12:00:00+03:00"}
    sla.ok("contract", "add", "Acme", "--key", "ACME", "--variant", "1", "--tier", "basic",
           "--start", "2026-10-01", "--months", "12", env=now)  # fmt: skip
    sla.ok("incident", "open", "ACME-7", "--at", "2026-11-24T10:00", env=now)
    sla.ok("log", "1h", "ACME-7", env=now)
    sla.ok("rollover", "--month", "2026-10", env=now)
    env = {**sla.env, **now}
    for args in LEDGER_COMMANDS:
        modules = imported_modules(args, tmp_path, env)
        assert "sla_cli.store.store" in modules, args
        assert sorted(m for m in modules if m.split(".")[0] in HEAVY) == [], args
    backup = imported_modules(["backup", str(tmp_path / "copy.db")], tmp_path, env)
    assert sorted(m for m in backup if m.split(".")[0] in HEAVY) == []
    assert (tmp_path / "copy.db").is_file()


# What each command a manager runs all day leaves unloaded: the writers of the other formats,
# the month close, the seal of a month still open, the statements' rules where no statement is
# drawn, and the `holidays` package once the year's calendar is kept in the cache folder.
DOCUMENTS = ("sla_cli.documents.html", "sla_cli.documents.chart", "sla_cli.documents.markdown",
             "sla_cli.documents.records", "weasyprint")  # fmt: skip
NO_CLOSE = ("sla_cli.ops.periods", "sla_cli.ops.seals", "sla_cli.domain.seal", "holidays")
NO_STATEMENT = (
    *NO_CLOSE,
    "sla_cli.documents",
    "sla_cli.domain.statement",
    "sla_cli.ops.statements",
)
EVERYDAY = (
    (["report", "--month", "2026-11"], (*DOCUMENTS, *NO_CLOSE, "sla_cli.domain.timers")),
    (["report", "--month", "2026-11", "--client", "ACME"], (*DOCUMENTS, *NO_CLOSE)),
    (["breaches", "--month", "2026-11"], NO_STATEMENT),
    (["incident", "list"], NO_STATEMENT),
    (["entries", "--month", "2026-11"], (*NO_STATEMENT, "sla_cli.domain.timesheet")),
    (["contract", "list"], NO_STATEMENT),
    (["timesheet", "--month", "2026-11"], NO_STATEMENT),
)  # fmt: skip


def test_everyday_commands_load_only_what_they_draw(sla: Sla, tmp_path: Path) -> None:
    now = {"SLA_NOW": "2026-11-24T12:00:00+03:00"}
    sla.ok("contract", "add", "Acme", "--key", "ACME", "--variant", "1", "--tier", "basic",
           "--start", "2026-10-01", "--months", "12", env=now)  # fmt: skip
    sla.ok("incident", "open", "ACME-7", "--at", "2026-11-24T10:00", env=now)
    sla.ok("log", "1h", "ACME-7", env=now)
    sla.ok("rollover", "--month", "2026-10", env=now)
    env = {**sla.env, **now, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    assert "holidays" in imported_modules(["incident", "list"], tmp_path, env)  # read once
    for args, absent in EVERYDAY:
        modules = imported_modules(args, tmp_path, env)
        assert "sla_cli.store.store" in modules, args
        assert sorted(m for m in modules if m in absent or m.split(".")[0] in absent) == [], args
