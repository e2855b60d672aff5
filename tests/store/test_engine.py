"""The ledger file: schema migrations, append-only enforcement, concurrent writers."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlmodel import Session

from sla_cli.config.defaults import default_document, write_config
from sla_cli.store.engine import (
    MIGRATIONS,
    SCHEMA_HEAD,
    LedgerError,
    open_ledger,
    schema_version,
)
from sla_cli.store.models import Client, Contract, Entry
from tests.conftest import sqlite_url

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def test_schema_head_constant_matches_the_migrations() -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    assert ScriptDirectory.from_config(cfg).get_current_head() == SCHEMA_HEAD


def test_a_new_sqlite_ledger_is_created_in_wal_mode(tmp_path: Path) -> None:
    with pytest.raises(LedgerError, match="no ledger at"):  # a mistyped path is not a new ledger
        open_ledger(sqlite_url(tmp_path / "deep" / "ledger.db"))
    ledger = open_ledger(sqlite_url(tmp_path / "deep" / "ledger.db"), create=True)
    assert schema_version(ledger.engine) == SCHEMA_HEAD
    with sqlite3.connect(tmp_path / "deep" / "ledger.db") as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def _seed(url: str) -> tuple[int, int]:
    ledger = open_ledger(url, create=True)
    with Session(ledger.engine) as s, s.begin():
        client = Client(key="ACME", name="ACME", created_at=NOW, created_by="t")
        s.add(client)
        s.flush()
        assert client.id is not None
        contract = Contract(
            client_id=client.id, variant=1, variant_name="Вариант 1", variant_name_en="Variant 1",
            billing="monthly", burns=True, tier_key="basic", tier_name="Базовый",
            tier_name_en="Basic", included_minutes=900, price_kopecks=4200000,
            prepay_discount_bp=0, hour_rate_kopecks=300000, hour_discount_bp=0,
            dev_cap_minutes=2400, reaction_minutes=120, start_minutes=240,
            start=date(2026, 10, 1), end=date(2027, 1, 1), months=3, prepaid_months=1,
            created_at=NOW, created_by="t",
        )  # fmt: skip
        s.add(contract)
        s.flush()
        assert contract.id is not None
        entry = Entry(
            contract_id=contract.id, client_id=client.id, ticket="ACME-1", on=date(2026, 11, 2),
            minutes=60, type="work", category="work", kind="support", by="t", created_at=NOW,
        )  # fmt: skip
        s.add(entry)
        s.flush()
        assert entry.id is not None
        return contract.id, entry.id


def test_the_database_refuses_to_update_or_delete_entries(backend_url: str) -> None:
    _, entry_id = _seed(backend_url)
    ledger = open_ledger(backend_url)
    for statement in (
        "UPDATE entries SET minutes = 1 WHERE id = :id",
        "DELETE FROM entries WHERE id = :id",
    ):
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), ledger.engine.begin() as c:
            c.execute(sa.text(statement), {"id": entry_id})
    with ledger.engine.connect() as c:
        assert c.execute(sa.text("SELECT minutes FROM entries")).scalar_one() == 60


WRITER = """
import sys
from sla_cli.cli.app import main
sys.argv = ["sla", "log", sys.argv[1], "ACME-" + sys.argv[2]]
main()
"""


def test_eight_processes_logging_at_once_lose_nothing(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    write_config(config, default_document())
    url = sqlite_url(tmp_path / "ledger.db")
    open_ledger(url, create=True).engine.dispose()
    env = {
        **os.environ,
        "SLA_CONFIG": str(config),
        "SLA_DATABASE_URL": url,
        "SLA_NOW": "2026-11-24T12:00:00+03:00",
    }
    setup = [
        "contract", "add", "ACME", "--key", "ACME", "--variant", "1", "--tier", "basic",
        "--start", "2026-10-01",
    ]  # fmt: skip
    subprocess.run([sys.executable, "-m", "sla_cli", *setup], env=env, check=True)
    per_process = 5
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                f"import subprocess, sys\nfor i in range({per_process}):\n"
                f"    subprocess.run([sys.executable, '-c', {WRITER!r}, '{n + 1}m', str(i)],"
                " check=True)",
            ],
            env=env,
        )
        for n in range(8)
    ]
    assert [p.wait(timeout=240) for p in procs] == [0] * 8
    with sqlite3.connect(tmp_path / "ledger.db") as conn:
        count, total = conn.execute(
            "SELECT count(*), sum(minutes) FROM entries WHERE type = 'work'"
        ).fetchone()
    assert count == 8 * per_process
    assert total == per_process * sum(range(1, 9))


def test_two_rollovers_at_once_close_each_month_exactly_once(
    backend_url: str, tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    write_config(config, default_document())
    open_ledger(backend_url, create=True).engine.dispose()
    env = {
        **os.environ,
        "SLA_CONFIG": str(config),
        "SLA_DATABASE_URL": backend_url,
        "SLA_NOW": "2026-12-01T12:00:00+03:00",  # months close once over by the real clock
    }

    def sla(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "sla_cli", *args], env=env, capture_output=True, text=True
        )

    for key, variant in (("ACME", "1"), ("PKG", "3")):
        setup = sla("contract", "add", key, "--key", key, "--variant", variant, "--tier",
                    "basic", "--start", "2026-01-01", "--months", "12")  # fmt: skip
        assert setup.returncode == 0, setup.stderr
    assert sla("log", "3h", "ACME-1", "--on", "2026-01-05").returncode == 0
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "sla_cli", "rollover", "--format", "json"],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [json.loads(p.communicate(timeout=120)[0]) for p in runs]
    assert [p.returncode for p in runs] == [0, 0]
    closed = sorted((r["month"], r["client"]) for o in outputs for r in o["closed"])
    expected = sorted((f"2026-{m:02d}", k) for m in range(1, 12) for k in ("ACME", "PKG"))
    assert closed == expected  # every month and contract closed once, by one of the two
    entries = json.loads(sla("entries", "--format", "json").stdout)
    burns = [e for e in entries if e["type"] == "burn"]
    assert len(burns) == 11  # ACME: one burn a month, never two


def test_a_moment_without_a_time_zone_is_never_stored_nor_compared(backend_url: str) -> None:
    """Which zone would it be in? Both drivers refuse it, instead of storing it as UTC (SQLite)
    or as the server's zone (PostgreSQL)."""
    _seed(backend_url)
    ledger = open_ledger(backend_url)
    with ledger.store(write=False) as s:
        with pytest.raises(ValueError, match="naive datetimes"):
            s.db.rows(
                "SELECT id FROM entries WHERE created_at < :at", {"at": datetime(2026, 12, 1)}
            )
        found = s.db.column("SELECT id FROM entries WHERE created_at < :at", {"at": NOW})
        assert found == [] and s.db.number("SELECT count(*) FROM entries") == 1


