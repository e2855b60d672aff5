"""Turning domain results into JSON records and table rows; `render` draws them."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sla_cli.render import Column, csv_out, json_out, table

if TYPE_CHECKING:
    from sla_cli.config import Settings
    from sla_cli.domain.quote import Quote


def money_text(amount: Decimal | None) -> str:
    """``28500`` → ``28 500.00``; None is a dash."""
    if amount is None:
        return "—"
    return f"{amount:,.2f}".replace(",", "\u00a0")


def percent_text(value: Decimal) -> str:
    return f"{value.normalize():f} %" if value else "—"


def hours_label(hours: int | None) -> str:
    return "unlimited" if hours is None else f"{hours} h"


def quote_record(q: Quote) -> dict[str, Any]:
    from sla_cli.domain.money import money_str, percent_number

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
            Column("Hours", "right"),
            Column("Package price" if package else "Monthly fee", "right"),
            Column("Discount", "right"),
            Column(f"Total, {q.currency}", "right"),
            Column("Hour price", "right"),
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
                        {"min_months": d.min_months, "percent": str(d.percent)}
                        for d in v.prepay_discounts
                    ],
                    "reaction_minutes": v.reaction_minutes,
                    "start_minutes": v.start_minutes,
                    "max_hour_discount_percent": str(v.max_hour_discount),
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
                    money_text(t.price) + (" /mo" if v.billing == "monthly" else " /pkg"),
                    (f"{v.min_months} mo" if v.min_months else "—") if first else "",
                    (discounts or "—") if first else "",
                    f"{v.reaction_minutes / 60:g} h" if first else "",
                    f"{v.start_minutes / 60:g} h" if first else "",
                ]
            )
    names = "; ".join(f"{v.number}: {v.name}" for v in catalog.variants)
    table(
        [
            Column("#", no_wrap=True),
            Column("Tier", no_wrap=True),
            Column("Hours", "right", no_wrap=True),
            Column(f"Price, {catalog.currency}", "right", no_wrap=True),
            Column("Min. term", no_wrap=True),
            Column("Prepay discount (months)"),
            Column("Reaction", "right", no_wrap=True),
            Column("Start", "right", no_wrap=True),
        ],
        rows,
        title=f"Tariffs. Support hours 10/5: working days {start}–{end}.",
        caption=f"{names}. Specialist hour: {money_text(catalog.hour_rate)} {catalog.currency}. "
        "Prices are examples from the config.",
    )
