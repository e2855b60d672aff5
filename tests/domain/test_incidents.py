"""Incident rules and clocks from the facts of an incident: events and first work."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from sla_cli.domain.calendar import BusinessCalendar, Schedule
from sla_cli.domain.incident_events import IncidentEvent
from sla_cli.domain.incidents import (
    Event,
    IncidentRecord,
    check_open,
    check_single_open,
    plan_cancel,
    plan_event,
    plan_reopen,
    plan_undo,
    touched,
    with_event,
)
from sla_cli.domain.kinds import EventKind
from sla_cli.domain.sla_clocks import clocks
from sla_cli.errors import InputError, NotFound
from tests.domain.conftest import ACME, contract

MSK = ZoneInfo("Europe/Moscow")
CAL = BusinessCalendar(Schedule())


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 10, day, hour, minute, tzinfo=MSK)


# Monday 5 October 2026, 10:00: variant 1, reaction due 12:00, start of work due 14:00.
OPENED = IncidentRecord(
    id=1,
    client=ACME,
    contract=contract(),
    ticket="ACME-5",
    title=None,
    opened_at=at(5, 10),
)
EVENT_OF = {"reacted_at": EventKind.ACK, "started_at": EventKind.START,
            "resolved_at": EventKind.RESOLVE}  # fmt: skip


def event(n: int, kind: EventKind, when: datetime, undoes: int | None = None) -> IncidentEvent:
    return IncidentEvent(n, kind, when, undoes, None, "anna", when)


def incident(**facts: Any) -> IncidentRecord:
    """``OPENED`` with events recorded in the order given (``reacted_at=…`` is an ack), and
    ``first_work`` as the ledger found it."""
    first_work = facts.pop("first_work", None)
    events = tuple(event(n, EVENT_OF[k], t) for n, (k, t) in enumerate(facts.items(), start=1))
    return replace(OPENED, events=events, first_work=first_work)


@pytest.mark.parametrize(
    ("facts", "now", "reaction", "start"),
    [
        ({}, at(5, 11), ("running", None), ("running", None)),
        ({}, at(5, 11, 40), ("at_risk", None), ("running", None)),
        ({"reacted_at": at(5, 11)}, at(5, 15), ("met", at(5, 11)), ("breached", None)),
        ({"reacted_at": at(5, 12, 30)}, at(5, 13), ("breached", at(5, 12, 30)), ("at_risk", None)),
        # resolving stops a running clock
        ({"resolved_at": at(5, 11)}, at(6, 9), ("met", at(5, 11)), ("met", at(5, 11))),
        # hours logged stop the start-of-work clock from when they began
        ({"first_work": at(5, 13)}, at(5, 16), ("breached", None), ("met", at(5, 13))),
        # work begun before the opening counts from the opening
        ({"first_work": at(5, 9)}, at(5, 16), ("breached", None), ("met", at(5, 10))),
        # `incident start` or the first work, whichever came first
        ({"started_at": at(5, 15), "first_work": at(5, 13)}, at(5, 16), ("breached", None),
         ("met", at(5, 13))),
        # a statement evaluated before an event does not know it yet
        ({"reacted_at": at(5, 11)}, at(5, 10, 30), ("running", None), ("running", None)),
    ],
)  # fmt: skip
def test_clocks(
    facts: dict[str, object],
    now: datetime,
    reaction: tuple[str, datetime | None],
    start: tuple[str, datetime | None],
) -> None:
    r, s = clocks(incident(**facts), CAL, now, 75)
    assert (str(r.status), r.stopped) == reaction
    assert (str(s.status), s.stopped) == start
    assert r.due == at(5, 12) and s.due == at(5, 14)


def test_overdue_minutes_are_business_minutes() -> None:
    # reacted the next morning at 10:00: late by 7 business hours (12:00–19:00) and 1 (9–10)
    r, _ = clocks(incident(reacted_at=at(6, 10)), CAL, at(6, 12), 75)
    assert r.overdue_minutes == 8 * 60


@pytest.mark.parametrize(
    ("facts", "event", "when", "words"),
    [
        ({}, Event.ACK, at(5, 9), "before the incident opened"),
        ({}, Event.RESOLVE, at(5, 9, 59), "before the incident opened"),
        ({}, Event.ACK, at(5, 13), "in the future"),
        ({"reacted_at": at(5, 10, 30)}, Event.ACK, at(5, 11), "already acknowledged"),
        ({"started_at": at(5, 10, 30)}, Event.START, at(5, 11), "already started"),
        ({"resolved_at": at(5, 10, 30)}, Event.ACK, at(5, 11), "was resolved at"),
        ({"resolved_at": at(5, 10, 30)}, Event.RESOLVE, at(5, 11), "already resolved"),
        # a resolution comes after every event already recorded
        ({"reacted_at": at(5, 11, 30)}, Event.RESOLVE, at(5, 11), "before ACME-5 was acknowledged"),
        ({"started_at": at(5, 11, 30)}, Event.RESOLVE, at(5, 11), "before ACME-5 was started"),
    ],
)  # fmt: skip
def test_event_refusals(facts: dict[str, Any], event: Event, when: datetime, words: str) -> None:
    with pytest.raises(InputError) as e:
        plan_event(incident(**facts), event, when, at(5, 12))
    assert words in str(e.value)


def test_events_in_order_are_accepted() -> None:
    for kind in Event:
        assert plan_event(OPENED, kind, at(5, 11), at(5, 12)).kind == kind.value
    # an ack may be recorded for a moment before a start already recorded
    assert plan_event(incident(started_at=at(5, 11)), Event.ACK, at(5, 10, 30), at(5, 12))
    assert plan_event(incident(reacted_at=at(5, 11)), Event.RESOLVE, at(5, 11), at(5, 12))


def test_a_start_after_logged_hours_is_recorded_and_the_clock_keeps_the_hours() -> None:
    logged = incident(first_work=at(5, 10, 30))
    after = with_event(
        logged, plan_event(logged, Event.START, at(5, 11), at(5, 12)), "a", at(5, 12)
    )
    _, start = clocks(after, CAL, at(5, 12), 75)
    assert start.stopped == at(5, 10, 30) and after.logged_work() == at(5, 10, 30)


UNDO_CASES = [
    # (events so far, the event undone, what the incident says after the undo)
    ({"reacted_at": at(5, 11)}, EventKind.ACK, {"reacted_at": None}),
    ({"reacted_at": at(5, 11), "resolved_at": at(5, 12)}, EventKind.RESOLVE,
     {"reacted_at": at(5, 11), "resolved_at": None}),
    ({"started_at": at(5, 11), "reacted_at": at(5, 11, 30)}, EventKind.ACK,
     {"started_at": at(5, 11), "reacted_at": None}),
]  # fmt: skip


@pytest.mark.parametrize(("facts", "undone", "after"), UNDO_CASES)
def test_undo_reverses_the_last_event(
    facts: dict[str, Any], undone: EventKind, after: dict[str, Any]
) -> None:
    before = incident(**facts)
    new = plan_undo(before, "typo", at(5, 13))
    assert new.kind == EventKind.UNDO and new.undoes is not None and new.undoes.kind == undone
    done = with_event(before, new, "anna", at(5, 13))
    assert {k: getattr(done, k) for k in after} == after


def test_undo_walks_back_one_event_at_a_time_and_then_says_so() -> None:
    i = incident(reacted_at=at(5, 11), started_at=at(5, 11, 30))
    for kind in (EventKind.START, EventKind.ACK):
        new = plan_undo(i, None, at(5, 13))
        assert new.undoes is not None and new.undoes.kind == kind
        i = with_event(i, new, "anna", at(5, 13))
    assert (i.reacted_at, i.started_at) == (None, None)
    with pytest.raises(NotFound, match="no event to undo"):
        plan_undo(i, None, at(5, 13))
    with pytest.raises(NotFound, match="no event to undo"):
        plan_undo(OPENED, None, at(5, 13))


def test_cancel_and_its_undo() -> None:
    cancelled = with_event(
        OPENED, plan_cancel(OPENED, "opened twice", at(5, 13)), "boris", at(5, 13)
    )
    assert cancelled.cancelled is not None and cancelled.cancelled.by == "boris"
    assert not cancelled.is_open
    for refused in (
        lambda: plan_event(cancelled, Event.ACK, at(5, 11), at(5, 13)),
        lambda: plan_cancel(cancelled, "again", at(5, 13)),
        lambda: plan_reopen(cancelled, at(5, 13), None, at(5, 13)),
    ):
        with pytest.raises(InputError, match="was cancelled by boris"):
            refused()
    back = with_event(cancelled, plan_undo(cancelled, None, at(5, 14)), "boris", at(5, 14))
    assert back.cancelled is None and back.is_open
    with pytest.raises(InputError, match="say why"):
        plan_cancel(OPENED, " ", at(5, 13))


def test_reopen_lets_the_clocks_run_on() -> None:
    resolved = incident(resolved_at=at(5, 11))
    assert clocks(resolved, CAL, at(5, 16), 75)[0].status == "met"
    new = plan_reopen(resolved, at(5, 12), "came back", at(5, 16))
    reopened = with_event(resolved, new, "anna", at(5, 12))
    assert reopened.resolved_at is None and reopened.is_open
    reaction, start = clocks(reopened, CAL, at(5, 16), 75)
    assert (reaction.status, start.status) == ("breached", "breached")  # as if never resolved
    with pytest.raises(InputError, match="is not resolved"):
        plan_reopen(reopened, at(5, 13), None, at(5, 16))
    with pytest.raises(InputError, match="before ACME-5 was resolved"):
        plan_reopen(resolved, at(5, 10, 30), None, at(5, 16))
    # resolved again, after the reopening
    with pytest.raises(InputError, match="before ACME-5 was reopened"):
        plan_event(reopened, Event.RESOLVE, at(5, 11, 30), at(5, 16))
    plan_event(reopened, Event.RESOLVE, at(5, 12, 30), at(5, 16))


@pytest.mark.parametrize(
    ("facts", "new", "moments"),
    [
        ({}, lambda i: plan_event(i, Event.ACK, at(5, 11), at(6, 9)), [at(5, 11)]),
        ({"reacted_at": at(5, 11)}, lambda i: plan_undo(i, None, at(6, 9)), [at(5, 11)]),
        ({"resolved_at": at(5, 11)}, lambda i: plan_reopen(i, at(6, 9), None, at(6, 9)),
         [at(5, 11), at(6, 9)]),
        # a cancellation takes the incident out of the month it opened in
        ({"resolved_at": at(5, 11)}, lambda i: plan_cancel(i, "x", at(6, 9)), [at(5, 10)]),
    ],
)  # fmt: skip
def test_the_months_an_event_touches(
    facts: dict[str, Any], new: Any, moments: list[datetime]
) -> None:
    i = incident(**facts)
    assert touched(i, new(i)) == moments


def test_bringing_an_incident_back_keeps_one_open_incident_per_ticket() -> None:
    other = replace(OPENED, id=2, opened_at=at(5, 11))
    now = at(5, 12)
    check_single_open(OPENED, None, now)
    check_single_open(OPENED, OPENED, now)
    check_single_open(incident(resolved_at=at(5, 11)), other, now)
    with pytest.raises(
        InputError, match=r"another open incident \(opened 2026-10-05T11:00:00\+03:00"
    ):
        check_single_open(OPENED, other, now)


def test_one_open_incident_per_ticket() -> None:
    check_open("ACME-5", at(5, 11), None, None, at(5, 12))
    with pytest.raises(InputError, match="already has an open incident"):
        check_open("ACME-5", at(5, 11), None, OPENED, at(5, 12))
    with pytest.raises(InputError, match="--title is 501"):
        check_open("ACME-5", at(5, 11), "t" * 501, None, at(5, 12))
    with pytest.raises(InputError, match="in the future"):
        check_open("ACME-5", at(5, 12) + timedelta(minutes=1), None, None, at(5, 12))
