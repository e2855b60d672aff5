"""Monthly statements as documents: JSON, CSV, Markdown, HTML (A4), and a terminal view.

A statement is rendered from a `MonthReport` alone; this module never touches the ledger.
Client documents are Russian by default (``lang="ru"``), English on request. Babel, which
formats money the way a reader of that language writes it, is imported only when needed.
"""

from __future__ import annotations

import csv
import html
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sla_cli.domain.durations import hours_text
from sla_cli.domain.money import money_str
from sla_cli.domain.statement import IncidentLine, MonthReport, Statement
from sla_cli.errors import InputError

__all__ = [
    "FORMATS",
    "LANGS",
    "STATEMENT_FIELDS",
    "print_report_table",
    "render_document",
    "report_record",
]

FORMATS = ("json", "csv", "md", "html")
LANGS = ("ru", "en")

# The per-statement keys of the `report` JSON (SPEC §5); CSV columns follow them.
STATEMENT_FIELDS = (
    "client",
    "variant",
    "tier",
    "fee",
    "included_minutes",
    "used_minutes",
    "support_minutes",
    "dev_minutes",
    "burned_minutes",
    "overage_minutes",
    "overage_amount",
    "opening_balance_minutes",
    "closing_balance_minutes",
    "amount_due",
    "incidents",
    "breaches",
)
CSV_FIELDS = ("month", "closed", *STATEMENT_FIELDS)

LABELS: dict[str, dict[str, str]] = {
    "ru": {
        "statement": "Отчёт",
        "preview_statement": "Предварительный отчёт",
        "for_month": "за {month} г.",
        "preview_note": (
            "Месяц ещё не закрыт, часы и суммы могут измениться. "
            "Окончательный отчёт формируется после закрытия месяца."
        ),
        "preview_badge": "ПРЕДВАРИТЕЛЬНЫЙ",
        "provider": "Исполнитель",
        "client": "Заказчик",
        "generated": "Сформирован",
        "timezone_note": "Время указано в часовом поясе {tz}.",
        "figures": "Показатели месяца",
        "item": "Показатель",
        "value": "Значение",
        "variant": "Вариант",
        "tier": "Тариф",
        "package": "Пакет",
        "list_price": "Абонентская плата по тарифу",
        "prepay_discount": "Скидка за предоплату",
        "monthly_fee": "Абонентская плата за месяц",
        "packages_bought": "Куплено пакетов на сумму",
        "included": "Включено часов в месяц",
        "included_package": "Куплено часов в месяце",
        "opening": "Остаток часов на начало месяца",
        "used": "Использовано часов",
        "support": "в т. ч. поддержка",
        "dev": "в т. ч. заказная разработка",
        "burned": "Сгорело неиспользованных часов",
        "overage_1": "Часы сверх тарифа",
        "overage_2": "Заказная разработка к оплате",
        "overage_3": "Перерасход пакета",
        "hour_price": "Стоимость часа",
        "hour_price_discount": "{price} (скидка {discount})",
        "overage_amount": "Сумма за часы сверх тарифа",
        "closing": "Остаток часов на конец месяца",
        "breaches": "Нарушено сроков SLA",
        "amount_due": "К оплате",
        "dev_cap": (
            "Внимание: заказная разработка за месяц ({dev}) превышает предусмотренные "
            "вариантом №{variant} {cap} ч."
        ),
        "incidents": "Инциденты",
        "no_incidents": "Инцидентов в этом месяце не было.",
        "ticket": "Заявка",
        "title": "Тема",
        "opened": "Открыта",
        "resolved": "Решена",
        "sla_clock": "Срок SLA",
        "reaction": "Реакция",
        "start": "Начало работ",
        "due": "Срок",
        "stopped": "Факт",
        "status": "Статус",
        "reaction_due": "Реакция: срок",
        "reaction_at": "Реакция: факт",
        "reaction_status": "Реакция: статус",
        "start_due": "Начало работ: срок",
        "start_at": "Начало работ: факт",
        "start_status": "Начало работ: статус",
        "met": "в срок",
        "breached": "нарушен",
        "at_risk": "под угрозой",
        "running": "идёт",
        "overdue": "+{hours}",
        "hours_unit": "ч",
        "chart_title": "Часы по дням",
        "chart_cumulative": "Нарастающим итогом",
        "chart_included": "включено {hours}",
        "chart_available": "доступно {hours}",
        "chart_unlimited": "без ограничения часов",
        "chart_label": "Часы по дням за {month} г.",
        "summary": "Сводка",
        "total_due": "Итого к оплате: {amount}",
        "unlimited": "без ограничения",
        "col_client": "Клиент",
        "col_variant": "Вар.",
        "col_tier": "Тариф",
        "col_included": "Включено",
        "col_used": "Использовано",
        "col_burned": "Сгорело",
        "col_overage": "Сверх",
        "col_balance": "Остаток",
        "col_due": "К оплате",
        "col_breaches": "Нарушения",
        "col_event": "Событие",
    },
    "en": {
        "statement": "Statement",
        "preview_statement": "Preliminary statement",
        "for_month": "for {month}",
        "preview_note": (
            "The month is not closed yet, hours and amounts may change. "
            "The final statement is issued when the month is closed."
        ),
        "preview_badge": "PRELIMINARY",
        "provider": "Provider",
        "client": "Client",
        "generated": "Generated",
        "timezone_note": "Times are in the {tz} time zone.",
        "figures": "The month in figures",
        "item": "Item",
        "value": "Value",
        "variant": "Variant",
        "tier": "Tier",
        "package": "Package",
        "list_price": "Monthly fee (list)",
        "prepay_discount": "Prepayment discount",
        "monthly_fee": "Monthly fee",
        "packages_bought": "Packages bought",
        "included": "Hours included a month",
        "included_package": "Hours bought this month",
        "opening": "Hour balance at the start of the month",
        "used": "Hours used",
        "support": "of which support",
        "dev": "of which custom development",
        "burned": "Unused hours burned",
        "overage_1": "Hours beyond the tier",
        "overage_2": "Custom development billed",
        "overage_3": "Package overdraft",
        "hour_price": "Hour price",
        "hour_price_discount": "{price} ({discount} off)",
        "overage_amount": "Amount for extra hours",
        "closing": "Hour balance at the end of the month",
        "breaches": "SLA deadlines breached",
        "amount_due": "Amount due",
        "dev_cap": (
            "Note: custom development this month ({dev}) exceeds the {cap} h "
            "that variant {variant} provides for."
        ),
        "incidents": "Incidents",
        "no_incidents": "No incidents this month.",
        "ticket": "Ticket",
        "title": "Title",
        "opened": "Opened",
        "resolved": "Resolved",
        "sla_clock": "SLA clock",
        "reaction": "Reaction",
        "start": "Start of work",
        "due": "Due",
        "stopped": "Done",
        "status": "Status",
        "reaction_due": "Reaction due",
        "reaction_at": "Reacted",
        "reaction_status": "Reaction",
        "start_due": "Start due",
        "start_at": "Started",
        "start_status": "Start",
        "met": "met",
        "breached": "breached",
        "at_risk": "at risk",
        "running": "running",
        "overdue": "+{hours}",
        "hours_unit": "h",
        "chart_title": "Hours per day",
        "chart_cumulative": "Cumulative",
        "chart_included": "included {hours}",
        "chart_available": "available {hours}",
        "chart_unlimited": "unlimited hours",
        "chart_label": "Hours per day, {month}",
        "summary": "Summary",
        "total_due": "Total due: {amount}",
        "unlimited": "unlimited",
        "col_client": "Client",
        "col_variant": "Var.",
        "col_tier": "Tier",
        "col_included": "Included",
        "col_used": "Used",
        "col_burned": "Burned",
        "col_overage": "Extra",
        "col_balance": "Balance",
        "col_due": "Due",
        "col_breaches": "Breaches",
        "col_event": "Event",
    },
}

