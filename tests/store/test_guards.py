"""What ``store.guards`` says the revisions created is what they create: the definitions cannot
drift from the migrations."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlalchemy as sa

from sla_cli.store import guards
from sla_cli.store.engine import open_ledger
from sla_cli.store.models import SQLModel
from tests.conftest import pg_schema


def test_the_sqlite_texts_are_a_new_ledgers_exactly(empty_ledger: Path) -> None:
    with sqlite3.connect(empty_ledger) as conn:
        found = dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"))
    conn.close()
    assert found == guards.sqlite_triggers()


def test_the_postgresql_definitions_are_a_new_ledgers() -> None:
    with pg_schema() as url:
        open_ledger(url, create=True).engine.dispose()
        engine = sa.create_engine(url)
        try:
            with engine.connect() as conn:
                triggers = conn.execute(
                    sa.text(
                        "SELECT t.tgname, c.relname, t.tgtype, p.proname FROM pg_trigger t "
                        "JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid "
                        "WHERE NOT t.tgisinternal "
                        "AND c.relnamespace = current_schema()::regnamespace"
                    )
                ).all()
                functions = conn.execute(
                    sa.text(
                        "SELECT p.proname, l.lanname, p.prosrc FROM pg_proc p "
                        "JOIN pg_language l ON l.oid = p.prolang "
                        "WHERE p.pronamespace = current_schema()::regnamespace"
                    )
                ).all()
        finally:
            engine.dispose()
    assert {name: guards.PgTrigger(*rest) for name, *rest in triggers} == guards.pg_triggers()
    assert {
        name: guards.PgFunction(language, guards.collapsed(body))
        for name, language, body in functions
    } == guards.pg_functions()


def test_the_trigger_types_read_as_the_migrations_wrote_them() -> None:
    found = guards.pg_triggers()
    assert found["entries_append_only"].fires() == "BEFORE UPDATE OR DELETE FOR EACH ROW"
    assert found["entries_no_truncate"].fires() == "BEFORE TRUNCATE FOR EACH STATEMENT"
    assert found["entries_open_month"].fires() == "BEFORE INSERT FOR EACH ROW"
    assert guards.fires(4 | 16) == "AFTER INSERT OR UPDATE FOR EACH STATEMENT"


def test_every_table_of_the_models_is_a_guarded_ledger_table() -> None:
    """A new table is append-only like the others, or this test says why it is not."""
    assert set(SQLModel.metadata.tables) == set(guards.LEDGER_TABLES)
    for table in guards.LEDGER_TABLES:
        assert {f"{table}_no_update", f"{table}_no_delete"} <= guards.expected("sqlite")
        assert {f"{table}_append_only", f"{table}_no_truncate"} <= guards.expected("postgresql")
    assert guards.OPEN_MONTH in guards.expected("sqlite") & guards.expected("postgresql")
