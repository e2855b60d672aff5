"""An incident's append-only event log, and the state it adds up to.

Nothing is updated or deleted: an acknowledgement, a start of work, a resolution, a
cancellation or a reopening is a row, and `incident undo` is a row too, naming the event it
reverses (always the last one not undone yet). The state is a pure function of the rows.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sla_cli.domain.kinds import EventKind
from sla_cli.domain.records import Cancellation

__all__ = [
    "Cancellation",
    "IncidentEvent",
    "IncidentState",
    "Wait",
    "last_live",
    "live",
    "state_of",
]


class IncidentEvent(NamedTuple):
    """One row of an incident's event log."""

    id: int  # rows are ordered by id: the order they were recorded in
    kind: EventKind
    at: datetime  # when it happened (UTC); for an undo, when it was undone
    undoes: int | None  # the event an undo reverses
    note: str | None
    by: str
    created_at: datetime
    value: str | None = None  # a priority change: the new priority


class Wait(NamedTuple):
    """A time the incident waited for the client: from `incident wait` to `incident resume`
    (or the resolution); ``end`` None while it still waits."""

    start: datetime
    end: datetime | None = None


class IncidentState(NamedTuple):
    """What the events not undone say."""

    reacted_at: datetime | None = None
    started_at: datetime | None = None  # `incident start`
    resolved_at: datetime | None = None  # None once reopened
    cancelled: Cancellation | None = None
    waits: tuple[Wait, ...] = ()  # in time order, never overlapping
    priorities: tuple[tuple[datetime, str], ...] = ()  # each change: when, and to what

    @property
    def resolved(self) -> bool:
        return self.resolved_at is not None

    @property
    def waiting(self) -> bool:
        return bool(self.waits) and self.waits[-1].end is None


def live(events: tuple[IncidentEvent, ...]) -> list[IncidentEvent]:
    """The events that count, in the order recorded: undos and what they undid drop out."""
    undone = {e.undoes for e in events if e.kind == EventKind.UNDO}
    ordered = sorted(events, key=lambda e: e.id)
    return [e for e in ordered if e.kind != EventKind.UNDO and e.id not in undone]


def last_live(events: tuple[IncidentEvent, ...]) -> IncidentEvent | None:
    """The event `incident undo` reverses next."""
    counted = live(events)
    return counted[-1] if counted else None


def state_of(events: tuple[IncidentEvent, ...]) -> IncidentState:
    """Replay the events that count: the first ack and start stop their clocks, a resolution
    holds until a reopening, a cancellation holds until it is undone, a wait lasts until a
    resumption or the resolution."""
    reacted = started = resolved = None
    cancelled = None
    waits: list[Wait] = []
    priorities: list[tuple[datetime, str]] = []
    for e in live(events):
        waiting = bool(waits) and waits[-1].end is None
        if e.kind == EventKind.ACK and reacted is None:
            reacted = e.at
        elif e.kind == EventKind.START and started is None:
            started = e.at
        elif e.kind == EventKind.RESOLVE:
            resolved = e.at
        elif e.kind == EventKind.REOPEN:
            resolved = None
        elif e.kind == EventKind.CANCEL:
            cancelled = Cancellation(e.by, e.at, e.note)
        elif e.kind == EventKind.WAIT and not waiting:
            waits.append(Wait(e.at))
        elif e.kind == EventKind.PRIORITY and e.value is not None:
            priorities.append((e.at, e.value))
        if waiting and e.kind in (EventKind.RESUME, EventKind.RESOLVE):
            waits[-1] = Wait(waits[-1].start, e.at)  # a resolution ends the wait too
    return IncidentState(reacted, started, resolved, cancelled, tuple(waits), tuple(priorities))
