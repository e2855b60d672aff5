"""Opening incidents, recording their events, listing their clocks and breaches."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, NamedTuple
from zoneinfo import ZoneInfo

from sla_cli.domain.calendar import BusinessCalendar
from sla_cli.domain.clock import Clock, ClockStatus
from sla_cli.domain.clock_terms import ClockTerms
from sla_cli.domain.incident_events import last_live
from sla_cli.domain.incidents import (
    IncidentRecord,
    NewEvent,
    check_open,
    check_past,
    check_single_open,
    plan_cancel,
    plan_event,
    plan_priority,
    plan_reopen,
    plan_resume,
    plan_undo,
    plan_wait,
    touched,
    with_event,
)
from sla_cli.domain.kinds import Event
from sla_cli.domain.month import Month
from sla_cli.domain.records import ClientRecord
from sla_cli.domain.sla_clocks import PAUSING, resolution_clock, waiting_minutes
from sla_cli.domain.sla_clocks import clocks as evaluate
from sla_cli.domain.text import (
    MAX_NOTE,
    MAX_TICKET,
    MAX_TITLE,
    check_author,
    check_text,
    normalise_ticket,
)
from sla_cli.errors import NotFound
from sla_cli.ops.lookup import client_id, contract_on, ensure_open, ticket_client

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from sla_cli.store.store import Store


class Clocks(NamedTuple):
    """How an incident's SLA targets are set, evaluated at one moment."""

    calendar: BusinessCalendar
    now: datetime
    at_risk_percent: int
    pausing: frozenset[str] = PAUSING  # the clocks a wait for the client stops

    def of(self, incident: IncidentRecord) -> tuple[Clock, Clock]:
        return evaluate(incident, self.calendar, self.now, self.at_risk_percent, self.pausing)

    def resolution(self, incident: IncidentRecord) -> Clock | None:
        """The resolution clock, when the incident's priority sets a target for it."""
        return resolution_clock(
            incident, self.calendar, self.now, self.at_risk_percent, self.pausing
        )

    def every(self, incident: IncidentRecord) -> list[Clock]:
        """Reaction, start of work, and resolution when it has a target."""
        resolve = self.resolution(incident)
        return [*self.of(incident), *([] if resolve is None else [resolve])]

    def waited(self, incident: IncidentRecord) -> int:
        """Business minutes the incident has waited for the client."""
        return waiting_minutes(incident, self.calendar, self.now)


def sealed_clocks(s: Store, month: Month, now: datetime) -> Clocks | None:
    """The SLA clocks of ``month`` as its close sealed them, at ``now``; None: not closed, or
    closed before clock terms were sealed."""
    sealed = s.clock_terms_of(month)
    return None if sealed is None else clocks_of(ClockTerms.from_json(sealed), now)


def clock_book(s: Store, current: Clocks, zone: str) -> Callable[[IncidentRecord], Clocks]:
    """Which clocks an incident's are computed with: the terms its opening month's close
    sealed, or the config's (``current``) for an open month, or one closed before terms were
    sealed."""
    sealed = s.sealed_clock_terms()
    tz = ZoneInfo(zone)
    made: dict[Month, Clocks] = {}

    def book(incident: IncidentRecord) -> Clocks:
        month = Month.of(incident.opened_at.astimezone(tz).date())
        if month not in sealed:
            return current
        if month not in made:
            made[month] = clocks_of(ClockTerms.from_json(sealed[month]), current.now)
        return made[month]

    return book


def clocks_of(terms: ClockTerms, now: datetime) -> Clocks:
    return Clocks(BusinessCalendar(terms.schedule), now, terms.at_risk_percent, terms.pausing)


def open_incident(
    s: Store,
    ticket: str,
    at: datetime,
    title: str | None,
    client_key: str | None,
    zone: str,
    user: str,
    now: datetime,
    priority: str | None = None,
) -> IncidentRecord:
    """Open an incident on the contract active when it opened (with ``priority``, one of the
    contract's; None: its default)."""
    check_text(ticket, MAX_TICKET, "the ticket")
    check_text(title, MAX_TITLE, "--title")
    user = check_author(user)
    check_past(at, now)
    ticket = normalise_ticket(ticket)
    client = ticket_client(s, ticket, client_key)
    s.lock_client(client.key)  # one open incident per ticket, checked once at a time
    day = at.astimezone(ZoneInfo(zone)).date()
    contract = contract_on(s, client, day)
    ensure_open(s, day)
    check_open(ticket, at, title, s.latest_incident(client.id, ticket, open_only=True), now)
    key = None if priority is None else contract.priority(priority).key
    return s.add_incident(contract, ticket, title, at, user, key)


class Recorded(NamedTuple):
    """An event appended, and the incident as it stands after it."""

    incident: IncidentRecord
    event: NewEvent


def _incident(s: Store, ticket: str, client_key: str | None) -> tuple[str, ClientRecord]:
    """The ticket and its client, locked: an incident's events are checked against the ones it
    has, so two commands on it run one at a time."""
    ticket = normalise_ticket(ticket)
    client = ticket_client(s, ticket, client_key)
    s.lock_client(client.key)
    return ticket, client


def _latest(s: Store, ticket: str, client: ClientRecord) -> IncidentRecord:
    incident = s.latest_incident(client.id, ticket, open_only=False)
    if incident is None:
        raise NotFound(f"{ticket} has no incident; `sla incident open {ticket}` opens one")
    return incident


