"""The manager's view over several months (`sla trends`): SLA, hours and money month by month,
per client and for the whole company, and what each engineer's hours earn.

Pure: the operations hand in each contract's month as its statement figures it (the close's
stored figures for a closed month) and each incident as its statement shows it; this module
only adds up.

- SLA: a clock's outcomes as a statement tallies them (``compliance.tally``), per clock and
  priority; the median and 90th percentile (nearest rank: the smallest value with at least 90 %
  of the values at or below it) of the business minutes to react and to start, over the
  incidents where that happened (as the statement's median); breached clocks by the weekday and
  the hour their incident opened, in the company time zone.
- Hours: included (variant 1 tiers, variant 3 packages bought; variant 2 is unlimited and left
  out), used, burned, overage, carried; utilisation is used over included, of the contracts
  that include hours.
- Money: billed is the statements' amount due; revenue per hour is billed over hours used.
  With engineers' costs per hour, cost is each engineer's minutes at their rate (an engineer
  without one costs nothing, their minutes counted as ``uncosted_minutes``) and margin is
  billed less cost. An engineer earns a contract's month in proportion to the minutes they
  worked on it: their revenue is the sum of billed × their minutes / the minutes used.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from math import ceil
from statistics import median
from typing import NamedTuple

from sla_cli.domain.billing import MonthClose
from sla_cli.domain.clock import Clock, ClockStatus
from sla_cli.domain.compliance import ClockTally, combined, tally
from sla_cli.domain.money import round_money
from sla_cli.domain.month import Month

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class ContractMonth(NamedTuple):
    """One contract's month, as its statement figures it."""

    month: Month
    client: str  # the client's key
    contract_id: int
    figures: MonthClose
    by_engineer: tuple[tuple[str, int], ...] = ()  # minutes worked, by engineer


class Outcome(NamedTuple):
    """What a statement shows of an incident's clocks: each clock (evaluated as the statement
    evaluates it), and when what each waits for happened (None: it has not)."""

    priority: str
    clocks: tuple[Clock, ...]
    reacted_at: datetime | None
    started_at: datetime | None

    def done(self, clock: str) -> datetime | None:
        return {"reaction": self.reacted_at, "start": self.started_at}.get(clock)


class SeenIncident(NamedTuple):
    """An incident as its statement shows it, with the client and the month it opened in."""

    client: str
    month: Month
    line: Outcome
    opened_local: datetime  # its opening in the company time zone


class Hours(NamedTuple):
    """A month's hours and money, summed over some contracts."""

    included_minutes: int
    used_minutes: int
    burned_minutes: int
    overage_minutes: int
    carried_minutes: int
    billed: Decimal
    cost: Decimal | None  # None: no engineers' costs in the config
    metered_used_minutes: int  # used on contracts that include hours (utilisation's numerator)
    uncosted_minutes: int = 0

    @property
    def utilisation_percent(self) -> float | None:
        if self.included_minutes <= 0:
            return None
        return round(100 * self.metered_used_minutes / self.included_minutes, 1)

    @property
    def revenue_per_hour(self) -> Decimal | None:
        """Billed over hours used; None when none were."""
        if self.used_minutes <= 0:
            return None
        return round_money(self.billed * 60 / self.used_minutes)

    @property
    def margin(self) -> Decimal | None:
        return None if self.cost is None else self.billed - self.cost


class SlaFigures(NamedTuple):
    """Some incidents' clocks: outcomes per clock and priority, times, breaches by opening."""

    clocks: tuple[ClockTally, ...]  # every clock of every priority (priority "all")
    by_priority: tuple[tuple[str, tuple[ClockTally, ...]], ...]
    median_reaction_minutes: int | None
    p90_reaction_minutes: int | None
    median_start_minutes: int | None
    p90_start_minutes: int | None
    breaches_by_weekday: tuple[int, ...]  # Monday first
    breaches_by_hour: tuple[int, ...]  # 0–23


class MonthLine(NamedTuple):
    month: Month
    hours: Hours
    clocks: tuple[ClockTally, ...]  # the month's incidents (opened in it)

    @property
    def all_clocks(self) -> ClockTally:
        return combined(self.clocks)


class Scope(NamedTuple):
    """The company's or one client's trend."""

    client: str | None  # None: the whole company
    months: tuple[MonthLine, ...]
    total: Hours
    sla: SlaFigures


class EngineerLine(NamedTuple):
    name: str
    minutes: int
    cost: Decimal | None  # None: no cost per hour for this engineer
    revenue: Decimal
    clients: tuple[tuple[str, int], ...]  # minutes by client, most first

    @property
    def margin(self) -> Decimal | None:
        return None if self.cost is None else self.revenue - self.cost


@dataclass(frozen=True)
class Trends:
    months: tuple[Month, ...]
    company: Scope
    clients: tuple[Scope, ...]
    engineers: tuple[EngineerLine, ...]
    costed: bool  # the config gave engineers' costs


