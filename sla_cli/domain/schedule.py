"""The company's working schedule, checked as it is built (the config builds it once)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any, NamedTuple, Self

from sla_cli.errors import ConfigError

__all__ = ["Schedule", "ScheduleError", "span"]

_ONE_HOUR = timedelta(hours=1)


class ScheduleError(ConfigError):
    """A schedule that contradicts itself; ``field`` names the offending ``Schedule`` field."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


class _Hours(NamedTuple):
    timezone: str
    day_start: time
    day_end: time
    weekdays: frozenset[int]  # Monday = 0
    country: str  # country code for the holidays package
    extra_holidays: frozenset[date]  # forced non-working dates
    extra_workdays: frozenset[date]  # forced working dates
    shorten_preholiday: bool  # day before a holiday ends 1 h early (RU LC art. 95)


class Schedule(_Hours):
    """Company working schedule; the defaults are the SPEC §3 schedule."""

    __slots__ = ()

    def __new__(
        cls,
        timezone: str = "Europe/Moscow",
        day_start: time = time(9, 0),
        day_end: time = time(19, 0),
        weekdays: Iterable[int] = frozenset({0, 1, 2, 3, 4}),
        country: str = "RU",
        extra_holidays: Iterable[date] = frozenset(),
        extra_workdays: Iterable[date] = frozenset(),
        shorten_preholiday: bool = False,
    ) -> Schedule:
        made = super().__new__(
            cls,
            timezone,
            day_start,
            day_end,
            frozenset(weekdays),
            country,
            frozenset(extra_holidays),
            frozenset(extra_workdays),
            shorten_preholiday,
        )
        _check(made)
        return made

    def _replace(self, **changes: Any) -> Self:
        """A changed schedule, checked as a new one is."""
        return type(self)(**{**self._asdict(), **changes})


def _check(s: Schedule) -> None:
    if s.day_start.tzinfo is not None or s.day_end.tzinfo is not None:
        raise ScheduleError("day_start", "day_start and day_end are wall-clock times")
    if s.day_end <= s.day_start:
        raise ScheduleError("day_end", "the working day must end after it starts")
    if s.shorten_preholiday and span(s.day_start, s.day_end) <= _ONE_HOUR:
        hours = f"{s.day_start:%H:%M}–{s.day_end:%H:%M}"
        raise ScheduleError(
            "shorten_preholiday", f"needs a working day longer than one hour, not {hours}"
        )
    if any(not 0 <= w <= 6 for w in s.weekdays):
        raise ScheduleError("weekdays", "weekdays are 0 (Monday) to 6 (Sunday)")
    both = s.extra_holidays & s.extra_workdays
    if both:
        listed = ", ".join(d.isoformat() for d in sorted(both))
        verb = "is" if len(both) == 1 else "are"
        raise ScheduleError("extra_workdays", f"{listed} {verb} also in extra_holidays")


def span(a: time, b: time) -> timedelta:
    day = date(2000, 1, 1)
    return datetime.combine(day, b) - datetime.combine(day, a)
