"""Timers (`sla start`, `sla stop`): the rules that turn a running timer into an entry.

Pure: the store hands in the timer and the moment; the entry goes through every rule of
`sla log` (rounding, closed months, contracts, overdraft) in ``domain.work``.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta, tzinfo
from typing import NamedTuple

from sla_cli.domain.durations import format_duration, round_up
from sla_cli.domain.kinds import WorkKind
from sla_cli.domain.work import WorkLog
from sla_cli.errors import InputError

__all__ = ["MAX_TIMER_MINUTES", "TimerRecord", "elapsed_minutes", "plan_stop"]

MAX_TIMER_MINUTES = 24 * 60  # what one entry may hold, as `sla log` allows


class TimerRecord(NamedTuple):
    """A running timer: who started it, on which ticket, and when."""

    id: int
    client_key: str
    ticket: str
    kind: WorkKind
    note: str | None
    started_at: datetime
    by: str


def elapsed_minutes(timer: TimerRecord, now: datetime) -> int:
    """Whole minutes since the timer started (a minute counts once it has passed)."""
    return max(0, int((now - timer.started_at).total_seconds() // 60))


def plan_stop(
    timer: TimerRecord, now: datetime, zone: tzinfo, note: str | None, increment: int = 1
) -> tuple[WorkLog, ...]:
    """The entries a stopped timer logs, one for each date it ran on (split at midnight, so
    each sits on its own day): from its real start (`--from`), with the stop's note if one is
    given. The run is rounded once, up to whole minutes (a timer stopped within its first
    minute logs one) and then to the billing ``increment``: each day's part takes its own
    minutes rounded up, as long as the run's rounded total lasts, and the last day what is left
    of it (none when nothing is), so that splitting a run never bills more than the run."""
    ran = now - timer.started_at
    since = timer.started_at.astimezone(zone)
    if ran > timedelta(minutes=MAX_TIMER_MINUTES):
        raise InputError(
            f"the timer on {timer.ticket} has run {format_duration(_up(ran))} since "
            f"{since:%Y-%m-%d %H:%M}, more than one entry may hold (24h): log the hours by hand "
            "with `sla log`, then drop the timer with `sla stop --discard`"
        )
    days, start, end = [], since, now.astimezone(zone)
    while True:
        midnight = datetime.combine(start.date() + timedelta(days=1), time(0), tzinfo=zone)
        stop = min(end, midnight)
        days.append((start, max(_up(stop - start), 1)))
        if end <= midnight:
            break
        start = midnight
    left = round_up(max(_up(ran), 1), increment)
    parts = []
    for n, (start, minutes) in enumerate(days):
        last = n == len(days) - 1
        taken = left if last else min(round_up(minutes, increment), left)
        if taken <= 0:
            continue
        parts.append(
            WorkLog(
                ticket=timer.ticket,
                minutes=min(taken, minutes),  # which `sla log` rounds up to ``taken``
                on=start.date(),
                start=start.time().replace(microsecond=0, tzinfo=None),
                kind=timer.kind,
                note=note if note is not None else timer.note,
                client_key=timer.client_key,
            )
        )
        left -= taken
    return tuple(parts)


def _up(span: timedelta) -> int:
    """Whole minutes of ``span``, a started one counted."""
    return -(-int(span.total_seconds()) // 60)
