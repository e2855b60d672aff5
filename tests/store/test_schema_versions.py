"""Which ledgers a command opens, upgrades, or refuses, and what it copies on the way."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.config import Config
from alembic.script import ScriptDirectory

from sla_cli.errors import LedgerError, NoLedger, OldSchema
from sla_cli.store.engine import (
    MIGRATIONS,
    REVISIONS,
    SCHEMA_HEAD,
    open_ledger,
    schema_version,
)
from tests.conftest import Sla, pg_schema, sqlite_url
from tests.store.test_migrations import migrate


def test_the_known_revisions_are_the_migrations_in_order() -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    scripts = ScriptDirectory.from_config(cfg)
    walked = [s.revision for s in scripts.walk_revisions()]  # newest first
    assert tuple(reversed(walked)) == REVISIONS
    assert scripts.get_current_head() == SCHEMA_HEAD


def backups(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f"{path.name}.*.bak"))


def test_a_newer_ledger_is_refused_before_anything_is_copied(tmp_path: Path) -> None:
    path = tmp_path / "ledger.db"
    open_ledger(sqlite_url(path), create=True).engine.dispose()
    with sa.create_engine(sqlite_url(path)).begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    for _ in range(3):  # every command, read or write
        with pytest.raises(LedgerError, match=r"schema version '9999'.*upgrade sla"):
            open_ledger(sqlite_url(path))
        with pytest.raises(LedgerError, match="schema version '9999'"):
            open_ledger(sqlite_url(path), write=False)
    assert backups(path) == []


def test_an_older_ledger_is_upgraded_by_a_write_once_and_never_by_a_read(
    backend_url: str,
) -> None:
    migrate(backend_url, "0003")
    for _ in range(2):
        with pytest.raises(OldSchema, match="schema revision 0003, older than this version's"):
            open_ledger(backend_url, write=False)
    engine = sa.create_engine(backend_url)
    assert schema_version(engine) == "0003"
    path = Path(backend_url.removeprefix("sqlite:///")) if "sqlite" in backend_url else None
    if path is not None:
        assert backups(path) == []  # a read copies nothing
    open_ledger(backend_url).engine.dispose()  # a command that writes
    open_ledger(backend_url).engine.dispose()  # and the next one: nothing left to do
    assert schema_version(engine) == SCHEMA_HEAD
    engine.dispose()
    if path is not None:
        (copy,) = backups(path)  # copied aside once, before the upgrade
        assert copy.name.startswith("ledger.db.0003-")
        assert schema_version(sa.create_engine(sqlite_url(copy))) == "0003"


def test_sla_tables_without_a_version_are_named_so(backend_url: str) -> None:
    open_ledger(backend_url, create=True).engine.dispose()
    engine = sa.create_engine(backend_url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE alembic_version"))
    engine.dispose()
    with pytest.raises(LedgerError, match=r"holds sla tables .* but no schema version"):
        open_ledger(backend_url)


def test_an_empty_database_becomes_a_ledger_only_by_init(backend_url: str) -> None:
    if backend_url.startswith("sqlite"):
        Path(backend_url.removeprefix("sqlite:///")).touch()  # an empty file
    with pytest.raises(NoLedger):
        open_ledger(backend_url)
    with pytest.raises(NoLedger):
        open_ledger(backend_url, write=False)
    engine = sa.create_engine(backend_url)
    assert sa.inspect(engine).get_table_names() == []  # nothing was created
    engine.dispose()
    open_ledger(backend_url, create=True).engine.dispose()
    open_ledger(backend_url).engine.dispose()


def test_commands_say_which_command_upgrades(sla: Sla) -> None:
    migrate(sla.db_url, "0003", down=True)
    r = sla("entries")
    assert r.exit_code == 2
    assert "schema revision 0003" in r.stderr and "`sla upgrade`" in r.stderr
    up = sla.ok("upgrade")
    assert f"schema revision {SCHEMA_HEAD}" in up.stdout
    sla.ok("entries")


def test_an_empty_postgresql_database_needs_init(sla: Sla) -> None:
    with pg_schema() as url:
        r = sla("entries", env={"SLA_DATABASE_URL": url})
        assert r.exit_code == 2 and "no ledger at" in r.stderr and "`sla init`" in r.stderr
        r = sla("log", "1h", "ACME-1", env={"SLA_DATABASE_URL": url})
        assert r.exit_code == 2 and "no ledger at" in r.stderr
