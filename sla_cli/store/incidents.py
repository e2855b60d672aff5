"""Incidents: loading them with the facts their clocks need, saving what was recorded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from typing import Any

from sqlalchemy import exists, func, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from sla_cli.domain.incidents import IncidentRecord
from sla_cli.domain.kinds import EntryType, Event
from sla_cli.domain.records import ContractRecord
from sla_cli.store.models import Client, Contract, Entry, Incident, UTCDateTime
from sla_cli.store.rows import contract_record, wall_clock

_FIELDS = {Event.ACK: "reacted_at", Event.START: "started_at", Event.RESOLVE: "resolved_at"}


def _first_work() -> Any:
    """When the first hours on an incident's ticket began: a correlated subquery.

    Hours logged after the incident was opened count, from their start time (or when they
    were recorded), but not work begun after it was resolved; a reversed entry does not
    count, so undoing a log puts the clock back. "After" is either order: the entry's row was
    written after the incident's (both stamped by the real clock), or its work began at or
    after the opening (both moments the commands were about, which ``SLA_NOW`` may pin).
    """
    reversal = aliased(Entry)
    began = func.coalesce(col(Entry.started_at), col(Entry.created_at))
    return (
        select(func.min(began, type_=UTCDateTime()))
        .where(
            col(Entry.ticket) == col(Incident.ticket),
            col(Entry.client_id) == col(Incident.client_id),
            col(Entry.type) == EntryType.WORK.value,
            or_(
                col(Entry.created_at) >= col(Incident.created_at),
                began >= col(Incident.opened_at),
            ),
            or_(col(Incident.resolved_at).is_(None), began <= col(Incident.resolved_at)),
            ~exists().where(col(reversal.reverses) == col(Entry.id)),
        )
        .correlate(Incident)
        .scalar_subquery()
    )


def _record(i: Incident, client: Client, contract: Contract, first: Any) -> IncidentRecord:
    c = contract_record(contract, client)
    return IncidentRecord(
        id=pk_incident(i),
        client=c.client,
        contract=c,
        ticket=i.ticket,
        title=i.title,
        opened_at=i.opened_at,
        reacted_at=i.reacted_at,
        started_at=i.started_at,
        resolved_at=i.resolved_at,
        first_work=first,
    )


def pk_incident(i: Incident) -> int:
    assert i.id is not None, "row not flushed yet"
    return i.id


@dataclass(frozen=True)
class IncidentQuery:
    """Which incidents to load; days are in the zone ``zone``."""

    zone: tzinfo
    client_id: int | None = None
    open_only: bool = False
    opened_from: date | None = None
    opened_before: date | None = None
    also_unresolved: bool = False  # keep unresolved ones opened before ``opened_from``
    incident_id: int | None = None
    ticket: str | None = None


def incidents(s: Session, q: IncidentQuery) -> list[IncidentRecord]:
    """Incidents, oldest first."""
    stmt = (
        select(Incident, Client, Contract, _first_work())
        .join(Client, col(Client.id) == col(Incident.client_id))
        .join(Contract, col(Contract.id) == col(Incident.contract_id))
    )
    if q.incident_id is not None:
        stmt = stmt.where(Incident.id == q.incident_id)
    if q.client_id is not None:
        stmt = stmt.where(Incident.client_id == q.client_id)
    if q.ticket is not None:
        stmt = stmt.where(Incident.ticket == q.ticket)
    if q.open_only:
        stmt = stmt.where(col(Incident.resolved_at).is_(None))
    if q.opened_from is not None:
        start = datetime.combine(q.opened_from, datetime.min.time(), tzinfo=q.zone)
        after = col(Incident.opened_at) >= start
        unresolved = col(Incident.resolved_at).is_(None)
        stmt = stmt.where(or_(after, unresolved) if q.also_unresolved else after)
    if q.opened_before is not None:
        end = datetime.combine(q.opened_before, datetime.min.time(), tzinfo=q.zone)
        stmt = stmt.where(col(Incident.opened_at) < end)
    stmt = stmt.order_by(col(Incident.opened_at), col(Incident.id))
    return [_record(*row) for row in s.exec(stmt).all()]


def latest(s: Session, client_id: int, ticket: str, open_only: bool) -> IncidentRecord | None:
    """The ticket's latest incident (or its open one)."""
    stmt = (
        select(Incident.id)
        .where(Incident.ticket == ticket, Incident.client_id == client_id)
        .order_by(col(Incident.opened_at).desc())
        .limit(1)
    )
    if open_only:
        stmt = stmt.where(col(Incident.resolved_at).is_(None))
    found = s.exec(stmt).first()
    return None if found is None else one(s, found)


def one(s: Session, incident_id: int) -> IncidentRecord:
    (row,) = incidents(s, IncidentQuery(zone=UTC, incident_id=incident_id))
    return row


def add_incident(
    s: Session,
    contract: ContractRecord,
    ticket: str,
    title: str | None,
    at: datetime,
    user: str,
) -> IncidentRecord:
    row = Incident(
        contract_id=contract.id,
        client_id=contract.client.id,
        ticket=ticket,
        title=title,
        opened_at=at,
        created_at=wall_clock(s),
        created_by=user,
    )
    s.add(row)
    s.flush()
    return one(s, pk_incident(row))


def record_event(s: Session, incident_id: int, event: Event, at: datetime) -> IncidentRecord:
    row = s.get(Incident, incident_id)
    assert row is not None
    setattr(row, _FIELDS[event], at)
    s.add(row)
    s.flush()
    return one(s, incident_id)


__all__ = ["IncidentQuery", "add_incident", "incidents", "latest", "one", "record_event"]
