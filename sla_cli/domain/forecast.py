"""Forecasts: at the pace of the recent past, when a package's hours run out and when a month's
hours are used up, and whether a month is on pace.

The pace is the hours worked in the last 30 days (from the contract's start when later) divided
by the working days among them, on the production calendar: hours a working day. The hours
left are then spent at that pace, a working day at a time from the day after today, and the
forecast is the working day on which they run out. The same month of last year gives a second
pace where the client worked then. No forecast comes from fewer than 5 working days of data,
nor from a pace of nothing.

A month is "on pace" while the share of its hours used is within 5 points of the share of its
working days gone (today included); "ahead" when more of the hours are used than of the month
has gone (they will run out before its end at this rate), "behind" when fewer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta
from fractions import Fraction
from typing import NamedTuple

from sla_cli.domain.month import Month

WINDOW_DAYS = 30
MIN_WORKING_DAYS = 5
HORIZON_DAYS = 366  # a package lasting longer than a year at this pace: no date
MARGIN_POINTS = 5

Working = Callable[[date], bool]


class Pace(NamedTuple):
    """Minutes worked over a span of days, and the working days in it."""

    basis: str  # "last 30 days", or "YYYY-MM" for the same month last year
    first: date
    last: date
    minutes: int
    working_days: int

    @property
    def per_day(self) -> Fraction:
        """Minutes a working day."""
        return Fraction(self.minutes, self.working_days)


class Forecast(NamedTuple):
    """When the ``left_minutes`` run out at ``pace``: ``runs_out_on`` (None: not by
    ``until``)."""

    pace: Pace
    left_minutes: int
    runs_out_on: date | None
    until: date  # the last day looked at: the month's end, or a year ahead for a package


def working_days(first: date, last: date, working: Working) -> int:
    return sum(1 for d in _days(first, last) if working(d))


def _days(first: date, last: date) -> Iterable[date]:
    d = first
    while d <= last:
        yield d
        d += timedelta(days=1)


def pace_of(
    daily: Iterable[tuple[date, int]], first: date, last: date, working: Working, basis: str
) -> Pace | None:
    """The pace of the minutes worked each day in ``first``–``last``; None from fewer than
    5 working days of data."""
    if last < first:
        return None
    days = working_days(first, last, working)
    if days < MIN_WORKING_DAYS:
        return None
    minutes = sum(m for d, m in daily if first <= d <= last)
    return Pace(basis, first, last, minutes, days)


def recent_pace(
    daily: Iterable[tuple[date, int]], today: date, start: date, working: Working
) -> Pace | None:
    """The pace of the last 30 days up to ``today`` (from ``start`` when later)."""
    first = max(today - timedelta(days=WINDOW_DAYS - 1), start)
    return pace_of(daily, first, today, working, f"last {WINDOW_DAYS} days")


def last_year_pace(
    daily: Iterable[tuple[date, int]], month: Month, working: Working
) -> Pace | None:
    """The pace of the same month last year, when anything was worked in it."""
    then = month.plus(-12)
    found = pace_of(daily, then.first_day, then.last_day, working, str(then))
    return found if found is not None and found.minutes > 0 else None


def runs_out(left: int, pace: Pace, today: date, until: date, working: Working) -> Forecast:
    """The working day after ``today`` on which ``left`` minutes are spent at ``pace``."""
    if left <= 0:
        return Forecast(pace, left, today, until)
    if pace.minutes <= 0:
        return Forecast(pace, left, None, until)
    remaining = Fraction(left)
    for d in _days(today + timedelta(days=1), until):
        if working(d):
            remaining -= pace.per_day
            if remaining <= 0:
                return Forecast(pace, left, d, until)
    return Forecast(pace, left, None, until)


def package_forecast(left: int, pace: Pace, today: date, working: Working) -> Forecast:
    """When a package's ``left`` minutes run out (looked for up to a year ahead)."""
    return runs_out(left, pace, today, today + timedelta(days=HORIZON_DAYS), working)


def month_forecast(included: int, used: int, pace: Pace, today: date, working: Working) -> Forecast:
    """When the month of ``today``'s ``included`` minutes are used up, by its end or not."""
    return runs_out(included - used, pace, today, Month.of(today).last_day, working)


def month_status(included: int, used: int, today: date, working: Working) -> str:
    """ "on pace", "ahead" or "behind": the share of the month's hours used against the share
    of its working days gone (``today`` included)."""
    month = Month.of(today)
    total = working_days(month.first_day, month.last_day, working)
    gone = working_days(month.first_day, today, working)
    if total == 0 or included <= 0:
        return "on pace"
    used_points = Fraction(100 * used, included)
    gone_points = Fraction(100 * gone, total)
    if used_points > gone_points + MARGIN_POINTS:
        return "ahead"
    if used_points < gone_points - MARGIN_POINTS:
        return "behind"
    return "on pace"
