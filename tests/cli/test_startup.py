"""Commands off the ledger must not pay for SQLAlchemy: shell completion runs them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("sqlalchemy", "sqlmodel", "alembic", "pydantic")


def imported_modules(args: list[str], tmp_path: Path) -> set[str]:
    env = {
        **os.environ,
        "SLA_CONFIG": str(tmp_path / "none.toml"),
        "SLA_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
        "HOME": str(tmp_path),
        "COLUMNS": "100",
    }
    env.pop("SLA_CONFIG")
    code = (
        "import sys, runpy\n"
        f"sys.argv = ['sla', *{args!r}]\n"
        "try:\n    runpy.run_module('sla_cli', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "sys.stderr.write('\\n'.join(sorted(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    return set(done.stderr.splitlines())


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


# Enums and parsers the commands' signatures and messages need; no records, rules or calendar.
LIGHT_DOMAIN = {"sla_cli.domain", "sla_cli.domain.kinds", "sla_cli.domain.durations",
                "sla_cli.domain.money"}  # fmt: skip
