"""Closed months checked against their closes: `sla verify`, and statements that refuse to print
figures a close no longer backs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from itertools import zip_longest
from typing import TYPE_CHECKING

from sla_cli.domain.billing import close_month
from sla_cli.domain.clock import Clock
from sla_cli.domain.clock_terms import ClockTerms
from sla_cli.domain.month import Month
from sla_cli.domain.records import ContractRecord
from sla_cli.domain.seal import ClosedFigures, Difference, Figures, compare, describe, month_digest
from sla_cli.errors import CheckFailed
from sla_cli.ops.incidents import clocks_of, month_incidents

if TYPE_CHECKING:
    from sla_cli.store.guard_checks import BypassRole, GuardProblem
    from sla_cli.store.store import Store


def seal(s: Store, month: Month, active: list[ContractRecord], clock_terms: str | None) -> str:
    """The digest of ``month`` as its rows stand: its entries, the terms of ``active`` and
    what its clocks are computed with."""
    return month_digest(s.sealed_rows(month), active, clock_terms)


def live_figures(s: Store, month: Month) -> tuple[str, Figures]:
    """What closing ``month`` would record now (with the clock terms its close sealed): its
    digest and each contract's figures."""
    active = s.active_contracts(month)
    usage = s.month_usage(active, month)
    figures = {
        c.id: (c.client.key, ClosedFigures.of(close_month(c.terms(month), usage[c.id])))
        for c in active
    }
    return seal(s, month, active, s.clock_terms_of(month)), figures


def check_month(s: Store, month: Month, stored_digest: str | None) -> list[Difference]:
    digest, live = live_figures(s, month)
    return compare(month, stored_digest, digest, s.closings(month), live)


def clock_differences(
    s: Store, month: Month, sealed: ClockTerms, current: ClockTerms, now: datetime
) -> list[Difference]:
    """The clocks of ``month``'s incidents that the config in force (``current``) would give
    otherwise than the terms its close sealed: a schedule, a holiday or the time zone changed."""
    if sealed.to_json() == current.to_json():
        return []
    then, today = clocks_of(sealed, now), clocks_of(current, now)
    out = []
    for i in month_incidents(s, sealed.timezone, month, None, also_unresolved=False):
        for was, is_ in zip_longest(then.every(i), today.every(i)):
            shown = [None if c is None else _clock_figure(i.ticket, c) for c in (was, is_)]
            if shown[0] != shown[1]:
                out.append(Difference(month, i.client.key, i.contract.id, "clock", *shown))
    return out


def _clock_figure(ticket: str, c: Clock) -> dict[str, str]:
    return {"ticket": ticket, "clock": c.name, "status": str(c.status), "due": c.due.isoformat()}


@dataclass(frozen=True)
class Verification:
    months: list[Month]  # every closed month, oldest first
    unsealed: list[Month]  # closed before digests were kept: checked by their figures
    differences: list[Difference]
    missing_guards: list[str]  # guards dropped or disabled, by name
    clocks_unsealed: list[Month] = field(default_factory=list)  # closed before clock terms
    changed_guards: list[GuardProblem] = field(default_factory=list)  # not as created
    bypass_roles: list[BypassRole] = field(default_factory=list)  # may get past the guards

    @property
    def ok(self) -> bool:
        """Every close matches and every guard is as created (the roles that may get past the
        guards are noted, and fail nothing)."""
        return not self.differences and not self.missing_guards and not self.changed_guards


def verify(
    s: Store, current: ClockTerms | None = None, now: datetime | None = None
) -> Verification:
    """Every closed month recomputed from the ledger's rows and compared with its close; with
    the config's ``current`` clock terms, each month's clocks too (as they stand at ``now``)."""
    closed = s.closed_months()
    differences = [d for month, digest in closed for d in check_month(s, month, digest)]
    unsealed = [m for m, digest in closed if digest is None]
    terms = s.sealed_clock_terms()
    if current is not None and now is not None:
        for month, sealed in terms.items():
            differences += clock_differences(s, month, ClockTerms.from_json(sealed), current, now)
    no_terms = [m for m, _ in closed if m not in terms]
    from sla_cli.ops.closing import document_differences

    differences += document_differences(s)
    from sla_cli.store.guard_checks import changed, missing

    guards = s.guard_problems()
    months = [m for m, _ in closed]
    return Verification(
        months, unsealed, differences, missing(guards), no_terms, changed(guards), s.bypass_roles()
    )


def ensure_unchanged(s: Store, month: Month) -> None:
    """A closed month's statement prints the figures of its close, or says they changed."""
    found = check_month(s, month, s.digest_of(month))
    if found:
        shown = "; ".join(describe(d) for d in found[:3])
        more = f" (and {len(found) - 3} more)" if len(found) > 3 else ""
        raise CheckFailed(
            f"{month} no longer matches its close, so its statement is not printed: "
            f"{shown}{more}; `sla verify` lists every difference"
        )
