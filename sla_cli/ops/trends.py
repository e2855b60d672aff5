"""`sla trends`: the months asked, each contract's as its statement figures it, and the
incidents opened in them as their statements show them.

A closed month's hours burned, billed and carried and its amount due are the figures its close
stored (the seal's: `sla verify` checks them against the ledger, and a statement prints only
while they match); the hours used are summed in SQL with the same condition as the statement's
(one grouped query over the span asked). An open month (asked with ``--until``) is figured as
its preview statement would. The clocks are each month's as its close sealed them.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple
from zoneinfo import ZoneInfo

from sla_cli.domain.billing import close_month
from sla_cli.domain.incidents import known
from sla_cli.domain.month import Month
from sla_cli.domain.statement import Letterhead
from sla_cli.domain.trends import ContractMonth, Outcome, SeenIncident, Trends, trends
from sla_cli.errors import InputError
from sla_cli.ops.incidents import Clocks, clock_book
from sla_cli.ops.lookup import client_id

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from sla_cli.domain.calendar import BusinessCalendar
    from sla_cli.domain.records import ContractRecord
    from sla_cli.ops.contracts import ContractLine
    from sla_cli.store.store import Store

DEFAULT_MONTHS = 12
MOST_MONTHS = 120


def trend_months(s: Store, today: date, since: Month | None, until: Month | None) -> list[Month]:
    """``since``–``until``; by default the last 12 closed months (as many as there are, when
    fewer are closed; the 12 ended months, when none is closed yet), up to ``until`` when
    given."""
    latest = None
    if until is None:
        latest = s.latest_closed()
        until = latest if latest is not None else Month.of(today).previous()
    if since is None:
        since = until.plus(1 - DEFAULT_MONTHS)
        if latest is not None:  # no month before the first close
            since = max(since, s.closed_months()[0][0])
    if since > until:
        raise InputError(f"--since {since} is after --until {until}")
    months = []
    m = since
    while m <= until:
        months.append(m)
        m = m.plus(1)
    if len(months) > MOST_MONTHS:
        raise InputError(f"at most {MOST_MONTHS} months at a time; {len(months)} asked")
    return months


class TrendReport(NamedTuple):
    trends: Trends
    closed: frozenset[Month]
    forecasts: tuple[ContractLine, ...]  # contracts in force today, with their forecasts
    currency: str
    base_hour_rate: Decimal
    generated_at: datetime


def _in_month(c: ContractRecord, m: Month) -> bool:
    """As ``active_contracts`` finds a month's: started before its end, not ended by its
    first day."""
    first, nxt = m.bounds
    return c.start < nxt and (c.end is None or c.end > first)


def _most_of(s: Store, months: list[Month]) -> bool:
    """Whether ``months`` are at least half of the months the ledger's contracts span (from
    the first start to the last month asked): then its entries are read whole, in the order
    they are stored, rather than through an index (twice as fast on SQLite when most rows
    are read); a few months of a long ledger are found through the index."""
    start = s.earliest_start()
    if start is None:
        return False
    spanned = months[-1].months_since(Month.of(start)) + 1
    return 2 * len(months) >= spanned


def contract_months(
    s: Store, months: list[Month], cid: int | None, closed: set[Month]
) -> list[ContractMonth]:
    """Each contract's month, as its statement figures it (a closed month: as its close
    stored it)."""
    every = s.contracts_over(months[0], months[-1], cid)
    active = {m: [c for c in every if _in_month(c, m)] for m in months}
    ids = sorted({c.id for each in active.values() for c in each})
    first, nxt = months[0].first_day, months[-1].plus(1).first_day
    from sla_cli.store.trend_sums import span_usage

    rows: dict[str, list[tuple[int, str, str, str | None, str, int, int | None]]] = {}
    for r in s.span_sums(ids, first, nxt, whole=_most_of(s, months)):
        rows.setdefault(r[1], []).append(r)
    stored = {m: s.closings(m) for m in [months[0].previous(), *months] if m in closed}
    out = []
    for m in months:

        def opening(c: ContractRecord, m: Month = m) -> int:
            before = stored.get(m.previous(), {}).get(c.id)
            if before is not None and before[1].closing_balance_minutes is not None:
                return before[1].closing_balance_minutes
            return s.package_balance(c, m).opening_of(m)

        usage, engineers = span_usage(rows.get(str(m), []), active[m], opening)
        for c in active[m]:
            figures = close_month(c.terms(m), usage[c.id])
            kept = stored.get(m, {}).get(c.id)
            if kept is not None:
                k = kept[1]
                figures = figures._replace(
                    burned_minutes=k.burned_minutes,
                    overage_minutes=k.overage_minutes,
                    overage_amount=k.overage_amount,
                    carried_minutes=k.carried_minutes,
                    closing_balance_minutes=k.closing_balance_minutes,
                    amount_due=k.amount_due,
                )
            by = tuple(sorted(engineers.get(c.id, {}).items()))
            out.append(ContractMonth(m, c.client.key, c.id, figures, by))
    return out


def seen_incidents(
    s: Store, current: Clocks, zone: str, months: list[Month], cid: int | None
) -> list[SeenIncident]:
    """The incidents opened in ``months`` on contracts in force, each as its month's statement
    shows it (its clocks computed with the terms that month's close sealed)."""
    from sla_cli.store.incidents import IncidentQuery

    tz = ZoneInfo(zone)
    book = clock_book(s, current, zone)
    query = IncidentQuery(
        tz, cid, opened_from=months[0].first_day, opened_before=months[-1].plus(1).first_day,
        in_force=True,
    )  # fmt: skip
    out = []
    for i in s.iter_incidents(query):
        k = book(i)
        # the clocks as the statement's `incident_line` evaluates them, and what they wait for
        line = Outcome(i.priority, tuple(k.every(i)), known(i.reacted_at, k.now),
                       i.work_started(k.now))  # fmt: skip
        local = i.opened_at.astimezone(tz)
        out.append(SeenIncident(i.client.key, Month.of(local.date()), line, local))
    return out


def today_forecasts(
    s: Store, today: date, cid: int | None, working: Callable[[date], bool]
) -> list[ContractLine]:
    """Each contract in force today with its forecast, as `contract show` gives it, read for
    all of them at once: the clients' days in one query, the month's usage in another."""
    from sla_cli.domain.kinds import Billing
    from sla_cli.ops.contracts import ContractLine, contract_forecast, forecast_spans

    month = Month.of(today)
    live = [c for c in s.active_contracts(month, cid) if c.covers(today)]
    daily = s.clients_daily(sorted({c.client.id for c in live}), forecast_spans(today))
    usage = s.month_usage(live, month) if live else {}
    out = []
    for c in live:
        balance = None
        if c.billing == Billing.PACKAGE:
            balance = s.package_balance(c).current(month)
        used = usage[c.id].used_minutes
        found = contract_forecast(s, c, balance, today, working, daily.get(c.client.id, []), used)
        if found is not None:
            out.append(ContractLine(c, balance, found))
    return out


def month_trends(
    s: Store,
    head: Letterhead,
    calendar: BusinessCalendar,
    months: list[Month],
    client_key: str | None,
    now: datetime,
    costs: Mapping[str, Decimal] | None,
    hour_rate: Decimal,
    working: Callable[[date], bool] | None = None,
) -> TrendReport:
    """The trends of ``months`` (and, with the production calendar's ``working`` days, each
    contract in force today with its forecast, as `contract show` gives it)."""
    cid = client_id(s, client_key)
    closed = {m for m, _ in s.closed_months()}
    lines = contract_months(s, months, cid, closed)
    current = Clocks(calendar, now, head.at_risk_percent, head.pausing_clocks)
    incidents = seen_incidents(s, current, head.timezone, months, cid)
    today = now.astimezone(ZoneInfo(head.timezone)).date()
    forecasts = [] if working is None else today_forecasts(s, today, cid, working)
    return TrendReport(
        trends(months, lines, incidents, costs),
        frozenset(m for m in months if m in closed),
        tuple(forecasts),
        head.currency,
        hour_rate,
        now,
    )
