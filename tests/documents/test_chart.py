"""The statement chart: its geometry comes from a named layout, its axes from whole hours."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from sla_cli.documents.chart import LAYOUT, ChartLayout, Panel, _axis_top, chart_svg
from sla_cli.documents.labels import formatter
from sla_cli.domain.statement import MonthReport
from tests.report_fixture import sample_report


@pytest.fixture(scope="module")
def report() -> MonthReport:
    return sample_report()


@pytest.mark.parametrize(
    ("minutes", "top", "step"),
    [
        (0, 1, 1),
        (60, 1, 1),
        (61, 2, 1),
        (5 * 60, 5, 1),
        (5 * 60 + 1, 6, 2),
        (40 * 60, 40, 10),
        (41 * 60, 50, 10),
        (1000 * 60, 1000, 200),
    ],
)
def test_an_axis_reaches_the_value_in_at_most_five_whole_hour_steps(
    minutes: int, top: int, step: int
) -> None:
    assert _axis_top(minutes, LAYOUT.max_ticks) == (top, step)
    assert top * 60 >= minutes and top // step <= LAYOUT.max_ticks


def test_the_layout_fits_its_panels_in_the_view_box() -> None:
    assert LAYOUT.bars.bottom < LAYOUT.cumulative.top
    assert LAYOUT.cumulative.bottom + LAYOUT.day_drop < LAYOUT.height
    assert LAYOUT.plot_right == LAYOUT.width - LAYOUT.right
    assert LAYOUT.bar_offset * 2 + LAYOUT.bar_width == pytest.approx(1)


def test_the_chart_takes_its_places_from_the_layout(report: MonthReport) -> None:
    st = report.statements[0]
    fmt = formatter(report, "en")
    wide = ChartLayout(width=1000, height=300, cumulative=Panel(150.0, 100.0))
    svg = chart_svg(report, st, fmt, wide)
    assert svg.startswith('<svg class="chart" viewBox="0 0 1000 300"')
    assert f'x2="{1000 - wide.right}"' in svg
    assert svg != chart_svg(report, st, fmt)
    assert chart_svg(report, st, fmt) == chart_svg(report, st, fmt, replace(LAYOUT))


def test_a_bar_a_day_with_hours(report: MonthReport) -> None:
    st = report.statements[0]
    svg = chart_svg(report, st, formatter(report, "ru"))
    days_with_hours = {d for d, minutes in st.daily_minutes if minutes > 0}
    assert len(re.findall(r'<rect [^>]*class="bar"', svg)) == len(days_with_hours)
    assert "<title>Часы по дням за март 2025 г.</title>" in svg
