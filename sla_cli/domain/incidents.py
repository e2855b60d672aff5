"""Incidents and their SLA clocks, from the facts of an incident: its events and first work.

Pure: the store loads an ``IncidentRecord`` (with when the first hours on its ticket began);
these rules decide which events may be recorded and how the clocks stand at ``now``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import cached_property
from itertools import zip_longest
from typing import NamedTuple

from sla_cli.domain.incident_events import (
    Cancellation,
    IncidentEvent,
    IncidentState,
    Wait,
    last_live,
    live,
    state_of,
)
from sla_cli.domain.kinds import Event, EventKind
from sla_cli.domain.records import ClientRecord, ContractRecord
from sla_cli.domain.tariffs import Priority
from sla_cli.domain.text import MAX_NOTE, MAX_TITLE, check_length
from sla_cli.errors import InputError, NotFound

__all__ = [
    "Event",
    "IncidentRecord",
    "NewEvent",
    "check_open",
    "check_past",
    "check_single_open",
    "earliest",
    "known",
    "plan_cancel",
    "plan_event",
    "plan_priority",
    "plan_reopen",
    "plan_resume",
    "plan_undo",
    "plan_wait",
    "touched",
    "with_event",
]


@dataclass(frozen=True)
class IncidentRecord:
    """An incident as the ledger holds it: when it opened, and its event log (a dataclass, not
    a NamedTuple like the other records: its replayed state is computed once, on first use)."""

    id: int
    client: ClientRecord
    contract: ContractRecord
    ticket: str
    title: str | None
    opened_at: datetime
    events: tuple[IncidentEvent, ...] = ()
    first_work: datetime | None = None  # when the first hours logged on the ticket began
    opened_priority: str | None = None  # as opened; None: the contract's default
    mail_from: str | None = None  # the sender, when it was opened from the client's mail
    # the ends of the client's contracts that follow its contract without a gap, each from the
    # day the one before ends (None: open-ended), signed before that month closed
    renewals: tuple[date | None, ...] = ()

    @property
    def channel(self) -> str | None:
        """How the request came: ``mail`` (opened from the client's mail), or None (opened
        by hand; the channel is not recorded)."""
        return None if self.mail_from is None else "mail"

    def priority_at(self, moment: datetime) -> Priority:
        """The priority in force at ``moment``: the latest change by then, else as opened."""
        key = self.opened_priority
        for at, value in self.state.priorities:
            if at <= moment:
                key = value
        return self.contract.priority(key)

    @property
    def priority(self) -> str:
        """The priority in force now (the latest change)."""
        changes = self.state.priorities
        return self.contract.priority(changes[-1][1] if changes else self.opened_priority).key

    @cached_property
    def state(self) -> IncidentState:
        return state_of(self.events)

    @property
    def reacted_at(self) -> datetime | None:
        return self.state.reacted_at

    @property
    def started_at(self) -> datetime | None:
        """`incident start`."""
        return self.state.started_at

    @property
    def resolved_at(self) -> datetime | None:
        return self.state.resolved_at

    @property
    def cancelled(self) -> Cancellation | None:
        return self.state.cancelled

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None and self.cancelled is None

    @property
    def waiting(self) -> bool:
        """Waiting for the client now (an open incident only)."""
        return self.is_open and self.state.waiting

    def at(self, event: Event) -> datetime | None:
        """When ``event`` was recorded, if it was."""
        return {"ack": self.reacted_at, "start": self.started_at, "resolve": self.resolved_at}[
            event.value
        ]

    def logged_work(self) -> datetime | None:
        """When the first hours logged stopped the start-of-work clock: work begun before the
        opening counts from the opening, work begun after the resolution not at all."""
        if self.first_work is None:
            return None
        logged = max(self.first_work, self.opened_at)
        return None if self.resolved_at is not None and logged > self.resolved_at else logged

    def work_started(self, now: datetime) -> datetime | None:
        """When work started, as known at ``now``: `incident start`, or the first hours logged."""
        return earliest(known(self.started_at, now), known(self.logged_work(), now))


class NewEvent(NamedTuple):
    """An event the rules allow: what to append to the incident's log."""

    kind: EventKind
    at: datetime
    undoes: IncidentEvent | None = None
    note: str | None = None
    value: str | None = None  # a priority change: the new priority


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


