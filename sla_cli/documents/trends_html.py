"""`sla trends` as one HTML page (and, through WeasyPrint, a PDF): for the company and each
client, the statement's SLA trend chart over the months asked, the hours used against those
included and the money billed against the cost, as inline SVG in the statement's style, and
the figures as tables. The page is the manager's, in English."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sla_cli.documents.chart import _num
from sla_cli.documents.html import _CSS
from sla_cli.documents.labels import Formatter
from sla_cli.documents.trend import TrendLayout, trend_svg
from sla_cli.domain.compliance import Compliance, MonthTally
from sla_cli.domain.durations import hours_text
from sla_cli.domain.month import Month
from sla_cli.domain.trends import WEEKDAYS, Hours, Scope

if TYPE_CHECKING:
    from sla_cli.ops.trends import TrendReport

WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 680, 130, 46, 8, 24, 104
_STEPS = (1, 2, 2.5, 5, 10)
_EXTRA_CSS = """
svg .cost { fill: none; stroke: #d68910; stroke-width: 2 }
svg .cd { fill: #d68910 }
table.months td.v, table.months th.v { text-align: right; white-space: nowrap }
table.months { font-size: 8pt } table.months td:first-child { white-space: nowrap }
p.note { font-size: 8.5pt; color: #52606d; margin: 1mm 0 2mm }
"""


def _h(text: str) -> str:
    return html.escape(text, quote=True)


def _nice_top(high: float) -> tuple[float, float]:
    """An axis top and step for values up to ``high``: at most 4 steps of 1, 2, 2.5 or 5 × 10ⁿ."""
    if high <= 0:
        return 1.0, 1.0
    scale = 1.0
    while high / scale > 10:
        scale *= 10
    while high / scale < 1:
        scale /= 10
    for s in _STEPS:
        step = s * scale
        if high / step <= 4:
            top = step * -(-high // step)
            return top, step
    return high, high


def bars_svg(
    months: Sequence[Month],
    bars: Sequence[float],
    line: Sequence[float] | None,
    title: str,
    note: str,
    label: Callable[[float], str],
    fmt: Formatter,
) -> str:
    """A column a month (``bars``), and ``line`` across them when given; ``label`` writes a
    value of the axis."""
    high = max([*bars, *(line or [])], default=0)
    top, step = _nice_top(high)
    plot_h = BOTTOM - TOP
    slot = (WIDTH - LEFT - RIGHT) / max(len(months), 1)
    parts = [
        f'<text x="{LEFT}" y="12" class="ct">{_h(title)}'
        f'<tspan class="cn" dx="8">{_h(note)}</tspan></text>'
    ]
    n = 0
    while n * step <= top + 1e-9:
        y = BOTTOM - plot_h * n * step / top
        parts.append(f'<line x1="{LEFT}" y1="{_num(y)}" x2="{WIDTH - RIGHT}" y2="{_num(y)}" '
                     f'class="{"ax" if n == 0 else "gr"}"/>')  # fmt: skip
        parts.append(f'<text x="{LEFT - 4}" y="{_num(y + 3)}" class="yl">{_h(label(n * step))}'
                     "</text>")  # fmt: skip
        n += 1
    for i, (m, v) in enumerate(zip(months, bars, strict=True)):
        x = LEFT + slot * i + slot * 0.2
        h = plot_h * v / top
        if h > 0:
            parts.append(f'<rect x="{_num(x)}" y="{_num(BOTTOM - h)}" width="{_num(slot * 0.6)}" '
                         f'height="{_num(h)}" class="bar"><title>{_h(str(m))}: '
                         f"{_h(label(v))}</title></rect>")  # fmt: skip
        parts.append(f'<text x="{_num(LEFT + slot * (i + 0.5))}" y="{BOTTOM + 10}" class="xl">'
                     f"{_h(fmt.short_month(m.year, m.month))}</text>")  # fmt: skip
    if line is not None:
        points = [(LEFT + slot * (i + 0.5), BOTTOM - plot_h * v / top) for i, v in enumerate(line)]
        parts.append('<polyline points="' + " ".join(f"{_num(x)},{_num(y)}" for x, y in points)
                     + '" class="cost"/>')  # fmt: skip
        parts.extend(f'<circle cx="{_num(x)}" cy="{_num(y)}" r="2" class="cd"/>' for x, y in points)
    return (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT + 6}" role="img" '
        f'aria-label="{_h(title)}"><title>{_h(title)}</title>' + "".join(parts) + "</svg>"
    )


def _money(x: Decimal | None) -> str:
    return "—" if x is None else f"{x:,.2f}".replace(",", "\u202f")


def _percent(x: float | None) -> str:
    return "—" if x is None else f"{x:.1f}%"


def _thousands(v: float) -> str:
    return f"{v / 1000:g}k" if v else "0"


def _charts(s: Scope, fmt: Formatter) -> list[str]:
    months = [m.month for m in s.months]
    trend = Compliance((), (), tuple(MonthTally(m.month, m.clocks) for m in s.months), None, None)
    layout = TrendLayout()
    out = [trend_svg(trend, fmt, layout) or '<p class="note">No SLA deadline in these months.</p>']
    used = [m.hours.used_minutes / 60 for m in s.months]
    included = [m.hours.included_minutes / 60 for m in s.months]
    out.append(bars_svg(months, used, included if any(included) else None, "Hours used",
                        "bars; the line: hours included", lambda v: f"{v:g} h", fmt))  # fmt: skip
    billed = [float(m.hours.billed) for m in s.months]
    cost = [float(m.hours.cost) for m in s.months if m.hours.cost is not None]
    note = "bars; the line: cost of the hours" if cost else ""
    line = cost if len(cost) == len(months) else None
    out.append(bars_svg(months, billed, line, "Billed", note, _thousands, fmt))
    return out


_MONTH_COLUMNS = ("Month", "Included", "Used", "Util", "Burned", "Overage", "Carried", "Billed",
                  "Per hour", "Margin", "SLA met")  # fmt: skip


def _row(label: str, h: Hours, met: float | None) -> str:
    cells = [hours_text(h.included_minutes), hours_text(h.used_minutes),
             _percent(h.utilisation_percent), hours_text(h.burned_minutes),
             hours_text(h.overage_minutes), hours_text(h.carried_minutes), _money(h.billed),
             _money(h.revenue_per_hour), _money(h.margin), _percent(met)]  # fmt: skip
    return f"<tr><td>{_h(label)}</td>" + "".join(f'<td class="v">{_h(c)}</td>' for c in cells)


def _table(s: Scope) -> str:
    from sla_cli.domain.compliance import combined

    head = "".join(f'<th class="v">{_h(c)}</th>' if i else f"<th>{_h(c)}</th>"
                   for i, c in enumerate(_MONTH_COLUMNS))  # fmt: skip
    rows = [_row(str(m.month), m.hours, m.all_clocks.percent_met) for m in s.months]
    rows.append(_row("All", s.total, combined(s.sla.clocks).percent_met))
    return f'<table class="months"><tr>{head}</tr>' + "</tr>".join(rows) + "</tr></table>"


def _sla_note(s: Scope) -> str:
    f = s.sla

    def pair(a: int | None, b: int | None) -> str:
        return (
            f"{hours_text(a) if a is not None else '—'} / {hours_text(b) if b is not None else '—'}"
        )

    days = ", ".join(f"{d} {n}" for d, n in zip(WEEKDAYS, f.breaches_by_weekday, strict=True) if n)
    return (
        f'<p class="note">Business time to react, median / 90th percentile: '
        f"{pair(f.median_reaction_minutes, f.p90_reaction_minutes)}; to start work: "
        f"{pair(f.median_start_minutes, f.p90_start_minutes)}. Breaches by weekday opened: "
        f"{_h(days or 'none')}.</p>"
    )


def _sheet(s: Scope, r: TrendReport, fmt: Formatter) -> str:
    t = r.trends
    who = "The company" if s.client is None else s.client
    parts = [
        '<section class="sheet"><header><div><div class="company">Trends</div>'
        f'<h1>{_h(who)}</h1></div><div class="meta">{_h(str(t.months[0]))} – '
        f"{_h(str(t.months[-1]))}<br>base rate {_h(_money(r.base_hour_rate))} "
        f"{_h(r.currency)} an hour</div></header>",
        *_charts(s, fmt),
        _sla_note(s),
        _table(s),
        "</section>",
    ]
    return "".join(parts)


def trends_html(r: TrendReport, timezone: str = "Europe/Moscow") -> str:
    """The page: a sheet for the company, then one a client."""
    fmt = Formatter("en", r.currency, ZoneInfo(timezone))
    t = r.trends
    sheets = [_sheet(t.company, r, fmt), *(_sheet(c, r, fmt) for c in t.clients)]
    title = f"Trends {t.months[0]} – {t.months[-1]}"
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{_h(title)}</title><style>{_CSS}{_EXTRA_CSS}</style></head><body>"
        + "".join(sheets)
        + "</body></html>\n"
    )
