"""Finding what a command names: a client by key, a ticket's client, the contract of a day."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from sla_cli.domain.month import Month
from sla_cli.domain.records import ClientRecord, ContractRecord
from sla_cli.domain.text import ticket_key
from sla_cli.errors import ClosedPeriod, InputError, NotFound

if TYPE_CHECKING:
    from sla_cli.store.store import Store


def client_by_key(s: Store, key: str) -> ClientRecord:
    client = s.find_client(key)
    if client is None:
        keys = s.known_keys()
        hint = f"known keys: {', '.join(keys)}" if keys else "no clients yet: `sla contract add`"
        raise NotFound(f"unknown client key {key!r}; {hint}")
    return client


def client_id(s: Store, key: str | None) -> int | None:
    """The id of the client ``--client`` names, or None when it names none."""
    return None if key is None else client_by_key(s, key).id


def ticket_client(s: Store, ticket: str, client_key: str | None) -> ClientRecord:
    """The client a ticket belongs to: ``--client``, else the ticket's key, never both differing."""
    head = ticket_key(ticket)
    if client_key is None:
        if head is None:
            raise InputError(
                f"cannot tell the client from the ticket {ticket!r}; "
                "use KEY-NUMBER (ACME-12) or give --client KEY"
            )
        return client_by_key(s, ticket.partition("-")[0])
    client = client_by_key(s, client_key)
    named = ticket.partition("-")[0].upper() if "-" in ticket else None
    if named and named != client.key:
        other = s.find_client(named)
        if other is not None:
            raise InputError(
                f"the ticket {ticket} names client {other.key}, not {client.key}; "
                "drop --client or fix the ticket"
            )
    return client


def covering(client: ClientRecord, contracts: Sequence[ContractRecord], on: date) -> ContractRecord:
    """Of the client's contracts in force, the one active on ``on`` (the latest started)."""
    found = [c for c in contracts if c.cancelled is None and c.covers(on)]
    if not found:
        raise NotFound(f"{client.key} has no contract active on {on.isoformat()}")
    return max(found, key=lambda c: c.start)


def contract_on(s: Store, client: ClientRecord, on: date) -> ContractRecord:
    """The client's contract active on ``on``."""
    contract = s.contract_on(client.id, on)
    if contract is None:
        raise NotFound(f"{client.key} has no contract active on {on.isoformat()}")
    return contract


def ensure_open(s: Store, on: date) -> None:
    """Refuse a write dated in a closed month (and keep a month close out meanwhile)."""
    s.lock_for_write()
    month = Month.of(on)
    if s.is_closed(month):
        raise ClosedPeriod(
            f"{month} is closed and its statement final; "
            "post the adjustment dated in an open month instead"
        )
