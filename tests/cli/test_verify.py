"""Closed months are final: the database refuses changes, and `sla verify` finds any that got
past it (a dropped trigger, a disabled one, a TRUNCATE), naming the month and the figure."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from tests.conftest import Sla

NOV = {"SLA_NOW": "2026-11-05T12:00:00+03:00"}


@pytest.fixture
def closed(ledger_sla: Sla) -> Iterator[tuple[Sla, sa.Engine]]:
    """October closed: ACME on variant 1 basic (15 h) used 3 h, so 12 h burned."""
    sla = ledger_sla
    sla.ok("contract", "add", "Acme", "--key", "ACME", "--variant", "1", "--tier", "basic",
           "--start", "2026-10-01", "--months", "12", env=NOV)  # fmt: skip
    sla.ok("log", "3h", "ACME-1", "--on", "2026-10-05", env=NOV)
    sla.ok("incident", "open", "ACME-2", "--at", "2026-10-06T10:00", env=NOV)
    sla.ok("rollover", env=NOV)
    engine = sa.create_engine(sla.db_url)
    yield sla, engine
    engine.dispose()


def sql(engine: sa.Engine, *statements: str) -> None:
    with engine.begin() as conn:
        for statement in statements:
            conn.execute(sa.text(statement))


def sqlite(engine: sa.Engine) -> bool:
    return engine.dialect.name == "sqlite"


def test_a_ledger_as_closed_verifies(closed: tuple[Sla, sa.Engine]) -> None:
    sla, _ = closed
    r = sla.ok("verify", env=NOV)
    assert "1 closed month(s) (2026-10 to 2026-10) match their closes" in r.stdout
    data = sla.ok("verify", "--format", "json", env=NOV).json()
    assert data["ok"] is True and data["closed_months"] == ["2026-10"]
    assert data["differences"] == [] and data["missing_guards"] == []


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE entries SET minutes = 1",
        "DELETE FROM entries",
        "UPDATE contracts SET price_kopecks = 1",
        "DELETE FROM contracts",
        "UPDATE clients SET name = 'Other'",
        "UPDATE incidents SET title = 'changed'",
        "DELETE FROM closings",
        "UPDATE closed_months SET closed_by = 'me'",
        'INSERT INTO entries (contract_id, client_id, "on", minutes, type, category, by, '
        "created_at) VALUES (1, 1, '2026-10-20', 60, 'work', 'work', 'x', '2026-11-01 00:00')",
    ],
)
def test_the_database_refuses_every_change_to_what_a_close_sealed(
    closed: tuple[Sla, sa.Engine], statement: str
) -> None:
    sla, engine = closed
    with pytest.raises(sa.exc.DBAPIError, match=r"never changed|append-only|is closed"):
        sql(engine, statement)
    sla.ok("verify", env=NOV)


def test_emptying_a_table_is_refused(closed: tuple[Sla, sa.Engine]) -> None:
    """PostgreSQL's TRUNCATE skips row triggers: statement triggers refuse it. SQLite's
    (a DELETE without WHERE) fires the row triggers."""
    sla, engine = closed
    for table in ("entries", "contracts", "clients", "closings", "closed_months", "incidents"):
        with pytest.raises(sa.exc.DBAPIError, match=r"never changed|append-only"):
            sql(engine, f"DELETE FROM {table}" if sqlite(engine) else f"TRUNCATE {table} CASCADE")
    sla.ok("verify", env=NOV)


def unguard(engine: sa.Engine, table: str) -> None:
    """What it takes to get past the guards: drop the trigger (SQLite), disable it (PostgreSQL)."""
    if sqlite(engine):
        sql(engine, f"DROP TRIGGER {table}_no_update", f"DROP TRIGGER {table}_no_delete")
    else:
        sql(engine, f"ALTER TABLE {table} DISABLE TRIGGER USER")


def test_hours_changed_behind_the_guards_are_found(closed: tuple[Sla, sa.Engine]) -> None:
    sla, engine = closed
    unguard(engine, "entries")
    sql(engine, "UPDATE entries SET minutes = 240 WHERE type = 'work'")
    r = sla("verify", env=NOV)
    assert r.exit_code == 1
    out = r.stdout
    assert "2026-10 ACME (contract 1): hours burned 12:00 at the close, 11:00 now" in out
    assert "2026-10: the month's entries or contract terms changed after the close" in out
    assert "entries_" in out and "is missing or disabled" in out
    assert "does not match its closes" in r.stderr
    report = sla("report", "--month", "2026-10", env=NOV)
    assert report.exit_code == 1
    assert "2026-10 no longer matches its close" in report.stderr
    assert report.stdout == ""  # no new numbers printed in place of the final ones


def test_terms_changed_behind_the_guards_are_found(closed: tuple[Sla, sa.Engine]) -> None:
    sla, engine = closed
    unguard(engine, "contracts")
    sql(engine, "UPDATE contracts SET price_kopecks = price_kopecks + 100000")
    r = sla("verify", "--format", "json", env=NOV)
    assert r.exit_code == 1
    figures = {(d["month"], d["figure"]): d for d in r.json()["differences"]}
    due = figures[("2026-10", "amount_due")]
    assert due["client"] == "ACME"
    assert float(due["now"]) - float(due["at_close"]) == pytest.approx(1000 * 0.95, abs=50)
    assert ("2026-10", "digest") in figures


def test_a_truncated_ledger_is_found(closed: tuple[Sla, sa.Engine]) -> None:
    sla, engine = closed
    if sqlite(engine):
        sql(engine, "DROP TRIGGER entries_no_delete", "DELETE FROM entries")
    else:
        sql(
            engine,
            "ALTER TABLE entries DISABLE TRIGGER USER",
            "ALTER TABLE timer_ends DISABLE TRIGGER USER",
            "TRUNCATE entries CASCADE",
        )
    r = sla("verify", env=NOV)
    assert r.exit_code == 1
    assert "2026-10 ACME (contract 1): hours burned 12:00 at the close, 15:00 now" in r.stdout


def test_a_contract_cancelled_behind_the_tool_is_found(closed: tuple[Sla, sa.Engine]) -> None:
    sla, engine = closed
    sql(engine, "INSERT INTO contract_changes (contract_id, kind, by, created_at) "
        "VALUES (1, 'cancel', 'x', '2026-11-06 00:00:00')")  # fmt: skip
    r = sla("verify", env=NOV)
    assert r.exit_code == 1
    assert "2026-10 ACME (contract 1): closed with the month, no longer in force in it" in r.stdout


def test_an_incident_changed_behind_the_guards_leaves_a_missing_guard(
    closed: tuple[Sla, sa.Engine],
) -> None:
    sla, engine = closed
    unguard(engine, "incidents")
    sql(engine, "UPDATE incidents SET opened_at = created_at")
    r = sla("verify", env=NOV)
    assert r.exit_code == 1
    assert "the database guard incidents_" in r.stdout
