"""Incidents and their SLA clocks, from the facts of an incident: its events and first work.

Pure: the store loads an ``IncidentRecord`` (with when the first hours on its ticket began);
these rules decide which events may be recorded and how the clocks stand at ``now``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sla_cli.domain.calendar import BusinessCalendar
from sla_cli.domain.clock import Clock, evaluate
from sla_cli.domain.kinds import Event
from sla_cli.domain.records import ClientRecord, ContractRecord
from sla_cli.domain.text import MAX_TITLE, check_length
from sla_cli.errors import InputError

__all__ = [
    "Event",
    "IncidentRecord",
    "check_event",
    "check_open",
    "check_past",
    "clocks",
    "earliest",
    "known",
]


@dataclass(frozen=True)
class IncidentRecord:
    id: int
    client: ClientRecord
    contract: ContractRecord
    ticket: str
    title: str | None
    opened_at: datetime
    reacted_at: datetime | None
    started_at: datetime | None  # `incident start`
    resolved_at: datetime | None
    first_work: datetime | None = None  # when the first hours logged on the ticket began

    def at(self, event: Event) -> datetime | None:
        """When ``event`` was recorded, if it was."""
        return {"ack": self.reacted_at, "start": self.started_at, "resolve": self.resolved_at}[
            event.value
        ]

    def work_started(self, now: datetime) -> datetime | None:
        """When work started, as known at ``now``: `incident start`, or the first hours logged
        (work begun before the incident was opened counts from the opening)."""
        logged = self.first_work and max(self.first_work, self.opened_at)
        return earliest(known(self.started_at, now), known(logged, now))


def known(t: datetime | None, now: datetime) -> datetime | None:
    """``t`` if it has happened by ``now``: a statement never knows the future."""
    return t if t is not None and t <= now else None


def earliest(*moments: datetime | None) -> datetime | None:
    present = [m for m in moments if m is not None]
    return min(present) if present else None


def _shown(moment: datetime, like: datetime) -> str:
    """``moment`` in the zone of ``like`` (the user's), ISO 8601."""
    return moment.astimezone(like.tzinfo).isoformat()


def check_past(at: datetime, now: datetime) -> None:
    if at > now:
        raise InputError(f"{at.isoformat()} is in the future")


def check_open(
    ticket: str, at: datetime, title: str | None, running: IncidentRecord | None, now: datetime
) -> None:
    """An incident opens at a past moment, once at a time per ticket."""
    check_past(at, now)
    check_length(title, MAX_TITLE, "--title")
    if running is not None:
        raise InputError(
            f"{ticket} already has an open incident (opened {_shown(running.opened_at, at)}); "
            "resolve it first"
        )


def check_event(incident: IncidentRecord, event: Event, at: datetime, now: datetime) -> None:
    """An event is recorded once, not before the opening, and not after the resolution."""
    check_past(at, now)
    if at < incident.opened_at:
        raise InputError(
            f"{at.isoformat()} is before the incident opened ({_shown(incident.opened_at, at)})"
        )
    done = incident.at(event)
    if done is not None:
        raise InputError(f"{incident.ticket} was already {event.past} at {_shown(done, at)}")
    if incident.resolved_at is not None:
        raise InputError(f"{incident.ticket} was resolved at {_shown(incident.resolved_at, at)}")


def clocks(
    incident: IncidentRecord, calendar: BusinessCalendar, now: datetime, at_risk_percent: int
) -> tuple[Clock, Clock]:
    """The reaction and start-of-work clocks of an incident, evaluated at ``now``.

    Resolving an incident stops a clock that nothing stopped before. Events after ``now`` are
    not known yet, so a closed month's statement, evaluated when it closed, never changes.
    """
    c = incident.contract
    resolved = known(incident.resolved_at, now)
    reacted = earliest(known(incident.reacted_at, now), resolved)
    started = earliest(incident.work_started(now), resolved)
    opened = incident.opened_at
    reaction = evaluate(
        calendar, opened, c.reaction_minutes, reacted, now, at_risk_percent, "reaction"
    )
    start = evaluate(calendar, opened, c.start_minutes, started, now, at_risk_percent, "start")
    return reaction, start
