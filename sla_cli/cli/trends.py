"""`sla trends`: the manager's view over several months."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from sla_cli.cli import complete
from sla_cli.cli.options import state

if TYPE_CHECKING:
    from pathlib import Path

    from sla_cli.ops.trends import TrendReport


class TrendsFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    html = "html"
    pdf = "pdf"


def register(app: typer.Typer) -> None:
    app.command("trends")(trends)


def trends(
    ctx: typer.Context,
    client: complete.ClientOption = None,
    since: Annotated[
        str | None, typer.Option("--since", help="The first month, YYYY-MM.", show_default=False)
    ] = None,
    until: Annotated[
        str | None,
        typer.Option(
            "--until",
            help="The last month, YYYY-MM (default: the last closed).",
            show_default=False,
        ),
    ] = None,
    format: Annotated[
        TrendsFormat, typer.Option("--format", "-f", help="Output format.")
    ] = TrendsFormat.table,
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", help="Write to this file instead of stdout (- for stdout)."),
    ] = None,
) -> None:
    """SLA, hours and money month by month, for the company and each client (default: the last
    12 closed months): clocks met and breached per clock and priority, median and 90th
    percentile business time to react and to start, breaches by weekday and hour of opening;
    hours included, used, burned, billed beyond and carried, utilisation; amount billed,
    revenue per hour used against the base rate, and with `\\[engineers]` costs per hour, cost
    and margin per client and engineer. A closed month's figures are its close's. Then each
    contract's forecast, as `contract show` gives it."""
    from sla_cli.cli.needs import business_calendar, document_target, letterhead, month_option
    from sla_cli.ops.trends import month_trends, trend_months

    st = state(ctx)
    target = document_target(st, output, format == TrendsFormat.table,
                             format == TrendsFormat.pdf, "", "html, pdf, csv or json")  # fmt: skip
    settings = st.settings()
    head, cal = letterhead(settings), business_calendar(settings)
    costs = None if settings.engineer_costs is None else dict(settings.engineer_costs)
    with st.reading() as s:
        s.require_rates("the trends' money")
        months = trend_months(s, st.today(), month_option(since), month_option(until))
        found = month_trends(s, head, cal, months, client, st.now(), costs,
                             settings.catalog.hour_rate, cal.is_working_day)  # fmt: skip
    _out(found, format, target)


def _out(found: TrendReport, format: TrendsFormat, target: Path | None) -> None:
    if format == TrendsFormat.table:
        from sla_cli.cli.trend_views import trends_view

        trends_view(found)
        return
    from sla_cli.cli.trend_records import CSV_FIELDS, csv_rows, trends_record
    from sla_cli.files import atomic_write
    from sla_cli.render import capture, csv_out, json_out, lines, text_out

    if format in (TrendsFormat.json, TrendsFormat.csv):
        with capture(target is not None) as taken:
            if format == TrendsFormat.json:
                json_out(trends_record(found))
            else:
                csv_out(CSV_FIELDS, csv_rows(found))
        if target is None:
            return
        atomic_write(target, taken())
    else:
        from sla_cli.documents.trends_html import trends_html

        page = trends_html(found)
        if format == TrendsFormat.html and target is None:
            text_out(page)
            return
        assert target is not None
        if format == TrendsFormat.pdf:
            from sla_cli.documents.pdf import render_pdf

            atomic_write(target, render_pdf(page))
        else:
            atomic_write(target, page)
    lines(f"{format.value} trends written to {target}")
