"""`sla calendar`: the business calendar SLA clocks run on. No ledger is touched."""

from __future__ import annotations

from typing import Annotated

import typer

from sla_cli.cli.options import Format, FormatOption, state
from sla_cli.errors import InputError


def register(app: typer.Typer) -> None:
    app.command("calendar")(calendar)


def calendar(
    ctx: typer.Context,
    year: Annotated[int | None, typer.Option("--year", help="A whole year, e.g. 2026.")] = None,
    month: Annotated[str | None, typer.Option("--month", help="One month, YYYY-MM.")] = None,
    format: FormatOption = Format.table,
) -> None:
    """Working days and hours, holidays and working Saturdays (default: this month)."""
    from sla_cli.cli.views import calendar_view
    from sla_cli.domain.calendar import BusinessCalendar
    from sla_cli.domain.limits import MAX_YEAR, MIN_YEAR
    from sla_cli.domain.month import Month

    st = state(ctx)
    if year is not None and month is not None:
        raise InputError("give --year or --month, not both")
    if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
        raise InputError(f"--year {year} is out of range: years {MIN_YEAR}–{MAX_YEAR}")
    cal = BusinessCalendar(st.settings().schedule)
    if year is not None:
        calendar_view(cal, year, None, format.value)
        return
    wanted = Month.of(st.today()) if month is None else Month.parse(month)
    calendar_view(cal, wanted.year, wanted.month, format.value)
