"""A running timer becomes an entry: its minutes, its start, and what is refused."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from sla_cli.domain.durations import round_up
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
    """Started at 23:50:30 and stopped 25 minutes later: an entry a day, the run's 25 minutes
    between them (9.5 before midnight, taken as 10; the other 15 after)."""
    first, second = plan_stop(TIMER, STARTED + timedelta(minutes=25), MSK, None)
    assert (first.on, first.start, first.minutes) == (date(2026, 11, 24), time(23, 50, 30), 10)
    assert (second.on, second.start, second.minutes) == (date(2026, 11, 25), time(0), 15)
    assert (first.ticket, first.kind, first.note, first.client_key) == (
        "ACME-12",
        "dev",
        "logs",
        "ACME",
    )
    assert plan_stop(TIMER, STARTED + timedelta(minutes=5), MSK, "done")[0].note == "done"


def test_too_long_is_refused() -> None:
    with pytest.raises(InputError, match="24h"):
        plan_stop(TIMER, STARTED + timedelta(hours=24, minutes=1), MSK, None)


@pytest.mark.parametrize("after", [timedelta(0), timedelta(seconds=30), timedelta(seconds=59)])
def test_under_a_minute_logs_one_minute(after: timedelta) -> None:
    """Started and stopped at once (the README's first session does): a minute, which the
    billing increment rounds up like any entry's."""
    assert [w.minutes for w in plan_stop(TIMER, STARTED + after, MSK, None)] == [1]


def test_a_timer_past_midnight_is_an_entry_on_each_day() -> None:
    late = TIMER._replace(started_at=datetime(2026, 11, 30, 23, 0, 30, tzinfo=MSK))
    parts = plan_stop(late, datetime(2026, 12, 1, 1, 30, tzinfo=MSK), MSK, None)
    assert [(w.on.isoformat(), w.start.isoformat(), w.minutes) for w in parts] == [
        ("2026-11-30", "23:00:30", 60),
        ("2026-12-01", "00:00:00", 90),
    ]


@pytest.mark.parametrize(
    ("started", "stopped", "increment", "logged"),
    [
        # 23:55–00:05 with 15-minute increments: 10 minutes, one increment, on the first day
        ("23:55", "00:05", 15, [("2026-11-24", 5)]),
        # 23:30–00:20: 50 minutes, 60 billed: 30 before midnight, the other 30 after (its 20
        # rounded up)
        ("23:30", "00:20", 15, [("2026-11-24", 30), ("2026-11-25", 20)]),
        # 23:25–00:05: 40 minutes, 45 billed: 35 before midnight (rounded to 45), none after
        ("23:25", "00:05", 15, [("2026-11-24", 35)]),
        ("23:55", "00:05", 1, [("2026-11-24", 5), ("2026-11-25", 5)]),
    ],
)
def test_a_run_past_midnight_is_rounded_once(
    started: str, stopped: str, increment: int, logged: list[tuple[str, int]]
) -> None:
    """Each part's minutes as logged; `sla log` rounds the first up to the increment, which the
    run's rounded total holds, and the last is what is left of that total."""
    h, m = map(int, started.split(":"))
    timer = TIMER._replace(started_at=datetime(2026, 11, 24, h, m, tzinfo=MSK))
    h, m = map(int, stopped.split(":"))
    parts = plan_stop(timer, datetime(2026, 11, 25, h, m, tzinfo=MSK), MSK, None, increment)
    assert [(w.on.isoformat(), w.minutes) for w in parts] == logged
    billed = [round_up(w.minutes, increment) for w in parts]
    run = datetime(2026, 11, 25, h, m) - datetime(2026, 11, 24, *map(int, started.split(":")))
    assert sum(billed) == round_up(int(run.total_seconds()) // 60, increment)
