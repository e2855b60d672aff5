"""Closed months and the lock that keeps writes out of a month being closed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sla_cli.domain.month import Month
from sla_cli.store import sql
from sla_cli.store.base import Part
from sla_cli.store.convert import from_kopecks, to_kopecks

if TYPE_CHECKING:
    from sla_cli.domain.billing import MonthClose
    from sla_cli.domain.seal import Figures

# Month close holds this PostgreSQL advisory lock exclusively; every write dated in a month takes
# it shared first, so no entry can slip into a month between its check and the close.
# (SQLite needs none: every writing transaction there is BEGIN IMMEDIATE.)
MONTH_CLOSE_LOCK = 0x5_1A_C105E


class Months(Part):
    """Month closes: what each sealed, and the figures it stored."""

    def is_closed(self, month: Month) -> bool:
        return bool(self.db.value(f"SELECT {sql.month_closed(':m')}", {"m": str(month)}))

    def latest_closed(self) -> Month | None:
        label = self.db.value("SELECT max(month) FROM closed_months")
        return None if label is None else Month.parse(label)

    def closed_months(self) -> list[tuple[Month, str | None]]:
        """Every closed month, oldest first, with the digest its close recorded."""
        rows = self.db.rows("SELECT month, digest FROM closed_months ORDER BY month")
        return [(Month.parse(r.month), r.digest) for r in rows]

    def digest_of(self, month: Month) -> str | None:
        digest: str | None = self.db.value(
            "SELECT digest FROM closed_months WHERE month = :m", {"m": str(month)}
        )
        return digest

    def lock_for_write(self) -> None:
        """Before a write dated in a month: wait for any month close under way (PostgreSQL)."""
        self.db.lock(MONTH_CLOSE_LOCK, shared=True)

    def lock_for_close(self) -> None:
        """Serialise month close (SQLite's writing transaction holds its write lock already)."""
        self.db.lock(MONTH_CLOSE_LOCK)

    def clock_terms_of(self, month: Month) -> str | None:
        """What the close of ``month`` sealed its SLA clocks with (JSON); None: closed before
        they were sealed, or not closed."""
        terms: str | None = self.db.value(
            "SELECT clock_terms FROM closed_months WHERE month = :m", {"m": str(month)}
        )
        return terms

    def sealed_clock_terms(self) -> dict[Month, str]:
        """Every closed month's sealed clock terms (JSON), for those that have them."""
        rows = self.db.rows(
            "SELECT month, clock_terms FROM closed_months WHERE clock_terms IS NOT NULL "
            "ORDER BY month"
        )
        return {Month.parse(r.month): r.clock_terms for r in rows}

    def mark_closed(
        self, month: Month, user: str, digest: str, clock_terms: str | None = None
    ) -> None:
        """Record the close, the last write of its transaction, stamped when it commits: the
        real clock now (not the transaction's start, which may have waited for the lock)."""
        self.db.insert_many(
            "closed_months",
            [{"month": str(month), "closed_at": self.db.commit_clock(), "closed_by": user,
              "digest": digest, "clock_terms": clock_terms}],
        )  # fmt: skip

    def save_closing(
        self, month: Month, contract_id: int, figures: MonthClose, digest: str
    ) -> None:
        """One contract's figures for the closed month, and its own seal (``digest``)."""
        self.db.insert(
            "closings",
            {
                "month": str(month),
                "contract_id": contract_id,
                "burned_minutes": figures.burned_minutes,
                "overage_minutes": figures.overage_minutes,
                "overage_kopecks": to_kopecks(figures.overage_amount),
                "carried_minutes": figures.carried_minutes,
                "closing_balance_minutes": figures.closing_balance_minutes,
                "amount_due_kopecks": to_kopecks(figures.amount_due),
                "entries_digest": digest,
            },
        )

    def closing_digests(self, month: Month) -> dict[int, str | None]:
        """Each closed contract's own seal, by id (None: closed before revision 0010, which
        an upgrade from an older revision also reads the closes through)."""
        rows = self.db.rows("SELECT * FROM closings WHERE month = :m", {"m": str(month)})
        return {r.contract_id: getattr(r, "entries_digest", None) for r in rows}

    def closings(self, month: Month) -> Figures:
        """The figures the month's close stored, by contract id, with the client's key."""
        from sla_cli.domain.seal import ClosedFigures

        rows = self.db.rows(
            "SELECT x.*, k.key AS client_key FROM closings x "
            "JOIN contracts c ON c.id = x.contract_id JOIN clients k ON k.id = c.client_id "
            "WHERE x.month = :m",
            {"m": str(month)},
        )
        return {
            r.contract_id: (
                r.client_key,
                ClosedFigures(
                    burned_minutes=r.burned_minutes,
                    overage_minutes=r.overage_minutes,
                    overage_amount=from_kopecks(r.overage_kopecks),
                    carried_minutes=r.carried_minutes,
                    closing_balance_minutes=r.closing_balance_minutes,
                    amount_due=from_kopecks(r.amount_due_kopecks),
                ),
            )
            for r in rows
        }