def _not_cancelled(incident: IncidentRecord, at: datetime) -> None:
    c = incident.cancelled
    if c is not None:
        raise InputError(
            f"{incident.ticket} was cancelled by {c.by} at {_shown(c.at, at)}; "
            f"`sla incident undo {incident.ticket}` brings it back"
        )


def plan_event(incident: IncidentRecord, event: Event, at: datetime, now: datetime) -> NewEvent:
    """An event is recorded once, in time order: not before the opening, not after the
    resolution, and a resolution not before any event already recorded."""
    check_past(at, now)
    _not_cancelled(incident, at)
    if at < incident.opened_at:
        raise InputError(
            f"{at.isoformat()} is before the incident opened ({_shown(incident.opened_at, at)})"
        )
    done = incident.at(event)
    if done is not None:
        raise InputError(f"{incident.ticket} was already {event.past} at {_shown(done, at)}")
    if incident.resolved_at is not None:
        raise InputError(f"{incident.ticket} was resolved at {_shown(incident.resolved_at, at)}")
    if event == Event.RESOLVE:
        for e in live(incident.events):
            if at < e.at:
                raise InputError(
                    f"{at.isoformat()} is before {incident.ticket} was {e.kind.past} "
                    f"({_shown(e.at, at)}); a resolution comes last"
                )
    return NewEvent(EventKind(event.value), at)


def _in_order(incident: IncidentRecord, at: datetime, what: str) -> None:
    """A wait or a resumption comes after the opening and every event already recorded."""
    last = max((e.at for e in live(incident.events)), default=incident.opened_at)
    if at < max(last, incident.opened_at):
        raise InputError(
            f"{at.isoformat()} is before the incident's last event ({_shown(last, at)}); "
            f"{what} comes after it"
        )


def plan_wait(incident: IncidentRecord, at: datetime, note: str | None, now: datetime) -> NewEvent:
    """An open incident waits for the client: the pausing clocks stop counting."""
    check_past(at, now)
    check_length(note, MAX_NOTE, "--note")
    _not_cancelled(incident, at)
    if incident.resolved_at is not None:
        raise InputError(f"{incident.ticket} was resolved at {_shown(incident.resolved_at, at)}")
    if incident.state.waiting:
        since = incident.state.waits[-1].start
        raise InputError(f"{incident.ticket} has been waiting since {_shown(since, at)}")
    _in_order(incident, at, "a wait")
    return NewEvent(EventKind.WAIT, at, note=note)


def plan_resume(incident: IncidentRecord, at: datetime, now: datetime) -> NewEvent:
    """The client answered: the paused clocks count again."""
    check_past(at, now)
    _not_cancelled(incident, at)
    if not incident.waiting:
        raise InputError(
            f"{incident.ticket} is not waiting; `sla incident wait {incident.ticket}` puts it "
            "on hold for the client"
        )
    _in_order(incident, at, "a resumption")
    return NewEvent(EventKind.RESUME, at)


def plan_priority(incident: IncidentRecord, key: str, at: datetime, now: datetime) -> NewEvent:
    """A new priority for an open incident: its targets apply to the business time already run,
    from the opening, never restarting the clocks."""
    check_past(at, now)
    _not_cancelled(incident, at)
    if incident.resolved_at is not None:
        raise InputError(f"{incident.ticket} was resolved at {_shown(incident.resolved_at, at)}")
    wanted = incident.contract.priority(key)
    if wanted.key == incident.priority:
        raise InputError(f"{incident.ticket} is {wanted.key} already")
    _in_order(incident, at, "a change of priority")
    return NewEvent(EventKind.PRIORITY, at, value=wanted.key)


