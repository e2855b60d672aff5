"""Waiting for the client: the pausing clocks stop counting, their due times move on."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sla_cli.domain.calendar import BusinessCalendar, Schedule
from sla_cli.domain.clock import ClockStatus, evaluate
from sla_cli.domain.incident_events import IncidentEvent, Wait, state_of
from sla_cli.domain.incidents import (
    IncidentRecord,
    NewEvent,
    plan_event,
    plan_priority,
    plan_resume,
    plan_undo,
    plan_wait,
    touched,
    with_event,
)
from sla_cli.domain.kinds import Event, EventKind
from sla_cli.domain.sla_clocks import clocks, resolution_clock, waiting_minutes
from sla_cli.domain.tariffs import Priority
from sla_cli.errors import InputError, NotFound
from tests.domain.conftest import ACME, contract

MSK = ZoneInfo("Europe/Moscow")
CAL = BusinessCalendar(Schedule())


def nov(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=MSK)


# Friday 20 November 2026, 17:00, variant 1: reaction 2 h, start of work 4 h.
FRIDAY = IncidentRecord(1, ACME, contract(), "ACME-7", None, nov(20, 17))


def recorded(incident: IncidentRecord, *events: tuple[EventKind, datetime]) -> IncidentRecord:
    rows = [
        IncidentEvent(n, kind, when, None, None, "anna", when)
        for n, (kind, when) in enumerate(events, start=len(incident.events) + 1)
    ]
    return replace(incident, events=(*incident.events, *rows))


def test_the_hand_computed_weekend_wait() -> None:
    """Opened Friday 17:00, waiting Friday 18:00 to Monday 11:00, started Monday 14:00.

    Counted: Friday 17:00–18:00 (60 min) and Monday 11:00–14:00 (180 min) = 240 min, exactly
    the 4 h target: met. Waited: Friday 18:00–19:00 and Monday 9:00–11:00 = 180 business min,
    so the start-of-work due moves from Monday 11:00 to Monday 14:00.
    """
    waited = recorded(FRIDAY, (EventKind.WAIT, nov(20, 18)), (EventKind.RESUME, nov(23, 11)))
    without = clocks(FRIDAY, CAL, nov(23, 10), 75)[1]
    assert without.due == nov(23, 11)
    started = recorded(waited, (EventKind.START, nov(23, 14)))
    reaction, start = clocks(started, CAL, nov(23, 16), 75)
    assert (start.used_minutes, start.paused_minutes, start.status) == (240, 180, "met")
    assert start.due == nov(23, 14)
    assert waiting_minutes(started, CAL, nov(23, 16)) == 180
    # the reaction clock does not pause by default: 2 h from Friday 17:00 is Friday 19:00
    assert (reaction.due, reaction.status) == (nov(20, 19), "breached")
    # a minute later the start is breached by one business minute
    late = recorded(waited, (EventKind.START, nov(23, 14, 1)))
    assert clocks(late, CAL, nov(23, 16), 75)[1].overdue_minutes == 1
    # when the config lets the reaction clock pause too: 1 h on Friday, 1 h from Monday 11:00
    both = clocks(started, CAL, nov(23, 16), 75, frozenset({"reaction", "start"}))
    assert both[0].due == nov(23, 12)


def test_an_open_wait_moves_the_due_as_it_lasts() -> None:
    waiting = recorded(FRIDAY, (EventKind.WAIT, nov(20, 18)))
    assert waiting.waiting
    start = clocks(waiting, CAL, nov(23, 10), 75)[1]
    assert (start.used_minutes, start.status) == (60, "running")  # 1 h counted, 2 h waited
    assert start.due == nov(23, 13)  # 3 h still to go from now
    assert waiting_minutes(waiting, CAL, nov(23, 10)) == 120


def test_a_clock_stopped_before_the_wait_is_not_touched() -> None:
    acked = recorded(FRIDAY, (EventKind.ACK, nov(20, 17, 30)), (EventKind.WAIT, nov(20, 18)))
    reaction = clocks(acked, CAL, nov(23, 12), 75, frozenset({"reaction", "start"}))[0]
    assert (reaction.used_minutes, reaction.paused_minutes, reaction.status) == (30, 0, "met")


def test_a_resolution_ends_the_wait() -> None:
    done = recorded(FRIDAY, (EventKind.WAIT, nov(20, 18)), (EventKind.RESOLVE, nov(23, 12)))
    assert done.state.waits == (Wait(nov(20, 18), nov(23, 12)),)
    assert not done.waiting
    assert waiting_minutes(done, CAL, nov(24, 12)) == 60 + 180


@pytest.mark.parametrize(
    ("events", "new", "words"),
    [
        ((), ("resume", nov(20, 18)), "is not waiting"),
        (((EventKind.WAIT, nov(20, 18)),), ("wait", nov(20, 18, 30)), "waiting since"),
        (((EventKind.WAIT, nov(20, 18)),), ("resume", nov(20, 17, 59)), "before the incident's"),
        (((EventKind.ACK, nov(20, 17, 40)),), ("wait", nov(20, 17, 30)), "before the incident's"),
        (((EventKind.RESOLVE, nov(20, 18)),), ("wait", nov(20, 18, 30)), "was resolved"),
        ((), ("wait", nov(20, 16)), "before the incident's"),
    ],
)
def test_wait_and_resume_refusals(
    events: tuple[tuple[EventKind, datetime], ...], new: tuple[str, datetime], words: str
) -> None:
    incident = recorded(FRIDAY, *events)
    kind, when = new
    with pytest.raises(InputError, match=words):
        if kind == "wait":
            plan_wait(incident, when, None, nov(24, 9))
        else:
            plan_resume(incident, when, nov(24, 9))


def test_a_wait_and_its_undo_touch_their_months() -> None:
    waited = recorded(FRIDAY, (EventKind.WAIT, nov(20, 18)))
    new = plan_wait(FRIDAY, nov(20, 18), "asked for logs", nov(24, 9))
    assert touched(FRIDAY, new) == [nov(20, 18)]
    undo = IncidentEvent(9, EventKind.UNDO, nov(24, 9), 1, None, "anna", nov(24, 9))
    from sla_cli.domain.incidents import NewEvent

    assert touched(waited, NewEvent(EventKind.UNDO, nov(24, 9), undoes=waited.events[0])) == [
        nov(20, 18)
    ]
    assert not state_of((*waited.events, undo)).waits


OCT_WAIT = (EventKind.WAIT, nov(20, 18) - timedelta(days=21))  # Friday 30 October, 18:00


@pytest.mark.parametrize(
    ("events", "name", "moments"),
    [
        # a resumption or a resolution changes the wait from its end on: not the month it began
        ((OCT_WAIT,), "resume", [nov(3, 11)]),
        ((OCT_WAIT,), "resolve", [nov(3, 11)]),
        # their undo: from the end undone on
        ((OCT_WAIT, (EventKind.RESUME, nov(3, 11))), "undo", [nov(3, 11)]),
        ((OCT_WAIT, (EventKind.RESOLVE, nov(3, 11))), "undo", [nov(3, 11)]),
        # a wait recorded or undone: its whole span
        ((), "wait at 30 October", [OCT_WAIT[1]]),
        ((OCT_WAIT,), "undo", [OCT_WAIT[1]]),
        # a wait again at the very moment the last one ended is a wait of its own
        ((OCT_WAIT, (EventKind.RESUME, nov(3, 11))), "wait", [nov(3, 11)]),
        (
            (OCT_WAIT, (EventKind.RESUME, nov(3, 11)), (EventKind.WAIT, nov(3, 11))),
            "undo",
            [nov(3, 11)],
        ),
    ],
)
def test_the_months_a_wait_changes(
    events: tuple[tuple[EventKind, datetime], ...], name: str, moments: list[datetime]
) -> None:
    """`touched` names the moments whose months must be open: a wait begun in a month since
    closed still ends in an open one."""
    incident = recorded(replace(FRIDAY, opened_at=nov(20, 17) - timedelta(days=21)), *events)
    at = nov(3, 11)
    new = {
        "wait at 30 October": lambda: plan_wait(incident, OCT_WAIT[1], None, nov(24, 9)),
        "wait": lambda: plan_wait(incident, at, None, nov(24, 9)),
        "resume": lambda: plan_resume(incident, at, nov(24, 9)),
        "resolve": lambda: plan_event(incident, Event.RESOLVE, at, nov(24, 9)),
        "undo": lambda: plan_undo(incident, None, nov(24, 9)),
    }[name]()
    assert touched(incident, new) == moments


def test_a_resolution_while_waiting_is_allowed_and_comes_after_the_wait() -> None:
    waiting = recorded(FRIDAY, (EventKind.WAIT, nov(20, 18)))
    with pytest.raises(InputError, match="a resolution comes last"):
        plan_event(waiting, Event.RESOLVE, nov(20, 17, 30), nov(24, 9))
    resolved = with_event(waiting, plan_event(waiting, Event.RESOLVE, nov(23, 9), nov(24, 9)),
                          "anna", nov(24, 9))  # fmt: skip
    assert resolved.state.waits == (Wait(nov(20, 18), nov(23, 9)),)


# --- the due time against a slow reference -------------------------------------------------------

START = datetime(2026, 11, 16, 8, 0, tzinfo=MSK)  # a Monday, before the working day


def reference_due(
    opened: datetime, target: int, pauses: list[tuple[datetime, datetime]]
) -> datetime:
    """Step minute by minute from the opening, counting business minutes not waited."""
    t, counted = opened, 0
    while counted < target:
        if CAL.is_business_moment(t) and not any(a <= t < b for a, b in pauses):
            counted += 1
        t += timedelta(minutes=1)
    return t


def waits() -> st.SearchStrategy[list[tuple[datetime, datetime]]]:
    """Up to three waits, in order, on whole minutes within two working weeks."""
    offsets = st.lists(st.integers(0, 14 * 24 * 60), min_size=0, max_size=6, unique=True)
    return offsets.map(
        lambda xs: [
            (START + timedelta(minutes=a), START + timedelta(minutes=b))
            for a, b in zip(sorted(xs)[::2], sorted(xs)[1::2], strict=False)
        ]
    )


@settings(max_examples=150, deadline=None, derandomize=True)
@given(
    opened=st.integers(0, 3 * 24 * 60).map(lambda m: START + timedelta(minutes=m)),
    target=st.sampled_from([60, 120, 180, 240, 360, 600]),
    pauses=waits(),
)
def test_the_due_time_skips_exactly_the_minutes_waited(
    opened: datetime, target: int, pauses: list[tuple[datetime, datetime]]
) -> None:
    late = datetime(2026, 12, 31, tzinfo=MSK)  # every wait known and over
    clock = evaluate(CAL, opened, target, None, late, 75, "start", tuple(pauses))
    assert clock.due == reference_due(opened, target, pauses)


# --- priorities ----------------------------------------------------------------------------------

PRIORITIES = (
    Priority("normal", 120, 240),
    Priority("high", 60, 120, 16 * 60),
)
RANKED = replace(FRIDAY, contract=contract()._replace(priorities=PRIORITIES))


def test_a_priority_change_in_the_middle_of_the_wait() -> None:
    """Opened Friday 17:00 at normal; waiting Friday 18:00 to Monday 11:00, raised to high on
    Monday 10:00 (during the wait), resumed, started Monday 14:00.

    The start-of-work clock takes high's 2 h against all the business time since the opening:
    Friday 17:00–18:00 (60 min) and Monday 11:00–14:00 (180 min) = 240 min, 120 past the
    target; its due is 60 min after the resumption, Monday 12:00.
    """
    raised = recorded(
        RANKED,
        (EventKind.WAIT, nov(20, 18)),
        (EventKind.PRIORITY, nov(23, 10)),
        (EventKind.RESUME, nov(23, 11)),
        (EventKind.START, nov(23, 14)),
    )
    raised = replace(
        raised,
        events=tuple(
            e._replace(value="high") if e.kind == EventKind.PRIORITY else e for e in raised.events
        ),
    )
    assert raised.priority == "high"
    assert raised.priority_at(nov(23, 9)).key == "normal"
    _, start = clocks(raised, CAL, nov(23, 16), 75)
    assert (start.used_minutes, start.paused_minutes) == (240, 180)  # nothing restarted
    assert (start.target_minutes, start.status, start.overdue_minutes) == (120, "breached", 120)
    assert start.due == nov(23, 12)
    resolve = resolution_clock(raised, CAL, nov(23, 16), 75)
    assert resolve is not None and resolve.target_minutes == 16 * 60
    # 16 h counted from the opening, 3 h waited: Fri 1 h, Mon 8 h (11–19), Tue 7 h → Tue 16:00
    assert resolve.due == nov(24, 16)
    # the same incident left at normal keeps 4 h: met exactly, and has no resolution clock
    same = replace(raised, events=raised.events[:1] + raised.events[2:])
    assert clocks(same, CAL, nov(23, 16), 75)[1].status == "met"
    assert resolution_clock(same, CAL, nov(23, 16), 75) is None


def test_a_priority_change_is_checked() -> None:
    with pytest.raises(InputError, match="no priority 'urgent'; its priorities: normal, high"):
        plan_priority(RANKED, "urgent", nov(20, 18), nov(24, 9))
    with pytest.raises(InputError, match="is normal already"):
        plan_priority(RANKED, "Normal", nov(20, 18), nov(24, 9))
    new = plan_priority(RANKED, "high", nov(20, 18), nov(24, 9))
    assert (new.kind, new.value) == (EventKind.PRIORITY, "high")
    assert touched(RANKED, new) == [nov(20, 18)]
    with pytest.raises(InputError, match="before the incident's"):
        plan_priority(RANKED, "high", nov(20, 16), nov(24, 9))


def test_a_contract_without_priorities_has_the_offers_targets_as_normal() -> None:
    (only,) = contract().priority_table
    assert only == Priority("normal", contract().reaction_minutes, contract().start_minutes)
    assert FRIDAY.priority == "normal"


Step = tuple[str, int]  # an event and the minutes after the previous one


def planned(incident: IncidentRecord, name: str, moment: datetime, now: datetime) -> NewEvent:
    if name == "wait":
        return plan_wait(incident, moment, None, now)
    if name == "resume":
        return plan_resume(incident, moment, now)
    if name == "ack":
        return plan_event(incident, Event.ACK, moment, now)
    if name == "priority":
        other = "normal" if incident.priority == "high" else "high"
        return plan_priority(incident, other, moment, now)
    return plan_undo(incident, None, now)


EVENTS = st.sampled_from(["wait", "resume", "ack", "priority", "undo"])


@settings(max_examples=120, deadline=None, derandomize=True)
@given(
    steps=st.lists(st.tuples(EVENTS, st.integers(0, 3 * 24 * 60)), max_size=8),
    target_hours=st.sampled_from([1, 4]),
)
def test_random_event_sequences_match_the_minute_stepping_reference(
    steps: list[Step], target_hours: int
) -> None:
    """Events through the rules (a refused one is skipped), then every clock's due against
    the reference that skips the minutes the incident waited."""
    table = (Priority("normal", 60, target_hours * 60, 8 * 60), Priority("high", 30, 60, 4 * 60))
    # open-ended: the end of a contract stops its clocks (tested on its own below)
    signed = contract()._replace(priorities=table, signed_end=None)
    incident = replace(FRIDAY, opened_at=START, contract=signed)
    moment, late = START, datetime(2027, 1, 31, tzinfo=MSK)
    for name, gap in steps:
        moment += timedelta(minutes=gap)
        try:
            new = planned(incident, name, moment, late)
        except (InputError, NotFound):
            continue
        incident = with_event(incident, new, "anna", moment)
    waits = [(w.start, w.end or late) for w in incident.state.waits]
    _, start = clocks(incident, CAL, late, 75)
    resolve = resolution_clock(incident, CAL, late, 75)
    assert resolve is not None
    target = incident.priority_at(late)
    assert start.due == reference_due(START, target.start_minutes, waits)
    assert resolve.due == reference_due(START, target.resolve_minutes or 0, waits)


def test_a_cancelled_incident_s_clocks_say_cancelled_and_flag_nothing() -> None:
    opened = nov(20, 17)
    cancel = with_event(FRIDAY, NewEvent(EventKind.CANCEL, nov(20, 17, 30), note="dup"),
                        "anna", nov(20, 17, 30))  # fmt: skip
    later = nov(24, 12)
    for c in (*clocks(cancel, CAL, later, 75), resolution_clock(cancel, CAL, later, 75)):
        if c is None:
            continue
        assert c.status == ClockStatus.CANCELLED and c.overdue_minutes == 0
        assert c.stopped == nov(20, 17, 30) and c.started == opened
    # before the cancellation was recorded, the clocks ran as ever
    reaction, _ = clocks(cancel, CAL, nov(20, 17, 20), 75)
    assert reaction.status == ClockStatus.RUNNING


def test_a_contract_s_end_stops_the_clocks_of_its_incidents() -> None:
    """The contract ends on 1 December (its last day 30 November); an incident opened on 30
    November at 18:00 and never acknowledged: its 2 h reaction used one business hour by the
    end, and stays met ever after; one opened at 17:00 was breached at 19:00."""
    ends = contract()._replace(signed_end=date(2026, 12, 1))
    late = IncidentRecord(2, ACME, ends, "ACME-8", None, nov(30, 18))
    reaction, start = clocks(late, CAL, datetime(2026, 12, 10, 12, tzinfo=MSK), 75)
    assert reaction.status == ClockStatus.MET and reaction.used_minutes == 60
    assert reaction.stopped == datetime(2026, 12, 1, tzinfo=MSK)
    assert start.status == ClockStatus.MET
    early = replace(late, opened_at=nov(30, 16, 30))
    reaction, start = clocks(early, CAL, datetime(2026, 12, 10, 12, tzinfo=MSK), 75)
    assert (reaction.status, reaction.overdue_minutes) == (ClockStatus.BREACHED, 30)
    assert start.status == ClockStatus.MET  # 2:30 of its 4 h
    # while the contract runs, nothing changes
    reaction, _ = clocks(early, CAL, nov(30, 17), 75)
    assert reaction.status == ClockStatus.RUNNING


def test_a_renewed_contract_s_end_stops_no_clock() -> None:
    """The same incident of 30 November 18:00, its contract followed by another of the client's
    from 1 December: the SLA goes on, so the 2 h reaction is due on 1 December at 10:00 (one
    business hour on the 30th, one on the 1st) and, never acknowledged, is breached from then:
    on 10 December at 12:00 by 7 working days × 10 h + 3 h = 73 h less the 1 h before 10:00."""
    ends = contract()._replace(signed_end=date(2026, 12, 1))
    renewed = IncidentRecord(2, ACME, ends, "ACME-8", None, nov(30, 18), renewals=(None,))
    reaction, _ = clocks(renewed, CAL, datetime(2026, 12, 10, 12, tzinfo=MSK), 75)
    assert reaction.due == datetime(2026, 12, 1, 10, tzinfo=MSK)
    assert reaction.stopped is None
    assert (reaction.status, reaction.overdue_minutes) == (ClockStatus.BREACHED, 72 * 60)
    # renewed twice, the last ending on 8 December: the clock stops there, late by 9 h on the
    # 1st, 10 h on each of the 2nd–4th and on the 7th
    twice = replace(renewed, renewals=(date(2026, 12, 3), date(2026, 12, 8)))
    reaction, _ = clocks(twice, CAL, datetime(2026, 12, 10, 12, tzinfo=MSK), 75)
    assert reaction.stopped == datetime(2026, 12, 8, tzinfo=MSK)
    assert reaction.overdue_minutes == (9 + 30 + 10) * 60
