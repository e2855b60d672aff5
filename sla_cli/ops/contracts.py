"""Signing, ending and listing contracts; buying packages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlmodel import Session

from sla_cli.domain.contracts import NewContract, Signing, end_of, sign
from sla_cli.domain.kinds import Billing, EntryType
from sla_cli.domain.month import Month
from sla_cli.domain.records import ContractRecord, EntryRecord
from sla_cli.domain.statement import package_note
from sla_cli.domain.tariffs import Tier
from sla_cli.domain.text import MAX_NAME, check_author, check_text
from sla_cli.errors import InputError
from sla_cli.ops.lookup import client_by_key, contract_on, ensure_open
from sla_cli.store import contracts as store
from sla_cli.store import entries, months
from sla_cli.timeparse import zone_exists

if TYPE_CHECKING:
    from sla_cli.domain.tariffs import Catalog


@dataclass(frozen=True)
class Bought:
    """A package bought: its entry and the balance after it."""

    entry: EntryRecord
    balance: int


def add_contract(
    s: Session, catalog: Catalog, new: NewContract, user: str, now: datetime
) -> ContractRecord:
    """Sign a contract on the catalog's terms; a package contract buys its first package."""
    check_text(new.client_name, MAX_NAME, "the client's name")
    user = check_author(user)
    if new.timezone and not zone_exists(new.timezone):
        raise InputError(f"unknown time zone {new.timezone!r}; use a name like Europe/Moscow")
    existing = store.find_client(s, new.key.strip().upper())
    facts = Signing(
        client_name=None if existing is None else existing.name,
        latest_closed=months.latest_closed(s),
        others=() if existing is None else store.client_contracts(s, existing.id),
        now=now,
        user=user,
    )
    draft = sign(catalog, new, facts)
    contract = store.save_contract(s, draft, user)
    if draft.first_package:
        _buy(s, contract, draft.tier, new.start, user)
    return contract


def _buy(s: Session, contract: ContractRecord, tier: Tier, on: date, user: str) -> EntryRecord:
    new = entries.NewEntry(
        contract=contract,
        on=on,
        minutes=tier.minutes or 0,
        type=EntryType.TOPUP,
        by=user,
        note=package_note(tier.name),
        amount=tier.price,
    )
    return entries.add_entry(s, new)


def topup(
    s: Session,
    catalog: Catalog,
    key: str,
    tier: str | None,
    on: date,
    user: str,
    now: datetime,
    today: date | None = None,
) -> Bought:
    """Buy another package for a variant 3 contract; ``today`` (default: ``on``) dates the
    balance shown after it."""
    user = check_author(user)
    client = client_by_key(s, key)
    contract = contract_on(s, client, on)
    if contract.billing != Billing.PACKAGE:
        raise InputError(
            f"{client.key} is on variant {contract.variant}: only packages are topped up"
        )
    ensure_open(s, on)
    package = catalog.variant(contract.variant).tier(tier or contract.tier_key)
    entry = _buy(s, contract, package, on, user)
    return Bought(entry, entries.package_balance(s, contract).current(Month.of(today or on)))


def end_contract(s: Session, catalog: Catalog, key: str, last: date) -> ContractRecord:
    """End a contract after ``last``, its last day (a package contract, or one ended early)."""
    client = client_by_key(s, key)
    contract = contract_on(s, client, last)
    ensure_open(s, last)
    end = date.fromordinal(last.toordinal() + 1)
    later = entries.count_from(s, contract.id, end)
    minimum = catalog.variant(contract.variant).min_months
    end, term = end_of(contract, last, minimum, later)
    return store.set_end(s, contract.id, end, term)


@dataclass(frozen=True)
class ContractLine:
    contract: ContractRecord
    balance: int | None  # package contracts: the balance now


def list_contracts(s: Session, today: date) -> list[ContractLine]:
    """Every contract; a package's balance as it stands ``today``, earlier open months closed
    as their closes will close them."""
    month = Month.of(today)
    return [
        ContractLine(
            c,
            entries.package_balance(s, c).current(month) if c.billing == Billing.PACKAGE else None,
        )
        for c in store.all_contracts(s)
    ]
