"""The upgrade path: a ledger written at revision 0001 keeps every row and total through 0002
(its CHECK constraints and the contracts' name snapshot) and 0003 (incident events and contract
changes as append-only logs, the events copied from the incidents' times), on SQLite and
PostgreSQL; SQLite keeps a copy of the old file, and a downgrade gives the old schema back with
the same rows."""

from __future__ import annotations

import importlib.util
import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from sla_cli.config import DEFAULTS
from sla_cli.domain.kinds import Billing, ChangeKind, EntryType, EventKind, WorkKind
from sla_cli.domain.month import Month
from sla_cli.ops.seals import verify
from sla_cli.store.checks import (
    CHANGE_CHECKS,
    CHANGE_MONTHS_CHECK,
    CONTRACT_CHECKS,
    ENTRY_CHECKS,
    EVENT_CHECKS,
    EVENT_VALUE_CHECK,
)
from sla_cli.store.engine import (
    MIGRATIONS,
    SCHEMA_HEAD,
    Ledger,
    alembic_config,
    make_engine,
    open_ledger,
    schema_change,
    schema_version,
)
from sla_cli.store.guards import AUTHORS
from sla_cli.store.models import SQLModel
from tests.conftest import pg_schema, sqlite_url

TABLES = ("clients", "contracts", "closed_months", "closings", "entries", "incidents")
AT = datetime(2026, 10, 1, 6, 0, tzinfo=UTC)


def at(day: int, hour: int = 9, month: int = 10) -> datetime:
    return datetime(2026, month, day, hour - 3, 0, tzinfo=UTC)  # Moscow business hours in UTC


def nov(day: int, hour: int = 9) -> datetime:
    """A moment after the seed's closed October: where an event recorded since may be dated."""
    return at(day, hour, 11)


def contract(id: int, client_id: int, variant: int, billing: str, tier: tuple[str, str],
             minutes: int | None, end: date | None, **terms: Any) -> dict[str, Any]:  # fmt: skip
    return {
        "id": id, "client_id": client_id, "variant": variant, "billing": billing,
        "burns": variant == 1, "tier_key": tier[0], "tier_name": tier[1],
        "included_minutes": minutes, "price_kopecks": 4_200_000, "prepay_discount_bp": 0,
        "hour_rate_kopecks": 300_000, "hour_discount_bp": 0, "dev_cap_minutes": None,
        "reaction_minutes": 120, "start_minutes": 240, "start": date(2026, 10, 1), "end": end,
        "months": None if end is None else 3, "prepaid_months": 1, "timezone": None,
        "created_at": AT, "created_by": "anna", **terms,
    }  # fmt: skip


def entry(id: int, contract_id: int, type: str, minutes: int, **rest: Any) -> dict[str, Any]:
    return {
        "id": id, "contract_id": contract_id, "client_id": contract_id, "ticket": None,
        "on": date(2026, 10, 5), "minutes": minutes, "type": type, "category": type,
        "kind": None, "amount_kopecks": None, "started_at": None, "by": "anna", "note": None,
        "reverses": None, "created_at": at(5), **rest,
    }  # fmt: skip


def incident(id: int, ticket: str, **events: Any) -> dict[str, Any]:
    return {
        "id": id, "contract_id": 1, "client_id": 1, "ticket": ticket, "title": f"{ticket} down",
        "opened_at": at(6, 10), "reacted_at": None, "started_at": None, "resolved_at": None,
        "created_at": at(6, 10), "created_by": "anna", **events,
    }  # fmt: skip


