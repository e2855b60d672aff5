"""Turning domain results into JSON records and table rows; `render` draws them."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from sla_cli.formatting import (
    money_short,
    money_str,
    money_text,
    percent_number,
    percent_text,
)
from sla_cli.render import Cell, Column, csv_out, json_out, table

if TYPE_CHECKING:
    from sla_cli.config import Settings
    from sla_cli.domain.calendar import BusinessCalendar, PeriodSummary
    from sla_cli.domain.quote import Quote
    from sla_cli.ops.periods import Rollover


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


def hours_label(hours: int | None) -> str:
    return "unlimited" if hours is None else f"{hours} h"


def quote_record(q: Quote) -> dict[str, Any]:
    return {
        "variant": q.variant.number,
        "months": q.months,
        "currency": q.currency,
        "options": [
            {
                "tier": o.tier.key,
                "tier_name": o.tier.name,
                "hours": o.tier.hours,
                "monthly_fee": None if o.monthly_fee is None else money_str(o.monthly_fee),
                "discount_percent": percent_number(o.discount_percent),
                "total": money_str(o.total),
                "hour_price": None if o.hour_price is None else money_str(o.hour_price),
                "package_price": None if o.package_price is None else money_str(o.package_price),
            }
            for o in q.options
        ],
    }


def quote_view(q: Quote, fmt: str) -> None:
    if fmt == "json":
        json_out(quote_record(q))
        return
    package = q.variant.billing == "package"
    if fmt == "csv":
        header = ["variant", "months", "tier", "tier_name", "hours", "monthly_fee"]
        header += ["discount_percent", "total", "hour_price", "currency", "package_price"]
        csv_out(
            header,
            (
                [
                    q.variant.number,
                    q.months,
                    o.tier.key,
                    o.tier.name,
                    o.tier.hours,
                    o.monthly_fee,
                    o.discount_percent,
                    o.total,
                    o.hour_price,
                    q.currency,
                    o.package_price,
                ]
                for o in q.options
            ),
        )
        return
    term = f"{q.months} package(s)" if package else f"{q.months} months paid ahead"
    table(
        [
            Column("Tier"),
            Column("Hours", "right", no_wrap=True),
            Column("Package price" if package else "Monthly fee", "right", no_wrap=True),
            Column("Discount", "right", no_wrap=True),
            Column(f"Total, {q.currency}", "right", no_wrap=True),
            Column("Hour price", "right", no_wrap=True),
        ],
        [
            [
                f"{o.tier.name} ({o.tier.key})",
                hours_label(o.tier.hours),
                money_text(o.tier.price),
                percent_text(o.discount_percent),
                money_text(o.total),
                money_text(o.hour_price),
            ]
            for o in q.options
        ],
        title=f"Variant {q.variant.number} «{q.variant.name}», {term}",
        caption="Hour price: the total over the hours it includes. Prices come from the config.",
    )


def tariffs_view(settings: Settings, fmt: str) -> None:
    from sla_cli.cli.records import TARIFF_FIELDS, tariff_records

    catalog = settings.catalog
    records = tariff_records(catalog)
    if fmt == "json":
        json_out(
            {
                "currency": catalog.currency,
                "hour_rate": money_str(catalog.hour_rate),
                "tiers": records,
            }
        )
        return
    if fmt == "csv":
        csv_out(TARIFF_FIELDS, ([r[k] for k in TARIFF_FIELDS] for r in records))
        return
    _tariffs_table(settings)


def _tariffs_table(settings: Settings) -> None:
    catalog = settings.catalog
    start = settings.schedule.day_start.strftime("%H:%M")
    end = settings.schedule.day_end.strftime("%H:%M")
    rows = []
    for v in catalog.variants:
        discounts = ", ".join(
            f"{d.percent.normalize():f}\u00a0% from {d.min_months}" for d in v.prepay_discounts
        )
        for i, t in enumerate(v.tiers):
            first = i == 0
            rows.append(
                [
                    str(v.number) if first else "",
                    t.name,
                    "∞" if t.hours is None else str(t.hours),
                    money_short(t.price) + (" /mo" if v.billing == "monthly" else " /pkg"),
                    (f"{v.min_months} mo" if v.min_months else "—") if first else "",
                    (discounts or "—") if first else "",
                    f"{v.reaction_minutes / 60:g} h / {v.start_minutes / 60:g} h" if first else "",
                ]
            )
    names = "; ".join(f"{v.number}: {v.name}" for v in catalog.variants)
    table(
        [
            Column("#", no_wrap=True),
            Column("Tier", no_wrap=True),
            Column("Hours", "right", no_wrap=True),
            Column(f"Price, {catalog.currency}", "right", no_wrap=True),
            Column("Min.", no_wrap=True),
            Column("Prepay discount (months)", min_width=12),
            Column("SLA", no_wrap=True),
        ],
        rows,
        title=f"Tariffs. Support hours 10/5: working days {start}–{end}.",
        caption=f"{names}. SLA: reaction / start of work, in business hours. Specialist hour: "
        f"{money_short(catalog.hour_rate)} {catalog.currency}. "
        "Prices are examples from the config.",
    )


MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip


def calendar_view(cal: BusinessCalendar, year: int, month: int | None, fmt: str) -> None:
    """A year as a table of months, or a month as a grid a person reads at a glance."""
    summary = cal.summary(year, month)
    if fmt == "json":
        json_out(
            {
                ("month" if month else "year"): summary.label if month else year,
                "working_days": summary.working_days,
                "working_minutes": summary.working_minutes,
                "holidays": [d.isoformat() for d in summary.holidays],
                "working_weekend_days": [d.isoformat() for d in summary.working_weekend_days],
            }
        )
        return
    if fmt == "csv":  # a row a day: what a spreadsheet wants
        _calendar_csv(cal, year, month, summary)
        return
    sched = cal.schedule
    hours = f"{sched.day_start:%H:%M}–{sched.day_end:%H:%M} {sched.timezone}"
    if month is None:
        rows = []
        for m in range(1, 13):
            ms = cal.summary(year, m)
            rows.append(
                [
                    MONTH_NAMES[m - 1],
                    str(ms.working_days),
                    f"{ms.working_minutes / 60:g}",
                    ", ".join(str(d.day) for d in ms.holidays),
                    ", ".join(str(d.day) for d in ms.working_weekend_days),
                ]
            )
        rows.append(
            [
                "Year",
                str(summary.working_days),
                f"{summary.working_minutes / 60:g}",
                str(len(summary.holidays)),
                str(len(summary.working_weekend_days)),
            ]
        )
        table(
            [
                Column("Month"),
                Column("Working days", "right"),
                Column("Hours", "right"),
                Column("Holidays (days)"),
                Column("Working weekend days"),
            ],
            rows,
            title=f"{year}: production calendar {sched.country}, business hours {hours}",
        )
        return
    _month_grid(cal, year, month, summary, hours)


def _calendar_csv(
    cal: BusinessCalendar, year: int, month: int | None, summary: PeriodSummary
) -> None:
    from sla_cli.domain.month import Month

    first, stop = (
        (date(year, 1, 1), date(year + 1, 1, 1)) if month is None else Month(year, month).bounds
    )
    holidays = set(summary.holidays)
    weekend_work = set(summary.working_weekend_days)
    rows = []
    d = first
    while d < stop:
        interval = cal.day_interval(d)
        minutes = 0 if interval is None else int((interval[1] - interval[0]).total_seconds()) // 60
        kind = (
            "working_weekend_day" if d in weekend_work
            else "holiday" if d in holidays
            else "working_day" if interval is not None
            else "weekend"
        )  # fmt: skip
        rows.append([d.isoformat(), kind, minutes])
        d += timedelta(days=1)
    csv_out(["date", "kind", "working_minutes"], rows)


def _month_grid(
    cal: BusinessCalendar, year: int, month: int, summary: PeriodSummary, hours: str
) -> None:
    holidays = set(summary.holidays)
    weekend_work = set(summary.working_weekend_days)
    first = date(year, month, 1)
    start = first - timedelta(days=first.weekday())
    weeks: list[list[Cell]] = []
    d = start
    while d.month == month or d < first:
        week: list[Cell] = []
        for _ in range(7):
            if d.month != month:
                week.append("")
            elif d in weekend_work:
                week.append((f"{d.day}*", "bold green"))
            elif d in holidays:
                week.append((f"{d.day}h", "bold red"))
            elif cal.is_working_day(d):
                week.append(str(d.day))
            else:
                week.append((str(d.day), "dim"))
            d += timedelta(days=1)
        weeks.append(week)
    table(
        [Column(n, "right") for n in ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")],
        weeks,
        title=f"{MONTH_NAMES[month - 1]} {year}",
        caption=(
            f"{summary.working_days} working days, {summary.working_minutes / 60:g} hours "
            f"({hours}). Holidays: {', '.join(str(x.day) for x in summary.holidays) or 'none'}. "
            "In the grid: h a public holiday or moved day off, * a working weekend day."
        ),
    )


def rollover_lines(result: Rollover, where: str, tz: str, dry_run: bool) -> list[str]:
    """`sla rollover` for a person (and cron's mail): the ledger, the timers it stopped, what
    each month closed posted."""
    from sla_cli.formatting import hours_text, short_time

    verb = "would close" if dry_run else "closed"
    by_month: dict[str, list[str]] = {}
    for line in result.closed:
        parts = [f"burned {hours_text(line.burned_minutes)}"] if line.burned_minutes else []
        if line.overage_minutes:
            parts.append(f"billed {hours_text(line.overage_minutes)} beyond the tariff")
        if line.carried_minutes:
            parts.append(f"carried {hours_text(line.carried_minutes)}")
        by_month.setdefault(str(line.month), []).append(
            f"  {line.client}: {', '.join(parts) or 'nothing to post'}"
        )
    out = [f"ledger {where}"]  # cron mail says which ledger it closed
    for t in result.timers:
        out.append(
            f"{'would stop' if dry_run else 'stopped'} {t.timer.by}'s timer on {t.timer.ticket} "
            f"at the month's end: {hours_text(t.minutes)} logged, running on from "
            f"{short_time(t.resumed_at, tz)}"
        )
    for m, rows in by_month.items():
        out.append(f"{verb} {m}:")
        out.extend(rows)
    if not result.closed and not result.already_closed:
        out.append(f"nothing to close up to {result.target}: no contract had begun")
    elif not result.closed:
        out.append(f"nothing to do: {result.already_closed[-1]} and earlier are closed already")
    elif result.already_closed:
        out.append(f"already closed: {', '.join(str(m) for m in result.already_closed)}")
    return out
