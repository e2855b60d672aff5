"""A running timer becomes an entry: its minutes, its start, and what is refused."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from sla_cli.domain.kinds import WorkKind
from sla_cli.domain.timers import TimerRecord, elapsed_minutes, plan_stop
from sla_cli.errors import InputError

MSK = ZoneInfo("Europe/Moscow")
STARTED = datetime(2026, 11, 24, 23, 50, 30, tzinfo=MSK)
TIMER = TimerRecord(1, "ACME", "ACME-12", WorkKind.DEV, "logs", STARTED, "anna")


@pytest.mark.parametrize(
    ("after", "minutes"),
    [(timedelta(seconds=59), 0), (timedelta(minutes=1), 1), (timedelta(hours=2, seconds=30), 120)],
)
def test_whole_minutes_once_passed(after: timedelta, minutes: int) -> None:
    assert elapsed_minutes(TIMER, STARTED + after) == minutes


def test_the_entry_starts_when_the_timer_did_and_is_dated_that_day() -> None:
    work = plan_stop(TIMER, STARTED + timedelta(minutes=25), MSK, None)
    assert (work.on, work.start, work.minutes) == (date(2026, 11, 24), time(23, 50, 30), 25)
    assert (work.ticket, work.kind, work.note, work.client_key) == (
        "ACME-12",
        "dev",
        "logs",
        "ACME",
    )
    assert plan_stop(TIMER, STARTED + timedelta(minutes=5), MSK, "done").note == "done"


def test_too_long_is_refused() -> None:
    with pytest.raises(InputError, match="24h"):
        plan_stop(TIMER, STARTED + timedelta(hours=24, minutes=1), MSK, None)


@pytest.mark.parametrize("after", [timedelta(0), timedelta(seconds=30), timedelta(seconds=59)])
def test_under_a_minute_logs_one_minute(after: timedelta) -> None:
    """Started and stopped at once (the README's first session does): a minute, which the
    billing increment rounds up like any entry's."""
    assert plan_stop(TIMER, STARTED + after, MSK, None).minutes == 1