NOV = date(2026, 11, 1)
SEED: dict[str, list[dict[str, Any]]] = {
    "clients": [
        {"id": n, "key": key, "name": f"{key} Ltd", "created_at": AT, "created_by": "anna"}
        for n, key in enumerate(("ACME", "UNL", "PKG", "ODD", "REN"), start=1)
    ],
    "contracts": [
        contract(
            1, 1, 1, "monthly", ("basic", "Базовый"), 900, date(2027, 1, 1), dev_cap_minutes=2400
        ),
        contract(
            2,
            2,
            2,
            "monthly",
            ("standard", "Стандартный"),
            None,
            date(2026, 12, 1),
            prepay_discount_bp=1000,
            hour_discount_bp=5000,
            timezone="Asia/Yekaterinburg",
        ),
        contract(
            3, 3, 3, "package", ("optimal", "Оптимальный"), 1800, None, price_kopecks=8_100_000
        ),
        # a variant and a tier the built-in catalog does not have, and a renamed tier
        contract(4, 4, 7, "package", ("gold", "Золотой"), 600, None),
        contract(5, 5, 1, "monthly", ("basic", "Базовый плюс"), 900, date(2027, 1, 1)),
    ],
    "closed_months": [{"month": "2026-10", "closed_at": at(31, 12), "closed_by": "cron"}],
    "closings": [
        {
            "id": 1,
            "month": "2026-10",
            "contract_id": 1,
            "burned_minutes": 780,
            "overage_minutes": 0,
            "overage_kopecks": 0,
            "carried_minutes": 0,
            "closing_balance_minutes": None,
            "amount_due_kopecks": 4_200_000,
        },
        {
            "id": 2,
            "month": "2026-10",
            "contract_id": 2,
            "burned_minutes": 0,
            "overage_minutes": 90,
            "overage_kopecks": 225_000,
            "carried_minutes": 0,
            "closing_balance_minutes": None,
            "amount_due_kopecks": 22_725_000,
        },
        {
            "id": 3,
            "month": "2026-10",
            "contract_id": 3,
            "burned_minutes": 0,
            "overage_minutes": 0,
            "overage_kopecks": 0,
            "carried_minutes": 1_650,
            "closing_balance_minutes": 1_650,
            "amount_due_kopecks": 8_100_000,
        },
    ],
    "entries": [
        entry(1, 1, "work", 60, ticket="ACME-1", kind="support", note="printer"),
        entry(2, 1, "work", 90, ticket="ACME-2", kind="dev", started_at=at(5, 10)),
        entry(3, 1, "work", 30, ticket="ACME-3", kind="support"),
        entry(
            4,
            1,
            "reversal",
            -30,
            ticket="ACME-3",
            category="work",
            kind="support",
            reverses=3,
            note="voids entry 3",
        ),
        entry(5, 1, "burn", 780, on=date(2026, 10, 31), note="2026-10: unused hours burn"),
        entry(6, 2, "work", 90, ticket="UNL-1", kind="dev"),
        entry(7, 2, "overage", 90, on=date(2026, 10, 31), amount_kopecks=225_000),
        entry(8, 3, "topup", 1_800, on=date(2026, 10, 1), amount_kopecks=8_100_000),
        entry(9, 3, "work", 150, ticket="PKG-1", kind="support"),
        entry(10, 3, "carry", 1_650, on=date(2026, 10, 31)),
        entry(11, 3, "topup", 1_800, on=NOV, amount_kopecks=8_100_000),
        entry(
            12,
            3,
            "reversal",
            -1_800,
            on=NOV,
            category="topup",
            amount_kopecks=-8_100_000,
            reverses=11,
        ),
        entry(13, 3, "work", 2_000, on=NOV, ticket="PKG-2", kind="dev"),
        entry(14, 4, "topup", 0, on=NOV, amount_kopecks=0),  # a tier without hours
        entry(15, 4, "work", 45, on=NOV, ticket="ODD-1", kind="support"),
        entry(16, 4, "overage", 45, on=date(2026, 11, 30), amount_kopecks=112_500),
    ],
    "incidents": [
        incident(1, "ACME-1"),
        incident(2, "ACME-2", reacted_at=at(6, 11), title=None),
        incident(3, "ACME-3", reacted_at=at(6, 11), started_at=at(6, 12)),
        incident(4, "ACME-4", reacted_at=at(6, 11), started_at=at(6, 12), resolved_at=at(7)),
        incident(5, "ACME-5", started_at=at(6, 12)),  # started by the first hours logged
    ],
}

