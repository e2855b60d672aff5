"""The compliance trend under the statement's compliance table: a column a month for twelve
months, the share of deadlines met in blue under the breached rest, an empty slot for a month
with nothing decided, and no chart at all when no month has a deadline met or breached."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest

from sla_cli.documents import render_document
from sla_cli.documents.html import inline_chart_styles
from sla_cli.documents.labels import formatter
from sla_cli.documents.trend import TREND_LAYOUT, trend_svg
from sla_cli.domain.compliance import CLOCKS, ClockTally, Compliance, MonthTally, combined
from sla_cli.domain.month import Month
from sla_cli.domain.statement import MonthReport
from tests.report_fixture import sample_report

NBSP = "\u00a0"
MARCH = Month(2025, 3)  # the sample report's month: its trend runs from April 2024
SEPTEMBER, JANUARY, FEBRUARY, OWN = 5, 9, 10, 11  # their places in that trend (OWN: March)

# January: 3 of 4 met (75 %); February: both breached (0 %); March: 2 of 2 met (100 %) and one
# still running; September: only running (nothing decided); the other months: no incidents
TALLIES = {
    SEPTEMBER: (ClockTally("reaction", 0, 0, 2),),
    JANUARY: (ClockTally("reaction", 2, 1, 0), ClockTally("start", 1, 0, 0)),
    FEBRUARY: (ClockTally("reaction", 0, 2, 0),),
    OWN: (ClockTally("reaction", 1, 0, 0), ClockTally("start", 1, 0, 0),
          ClockTally("resolve", 0, 0, 1)),
}  # fmt: skip


def compliance_of(tallies: dict[int, tuple[ClockTally, ...]]) -> Compliance:
    """A statement's compliance with ``tallies`` as the months of its trend (by place)."""
    months = [MARCH.plus(n - 11) for n in range(12)]
    trend = tuple(MonthTally(m, tallies.get(n, ())) for n, m in enumerate(months))
    year = (
        combined(t for m in trend for t in m.clocks if t.clock == name)._replace(clock=name)
        for name in CLOCKS
    )
    return Compliance(trend[-1].clocks, tuple(t for t in year if t.total), trend, None, None)


def with_compliance(report: MonthReport, c: Compliance) -> MonthReport:
    first = replace(report.statements[0], compliance=c)
    return replace(report, statements=(first, *report.statements[1:]))


@pytest.fixture(scope="module")
def report() -> MonthReport:
    return sample_report()


@pytest.fixture(scope="module")
def svg(report: MonthReport) -> ET.Element:
    drawn = trend_svg(compliance_of(TALLIES), formatter(report, "ru"))
    assert drawn is not None
    return ET.fromstring(drawn)


def columns(svg: ET.Element) -> list[ET.Element]:
    """Each month's column (a group of its met and breached parts) or empty slot, in order."""
    return [e for e in svg if e.get("class") in ("month", "te")]


def texts(svg: ET.Element, cls: str) -> list[str]:
    return [e.text or "" for e in svg.iter("text") if e.get("class", "").split()[:1] == [cls]]


def parts(column: ET.Element) -> dict[str, float]:
    """A column's parts by class (``tm`` met, ``tb`` breached): their heights."""
    return {r.get("class", ""): float(r.get("height", "")) for r in column.iter("rect")}


def test_a_column_a_month_its_met_share_under_the_breached_rest(svg: ET.Element) -> None:
    cols = columns(svg)
    assert len(cols) == 12
    full = TREND_LAYOUT.plot.height
    assert parts(cols[JANUARY]) == {"tm": full * 3 / 4, "tb": full / 4}  # 3 met, 1 breached
    assert parts(cols[FEBRUARY]) == {"tb": full}  # nothing met
    assert parts(cols[OWN]) == {"tm": full}  # the running clock is not decided yet
    met, breached = cols[JANUARY].iter("rect")
    assert float(met.get("y", "")) == TREND_LAYOUT.plot.bottom - full * 3 / 4  # from the axis up
    assert float(breached.get("y", "")) == TREND_LAYOUT.plot.top


def test_a_month_with_nothing_decided_is_an_empty_slot_and_a_dash(svg: ET.Element) -> None:
    cols = columns(svg)
    empty = [n for n, c in enumerate(cols) if c.get("class") == "te"]
    assert empty == [n for n in range(12) if n not in (JANUARY, FEBRUARY, OWN)]
    assert "сентябрь 2024: сроки не наступали, ещё идут: 2" in ET.tostring(
        cols[SEPTEMBER], "unicode"
    )
    assert texts(svg, "tp") == ["—"] * 9 + [f"75{NBSP}%", f"0{NBSP}%", f"100{NBSP}%"]


