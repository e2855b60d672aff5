"""`sla trends` in the terminal: tables that fit 80 columns, a sparkline a row (one character a
month, the lowest block for nothing, the full one for the row's highest; a gap: no value)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from sla_cli.domain.durations import hours_text
from sla_cli.render import Column, lines, paragraph, table

if TYPE_CHECKING:
    from sla_cli.domain.compliance import ClockTally
    from sla_cli.domain.trends import Hours, MonthLine, Scope, Trends
    from sla_cli.ops.trends import TrendReport

BLOCKS = "▁▂▃▄▅▆▇█"
MOST_CHARACTERS = 24  # more months than this: each character is the mean of a few


def sparkline(values: Sequence[float | None], top: float | None = None) -> str:
    """A character a value, scaled from 0 (or the lowest, when below it) to ``top`` (default
    the highest)."""
    if len(values) > MOST_CHARACTERS:
        step = -(-len(values) // MOST_CHARACTERS)
        chunks = [values[i : i + step] for i in range(0, len(values), step)]
        values = [_mean([v for v in c if v is not None]) for c in chunks]
    known = [v for v in values if v is not None]
    low = min(0, min(known, default=0))  # a negative figure (a margin) lifts the floor
    high = (top if top is not None else max(known, default=0)) - low
    if high <= 0:
        return "".join(" " if v is None else BLOCKS[0] for v in values)
    last = len(BLOCKS) - 1
    return "".join(
        " " if v is None else BLOCKS[max(0, min(last, round((v - low) / high * last)))]
        for v in values
    )


def _mean(values: list[float]) -> float | None:
    return None if not values else sum(values) / len(values)


def whole(amount: Decimal | None) -> str:
    """Money in whole units, thousands spaced (the JSON keeps the kopecks)."""
    if amount is None:
        return "—"
    return f"{amount.quantize(Decimal(1)):,}".replace(",", " ")


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


def _pair(a: int | None, b: int | None) -> str:
    return f"{hours_text(a) if a is not None else '—'} / {hours_text(b) if b is not None else '—'}"


Figure = tuple[str, Callable[["Hours"], float | None], Callable[["Hours"], str]]

HOURS: tuple[Figure, ...] = (
    ("Hours included", lambda h: h.included_minutes, lambda h: hours_text(h.included_minutes)),
    ("Hours used", lambda h: h.used_minutes, lambda h: hours_text(h.used_minutes)),
    ("Utilisation", lambda h: h.utilisation_percent, lambda h: percent(h.utilisation_percent)),
    ("Burned", lambda h: h.burned_minutes, lambda h: hours_text(h.burned_minutes)),
    ("Overage", lambda h: h.overage_minutes, lambda h: hours_text(h.overage_minutes)),
    ("Carried", lambda h: h.carried_minutes, lambda h: hours_text(h.carried_minutes)),
    ("Billed", lambda h: float(h.billed), lambda h: whole(h.billed)),
    ("Revenue / hour", lambda h: _float(h.revenue_per_hour), lambda h: whole(h.revenue_per_hour)),
)
MONEY: tuple[Figure, ...] = (
    ("Cost", lambda h: _float(h.cost), lambda h: whole(h.cost)),
    ("Margin", lambda h: _float(h.margin), lambda h: whole(h.margin)),
)


def _float(x: Decimal | None) -> float | None:
    return None if x is None else float(x)


def scope_table(s: Scope, t: Trends, base_rate: Decimal) -> None:
    """One scope: a row a figure, its months as a sparkline, the last month and the span's."""
    months: Sequence[MonthLine] = s.months
    last = months[-1]
    rows: list[list[str]] = []
    met = [m.all_clocks.percent_met for m in months]
    rows.append(["SLA met", sparkline(met, 100), percent(met[-1]),
                 percent(_all(s).percent_met)])  # fmt: skip
    breached = [float(m.all_clocks.breached) for m in months]
    rows.append(["Clocks breached", sparkline(breached), str(last.all_clocks.breached),
                 str(_all(s).breached)])  # fmt: skip
    sla = s.sla
    rows.append(["React med / p90", "", "",
                 _pair(sla.median_reaction_minutes, sla.p90_reaction_minutes)])  # fmt: skip
    rows.append(["Start med / p90", "", "",
                 _pair(sla.median_start_minutes, sla.p90_start_minutes)])  # fmt: skip
    for name, value, text in HOURS + (MONEY if t.costed else ()):
        rows.append([name, sparkline([value(m.hours) for m in months]), text(last.hours),
                     text(s.total)])  # fmt: skip
    rows.append(["Base rate / hour", "", "", whole(base_rate)])
    title = "The company" if s.client is None else s.client
    span = f"{t.months[0]} – {t.months[-1]}"
    table(
        [Column("Figure"), Column("Months", no_wrap=True), Column(str(last.month), "right"),
         Column(span, "right")],
        rows,
        title=f"{title}: {span}",
    )  # fmt: skip