TOTALS = {
    "minutes by type": "SELECT type, sum(minutes), count(*) FROM entries GROUP BY type",
    "minutes by category and kind": (
        "SELECT category, kind, sum(minutes), sum(amount_kopecks) FROM entries "
        "GROUP BY category, kind"
    ),
    "balance of each contract": (
        "SELECT contract_id, sum(CASE WHEN category IN ('topup', 'overage') THEN minutes "
        "WHEN category = 'work' THEN -minutes ELSE 0 END) FROM entries GROUP BY contract_id"
    ),
    "closings": (
        "SELECT month, sum(burned_minutes), sum(overage_minutes), sum(carried_minutes), "
        "sum(amount_due_kopecks) FROM closings GROUP BY month"
    ),
    "open incidents": "SELECT count(*) FROM incidents WHERE resolved_at IS NULL",
}


# --- building a ledger at 0001 and reading it back ---------------------------------------------


def migrate(url: str, revision: str, down: bool = False) -> None:
    engine = make_engine(url, create=True)
    try:
        with schema_change(engine) as conn:
            (command.downgrade if down else command.upgrade)(alembic_config(conn), revision)
    finally:
        engine.dispose()


def tables_at(engine: sa.Engine) -> dict[str, sa.Table]:
    metadata = sa.MetaData()
    with engine.connect() as conn:
        return {name: sa.Table(name, metadata, autoload_with=conn) for name in TABLES}


def ledger_at_0001(url: str) -> dict[str, sa.Table]:
    """A ledger at revision 0001 holding ``SEED``; returns its tables as they were then."""
    migrate(url, "0001")
    engine = make_engine(url)
    try:
        tables = tables_at(engine)
        with engine.begin() as conn:
            for name in TABLES:
                conn.execute(tables[name].insert(), SEED[name])
        return tables
    finally:
        engine.dispose()


Snapshot = dict[str, list[tuple[Any, ...]]]


def rows(engine: sa.Engine, tables: dict[str, sa.Table]) -> Snapshot:
    """Every row of every table, in the columns ``tables`` has, by primary key."""
    with engine.connect() as conn:
        return {
            name: [tuple(r) for r in conn.execute(sa.select(t).order_by(*t.primary_key))]
            for name, t in tables.items()
        }


def _quoted(table: sa.Table) -> list[str]:
    return [f'"{c.name}"' for c in table.columns]


def raw_rows(path: Path, tables: dict[str, sa.Table]) -> Snapshot:
    """The same, as SQLite stores them (no type conversions in between)."""
    with sqlite3.connect(path) as conn:
        snapshot = {
            name: conn.execute(f"SELECT {', '.join(_quoted(t))} FROM {name} ORDER BY 1").fetchall()
            for name, t in tables.items()
        }
    conn.close()
    return snapshot


def totals(engine: sa.Engine) -> dict[str, list[tuple[Any, ...]]]:
    with engine.connect() as conn:
        return {
            what: sorted((tuple(r) for r in conn.execute(sa.text(sql))), key=repr)
            for what, sql in TOTALS.items()
        }


def names(engine: sa.Engine) -> list[tuple[Any, ...]]:
    with engine.connect() as conn:
        return [
            tuple(r)
            for r in conn.execute(
                sa.text(
                    "SELECT id, variant_name, variant_name_en, tier_name, tier_name_en "
                    "FROM contracts ORDER BY id"
                )
            )
        ]


V = DEFAULTS["variants"]
EXPECTED_NAMES = [
    (1, V["1"]["name"], V["1"]["name_en"], "Базовый", "Basic"),
    (2, V["2"]["name"], V["2"]["name_en"], "Стандартный", "Standard"),
    (3, V["3"]["name"], V["3"]["name_en"], "Оптимальный", "Optimal"),
    (4, "Вариант 7", "Variant 7", "Золотой", "Золотой"),
    (5, V["1"]["name"], V["1"]["name_en"], "Базовый плюс", "Базовый плюс"),
]