def test_months_are_named_under_their_columns_with_the_years(svg: ET.Element) -> None:
    assert texts(svg, "xl") == [
        "апр.", "май", "июнь", "июль", "авг.", "сент.", "окт.", "нояб.", "дек.", "янв.", "февр.",
        "март",
    ]  # fmt: skip
    assert texts(svg, "ty") == ["2024", "2025"]  # under the first month and under January
    bold = [e.text for e in svg.iter("text") if "tc" in e.get("class", "").split()]
    assert bold == [f"100{NBSP}%", "март"]  # the statement's own month stands out
    hover = ET.tostring(columns(svg)[JANUARY], "unicode")
    assert f"январь 2025: 3 из 4 в срок (75{NBSP}%)" in hover
    assert f"март 2025: 2 из 2 в срок (100{NBSP}%), ещё идут: 1" in ET.tostring(
        columns(svg)[OWN], "unicode"
    )


def test_the_legend_and_the_axis(svg: ET.Element) -> None:
    assert texts(svg, "lg") == ["в срок", "нарушены"]
    assert texts(svg, "yl") == [f"0{NBSP}%", f"50{NBSP}%", f"100{NBSP}%"]
    assert svg.findtext("title") == "Соблюдение сроков SLA по месяцам: апрель 2024 — март 2025"


def test_english_labels(report: MonthReport) -> None:
    drawn = trend_svg(compliance_of(TALLIES), formatter(report, "en"))
    assert drawn is not None
    svg = ET.fromstring(drawn)
    assert texts(svg, "xl")[JANUARY:] == ["Jan", "Feb", "Mar"]
    assert texts(svg, "tp")[JANUARY:] == ["75%", "0%", "100%"]
    assert texts(svg, "lg") == ["met", "breached"]
    assert "Deadlines met by month" in drawn
    assert "January 2025: 3 of 4 met (75%)" in drawn


def test_no_chart_without_a_month_with_a_deadline_met_or_breached(report: MonthReport) -> None:
    fmt = formatter(report, "ru")
    assert trend_svg(None, fmt) is None
    assert trend_svg(compliance_of({}), fmt) is None
    only_running = compliance_of({SEPTEMBER: TALLIES[SEPTEMBER]})
    assert trend_svg(only_running, fmt) is None
    doc = render_document(with_compliance(report, only_running), "html")
    assert "Соблюдение сроков SLA" in doc and "ещё идут: 2" in doc  # the table is there
    assert '<svg class="trend"' not in doc
    assert '<svg class="trend"' not in render_document(report, "html")  # no compliance at all


def test_the_statement_carries_the_trend_under_its_table_and_stays_self_contained(
    report: MonthReport,
) -> None:
    doc = render_document(with_compliance(report, compliance_of(TALLIES)), "html")
    assert doc.count('<svg class="trend"') == 1 and doc.count('<svg class="chart"') == 3
    table = doc.index("<h2>Соблюдение сроков SLA</h2>")
    assert table < doc.index('<svg class="trend"') < doc.index("<h2>Работы за месяц</h2>")
    lowered = doc.lower()
    for banned in ("http:", "https:", "//", "<script", "<link", "src=", "@import", "url("):
        assert banned not in lowered, banned
    english = render_document(with_compliance(report, compliance_of(TALLIES)), "html", "en")
    assert "Deadlines met by month" in english


def test_renderers_that_style_an_svg_by_itself_get_the_trend_styles(report: MonthReport) -> None:
    doc = inline_chart_styles(
        render_document(with_compliance(report, compliance_of(TALLIES)), "html")
    )
    opening = doc.index('<svg class="trend"')
    inlined = doc[doc.index(">", opening) + 1 :]
    assert inlined.startswith("<style>") and ".tm { fill: #3b7dbf }" in inlined.split("</style>")[0]
    assert doc.count("<style>") == 1 + 3 + 1  # the page's, each daily chart's, the trend's


def test_the_layout_fits_the_view_box() -> None:
    lay = TREND_LAYOUT
    assert lay.title_y < lay.plot.top - lay.percent_rise - 6  # percents clear of the title
    assert lay.plot.bottom + lay.month_drop < lay.plot.bottom + lay.year_drop < lay.height
    assert lay.bar_offset * 2 + lay.bar_width == pytest.approx(1)
    assert lay.plot_right - lay.legend_met > lay.left