def _all(s: Scope) -> ClockTally:
    from sla_cli.domain.compliance import combined

    return combined(s.sla.clocks)


def priorities_table(s: Scope) -> None:
    rows = []
    for priority, each in s.sla.by_priority:
        for c in each:
            rows.append([priority, c.clock, str(c.met), str(c.breached), str(c.running),
                         percent(c.percent_met)])  # fmt: skip
    if rows:
        table([Column("Priority"), Column("Clock"), Column("Met", "right"),
               Column("Breached", "right"), Column("Running", "right"),
               Column("% met", "right")], rows)  # fmt: skip


def breaches_lines(s: Scope) -> None:
    from sla_cli.domain.trends import WEEKDAYS

    days = s.sla.breaches_by_weekday
    hours = s.sla.breaches_by_hour
    lines("breaches by weekday opened: "
          + ", ".join(f"{d} {n}" for d, n in zip(WEEKDAYS, days, strict=True)))  # fmt: skip
    busiest = max(range(24), key=lambda h: (hours[h], -h))
    lines(f"by hour opened (0–23): {sparkline([float(n) for n in hours])}"
          + (f" most at {busiest}:00 ({hours[busiest]})" if hours[busiest] else ""))  # fmt: skip


def clients_table(t: Trends) -> None:
    rows = []
    for c in t.clients:
        met = [m.all_clocks.percent_met for m in c.months]
        used = [float(m.hours.used_minutes) for m in c.months]
        rows.append([c.client or "", sparkline(met, 100), percent(_all(c).percent_met),
                     sparkline(used), percent(c.total.utilisation_percent), whole(c.total.billed),
                     whole(c.total.revenue_per_hour)])  # fmt: skip
    if rows:
        table([Column("Client"), Column("SLA met", no_wrap=True), Column("Met", "right"),
               Column("Hours used", no_wrap=True), Column("Util", "right"),
               Column("Billed", "right"), Column("Per h", "right")], rows)  # fmt: skip


def engineers_table(t: Trends) -> None:
    rows = []
    for e in t.engineers:
        top = ", ".join(k for k, _ in e.clients[:3]) + ("…" if len(e.clients) > 3 else "")
        rows.append([e.name, hours_text(e.minutes), whole(e.cost), whole(e.revenue),
                     whole(e.margin), top])  # fmt: skip
    if rows and t.costed:
        table([Column("Engineer"), Column("Hours", "right"), Column("Cost", "right"),
               Column("Revenue", "right"), Column("Margin", "right"), Column("Clients")],
              rows)  # fmt: skip


def trends_view(r: TrendReport) -> None:
    from sla_cli.cli.ledger_views import forecast_lines

    t = r.trends
    scope_table(t.company, t, r.base_hour_rate)
    priorities_table(t.company)
    breaches_lines(t.company)
    if len(t.clients) > 1:
        clients_table(t)
    elif t.clients:
        scope_table(t.clients[0], t, r.base_hour_rate)
    engineers_table(t)
    for line in r.forecasts:
        found = forecast_lines(line)
        if found:
            paragraph(f"{line.contract.client.key}: " + "; ".join(found))
