"""A statement's text shared by every human format: its title, parties and figures in order."""

from __future__ import annotations

from dataclasses import dataclass

from sla_cli.documents.labels import Formatter
from sla_cli.domain.statement import MonthReport, Statement
from sla_cli.formatting import hours_text


def document_title(report: MonthReport, fmt: Formatter) -> str:
    head = fmt("statement" if report.closed else "preview_statement")
    return f"{head} {fmt('for_month', month=fmt.month(report.year, report.month))}"


def variant_text(st: Statement, fmt: Formatter) -> str:
    if fmt.lang == "ru":
        return f"№{st.variant} «{st.variant_name}»"
    return f"{st.variant} “{st.variant_name_en}”"


def tier_text(st: Statement, fmt: Formatter) -> str:
    """The tier; for packages, the packages bought in the month, as named when bought."""
    if st.terms.billing == "package":
        return packages_text(st, fmt)
    return st.terms.tier_name if fmt.lang == "ru" else st.tier_name_en


def packages_text(st: Statement, fmt: Formatter) -> str:
    if not st.packages:
        return fmt("no_packages")
    ru = fmt.lang == "ru"
    quote = "«{}»" if ru else "“{}”"
    names = [  # in English only the contract's own tier has a name, as signed
        p.tier_name if ru or p.tier_name != st.terms.tier_name else st.tier_name_en
        for p in st.packages
    ]
    return ", ".join(
        f"{quote.format(name)} ({fmt.hours(p.minutes)})"
        for name, p in zip(names, st.packages, strict=True)
    )


@dataclass(frozen=True)
class Row:
    label: str
    value: str
    strong: bool = False
    sub: bool = False  # a breakdown of the row above
    contract: bool = False  # what the contract is (HTML shows it beside the parties)


def figure_rows(st: Statement, fmt: Formatter) -> list[Row]:
    """The statement's figures, in reading order, shared by every human format."""
    t, f = st.terms, st.figures
    package = t.billing == "package"
    rows = [
        Row(fmt("variant"), variant_text(st, fmt), contract=True),
        Row(fmt("packages" if package else "tier"), tier_text(st, fmt), contract=True),
    ]
    if package:
        rows.append(Row(fmt("packages_bought"), fmt.money(f.fee)))
    else:
        if t.prepay_discount:
            rows.append(Row(fmt("list_price"), fmt.money(t.price)))
            rows.append(Row(fmt("prepay_discount"), fmt.percent(t.prepay_discount)))
        rows.append(Row(fmt("monthly_fee"), fmt.money(f.fee)))
    if f.opening_balance_minutes is not None:
        rows.append(Row(fmt("opening"), fmt.hours(f.opening_balance_minutes)))
    rows.append(
        Row(fmt("included_package" if package else "included"), fmt.hours(f.included_minutes))
    )
    rows += [
        Row(fmt("used"), fmt.hours(f.used_minutes)),
        Row(fmt("support"), fmt.hours(f.support_minutes), sub=True),
        Row(fmt("dev"), fmt.hours(f.dev_minutes), sub=True),
    ]
    if t.burns:
        rows.append(Row(fmt("burned"), fmt.hours(f.burned_minutes)))
    overage_key = {2: "overage_2", 3: "overage_3"}.get(st.variant, "overage_1")
    rows.append(Row(fmt(overage_key), fmt.hours(f.overage_minutes)))
    if f.overage_minutes or t.hour_discount:
        price = fmt.money(t.extra_hours_price(60))
        if t.hour_discount:
            price = fmt("hour_price_discount", price=price, discount=fmt.percent(t.hour_discount))
        rows.append(Row(fmt("hour_price"), price, sub=True))
    rows.append(Row(fmt("overage_amount"), fmt.money(f.overage_amount)))
    if f.closing_balance_minutes is not None:
        rows.append(Row(fmt("closing"), fmt.hours(f.closing_balance_minutes)))
    rows.append(Row(fmt("breaches"), str(st.breaches)))
    if st.prepaid_offset:  # accrued, less what was paid in advance, then what is left
        rows.append(Row(fmt("accrued"), fmt.money(f.amount_due)))
        rows.append(Row(fmt("prepaid_offset"), fmt.money(-st.prepaid_offset)))
    rows.append(Row(fmt("amount_due"), fmt.money(st.left_to_pay), strong=True))
    return rows


def dev_cap_note(st: Statement, fmt: Formatter) -> str | None:
    if not st.figures.dev_cap_exceeded:
        return None
    cap = st.terms.dev_cap_minutes or 0
    cap_hours = f"{cap // 60}" if cap % 60 == 0 else hours_text(cap)
    return fmt(
        "dev_cap", dev=fmt.hours(st.figures.dev_minutes), variant=str(st.variant), cap=cap_hours
    )


def client_text(st: Statement) -> str:
    return f"{st.client_name} ({st.client})" if st.client_name else st.client
