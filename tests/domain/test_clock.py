"""Tests for SLA clock evaluation (SPEC §3)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sla_cli.domain.calendar import BusinessCalendar
from sla_cli.domain.clock import Clock, ClockStatus, evaluate
from sla_cli.errors import InputError

MSK = ZoneInfo("Europe/Moscow")
RU = BusinessCalendar()


def msk(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    """Moscow wall-clock time."""
    return datetime(year, month, day, hour, minute, second, tzinfo=MSK)


# Opened Wednesday 2025-03-12 10:00 with a 4 h target: due the same day at 14:00.
OPENED = msk(2025, 3, 12, 10, 0)
DUE = msk(2025, 3, 12, 14, 0)
TARGET = 240


def clock(stopped: datetime | None, now: datetime, at_risk_percent: int = 75) -> Clock:
    return evaluate(RU, OPENED, TARGET, stopped, now, at_risk_percent)


def test_met_when_stopped_before_due() -> None:
    c = clock(stopped=msk(2025, 3, 12, 11, 30), now=msk(2025, 3, 20, 12, 0))
    assert c.status is ClockStatus.MET
    assert (c.due, c.used_minutes, c.remaining_minutes, c.overdue_minutes) == (DUE, 90, 150, 0)
    assert c.name == "reaction"
    assert c.started == OPENED
    assert c.stopped == msk(2025, 3, 12, 11, 30)


def test_met_when_stopped_exactly_at_due() -> None:
    c = clock(stopped=DUE, now=msk(2025, 3, 20, 12, 0))
    assert c.status is ClockStatus.MET
    assert (c.used_minutes, c.remaining_minutes, c.overdue_minutes) == (240, 0, 0)


def test_breached_when_stopped_late() -> None:
    c = clock(stopped=msk(2025, 3, 13, 9, 45), now=msk(2025, 3, 20, 12, 0))
    assert c.status is ClockStatus.BREACHED
    # 14:00-19:00 on Wednesday plus 9:00-9:45 on Thursday, in business minutes
    assert c.overdue_minutes == 300 + 45
    assert c.used_minutes == 240 + 345
    assert c.remaining_minutes == -345


def test_breached_when_running_past_due() -> None:
    c = clock(stopped=None, now=msk(2025, 3, 14, 23, 0))  # Friday night
    assert c.status is ClockStatus.BREACHED
    assert c.stopped is None
    assert c.overdue_minutes == 300 + 600 + 600  # rest of Wed, all of Thu and Fri
    assert c.remaining_minutes == -c.overdue_minutes


def test_running_past_due_outside_business_hours_is_not_breached() -> None:
    # due at 19:00, now 19:30: no business minute has passed since, so not yet breached
    c = evaluate(RU, msk(2025, 3, 12, 17, 0), 120, None, msk(2025, 3, 12, 19, 30))
    assert c.due == msk(2025, 3, 12, 19, 0)
    assert c.status is ClockStatus.AT_RISK
    assert (c.used_minutes, c.remaining_minutes, c.overdue_minutes) == (120, 0, 0)


@pytest.mark.parametrize(
    ("stopped", "status", "used", "overdue"),
    [
        # the offer's example: an ack at 19:30 for a reaction due at 19:00 is met
        (msk(2025, 3, 12, 19, 30), ClockStatus.MET, 120, 0),
        (msk(2025, 3, 12, 23, 59), ClockStatus.MET, 120, 0),
        (msk(2025, 3, 13, 9, 0), ClockStatus.MET, 120, 0),  # next opening: still nothing used
        # whole minutes: a started business minute is not counted yet
        (msk(2025, 3, 13, 9, 0, 59), ClockStatus.MET, 120, 0),
        (msk(2025, 3, 13, 9, 1), ClockStatus.BREACHED, 121, 1),
        (msk(2025, 3, 13, 9, 30), ClockStatus.BREACHED, 150, 30),
    ],
)
def test_stopped_clock_is_judged_by_business_time(
    stopped: datetime, status: ClockStatus, used: int, overdue: int
) -> None:
    c = evaluate(RU, msk(2025, 3, 12, 17, 0), 120, stopped, msk(2025, 3, 20, 12, 0))
    assert c.due == msk(2025, 3, 12, 19, 0)
    assert (c.status, c.used_minutes, c.overdue_minutes) == (status, used, overdue)


@pytest.mark.parametrize(
    ("now", "status", "overdue"),
    [
        (msk(2025, 3, 12, 14, 0, 59), ClockStatus.AT_RISK, 0),  # 240 whole minutes used
        (msk(2025, 3, 12, 14, 1), ClockStatus.BREACHED, 1),
        (msk(2025, 3, 12, 20, 0), ClockStatus.BREACHED, 300),
    ],
)
def test_running_clock_breaches_after_a_whole_business_minute(
    now: datetime, status: ClockStatus, overdue: int
) -> None:
    c = clock(stopped=None, now=now)
    assert (c.status, c.overdue_minutes) == (status, overdue)


def test_seconds_of_the_opening_carry_into_the_deadline() -> None:
    opened = msk(2025, 3, 12, 10, 0, 30)
    met = evaluate(RU, opened, 60, msk(2025, 3, 12, 11, 1, 29), opened)
    late = evaluate(RU, opened, 60, msk(2025, 3, 12, 11, 1, 30), opened)
    assert met.due == msk(2025, 3, 12, 11, 0, 30)
    assert (met.status, met.used_minutes) == (ClockStatus.MET, 60)
    assert (late.status, late.overdue_minutes) == (ClockStatus.BREACHED, 1)


def test_at_risk_at_75_percent_used() -> None:
    c = clock(stopped=None, now=msk(2025, 3, 12, 13, 0))  # 180 of 240 minutes
    assert c.status is ClockStatus.AT_RISK
    assert (c.used_minutes, c.remaining_minutes) == (180, 60)


def test_running_just_below_75_percent() -> None:
    c = clock(stopped=None, now=msk(2025, 3, 12, 12, 59))  # 179 of 240 minutes
    assert c.status is ClockStatus.RUNNING
    assert (c.used_minutes, c.remaining_minutes, c.overdue_minutes) == (179, 61, 0)


def test_at_risk_threshold_is_configurable() -> None:
    now = msk(2025, 3, 12, 12, 0)  # 120 of 240 minutes
    assert clock(None, now).status is ClockStatus.RUNNING
    assert clock(None, now, at_risk_percent=50).status is ClockStatus.AT_RISK


def test_running_exactly_at_due_is_not_breached() -> None:
    assert clock(stopped=None, now=DUE).status is ClockStatus.AT_RISK


def test_opened_outside_hours_starts_at_next_opening() -> None:
    c = evaluate(RU, msk(2025, 3, 14, 18, 30), 120, None, msk(2025, 3, 15, 12, 0), name="start")
    assert c.name == "start"
    assert c.due == msk(2025, 3, 17, 10, 30)
    assert c.used_minutes == 30  # only Friday 18:30-19:00 counts
    assert c.status is ClockStatus.RUNNING


def test_opened_on_holiday_new_year_break() -> None:
    c = evaluate(RU, msk(2026, 1, 3, 12, 0), 60, msk(2026, 1, 12, 9, 30), msk(2026, 1, 12, 9, 30))
    assert c.due == msk(2026, 1, 12, 10, 0)
    assert c.status is ClockStatus.MET
    assert c.used_minutes == 30


def test_stopped_before_opened_counts_zero() -> None:
    c = clock(stopped=msk(2025, 3, 12, 9, 0), now=msk(2025, 3, 12, 12, 0))
    assert c.status is ClockStatus.MET
    assert (c.used_minutes, c.remaining_minutes) == (0, TARGET)


def test_datetimes_are_returned_in_calendar_zone() -> None:
    c = clock(stopped=datetime(2025, 3, 12, 8, 0, tzinfo=UTC), now=OPENED)
    assert c.stopped is not None and c.stopped.tzinfo == MSK
    assert c.stopped == msk(2025, 3, 12, 11, 0)


def test_invalid_arguments() -> None:
    with pytest.raises(InputError):
        evaluate(RU, OPENED, -1, None, OPENED)
    with pytest.raises(InputError):
        evaluate(RU, OPENED, 60, None, OPENED, at_risk_percent=101)
    with pytest.raises(InputError):
        evaluate(RU, datetime(2025, 3, 12, 10, 0), 60, None, OPENED)


_LO = datetime(2025, 1, 1, tzinfo=UTC)
instants = st.integers(0, 2 * 366 * 86400).map(lambda s: _LO + timedelta(seconds=s))


@settings(max_examples=100, deadline=None)
@given(instants, st.integers(1, 3000), st.one_of(st.none(), instants), instants)
def test_clock_invariants(
    opened: datetime, target: int, stopped: datetime | None, now: datetime
) -> None:
    c = evaluate(RU, opened, target, stopped, now)
    assert c.remaining_minutes == c.target_minutes - c.used_minutes
    assert c.overdue_minutes >= 0
    assert c.used_minutes >= 0
    end = stopped if stopped is not None else now
    if c.used_minutes > c.target_minutes:
        assert c.status is ClockStatus.BREACHED
        assert c.overdue_minutes == c.used_minutes - c.target_minutes >= 1
        assert end > c.due
    else:
        assert c.overdue_minutes == 0
        assert c.status is not ClockStatus.BREACHED
    if c.status is ClockStatus.BREACHED:
        assert c.overdue_minutes >= 1
