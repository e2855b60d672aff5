"""What ``store.guards`` says the revisions created is what they create: the definitions cannot
drift from the migrations."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from sla_cli.store import guards
from sla_cli.store.engine import open_ledger
from sla_cli.store.guard_checks import (
    FoundFunction,
    FoundTrigger,
    GuardProblem,
    Problem,
    pg_problems,
    sqlite_problems,
)
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


PATH = "search_path=ledger, pg_temp"


def as_created() -> list[FoundTrigger]:
    return [
        FoundTrigger(name, t.table, t.type, "O", t.function, "ledger", True, False, False, 0)
        for name, t in guards.pg_triggers().items()
    ]


def functions_as_created() -> dict[str, FoundFunction]:
    return {
        name: FoundFunction(name, f.language, f" {f.body} ", [PATH])
        for name, f in guards.pg_functions().items()
    }


def with_trigger(name: str, **changes: Any) -> list[FoundTrigger]:
    return [t._replace(**changes) if t.name == name else t for t in as_created()]


def test_postgresql_guards_as_created_have_no_problem() -> None:
    assert pg_problems(as_created(), functions_as_created(), PATH) == []


@pytest.mark.parametrize(
    ("changes", "problem", "detail"),
    [
        ({"enabled": "D"}, "disabled", "disabled"),
        ({"enabled": "R"}, "disabled", "enabled for replica sessions only"),
        ({"enabled": "A"}, "changed", "it fires in replica sessions too (ENABLE ALWAYS)"),
        ({"table": "notes"}, "changed", "it is on notes, not entries"),
        (
            {"own_function": False, "function_schema": "public"},
            "changed",
            "it calls public.sla_append_only(), of another schema",
        ),
        (
            {"function": "sla_unchangeable"},
            "changed",
            "it calls sla_unchangeable(), not sla_append_only()",
        ),
        ({"arguments": 1}, "changed", "it is given arguments"),
        (
            {"type": 2 | 16},
            "changed",
            "it fires BEFORE UPDATE FOR EACH STATEMENT, not BEFORE UPDATE OR DELETE FOR EACH ROW",
        ),
    ],
)
def test_a_postgresql_trigger_not_as_created_is_told(
    changes: dict[str, Any], problem: Problem, detail: str
) -> None:
    found = pg_problems(
        with_trigger("entries_append_only", **changes), functions_as_created(), PATH
    )
    assert found == [GuardProblem("entries_append_only", problem, detail)]


def test_a_trigger_of_the_name_on_another_table_is_not_the_guard() -> None:
    """Trigger names are unique per table: the one on the guard's own table is compared."""
    other = as_created()[0]._replace(name="entries_append_only", table="clients")
    assert pg_problems([*as_created(), other], functions_as_created(), PATH) == []


def test_a_dropped_postgresql_guard_and_function_are_missing() -> None:
    triggers = [t for t in as_created() if t.function != "sla_open_month"]
    functions = functions_as_created()
    del functions["sla_open_month"]
    assert pg_problems(triggers, functions, PATH) == [
        GuardProblem("entries_open_month", "missing", "dropped"),
        GuardProblem("sla_open_month", "missing", "the function 1 guard trigger calls, dropped"),
    ]


def test_a_postgresql_function_not_as_created_is_told() -> None:
    functions = functions_as_created()
    functions["sla_append_only"] = FoundFunction(
        "sla_append_only", "sql", "SELECT NULL", ["search_path=public"]
    )
    assert pg_problems(as_created(), functions, PATH) == [
        GuardProblem(
            "sla_append_only",
            "changed",
            "the function 5 guard triggers call; it is written in sql, not plpgsql; its body "
            "now reads «SELECT NULL»; it runs with search_path=public",
        )
    ]


def test_sqlite_guards_compare_by_text_with_whitespace_collapsed() -> None:
    texts = guards.sqlite_triggers()
    found: dict[str, str | None] = dict(texts)
    found["entries_no_update"] = texts["entries_no_update"].replace(" ", "\n  ")
    found["ENTRIES_NO_DELETE"] = found.pop("entries_no_delete")  # names: any case
    assert sqlite_problems(found) == []
    del found["clients_no_update"]
    found["closings_no_update"] = None
    assert sqlite_problems(found) == [
        GuardProblem("clients_no_update", "missing", "dropped"),
        GuardProblem("closings_no_update", "changed", "it now reads «»"),
    ]