def nearest_rank(values: Sequence[int], percent: int) -> int | None:
    """The ``percent``-th percentile by nearest rank; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(1, ceil(len(ordered) * percent / 100)) - 1]


def _times(incidents: Iterable[Outcome], name: str) -> list[int]:
    """Business minutes ``name`` took where what it waits for happened (as the statement's
    median counts them)."""
    return [c.used_minutes for i in incidents if i.done(name) is not None for c in i.clocks
            if c.name == name and c.stopped is not None
            and c.status != ClockStatus.CANCELLED]  # fmt: skip


def sla_figures(incidents: Sequence[SeenIncident]) -> SlaFigures:
    priorities: dict[str, list[Outcome]] = defaultdict(list)
    weekday, hour = [0] * 7, [0] * 24
    for i in incidents:
        priorities[i.line.priority].append(i.line)
        breached = sum(c.status == ClockStatus.BREACHED for c in i.line.clocks)
        weekday[i.opened_local.weekday()] += breached
        hour[i.opened_local.hour] += breached
    lines = [i.line for i in incidents]
    react, start = _times(lines, "reaction"), _times(lines, "start")
    return SlaFigures(
        clocks=tally(i.clocks for i in lines),
        by_priority=tuple(
            (p, tally(i.clocks for i in each)) for p, each in sorted(priorities.items())
        ),
        median_reaction_minutes=None if not react else round(median(react)),
        p90_reaction_minutes=nearest_rank(react, 90),
        median_start_minutes=None if not start else round(median(start)),
        p90_start_minutes=nearest_rank(start, 90),
        breaches_by_weekday=tuple(weekday),
        breaches_by_hour=tuple(hour),
    )


def _cost(
    by_engineer: Iterable[tuple[str, int]], costs: Mapping[str, Decimal]
) -> tuple[Decimal, int]:
    """Rate × minutes summed (to divide by 60 once), and the minutes without a rate."""
    cost, uncosted = Decimal(0), 0
    for name, minutes in by_engineer:
        rate = costs.get(name)
        if rate is None:
            uncosted += minutes
        else:
            cost += rate * minutes
    return cost, uncosted


def hours_of(lines: Iterable[ContractMonth], costs: Mapping[str, Decimal] | None) -> Hours:
    """``lines`` summed; costs (when given) from each engineer's minutes at their rate."""
    included = used = burned = overage = carried = metered = uncosted = 0
    billed = Decimal(0)
    cost = Decimal(0)
    for x in lines:
        f = x.figures
        used += f.used_minutes
        if f.included_minutes is not None:
            included += f.included_minutes
            metered += f.used_minutes
        burned, overage = burned + f.burned_minutes, overage + f.overage_minutes
        carried += f.carried_minutes
        billed += f.amount_due
        if costs is not None:
            c, u = _cost(x.by_engineer, costs)
            cost, uncosted = cost + c, uncosted + u
    money = None if costs is None else round_money(cost / 60)
    return Hours(included, used, burned, overage, carried, billed, money, metered, uncosted)


def scope(
    client: str | None,
    months: Sequence[Month],
    lines: Sequence[ContractMonth],
    incidents: Sequence[SeenIncident],
    costs: Mapping[str, Decimal] | None,
) -> Scope:
    by_month: dict[Month, list[ContractMonth]] = defaultdict(list)
    for x in lines:
        by_month[x.month].append(x)
    opened: dict[Month, list[Outcome]] = defaultdict(list)
    for i in incidents:
        opened[i.month].append(i.line)
    each = tuple(
        MonthLine(m, hours_of(by_month[m], costs), tally(i.clocks for i in opened[m]))
        for m in months
    )
    # what is carried over the span is what its last month carries on, not a sum
    total = hours_of(lines, costs)._replace(carried_minutes=each[-1].hours.carried_minutes)
    return Scope(client, each, total, sla_figures(incidents))


def engineers(
    lines: Iterable[ContractMonth], costs: Mapping[str, Decimal] | None
) -> tuple[EngineerLine, ...]:
    """Each engineer's minutes, cost, and the revenue of the contract months they worked on
    in proportion to their minutes; most minutes first."""
    minutes: dict[str, int] = defaultdict(int)
    revenue: dict[str, Decimal] = defaultdict(Decimal)
    clients: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for x in lines:
        used = x.figures.used_minutes
        for name, m in x.by_engineer:
            minutes[name] += m
            clients[name][x.client] += m
            if used > 0:
                revenue[name] += x.figures.amount_due * m / used
    out = []
    for name in sorted(minutes, key=lambda n: (-minutes[n], n)):
        cost = None
        if costs is not None and name in costs:
            cost = round_money(costs[name] * minutes[name] / 60)
        r = revenue[name]
        out.append(
            EngineerLine(
                name,
                minutes[name],
                cost,
                round_money(r),
                tuple(sorted(clients[name].items(), key=lambda kv: (-kv[1], kv[0]))),
            )
        )
    return tuple(out)


def trends(
    months: Sequence[Month],
    lines: Sequence[ContractMonth],
    incidents: Sequence[SeenIncident],
    costs: Mapping[str, Decimal] | None,
) -> Trends:
    """The company's trend and each client's (those with a contract or an incident in the
    months), over ``months`` (oldest first)."""
    own: dict[str, list[ContractMonth]] = defaultdict(list)
    seen: dict[str, list[SeenIncident]] = defaultdict(list)
    for x in lines:
        own[x.client].append(x)
    for i in incidents:
        seen[i.client].append(i)
    return Trends(
        months=tuple(months),
        company=scope(None, months, lines, incidents, costs),
        clients=tuple(
            scope(k, months, own[k], seen[k], costs) for k in sorted(own.keys() | seen.keys())
        ),
        engineers=engineers(lines, costs),
        costed=costs is not None,
    )
