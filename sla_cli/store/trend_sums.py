"""What `trends` sums in SQL: a span of months' entries by contract, month, category, kind and
author, in one grouped query over the dates asked (the index on contract and date), so the cost
grows with the months asked, not with the ledger."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from sla_cli.store import convert
from sla_cli.store.base import Part

if TYPE_CHECKING:
    from sla_cli.domain.billing import MonthUsage
    from sla_cli.domain.records import ContractRecord


class TrendSums(Part):
    def span_sums(
        self, contract_ids: Sequence[int], first: date, nxt: date
    ) -> list[tuple[int, str, str, str | None, str, int, int | None]]:
        """Work and packages bought from ``first`` to before ``nxt``: (contract id, YYYY-MM,
        category, kind, by, minutes, kopecks), summed as ``month_usage`` sums them."""
        if not contract_ids:
            return []
        month = self.db.month_of('"on"')
        rows: list[Any] = self.db.rows(
            f"SELECT contract_id, {month} AS month, category, kind, e.by AS engineer, "
            "sum(minutes) AS minutes, sum(amount_kopecks) AS kopecks FROM entries e "
            "WHERE contract_id IN (:ids) "
            "AND \"on\" >= :first AND \"on\" < :next AND category IN ('work', 'topup') "
            "GROUP BY contract_id, 2, category, kind, e.by",
            {"ids": list(contract_ids), "first": first, "next": nxt},
        )
        return [
            (r.contract_id, str(r.month), r.category, r.kind, r.engineer, int(r.minutes or 0),
             None if r.kopecks is None else int(r.kopecks))
            for r in rows
        ]  # fmt: skip


def span_usage(
    rows: Sequence[tuple[int, str, str, str | None, str, int, int | None]],
    contracts: Sequence[ContractRecord],
    month: str,
    opening: Callable[[ContractRecord], int],
) -> tuple[dict[int, MonthUsage], dict[int, dict[str, int]]]:
    """One month of ``span_sums``: each contract's usage (as ``month_usage`` gives it) and the
    minutes each engineer worked on it."""
    from sla_cli.domain.kinds import EntryType

    mine = [r for r in rows if r[1] == month]
    usage = convert.month_usages(contracts, ((r[0], r[2], r[3], r[5], r[6]) for r in mine), opening)
    engineers: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in mine:
        if r[2] == EntryType.WORK:
            engineers[r[0]][r[4]] += r[5]
    return usage, engineers