_LOCALES = {"ru": "ru_RU", "en": "en_US"}


# --------------------------------------------------------------------------- JSON record


def _iso(moment: datetime | None, tz: tzinfo) -> str | None:
    return None if moment is None else moment.astimezone(tz).isoformat()


def _incident_record(line: IncidentLine, tz: tzinfo) -> dict[str, Any]:
    return {
        "ticket": line.ticket,
        "title": line.title,
        "opened_at": _iso(line.opened_at, tz),
        "resolved_at": _iso(line.resolved_at, tz),
        "reaction_due": _iso(line.reaction.due, tz),
        "reacted_at": _iso(line.reaction.stopped, tz),
        "reaction_status": str(line.reaction.status),
        "start_due": _iso(line.start.due, tz),
        "started_at": _iso(line.start.stopped, tz),
        "start_status": str(line.start.status),
    }


def _statement_record(st: Statement, tz: tzinfo) -> dict[str, Any]:
    f = st.figures
    return {
        "client": st.client,
        "variant": st.variant,
        "tier": st.terms.tier_key,
        "fee": money_str(f.fee),
        "included_minutes": f.included_minutes,
        "used_minutes": f.used_minutes,
        "support_minutes": f.support_minutes,
        "dev_minutes": f.dev_minutes,
        "burned_minutes": f.burned_minutes,
        "overage_minutes": f.overage_minutes,
        "overage_amount": money_str(f.overage_amount),
        "opening_balance_minutes": f.opening_balance_minutes,
        "closing_balance_minutes": f.closing_balance_minutes,
        "amount_due": money_str(f.amount_due),
        "incidents": [_incident_record(i, tz) for i in st.incidents],
        "breaches": st.breaches,
    }


