"""Clients and contracts: loading them as records, saving what the rules decided."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from sla_cli.domain.kinds import ChangeKind
from sla_cli.domain.month import Month
from sla_cli.domain.records import ClientRecord, ContractChange, ContractRecord
from sla_cli.store import sql
from sla_cli.store.base import Part
from sla_cli.store.convert import (
    change_record,
    client_record,
    contract_record,
    priorities_to_json,
    to_bp,
    to_kopecks,
)
from sla_cli.store.selects import contracts_sql

if TYPE_CHECKING:
    from sla_cli.domain.contracts import ContractDraft
    from sla_cli.store.db import Db


_CHUNK = 500  # ids a query looks up at once


def contract_changes(db: Db, ids: Sequence[int]) -> dict[int, tuple[ContractChange, ...]]:
    """Each contract's changes, oldest first (none: an empty tuple)."""
    found: dict[int, list[ContractChange]] = {i: [] for i in ids}
    for at in range(0, len(ids), _CHUNK):
        rows = db.rows(
            "SELECT * FROM contract_changes WHERE contract_id IN (:ids) ORDER BY id",
            {"ids": list(ids[at : at + _CHUNK])},
        )
        for r in rows:
            found[r.contract_id].append(change_record(r))
    return {i: tuple(changes) for i, changes in found.items()}


def with_changes(db: Db, rows: Sequence[Any]) -> list[ContractRecord]:
    """Contracts from their rows (``contracts_sql``), each with its changes."""
    found = [contract_record(r) for r in rows]
    changes = contract_changes(db, sorted({c.id for c in found}))
    return [c._replace(changes=changes[c.id]) if changes[c.id] else c for c in found]


class Contracts(Part):
    """Clients and their contracts."""

    def known_keys(self) -> list[str]:
        return self.db.column("SELECT key FROM clients ORDER BY key")

    def client_names(self) -> tuple[tuple[str, str], ...]:
        """Every client's key and name."""
        return tuple(
            (r.key, r.name) for r in self.db.rows("SELECT key, name FROM clients ORDER BY key")
        )

    def find_client(self, key: str) -> ClientRecord | None:
        row = self.db.row("SELECT * FROM clients WHERE key = :key", {"key": key.upper()})
        return None if row is None else client_record(row)

    def _contracts(self, where: str, params: dict[str, Any], order: str) -> list[ContractRecord]:
        return with_changes(
            self.db,
            self.db.rows(f"{contracts_sql(self.db)} WHERE {where} ORDER BY {order}", params),
        )

    def contract_on(self, client_id: int, on: date) -> ContractRecord | None:
        """The client's contract in force active on ``on`` (the latest started)."""
        return self._latest(client_id, on, sql.covers("on"))

    def latest_started(self, client_id: int, on: date) -> ContractRecord | None:
        """The client's contract (not cancelled) that started last, on or before ``on``."""
        return self._latest(client_id, on, "c.start <= :on")

    def _latest(self, client_id: int, on: date, where: str) -> ContractRecord | None:
        found = self._contracts(
            f"c.client_id = :client AND {where} AND {sql.in_force()}",
            {"client": client_id, "on": on},
            "c.start DESC LIMIT 1",
        )
        return found[0] if found else None

    def client_contracts(
        self, client_id: int, with_cancelled: bool = False
    ) -> tuple[ContractRecord, ...]:
        """The client's contracts, by start (cancelled ones only when asked for)."""
        where = "c.client_id = :client" + ("" if with_cancelled else f" AND {sql.in_force()}")
        return tuple(self._contracts(where, {"client": client_id}, "c.start, c.id"))

    def contract(self, contract_id: int) -> ContractRecord:
        (found,) = self._contracts("c.id = :id", {"id": contract_id}, "c.id")
        return found

    def all_contracts(self, with_cancelled: bool = False) -> list[ContractRecord]:
        where = "1 = 1" if with_cancelled else sql.in_force()
        return self._contracts(where, {}, "k.key, c.start")

    def active_contracts(self, month: Month, client_id: int | None = None) -> list[ContractRecord]:
        """Contracts in force that cover any day of ``month``."""
        first, nxt = month.bounds
        where = f"c.start < :next AND {sql.ends_after('first')} AND {sql.in_force()}"
        if client_id is not None:
            where += " AND c.client_id = :client"
        params = {"first": first, "next": nxt, "client": client_id}
        return self._contracts(where, params, "k.key, c.start")

    def contracts_over(
        self, first: Month, last: Month, client_id: int | None = None
    ) -> list[ContractRecord]:
        """Contracts in force that cover any day of ``first``–``last``, in one query."""
        where = f"c.start < :next AND {sql.ends_after('first')} AND {sql.in_force()}"
        if client_id is not None:
            where += " AND c.client_id = :client"
        params = {"first": first.first_day, "next": last.plus(1).first_day, "client": client_id}
        return self._contracts(where, params, "k.key, c.start")

    def earliest_start(self) -> date | None:
        found = self.db.row(f"SELECT min(c.start) AS start FROM contracts c WHERE {sql.in_force()}")
        value = None if found is None else found.start
        return date.fromisoformat(value) if isinstance(value, str) else value

    def save_contract(self, draft: ContractDraft, user: str) -> ContractRecord:
        """Write a signed contract (and its client, when new), stamped by the real clock."""
        now = self.db.clock()
        client = self.find_client(draft.key)
        if client is None:
            values = {"key": draft.key, "name": draft.client_name, "created_at": now,
                      "created_by": user}  # fmt: skip
            client = ClientRecord(self.db.insert("clients", values), draft.key, draft.client_name)
        v, t = draft.variant, draft.tier
        values = {
            "client_id": client.id,
            "variant": v.number,
            "variant_name": v.name,
            "variant_name_en": v.name_en,
            "billing": v.billing.value,
            "burns": v.burns,
            "tier_key": t.key,
            "tier_name": t.name,
            "tier_name_en": t.name_en,
            "included_minutes": t.minutes,
            "price_kopecks": to_kopecks(t.price),
            "prepay_discount_bp": to_bp(draft.prepay_discount),
            "hour_rate_kopecks": to_kopecks(draft.hour_rate),
            "hour_discount_bp": to_bp(draft.hour_discount),
            "dev_cap_minutes": None if v.dev_cap_hours is None else v.dev_cap_hours * 60,
            "reaction_minutes": v.reaction_minutes,
            "start_minutes": v.start_minutes,
            "start": draft.start,
            "end": draft.end,
            "months": draft.months,
            "prepaid_months": draft.prepaid_months,
            "timezone": draft.timezone,
            "created_at": now,
            "created_by": user,
            "priorities": priorities_to_json(v.priority_table) if v.priorities else None,
        }
        return self.contract(self.db.insert("contracts", values))

    def add_change(
        self,
        contract_id: int,
        kind: ChangeKind,
        end: date | None,
        note: str | None,
        user: str,
        months: int | None = None,
        pays_from: date | None = None,
    ) -> ContractRecord:
        """Append a change to the contract's log: its end moved, it was cancelled, or months
        were paid in advance (from ``pays_from`` when unpaid months lie before them); stamped
        by the real clock."""
        self.db.insert(
            "contract_changes",
            {"contract_id": contract_id, "kind": kind.value, "end": end, "months": months,
             "pays_from": pays_from, "note": note, "by": user, "created_at": self.db.clock()},
        )  # fmt: skip
        return self.contract(contract_id)
