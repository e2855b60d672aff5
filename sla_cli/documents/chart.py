"""The statement's chart, as inline SVG: hours per day above, cumulative use below.

Where everything sits is a `ChartLayout`; the drawing reads its places from there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from html import escape

from sla_cli.documents.labels import Formatter
from sla_cli.domain.statement import MonthReport, Statement
from sla_cli.formatting import NBSP

_TICK_STEPS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000)


@dataclass(frozen=True)
class Panel:
    """A plot's box on the chart: its top edge and its height."""

    top: float
    height: float

    @property
    def bottom(self) -> float:
        return self.top + self.height


@dataclass(frozen=True)
class ChartLayout:
    """The chart's geometry, in SVG user units; the viewBox is ``width`` × ``height``."""

    width: int = 680
    height: int = 216
    left: int = 34  # room for the hour labels of the y axes
    right: int = 8
    bars: Panel = field(default=Panel(20.0, 78.0))  # hours per day
    cumulative: Panel = field(default=Panel(136.0, 64.0))  # use against the allowance
    bar_offset: float = 0.15  # where a bar starts in its day's slot, a fraction of the slot
    bar_width: float = 0.7  # a bar's width, a fraction of the slot
    headroom: float = 1.08  # the cumulative axis reaches this far above its highest value
    max_ticks: int = 5  # hour gridlines on an axis, at most (besides zero)
    title_rise: int = 8  # a panel's title: its baseline above the plot
    note_gap: int = 8  # between a panel's title and its note
    tick_gap: int = 4  # between an hour label and the plot
    tick_drop: int = 3  # an hour label's baseline below its gridline
    day_drop: int = 11  # the day numbers' baseline below the plot
    value_inset: int = 2  # the last cumulative figure keeps this clear of the right edge
    value_rise: int = 5  # ... and sits this far above the line's end
    limit_inset: int = 4  # the allowance label: in from the left edge
    limit_rise: int = 4  # ... and above its line

    @property
    def plot_right(self) -> int:
        return self.width - self.right

    def slot(self, days: int) -> float:
        """The width each day gets."""
        return (self.width - self.left - self.right) / days


LAYOUT = ChartLayout()


def _num(x: float) -> str:
    """A compact, deterministic SVG coordinate."""
    text = f"{x:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _nice_step(top_hours: float, max_ticks: int) -> int:
    """A tick step in whole hours giving at most ``max_ticks`` ticks up to ``top_hours``."""
    for step in _TICK_STEPS:
        if top_hours / step <= max_ticks:
            return step
    return 2000


