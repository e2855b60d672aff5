"""Rows in, records out: the store's conversions between SQL rows and the domain's records.

Money is stored as whole kopecks, percentages as basis points (1/100 %).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Protocol, TypeVar

from sqlalchemy import func, select
from sqlmodel import Session, SQLModel, col
from sqlmodel import select as select_rows

from sla_cli.domain.kinds import Billing, EntryType, WorkKind
from sla_cli.domain.money import round_money
from sla_cli.domain.records import ClientRecord, ContractRecord, EntryRecord
from sla_cli.domain.tariffs import Priority
from sla_cli.errors import LedgerError
from sla_cli.store.models import Client, Contract, Entry


class Keyed(Protocol):
    id: int | None


def pk(row: Keyed) -> int:
    """The primary key of a flushed row."""
    assert row.id is not None, "row not flushed yet"
    return row.id


def wall_clock(s: Session) -> datetime:
    """When a row is written: the real clock, never the moment a command is about (``SLA_NOW``
    pins that one). PostgreSQL's own clock (``CURRENT_TIMESTAMP``, the transaction's start), so
    a team's ledger stamps rows by one clock; this machine's on SQLite."""
    if s.get_bind().dialect.name == "postgresql":
        stamp: datetime = s.execute(select(func.current_timestamp())).scalar_one()
        return stamp.astimezone(UTC).replace(microsecond=0)
    return datetime.now(UTC).replace(microsecond=0)


def to_kopecks(amount: Decimal) -> int:
    """Whole kopecks, as the ledger's 64-bit money columns hold them."""
    kopecks = int(round_money(amount) * 100)
    if not -(2**63) <= kopecks < 2**63:
        raise LedgerError(f"the amount {amount} is too large for the ledger")
    return kopecks


def from_kopecks(value: int) -> Decimal:
    return (Decimal(value) / 100).quantize(Decimal("0.01"))


def to_bp(percent: Decimal) -> int:
    return int((percent * 100).to_integral_value())


def from_bp(value: int) -> Decimal:
    return Decimal(value) / 100


def client_record(row: Client) -> ClientRecord:
    return ClientRecord(id=pk(row), key=row.key, name=row.name)


def contract_record(row: Contract, client: Client) -> ContractRecord:
    return ContractRecord(
        id=pk(row),
        client=client_record(client),
        variant=row.variant,
        variant_name=row.variant_name,
        variant_name_en=row.variant_name_en,
        billing=Billing(row.billing),
        burns=row.burns,
        tier_key=row.tier_key,
        tier_name=row.tier_name,
        tier_name_en=row.tier_name_en,
        included_minutes=row.included_minutes,
        price=from_kopecks(row.price_kopecks),
        prepay_discount=from_bp(row.prepay_discount_bp),
        hour_rate=from_kopecks(row.hour_rate_kopecks),
        hour_discount=from_bp(row.hour_discount_bp),
        dev_cap_minutes=row.dev_cap_minutes,
        reaction_minutes=row.reaction_minutes,
        start_minutes=row.start_minutes,
        start=row.start,
        signed_end=row.end,
        signed_months=row.months,
        prepaid_months=row.prepaid_months,
        timezone=row.timezone,
        created_at=row.created_at,
        created_by=row.created_by,
        priorities=priorities_from_json(row.priorities),
    )


def priorities_to_json(priorities: Sequence[Priority]) -> str:
    return json.dumps([asdict(p) for p in priorities], separators=(",", ":"))


def priorities_from_json(text: str | None) -> tuple[Priority, ...]:
    return () if not text else tuple(Priority(**p) for p in json.loads(text))


def entry_record(row: Entry, client_key: str) -> EntryRecord:
    return EntryRecord(
        id=pk(row),
        contract_id=row.contract_id,
        client_id=row.client_id,
        client_key=client_key,
        ticket=row.ticket,
        on=row.on,
        minutes=row.minutes,
        type=EntryType(row.type),
        category=EntryType(row.category),
        kind=None if row.kind is None else WorkKind(row.kind),
        amount=None if row.amount_kopecks is None else from_kopecks(row.amount_kopecks),
        started_at=row.started_at,
        by=row.by,
        note=row.note,
        reverses=row.reverses,
        created_at=row.created_at,
    )


Row = TypeVar("Row", bound=SQLModel)


def children(s: Session, model: type[Row], parent: Any, ids: Sequence[int]) -> dict[int, list[Row]]:
    """The rows of ``model`` whose ``parent`` column holds one of ``ids``, by parent id, oldest
    first: append-only logs (events, changes) loaded for many records in a few queries."""
    found: dict[int, list[Row]] = {i: [] for i in ids}
    for chunk in range(0, len(ids), 500):
        part = ids[chunk : chunk + 500]
        rows = s.exec(select_rows(model).where(col(parent).in_(part)).order_by(col(model.id)))  # type: ignore[attr-defined]
        for row in rows:
            found[getattr(row, parent.key)].append(row)
    return found
