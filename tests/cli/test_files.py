"""Files `sla` writes and opens: `-o`, the config, the ledger, and databases that are not one."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from sla_cli.config.defaults import write_config
from tests.conftest import Sla

NOV = {"SLA_NOW": "2026-11-24T12:00:00+03:00"}
REPORT = ("report", "--month", "2026-11", "-f", "csv")


def signed(sla: Sla) -> Sla:
    sla.ok(
        "contract", "add", "ACME", "--key", "ACME", "--variant", "1", "--tier", "basic",
        "--start", "2026-10-01", "--months", "12", env=NOV,
    )  # fmt: skip
    return sla


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_dash_writes_the_document_to_standard_output(sla: Sla, tmp_path: Path) -> None:
    r = signed(sla).ok(*REPORT, "-o", "-", env=NOV)
    assert r.stdout.startswith("month,closed,client")
    assert not (tmp_path / "-").exists() and not Path("-").exists()


def test_a_folder_or_a_fifo_is_refused_and_left_alone(sla: Sla, tmp_path: Path) -> None:
    signed(sla)
    folder = tmp_path / "out"
    folder.mkdir()
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "link"
    link.symlink_to(folder)
    for target in (folder, fifo, link):
        r = sla(*REPORT, "-o", str(target), env=NOV)
        assert r.exit_code == 2 and "unexpected" not in r.stderr, r.stderr
    assert folder.is_dir() and list(folder.iterdir()) == []
    assert stat.S_ISFIFO(fifo.stat().st_mode) and link.is_symlink()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_an_existing_file_is_replaced_and_keeps_its_permissions(sla: Sla, tmp_path: Path) -> None:
    signed(sla)
    out = tmp_path / "statement.csv"
    out.write_text("old", encoding="utf-8")
    out.chmod(0o640)
    sla.ok(*REPORT, "-o", str(out), env=NOV)
    assert out.read_text(encoding="utf-8").startswith("month,closed,client")
    assert mode(out) == 0o640
    link = tmp_path / "latest.csv"
    link.symlink_to(out)
    sla.ok(*REPORT, "-o", str(link), env=NOV)  # the file the link names is replaced
    assert link.is_symlink() and mode(out) == 0o640


def test_init_makes_the_config_and_the_ledger_private(sla: Sla, tmp_path: Path) -> None:
    config = tmp_path / "new" / "conf" / "config.toml"
    db = tmp_path / "data" / "sla" / "ledger.db"
    env = {"SLA_CONFIG": str(config), "SLA_DATABASE_URL": str(db)}
    sla.ok("init", env=env)
    assert mode(config) == 0o600 and mode(db) == 0o600
    for folder in (config.parent, config.parent.parent, db.parent, db.parent.parent):
        assert mode(folder) == 0o700, folder
    config.chmod(0o644)  # a config the owner opened up keeps that when rewritten
    sla.ok("init", "--reset-config", env=env)
    assert mode(config) == 0o644


def test_write_config_into_a_file_that_is_a_folder_exits_cleanly(tmp_path: Path) -> None:
    from sla_cli.errors import SlaError

    (tmp_path / "config.toml").mkdir()
    with pytest.raises(SlaError):
        write_config(tmp_path / "config.toml", {}, force=True)


def test_a_sqlite_file_of_other_tables_is_refused_and_untouched(sla: Sla, tmp_path: Path) -> None:
    other = tmp_path / "app.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    before = other.read_bytes()
    for args in (("entries",), ("init",)):
        r = sla(*args, env={"SLA_DATABASE_URL": str(other)})
        assert r.exit_code == 2 and "not an sla ledger" in r.stderr and "invoices" in r.stderr
    assert other.read_bytes() == before
    with sqlite3.connect(other) as conn:
        tables = {n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables == {"invoices"}


@pytest.mark.parametrize(
    "args",
    [
        ("rollover",),
        ("report",),
        ("breaches",),
        ("entries",),
        ("incident", "list"),
        ("log", "1h", "ACME-1"),
        (
            "contract",
            "add",
            "A",
            "--key",
            "A",
            "--variant",
            "2",
            "--tier",
            "standard",
            "--start",
            "2026-10-01",
        ),
    ],
)
def test_without_a_ledger_commands_fail_naming_the_path_and_create_none(
    sla: Sla, tmp_path: Path, args: tuple[str, ...]
) -> None:
    data = tmp_path / "xdg-data"
    env = {**NOV, "SLA_DATABASE_URL": "", "XDG_DATA_HOME": str(data)}
    r = sla(*args, env=env)
    assert r.exit_code == 2, r.stderr
    assert str(data / "sla" / "ledger.db") in r.stderr and "sla init" in r.stderr
    assert not data.exists()


def test_init_creates_the_default_ledger_and_rollover_names_it(sla: Sla, tmp_path: Path) -> None:
    data = tmp_path / "xdg-data"
    env = {**NOV, "SLA_DATABASE_URL": "", "XDG_DATA_HOME": str(data)}
    sla.ok("init", env=env)
    out = sla.ok("rollover", env=env).stdout
    assert str(data / "sla" / "ledger.db") in out.splitlines()[0]


@pytest.mark.parametrize("folder_is_a_file", [True, False])
def test_demo_needs_a_folder(sla: Sla, tmp_path: Path, folder_is_a_file: bool) -> None:
    target = tmp_path / "x"
    if folder_is_a_file:
        target.write_text("x", encoding="utf-8")
    else:
        target.mkdir()
        (target / "keep").write_text("x", encoding="utf-8")
    r = sla("demo", "--dir", str(target), env=NOV)
    assert r.exit_code == 2 and "unexpected" not in r.stderr
