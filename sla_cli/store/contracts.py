"""Clients and contracts: loading them as records, saving what the rules decided."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import func, or_
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select

if TYPE_CHECKING:
    from sla_cli.domain.contracts import ContractDraft

from sla_cli.domain.month import Month
from sla_cli.domain.records import ClientRecord, ContractRecord
from sla_cli.store.models import Client, Contract
from sla_cli.store.rows import client_record, contract_record, pk, to_bp, to_kopecks, wall_clock


def known_keys(s: Session) -> list[str]:
    return list(s.exec(select(Client.key).order_by(Client.key)))


def find_client(s: Session, key: str) -> ClientRecord | None:
    row = s.exec(select(Client).where(Client.key == key.upper())).first()
    return None if row is None else client_record(row)


Joined = Select[Contract, Client]


def _with_client(s: Session, stmt: Joined) -> list[ContractRecord]:
    return [contract_record(c, cl) for c, cl in s.exec(stmt).all()]


def _contracts() -> Joined:
    return select(Contract, Client).join(Client, col(Client.id) == col(Contract.client_id))


def contract_on(s: Session, client_id: int, on: date) -> ContractRecord | None:
    """The client's contract active on ``on``."""
    stmt = (
        _contracts()
        .where(Contract.client_id == client_id, Contract.start <= on)
        .where(or_(col(Contract.end).is_(None), col(Contract.end) > on))
        .order_by(col(Contract.start).desc())
        .limit(1)
    )
    found = _with_client(s, stmt)
    return found[0] if found else None


def client_contracts(s: Session, client_id: int) -> tuple[ContractRecord, ...]:
    stmt = _contracts().where(Contract.client_id == client_id)
    return tuple(_with_client(s, stmt.order_by(col(Contract.start))))


def contract(s: Session, contract_id: int) -> ContractRecord:
    stmt = _contracts().where(Contract.id == contract_id)
    (found,) = _with_client(s, stmt)
    return found


def all_contracts(s: Session) -> list[ContractRecord]:
    stmt = _contracts().order_by(col(Client.key), col(Contract.start))
    return _with_client(s, stmt)


def active_contracts(
    s: Session, month: Month, client_id: int | None = None
) -> list[ContractRecord]:
    """Contracts that cover any day of ``month``."""
    first, nxt = month.bounds
    stmt = (
        _contracts()
        .where(col(Contract.start) < nxt)
        .where(or_(col(Contract.end).is_(None), col(Contract.end) > first))
    )
    if client_id is not None:
        stmt = stmt.where(Contract.client_id == client_id)
    return _with_client(s, stmt.order_by(col(Client.key), col(Contract.start)))


def earliest_start(s: Session) -> date | None:
    return s.exec(select(func.min(Contract.start))).one()


def save_contract(s: Session, draft: ContractDraft, user: str) -> ContractRecord:
    """Write a signed contract (and its client, when new), stamped by the real clock."""
    now = wall_clock(s)
    client = s.exec(select(Client).where(Client.key == draft.key)).first()
    if client is None:
        client = Client(key=draft.key, name=draft.client_name, created_at=now, created_by=user)
        s.add(client)
        s.flush()
    v, t = draft.variant, draft.tier
    row = Contract(
        client_id=pk(client),
        variant=v.number,
        variant_name=v.name,
        variant_name_en=v.name_en,
        billing=v.billing.value,
        burns=v.burns,
        tier_key=t.key,
        tier_name=t.name,
        tier_name_en=t.name_en,
        included_minutes=t.minutes,
        price_kopecks=to_kopecks(t.price),
        prepay_discount_bp=to_bp(draft.prepay_discount),
        hour_rate_kopecks=to_kopecks(draft.hour_rate),
        hour_discount_bp=to_bp(draft.hour_discount),
        dev_cap_minutes=None if v.dev_cap_hours is None else v.dev_cap_hours * 60,
        reaction_minutes=v.reaction_minutes,
        start_minutes=v.start_minutes,
        start=draft.start,
        end=draft.end,
        months=draft.months,
        prepaid_months=draft.prepaid_months,
        timezone=draft.timezone,
        created_at=now,
        created_by=user,
    )
    s.add(row)
    s.flush()
    return contract_record(row, client)


def set_end(s: Session, contract_id: int, end: date, months: int | None) -> ContractRecord:
    row = s.get(Contract, contract_id)
    assert row is not None
    row.end = end
    row.months = months
    s.add(row)
    s.flush()
    return contract(s, contract_id)
