"""The company's working schedule, checked as it is built (the config builds it once)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sla_cli.errors import ConfigError

__all__ = ["Schedule", "ScheduleError", "span"]

_ONE_HOUR = timedelta(hours=1)


class ScheduleError(ConfigError):
    """A schedule that contradicts itself; ``field`` names the offending ``Schedule`` field."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


@dataclass(frozen=True)
class Schedule:
    """Company working schedule; the defaults are the SPEC §3 schedule."""

    timezone: str = "Europe/Moscow"
    day_start: time = time(9, 0)
    day_end: time = time(19, 0)
    weekdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})  # Monday = 0
    country: str = "RU"  # country code for the holidays package
    extra_holidays: frozenset[date] = frozenset()  # forced non-working dates
    extra_workdays: frozenset[date] = frozenset()  # forced working dates
    shorten_preholiday: bool = False  # day before a holiday ends 1 h early (RU LC art. 95)

    def __post_init__(self) -> None:
        for name in ("weekdays", "extra_holidays", "extra_workdays"):
            object.__setattr__(self, name, frozenset(getattr(self, name)))
        if self.day_start.tzinfo is not None or self.day_end.tzinfo is not None:
            raise ScheduleError("day_start", "day_start and day_end are wall-clock times")
        if self.day_end <= self.day_start:
            raise ScheduleError("day_end", "the working day must end after it starts")
        if self.shorten_preholiday and span(self.day_start, self.day_end) <= _ONE_HOUR:
            hours = f"{self.day_start:%H:%M}–{self.day_end:%H:%M}"
            raise ScheduleError(
                "shorten_preholiday", f"needs a working day longer than one hour, not {hours}"
            )
        if any(not 0 <= w <= 6 for w in self.weekdays):
            raise ScheduleError("weekdays", "weekdays are 0 (Monday) to 6 (Sunday)")
        both = self.extra_holidays & self.extra_workdays
        if both:
            listed = ", ".join(d.isoformat() for d in sorted(both))
            verb = "is" if len(both) == 1 else "are"
            raise ScheduleError("extra_workdays", f"{listed} {verb} also in extra_holidays")


def span(a: time, b: time) -> timedelta:
    day = date(2000, 1, 1)
    return datetime.combine(day, b) - datetime.combine(day, a)
