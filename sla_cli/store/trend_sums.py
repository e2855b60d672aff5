"""What `trends` sums in SQL: a span of months' entries by contract, month, category, kind and
author, in one grouped query over the dates asked (the index on contract and date), so the cost
grows with the months asked, not with the ledger."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING

from sla_cli.store import convert
from sla_cli.store.base import Part

if TYPE_CHECKING:
    from sla_cli.domain.billing import MonthUsage
    from sla_cli.domain.records import ContractRecord


class TrendSums(Part):
    def span_sums(
        self, contract_ids: Sequence[int], first: date, nxt: date, whole: bool = False
    ) -> list[tuple[int, str, str, str | None, str, int, int | None]]:
        """Work and packages bought from ``first`` to before ``nxt``: (contract id, YYYY-MM,
        category, kind, by, minutes, kopecks), summed as ``month_usage`` sums them; with
        ``whole``, the table read whole (most of its rows are in the span)."""
        if not contract_ids:
            return []
        month = self.db.month_of('e."on"')
        table = self.db.whole("entries e") if whole else "entries e"
        out: list[tuple[int, str, str, str | None, str, int, int | None]] = []
        # a reversal's minutes are its author's who logged what it reverses, not the voider's
        engineer = 'coalesce(o."by", e."by")'
        for batch in self.db.batches(
            f"SELECT e.contract_id, {month} AS month, e.category, e.kind, {engineer} AS engineer, "
            f"sum(e.minutes) AS minutes, sum(e.amount_kopecks) AS kopecks FROM {table} "
            "LEFT JOIN entries o ON o.id = e.reverses WHERE e.contract_id IN (:ids) "
            "AND e.\"on\" >= :first AND e.\"on\" < :next AND e.category IN ('work', 'topup') "
            f"GROUP BY e.contract_id, 2, e.category, e.kind, {engineer}",
            {"ids": list(contract_ids), "first": first, "next": nxt},
            10_000,
        ):
            out.extend(
                (r[0], str(r[1]), r[2], r[3], r[4], int(r[5] or 0),
                 None if r[6] is None else int(r[6]))
                for r in batch
            )  # fmt: skip
        return out

    def clients_daily(
        self, client_ids: Sequence[int], spans: Sequence[tuple[date, date]]
    ) -> dict[int, list[tuple[date, int]]]:
        """Hours each client's contracts had logged each day of the ``spans`` (first and last
        days), as ``client_daily`` gives one client's, in one grouped query."""
        out: dict[int, list[tuple[date, int]]] = defaultdict(list)
        if not client_ids or not spans:
            return out
        days = [f'("on" >= :first{n} AND "on" <= :last{n})' for n in range(len(spans))]
        params: dict[str, date] = {}
        for n, (a, b) in enumerate(spans):
            params[f"first{n}"], params[f"last{n}"] = a, b
        for batch in self.db.batches(
            'SELECT client_id, "on", sum(minutes) FROM entries WHERE client_id IN (:ids) '
            f"AND ({' OR '.join(days)}) AND category = 'work' "
            'GROUP BY client_id, "on" ORDER BY client_id, "on"',
            {"ids": list(client_ids), **params},
            10_000,
        ):
            for client_id, on, minutes in batch:
                day = date.fromisoformat(on) if isinstance(on, str) else on
                out[client_id].append((day, int(minutes or 0)))
        return out


def span_usage(
    rows: Sequence[tuple[int, str, str, str | None, str, int, int | None]],
    contracts: Sequence[ContractRecord],
    opening: Callable[[ContractRecord], int],
) -> tuple[dict[int, MonthUsage], dict[int, dict[str, int]]]:
    """One month's rows of ``span_sums``: each contract's usage (as ``month_usage`` gives it)
    and the minutes each engineer worked on it."""
    from sla_cli.domain.kinds import EntryType

    mine = rows
    usage = convert.month_usages(contracts, ((r[0], r[2], r[3], r[5], r[6]) for r in mine), opening)
    engineers: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in mine:
        if r[2] == EntryType.WORK:
            engineers[r[0]][r[4]] += r[5]
    return usage, engineers
