"""SLA clocks (SPEC §3): due times and met / breached / at-risk / running status.

Pure module: the current time is always passed in as ``now``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum
from typing import NamedTuple

from sla_cli.domain.calendar import BusinessCalendar
from sla_cli.errors import InputError

__all__ = ["Clock", "ClockStatus", "Pause", "evaluate", "paused_minutes"]

Pause = tuple[datetime, datetime | None]  # a time the clock did not count; None: not over yet


class ClockStatus(StrEnum):
    """State of one SLA clock."""

    MET = "met"
    BREACHED = "breached"
    AT_RISK = "at_risk"
    RUNNING = "running"
    CANCELLED = "cancelled"  # the incident was cancelled: its clocks do not count


class Clock(NamedTuple):
    """One evaluated SLA clock; all datetimes are in the calendar's time zone."""

    name: str  # "reaction" | "start"
    started: datetime  # the incident's opened_at (business time counts from the next opening)
    due: datetime
    stopped: datetime | None
    status: ClockStatus
    target_minutes: int
    used_minutes: int  # business minutes from opened to stopped (or now), less those paused
    remaining_minutes: int  # target - used (negative when late)
    overdue_minutes: int  # business minutes past the target (0 unless breached, then >= 1)
    paused_minutes: int = 0  # business minutes it did not count while the incident waited


def paused_minutes(
    calendar: BusinessCalendar, pauses: Sequence[Pause], start: datetime, end: datetime
) -> int:
    """Business minutes of ``pauses`` within ``[start, end)``; a pause not over yet lasts
    until ``end``."""
    total = 0
    for p0, p1 in pauses:
        a, b = max(p0, start), min(p1 or end, end)
        if b > a:
            total += calendar.between(a, b)
    return total


def _due(
    calendar: BusinessCalendar, started: datetime, target: int, pauses: Sequence[Pause],
    end: datetime,
) -> datetime:  # fmt: skip
    """When the target is reached, counting no business minute paused before it: the due
    moves on by the business time waited (pauses are known up to ``end``)."""
    due = calendar.add(started, target)
    while True:
        waited = paused_minutes(calendar, pauses, started, min(due, end))
        later = calendar.add(started, target + waited)
        if later == due:
            return due
        due = later


def evaluate(
    calendar: BusinessCalendar,
    opened_at: datetime,
    target_minutes: int,
    stopped_at: datetime | None,
    now: datetime,
    at_risk_percent: int = 75,
    name: str = "reaction",
    pauses: Sequence[Pause] = (),
) -> Clock:
    """Evaluate a clock that started at ``opened_at`` with a business-minute target.

    Business minutes within ``pauses`` (the incident waiting for the client) do not count, and
    the due time moves on by them.

    Business time is counted in whole minutes (a started minute is not counted), and the
    status follows the business time used, not the wall clock: ``met`` when stopped with at
    most the target used (an ack at 19:30 for a 19:00 deadline is met: no business minute
    passed after it); ``breached`` when more than the target is used, stopped or still
    running, with ``overdue_minutes`` the business minutes past the target (at least 1);
    ``at_risk`` when running with at least ``at_risk_percent`` % of the target used (a clock
    that has used exactly its target is at risk, not yet breached); otherwise ``running``.
    """
    if target_minutes < 0:
        raise InputError(f"a clock's target must not be negative, got {target_minutes}")
    if not 0 <= at_risk_percent <= 100:
        raise InputError(f"at_risk_percent must be between 0 and 100, got {at_risk_percent}")
    started = calendar.to_local(opened_at)
    stopped = calendar.to_local(stopped_at) if stopped_at is not None else None
    end = stopped if stopped is not None else calendar.to_local(now)
    due = calendar.to_local(_due(calendar, started, target_minutes, pauses, end))
    paused = paused_minutes(calendar, pauses, started, end)
    used = max(0, calendar.between(started, end) - paused)
    late = used > target_minutes
    overdue = used - target_minutes if late else 0
    if stopped is not None:
        status = ClockStatus.BREACHED if late else ClockStatus.MET
    elif late:
        status = ClockStatus.BREACHED
    elif used * 100 >= at_risk_percent * target_minutes:
        status = ClockStatus.AT_RISK
    else:
        status = ClockStatus.RUNNING
    return Clock(
        name=name,
        started=started,
        due=due,
        stopped=stopped,
        status=status,
        target_minutes=target_minutes,
        used_minutes=used,
        remaining_minutes=target_minutes - used,
        overdue_minutes=overdue,
        paused_minutes=paused,
    )