def check_upgrade(url: str, old_tables: dict[str, sa.Table]) -> None:
    """Open a ledger at 0001 (which upgrades it) and find everything as it was."""
    engine = make_engine(url)
    before, sums = rows(engine, old_tables), totals(engine)
    engine.dispose()
    assert all(len(before[t]) == len(SEED[t]) for t in TABLES)

    ledger = open_ledger(url)
    try:
        assert schema_version(ledger.engine) == SCHEMA_HEAD
        assert rows(ledger.engine, old_tables) == before
        assert totals(ledger.engine) == sums
        assert names(ledger.engine) == EXPECTED_NAMES
        with ledger.store() as s:  # the ledger's own code finds the same package balances
            for contract_id, minutes in sums["balance of each contract"]:
                c = s.contract(contract_id)
                if c.billing == "package":
                    assert s.package_balance(c).current(Month.of(NOV)) == minutes
        check_events(ledger.engine)
        with ledger.store() as s:  # the incidents' state, from their events, is what it was
            for i in SEED["incidents"]:
                found = s.incident(i["id"])
                moments = (found.reacted_at, found.started_at, found.resolved_at)
                assert moments == (i["reacted_at"], i["started_at"], i["resolved_at"])
        for sql in (
            "UPDATE entries SET minutes = 1 WHERE id = 1",
            "UPDATE incident_events SET at = created_at WHERE id = 1",
            "DELETE FROM incident_events WHERE id = 1",
        ):
            with pytest.raises(sa.exc.DBAPIError, match="append-only"), ledger.engine.begin() as c:
                c.execute(sa.text(sql))
        check_sealed(ledger)
    finally:
        ledger.engine.dispose()


def check_sealed(ledger: Ledger) -> None:
    """Months closed before 0004 have no digest, and verify checks them by their figures; the
    tables 0004 guards refuse changes, and entries dated in closed months."""
    with ledger.store() as s:
        found = verify(s)
    assert found.months and found.unsealed == found.months
    assert found.missing_guards == []
    # the seed's closings are written by hand, not by a close: verify compares their figures
    # (and finds they differ), but has no digest to compare
    assert found.differences and "digest" not in {d.figure for d in found.differences}
    # the upgrade sealed every closed month late, and their chain holds
    assert [x.month for x in found.links] == found.months and all(x.late for x in found.links)
    assert not {"incidents", "event"} & {d.figure for d in found.differences}
    # the chain holds; only the seed's overage posted in open November is named, as a close
    # removed would leave it
    chain = [d for d in found.differences if d.figure == "chain"]
    assert [(str(d.month), "posts of a close" in d.stored["problem"]) for d in chain] == [
        ("2026-11", True)
    ]
    for sql in (
        "UPDATE contracts SET price_kopecks = 1 WHERE id = 1",
        "UPDATE incidents SET title = 'changed' WHERE id = 1",
        "DELETE FROM clients WHERE id = 1",
        'INSERT INTO entries (contract_id, client_id, "on", minutes, type, category, by, '
        f"created_at) VALUES (1, 1, '{found.months[0].first_day}', 60, 'work', 'work', 'x', "
        "'2026-11-01 00:00:00')",
    ):
        refused = pytest.raises(sa.exc.DBAPIError, match=r"never changed|is closed")
        with refused, ledger.engine.begin() as c:
            c.execute(sa.text(sql))


def events(engine: sa.Engine) -> list[tuple[Any, ...]]:
    with engine.connect() as conn:
        found = conn.execute(
            sa.text("SELECT incident_id, kind, at, undoes, by FROM incident_events ORDER BY id")
        )
        return [(i, k, _utc(at), u, by) for i, k, at, u, by in found]


