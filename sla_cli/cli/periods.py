"""`sla rollover` (month close, for cron) and `sla report` (monthly statements)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from sla_cli.cli.options import Format, FormatOption, ReportFormat, state


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

    from sla_cli.demo import build_demo
    from sla_cli.documents import print_report_table
    from sla_cli.render import lines
    from sla_cli.store.periods import month_report

    st = state(ctx)
    target = folder or Path(tempfile.mkdtemp(prefix="sla-demo-"))
    now = st.now()
    built = build_demo(target, now)
    with built.ledger.session() as s:
        data = month_report(s, built.settings, built.months[-1], None, now)
    print_report_table(data, lang.value)
    lines(
        f"\nDemo ledger: {built.folder}. Try it:\n"
        f"  export SLA_CONFIG={built.config} SLA_DATABASE_URL={built.db_url}\n"
        f"  sla entries --month {built.months[-1]}\n"
        "  sla incident list\n"
        f"  sla report --month {built.months[-1]} --format html -o statement.html\n"
        "  sla report --month            # this month so far, a preview"
    )


def rollover(
    ctx: typer.Context,
    month: Annotated[
        str | None,
        typer.Option("--month", help="Close up to this month, YYYY-MM (default: the last ended)."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would be posted; write nothing.")
    ] = False,
    format: FormatOption = Format.table,
) -> None:
    """Close every ended month still open, oldest first: burn, bill overage, carry balances.

    Safe to run from cron daily: a closed month is never closed again.
    """
    from sla_cli.render import json_out, lines
    from sla_cli.store.periods import rollover as close
    from sla_cli.timeparse import month_label, parse_month

    st = state(ctx)
    upto = month_label(*parse_month(month)) if month else None
    result = close(st.ledger(), st.settings(), upto, st.today(), st.user(), st.now(), dry_run)
    if format == Format.json:
        json_out(result.record())
        return
    if format == Format.csv:
        from sla_cli.render import records_csv

        fields = ("month", "client", "burned_minutes", "overage_minutes", "carried_minutes")
        records_csv(result.closed, fields)
        return
    from sla_cli.formatting import hours_text

    verb = "would close" if dry_run else "closed"
    by_month: dict[str, list[str]] = {}
    for row in result.closed:
        parts = [f"burned {hours_text(row['burned_minutes'])}"] if row["burned_minutes"] else []
        if row["overage_minutes"]:
            parts.append(f"billed {hours_text(row['overage_minutes'])} beyond the tariff")
        if row["carried_minutes"]:
            parts.append(f"carried {hours_text(row['carried_minutes'])}")
        by_month.setdefault(row["month"], []).append(
            f"  {row['client']}: {', '.join(parts) or 'nothing to post'}"
        )
    out = []
    for m, rows in by_month.items():
        out.append(f"{verb} {m}:")
        out.extend(rows)
    if not result.closed and not result.already_closed:
        out.append(f"nothing to close up to {result.target}: no contract had begun")
    elif not result.closed:
        out.append(f"nothing to do: {result.already_closed[-1]} and earlier are closed already")
    elif result.already_closed:
        out.append(f"already closed: {', '.join(result.already_closed)}")
    lines("\n".join(out))


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
    client: Annotated[str | None, typer.Option("--client", help="One client's statement.")] = None,
    format: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ReportFormat.table,
    lang: Annotated[Lang, typer.Option("--lang", help="Language of the statement.")] = Lang.ru,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
    ] = None,
) -> None:
    """Monthly statements: fee, hours used, burned and billed, balance, incidents and SLA clocks."""
    from sla_cli.errors import InputError
    from sla_cli.store.periods import last_ended_month, month_report
    from sla_cli.timeparse import month_label, parse_month

    st = state(ctx)
    if month == CURRENT:
        label = st.today().strftime("%Y-%m")
    elif month:
        label = month_label(*parse_month(month))
    else:
        label = last_ended_month(st.today())
    with st.ledger().session() as s:
        data = month_report(s, st.settings(), label, client, st.now())
    if format == ReportFormat.table:
        if output is not None:
            raise InputError("-o writes documents: add --format md, html, csv or json")
        from sla_cli.documents import print_report_table

        print_report_table(data, lang.value)
        return
    from sla_cli.documents import render_document

    document = render_document(data, format.value, lang.value)
    if output is None:
        from sla_cli.render import text_out

        text_out(document)
        return
    from sla_cli.config import atomic_write

    atomic_write(output, document)
    from sla_cli.render import lines

    lines(f"{format.value} statement for {label} written to {output}")
