"""Every clock of random incidents against a slow, independent reference.

The incident's events go through the rules (a refused one is skipped): acknowledgements,
starts, waits, resumptions, changes of priority, resolutions, reopenings and undos. The
reference replays the events itself and steps minute by minute from the opening, counting the
business minutes the incident did not wait (for the clocks that pause), up to the clock's stop
or now; the due time is the minute at which that count reaches the target of the priority in
force at the stop (or now).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from sla_cli.domain.clock import Clock
from sla_cli.domain.incident_events import IncidentEvent
from sla_cli.domain.incidents import (
    IncidentRecord,
    NewEvent,
    plan_event,
    plan_priority,
    plan_reopen,
    plan_resume,
    plan_undo,
    plan_wait,
    with_event,
)
from sla_cli.domain.kinds import Event, EventKind
from sla_cli.domain.sla_clocks import clocks, resolution_clock, waiting_minutes
from sla_cli.domain.tariffs import Priority
from sla_cli.errors import InputError, NotFound
from tests.domain.conftest import contract
from tests.domain.test_sla_clocks import CAL, FRIDAY, START

MINUTE = timedelta(minutes=1)
TABLE = (
    Priority("normal", 60, 240, 8 * 60),
    Priority("high", 30, 120, 4 * 60),
    Priority("low", 120, 480),  # no resolution target
)
INCIDENT = replace(FRIDAY, opened_at=START, contract=contract()._replace(priorities=TABLE))
HORIZON = 40 * 24 * 60  # minutes stepped at most: far past any due of these targets
BUSINESS = [CAL.is_business_moment(START + n * MINUTE) for n in range(HORIZON)]


@dataclass
class Facts:
    """What the reference makes of the events, on its own."""

    reacted: datetime | None = None
    started: datetime | None = None
    resolved: datetime | None = None
    waits: list[tuple[datetime, datetime | None]] | None = None
    priorities: list[tuple[datetime, str]] | None = None


def replay(events: tuple[IncidentEvent, ...]) -> Facts:
    undone = {e.undoes for e in events if e.kind == EventKind.UNDO}
    facts = Facts(waits=[], priorities=[])
    assert facts.waits is not None and facts.priorities is not None
    for e in sorted(events, key=lambda e: e.id):
        if e.kind == EventKind.UNDO or e.id in undone:
            continue
        waiting = bool(facts.waits) and facts.waits[-1][1] is None
        if e.kind == EventKind.ACK:
            facts.reacted = facts.reacted or e.at
        elif e.kind == EventKind.START:
            facts.started = facts.started or e.at
        elif e.kind == EventKind.REOPEN:
            facts.resolved = None
        elif e.kind == EventKind.WAIT and not waiting:
            facts.waits.append((e.at, None))
        elif e.kind == EventKind.PRIORITY and e.value is not None:
            facts.priorities.append((e.at, e.value))
        if e.kind == EventKind.RESOLVE:
            facts.resolved = e.at
        if waiting and e.kind in (EventKind.RESUME, EventKind.RESOLVE):
            facts.waits[-1] = (facts.waits[-1][0], e.at)
    return facts


def index(t: datetime) -> int:
    return (t - START) // MINUTE


def reference(facts: Facts, name: str, now: datetime, pausing: frozenset[str]) -> dict[str, object]:
    """The clock ``name`` minute by minute: target, used, paused, due and status."""
    stops = {"reaction": facts.reacted, "start": facts.started, "resolve": None}
    present = [t for t in (stops[name], facts.resolved) if t is not None]
    stop = min(present) if present else None
    end = index(stop or now)
    key = "normal"
    for at, value in facts.priorities or ():
        if at <= (stop or now):
            key = value
    priority = next(p for p in TABLE if p.key == key)
    target = {"reaction": priority.reaction_minutes, "start": priority.start_minutes,
              "resolve": priority.resolve_minutes}[name]  # fmt: skip
    if target is None:
        return {"target": None}
    held = [False] * HORIZON
    if name in pausing:  # the waits known up to the stop (or now), an open one until then
        for a, b in facts.waits or ():
            for n in range(index(a), min(end, index(b) if b is not None else end)):
                held[n] = True
    counted, due = 0, None
    for n in range(HORIZON):
        if BUSINESS[n] and not held[n]:
            counted += 1
            if counted == target:
                due = START + (n + 1) * MINUTE
                break
    used = sum(1 for n in range(end) if BUSINESS[n] and not held[n])
    paused = sum(1 for n in range(end) if BUSINESS[n] and held[n])
    if used > target:
        status = "breached"
    elif stop is not None:
        status = "met"
    else:
        status = "at_risk" if used * 100 >= 75 * target else "running"
    return {"target": target, "used": used, "paused": paused, "due": due, "status": status}


def observed(clock: Clock | None) -> dict[str, object]:
    if clock is None:
        return {"target": None}
    return {
        "target": clock.target_minutes,
        "used": clock.used_minutes,
        "paused": clock.paused_minutes,
        "due": clock.due,
        "status": str(clock.status),
    }


NAMES = ("ack", "start", "wait", "resume", "priority", "resolve", "reopen", "undo")


def planned(incident: IncidentRecord, step: tuple[str, str], at: datetime) -> NewEvent:
    name, key = step
    if name in ("ack", "start", "resolve"):
        return plan_event(incident, Event(name), at, at)
    return {
        "wait": lambda: plan_wait(incident, at, None, at),
        "resume": lambda: plan_resume(incident, at, at),
        "priority": lambda: plan_priority(incident, key, at, at),
        "reopen": lambda: plan_reopen(incident, at, None, at),
        "undo": lambda: plan_undo(incident, None, at),
    }[name]()


STEPS = st.lists(
    st.tuples(
        st.sampled_from(NAMES),
        st.sampled_from([p.key for p in TABLE]),
        st.one_of(st.integers(0, 180), st.integers(0, 36 * 60)),  # minutes after the last step
    ),
    max_size=10,
)
PAUSING = st.sampled_from(
    [frozenset({"start", "resolve"}), frozenset({"reaction", "start", "resolve"}), frozenset()]
)


@settings(max_examples=500, deadline=None, derandomize=True)
@given(steps=STEPS, after=st.integers(0, 3 * 24 * 60), pausing=PAUSING)
def test_every_clock_matches_the_minute_stepping_reference(
    steps: list[tuple[str, str, int]], after: int, pausing: frozenset[str]
) -> None:
    incident, moment = INCIDENT, START
    for name, key, gap in steps:
        moment += gap * MINUTE
        try:
            new = planned(incident, (name, key), moment)
        except (InputError, NotFound):
            continue
        incident = with_event(incident, new, "anna", moment)
    now = moment + after * MINUTE
    facts = replay(incident.events)
    reaction, start = clocks(incident, CAL, now, 75, pausing)
    resolve = resolution_clock(incident, CAL, now, 75, pausing)
    assert observed(reaction) == reference(facts, "reaction", now, pausing)
    assert observed(start) == reference(facts, "start", now, pausing)
    assert observed(resolve) == reference(facts, "resolve", now, pausing)
    waited = reference(facts, "resolve", now, frozenset({"resolve"}))  # paused to the resolution
    if waited["target"] is not None:
        assert waiting_minutes(incident, CAL, now) == waited["paused"]
