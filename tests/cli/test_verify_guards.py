"""`sla verify` checks the database's guards by what they are, not only by their names: a
trigger or function rewritten in place so that it no longer refuses anything is found, and on
PostgreSQL the roles that may get past the guards are noted (without failing the check)."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from sla_cli.store.engine import open_ledger
from tests.conftest import Sla, pg_schema, sqlite_url
from tests.store.test_migrations import migrate

NOV = {"SLA_NOW": "2026-11-05T12:00:00+03:00"}
APPEND_ONLY = "the ledger is append-only: post a reversing entry instead"
CHANGED = "is not what the schema's revisions created (its definition was changed)"


def close_october(sla: Sla) -> None:
    """October closed: ACME on variant 1 basic (15 h) used 3 h, so 12 h burned."""
    sla.ok("contract", "add", "Acme", "--key", "ACME", "--variant", "1", "--tier", "basic",
           "--start", "2026-10-01", "--months", "12", env=NOV)  # fmt: skip
    sla.ok("log", "3h", "ACME-1", "--on", "2026-10-05", env=NOV)
    sla.ok("rollover", env=NOV)


# since revision 0011 the ledger's tables belong to its owner role, not to who created them
TABLE_OWNER = (
    "SELECT pg_get_userbyid(relowner) FROM pg_class "
    "WHERE relname = 'entries' AND relnamespace = current_schema()::regnamespace"
)


def sql(url: str, *statements: str) -> None:
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.execute(sa.text(statement))
    finally:
        engine.dispose()


def on(sla: Sla, url: str) -> Sla:
    sla.db_url = url
    sla.env["SLA_DATABASE_URL"] = url
    return sla


# -- every guard as created -------------------------------------------------------------------


def test_a_new_ledgers_guards_are_all_as_created(ledger_sla: Sla) -> None:
    sla = ledger_sla
    r = sla.ok("verify", env=NOV)
    assert "every guard is in place as created" in r.stdout and CHANGED not in r.stdout
    data = sla.ok("verify", "--format", "json", env=NOV).json()
    assert data["ok"] is True
    assert data["missing_guards"] == [] and data["changed_guards"] == []
    ledger = open_ledger(sla.db_url)
    try:
        with ledger.store(write=False) as s:
            assert s.guard_problems() == [] and s.missing_guards() == []
            owner = s.db.value(TABLE_OWNER) if s.db.dialect == "postgresql" else None
    finally:
        ledger.engine.dispose()
    if owner is None:
        assert data["bypass_roles"] == []
    else:  # the owner of the tables is not noted, whatever its rights
        assert all(set(b) == {"role", "why"} for b in data["bypass_roles"])
        assert owner not in {b["role"] for b in data["bypass_roles"]}


@pytest.mark.parametrize("revision", ["0001", "0004"])
def test_an_upgraded_ledgers_guards_are_as_created(
    sla: Sla, ledger_backend: tuple[str, str], tmp_path: Path, revision: str
) -> None:
    name, url = ledger_backend
    if name == "sqlite":
        url = sqlite_url(tmp_path / "old.db")
    migrate(url, revision)
    on(sla, url).ok("upgrade")
    data = sla.ok("verify", "--format", "json", env=NOV).json()
    assert data["ok"] is True
    assert data["missing_guards"] == [] and data["changed_guards"] == []


# -- SQLite: a trigger's text rewritten ---------------------------------------------------------


def rewrite(path: Path, name: str, text: str) -> None:
    """What a trial did: write the trigger's definition into the schema table itself."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute("UPDATE sqlite_master SET sql = ? WHERE name = ?", (text, name))
        conn.commit()
    finally:
        conn.close()


