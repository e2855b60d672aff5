"""Clients and contracts: loading them as records, saving what the rules decided."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import exists, func, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select

if TYPE_CHECKING:
    from sla_cli.domain.contracts import ContractDraft

from sla_cli.domain.kinds import ChangeKind
from sla_cli.domain.month import Month
from sla_cli.domain.records import ClientRecord, ContractChange, ContractRecord
from sla_cli.store.convert import (
    change_record,
    client_record,
    contract_record,
    pk,
    priorities_to_json,
    to_bp,
    to_kopecks,
)
from sla_cli.store.models import Client, Contract
from sla_cli.store.models import ContractChange as ChangeRow
from sla_cli.store.rows import children, wall_clock


def known_keys(s: Session) -> list[str]:
    return list(s.exec(select(Client.key).order_by(Client.key)))


def client_names(s: Session) -> tuple[tuple[str, str], ...]:
    """Every client's key and name."""
    return tuple(s.exec(select(Client.key, Client.name).order_by(Client.key)).all())


def find_client(s: Session, key: str) -> ClientRecord | None:
    row = s.exec(select(Client).where(Client.key == key.upper())).first()
    return None if row is None else client_record(row)


Joined = Select[Contract, Client]


def _with_client(s: Session, stmt: Joined) -> list[ContractRecord]:
    found = [contract_record(c, cl) for c, cl in s.exec(stmt).all()]
    changes = contract_changes(s, [c.id for c in found])
    return [c._replace(changes=changes[c.id]) if changes[c.id] else c for c in found]


def contract_changes(s: Session, ids: list[int]) -> dict[int, tuple[ContractChange, ...]]:
    """Each contract's changes, oldest first (none: an empty tuple)."""
    return {
        i: tuple(change_record(r) for r in rows)
        for i, rows in children(s, ChangeRow, ChangeRow.contract_id, ids).items()
    }


def _contracts() -> Joined:
    return select(Contract, Client).join(Client, col(Client.id) == col(Contract.client_id))


def effective_end() -> Any:
    """The end in force, in SQL: the latest end change's, else the end as signed (the SQL form
    of ``ContractRecord.end``, for filtering)."""
    latest = (
        select(col(ChangeRow.end))
        .where(col(ChangeRow.contract_id) == col(Contract.id))
        .where(col(ChangeRow.kind) == ChangeKind.END.value)
        .order_by(col(ChangeRow.id).desc())
        .limit(1)
        .correlate(Contract)
        .scalar_subquery()
    )
    return func.coalesce(latest, col(Contract.end))


def cancelled() -> Any:
    change = aliased(ChangeRow)
    return exists().where(
        col(change.contract_id) == col(Contract.id), col(change.kind) == ChangeKind.CANCEL.value
    )


def _in_force() -> Joined:
    """Contracts not cancelled."""
    return _contracts().where(~cancelled())


def _ends_after(day: date) -> Any:
    end = effective_end()
    return or_(end.is_(None), end > day)


def contract_on(s: Session, client_id: int, on: date) -> ContractRecord | None:
    """The client's contract active on ``on``."""
    stmt = (
        _in_force()
        .where(Contract.client_id == client_id, Contract.start <= on)
        .where(_ends_after(on))
        .order_by(col(Contract.start).desc())
        .limit(1)
    )
    found = _with_client(s, stmt)
    return found[0] if found else None


def latest_started(s: Session, client_id: int, on: date) -> ContractRecord | None:
    """The client's contract (not cancelled) that started last, on or before ``on``."""
    stmt = (
        _in_force()
        .where(Contract.client_id == client_id, Contract.start <= on)
        .order_by(col(Contract.start).desc())
        .limit(1)
    )
    found = _with_client(s, stmt)
    return found[0] if found else None


def client_contracts(
    s: Session, client_id: int, with_cancelled: bool = False
) -> tuple[ContractRecord, ...]:
    """The client's contracts, by start (cancelled ones only when asked for)."""
    stmt = (_contracts() if with_cancelled else _in_force()).where(Contract.client_id == client_id)
    return tuple(_with_client(s, stmt.order_by(col(Contract.start), col(Contract.id))))


def contract(s: Session, contract_id: int) -> ContractRecord:
    stmt = _contracts().where(Contract.id == contract_id)
    (found,) = _with_client(s, stmt)
    return found


def all_contracts(s: Session, with_cancelled: bool = False) -> list[ContractRecord]:
    stmt = (_contracts() if with_cancelled else _in_force()).order_by(
        col(Client.key), col(Contract.start)
    )
    return _with_client(s, stmt)


def active_contracts(
    s: Session, month: Month, client_id: int | None = None
) -> list[ContractRecord]:
    """Contracts in force that cover any day of ``month``."""
    first, nxt = month.bounds
    stmt = _in_force().where(col(Contract.start) < nxt).where(_ends_after(first))
    if client_id is not None:
        stmt = stmt.where(Contract.client_id == client_id)
    return _with_client(s, stmt.order_by(col(Client.key), col(Contract.start)))


def earliest_start(s: Session) -> date | None:
    return s.exec(select(func.min(Contract.start)).where(~cancelled())).one()


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
        priorities=priorities_to_json(v.priority_table) if v.priorities else None,
    )
    s.add(row)
    s.flush()
    return contract_record(row, client)


def add_change(
    s: Session,
    contract_id: int,
    kind: ChangeKind,
    end: date | None,
    note: str | None,
    user: str,
    months: int | None = None,
) -> ContractRecord:
    """Append a change to the contract's log: its end moved, it was cancelled, or months were
    paid in advance; stamped by the real clock."""
    s.add(
        ChangeRow(
            contract_id=contract_id,
            kind=kind.value,
            end=end,
            months=months,
            note=note,
            by=user,
            created_at=wall_clock(s),
        )
    )
    s.flush()
    return contract(s, contract_id)
