"""An incident's SLA clocks, evaluated at a moment: reaction, start of work and, when its
priority sets one, resolution; paused while the incident waits for the client.

Pure: every clock is worked out from the incident's opening, its events and ``now``.
"""

from __future__ import annotations

from datetime import datetime, time

from sla_cli.domain.calendar import BusinessCalendar
from sla_cli.domain.clock import Clock, ClockStatus, Pause, evaluate, paused_minutes
from sla_cli.domain.incidents import IncidentRecord, earliest, known

__all__ = ["PAUSING", "clocks", "pauses", "resolution_clock", "waiting_minutes"]

# The clocks that stop counting while an incident waits for the client, unless the config says
# otherwise: asking the client is itself a reaction, so the reaction clock runs on.
PAUSING = frozenset({"start", "resolve"})


def pauses(incident: IncidentRecord, now: datetime) -> tuple[Pause, ...]:
    """The incident's waits as known at ``now``."""
    return tuple((w.start, known(w.end, now)) for w in incident.state.waits if known(w.start, now))


def waiting_minutes(incident: IncidentRecord, calendar: BusinessCalendar, now: datetime) -> int:
    """Business minutes the incident has waited for the client, up to its resolution or now."""
    end = known(incident.resolved_at, now) or now
    return paused_minutes(calendar, pauses(incident, now), incident.opened_at, end)


def clocks(
    incident: IncidentRecord,
    calendar: BusinessCalendar,
    now: datetime,
    at_risk_percent: int,
    pausing: frozenset[str] = PAUSING,
) -> tuple[Clock, Clock]:
    """The reaction and start-of-work clocks of an incident, evaluated at ``now``.

    Resolving an incident stops a clock that nothing stopped before, and so does the end of
    its contract (an end moved earlier too) when no other contract of the client follows it
    from that day: the SLA ends with it (a renewal carries the SLA, and the clocks, on). A
    cancelled incident's clocks are ``cancelled``. Events after ``now`` are not known yet, so a
    closed month's statement, evaluated when it closed, never changes. The clocks named in
    ``pausing`` do not count the business time the incident waited.
    """
    resolved = known(incident.resolved_at, now)
    reacted = earliest(known(incident.reacted_at, now), resolved)
    started = earliest(incident.work_started(now), resolved)
    reaction = _clock(incident, calendar, now, at_risk_percent, pausing, "reaction", reacted)
    start = _clock(incident, calendar, now, at_risk_percent, pausing, "start", started)
    assert reaction is not None and start is not None  # every priority has both targets
    return reaction, start


def resolution_clock(
    incident: IncidentRecord,
    calendar: BusinessCalendar,
    now: datetime,
    at_risk_percent: int,
    pausing: frozenset[str] = PAUSING,
) -> Clock | None:
    """The resolution clock, when the incident's priority sets a resolution target."""
    resolved = known(incident.resolved_at, now)
    return _clock(incident, calendar, now, at_risk_percent, pausing, "resolve", resolved)


def _clock(
    incident: IncidentRecord, calendar: BusinessCalendar, now: datetime, at_risk_percent: int,
    pausing: frozenset[str], name: str, stopped: datetime | None,
) -> Clock | None:  # fmt: skip
    """One clock, on the target of the priority in force when it stopped (or now): a change of
    priority applies to the business time already run, from the opening."""
    priority = incident.priority_at(stopped or now)
    target = {
        "reaction": priority.reaction_minutes,
        "start": priority.start_minutes,
        "resolve": priority.resolve_minutes,
    }[name]
    if target is None:
        return None
    held = pauses(incident, now) if name in pausing else ()
    cancelled = incident.cancelled
    if cancelled is not None and cancelled.at <= now:  # it stops counting, and says why
        at = earliest(stopped, cancelled.at)
        clock = evaluate(calendar, incident.opened_at, target, at, now, at_risk_percent, name, held)
        return clock._replace(status=ClockStatus.CANCELLED, overdue_minutes=0)
    ended = contract_end(incident, calendar)
    if ended is not None and (stopped is None or stopped > ended) and ended <= now:
        stopped = ended  # the SLA ends with the contract
    return evaluate(calendar, incident.opened_at, target, stopped, now, at_risk_percent, name, held)


def contract_end(incident: IncidentRecord, calendar: BusinessCalendar) -> datetime | None:
    """The first moment after the SLA of the incident's contract ended, in the calendar's
    zone: its end as moved, or its cancellation's day, or, when other contracts of the client
    follow it without a gap (``renewals``), the last one's end; None: it has not ended."""
    end = incident.contract.end if not incident.renewals else incident.renewals[-1]
    return None if end is None else datetime.combine(end, time(0), tzinfo=calendar.tz)
