"""An incident's state is a pure function of its event log: undo reverses the last event."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sla_cli.domain.incident_events import IncidentEvent, IncidentState, last_live, state_of
from sla_cli.domain.kinds import EventKind
from sla_cli.domain.records import Cancellation

ACK, START, RESOLVE, UNDO, CANCEL, REOPEN = (
    EventKind.ACK, EventKind.START, EventKind.RESOLVE, EventKind.UNDO, EventKind.CANCEL,
    EventKind.REOPEN,
)  # fmt: skip


def t(hour: int) -> datetime:
    return datetime(2026, 10, 5, hour, tzinfo=UTC)


def log(*events: tuple[EventKind, int] | tuple[EventKind, int, int]) -> tuple[IncidentEvent, ...]:
    """Events numbered from 1 in the order given: (kind, hour) or (UNDO, hour, undone id)."""
    return tuple(
        IncidentEvent(n, e[0], t(e[1]), e[2] if len(e) > 2 else None, "why", "anna", t(e[1]))
        for n, e in enumerate(events, start=1)
    )


@pytest.mark.parametrize(
    ("events", "state"),
    [
        ((), IncidentState()),
        (log((ACK, 10), (START, 11)), IncidentState(t(10), t(11))),
        (log((ACK, 10), (RESOLVE, 12)), IncidentState(t(10), None, t(12))),
        # an undo reverses the event it names; the next undo the one before
        (log((ACK, 10), (RESOLVE, 12), (UNDO, 13, 2)), IncidentState(t(10))),
        (log((ACK, 10), (RESOLVE, 12), (UNDO, 13, 2), (UNDO, 13, 1)), IncidentState()),
        # acknowledged again after an undo: the new moment counts
        (log((ACK, 10), (UNDO, 11, 1), (ACK, 11)), IncidentState(t(11))),
        # a reopening takes the resolution back; resolved again later
        (log((RESOLVE, 12), (REOPEN, 13)), IncidentState()),
        (log((RESOLVE, 12), (REOPEN, 13), (RESOLVE, 15)), IncidentState(resolved_at=t(15))),
        (log((RESOLVE, 12), (REOPEN, 13), (UNDO, 14, 2)), IncidentState(resolved_at=t(12))),
        # cancelled, and brought back by undo
        (log((CANCEL, 12)), IncidentState(cancelled=Cancellation("anna", t(12), "why"))),
        (log((ACK, 10), (CANCEL, 12), (UNDO, 13, 2)), IncidentState(t(10))),
    ],
)
def test_state_of(events: tuple[IncidentEvent, ...], state: IncidentState) -> None:
    assert state_of(events) == state
    assert state_of(tuple(reversed(events))) == state  # rows count in the order recorded


def test_the_next_undo_reverses_the_last_event_not_undone() -> None:
    events = log((ACK, 10), (START, 11), (UNDO, 12, 2))
    found = last_live(events)
    assert found is not None and found.id == 1
    assert last_live(log((ACK, 10), (UNDO, 11, 1))) is None
    assert last_live(()) is None
