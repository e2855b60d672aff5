"""Incidents: loading them with the facts their clocks need, saving what was recorded."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from typing import Any

from sqlalchemy import case, exists, func, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from sla_cli.domain.incident_events import IncidentEvent
from sla_cli.domain.incidents import IncidentRecord, NewEvent
from sla_cli.domain.kinds import EntryType, EventKind
from sla_cli.domain.records import ContractRecord
from sla_cli.store.contracts import contract_changes
from sla_cli.store.convert import event_record, incident_record, pk
from sla_cli.store.models import (
    Client,
    Contract,
    Entry,
    Incident,
    Timer,
    TimerEnd,
    UTCDateTime,
)
from sla_cli.store.models import IncidentEvent as EventRow
from sla_cli.store.rows import children, wall_clock


def _first_work() -> Any:
    """When the first hours on an incident's ticket began: a correlated subquery.

    Hours logged after the incident was opened count, from their start time (or when they
    were recorded); a reversed entry does not count, so undoing a log puts the clock back.
    "After" is either order: the entry's row was written after the incident's (both stamped by
    the real clock), or its work began at or after the opening (both moments the commands were
    about, which ``SLA_NOW`` may pin). Whether they began before the resolution is the
    domain's to judge.
    """
    reversal = aliased(Entry)
    began = func.coalesce(col(Entry.started_at), col(Entry.created_at))
    logged = (
        select(func.min(began, type_=UTCDateTime()))
        .where(
            col(Entry.ticket) == col(Incident.ticket),
            col(Entry.client_id) == col(Incident.client_id),
            col(Entry.type) == EntryType.WORK.value,
            or_(
                col(Entry.created_at) >= col(Incident.created_at),
                began >= col(Incident.opened_at),
            ),
            ~exists().where(col(reversal.reverses) == col(Entry.id)),
        )
        .correlate(Incident)
        .scalar_subquery()
    )
    timing = _running_timer()
    return case(
        (logged.is_(None), timing),
        (timing.is_(None), logged),
        (timing < logged, timing),
        else_=logged,
    )


def _running_timer() -> Any:
    """When a timer still running on the incident's ticket started (after the opening, as for
    hours logged): work under way. A stopped timer counts through the entry it logged (so an
    undo of that entry puts the clock back), a discarded one not at all."""
    return (
        select(func.min(col(Timer.started_at), type_=UTCDateTime()))
        .where(
            col(Timer.ticket) == col(Incident.ticket),
            col(Timer.client_id) == col(Incident.client_id),
            or_(
                col(Timer.created_at) >= col(Incident.created_at),
                col(Timer.started_at) >= col(Incident.opened_at),
            ),
            ~exists().where(col(TimerEnd.timer_id) == col(Timer.id)),
        )
        .correlate(Incident)
        .scalar_subquery()
    )


def _live(kind: EventKind) -> Any:
    """An event of ``kind`` on the incident that no undo reversed."""
    e, undo = aliased(EventRow), aliased(EventRow)
    cond = exists().where(
        col(e.incident_id) == col(Incident.id),
        col(e.kind) == kind.value,
        ~exists().where(col(undo.undoes) == col(e.id)),
    )
    return cond, e


def _resolved() -> Any:
    """Resolved: a resolution that counts, with no reopening that counts after it
    (the SQL form of the domain's ``state_of``, for filtering).

    The reopening is matched to the resolution's own incident: a subquery two levels down does
    not correlate with ``incidents`` by itself (it would read every incident's reopenings).
    """
    resolution, r = _live(EventKind.RESOLVE)
    o, undo = aliased(EventRow), aliased(EventRow)
    reopened = exists().where(
        col(o.incident_id) == col(r.incident_id),
        col(o.kind) == EventKind.REOPEN.value,
        col(o.id) > col(r.id),
        ~exists().where(col(undo.undoes) == col(o.id)),
    )
    return resolution.where(~reopened)


def _cancelled() -> Any:
    return _live(EventKind.CANCEL)[0]


def _events(s: Session, ids: list[int]) -> dict[int, tuple[IncidentEvent, ...]]:
    return {
        i: tuple(event_record(r) for r in rows)
        for i, rows in children(s, EventRow, EventRow.incident_id, ids).items()
    }


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
    with_cancelled: bool = False  # cancelled ones too (they are left out otherwise)


def incidents(s: Session, q: IncidentQuery) -> list[IncidentRecord]:
    """Incidents, oldest first."""
    return list(iter_incidents(s, q))


STREAM_BATCH = 500  # incidents read at a time, with their events


def iter_incidents(s: Session, q: IncidentQuery) -> Iterator[IncidentRecord]:
    """Incidents, oldest first, read a batch at a time with their events (a server-side
    cursor on PostgreSQL), so that listing every one keeps memory flat."""
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
    if not q.with_cancelled:
        stmt = stmt.where(~_cancelled())
    if q.open_only:
        stmt = stmt.where(~_resolved(), ~_cancelled())
    if q.opened_from is not None:
        start = datetime.combine(q.opened_from, datetime.min.time(), tzinfo=q.zone)
        after = col(Incident.opened_at) >= start
        unresolved = ~_resolved()
        stmt = stmt.where(or_(after, unresolved) if q.also_unresolved else after)
    if q.opened_before is not None:
        end = datetime.combine(q.opened_before, datetime.min.time(), tzinfo=q.zone)
        stmt = stmt.where(col(Incident.opened_at) < end)
    stmt = stmt.order_by(col(Incident.opened_at), col(Incident.id))
    for rows in s.exec(stmt.execution_options(yield_per=STREAM_BATCH)).partitions():
        events = _events(s, [pk(row[0]) for row in rows])
        changes = contract_changes(s, sorted({pk(row[2]) for row in rows}))
        for row in rows:
            yield incident_record(*row, events[pk(row[0])], changes[pk(row[2])])


def latest(s: Session, client_id: int, ticket: str, open_only: bool) -> IncidentRecord | None:
    """The ticket's latest incident not cancelled (or its open one)."""
    stmt = (
        select(Incident.id)
        .where(Incident.ticket == ticket, Incident.client_id == client_id)
        .where(~_cancelled())
        .order_by(col(Incident.opened_at).desc(), col(Incident.id).desc())
        .limit(1)
    )
    if open_only:
        stmt = stmt.where(~_resolved())
    found = s.exec(stmt).first()
    return None if found is None else one(s, found)


def one(s: Session, incident_id: int) -> IncidentRecord:
    (row,) = incidents(s, IncidentQuery(zone=UTC, incident_id=incident_id, with_cancelled=True))
    return row


def ticket_incidents(s: Session, client_id: int, ticket: str) -> list[IncidentRecord]:
    """Every incident of the ticket, cancelled ones too, oldest first."""
    query = IncidentQuery(zone=UTC, client_id=client_id, ticket=ticket, with_cancelled=True)
    return incidents(s, query)


def contract_incidents(s: Session, contract_id: int) -> list[str]:
    """Tickets of the contract's incidents not cancelled."""
    stmt = (
        select(Incident.ticket)
        .where(Incident.contract_id == contract_id, ~_cancelled())
        .order_by(col(Incident.opened_at))
    )
    return list(s.exec(stmt))


def add_incident(
    s: Session,
    contract: ContractRecord,
    ticket: str,
    title: str | None,
    at: datetime,
    user: str,
    priority: str | None = None,
) -> IncidentRecord:
    row = Incident(
        contract_id=contract.id,
        client_id=contract.client.id,
        ticket=ticket,
        title=title,
        opened_at=at,
        created_at=wall_clock(s),
        created_by=user,
        priority=priority,
    )
    s.add(row)
    s.flush()
    return one(s, pk(row))


def add_event(s: Session, incident_id: int, new: NewEvent, by: str) -> IncidentRecord:
    """Append an event to the incident's log, stamped by the real clock."""
    s.add(
        EventRow(
            incident_id=incident_id,
            kind=new.kind.value,
            at=new.at,
            undoes=None if new.undoes is None else new.undoes.id,
            note=new.note,
            by=by,
            created_at=wall_clock(s),
            value=new.value,
        )
    )
    s.flush()
    return one(s, incident_id)


__all__ = [
    "IncidentQuery",
    "add_event",
    "add_incident",
    "contract_incidents",
    "incidents",
    "latest",
    "one",
    "ticket_incidents",
]