@pytest.mark.parametrize(
    "text",
    [
        "CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries BEGIN SELECT 1; END",
        "CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries WHEN 0 "
        f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END",
        "CREATE TRIGGER entries_no_update BEFORE INSERT ON entries "
        f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END",
    ],
    ids=["no-raise", "when-never", "on-insert"],
)
def test_a_rewritten_sqlite_trigger_is_found(sla: Sla, text: str) -> None:
    close_october(sla)
    path = Path(sla.db_url.removeprefix("sqlite:///"))
    rewrite(path, "entries_no_update", text)
    conn = sqlite3.connect(path)  # reopened: the rewritten trigger is the one in force
    try:
        with conn:
            conn.execute("UPDATE entries SET minutes = 240 WHERE type = 'work'")  # let through
    finally:
        conn.close()
    r = sla("verify", env=NOV)
    assert r.exit_code == 1
    assert f"the database guard entries_no_update {CHANGED}: it now reads «" in r.stdout
    assert "2026-10 ACME (contract 1): hours burned 12:00 at the close, 11:00 now" in r.stdout
    data = sla("verify", "--format", "json", env=NOV).json()
    assert data["ok"] is False
    assert data["changed_guards"] == ["entries_no_update"] and data["missing_guards"] == []


def test_whitespace_alone_changes_no_sqlite_trigger(sla: Sla) -> None:
    path = Path(sla.db_url.removeprefix("sqlite:///"))
    rewrite(
        path,
        "entries_no_update",
        "CREATE TRIGGER entries_no_update\n  BEFORE UPDATE ON entries\n"
        f"  BEGIN\n    SELECT RAISE(ABORT, '{APPEND_ONLY}');\n  END",
    )
    data = sla.ok("verify", "--format", "json").json()
    assert data["changed_guards"] == [] and data["missing_guards"] == []


# -- PostgreSQL: a function or a trigger redefined ----------------------------------------------


@pytest.fixture
def pg_closed(sla: Sla) -> Iterator[tuple[Sla, str]]:
    """A PostgreSQL ledger with October closed, and its URL."""
    with pg_schema() as url:
        open_ledger(url, create=True).engine.dispose()
        close_october(on(sla, url))
        yield sla, url


LETS_THROUGH = (
    "CREATE OR REPLACE FUNCTION sla_unchangeable() RETURNS trigger AS $$ BEGIN "
    "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$ LANGUAGE plpgsql"
)
PG_CASES = {
    # what is done to the guards, and what verify then calls changed and missing or disabled
    "function-lets-through": ([LETS_THROUGH], ["sla_unchangeable"], []),
    "trigger-on-insert": (
        [
            "DROP TRIGGER entries_append_only ON entries",
            "CREATE TRIGGER entries_append_only BEFORE INSERT ON entries "
            "FOR EACH ROW EXECUTE FUNCTION sla_append_only()",
        ],
        ["entries_append_only"],
        [],
    ),
    "trigger-when-never": (
        [
            "DROP TRIGGER entries_append_only ON entries",
            "CREATE TRIGGER entries_append_only BEFORE UPDATE OR DELETE ON entries "
            "FOR EACH ROW WHEN (false) EXECUTE FUNCTION sla_append_only()",
        ],
        ["entries_append_only"],
        [],
    ),
    "trigger-one-column": (
        [
            "DROP TRIGGER entries_append_only ON entries",
            "CREATE TRIGGER entries_append_only BEFORE UPDATE OF note OR DELETE ON entries "
            "FOR EACH ROW EXECUTE FUNCTION sla_append_only()",
        ],
        ["entries_append_only"],
        [],
    ),
    "trigger-replica-only": (
        ["ALTER TABLE entries ENABLE REPLICA TRIGGER entries_append_only"],
        [],
        ["entries_append_only"],
    ),
    "function-search-path": (
        ["ALTER FUNCTION sla_open_month() SET search_path = pg_catalog"],
        ["sla_open_month"],
        [],
    ),
}


