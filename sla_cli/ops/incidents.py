"""Opening incidents, recording their events, listing their clocks and breaches."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from sla_cli.domain.calendar import BusinessCalendar
from sla_cli.domain.clock import Clock, ClockStatus
from sla_cli.domain.incidents import IncidentRecord, check_event, check_open, check_past
from sla_cli.domain.incidents import clocks as evaluate
from sla_cli.domain.kinds import Event
from sla_cli.domain.month import Month
from sla_cli.domain.text import MAX_TICKET, MAX_TITLE, check_author, check_text, normalise_ticket
from sla_cli.errors import NotFound
from sla_cli.ops.lookup import client_id, contract_on, ensure_open, ticket_client
from sla_cli.store import incidents as store


@dataclass(frozen=True)
class Clocks:
    """How an incident's SLA targets are set, evaluated at one moment."""

    calendar: BusinessCalendar
    now: datetime
    at_risk_percent: int

    def of(self, incident: IncidentRecord) -> tuple[Clock, Clock]:
        return evaluate(incident, self.calendar, self.now, self.at_risk_percent)


def open_incident(
    s: Session,
    ticket: str,
    at: datetime,
    title: str | None,
    client_key: str | None,
    zone: str,
    user: str,
    now: datetime,
) -> IncidentRecord:
    """Open an incident on the contract active when it opened."""
    check_text(ticket, MAX_TICKET, "the ticket")
    check_text(title, MAX_TITLE, "--title")
    user = check_author(user)
    check_past(at, now)
    ticket = normalise_ticket(ticket)
    client = ticket_client(s, ticket, client_key)
    day = at.astimezone(ZoneInfo(zone)).date()
    contract = contract_on(s, client, day)
    ensure_open(s, day)
    check_open(ticket, at, title, store.latest(s, client.id, ticket, open_only=True), now)
    return store.add_incident(s, contract, ticket, title, at, user)


def record_event(
    s: Session,
    ticket: str,
    event: Event,
    at: datetime,
    now: datetime,
    zone: str,
    client_key: str | None = None,
) -> IncidentRecord:
    """Stop a clock (``ack``, ``start``) or resolve the ticket's latest incident."""
    check_text(ticket, MAX_TICKET, "the ticket")
    check_past(at, now)
    ticket = normalise_ticket(ticket)
    client = ticket_client(s, ticket, client_key)
    incident = store.latest(s, client.id, ticket, open_only=False)
    if incident is None:
        raise NotFound(f"{ticket} has no incident; `sla incident open {ticket}` opens one")
    check_event(incident, event, at, now)
    ensure_open(s, at.astimezone(ZoneInfo(zone)).date())
    return store.record_event(s, incident.id, event, at)


def list_incidents(
    s: Session, zone: str, client_key: str | None = None, open_only: bool = False
) -> list[IncidentRecord]:
    query = store.IncidentQuery(ZoneInfo(zone), client_id(s, client_key), open_only=open_only)
    return store.incidents(s, query)


def month_incidents(
    s: Session, zone: str, month: Month, client_key: str | None, also_unresolved: bool
) -> list[IncidentRecord]:
    """Incidents opened in ``month`` (and, with ``also_unresolved``, any opened before it that
    are still unresolved, in which case the month is left open-ended)."""
    first, nxt = month.bounds
    before: date | None = None if also_unresolved else nxt
    query = store.IncidentQuery(
        ZoneInfo(zone),
        client_id(s, client_key),
        opened_from=first,
        opened_before=before,
        also_unresolved=also_unresolved,
    )
    return store.incidents(s, query)


def breaches(incidents: list[IncidentRecord], clocks: Clocks) -> list[tuple[IncidentRecord, Clock]]:
    """Clocks breached, and running ones at risk."""
    flagged = (ClockStatus.BREACHED, ClockStatus.AT_RISK)
    return [(i, c) for i in incidents for c in clocks.of(i) if c.status in flagged]