def report_record(report: MonthReport) -> dict[str, Any]:
    """The `report` JSON shape of SPEC §5; times in the report's time zone."""
    tz = ZoneInfo(report.timezone)
    return {
        "month": report.label,
        "closed": report.closed,
        "statements": [_statement_record(st, tz) for st in report.statements],
    }


# --------------------------------------------------------------------------- formatting


@dataclass(frozen=True)
class _Fmt:
    """How one language writes money, percentages, hours and times."""

    lang: str
    currency: str
    tz: tzinfo

    @property
    def locale(self) -> str:
        return _LOCALES[self.lang]

    def __call__(self, key: str, **values: str) -> str:
        text = LABELS[self.lang][key]
        return text.format(**values) if values else text

    def money(self, amount: Decimal) -> str:
        from babel.numbers import format_currency

        if self.lang == "en":  # "RUB 1,234.50" rather than Babel's "RUB1,234.50"
            return format_currency(
                amount, self.currency, locale=self.locale, format="¤\xa0#,##0.00"
            )
        return format_currency(amount, self.currency, locale=self.locale)

    def percent(self, value: Decimal) -> str:
        from babel.numbers import format_decimal

        number = format_decimal(value.normalize(), locale=self.locale)
        return f"{number}\xa0%" if self.lang == "ru" else f"{number}%"

    def hours(self, minutes: int | None) -> str:
        return hours_text(minutes)

    def day(self, d: date) -> str:
        return d.strftime("%d.%m.%Y") if self.lang == "ru" else d.isoformat()

    def moment_parts(self, moment: datetime) -> tuple[str, str]:
        """(date, ``HH:MM +03:00``) in the report's time zone."""
        local = moment.astimezone(self.tz)
        return self.day(local.date()), f"{local:%H:%M}\xa0{_offset(local)}"

    def moment(self, moment: datetime | None) -> str:
        if moment is None:
            return "—"
        d, t = self.moment_parts(moment)
        return f"{d} {t}"

    def month(self, year: int, month: int) -> str:
        from babel.dates import format_date

        return str(format_date(date(year, month, 1), "LLLL y", locale=self.locale))

    def status(self, status: str) -> str:
        return self(status)

    def clock_status(self, line: IncidentLine, clock_name: str) -> str:
        clock = line.reaction if clock_name == "reaction" else line.start
        text = self.status(str(clock.status))
        if clock.overdue_minutes > 0:
            text += " " + self("overdue", hours=self.hours(clock.overdue_minutes))
        return text


