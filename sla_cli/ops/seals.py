"""Closed months checked against their closes: `sla verify`, and statements that refuse to print
figures a close no longer backs."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from sla_cli.domain.billing import close_month
from sla_cli.domain.month import Month
from sla_cli.domain.records import ContractRecord
from sla_cli.domain.seal import ClosedFigures, Difference, Figures, compare, describe, month_digest
from sla_cli.errors import CheckFailed
from sla_cli.store import contracts, entries, months
from sla_cli.store.guards import missing_guards


def seal(s: Session, month: Month, active: list[ContractRecord]) -> str:
    """The digest of ``month`` as its rows stand: its entries and the terms of ``active``."""
    return month_digest(entries.entries(s, month, None), active)


def live_figures(s: Session, month: Month) -> tuple[str, Figures]:
    """What closing ``month`` would record now: its digest and each contract's figures."""
    active = contracts.active_contracts(s, month)
    usage = entries.month_usage(s, active, month)
    figures = {
        c.id: (c.client.key, ClosedFigures.of(close_month(c.terms(month), usage[c.id])))
        for c in active
    }
    return seal(s, month, active), figures


def check_month(s: Session, month: Month, stored_digest: str | None) -> list[Difference]:
    digest, live = live_figures(s, month)
    return compare(month, stored_digest, digest, months.closings(s, month), live)


@dataclass(frozen=True)
class Verification:
    months: list[Month]  # every closed month, oldest first
    unsealed: list[Month]  # closed before digests were kept: checked by their figures
    differences: list[Difference]
    missing_guards: list[str]  # guard triggers dropped or disabled

    @property
    def ok(self) -> bool:
        return not self.differences and not self.missing_guards


def verify(s: Session) -> Verification:
    """Every closed month recomputed from the ledger's rows and compared with its close."""
    closed = months.closed_months(s)
    differences = [d for month, digest in closed for d in check_month(s, month, digest)]
    unsealed = [m for m, digest in closed if digest is None]
    return Verification([m for m, _ in closed], unsealed, differences, missing_guards(s))


def ensure_unchanged(s: Session, month: Month) -> None:
    """A closed month's statement prints the figures of its close, or says they changed."""
    found = check_month(s, month, months.digest_of(s, month))
    if found:
        shown = "; ".join(describe(d) for d in found[:3])
        more = f" (and {len(found) - 3} more)" if len(found) > 3 else ""
        raise CheckFailed(
            f"{month} no longer matches its close, so its statement is not printed: "
            f"{shown}{more}; `sla verify` lists every difference"
        )
