"""What verifying reads of the entries of closed months in one pass (``Entries.sealed_batches``):
which month each is dated in, and the month's totals summed as its rows come."""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any

from sla_cli.domain.month import Month
from sla_cli.store.convert import to_kopecks


class MonthSums:
    """A month's entries summed as ``month_usage`` sums them in SQL (by contract, category and
    kind: minutes, kopecks), from its sealed rows as they are read. A value of another type
    than the ledger stores there is left to SQL (``exact`` turns False)."""

    def __init__(self) -> None:
        self.totals: dict[tuple[Any, str, Any], list[int]] = defaultdict(lambda: [0, 0])
        self.exact = True

    def add(self, rows: Iterable[Sequence[Any]]) -> None:
        """Sealed rows (``Entries.sealed_rows``): minutes at 5, category 7, kind 8, amount 9."""
        totals = self.totals
        for r in rows:
            category, minutes, amount = r[7], r[5], r[9]
            if type(minutes) is not int or not (amount is None or type(amount) is Decimal):
                self.exact = False
            if not self.exact:
                return
            if category == "work" or category == "topup":
                found = totals[r[1], category, r[8]]
                found[0] += minutes
                if amount is not None:
                    found[1] += to_kopecks(amount)


def month_index(months: Sequence[Month]) -> Callable[[Sequence[Any]], int | None]:
    """Which of ``months`` (oldest first) a sealed row is dated in, if any: compared with
    their bounds as the database compares its dates (SQLite: as text, by code point)."""
    days = [(m.first_day, m.bounds[1]) for m in months]
    firsts, ends = [a for a, _ in days], [b for _, b in days]
    texts, text_ends = [a.isoformat() for a in firsts], [b.isoformat() for b in ends]

    def index(row: Sequence[Any]) -> int | None:
        day = row[4]
        starts, stops = (texts, text_ends) if type(day) is str else (firsts, ends)
        i = bisect_right(starts, day) - 1
        return i if i >= 0 and day < stops[i] else None

    return index