def _offset(moment: datetime) -> str:
    """``+03:00``: the UTC offset of an aware datetime, to the minute."""
    delta = moment.utcoffset()
    minutes = 0 if delta is None else int(delta.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    h, m = divmod(abs(minutes), 60)
    return f"{sign}{h:02d}:{m:02d}"


def _fmt(report: MonthReport, lang: str) -> _Fmt:
    if lang not in LABELS:
        raise InputError(f"unknown language {lang!r}; use one of: {', '.join(LANGS)}")
    return _Fmt(lang, report.currency, ZoneInfo(report.timezone))


def _title(report: MonthReport, fmt: _Fmt) -> str:
    head = fmt("statement" if report.closed else "preview_statement")
    return f"{head} {fmt('for_month', month=fmt.month(report.year, report.month))}"


def _variant_text(st: Statement, fmt: _Fmt) -> str:
    if fmt.lang == "ru":
        return f"№{st.variant} «{st.variant_name}»"
    return f"{st.variant} “{st.variant_name_en}”"


def _tier_text(st: Statement, fmt: _Fmt) -> str:
    return st.terms.tier_name if fmt.lang == "ru" else st.tier_name_en


@dataclass(frozen=True)
class _Row:
    label: str
    value: str
    strong: bool = False
    sub: bool = False  # a breakdown of the row above
    contract: bool = False  # what the contract is (HTML shows it beside the parties)


def _figure_rows(st: Statement, fmt: _Fmt) -> list[_Row]:
    """The statement's figures, in reading order, shared by every human format."""
    t, f = st.terms, st.figures
    package = t.billing == "package"
    rows = [
        _Row(fmt("variant"), _variant_text(st, fmt), contract=True),
        _Row(fmt("package" if package else "tier"), _tier_text(st, fmt), contract=True),
    ]
    if package:
        rows.append(_Row(fmt("packages_bought"), fmt.money(f.fee)))
    else:
        if t.prepay_discount:
            rows.append(_Row(fmt("list_price"), fmt.money(t.price)))
            rows.append(_Row(fmt("prepay_discount"), fmt.percent(t.prepay_discount)))
        rows.append(_Row(fmt("monthly_fee"), fmt.money(f.fee)))
    if f.opening_balance_minutes is not None:
        rows.append(_Row(fmt("opening"), fmt.hours(f.opening_balance_minutes)))
    rows.append(
        _Row(fmt("included_package" if package else "included"), fmt.hours(f.included_minutes))
    )
    rows += [
        _Row(fmt("used"), fmt.hours(f.used_minutes)),
        _Row(fmt("support"), fmt.hours(f.support_minutes), sub=True),
        _Row(fmt("dev"), fmt.hours(f.dev_minutes), sub=True),
    ]
    if t.burns:
        rows.append(_Row(fmt("burned"), fmt.hours(f.burned_minutes)))
    overage_key = {2: "overage_2", 3: "overage_3"}.get(st.variant, "overage_1")
    rows.append(_Row(fmt(overage_key), fmt.hours(f.overage_minutes)))
    if f.overage_minutes or t.hour_discount:
        price = fmt.money(t.extra_hours_price(60))
        if t.hour_discount:
            price = fmt("hour_price_discount", price=price, discount=fmt.percent(t.hour_discount))
        rows.append(_Row(fmt("hour_price"), price, sub=True))
    rows.append(_Row(fmt("overage_amount"), fmt.money(f.overage_amount)))
    if f.closing_balance_minutes is not None:
        rows.append(_Row(fmt("closing"), fmt.hours(f.closing_balance_minutes)))
    rows.append(_Row(fmt("breaches"), str(st.breaches)))
    rows.append(_Row(fmt("amount_due"), fmt.money(f.amount_due), strong=True))
    return rows


def _dev_cap_note(st: Statement, fmt: _Fmt) -> str | None:
    if not st.figures.dev_cap_exceeded:
        return None
    cap = st.terms.dev_cap_minutes or 0
    cap_hours = f"{cap // 60}" if cap % 60 == 0 else hours_text(cap)
    return fmt(
        "dev_cap", dev=fmt.hours(st.figures.dev_minutes), variant=str(st.variant), cap=cap_hours
    )


def _client_text(st: Statement) -> str:
    return f"{st.client_name} ({st.client})" if st.client_name else st.client


# --------------------------------------------------------------------------- CSV and JSON


def _csv(report: MonthReport) -> str:
    record = report_record(report)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for st in record["statements"]:
        row: dict[str, Any] = {"month": record["month"], "closed": record["closed"], **st}
        row["incidents"] = len(st["incidents"])
        writer.writerow([_csv_value(row[k]) for k in CSV_FIELDS])
    return out.getvalue()


def _csv_value(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


# --------------------------------------------------------------------------- Markdown


_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|#"})


def _md(text: str) -> str:
    """Text as Markdown shows it literally, on one line (safe inside a table cell)."""
    return " ".join(text.translate(_MD_SPECIAL).splitlines())


def _md_table(header: Sequence[str], rows: Sequence[Sequence[str]], align: str) -> list[str]:
    """A table of cells already in Markdown."""
    marks = {"l": "---", "r": "---:"}
    out = ["| " + " | ".join(header) + " |", "|" + "|".join(marks[a] for a in align) + "|"]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return out


def _md_figure(row: _Row) -> list[str]:
    label, value = _md(row.label), _md(row.value)
    if row.strong:
        return [f"**{label}**", f"**{value}**"]
    return [f"— {label}" if row.sub else label, value]


def _markdown(report: MonthReport, fmt: _Fmt) -> str:
    out = [f"# {_md(_title(report, fmt))}", ""]
    if not report.closed:
        out += [f"> **{_md(fmt('preview_badge'))}.** {_md(fmt('preview_note'))}", ""]
    out += [
        f"- {_md(fmt('provider'))}: {_md(report.company)}",
        f"- {_md(fmt('generated'))}: {_md(fmt.moment(report.generated_at))}",
        f"- {_md(fmt('timezone_note', tz=report.timezone))}",
        "",
    ]
    for st in report.statements:
        out += [f"## {_md(_client_text(st))}", ""]
        rows = [_md_figure(r) for r in _figure_rows(st, fmt)]
        out += _md_table([_md(fmt("item")), _md(fmt("value"))], rows, "lr")
        out.append("")
        note = _dev_cap_note(st, fmt)
        if note:
            out += [f"> **{_md(note)}**", ""]
        out += [f"### {_md(fmt('incidents'))}", ""]
        if not st.incidents:
            out += [_md(fmt("no_incidents")), ""]
            continue
        keys = ["ticket", "title", "opened", "reaction_due", "reaction_at", "reaction_status"]
        keys += ["start_due", "start_at", "start_status", "resolved"]
        incident_rows = [
            [
                _md(text)
                for text in (
                    i.ticket,
                    i.title,
                    fmt.moment(i.opened_at),
                    fmt.moment(i.reaction.due),
                    fmt.moment(i.reaction.stopped),
                    fmt.clock_status(i, "reaction"),
                    fmt.moment(i.start.due),
                    fmt.moment(i.start.stopped),
                    fmt.clock_status(i, "start"),
                    fmt.moment(i.resolved_at),
                )
            ]
            for i in st.incidents
        ]
        out += _md_table([_md(fmt(k)) for k in keys], incident_rows, "l" * len(keys))
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


# --------------------------------------------------------------------------- SVG chart


def _num(x: float) -> str:
    """A compact, deterministic SVG coordinate."""
    text = f"{x:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _nice_step(top_hours: float) -> int:
    """A tick step in whole hours giving at most five ticks up to ``top_hours``."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if top_hours / step <= 5:
            return step
    return 2000


def _axis_top(minutes: int) -> tuple[int, int]:
    """(top in hours, step in hours) for an axis that shows ``minutes``."""
    hours = max(minutes / 60, 1)
    step = _nice_step(hours)
    top = -(-int(hours * 1000) // (step * 1000)) * step
    if top * 60 < minutes:
        top += step
    return top, step


def _chart_svg(report: MonthReport, st: Statement, fmt: _Fmt) -> str:
    e = html.escape
    days = report.days
    per_day: dict[date, int] = {}
    for d, minutes in st.daily_minutes:
        per_day[d] = per_day.get(d, 0) + minutes
    values = [per_day.get(d, 0) for d in days]
    # Cumulative use up to today for a preview, to the month's end once closed.
    last = len(days)
    if not report.closed:
        today = report.generated_at.astimezone(fmt.tz).date()
        if days[0] <= today <= days[-1]:
            last = days.index(today) + 1
        elif today < days[0]:
            last = 0
    cumulative: list[int] = []
    running = 0
    for v in values[:last]:
        running += v
        cumulative.append(running)

    f = st.figures
    allowance: int | None = None
    allowance_label = fmt("chart_unlimited")
    if f.opening_balance_minutes is not None:
        allowance = f.opening_balance_minutes + (f.included_minutes or 0)
        allowance_label = fmt("chart_available", hours=fmt.hours(allowance))
    elif f.included_minutes is not None:
        allowance = f.included_minutes
        allowance_label = fmt("chart_included", hours=fmt.hours(allowance))

    width, left, right = 680, 34, 8
    plot_w = width - left - right
    slot = plot_w / len(days)
    unit = fmt("hours_unit")
    parts: list[str] = []

    def panel(y0: float, height: float, top_min: int, title: str, note: str) -> float:
        """Axes and gridlines for a panel whose plot spans y0..y0+height; returns px per minute."""
        top, step = _axis_top(top_min)
        scale = height / (top * 60)
        parts.append(
            f'<text x="{left}" y="{_num(y0 - 8)}" class="ct">{e(title)}'
            f'<tspan class="cn" dx="8">{e(note)}</tspan></text>'
        )
        for h in range(0, top + 1, step):
            y = y0 + height - h * 60 * scale
            parts.append(
                f'<line x1="{left}" y1="{_num(y)}" x2="{width - right}" y2="{_num(y)}" '
                f'class="{"ax" if h == 0 else "gr"}"/>'
            )
            parts.append(
                f'<text x="{left - 4}" y="{_num(y + 3)}" class="yl">{h}\xa0{e(unit)}</text>'
            )
        for i, d in enumerate(days):
            x = left + slot * (i + 0.5)
            cls = "xl xw" if d.weekday() >= 5 else "xl"
            parts.append(
                f'<text x="{_num(x)}" y="{_num(y0 + height + 11)}" class="{cls}">{d.day}</text>'
            )
        return scale

    # Panel 1: bars, hours per day.
    y1, h1 = 20.0, 78.0
    s1 = panel(y1, h1, max(values, default=0), fmt("chart_title"), "")
    for i, (d, v) in enumerate(zip(days, values, strict=True)):
        if v <= 0:
            continue
        bar_h = v * s1
        x = left + slot * i + slot * 0.15
        parts.append(
            f'<rect x="{_num(x)}" y="{_num(y1 + h1 - bar_h)}" width="{_num(slot * 0.7)}" '
            f'height="{_num(bar_h)}" class="bar"><title>{e(fmt.day(d))}: '
            f"{e(fmt.hours(v))}</title></rect>"
        )

    # Panel 2: cumulative use against the month's allowance.
    y2, h2 = 136.0, 64.0
    top2 = max(cumulative[-1] if cumulative else 0, allowance or 0)
    note = allowance_label if allowance is None else ""
    s2 = panel(y2, h2, int(top2 * 1.08) + 1, fmt("chart_cumulative"), note)
    if cumulative:
        points: list[tuple[float, float]] = [(left, y2 + h2)]
        for i, c in enumerate(cumulative):
            points.append((left + slot * (i + 1), y2 + h2 - c * s2))
        path = " ".join(f"{_num(x)},{_num(y)}" for x, y in points)
        area = f"{path} {_num(points[-1][0])},{_num(y2 + h2)}"
        parts.append(f'<polygon points="{area}" class="area"/>')
        parts.append(f'<polyline points="{path}" class="cum"/>')
        end_x, end_y = points[-1]
        parts.append(
            f'<text x="{_num(min(end_x, width - right - 2))}" y="{_num(end_y - 5)}" '
            f'class="cv">{e(fmt.hours(cumulative[-1]))}</text>'
        )
    if allowance is not None:
        ya = y2 + h2 - allowance * s2
        parts.append(
            f'<line x1="{left}" y1="{_num(ya)}" x2="{width - right}" y2="{_num(ya)}" class="lim"/>'
        )
        parts.append(
            f'<text x="{left + 4}" y="{_num(ya - 4)}" class="lt">{e(allowance_label)}</text>'
        )

    label = fmt("chart_label", month=fmt.month(report.year, report.month))
    return (
        f'<svg class="chart" viewBox="0 0 {width} 216" '
        f'role="img" aria-label="{e(label)}"><title>{e(label)}</title>' + "".join(parts) + "</svg>"
    )


# --------------------------------------------------------------------------- HTML

_CSS = """
@page { size: A4; margin: 15mm }
* { box-sizing: border-box }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact }
body { margin: 0; background: #e8ecf0; color: #1d2733;
  font: 9.5pt/1.35 "DejaVu Sans", "Liberation Sans", "Segoe UI", Arial, sans-serif }
.sheet { width: 210mm; min-height: 297mm; margin: 8mm auto; padding: 15mm; background: #fff;
  box-shadow: 0 1px 5px rgba(0, 0, 0, .25); page-break-after: always; break-after: page }
.sheet:last-child { page-break-after: auto; break-after: auto }
header { display: flex; justify-content: space-between; align-items: flex-start;
  border-bottom: 2px solid #1f5f99; padding-bottom: 2mm; margin-bottom: 3mm }
.company { font-size: 9pt; color: #52606d; text-transform: uppercase; letter-spacing: .04em }
h1 { font-size: 15pt; margin: 1mm 0 0 }
h2 { font-size: 11pt; margin: 3mm 0 1.5mm; color: #1f5f99 }
.meta { font-size: 8.5pt; color: #52606d; text-align: right }
.parties { display: grid; grid-template-columns: 30mm 1fr; gap: .5mm 4mm; margin: 0 0 2mm }
.parties dt { color: #52606d } .parties dd { margin: 0; font-weight: bold }
.preview { border: 2px solid #c0392b; color: #c0392b; background: #fdf0ee; padding: 1mm 3mm;
  margin: 0 0 3mm; font-size: 8.5pt }
.preview b { font-size: 10pt; margin-right: 2mm }
.flag { border-left: 4px solid #d68910; background: #fef5e7; padding: 2mm 3mm; margin: 3mm 0 }
table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums }
th, td { padding: .7mm 2mm; border-bottom: 1px solid #d9dee3; vertical-align: top;
  text-align: left }
th { background: #eef2f6; font-size: 8.5pt; color: #334e68 }
table.figures { width: 75% }
table.figures td.v { text-align: right; white-space: nowrap }
table.figures tr.sub td.k { padding-left: 7mm; color: #52606d }
table.figures tr.strong td { font-weight: bold; font-size: 11pt; padding-top: 1.2mm;
  border-top: 2px solid #1d2733; border-bottom: none }
table.incidents { font-size: 8.5pt; table-layout: fixed }
table.incidents td, table.incidents th { padding: .8mm 1.5mm; overflow-wrap: anywhere }
table.incidents td.first { border-top: 1px solid #9aa5b1 }
.t { white-space: nowrap }
.tk { font-weight: bold; white-space: nowrap }
.badge { display: inline-block; padding: 0 1.5mm; border-radius: 1mm }
.met { background: #e3f4e8; color: #1e7b34 } .breached { background: #fbe4e1; color: #b03a2e }
.at_risk { background: #fdf2d0; color: #8a6100 } .running { background: #e1eefa; color: #1f5f99 }
.none { color: #52606d }
svg.chart { width: 100%; height: auto; display: block; margin: 1mm 0 2mm }
svg .ct { font-size: 10px; font-weight: bold; fill: #334e68 }
svg .cn { font-weight: normal; fill: #52606d }
svg .yl { font-size: 8px; fill: #52606d; text-anchor: end }
svg .xl { font-size: 7px; fill: #52606d; text-anchor: middle } svg .xw { fill: #b03a2e }
svg .gr { stroke: #e1e6eb; stroke-width: 1 } svg .ax { stroke: #9aa5b1; stroke-width: 1 }
svg .bar { fill: #3b7dbf }
svg .area { fill: #3b7dbf; fill-opacity: .15 }
svg .cum { fill: none; stroke: #1f5f99; stroke-width: 2 }
svg .cv { font-size: 9px; font-weight: bold; fill: #1f5f99; text-anchor: end }
svg .lim { stroke: #d68910; stroke-width: 1.5; stroke-dasharray: 5 3 }
svg .lt { font-size: 9px; fill: #a0640a }
@media print {
  body { background: #fff }
  .sheet { width: auto; min-height: 0; margin: 0; padding: 0; box-shadow: none }
  tr { break-inside: avoid }
}
"""


def _h(text: str) -> str:
    return html.escape(text, quote=True)


def _html_moment(fmt: _Fmt, moment: datetime | None) -> str:
    if moment is None:
        return '<span class="none">—</span>'
    d, t = fmt.moment_parts(moment)
    return f'{_h(d)} <span class="t">{_h(t)}</span>'


def _html_incidents(st: Statement, fmt: _Fmt) -> list[str]:
    if not st.incidents:
        return [f"<p>{_h(fmt('no_incidents'))}</p>"]
    out = [
        '<table class="incidents"><colgroup><col style="width:20%"><col style="width:13%">'
        '<col style="width:14%"><col style="width:13%"><col style="width:13%">'
        '<col style="width:14%"><col style="width:13%"></colgroup><thead><tr>'
        f"<th>{_h(fmt('ticket'))}</th><th>{_h(fmt('opened'))}</th>"
        f"<th>{_h(fmt('sla_clock'))}</th><th>{_h(fmt('due'))}</th>"
        f"<th>{_h(fmt('stopped'))}</th><th>{_h(fmt('status'))}</th>"
        f"<th>{_h(fmt('resolved'))}</th></tr></thead><tbody>"
    ]
    for line in st.incidents:
        for n, clock in enumerate((line.reaction, line.start)):
            name = "reaction" if n == 0 else "start"
            cells: list[str] = []
            if n == 0:
                cells.append(
                    f'<td rowspan="2" class="first"><span class="tk">{_h(line.ticket)}</span>'
                    f"<br>{_h(line.title)}</td>"
                    f'<td rowspan="2" class="first">{_html_moment(fmt, line.opened_at)}</td>'
                )
            cls = ' class="first"' if n == 0 else ""
            status = str(clock.status)
            target = fmt.hours(clock.target_minutes)
            cells.append(
                f"<td{cls}>{_h(fmt(name))} ({_h(target)})</td>"
                f"<td{cls}>{_html_moment(fmt, clock.due)}</td>"
                f"<td{cls}>{_html_moment(fmt, clock.stopped)}</td>"
                f'<td{cls}><span class="badge {_h(status)}">'
                f"{_h(fmt.clock_status(line, name))}</span></td>"
            )
            if n == 0:
                cells.append(
                    f'<td rowspan="2" class="first">{_html_moment(fmt, line.resolved_at)}</td>'
                )
            out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return out


def _html(report: MonthReport, fmt: _Fmt) -> str:
    title = _title(report, fmt)
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{fmt.lang}">',
        '<head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_h(title)} — {_h(report.company)}</title>",
        f"<style>{_CSS}</style></head>",
        "<body>",
    ]
    for st in report.statements:
        out.append('<section class="sheet">')
        out.append(
            f'<header><div><div class="company">{_h(report.company)}</div>'
            f"<h1>{_h(title)}</h1></div>"
            f'<div class="meta">{_h(fmt("generated"))}<br>'
            f"{_html_moment(fmt, report.generated_at)}<br>"
            f"{_h(fmt('timezone_note', tz=report.timezone))}</div></header>"
        )
        if not report.closed:
            out.append(
                f'<div class="preview"><b>{_h(fmt("preview_badge"))}</b>'
                f"{_h(fmt('preview_note'))}</div>"
            )
        rows = _figure_rows(st, fmt)
        parties = [(fmt("provider"), report.company), (fmt("client"), _client_text(st))]
        parties += [(r.label, r.value) for r in rows if r.contract]
        out.append(
            '<dl class="parties">'
            + "".join(f"<dt>{_h(k)}</dt><dd>{_h(v)}</dd>" for k, v in parties)
            + "</dl>"
        )
        out.append(f"<h2>{_h(fmt('figures'))}</h2>")
        out.append(
            f'<table class="figures"><thead><tr><th>{_h(fmt("item"))}</th>'
            f'<th style="text-align:right">{_h(fmt("value"))}</th></tr></thead><tbody>'
        )
        for r in rows:
            if r.contract:
                continue
            cls = "strong" if r.strong else ("sub" if r.sub else "")
            attr = f' class="{cls}"' if cls else ""
            out.append(
                f'<tr{attr}><td class="k">{_h(r.label)}</td><td class="v">{_h(r.value)}</td></tr>'
            )
        out.append("</tbody></table>")
        note = _dev_cap_note(st, fmt)
        if note:
            out.append(f'<p class="flag">{_h(note)}</p>')
        out.append(_chart_svg(report, st, fmt))
        out.append(f"<h2>{_h(fmt('incidents'))}</h2>")
        out += _html_incidents(st, fmt)
        out.append("</section>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- public API


def render_document(report: MonthReport, fmt: str, lang: str = "ru") -> str:
    """The report as a ``json``, ``csv``, ``md`` or ``html`` document (``lang``: ru or en)."""
    if fmt == "json":
        return json.dumps(report_record(report), ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        return _csv(report)
    f = _fmt(report, lang)
    if fmt == "md":
        return _markdown(report, f)
    if fmt == "html":
        return _html(report, f)
    raise InputError(f"unknown report format {fmt!r}; use one of: {', '.join(FORMATS)}")


def _status(text: str, cell: str | tuple[str, str]) -> tuple[str, str]:
    """A status cell from `render.status_cell` with its text in the statement's language."""
    return (text, cell[1] if isinstance(cell, tuple) else "")


def print_report_table(report: MonthReport, lang: str = "ru") -> None:
    """The terminal view: a summary table, then each client's incidents with coloured clocks."""
    from sla_cli.render import Cell, Column, lines, status_cell, table, width

    f = _fmt(report, lang)
    if not report.closed:
        lines(f"{f('preview_badge')}: {f('preview_note')}")
    total = sum((st.figures.amount_due for st in report.statements), Decimal(0))
    keys = ["client", "variant", "tier", "included", "used", "burned", "overage", "balance"]
    keys += ["due", "breaches"]
    left = {"client", "tier"}
    rows: list[list[Cell]] = []
    for st in report.statements:
        fig = st.figures
        rows.append(
            [
                st.client,
                str(st.variant),
                _tier_text(st, f),
                f.hours(fig.included_minutes),
                f.hours(fig.used_minutes),
                f.hours(fig.burned_minutes) if st.terms.burns else "—",
                f.hours(fig.overage_minutes),
                "—"
                if fig.closing_balance_minutes is None
                else f.hours(fig.closing_balance_minutes),
                f.money(fig.amount_due),
                (str(st.breaches), "bold red") if st.breaches else "0",
            ]
        )
    title = f"{_title(report, f)} — {report.company}"
    caption = f("total_due", amount=f.money(total))
    if width() >= 110:
        table(
            [Column(f(f"col_{k}"), "left" if k in left else "right", no_wrap=True) for k in keys],
            rows,
            title=title,
            caption=caption,
        )
    else:  # a narrow terminal: one small figure table per client, every figure whole
        lines(title)
        for st, row in zip(report.statements, rows, strict=True):
            table(
                [Column(f("col_client")), Column(st.client, "right", no_wrap=True)],
                [[f(f"col_{k}"), cell] for k, cell in zip(keys[1:], row[1:], strict=True)],
                title=f"{st.client_name} ({st.client})",
            )
        lines(caption)
    for st in report.statements:
        note = _dev_cap_note(st, f)
        if note:
            lines(f"{st.client}: {note}")
        if not st.incidents:
            continue
        incident_rows: list[list[Cell]] = []
        for i in st.incidents:
            incident_rows.append(
                [f"{i.ticket}\n{i.title}", f("opened"), "", f.moment(i.opened_at), ""]
            )
            for name, clock in (("reaction", i.reaction), ("start", i.start)):
                incident_rows.append(
                    [
                        "",
                        f"{f(name)} {f.hours(clock.target_minutes)}",
                        f.moment(clock.due),
                        f.moment(clock.stopped),
                        _status(f.clock_status(i, name), status_cell(str(clock.status))),
                    ]
                )
            incident_rows.append(["", f("resolved"), "", f.moment(i.resolved_at), ""])
        table(
            [
                Column(f("ticket")),
                Column(f("col_event"), no_wrap=True),
                Column(f("due")),
                Column(f("stopped")),
                Column(f("status"), no_wrap=True),
            ],
            incident_rows,
            title=f"{f('incidents')}: {_client_text(st)}",
        )
