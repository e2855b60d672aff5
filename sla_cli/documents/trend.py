"""The statement's SLA compliance trend, as inline SVG: a column a month for the twelve months up
to the statement's, the share of deadlines met at its foot and the breached rest stacked on top.

Where everything sits is a `TrendLayout`; the look is the page's CSS (its classes beside the
daily chart's), inlined by `html.inline_chart_styles` for renderers that need it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from html import escape

from sla_cli.documents.chart import Panel, _num
from sla_cli.documents.labels import Formatter
from sla_cli.domain.compliance import ClockTally, Compliance, combined
from sla_cli.domain.month import Month

_GRID_PERCENTS = (0, 50, 100)


@dataclass(frozen=True)
class TrendLayout:
    """The trend's geometry, in SVG user units; the viewBox is ``width`` × ``height``."""

    width: int = 680  # as wide as the daily chart, so that both draw at the same scale
    height: int = 112
    left: int = 34  # room for the percent labels of the y axis
    right: int = 8
    plot: Panel = field(default=Panel(28.0, 60.0))  # a column's full height: all decided
    bar_offset: float = 0.25  # where a column starts in its month's slot, a fraction of the slot
    bar_width: float = 0.5  # a column's width, a fraction of the slot
    title_y: int = 10  # the title's baseline (and the legend's)
    note_gap: int = 8  # between the title and its note
    tick_gap: int = 4  # between a percent label of the axis and the plot
    tick_drop: int = 3  # ... and its baseline below its gridline
    percent_rise: int = 4  # a month's percent: its baseline above the plot
    month_drop: int = 10  # the month names' baseline below the plot
    year_drop: int = 19  # the years' baseline (under the first month and each January)
    legend_met: int = 150  # a legend entry: its swatch this far in from the right edge
    legend_breached: int = 78
    swatch: int = 7  # a legend swatch's side
    swatch_gap: int = 3  # between a swatch and its label

    @property
    def plot_right(self) -> int:
        return self.width - self.right

    def slot(self, months: int) -> float:
        """The width each month gets."""
        return (self.width - self.left - self.right) / months


TREND_LAYOUT = TrendLayout()


def _percent(fmt: Formatter, percent: float) -> str:
    return fmt.percent(Decimal(str(percent)))


def _summary(fmt: Formatter, month: Month, t: ClockTally) -> str:
    """What a month's column says on hover: ``октябрь 2026: 4 из 5 в срок (80 %)``."""
    decided = t.met + t.breached
    if t.percent_met is None:
        text = fmt("trend_none")
    else:
        percent = _percent(fmt, t.percent_met)
        text = fmt("met_of", met=str(t.met), decided=str(decided), percent=percent)
    if t.running:
        text += fmt("running_too", running=str(t.running))
    return f"{fmt.month(month.year, month.month)}: {text}"


class _Canvas:
    """The SVG elements of one trend: its frame, then a column a month."""

    def __init__(self, layout: TrendLayout, fmt: Formatter, months: int) -> None:
        self.layout = layout
        self.fmt = fmt
        self.slot = layout.slot(months)
        self.parts: list[str] = []

    def frame(self) -> None:
        """Title and legend, the percent gridlines and their labels."""
        lay, fmt, plot = self.layout, self.fmt, self.layout.plot
        self.parts.append(
            f'<text x="{lay.left}" y="{lay.title_y}" class="ct">{escape(fmt("trend_title"))}'
            f'<tspan class="cn" dx="{lay.note_gap}">{escape(fmt("trend_note"))}</tspan></text>'
        )
        for inset, cls, key in ((lay.legend_met, "tm", "trend_met"),
                                (lay.legend_breached, "tb", "trend_breached")):  # fmt: skip
            x = lay.plot_right - inset
            self.parts.append(
                f'<rect x="{x}" y="{lay.title_y - lay.swatch}" width="{lay.swatch}" '
                f'height="{lay.swatch}" class="{cls}"/><text x="{x + lay.swatch + lay.swatch_gap}" '
                f'y="{lay.title_y}" class="lg">{escape(fmt(key))}</text>'
            )
        for p in _GRID_PERCENTS:
            y = plot.bottom - plot.height * p / 100
            self.parts.append(
                f'<line x1="{lay.left}" y1="{_num(y)}" x2="{lay.plot_right}" y2="{_num(y)}" '
                f'class="{"ax" if p == 0 else "gr"}"/>'
            )
            self.parts.append(
                f'<text x="{lay.left - lay.tick_gap}" y="{_num(y + lay.tick_drop)}" '
                f'class="yl">{escape(fmt.percent(Decimal(p)))}</text>'
            )

    def column(self, i: int, month: Month, t: ClockTally, current: bool) -> None:
        """The month's column (or an empty slot and a dash), its percent and its name."""
        lay, fmt, plot = self.layout, self.fmt, self.layout.plot
        x = lay.left + self.slot * i + self.slot * lay.bar_offset
        w = _num(self.slot * lay.bar_width)
        mid = _num(lay.left + self.slot * (i + 0.5))
        tip = f"<title>{escape(_summary(fmt, month, t))}</title>"
        bold = " tc" if current else ""
        decided = t.met + t.breached
        if t.percent_met is None:
            self.parts.append(
                f'<rect x="{_num(x)}" y="{_num(plot.top)}" width="{w}" '
                f'height="{_num(plot.height)}" class="te">{tip}</rect>'
            )
            percent, cls = "—", f"tp tn{bold}"
        else:
            met_h = plot.height * t.met / decided
            rects = [(plot.bottom - met_h, met_h, "tm"), (plot.top, plot.height - met_h, "tb")]
            shown = "".join(
                f'<rect x="{_num(x)}" y="{_num(y)}" width="{w}" height="{_num(h)}" class="{c}"/>'
                for y, h, c in rects
                if h > 0
            )
            self.parts.append(f'<g class="month">{tip}{shown}</g>')
            percent, cls = _percent(fmt, t.percent_met), f"tp{bold}"
        self.parts.append(
            f'<text x="{mid}" y="{_num(plot.top - lay.percent_rise)}" class="{cls}">'
            f"{escape(percent)}</text>"
        )
        self.parts.append(
            f'<text x="{mid}" y="{_num(plot.bottom + lay.month_drop)}" class="xl{bold}">'
            f"{escape(fmt.short_month(month.year, month.month))}</text>"
        )
        if i == 0 or month.month == 1:
            self.parts.append(
                f'<text x="{mid}" y="{_num(plot.bottom + lay.year_drop)}" class="ty">'
                f"{month.year}</text>"
            )


def trend_svg(
    compliance: Compliance | None, fmt: Formatter, layout: TrendLayout = TREND_LAYOUT
) -> str | None:
    """Each month of the trend as a column of its deadlines met (all clocks together) under
    those breached; None when no month has a deadline met or breached."""
    if compliance is None:
        return None
    months = [(m.month, combined(m.clocks)) for m in compliance.trend]
    if all(t.percent_met is None for _, t in months):
        return None
    canvas = _Canvas(layout, fmt, len(months))
    canvas.frame()
    for i, (month, t) in enumerate(months):
        canvas.column(i, month, t, current=i == len(months) - 1)
    first, last = months[0][0], months[-1][0]
    label = fmt(
        "trend_label",
        first=fmt.month(first.year, first.month),
        last=fmt.month(last.year, last.month),
    )
    return (
        f'<svg class="trend" viewBox="0 0 {layout.width} {layout.height}" '
        f'role="img" aria-label="{escape(label)}"><title>{escape(label)}</title>'
        + "".join(canvas.parts)
        + "</svg>"
    )