def _utc(moment: Any) -> datetime:
    """SQLite hands back text, PostgreSQL an aware datetime."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def check_events(engine: sa.Engine) -> None:
    """Every time an incident held became one event, a resolution after the others."""
    assert events(engine) == [
        (2, "ack", at(6, 11), None, "anna"),
        (3, "ack", at(6, 11), None, "anna"),
        (4, "ack", at(6, 11), None, "anna"),
        (3, "start", at(6, 12), None, "anna"),
        (4, "start", at(6, 12), None, "anna"),
        (5, "start", at(6, 12), None, "anna"),
        (4, "resolve", at(7), None, "anna"),
    ]


# --- the tests --------------------------------------------------------------------------------


def test_an_upgraded_sqlite_ledger_keeps_every_row_and_a_copy_at_0001(tmp_path: Path) -> None:
    path = tmp_path / "ledger.db"
    old_tables = ledger_at_0001(sqlite_url(path))
    before = raw_rows(path, old_tables)
    with sqlite3.connect(path) as conn:
        schema = conn.execute("SELECT * FROM sqlite_master ORDER BY name").fetchall()
    conn.close()

    check_upgrade(sqlite_url(path), old_tables)
    assert raw_rows(path, old_tables) == before
    (backup,) = tmp_path.glob("ledger.db.0001-*.bak")
    assert raw_rows(backup, old_tables) == before
    assert before["entries"][3][:8] == (4, 1, 1, "ACME-3", "2026-10-05", -30, "reversal", "work")
    with sqlite3.connect(backup) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001",)]
        assert conn.execute("SELECT * FROM sqlite_master ORDER BY name").fetchall() == schema
    conn.close()


def test_an_upgraded_postgresql_ledger_keeps_every_row() -> None:
    with pg_schema() as url:
        check_upgrade(url, ledger_at_0001(url))


@pytest.fixture
def upgraded(backend_url: str) -> Iterator[sa.Engine]:
    """A ledger written at 0001 and upgraded."""
    ledger_at_0001(backend_url)
    open_ledger(backend_url).engine.dispose()
    engine = make_engine(backend_url)
    yield engine
    engine.dispose()


def test_the_migrated_schema_is_the_models_schema(upgraded: sa.Engine) -> None:
    with upgraded.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
        if conn.dialect.name == "postgresql":  # 0011: the database's record of who entered
            authored = {(t, "entered_by") for t in AUTHORS}
            differences = [
                d
                for d in differences
                if not (d[0] == "remove_column" and (d[2], d[3].name) in authored)
            ]
        assert differences == []
        inspector = sa.inspect(conn)
        for table, expected in (
            ("contracts", CONTRACT_CHECKS),
            ("entries", ENTRY_CHECKS),
            ("incident_events", {**EVENT_CHECKS, **EVENT_VALUE_CHECK}),
            ("contract_changes", {**CHANGE_CHECKS, **CHANGE_MONTHS_CHECK}),
        ):
            found = {c["name"]: c["sqltext"] for c in inspector.get_check_constraints(table)}
            assert set(found) == set(expected)
            if conn.dialect.name == "sqlite":  # PostgreSQL rewrites the conditions its own way
                assert found == expected


WORK = entry(100, 1, "work", 60, ticket="ACME-9", kind="support", on=NOV)
BAD_ROWS = [
    ("entries", {"type": "bogus", "category": "bogus"}, None),
    ("entries", {"type": "bogus"}, None),
    ("entries", {"kind": "x"}, "ck_entries_kind"),
    ("entries", {"type": "reversal", "category": "reversal", "kind": None, "minutes": -60,
                 "reverses": 1}, "ck_entries_category"),
    ("entries", {"type": "topup", "kind": None}, "ck_entries_category_of_type"),
    ("entries", {"type": "topup", "category": "topup"}, "ck_entries_kind_only_on_work"),
    ("entries", {"type": "reversal", "minutes": -60}, "ck_entries_reversal_reverses"),
    ("entries", {"reverses": 1}, "ck_entries_reversal_reverses"),
    ("entries", {"minutes": 0}, "ck_entries_minutes"),
    ("entries", {"type": "burn", "category": "burn", "kind": None, "minutes": -5},
     "ck_entries_minutes"),
    ("entries", {"type": "reversal", "minutes": 60, "reverses": 1}, "ck_entries_minutes"),
    ("entries", {"type": "topup", "category": "topup", "kind": None, "minutes": -1},
     "ck_entries_minutes"),
    ("contracts", {"billing": "weekly"}, "ck_contracts_billing"),
    ("contracts", {"end": date(2026, 10, 1)}, "ck_contracts_end_after_start"),
    ("contracts", {"prepaid_months": -1}, "ck_contracts_prepaid_months"),
    ("contracts", {"hour_discount_bp": 10_001}, "ck_contracts_discounts"),
    ("contracts", {"prepay_discount_bp": -1}, "ck_contracts_discounts"),
]  # fmt: skip
GOOD_EVENT = {
    "id": 100, "incident_id": 1, "kind": "ack", "at": nov(6, 11), "undoes": None, "note": None,
    "by": "anna", "created_at": nov(6, 11),
}  # fmt: skip
GOOD_CHANGE = {
    "id": 100, "contract_id": 1, "kind": "end", "end": date(2027, 2, 1), "note": "renewed",
    "by": "anna", "created_at": at(6, 11),
}  # fmt: skip
BAD_ROWS += [
    ("incident_events", {"kind": "snooze"}, None),
    ("incident_events", {"kind": "undo"}, "ck_incident_events_undoes"),
    ("incident_events", {"undoes": 999}, "ck_incident_events_undoes"),  # only an undo undoes
    ("incident_events", {"kind": "priority"}, "ck_incident_events_value"),  # to which?
    ("incident_events", {"kind": "wait", "value": "high"}, "ck_incident_events_value"),
    ("contract_changes", {"kind": "pause"}, None),
    ("contract_changes", {"end": None}, "ck_contract_changes_end"),
    ("contract_changes", {"kind": "cancel"}, "ck_contract_changes_end"),
    ("contract_changes", {"months": 3}, "ck_contract_changes_months"),
    ("contract_changes", {"kind": "prepay", "end": None}, "ck_contract_changes_months"),
    (
        "contract_changes",
        {"kind": "prepay", "end": None, "months": 0},
        "ck_contract_changes_months",
    ),
]
GOOD_CONTRACT = {
    **contract(100, 1, 1, "monthly", ("basic", "Базовый"), 900, date(2027, 4, 1)),
    "start": date(2027, 1, 1), "variant_name": "В", "variant_name_en": "V", "tier_name_en": "B",
}  # fmt: skip


@pytest.mark.parametrize(("table", "change", "constraint"), BAD_ROWS)
def test_the_database_refuses_values_outside_the_sets(
    upgraded: sa.Engine, table: str, change: dict[str, Any], constraint: str | None
) -> None:
    good = {
        "entries": WORK,
        "contracts": GOOD_CONTRACT,
        "incident_events": GOOD_EVENT,
        "contract_changes": GOOD_CHANGE,
    }[table]
    target = sa.Table(table, sa.MetaData(), autoload_with=upgraded)
    refused = pytest.raises(sa.exc.IntegrityError, match=constraint or "(?i)check constraint")
    with refused, upgraded.begin() as conn:
        conn.execute(target.insert(), {**good, **change})
    with upgraded.begin() as conn:  # without the bad value the row goes in
        conn.execute(target.insert(), good)


def test_a_downgrade_to_0001_and_back_keeps_every_row(backend_url: str) -> None:
    old_tables = ledger_at_0001(backend_url)
    engine = make_engine(backend_url)
    before, shape = rows(engine, old_tables), _shape(engine)
    open_ledger(backend_url).engine.dispose()
    migrate(backend_url, "0001", down=True)
    assert schema_version(engine) == "0001"
    assert rows(engine, tables_at(engine)) == before  # the old columns, and only those
    assert _shape(engine) == shape
    with pytest.raises(sa.exc.DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM entries WHERE id = 16"))
    open_ledger(backend_url).engine.dispose()
    assert rows(engine, old_tables) == before
    assert names(engine) == EXPECTED_NAMES
    engine.dispose()


def test_a_downgrade_to_0002_writes_back_what_the_events_add_up_to(backend_url: str) -> None:
    """Events recorded since 0003 (an undo, a reopening, a cancellation) leave the incidents'
    old columns holding the state they add up to."""
    ledger_at_0001(backend_url)
    ledger = open_ledger(backend_url)
    new = [
        (1, "ack", nov(6, 11), None),  # 8: incident 1 acknowledged...
        (1, "undo", nov(6, 12), 8),  # 9: ...not after all
        (1, "ack", nov(6, 13), None),  # 10: acknowledged later
        (4, "reopen", nov(8), None),  # 11: incident 4 reopened: no longer resolved
        (3, "resolve", nov(8), None),  # 12
        (2, "cancel", nov(8), None),  # 13: a cancellation, lost on the way down
    ]
    with ledger.engine.begin() as conn:
        for n, (incident, kind, moment, undoes) in enumerate(new, start=8):
            conn.execute(
                sa.text(
                    "INSERT INTO incident_events (id, incident_id, kind, at, undoes, by, "
                    "created_at) VALUES (:n, :i, :k, :at, :u, 'anna', :at)"
                ),
                {"n": n, "i": incident, "k": kind, "at": moment, "u": undoes},
            )
    with ledger.store() as s:
        expected = {
            i["id"]: (r.reacted_at, r.started_at, r.resolved_at)
            for i in SEED["incidents"]
            if (r := s.incident(i["id"]))
        }
    ledger.engine.dispose()
    migrate(backend_url, "0002", down=True)
    engine = make_engine(backend_url)
    with engine.connect() as conn:
        found = conn.execute(
            sa.text("SELECT id, reacted_at, started_at, resolved_at FROM incidents ORDER BY id")
        )
        back = {r[0]: tuple(None if m is None else _utc(m) for m in r[1:]) for r in found}
    engine.dispose()
    assert back == expected
    assert expected[1] == (nov(6, 13), None, None) and expected[4][2] is None
    assert expected[3][2] == nov(8)


@pytest.mark.parametrize("kind", ["wait", "priority"])
def test_a_downgrade_below_0004_with_waits_or_priorities_changes_nothing(
    backend_url: str, kind: str
) -> None:
    """Revision 0003 has no place for a wait or a change of priority: the downgrade fails in
    its one transaction, and the ledger stays at 0004 with every row and guard."""
    ledger_at_0001(backend_url)
    ledger = open_ledger(backend_url)
    with ledger.engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO incident_events (id, incident_id, kind, at, undoes, by, created_at, "
                "value) VALUES (50, 1, :k, :at, NULL, 'anna', :at, :v)"
            ),
            {"k": kind, "at": nov(6, 11), "v": "normal" if kind == "priority" else None},
        )
    before, shape = rows(ledger.engine, tables_at(ledger.engine)), _shape(ledger.engine)
    ledger.engine.dispose()
    with pytest.raises(sa.exc.IntegrityError, match="ck_incident_events_kind"):
        migrate(backend_url, "0003", down=True)
    engine = make_engine(backend_url)
    try:
        assert schema_version(engine) == SCHEMA_HEAD
        assert rows(engine, tables_at(engine)) == before and _shape(engine) == shape
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT kind FROM incident_events WHERE id = 50")).all()
    finally:
        engine.dispose()
    ledger = open_ledger(backend_url)
    try:
        with ledger.store() as s:
            assert verify(s).missing_guards == []
    finally:
        ledger.engine.dispose()


def _shape(engine: sa.Engine) -> dict[str, Any]:
    """Columns, keys, indexes and checks of every table, as the database reports them."""
    with engine.connect() as conn:
        i = sa.inspect(conn)
        return {t: _table_shape(i, t) for t in TABLES}


def _table_shape(i: sa.Inspector, t: str) -> tuple[Any, ...]:
    return (
        [(c["name"], str(c["type"]), c["nullable"]) for c in i.get_columns(t)],
        i.get_pk_constraint(t)["constrained_columns"],
        sorted((k["constrained_columns"], k["referred_table"]) for k in i.get_foreign_keys(t)),
        sorted((x["name"], x["column_names"], x["unique"]) for x in i.get_indexes(t)),
        sorted(u["column_names"] for u in i.get_unique_constraints(t)),
        sorted(c["name"] for c in i.get_check_constraints(t)),
    )


def _migration(number: str) -> ModuleType:
    (path,) = (MIGRATIONS / "versions").glob(f"{number}_*.py")
    spec = importlib.util.spec_from_file_location(f"migration_{number}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_migration_0003_froze_the_sets_the_code_had_then() -> None:
    m = _migration("0003")
    assert m.CHANGE_KINDS == _migration("0005").OLD_CHANGE_KINDS
    assert m.CHANGE_CHECKS["ck_contract_changes_end"] == CHANGE_CHECKS["ck_contract_changes_end"]
    assert m.EVENT_CHECKS["ck_incident_events_undoes"] == EVENT_CHECKS["ck_incident_events_undoes"]


def test_migration_0004_froze_the_event_kinds_the_code_has_today() -> None:
    m = _migration("0004")
    assert tuple(EventKind) == m.EVENT_KINDS
    assert m._kinds(m.EVENT_KINDS) == EVENT_CHECKS["ck_incident_events_kind"]
    assert m.OLD_EVENT_KINDS == _migration("0003").EVENT_KINDS
    assert EVENT_VALUE_CHECK["ck_incident_events_value"] == m.VALUE_CHECK


def test_migration_0005_froze_the_change_kinds_the_code_has_today() -> None:
    m = _migration("0005")
    assert tuple(ChangeKind) == m.CHANGE_KINDS
    assert m._kinds(m.CHANGE_KINDS) == CHANGE_CHECKS["ck_contract_changes_kind"]
    assert CHANGE_MONTHS_CHECK["ck_contract_changes_months"] == m.MONTHS_CHECK


def test_migration_0002_froze_the_sets_and_names_the_code_has_today() -> None:
    m = _migration("0002")
    assert tuple(EntryType) == m.ENTRY_TYPES
    assert tuple(t for t in EntryType if t != EntryType.REVERSAL) == m.CATEGORIES
    assert tuple(WorkKind) == m.WORK_KINDS
    assert tuple(Billing) == m.BILLINGS
    assert m.ENTRY_CHECKS == ENTRY_CHECKS  # holds until a later revision changes the checks
    changed = {"ck_contracts_prepaid_months": "prepaid_months >= 0"}  # by 0013
    assert m.CONTRACT_CHECKS | changed == CONTRACT_CHECKS
    assert _migration("0013").PREPAID_CHECK in changed
    for number, (name, name_en) in m.VARIANT_NAMES.items():
        variant = DEFAULTS["variants"][str(number)]
        assert (name, name_en) == (variant["name"], variant["name_en"])
    tiers = {
        (int(n), t["key"], t["name"]): t["name_en"]
        for n, v in DEFAULTS["variants"].items()
        for t in v["tiers"]
    }
    assert tiers == m.TIER_NAMES_EN


def test_money_beyond_32_bits_is_kept_on_both_backends(backend_url: str) -> None:
    """A package of 30 000 000,00 roubles: 3 000 000 000 kopecks, past PostgreSQL's INTEGER."""
    from sla_cli.config import parse_settings
    from sla_cli.domain.contracts import NewContract
    from sla_cli.ops.contracts import add_contract

    doc = {"variants": {"3": {"tiers": [{"key": "huge", "name": "Огромный", "name_en": "Huge",
                                         "hours": 10000, "price": "30000000.00"}]}}}  # fmt: skip
    settings = parse_settings(doc)
    ledger = open_ledger(backend_url, create=True)
    now = datetime(2026, 11, 24, 9, tzinfo=UTC)
    with ledger.store() as s:
        new = NewContract("Big", "BIG", 3, "huge", date(2026, 10, 1), None)
        add_contract(s, settings.catalog, new, "sales", now)
    with ledger.store(write=False) as s:
        (contract,) = s.client_contracts(s.find_client("BIG").id)  # type: ignore[union-attr]
        assert str(contract.price) == "30000000.00"
        bought = s.packages_bought([contract], Month(2026, 10))[contract.id]
        assert [str(e.amount) for e in bought] == ["30000000.00"]
    ledger.engine.dispose()


def test_a_downgrade_below_0006_keeps_documents_details_and_payments(backend_url: str) -> None:
    ledger = open_ledger(backend_url, create=True)
    now = datetime(2026, 11, 24, 9, tzinfo=UTC)
    with ledger.store() as s:
        s.db.insert("clients", {"key": "ACME", "name": "Acme", "created_at": now,
                                "created_by": "t"})  # fmt: skip
        s.add_client_details(s.find_client("ACME").id, {"inn": "7707083893"}, "t")  # type: ignore[union-attr]
    ledger.engine.dispose()
    with pytest.raises(RuntimeError, match="holds client details"):
        migrate(backend_url, "0005", down=True)
    assert schema_version(make_engine(backend_url)) == SCHEMA_HEAD
