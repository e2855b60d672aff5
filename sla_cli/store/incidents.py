"""Incidents and the events that stop their SLA clocks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Literal
from zoneinfo import ZoneInfo

from sqlalchemy import exists, func, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from sla_cli.errors import InputError, NotFound
from sla_cli.store.ledger import (
    check_length,
    client_by_key,
    contract_on,
    normalise_ticket,
    pk,
    refuse_closed,
    ticket_client,
)
from sla_cli.store.models import Client, Contract, Entry, Incident, UTCDateTime

if TYPE_CHECKING:
    from sla_cli.domain.calendar import BusinessCalendar
    from sla_cli.domain.clock import Clock

Event = Literal["ack", "start", "resolve"]
FIELDS: dict[str, str] = {"ack": "reacted_at", "start": "started_at", "resolve": "resolved_at"}
PAST: dict[str, str] = {"ack": "acknowledged", "start": "started", "resolve": "resolved"}


def _as(moment: datetime, like: datetime) -> str:
    """``moment`` in the zone of ``like`` (the user's), ISO 8601."""
    return moment.astimezone(like.tzinfo).isoformat()


def _check_moment(at: datetime, now: datetime) -> None:
    if at > now:
        raise InputError(f"{at.isoformat()} is in the future")


def open_incident(
    s: Session,
    ticket: str,
    at: datetime,
    title: str | None,
    client_key: str | None,
    tz: str,
    user: str,
    now: datetime,
) -> Incident:
    """Open an incident on the contract active when it opened."""
    _check_moment(at, now)
    ticket = normalise_ticket(ticket)
    client = ticket_client(s, ticket, client_key)
    day = at.astimezone(ZoneInfo(tz)).date()
    contract = contract_on(s, client, day)
    refuse_closed(s, day)
    check_length(title, 500, "--title")
    running = s.exec(
        select(Incident).where(
            Incident.ticket == ticket,
            Incident.client_id == pk(client),
            col(Incident.resolved_at).is_(None),
        )
    ).first()
    if running is not None:
        raise InputError(
            f"{ticket} already has an open incident (opened {_as(running.opened_at, at)}); "
            "resolve it first"
        )
    incident = Incident(
        contract_id=pk(contract),
        client_id=pk(client),
        ticket=ticket,
        title=title,
        opened_at=at,
        created_at=now,
        created_by=user,
    )
    s.add(incident)
    s.flush()
    return incident


def record_event(
    s: Session,
    ticket: str,
    event: Event,
    at: datetime,
    now: datetime,
    tz: str,
    client_key: str | None = None,
) -> Incident:
    """Stop a clock (``ack``, ``start``) or resolve the ticket's latest incident."""
    _check_moment(at, now)
    ticket = normalise_ticket(ticket)
    client = ticket_client(s, ticket, client_key)
    incident = s.exec(
        select(Incident)
        .where(Incident.ticket == ticket, Incident.client_id == pk(client))
        .order_by(col(Incident.opened_at).desc())
        .limit(1)
    ).first()
    if incident is None:
        raise NotFound(f"{ticket} has no incident; `sla incident open {ticket}` opens one")
    if at < incident.opened_at:
        raise InputError(
            f"{at.isoformat()} is before the incident opened ({_as(incident.opened_at, at)})"
        )
    field = FIELDS[event]
    done = getattr(incident, field)
    if done is not None:
        raise InputError(f"{ticket} was already {PAST[event]} at {_as(done, at)}")
    if incident.resolved_at is not None:
        raise InputError(f"{ticket} was resolved at {_as(incident.resolved_at, at)}")
    refuse_closed(s, at.astimezone(ZoneInfo(tz)).date())
    setattr(incident, field, at)
    s.add(incident)
    s.flush()
    return incident


@dataclass(frozen=True)
class IncidentRow:
    incident: Incident
    client: Client
    contract: Contract
    first_work: datetime | None = None  # when the first hours logged on the ticket began

    def work_started(self, now: datetime) -> datetime | None:
        """When work started, as known at ``now``: `incident start`, or the first hours logged
        (work begun before the incident was opened counts from the opening)."""
        logged = self.first_work and max(self.first_work, self.incident.opened_at)
        return earliest(known(self.incident.started_at, now), known(logged, now))


def known(t: datetime | None, now: datetime) -> datetime | None:
    """``t`` if it has happened by ``now``: a statement never knows the future."""
    return t if t is not None and t <= now else None


def earliest(*moments: datetime | None) -> datetime | None:
    present = [m for m in moments if m is not None]
    return min(present) if present else None


def _first_work() -> Any:
    """When the first hours on an incident's ticket began: a correlated subquery.

    Hours recorded after the incident opened count, from their ``--from`` time (or when they
    were recorded) but never before the opening, nor work begun after it was resolved; a
    reversed entry does not count, so `sla log --undo` puts the clock back.
    """
    reversal = aliased(Entry)
    began = func.coalesce(col(Entry.started_at), col(Entry.created_at))
    return (
        select(func.min(began, type_=UTCDateTime()))
        .where(
            col(Entry.ticket) == col(Incident.ticket),
            col(Entry.client_id) == col(Incident.client_id),
            col(Entry.type) == "work",
            col(Entry.created_at) >= col(Incident.opened_at),
            or_(col(Incident.resolved_at).is_(None), began <= col(Incident.resolved_at)),
            ~exists().where(col(reversal.reverses) == col(Entry.id)),
        )
        .correlate(Incident)
        .scalar_subquery()
    )


def incidents(
    s: Session,
    *,
    client_key: str | None = None,
    open_only: bool = False,
    opened_from: date | None = None,
    opened_before: date | None = None,
    also_unresolved: bool = False,
    tz: str = "UTC",
    incident_id: int | None = None,
) -> list[IncidentRow]:
    """Incidents, oldest first; dates are days in the zone ``tz``.

    ``also_unresolved`` keeps unresolved incidents opened before ``opened_from``.
    """
    stmt = (
        select(Incident, Client, Contract, _first_work())
        .join(Client, col(Client.id) == col(Incident.client_id))
        .join(Contract, col(Contract.id) == col(Incident.contract_id))
    )
    if incident_id is not None:
        stmt = stmt.where(Incident.id == incident_id)
    zone = ZoneInfo(tz)
    if client_key:
        stmt = stmt.where(Incident.client_id == pk(client_by_key(s, client_key)))
    if open_only:
        stmt = stmt.where(col(Incident.resolved_at).is_(None))
    if opened_from is not None:
        start = datetime.combine(opened_from, datetime.min.time(), tzinfo=zone)
        after = col(Incident.opened_at) >= start
        stmt = stmt.where(
            or_(after, col(Incident.resolved_at).is_(None)) if also_unresolved else after
        )
    if opened_before is not None:
        end = datetime.combine(opened_before, datetime.min.time(), tzinfo=zone)
        stmt = stmt.where(col(Incident.opened_at) < end)
    stmt = stmt.order_by(col(Incident.opened_at), col(Incident.id))
    return [IncidentRow(i, cl, c, first) for i, cl, c, first in s.exec(stmt).all()]


def row_of(s: Session, incident: Incident) -> IncidentRow:
    (row,) = incidents(s, incident_id=incident.id)
    return row


def clocks(
    row: IncidentRow, calendar: BusinessCalendar, now: datetime, at_risk_percent: int
) -> tuple[Clock, Clock]:
    """The reaction and start-of-work clocks of an incident, evaluated at ``now``.

    Resolving an incident stops a clock that nothing stopped before. Events after ``now`` are
    not known yet, so a closed month's statement, evaluated when it closed, never changes.
    """
    from sla_cli.domain.clock import evaluate

    i, c = row.incident, row.contract
    resolved = known(i.resolved_at, now)
    reacted = earliest(known(i.reacted_at, now), resolved)
    started = earliest(row.work_started(now), resolved)
    reaction = evaluate(
        calendar, i.opened_at, c.reaction_minutes, reacted, now, at_risk_percent, "reaction"
    )
    start = evaluate(calendar, i.opened_at, c.start_minutes, started, now, at_risk_percent, "start")
    return reaction, start
