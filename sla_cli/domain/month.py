"""A calendar month, the unit of billing: ``2026-10``."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any, NamedTuple, Self

from sla_cli.domain.limits import MAX_YEAR, MIN_YEAR
from sla_cli.errors import InputError

__all__ = ["MAX_YEAR", "MIN_YEAR", "Month"]

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


class _YearMonth(NamedTuple):
    year: int
    month: int  # 1 to 12


class Month(_YearMonth):
    """A calendar month; ordered, hashable, printed as ``YYYY-MM``."""

    __slots__ = ()

    def __new__(cls, year: int, month: int) -> Month:
        if not 1 <= month <= 12:
            raise InputError(f"there is no month {month} in {year}")
        return super().__new__(cls, year, month)

    def _replace(self, **changes: Any) -> Self:
        """A changed month, checked as a new one is."""
        return type(self)(**{**self._asdict(), **changes})

    @classmethod
    def parse(cls, text: str) -> Month:
        """``2026-10`` (or ``2026-1``); years are bounded like every date of the ledger."""
        m = _MONTH.match(text.strip())
        if not m or not 1 <= int(m[2]) <= 12:
            raise InputError(f"cannot read the month {text!r}; write it like 2026-10")
        if not MIN_YEAR <= int(m[1]) <= MAX_YEAR:
            raise InputError(f"{text!r} is out of range: years {MIN_YEAR}–{MAX_YEAR}")
        return cls(int(m[1]), int(m[2]))

    @classmethod
    def of(cls, day: date) -> Month:
        """The month a day falls in."""
        return cls(day.year, day.month)

    @classmethod
    def from_serial(cls, serial: int) -> Month:
        return cls(serial // 12, serial % 12 + 1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def serial(self) -> int:
        """Months since year 0: differences of serials count months."""
        return self.year * 12 + self.month - 1

    def plus(self, months: int) -> Month:
        return Month.from_serial(self.serial + months)

    def next(self) -> Month:
        return self.plus(1)

    def previous(self) -> Month:
        return self.plus(-1)

    def months_since(self, other: Month) -> int:
        """How many months ``other`` comes before this one (negative when after)."""
        return self.serial - other.serial

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return self.next().first_day - timedelta(days=1)

    @property
    def bounds(self) -> tuple[date, date]:
        """The first day and the first day of the next month (exclusive end)."""
        return self.first_day, self.next().first_day

    @property
    def days(self) -> tuple[date, ...]:
        """Every day of the month."""
        first, nxt = self.bounds
        return tuple(date.fromordinal(d) for d in range(first.toordinal(), nxt.toordinal()))

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and (day.year, day.month) == (self.year, self.month)
