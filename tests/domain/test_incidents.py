"""Incident rules and clocks from the facts of an incident: events and first work."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from sla_cli.domain.calendar import BusinessCalendar, Schedule
from sla_cli.domain.incidents import Event, IncidentRecord, check_event, check_open, clocks
from sla_cli.errors import InputError
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
    reacted_at=None,
    started_at=None,
    resolved_at=None,
)


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
    r, s = clocks(replace(OPENED, **facts), CAL, now, 75)  # type: ignore[arg-type]
    assert (str(r.status), r.stopped) == reaction
    assert (str(s.status), s.stopped) == start
    assert r.due == at(5, 12) and s.due == at(5, 14)


def test_overdue_minutes_are_business_minutes() -> None:
    # reacted the next morning at 10:00: late by 7 business hours (12:00–19:00) and 1 (9–10)
    r, _ = clocks(replace(OPENED, reacted_at=at(6, 10)), CAL, at(6, 12), 75)
    assert r.overdue_minutes == 8 * 60


@pytest.mark.parametrize(
    ("facts", "event", "when", "words"),
    [
        ({}, Event.ACK, at(5, 9), "before the incident opened"),
        ({}, Event.ACK, at(5, 13), "in the future"),
        ({"reacted_at": at(5, 10, 30)}, Event.ACK, at(5, 11), "already acknowledged"),
        ({"started_at": at(5, 10, 30)}, Event.START, at(5, 11), "already started"),
        ({"resolved_at": at(5, 10, 30)}, Event.ACK, at(5, 11), "was resolved at"),
        ({"resolved_at": at(5, 10, 30)}, Event.RESOLVE, at(5, 11), "already resolved"),
    ],
)
def test_event_refusals(facts: dict[str, object], event: Event, when: datetime, words: str) -> None:
    with pytest.raises(InputError) as e:
        check_event(replace(OPENED, **facts), event, when, at(5, 12))  # type: ignore[arg-type]
    assert words in str(e.value)


def test_events_in_order_are_accepted() -> None:
    for event in Event:
        check_event(OPENED, event, at(5, 11), at(5, 12))


def test_one_open_incident_per_ticket() -> None:
    check_open("ACME-5", at(5, 11), None, None, at(5, 12))
    with pytest.raises(InputError, match="already has an open incident"):
        check_open("ACME-5", at(5, 11), None, OPENED, at(5, 12))
    with pytest.raises(InputError, match="--title is 501"):
        check_open("ACME-5", at(5, 11), "t" * 501, None, at(5, 12))
    with pytest.raises(InputError, match="in the future"):
        check_open("ACME-5", at(5, 12) + timedelta(minutes=1), None, None, at(5, 12))
