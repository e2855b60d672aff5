"""A timesheet: who worked how long, on which days and for which clients, with totals.

Pure: the store sums the minutes by engineer, client and day; this arranges them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

__all__ = ["Day", "Engineer", "Timesheet", "timesheet"]


@dataclass(frozen=True)
class Day:
    on: date
    minutes: int
    clients: tuple[tuple[str, int], ...]  # client key, minutes; by key


@dataclass(frozen=True)
class Engineer:
    by: str
    days: tuple[Day, ...]
    clients: tuple[tuple[str, int], ...]  # the whole period's minutes by client

    @property
    def minutes(self) -> int:
        return sum(d.minutes for d in self.days)


@dataclass(frozen=True)
class Timesheet:
    engineers: tuple[Engineer, ...]

    @property
    def minutes(self) -> int:
        return sum(e.minutes for e in self.engineers)

    @property
    def clients(self) -> tuple[tuple[str, int], ...]:
        """Everyone's minutes by client."""
        return _summed((k, m) for e in self.engineers for k, m in e.clients)


def _summed(pairs: Iterable[tuple[str, int]]) -> tuple[tuple[str, int], ...]:
    totals: dict[str, int] = defaultdict(int)
    for key, minutes in pairs:
        totals[key] += minutes
    return tuple(sorted(totals.items()))


def timesheet(rows: Iterable[tuple[str, str, date, int]]) -> Timesheet:
    """From (engineer, client, day, minutes) sums; engineers and days in order."""
    by_engineer: dict[str, dict[date, list[tuple[str, int]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for by, client, on, minutes in rows:
        by_engineer[by][on].append((client, minutes))
    engineers = []
    for by in sorted(by_engineer):
        days = tuple(
            Day(on, sum(m for _, m in pairs), _summed(pairs))
            for on, pairs in sorted(by_engineer[by].items())
        )
        clients = _summed((k, m) for d in days for k, m in d.clients)
        engineers.append(Engineer(by, days, clients))
    return Timesheet(tuple(engineers))
