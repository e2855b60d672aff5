"""Business calendar: working days, working hours and business-time arithmetic.

Pure module: no I/O, no database, no terminal output. The production calendar comes from
the ``holidays`` package, imported lazily on first need so that the CLI starts fast (through
``sla_cli.domain.production``, whose source the CLI replaces with one that keeps them on disk).

Internally every instant is an integer number of microseconds since the Unix epoch, and
the working intervals of the covered years are kept as sorted lists, so ``add`` and
``between`` are two binary searches each instead of a walk over days.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sla_cli.domain import production
from sla_cli.domain.month import Month
from sla_cli.domain.schedule import Schedule, ScheduleError
from sla_cli.errors import ConfigError, InputError

__all__ = ["BusinessCalendar", "PeriodSummary", "Schedule", "ScheduleError"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)
_US_PER_SECOND = 1_000_000
_US_PER_MINUTE = 60 * _US_PER_SECOND
_ONE_DAY = timedelta(days=1)
_ONE_HOUR = timedelta(hours=1)
_MIN_YEAR = 2
_MAX_YEAR = 9998
_BARREN_YEARS_LIMIT = 20


@dataclass(frozen=True)
class PeriodSummary:
    """Working-time figures of a year or a month (what ``sla calendar`` prints)."""

    label: str  # "2025" or "2025-01"
    working_days: int
    working_minutes: int
    holidays: tuple[date, ...]  # non-working dates listed as holidays (incl. config), sorted
    working_weekend_days: tuple[date, ...]  # working days outside the schedule's weekdays


@dataclass
class _Index:
    """Working intervals of the covered years, as epoch microseconds."""

    lo_year: int = 0
    hi_year: int = -1
    lo_us: int = 0  # local midnight of lo_year-01-01
    hi_us: int = 0  # local midnight of (hi_year + 1)-01-01
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    cum_start: list[int] = field(default_factory=list)  # business µs before interval i
    cum_end: list[int] = field(default_factory=list)  # business µs up to the end of interval i
    total: int = 0


class BusinessCalendar:
    """Working days and business-time arithmetic for one ``Schedule``."""

    tz: ZoneInfo

    def __init__(self, schedule: Schedule = Schedule()) -> None:
        try:
            self.tz = ZoneInfo(schedule.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ScheduleError("timezone", f"unknown time zone {schedule.timezone!r}") from None
        self.schedule = schedule
        self._holidays: dict[int, frozenset[date]] = {}
        self._public: dict[int, frozenset[date]] = {}  # public holidays only (art. 112)
        self._moved_from: dict[date, date] = {}  # a weekend day worked: the day off it gave
        self._weekend_workdays: dict[int, frozenset[date]] = {}
        self._unread: dict[int, tuple[frozenset[date], tuple[tuple[date, date], ...]]] = {}
        self._days: dict[date, tuple[datetime, datetime] | None] = {}
        self._year_intervals: dict[int, list[tuple[int, int]]] = {}
        self._index = _Index()
        self._barren_years = 0

    # -- production calendar -------------------------------------------------------------

    def _load_year(self, year: int) -> None:
        found = production.source(self.schedule.country, year)
        self._holidays[year], self._weekend_workdays[year] = found[0], found[1]
        self._unread[year] = found[2], found[3]

    def production_holidays(self, year: int) -> frozenset[date]:
        """Dates the production calendar lists as holidays or moved days off in ``year``."""
        if year not in self._holidays:
            self._load_year(year)
        return self._holidays[year]

    def _weekend_workday_set(self, year: int) -> frozenset[date]:
        if year not in self._weekend_workdays:
            self._load_year(year)
        return self._weekend_workdays[year]

    def is_working_day(self, d: date) -> bool:
        """Whether ``d`` is a working day (production calendar plus config overrides)."""
        if isinstance(d, datetime):
            raise InputError("is_working_day expects a date, not a datetime")
        s = self.schedule
        if d in s.extra_holidays:
            return False
        if d in s.extra_workdays:
            return True
        if d in self._weekend_workday_set(d.year):
            return True
        return d.weekday() in s.weekdays and d not in self.production_holidays(d.year)

    def public_holidays(self, year: int) -> frozenset[date]:
        """The public holidays themselves (ТК РФ art. 112), without the days off moved to
        follow them (a holiday on a weekend, observed later) or moved by decree."""
        if year not in self._public:
            if year not in self._unread:
                self._load_year(year)
            public, moved = self._unread[year]
            self._moved_from.update(moved)  # a year's moves are known once it is asked for
            self._public[year] = public
        return self._public[year]

    def _is_preholiday(self, d: date) -> bool:
        """ТК РФ art. 95: the working day just before a public holiday is an hour shorter. A
        weekend day worked in place of a day off moved away from it stands in for that day, and
        is shortened when that day would have been (2 November 2024 for 30 April)."""
        nxt = d + _ONE_DAY
        if nxt in self.public_holidays(nxt.year) and not self.is_working_day(nxt):
            return True
        if d.weekday() in self.schedule.weekdays:
            return False
        for year in (d.year, d.year + 1):
            self.public_holidays(year)
        instead = self._moved_from.get(d)
        if instead is None:
            return False
        after = instead + _ONE_DAY
        return after in self.public_holidays(after.year) and not self.is_working_day(after)

    def day_interval(self, d: date) -> tuple[datetime, datetime] | None:
        """Working hours of ``d`` as aware datetimes in ``tz``; None on a day off."""
        try:
            return self._days[d]
        except KeyError:
            pass
        result: tuple[datetime, datetime] | None = None
        if self.is_working_day(d):
            s = self.schedule
            start = datetime.combine(d, s.day_start, tzinfo=self.tz)
            end_wall = datetime.combine(d, s.day_end)
            if s.shorten_preholiday and self._is_preholiday(d):
                end_wall -= _ONE_HOUR
            result = (start, end_wall.replace(tzinfo=self.tz))
        self._days[d] = result
        return result

    # -- instants ------------------------------------------------------------------------

    def to_local(self, t: datetime) -> datetime:
        """``t`` as an aware datetime in ``tz``; a naive datetime is an ``InputError``."""
        return self._from_us(_to_us(t))

    def _from_us(self, us: int) -> datetime:
        seconds, micro = divmod(us, _US_PER_SECOND)
        result = datetime.fromtimestamp(seconds, self.tz)
        return result.replace(microsecond=micro) if micro else result

    def _local_year(self, us: int) -> int:
        return datetime.fromtimestamp(us // _US_PER_SECOND, self.tz).year

    def _year_start_us(self, year: int) -> int:
        return (datetime(year, 1, 1, tzinfo=self.tz) - _EPOCH) // _US

    def _intervals_of_year(self, year: int) -> list[tuple[int, int]]:
        cached = self._year_intervals.get(year)
        if cached is not None:
            return cached
        result: list[tuple[int, int]] = []
        d = date(year, 1, 1)
        while d.year == year:
            interval = self.day_interval(d)
            if interval is not None:
                start = (interval[0] - _EPOCH) // _US
                end = (interval[1] - _EPOCH) // _US
                if end > start:
                    result.append((start, end))
            d += _ONE_DAY
        self._year_intervals[year] = result
        return result

    def _cover_years(self, lo_year: int, hi_year: int) -> None:
        if lo_year < _MIN_YEAR or hi_year > _MAX_YEAR:
            raise InputError(f"dates are supported in years {_MIN_YEAR}–{_MAX_YEAR}")
        idx = _Index(lo_year, hi_year, self._year_start_us(lo_year))
        idx.hi_us = self._year_start_us(hi_year + 1)
        acc = 0
        for year in range(lo_year, hi_year + 1):
            for start, end in self._intervals_of_year(year):
                idx.starts.append(start)
                idx.ends.append(end)
                idx.cum_start.append(acc)
                acc += end - start
                idx.cum_end.append(acc)
        idx.total = acc
        self._index = idx

    def _cover(self, us: int) -> _Index:
        idx = self._index
        if idx.lo_us <= us < idx.hi_us:
            return idx
        year = self._local_year(us)
        if idx.hi_year < idx.lo_year:  # nothing covered yet
            self._cover_years(year, year)
        else:
            self._cover_years(min(idx.lo_year, year), max(idx.hi_year, year))
        return self._index

    def _grow(self, need_us: int) -> _Index:
        """Cover more years forward; the lower bound (and so cumulative sums) stay put."""
        idx = self._index
        n_years = idx.hi_year - idx.lo_year + 1
        per_year = idx.total // n_years
        extra = 1 if per_year == 0 else max(1, -(-need_us // per_year))
        before = idx.total
        self._cover_years(idx.lo_year, idx.hi_year + extra)
        if self._index.total == before:
            self._barren_years += extra
            if self._barren_years >= _BARREN_YEARS_LIMIT:
                raise ConfigError("the schedule has no working time ahead")
        else:
            self._barren_years = 0
        return self._index

    def _position(self, idx: _Index, us: int) -> int:
        """Business microseconds from the start of the index up to ``us``."""
        i = bisect_right(idx.ends, us)
        if i == len(idx.ends):
            return idx.total
        start = idx.starts[i]
        return idx.cum_start[i] + (us - start if us > start else 0)

    # -- public arithmetic ---------------------------------------------------------------

    def is_business_moment(self, t: datetime) -> bool:
        """Whether ``start <= t < end`` on a working day."""
        us = _to_us(t)
        idx = self._cover(us)
        i = bisect_right(idx.ends, us)
        return i < len(idx.starts) and idx.starts[i] <= us

    def add(self, start: datetime, minutes: int) -> datetime:
        """Earliest moment at which business time elapsed since ``start`` reaches ``minutes``.

        The result may be exactly a day's closing time (19:00). ``add(t, 0)`` is ``t``
        itself inside business hours, else the next opening.
        """
        if minutes < 0:
            raise InputError(f"business minutes to add must not be negative, got {minutes}")
        us = _to_us(start)
        idx = self._cover(us)
        i = bisect_right(idx.ends, us)
        while i == len(idx.ends):
            idx = self._grow(0)
            i = bisect_right(idx.ends, us)
        first = idx.starts[i]
        if minutes == 0:
            return self._from_us(us if us > first else first)
        target = idx.cum_start[i] + (us - first if us > first else 0) + minutes * _US_PER_MINUTE
        k = bisect_left(idx.cum_end, target)
        while k == len(idx.cum_end):
            idx = self._grow(target - idx.total)
            k = bisect_left(idx.cum_end, target)
        return self._from_us(idx.starts[k] + target - idx.cum_start[k])

    def between(self, a: datetime, b: datetime) -> int:
        """Whole business minutes in ``[a, b)``, truncated toward zero; negative if b < a."""
        ua = _to_us(a)
        ub = _to_us(b)
        self._cover(ua)
        idx = self._cover(ub)
        diff = self._position(idx, ub) - self._position(idx, ua)
        if diff >= 0:
            return diff // _US_PER_MINUTE
        return -(-diff // _US_PER_MINUTE)

    def summary(self, year: int, month: int | None = None) -> PeriodSummary:
        """Working days, minutes, holidays and working weekend days of a year or month."""
        if month is None:
            first, stop, label = date(year, 1, 1), date(year + 1, 1, 1), f"{year:04d}"
        else:
            period = Month(year, month)
            (first, stop), label = period.bounds, str(period)
        s = self.schedule
        days = 0
        worked = timedelta()
        off: list[date] = []
        weekend_work: list[date] = []
        d = first
        while d < stop:
            interval = self.day_interval(d)
            if interval is not None:
                days += 1
                worked += interval[1] - interval[0]
                if d.weekday() not in s.weekdays:
                    weekend_work.append(d)
            elif d in s.extra_holidays or d in self.production_holidays(d.year):
                off.append(d)
            d += _ONE_DAY
        return PeriodSummary(
            label=label,
            working_days=days,
            working_minutes=int(worked.total_seconds()) // 60,
            holidays=tuple(off),
            working_weekend_days=tuple(weekend_work),
        )


def _to_us(t: datetime) -> int:
    """Epoch microseconds of an aware datetime."""
    if t.utcoffset() is None:
        raise InputError(f"a time with a time zone is required, got {t.isoformat()}")
    return (t - _EPOCH) // _US
