"""Turning domain results into JSON records and table rows; `render` draws them."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sla_cli.formatting import (
    hours_text,
    last_day,
    local_iso,
    money_short,
    money_str,
    money_text,
    percent_number,
    percent_text,
    short_time,
)
from sla_cli.render import Cell, Column, csv_out, json_out, records_csv, table

if TYPE_CHECKING:
    from sla_cli.config import Settings
    from sla_cli.domain.calendar import BusinessCalendar, PeriodSummary
    from sla_cli.domain.clock import Clock
    from sla_cli.domain.quote import Quote
    from sla_cli.store.incidents import IncidentRow
    from sla_cli.store.models import Client, Contract


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
        header += ["discount_percent", "total", "hour_price", "currency"]
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
    catalog = settings.catalog
    records: list[dict[str, Any]] = []
    for v in catalog.variants:
        for t in v.tiers:
            records.append(
                {
                    "variant": v.number,
                    "variant_name": v.name,
                    "tier": t.key,
                    "tier_name": t.name,
                    "hours": t.hours,
                    "price": str(t.price),
                    "billing": v.billing,
                    "min_months": v.min_months,
                    "prepay_discounts": [
                        {"min_months": d.min_months, "percent": percent_number(d.percent)}
                        for d in v.prepay_discounts
                    ],
                    "reaction_minutes": v.reaction_minutes,
                    "start_minutes": v.start_minutes,
                    "max_hour_discount_percent": percent_number(v.max_hour_discount),
                    "burns": v.burns,
                }
            )
    if fmt == "json":
        json_out(
            {"currency": catalog.currency, "hour_rate": str(catalog.hour_rate), "tiers": records}
        )
        return
    if fmt == "csv":
        header = ["variant", "tier", "tier_name", "hours", "price", "billing", "min_months"]
        header += ["reaction_minutes", "start_minutes", "max_hour_discount_percent", "burns"]
        csv_out(header, ([r[k] for k in header] for r in records))
        return
    start = settings.day_start.strftime("%H:%M")
    end = settings.day_end.strftime("%H:%M")
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


ENTRY_FIELDS = (
    "id", "client", "ticket", "on", "minutes", "type", "kind", "by", "note", "reverses",
    "created_at",
)  # fmt: skip


def entries_view(records: list[dict[str, Any]], fmt: str, tz: str) -> None:
    for r in records:
        r["created_at"] = local_iso(r["created_at"], tz)
    if fmt == "json":
        json_out(records)
        return
    if fmt == "csv":
        records_csv(records, ENTRY_FIELDS)
        return
    table(
        [
            Column("ID", "right", no_wrap=True),
            Column("Date", no_wrap=True),
            Column("Ticket", no_wrap=True),
            Column("Hours", "right", no_wrap=True),
            Column("Type", no_wrap=True),
            Column("By"),
            Column("Note"),
        ],
        [
            [
                str(r["id"]),
                r["on"],
                r["ticket"] or f"({r['client']})",
                hours_text(r["minutes"]),
                entry_type(r),
                r["by"],
                r["note"] or "",
            ]
            for r in records
        ],
        caption=plural(len(records), "entry", "entries") if records else "no entries",
    )


def entry_type(r: dict[str, Any]) -> str:
    """``support``/``dev`` for work, else the type; ``void 12`` for a reversal of entry 12."""
    if r["type"] == "reversal":
        return f"void {r['reverses']}"
    return str(r["kind"]) if r["type"] == "work" and r["kind"] else str(r["type"])


def contracts_view(rows: list[tuple[Contract, Client, int | None]], fmt: str) -> None:
    from sla_cli.store.ledger import from_bp, from_kopecks

    records: list[dict[str, Any]] = [
        {
            "id": c.id,
            "client": cl.key,
            "client_name": cl.name,
            "variant": c.variant,
            "tier": c.tier_key,
            "tier_name": c.tier_name,
            "start": c.start.isoformat(),
            "end": last_day(c.end),
            "months": c.months,
            "prepaid_months": c.prepaid_months,
            "price": money_str(from_kopecks(c.price_kopecks)),
            "prepay_discount_percent": percent_number(from_bp(c.prepay_discount_bp)),
            "hour_discount_percent": percent_number(from_bp(c.hour_discount_bp)),
            "included_minutes": c.included_minutes,
            "balance_minutes": bal,
            "timezone": c.timezone,
        }
        for c, cl, bal in rows
    ]
    if fmt == "json":
        json_out(records)
        return
    if fmt == "csv":
        records_csv(records, list(records[0]) if records else ["id"])
        return
    table(
        [
            Column("ID", "right", no_wrap=True),
            Column("Client", no_wrap=True),
            Column("Tariff", no_wrap=True),
            Column("Term", no_wrap=True),
            Column("Price", "right", no_wrap=True),
            Column("Discounts", no_wrap=True),
            Column("Left", "right", no_wrap=True),
        ],
        [
            [
                str(r["id"]),
                r["client"],
                f"{r['variant']} {r['tier']}",
                f"{c.start:%m.%Y}–" + (f"{date.fromisoformat(r['end']):%m.%Y}" if r["end"] else ""),
                money_short(from_kopecks(c.price_kopecks)),
                f"{r['prepay_discount_percent']} % / {r['hour_discount_percent']} %",
                "" if r["balance_minutes"] is None else hours_text(r["balance_minutes"]),
            ]
            for r, (c, _, _) in zip(records, rows, strict=True)
        ],
        caption=(
            plural(len(records), "contract")
            + "; discounts: prepayment / extra hours; left: a package balance"
            if records
            else "no contracts: `sla contract add`"
        ),
    )


def clock_line(clock: Clock, tz: str) -> str:
    """``reaction due 2026-01-12 10:30+03:00, met``."""
    text = f"{clock.name} due {short_time(clock.due, tz)}, {clock.status}"
    if clock.status == "breached" and clock.overdue_minutes:
        text += f" by {hours_text(clock.overdue_minutes)}"
    elif clock.stopped is None:
        text += f", {hours_text(max(clock.remaining_minutes, 0))} left"
    return text


INCIDENT_FIELDS = (
    "ticket", "client", "variant", "opened_at", "reacted_at", "started_at", "resolved_at",
    "reaction_due", "start_due", "reaction_status", "start_status",
)  # fmt: skip


def incidents_view(
    rows: list[tuple[IncidentRow, Clock, Clock]], fmt: str, tz: str, now: datetime
) -> None:

    records = [
        {
            "ticket": r.incident.ticket,
            "client": r.client.key,
            "variant": r.contract.variant,
            "opened_at": local_iso(r.incident.opened_at, zone(r, tz)),
            "reacted_at": local_iso(r.incident.reacted_at, zone(r, tz)),
            "started_at": local_iso(r.work_started(now), zone(r, tz)),
            "resolved_at": local_iso(r.incident.resolved_at, zone(r, tz)),
            "reaction_due": local_iso(reaction.due, zone(r, tz)),
            "start_due": local_iso(start.due, zone(r, tz)),
            "reaction_status": str(reaction.status),
            "start_status": str(start.status),
        }
        for r, reaction, start in rows
    ]
    if fmt == "json":
        json_out(records)
        return
    if fmt == "csv":
        records_csv(records, INCIDENT_FIELDS)
        return

    table(
        [
            Column("Ticket", no_wrap=True),
            Column("Opened", no_wrap=True),
            Column("Reaction", no_wrap=True),
            Column("Start of work", no_wrap=True),
            Column("Resolved", min_width=11),
        ],
        [
            [
                r.incident.ticket,
                time_cell(r.incident.opened_at, zone(r, tz)),
                clock_cell(reaction, zone(r, tz)),
                clock_cell(start, zone(r, tz)),
                time_cell(r.incident.resolved_at, zone(r, tz)) if r.incident.resolved_at else "",
            ]
            for r, reaction, start in rows
        ],
        caption=(
            plural(len(rows), "incident") + "; each clock: due time, then status"
            if rows
            else "no incidents"
        ),
    )


def zone(row: IncidentRow, company_tz: str) -> str:
    """Times of a contract signed with ``--tz`` are shown in its zone."""
    return row.contract.timezone or company_tz


def time_cell(moment: datetime | None, tz: str) -> str:
    """Date over time-with-offset, to keep table columns narrow."""
    return short_time(moment, tz).replace(" ", "\n", 1)


def clock_cell(c: Clock, tz: str) -> Cell:
    """Due time over the status (and time left or late), coloured by status."""
    from sla_cli.render import STATUS_STYLES

    status = str(c.status)
    if c.status == "breached" and c.overdue_minutes:
        status += f" +{hours_text(c.overdue_minutes)}"
    elif c.stopped is None and c.status != "breached":
        status += f", {hours_text(max(c.remaining_minutes, 0))} left"
    return (f"{time_cell(c.due, tz)}\n{status}", STATUS_STYLES.get(str(c.status), ""))


BREACH_FIELDS = ("ticket", "client", "clock", "due", "at", "overdue_minutes", "status")


def breaches_view(found: list[tuple[IncidentRow, Clock]], fmt: str, tz: str) -> None:
    from sla_cli.render import status_cell

    records = [
        {
            "ticket": r.incident.ticket,
            "client": r.client.key,
            "clock": c.name,
            "due": local_iso(c.due, zone(r, tz)),
            "at": local_iso(c.stopped, zone(r, tz)),
            "overdue_minutes": c.overdue_minutes,
            "status": str(c.status),
        }
        for r, c in found
    ]
    if fmt == "json":
        json_out(records)
        return
    if fmt == "csv":
        records_csv(records, BREACH_FIELDS)
        return
    table(
        [
            Column("Ticket", no_wrap=True),
            Column("Client"),
            Column("Clock", no_wrap=True),
            Column("Due", no_wrap=True),
            Column("Stopped", no_wrap=True),
            Column("Status", no_wrap=True),
            Column("Late by", "right", no_wrap=True),
        ],
        [
            [
                r.incident.ticket,
                r.client.key,
                c.name,
                time_cell(c.due, zone(r, tz)),
                time_cell(c.stopped, zone(r, tz)) if c.stopped else "running",
                status_cell(str(c.status)),
                hours_text(c.overdue_minutes) if c.status == "breached" else "",
            ]
            for r, c in found
        ],
        caption=plural(len(found), "clock") + " breached or at risk" if found else "no breaches",
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
    from datetime import timedelta

    first = date(year, month or 1, 1)
    stop = date(year + 1, 1, 1) if month is None else date(year + month // 12, month % 12 + 1, 1)
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
    from datetime import date, timedelta

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
