"""`sla rollover` (month close, for cron) and `sla report` (monthly statements)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sla_cli.cli import complete
from sla_cli.cli.options import Format, FormatOption, ReportFormat, state

if TYPE_CHECKING:
    from sla_cli.domain.statement import MonthReport


class Detail(StrEnum):
    summary = "summary"
    tickets = "tickets"
    entries = "entries"


class Lang(StrEnum):
    ru = "ru"
    en = "en"


CURRENT = "current"


def register(app: typer.Typer) -> None:
    app.command("rollover")(rollover)
    app.command("report")(report)
    app.command("demo")(demo)


def demo(
    ctx: typer.Context,
    folder: Annotated[
        Path | None,
        typer.Option("--dir", help="Build it here (default: a new temporary folder)."),
    ] = None,
    lang: Annotated[Lang, typer.Option("--lang", help="Language of the statements.")] = Lang.ru,
) -> None:
    """Build a demo ledger (a client on each variant, three closed months) and print statements."""
    import tempfile
    from shlex import quote

    from sla_cli.cli.needs import business_calendar, letterhead
    from sla_cli.demo import build_demo
    from sla_cli.documents.table import print_report_table
    from sla_cli.ops.statements import month_report
    from sla_cli.render import lines

    target = folder or Path(tempfile.mkdtemp(prefix="sla-demo-"))
    # The demo writes and reads its own config: the user's (even one not written yet) has no say.
    from sla_cli.config.defaults import DEFAULTS
    from sla_cli.timeparse import now_from_env

    now = now_from_env(DEFAULTS["company"]["timezone"])
    built = build_demo(target, now)
    head, cal = letterhead(built.settings), business_calendar(built.settings)
    with built.store() as s:
        data = month_report(s, head, cal, built.months[-1], None, now)
    print_report_table(data, lang.value)
    sla = program()
    lines(
        f"\nDemo ledger: {built.folder}. Try it:\n"
        f"  export SLA_CONFIG={quote(str(built.config))} SLA_DATABASE_URL={quote(built.db_url)}\n"
        f"  {sla} entries --month {built.months[-1]}\n"
        f"  {sla} incident list\n"
        f"  {sla} report --month {built.months[-1]} --format html -o statement.html\n"
        f"  {sla} report --month            # this month so far, a preview"
    )


def program() -> str:
    """How to run this program again from the shell: ``sla`` when that is what ``sla`` on the
    PATH runs, else the path of the script that ran (``.venv/bin/sla``), else the module."""
    import os
    import shutil
    import sys
    from shlex import quote

    ran = sys.argv[0] if sys.argv else ""
    if os.path.basename(ran) != "sla" or not os.path.exists(ran):
        return f"{quote(sys.executable)} -m sla_cli"
    found = shutil.which("sla")
    if found is not None and os.path.realpath(found) == os.path.realpath(ran):
        return "sla"
    return quote(ran)


def rollover(
    ctx: typer.Context,
    month: Annotated[
        str | None,
        typer.Option("--month", help="Close up to this month, YYYY-MM (default: the last ended)."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would be posted; write nothing.")
    ] = False,
    stop_timers: Annotated[
        bool,
        typer.Option(
            "--stop-timers",
            help="Log timers still running up to the end of their month, and let them run on "
            "from the next month's start (without it, a running timer stops the close).",
        ),
    ] = False,
    format: FormatOption = Format.table,
) -> None:
    """Close every ended month still open, oldest first: burn, bill overage, carry balances.

    Safe to run from cron daily: a closed month is never closed again. A month closes once it
    is over by the real clock, with the SLA clock terms of the config sealed in it.
    """
    from sla_cli.cli.needs import month_option, work_policy
    from sla_cli.cli.records import ROLLOVER_FIELDS, rollover_record
    from sla_cli.cli.views import rollover_lines
    from sla_cli.ops.periods import CloseRules
    from sla_cli.ops.periods import rollover as close
    from sla_cli.render import json_out, lines, records_csv

    st = state(ctx)
    settings = st.settings()  # a bad config stops the close before it starts
    rules = CloseRules(
        settings.clock_terms, st.real_today(), work_policy(settings) if stop_timers else None
    )
    result = close(st.store, month_option(month), st.today(), st.user(), dry_run, rules)
    record = rollover_record(result)
    if format == Format.json:
        json_out(record)
    elif format == Format.csv:
        records_csv(record["closed"], ROLLOVER_FIELDS)
    else:
        lines("\n".join(rollover_lines(result, st.ledger_name(), settings.timezone, dry_run)))


def report(
    ctx: typer.Context,
    month: Annotated[
        str | None,
        typer.Option(
            "--month",
            help="YYYY-MM; `--month` alone is the current month (a preview until closed). "
            "Default: the last ended month.",
        ),
    ] = None,
    client: complete.ClientOption = None,
    format: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ReportFormat.table,
    lang: Annotated[Lang, typer.Option("--lang", help="Language of the statement.")] = Lang.ru,
    detail: Annotated[
        Detail | None,
        typer.Option(
            "--detail",
            help="How much of the work report (the month's hours by ticket) to show: summary "
            "(none), tickets, or entries (each ticket's log too). Default: tickets in md, html "
            "and pdf; summary in the terminal and csv. JSON always carries all of it.",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", help="Write to this file instead of stdout (- for stdout)."),
    ] = None,
) -> None:
    """Monthly statements: fee, hours used, burned and billed, balance, incidents and SLA clocks."""
    from sla_cli.cli.needs import business_calendar, document_target, letterhead
    from sla_cli.domain.month import Month
    from sla_cli.ops.statements import last_ended_month, month_report

    st = state(ctx)
    target = document_target(st, output, format == ReportFormat.table,
                             format == ReportFormat.pdf, "statement ",
                             "md, html, pdf, csv or json")  # fmt: skip
    if month == CURRENT:
        label = Month.of(st.today())
    elif month is not None:
        label = Month.parse(month)
    else:
        label = last_ended_month(st.today())
    settings = st.settings()
    head, cal = letterhead(settings), business_calendar(settings)
    summary = format == ReportFormat.table and (detail or Detail.summary) == Detail.summary
    with st.reading() as s:
        s.require_rates("a statement")
        data = month_report(s, head, cal, label, client, st.now(), trend_where_incidents=summary)
    if format == ReportFormat.table:
        from sla_cli.documents.table import print_report_table

        print_report_table(data, lang.value, (detail or Detail.summary).value)
        return
    _document(data, format, lang, target, None if detail is None else detail.value)


def _document(
    data: MonthReport, format: ReportFormat, lang: Lang, target: Path | None, detail: str | None
) -> None:
    """The statements as a document, to stdout or (a PDF always) to ``target``."""
    from sla_cli.documents import render_document
    from sla_cli.files import atomic_write
    from sla_cli.render import lines, text_out

    if format == ReportFormat.pdf:
        from sla_cli.documents.pdf import render_pdf

        assert target is not None
        document: str | bytes = render_pdf(render_document(data, "html", lang.value, detail))
    else:
        document = render_document(data, format.value, lang.value, detail)
        if target is None:
            text_out(document)
            return
    atomic_write(target, document)
    lines(f"{format.value} statement for {data.label} written to {target}")
