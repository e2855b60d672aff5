"""What a statement says in each language, and how that language writes money and times.

Babel, which formats money and month names the way a reader of the language expects, is
imported only when a document is drawn. Offsets and hours come from `sla_cli.formatting`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, tzinfo
from decimal import Decimal
from zoneinfo import ZoneInfo

from sla_cli.domain.statement import IncidentLine, MonthReport
from sla_cli.errors import InputError
from sla_cli.formatting import NBSP, hours_text, utc_offset

LANGS = ("ru", "en")

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
        "fingerprint": "Отпечаток журнала",
        "timezone_note": "Время указано в часовом поясе {tz}.",
        "client_timezone_note": "Время в этом разделе — в часовом поясе клиента, {tz}.",
        "figures": "Показатели месяца",
        "item": "Показатель",
        "value": "Значение",
        "variant": "Вариант",
        "tier": "Тариф",
        "package": "Пакет",
        "packages": "Пакеты за месяц",
        "no_packages": "не покупались",
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
        "accrued": "Начислено",
        "prepaid_offset": "Зачтено из предоплаты",
        "dev_cap": (
            "Внимание: заказная разработка за месяц ({dev}) превышает предусмотренные "
            "вариантом №{variant} {cap} ч."
        ),
        "incidents": "Инциденты",
        "no_incidents": "Инцидентов в этом месяце не было.",
        "compliance": "Соблюдение сроков SLA",
        "compliance_clock": "Срок",
        "compliance_month": "За месяц",
        "compliance_year": "За 12 месяцев",
        "met_of": "{met} из {decided} в срок ({percent})",
        "running_too": ", ещё идут: {running}",
        "medians": "Медиана: реакция {reaction}, начало работ {start} (рабочее время).",
        "work": "Работы за месяц",
        "no_work": "Часы в этом месяце не списывались.",
        "work_ticket": "Заявка",
        "work_title": "Работа",
        "work_support": "Поддержка",
        "work_dev": "Разработка",
        "work_total": "Всего",
        "work_engineers": "Исполнители",
        "work_days": "Дни",
        "work_sum": "Итого",
        "work_log": "Журнал работ",
        "no_ticket": "без заявки",
        "kind_support": "поддержка",
        "kind_dev": "разработка",
        "waited": "ожидание ответа клиента: {hours}",
        "by_mail": "обращение по e-mail",
        "waiting": "Ожидание клиента",
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
        "resolve": "Решение",
        "resolve_due": "Решение: срок",
        "resolve_status": "Решение: статус",
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
        "trend_title": "Соблюдение сроков по месяцам",
        "trend_note": "доля в срок из наступивших, все сроки вместе",
        "trend_met": "в срок",
        "trend_breached": "нарушены",
        "trend_none": "сроки не наступали",
        "trend_label": "Соблюдение сроков SLA по месяцам: {first} — {last}",
        "summary": "Сводка",
        "total_due": "Итого к оплате: {amount}",
        "unlimited": "без ограничения",
        "col_client": "Клиент",
        "col_variant": "Вар.",
        "col_tier": "Тариф",
        "col_opening": "Было",
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
        "fingerprint": "Ledger seal",
        "timezone_note": "Times are in the {tz} time zone.",
        "client_timezone_note": "Times in this section are in the client's time zone, {tz}.",
        "figures": "The month in figures",
        "item": "Item",
        "value": "Value",
        "variant": "Variant",
        "tier": "Tier",
        "package": "Package",
        "packages": "Packages this month",
        "no_packages": "none",
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
        "accrued": "Accrued",
        "prepaid_offset": "Paid in advance",
        "dev_cap": (
            "Note: custom development this month ({dev}) exceeds the {cap} h "
            "that variant {variant} provides for."
        ),
        "incidents": "Incidents",
        "no_incidents": "No incidents this month.",
        "compliance": "SLA deadlines met",
        "compliance_clock": "Deadline",
        "compliance_month": "This month",
        "compliance_year": "Last 12 months",
        "met_of": "{met} of {decided} met ({percent})",
        "running_too": ", still running: {running}",
        "medians": "Median: reaction {reaction}, start of work {start} (business time).",
        "work": "Work this month",
        "no_work": "No hours were logged this month.",
        "work_ticket": "Ticket",
        "work_title": "Work",
        "work_support": "Support",
        "work_dev": "Development",
        "work_total": "Total",
        "work_engineers": "Engineers",
        "work_days": "Days",
        "work_sum": "Total",
        "work_log": "Work log",
        "no_ticket": "no ticket",
        "kind_support": "support",
        "kind_dev": "development",
        "waited": "waiting for the client: {hours}",
        "by_mail": "requested by e-mail",
        "waiting": "Client waited",
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
        "resolve": "Resolution",
        "resolve_due": "Resolution due",
        "resolve_status": "Resolution",
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
        "trend_title": "Deadlines met by month",
        "trend_note": "share met of those decided, all clocks together",
        "trend_met": "met",
        "trend_breached": "breached",
        "trend_none": "no deadline decided",
        "trend_label": "SLA deadlines met by month, {first} to {last}",
        "summary": "Summary",
        "total_due": "Total due: {amount}",
        "unlimited": "unlimited",
        "col_client": "Client",
        "col_variant": "Var.",
        "col_tier": "Tier",
        "col_opening": "Opening",
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


@dataclass(frozen=True)
class Formatter:
    """How one language writes labels, money, percentages, hours and times."""

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
                amount, self.currency, locale=self.locale, format=f"¤{NBSP}#,##0.00"
            )
        return format_currency(amount, self.currency, locale=self.locale)

    def percent(self, value: Decimal) -> str:
        from babel.numbers import format_decimal

        number = format_decimal(value.normalize(), locale=self.locale)
        return f"{number}{NBSP}%" if self.lang == "ru" else f"{number}%"

    def titled(self, title: str, waiting_minutes: int, channel: str | None = None) -> str:
        """An incident's title, with how the request came when it came by mail, and the
        business time it waited for the client, if any."""
        notes = [self("by_mail")] if channel == "mail" else []
        if waiting_minutes:
            notes.append(self("waited").format(hours=self.hours(waiting_minutes)))
        said = "; ".join(notes)
        if not said:
            return title
        return f"{title} ({said})" if title else said

    def hours(self, minutes: int | None) -> str:
        return hours_text(minutes)

    def day(self, d: date) -> str:
        return d.strftime("%d.%m.%Y") if self.lang == "ru" else d.isoformat()

    def moment_parts(self, moment: datetime) -> tuple[str, str]:
        """(date, ``HH:MM +03:00``) in the report's time zone."""
        local = moment.astimezone(self.tz)
        return self.day(local.date()), f"{local:%H:%M}{NBSP}{utc_offset(local)}"

    def moment(self, moment: datetime | None) -> str:
        if moment is None:
            return "—"
        d, t = self.moment_parts(moment)
        return f"{d} {t}"

    def month(self, year: int, month: int) -> str:
        from babel.dates import format_date

        return str(format_date(date(year, month, 1), "LLLL y", locale=self.locale))

    def short_month(self, year: int, month: int) -> str:
        """The month's short name: ``окт.``, ``Oct``."""
        from babel.dates import format_date

        return str(format_date(date(year, month, 1), "LLL", locale=self.locale))

    def status(self, status: str) -> str:
        return self(status)

    def clock_status(self, line: IncidentLine, clock_name: str) -> str:
        """The status of the clock ``clock_name`` (``reaction``, ``start``, ``resolve``), with
        the time it is late; "—" for a resolution clock the incident's priority does not set."""
        clock = {"reaction": line.reaction, "start": line.start, "resolve": line.resolve}[
            clock_name
        ]
        if clock is None:
            return "—"
        text = self.status(str(clock.status))
        if clock.overdue_minutes > 0:
            text += " " + self("overdue", hours=self.hours(clock.overdue_minutes))
        return text


def in_zone(fmt: Formatter, zone: str | None) -> Formatter:
    """``fmt`` writing times in ``zone`` (a client's), or as it is when None."""
    return fmt if zone is None else replace(fmt, tz=ZoneInfo(zone))


def formatter(report: MonthReport, lang: str) -> Formatter:
    """The formatter for ``report`` in ``lang``; an unknown language is bad input."""
    if lang not in LABELS:
        raise InputError(f"unknown language {lang!r}; use one of: {', '.join(LANGS)}")
    return Formatter(lang, report.currency, ZoneInfo(report.timezone))
