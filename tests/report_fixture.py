"""A hand-built March 2025 report with three statements, shared by the document tests.

- ACME, variant 1 «Базовый» (15 h), prepaid 7 months (5 %): 17:30 used, 2:30 overage.
- BETA, variant 2 «Стандартный» (unlimited), prepaid 3 months (10 %): 6 h custom development
  billed at a 30 % hour discount.
- GAMMA, variant 3, one «Базовый» package (15 h) bought: balance 6:30 → 8:30.

Incidents cover every clock status: met, breached (reaction and start) and at risk. Each
statement's work report adds up to its hours used, with tickets with and without an incident.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from sla_cli.domain.billing import ContractTerms, MonthUsage, close_month
from sla_cli.domain.calendar import BusinessCalendar
from sla_cli.domain.clock import evaluate
from sla_cli.domain.kinds import EntryType, WorkKind
from sla_cli.domain.records import EntryRecord
from sla_cli.domain.statement import IncidentLine, MonthReport, PackageBought, Statement
from sla_cli.domain.work_report import TicketWork, work_report

MSK = ZoneInfo("Europe/Moscow")
CALENDAR = BusinessCalendar()
YEAR, MONTH = 2025, 3
GENERATED_AT = datetime(2025, 4, 1, 10, 30, tzinfo=MSK)

V1 = "Комплексное абонентское обслуживание"
V2 = "Безлимитное комплексное абонентское обслуживание"
V3 = "Сопровождение и поддержка без «сгорания часов»"


def msk(day: int, hour: int, minute: int = 0, month: int = MONTH) -> datetime:
    return datetime(YEAR, month, day, hour, minute, tzinfo=MSK)


def work(
    client: str, titles: dict[str, str | None], *rows: tuple[str, int, int, str, str, str | None]
) -> tuple[TicketWork, ...]:
    """A work report from entries (ticket, day, minutes, kind, by, note)."""
    entries = [
        EntryRecord(
            n,
            1,
            1,
            client,
            ticket,
            date(YEAR, MONTH, day),
            minutes,
            EntryType.WORK,
            EntryType.WORK,
            WorkKind(kind),
            None,
            None,
            by,
            note,
            None,
            msk(day, 18),
        )
        for n, (ticket, day, minutes, kind, by, note) in enumerate(rows, 1)
    ]
    return work_report(entries, titles)


def terms(
    variant: int,
    tier_key: str,
    tier_name: str,
    included_hours: int | None,
    price: str,
    prepay_discount: int = 0,
    hour_discount: int = 0,
) -> ContractTerms:
    reaction, start = {1: (2, 4), 2: (1, 3), 3: (3, 6)}[variant]
    return ContractTerms(
        variant=variant,
        billing="package" if variant == 3 else "monthly",
        burns=variant == 1,
        tier_key=tier_key,
        tier_name=tier_name,
        included_minutes=None if included_hours is None else included_hours * 60,
        price=Decimal(price),
        prepay_discount=Decimal(prepay_discount),
        hour_rate=Decimal("3000.00"),
        hour_discount=Decimal(hour_discount),
        dev_cap_minutes=40 * 60 if variant == 1 else None,
        reaction_minutes=reaction * 60,
        start_minutes=start * 60,
    )


def incident(
    t: ContractTerms,
    ticket: str,
    title: str,
    opened: datetime,
    reacted: datetime | None,
    started: datetime | None,
    resolved: datetime | None,
) -> IncidentLine:
    return IncidentLine(
        ticket=ticket,
        title=title,
        opened_at=opened,
        resolved_at=resolved,
        reaction=evaluate(
            CALENDAR, opened, t.reaction_minutes, reacted, GENERATED_AT, name="reaction"
        ),
        start=evaluate(CALENDAR, opened, t.start_minutes, started, GENERATED_AT, name="start"),
        reacted_at=reacted,
        started_at=started,
    )


def spread(total: int, pattern: tuple[int, ...]) -> tuple[tuple[date, int], ...]:
    """``total`` minutes over the month's working days, weighted by a repeating pattern."""
    days = [
        date(YEAR, MONTH, d) for d in range(1, 32) if CALENDAR.is_working_day(date(YEAR, MONTH, d))
    ]
    weights = [pattern[i % len(pattern)] for i in range(len(days))]
    whole = sum(weights)
    minutes = [total * w // whole // 15 * 15 for w in weights]
    minutes[-1] += total - sum(minutes)
    return tuple((d, m) for d, m in zip(days, minutes, strict=True) if m > 0)


def acme() -> Statement:
    t = terms(1, "basic", "Базовый", 15, "42000.00", prepay_discount=5, hour_discount=10)
    figures = close_month(t, MonthUsage(support_minutes=870, dev_minutes=180))
    incidents = (
        incident(
            t,
            "ACME-12",
            "Не формируется счёт-фактура",
            opened=msk(12, 10),
            reacted=msk(12, 10, 40),
            started=msk(12, 15, 10),  # due 14:00: breached
            resolved=msk(13, 12),
        ),
        incident(
            t,
            "ACME-15",
            "Ошибка синхронизации с 1С",
            opened=msk(21, 17, 30),  # Friday evening: the clocks run on into Monday
            reacted=msk(21, 18, 10),
            started=msk(24, 10),
            resolved=msk(24, 16),
        ),
    )
    return Statement(
        client="ACME",
        client_name="ООО «Акме»",
        contract_id=1,
        variant=1,
        variant_name=V1,
        variant_name_en="Comprehensive subscription support",
        tier_name_en="Basic",
        terms=t,
        figures=figures,
        daily_minutes=spread(1050, (3, 0, 2, 5, 1, 0, 4)),
        incidents=incidents,
        work=work(
            "ACME",
            {"ACME-12": "Не формируется счёт-фактура", "ACME-15": "Ошибка синхронизации с 1С"},
            ("ACME-12", 12, 180, "support", "anna", "Разбор ошибки"),
            ("ACME-12", 13, 180, "dev", "boris", "Исправление обработки"),
            ("ACME-12", 14, 120, "support", "anna", None),
            ("ACME-15", 24, 240, "support", "vera", "Повторная выгрузка"),
            ("ACME-20", 5, 330, "support", "anna", "Настройка прав доступа"),
        ),
    )


def beta() -> Statement:
    t = terms(2, "standard", "Стандартный", None, "250000.00", prepay_discount=10, hour_discount=30)
    figures = close_month(t, MonthUsage(support_minutes=38 * 60, dev_minutes=6 * 60))
    incidents = (
        incident(
            t,
            "BETA-7",
            "Не проходят платежи <эквайринг>",
            opened=msk(3, 9, 15),
            reacted=msk(3, 10, 45),  # due 10:15: breached
            started=msk(3, 11),
            resolved=msk(4, 18),
        ),
        incident(
            t,
            "BETA-9",
            "Медленно открываются отчёты",
            opened=msk(31, 18),
            reacted=msk(31, 18, 20),
            started=None,  # due 1 April 11:00; at 10:30 it is at risk
            resolved=None,
        ),
    )
    return Statement(
        client="BETA",
        client_name="АО «Бета Логистик»",
        contract_id=2,
        variant=2,
        variant_name=V2,
        variant_name_en="Unlimited comprehensive subscription support",
        tier_name_en="Standard",
        terms=t,
        figures=figures,
        daily_minutes=spread(44 * 60, (4, 2, 3, 1, 2)),
        incidents=incidents,
        work=work(
            "BETA",
            {"BETA-7": "Не проходят платежи <эквайринг>", "BETA-9": "Медленно открываются отчёты"},
            ("BETA-7", 3, 600, "support", "boris", None),
            ("BETA-9", 31, 480, "support", "vera", "Индексы"),
            ("BETA-30", 10, 360, "dev", "anna", "Доработка отчёта по складу"),
            ("BETA-31", 17, 1200, "support", "vera", "Консультации пользователей"),
        ),
    )


def gamma() -> Statement:
    t = terms(3, "basic", "Базовый", 15, "42750.00", hour_discount=15)
    usage = MonthUsage(
        support_minutes=660,
        dev_minutes=120,
        topup_minutes=900,
        topup_amount=Decimal("42750.00"),
        opening_balance=390,
    )
    return Statement(
        client="GAMMA",
        client_name="ИП Гаммов А. В.",
        contract_id=3,
        variant=3,
        variant_name=V3,
        variant_name_en="Support without burning hours",
        tier_name_en="Basic",
        terms=t,
        figures=close_month(t, usage),
        daily_minutes=spread(780, (0, 2, 0, 1, 3, 0)),
        incidents=(),
        work=work(
            "GAMMA",
            {},
            ("GAMMA-3", 4, 660, "support", "anna", "Обновление конфигурации"),
            ("GAMMA-4", 20, 120, "dev", "boris", "Новый отчёт"),
        ),
        packages=(PackageBought(date(YEAR, MONTH, 3), "Базовый", 900, Decimal("42750.00")),),
    )


def sample_report(closed: bool = True) -> MonthReport:
    """The fixed March 2025 report (``closed=False`` makes it a preview)."""
    return MonthReport(
        year=YEAR,
        month=MONTH,
        closed=closed,
        company="КИТ Консалтинг",
        currency="RUB",
        timezone="Europe/Moscow",
        generated_at=GENERATED_AT,
        statements=(acme(), beta(), gamma()),
    )
