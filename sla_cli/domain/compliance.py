"""SLA compliance on a statement: how many clocks were met and breached, for the month and for
the twelve months up to it, and the median business time to react and to start work."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from statistics import median
from typing import NamedTuple, Protocol

from sla_cli.domain.clock import Clock, ClockStatus
from sla_cli.domain.month import Month

CLOCKS = ("reaction", "start", "resolve")
ALL_CLOCKS = "all"  # the name of several clocks counted as one
TREND_MONTHS = 12


class ClockTally(NamedTuple):
    """One clock's outcomes over some incidents: met, breached, still running."""

    clock: str
    met: int
    breached: int
    running: int  # not stopped yet (at risk or not): neither met nor breached so far

    @property
    def total(self) -> int:
        return self.met + self.breached + self.running

    @property
    def percent_met(self) -> float | None:
        """Met of those decided (met or breached), in percent; None: none decided."""
        decided = self.met + self.breached
        return None if not decided else round(100 * self.met / decided, 1)


class MonthTally(NamedTuple):
    month: Month
    clocks: tuple[ClockTally, ...]


class Compliance(NamedTuple):
    """A statement's SLA compliance."""

    month: tuple[ClockTally, ...]  # the statement's incidents (the month's, on its contract)
    year: tuple[ClockTally, ...]  # the client's incidents of the twelve months up to it
    trend: tuple[MonthTally, ...]  # each of those months, oldest first
    median_reaction_minutes: int | None  # of the statement's reactions (business minutes)
    median_start_minutes: int | None  # of its starts of work


class Timed(Protocol):
    """An incident as a statement shows it: its clocks, and when what each waits for
    happened."""

    @property
    def clocks(self) -> tuple[Clock, ...]: ...

    def done(self, clock: str) -> datetime | None: ...


def tally(incidents: Iterable[Sequence[Clock]]) -> tuple[ClockTally, ...]:
    """Each clock's outcomes over incidents given by their clocks (a clock an incident has no
    target for is not counted); cancelled incidents' clocks are left out."""
    counts = {name: [0, 0, 0] for name in CLOCKS}
    for clocks in incidents:
        for c in clocks:
            if c.status == ClockStatus.CANCELLED:
                continue
            slot = (
                0 if c.status == ClockStatus.MET else 1 if c.status == ClockStatus.BREACHED else 2
            )
            counts[c.name][slot] += 1
    return tuple(ClockTally(name, *counts[name]) for name in CLOCKS if any(counts[name]))


def combined(tallies: Iterable[ClockTally]) -> ClockTally:
    """Several clocks' outcomes counted together, as one clock named ``all``."""
    met = breached = running = 0
    for t in tallies:
        met, breached, running = met + t.met, breached + t.breached, running + t.running
    return ClockTally(ALL_CLOCKS, met, breached, running)


def _median(incidents: Sequence[Timed], name: str) -> int | None:
    """The median business minutes ``name`` took, over the incidents where what it waits for
    happened (a clock stopped by a resolution without a reaction is no time to react)."""
    used = [c.used_minutes for i in incidents if i.done(name) is not None for c in i.clocks
            if c.name == name and c.stopped is not None
            and c.status != ClockStatus.CANCELLED]  # fmt: skip
    return None if not used else round(median(used))


def compliance(
    month: Month,
    incidents: Sequence[Timed],
    by_month: Mapping[Month, Sequence[Sequence[Clock]]],
) -> Compliance:
    """The compliance of a statement of ``month`` showing ``incidents``, with the trend from
    the clocks of the client's incidents opened in each month (the month and the eleven
    before it; a month missing had none)."""
    months = [month.plus(-n) for n in range(TREND_MONTHS - 1, -1, -1)]
    trend = tuple(MonthTally(m, tally(by_month.get(m, ()))) for m in months)
    return Compliance(
        month=tally(i.clocks for i in incidents),
        year=tally(clocks for m in months for clocks in by_month.get(m, ())),
        trend=trend,
        median_reaction_minutes=_median(incidents, "reaction"),
        median_start_minutes=_median(incidents, "start"),
    )