def _append(s: Store, incident: IncidentRecord, new: NewEvent, zone: str, user: str) -> Recorded:
    """Append ``new`` once every month it changes is open."""
    check_text(new.note, MAX_NOTE, "--note")
    user = check_author(user)
    tz = ZoneInfo(zone)
    for moment in touched(incident, new):
        ensure_open(s, moment.astimezone(tz).date())
    return Recorded(s.add_event(incident.id, new, user), new)


def record_event(
    s: Store,
    ticket: str,
    event: Event,
    at: datetime,
    now: datetime,
    zone: str,
    client_key: str | None = None,
    user: str = "",
) -> IncidentRecord:
    """Stop a clock (``ack``, ``start``) or resolve the ticket's latest incident."""
    check_text(ticket, MAX_TICKET, "the ticket")
    check_past(at, now)
    ticket, client = _incident(s, ticket, client_key)
    incident = _latest(s, ticket, client)
    new = plan_event(incident, event, at, now)
    return _append(s, incident, new, zone, user).incident


def wait_or_resume(
    s: Store, ticket: str, wait: bool, at: datetime, note: str | None, zone: str, user: str,
    now: datetime, client_key: str | None = None,
) -> Recorded:  # fmt: skip
    """The ticket's latest incident waits for the client (``wait``), or stops waiting."""
    check_text(ticket, MAX_TICKET, "the ticket")
    check_past(at, now)
    ticket, client = _incident(s, ticket, client_key)
    incident = _latest(s, ticket, client)
    new = plan_wait(incident, at, note, now) if wait else plan_resume(incident, at, now)
    return _append(s, incident, new, zone, user)


def set_priority(
    s: Store, ticket: str, priority: str, at: datetime, zone: str, user: str, now: datetime,
    client_key: str | None = None,
) -> Recorded:  # fmt: skip
    """Change the priority of the ticket's latest incident (recorded, undoable)."""
    check_text(ticket, MAX_TICKET, "the ticket")
    check_past(at, now)
    ticket, client = _incident(s, ticket, client_key)
    incident = _latest(s, ticket, client)
    return _append(s, incident, plan_priority(incident, priority, at, now), zone, user)


def undo_event(
    s: Store, ticket: str, note: str | None, zone: str, user: str, now: datetime,
    client_key: str | None = None,
) -> Recorded:  # fmt: skip
    """Reverse the last event of the ticket's incident last changed (a cancelled one too)."""
    ticket, client = _incident(s, ticket, client_key)
    found = s.ticket_incidents(client.id, ticket)
    if not found:
        raise NotFound(f"{ticket} has no incident; `sla incident open {ticket}` opens one")
    changed = [(last.id, i) for i in found if (last := last_live(i.events)) is not None]
    incident = max(changed, key=lambda pair: pair[0])[1] if changed else found[-1]
    new = plan_undo(incident, note, now)
    running = s.latest_incident(client.id, ticket, open_only=True)
    check_single_open(with_event(incident, new, user, now), running, now)
    return _append(s, incident, new, zone, user)


def cancel_incident(
    s: Store, ticket: str, note: str, zone: str, user: str, now: datetime,
    client_key: str | None = None,
) -> Recorded:  # fmt: skip
    """Cancel an incident opened by mistake: out of breaches and statements, kept in the log."""
    ticket, client = _incident(s, ticket, client_key)
    incident = _latest(s, ticket, client)
    return _append(s, incident, plan_cancel(incident, note, now), zone, user)


def reopen_incident(
    s: Store, ticket: str, at: datetime, note: str | None, zone: str, user: str,
    now: datetime, client_key: str | None = None,
) -> Recorded:  # fmt: skip
    """A resolved incident opens again; its clocks run on as if it had not been resolved."""
    check_past(at, now)
    ticket, client = _incident(s, ticket, client_key)
    incident = _latest(s, ticket, client)
    new = plan_reopen(incident, at, note, now)
    running = s.latest_incident(client.id, ticket, open_only=True)
    check_single_open(with_event(incident, new, user, now), running, now)
    return _append(s, incident, new, zone, user)


def iter_incidents(
    s: Store,
    zone: str,
    client_key: str | None = None,
    open_only: bool = False,
    with_cancelled: bool = False,
    since: date | None = None,
) -> Iterator[IncidentRecord]:
    """Incidents, oldest first, read as they are used (memory stays flat at any number); with
    ``since``, only those opened since then or unresolved."""
    from sla_cli.store.incidents import IncidentQuery

    query = IncidentQuery(
        ZoneInfo(zone),
        client_id(s, client_key),
        open_only=open_only,
        opened_from=since,
        also_unresolved=since is not None,
        with_cancelled=with_cancelled,
    )
    return s.iter_incidents(query)


def month_incidents(
    s: Store, zone: str, month: Month, client_key: str | None, also_unresolved: bool
) -> list[IncidentRecord]:
    """Incidents opened in ``month`` (and, with ``also_unresolved``, any opened before it that
    are still unresolved, in which case the month is left open-ended)."""
    first, nxt = month.bounds
    before: date | None = None if also_unresolved else nxt
    from sla_cli.store.incidents import IncidentQuery

    query = IncidentQuery(
        ZoneInfo(zone),
        client_id(s, client_key),
        opened_from=first,
        opened_before=before,
        also_unresolved=also_unresolved,
    )
    return s.incidents(query)


def breaches(incidents: list[IncidentRecord], clocks: Clocks) -> list[tuple[IncidentRecord, Clock]]:
    """Clocks breached, and running ones at risk."""
    flagged = (ClockStatus.BREACHED, ClockStatus.AT_RISK)
    return [(i, c) for i in incidents for c in clocks.every(i) if c.status in flagged]