def test_a_month_is_sealed_from_its_rows_as_from_its_records(backend_url: str) -> None:
    """The seal reads the rows straight from the driver: the same values, on both backends, as
    the entries' records give (so closes sealed before verify as they did)."""
    from sla_cli.domain.month import Month
    from sla_cli.domain.seal import entry_values, month_digest

    contract_id, _ = _seed(backend_url)
    ledger = open_ledger(backend_url)
    with ledger.store() as s:  # every column set: an amount, a start, a note, no kind
        s.db.insert("entries", {
            "contract_id": contract_id, "client_id": 1, "ticket": "ACME-2", "on": date(2026, 11, 3),
            "minutes": 600, "type": "topup", "category": "topup", "kind": None,
            "amount_kopecks": 2900050, "started_at": datetime(2026, 11, 3, 6, 30, 15, tzinfo=UTC),
            "by": "anna", "note": "пакет «Базовый»", "created_at": NOW,
        })  # fmt: skip
    with ledger.store(write=False) as s:
        (contract,) = s.client_contracts(s.find_client("ACME").id)  # type: ignore[union-attr]
        november = Month(2026, 11)
        records = [entry_values(e) for e in s.entries(november, None)]
        rows = [r for batch in s.sealed_rows(november) for r in batch]
        assert len(rows) == len(records) == 2
        assert month_digest(rows, [contract]) == month_digest(records, [contract])
        for row in rows:  # each row alone too: any one column spelt otherwise would show
            (record,) = [r for r in records if r[0] == row[0]]
            assert month_digest([row], []) == month_digest([record], [])