def _axis_top(minutes: int, max_ticks: int) -> tuple[int, int]:
    """(top in hours, step in hours) for an axis that shows ``minutes``."""
    hours = max(minutes / 60, 1)
    step = _nice_step(hours, max_ticks)
    top = -(-int(hours * 1000) // (step * 1000)) * step
    if top * 60 < minutes:
        top += step
    return top, step


def _series(report: MonthReport, st: Statement, fmt: Formatter) -> tuple[list[int], list[int]]:
    """Minutes per day of the month, and their running total up to today (all, once closed)."""
    days = report.days
    per_day: dict[date, int] = {}
    for d, minutes in st.daily_minutes:
        per_day[d] = per_day.get(d, 0) + minutes
    values = [per_day.get(d, 0) for d in days]
    last = len(days)
    if not report.closed:
        today = report.generated_at.astimezone(fmt.tz).date()
        if days[0] <= today <= days[-1]:
            last = days.index(today) + 1
        elif today < days[0]:
            last = 0
    cumulative: list[int] = []
    running = 0
    for v in values[:last]:
        running += v
        cumulative.append(running)
    return values, cumulative


def _allowance(st: Statement, fmt: Formatter) -> tuple[int | None, str]:
    """The month's hours to use (None: unlimited) and how the chart names them."""
    f = st.figures
    if f.opening_balance_minutes is not None:
        allowance = f.opening_balance_minutes + (f.included_minutes or 0)
        return allowance, fmt("chart_available", hours=fmt.hours(allowance))
    if f.included_minutes is not None:
        return f.included_minutes, fmt("chart_included", hours=fmt.hours(f.included_minutes))
    return None, fmt("chart_unlimited")


class _Canvas:
    """The SVG elements of one chart, drawn panel by panel."""

    def __init__(self, layout: ChartLayout, days: tuple[date, ...], fmt: Formatter) -> None:
        self.layout = layout
        self.days = days
        self.fmt = fmt
        self.slot = layout.slot(len(days))
        self.parts: list[str] = []

    def axes(self, panel: Panel, top_minutes: int, title: str, note: str) -> float:
        """Title, hour gridlines and day numbers of ``panel``; returns its units per minute."""
        lay = self.layout
        top, step = _axis_top(top_minutes, lay.max_ticks)
        scale = panel.height / (top * 60)
        self.parts.append(
            f'<text x="{lay.left}" y="{_num(panel.top - lay.title_rise)}" class="ct">'
            f'{escape(title)}<tspan class="cn" dx="{lay.note_gap}">{escape(note)}</tspan></text>'
        )
        unit = escape(self.fmt("hours_unit"))
        for h in range(0, top + 1, step):
            y = panel.bottom - h * 60 * scale
            self.parts.append(
                f'<line x1="{lay.left}" y1="{_num(y)}" x2="{lay.plot_right}" y2="{_num(y)}" '
                f'class="{"ax" if h == 0 else "gr"}"/>'
            )
            self.parts.append(
                f'<text x="{lay.left - lay.tick_gap}" y="{_num(y + lay.tick_drop)}" '
                f'class="yl">{h}{NBSP}{unit}</text>'
            )
        for i, d in enumerate(self.days):
            x = lay.left + self.slot * (i + 0.5)
            cls = "xl xw" if d.weekday() >= 5 else "xl"
            self.parts.append(
                f'<text x="{_num(x)}" y="{_num(panel.bottom + lay.day_drop)}" '
                f'class="{cls}">{d.day}</text>'
            )
        return scale

    def bars(self, values: list[int], scale: float) -> None:
        lay, panel = self.layout, self.layout.bars
        for i, (d, v) in enumerate(zip(self.days, values, strict=True)):
            if v <= 0:
                continue
            bar_h = v * scale
            x = lay.left + self.slot * i + self.slot * lay.bar_offset
            self.parts.append(
                f'<rect x="{_num(x)}" y="{_num(panel.bottom - bar_h)}" '
                f'width="{_num(self.slot * lay.bar_width)}" height="{_num(bar_h)}" class="bar">'
                f"<title>{escape(self.fmt.day(d))}: {escape(self.fmt.hours(v))}</title></rect>"
            )

    def running_total(self, cumulative: list[int], scale: float) -> None:
        lay, bottom = self.layout, self.layout.cumulative.bottom
        points: list[tuple[float, float]] = [(lay.left, bottom)]
        for i, c in enumerate(cumulative):
            points.append((lay.left + self.slot * (i + 1), bottom - c * scale))
        path = " ".join(f"{_num(x)},{_num(y)}" for x, y in points)
        area = f"{path} {_num(points[-1][0])},{_num(bottom)}"
        self.parts.append(f'<polygon points="{area}" class="area"/>')
        self.parts.append(f'<polyline points="{path}" class="cum"/>')
        end_x, end_y = points[-1]
        self.parts.append(
            f'<text x="{_num(min(end_x, lay.plot_right - lay.value_inset))}" '
            f'y="{_num(end_y - lay.value_rise)}" '
            f'class="cv">{escape(self.fmt.hours(cumulative[-1]))}</text>'
        )

    def allowance(self, minutes: int, label: str, scale: float) -> None:
        lay = self.layout
        ya = lay.cumulative.bottom - minutes * scale
        self.parts.append(
            f'<line x1="{lay.left}" y1="{_num(ya)}" x2="{lay.plot_right}" y2="{_num(ya)}" '
            'class="lim"/>'
        )
        self.parts.append(
            f'<text x="{lay.left + lay.limit_inset}" y="{_num(ya - lay.limit_rise)}" '
            f'class="lt">{escape(label)}</text>'
        )


def chart_svg(
    report: MonthReport, st: Statement, fmt: Formatter, layout: ChartLayout = LAYOUT
) -> str:
    """Hours per day as bars; below, their running total against the month's allowance."""
    values, cumulative = _series(report, st, fmt)
    allowance, allowance_label = _allowance(st, fmt)
    canvas = _Canvas(layout, report.days, fmt)
    scale = canvas.axes(layout.bars, max(values, default=0), fmt("chart_title"), "")
    canvas.bars(values, scale)
    top = max(cumulative[-1] if cumulative else 0, allowance or 0)
    note = allowance_label if allowance is None else ""
    top_minutes = int(top * layout.headroom) + 1
    scale = canvas.axes(layout.cumulative, top_minutes, fmt("chart_cumulative"), note)
    if cumulative:
        canvas.running_total(cumulative, scale)
    if allowance is not None:
        canvas.allowance(allowance, allowance_label, scale)
    label = fmt("chart_label", month=fmt.month(report.year, report.month))
    return (
        f'<svg class="chart" viewBox="0 0 {layout.width} {layout.height}" '
        f'role="img" aria-label="{escape(label)}"><title>{escape(label)}</title>'
        + "".join(canvas.parts)
        + "</svg>"
    )