@pytest.mark.parametrize("case", PG_CASES)
def test_a_redefined_postgresql_guard_is_found(pg_closed: tuple[Sla, str], case: str) -> None:
    sla, url = pg_closed
    statements, changed, missing = PG_CASES[case]
    sql(url, *statements)
    data = sla("verify", "--format", "json", env=NOV).json()
    assert data["ok"] is False
    assert data["changed_guards"] == changed and data["missing_guards"] == missing
    r = sla("verify", env=NOV)
    assert r.exit_code == 1
    for name in changed:
        assert f"the database guard {name} {CHANGED}: " in r.stdout
    for name in missing:
        assert f"the database guard {name} is missing or disabled" in r.stdout


def test_a_function_that_lets_changes_through_is_found_with_them(
    pg_closed: tuple[Sla, str],
) -> None:
    sla, url = pg_closed
    sql(url, LETS_THROUGH, "UPDATE contracts SET price_kopecks = price_kopecks + 100000")
    r = sla("verify", env=NOV)
    assert r.exit_code == 1
    assert (
        f"the database guard sla_unchangeable {CHANGED}: the function 33 guard triggers call; "
        "its body now reads «BEGIN IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END»"
    ) in r.stdout
    assert "2026-10 ACME (contract 1): amount due" in r.stdout


def test_a_trigger_moved_to_insert_is_described(pg_closed: tuple[Sla, str]) -> None:
    sla, url = pg_closed
    sql(url, *PG_CASES["trigger-on-insert"][0], "UPDATE entries SET minutes = 240")
    r = sla("verify", env=NOV)
    assert r.exit_code == 1
    assert (
        f"the database guard entries_append_only {CHANGED}: it fires BEFORE INSERT FOR EACH ROW, "
        "not BEFORE UPDATE OR DELETE FOR EACH ROW"
    ) in r.stdout
    assert "2026-10 ACME (contract 1): hours burned 12:00 at the close" in r.stdout


# -- PostgreSQL: who may get past the guards ----------------------------------------------------


def test_roles_that_may_get_past_the_guards_are_noted(pg_closed: tuple[Sla, str]) -> None:
    sla, url = pg_closed
    tag = uuid.uuid4().hex[:12]
    superuser, setter, member = (f"sla_test_{kind}_{tag}" for kind in ("su", "set", "member"))
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        owner = conn.execute(sa.text(TABLE_OWNER)).scalar_one()  # the ledger's owner role
        granted = int(conn.execute(sa.text("SHOW server_version_num")).scalar_one()) >= 150000
    try:
        sql(
            url,
            f"CREATE ROLE {superuser} SUPERUSER NOLOGIN",
            f"CREATE ROLE {setter} NOLOGIN",
            f"CREATE ROLE {member} NOLOGIN IN ROLE {owner}",
            *([f"GRANT SET ON PARAMETER session_replication_role TO {setter}"] if granted else []),
        )
        r = sla.ok("verify", env=NOV)  # notes: the check still passes
        assert f"note: role {superuser} may get past the database guards: a superuser" in r.stdout
        assert "every guard is in place as created" in r.stdout
        data = sla.ok("verify", "--format", "json", env=NOV).json()
        assert data["ok"] is True
        why = {b["role"]: b["why"] for b in data["bypass_roles"]}
        assert owner not in why
        assert why[superuser].startswith("a superuser: may disable or drop the triggers")
        assert why[member].startswith(f"a member of {owner}, which owns the ledger's tables")
        if granted:  # PostgreSQL 15 on
            assert why[setter].startswith("granted SET on session_replication_role")
        else:
            assert setter not in why
    finally:
        with engine.begin() as conn:
            for role in (superuser, setter, member):
                found = conn.execute(
                    sa.text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}
                ).first()
                if found:  # DROP OWNED revokes its grants, on the parameter too
                    conn.execute(sa.text(f"DROP OWNED BY {role}"))
                    conn.execute(sa.text(f"DROP ROLE {role}"))
        engine.dispose()
