"""Finding what a command names: a client by key, a ticket's client, the contract of a day."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from sla_cli.domain.month import Month
from sla_cli.domain.records import ClientRecord, ContractRecord
from sla_cli.domain.text import ticket_key
from sla_cli.errors import ClosedPeriod, InputError, NotFound
from sla_cli.store import contracts as store
from sla_cli.store import months


def client_by_key(s: Session, key: str) -> ClientRecord:
    client = store.find_client(s, key)
    if client is None:
        keys = store.known_keys(s)
        hint = f"known keys: {', '.join(keys)}" if keys else "no clients yet: `sla contract add`"
        raise NotFound(f"unknown client key {key!r}; {hint}")
    return client


def client_id(s: Session, key: str | None) -> int | None:
    """The id of the client ``--client`` names, or None when it names none."""
    return None if key is None else client_by_key(s, key).id


def ticket_client(s: Session, ticket: str, client_key: str | None) -> ClientRecord:
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
        other = store.find_client(s, named)
        if other is not None:
            raise InputError(
                f"the ticket {ticket} names client {other.key}, not {client.key}; "
                "drop --client or fix the ticket"
            )
    return client


def contract_on(s: Session, client: ClientRecord, on: date) -> ContractRecord:
    """The client's contract active on ``on``."""
    contract = store.contract_on(s, client.id, on)
    if contract is None:
        raise NotFound(f"{client.key} has no contract active on {on.isoformat()}")
    return contract


def ensure_open(s: Session, on: date) -> None:
    """Refuse a write dated in a closed month (and keep a month close out meanwhile)."""
    months.lock_for_write(s)
    month = Month.of(on)
    if months.is_closed(s, month):
        raise ClosedPeriod(
            f"{month} is closed and its statement final; "
            "post the adjustment dated in an open month instead"
        )