def plan_undo(incident: IncidentRecord, note: str | None, now: datetime) -> NewEvent:
    """Undo reverses the last event not undone yet."""
    check_length(note, MAX_NOTE, "--note")
    last = last_live(incident.events)
    if last is None:
        raise NotFound(f"{incident.ticket} has no event to undo (opened, nothing recorded since)")
    return NewEvent(EventKind.UNDO, now, undoes=last, note=note)


def plan_cancel(incident: IncidentRecord, note: str, now: datetime) -> NewEvent:
    """An incident opened by mistake is cancelled, saying why; it stays in the ledger."""
    _not_cancelled(incident, now)
    if not note.strip():
        raise InputError("say why the incident is cancelled: --note TEXT")
    check_length(note, MAX_NOTE, "--note")
    return NewEvent(EventKind.CANCEL, now, note=note.strip())


def plan_reopen(
    incident: IncidentRecord, at: datetime, note: str | None, now: datetime
) -> NewEvent:
    """A resolved incident opens again: its clocks run on as if it had not been resolved."""
    check_past(at, now)
    check_length(note, MAX_NOTE, "--note")
    _not_cancelled(incident, at)
    resolved = incident.resolved_at
    if resolved is None:
        raise InputError(f"{incident.ticket} is not resolved; only a resolved incident reopens")
    if at < resolved:
        raise InputError(
            f"{at.isoformat()} is before {incident.ticket} was resolved ({_shown(resolved, at)})"
        )
    return NewEvent(EventKind.REOPEN, at, note=note)


def with_event(incident: IncidentRecord, new: NewEvent, by: str, now: datetime) -> IncidentRecord:
    """The incident as it stands once ``new`` is appended."""
    next_id = max((e.id for e in incident.events), default=0) + 1
    undoes = None if new.undoes is None else new.undoes.id
    row = IncidentEvent(next_id, new.kind, new.at, undoes, new.note, by, now, new.value)
    return replace(incident, events=(*incident.events, row))


def touched(incident: IncidentRecord, new: NewEvent) -> list[datetime]:
    """The moments whose months an event changes; each must be in an open month.

    An event changes the month it is dated in; an undo or reopening changes the months of the
    times it takes back; a cancellation (or its undo) the month the incident opened in.
    """
    before = incident.state
    after = state_of(with_event(incident, new, "", new.at).events)
    moments = [] if new.kind in (EventKind.UNDO, EventKind.CANCEL) else [new.at]
    for old, new_value in (
        (before.reacted_at, after.reacted_at),
        (before.started_at, after.started_at),
        (before.resolved_at, after.resolved_at),
    ):
        if old != new_value:
            moments += [m for m in (old, new_value) if m is not None]
    if before.cancelled != after.cancelled:
        moments.append(incident.opened_at)
    moments += _waits_changed(before.waits, after.waits)
    moments += [at for at, _ in set(before.priorities) ^ set(after.priorities)]
    return sorted(set(moments))


def _waits_changed(before: tuple[Wait, ...], after: tuple[Wait, ...]) -> list[datetime]:
    """The moments a change of the waits takes effect at. A wait recorded or undone changes its
    whole span; a wait that ends (a resumption, a resolution) or ends no more (their undo)
    changes only the time from its end on, so an incident waiting since a month now closed can
    still be resumed or resolved. Events change the last wait only, so waits pair by position."""
    moments: list[datetime] = []
    for old, new in zip_longest(before, after):
        if old == new:
            continue
        if old is not None and new is not None and old.start == new.start:
            moments += [m for m in (old.end, new.end) if m is not None]
        else:
            moments += [m for w in (old, new) if w is not None for m in (w.start, w.end) if m]
    return moments


def check_single_open(
    incident: IncidentRecord, running: IncidentRecord | None, now: datetime
) -> None:
    """Bringing an incident back may not leave its ticket with two open incidents; the
    message gives times in the zone of ``now`` (the company's)."""
    if incident.is_open and running is not None and running.id != incident.id:
        raise InputError(
            f"{incident.ticket} has another open incident (opened "
            f"{_shown(running.opened_at, now)}); resolve or cancel it first"
        )
