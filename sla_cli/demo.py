"""`sla demo`: a realistic ledger to try every command on, built through the store's own API."""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from sla_cli.config import Settings, load_settings
from sla_cli.config.defaults import default_document, write_config
from sla_cli.domain.calendar import BusinessCalendar
from sla_cli.domain.contracts import NewContract
from sla_cli.domain.kinds import Event, WorkKind
from sla_cli.domain.month import Month
from sla_cli.domain.work import WorkLog, WorkPolicy
from sla_cli.errors import InputError
from sla_cli.files import private_dir
from sla_cli.ops.closing import set_client_details
from sla_cli.ops.contracts import add_contract, topup
from sla_cli.ops.incidents import open_incident, record_event
from sla_cli.ops.periods import CloseRules, rollover
from sla_cli.ops.statements import last_ended_month
from sla_cli.ops.work import log_work
from sla_cli.store.engine import open_ledger
from sla_cli.store.store import Store, transaction

ENGINEERS = ("anna", "boris", "vera")


@dataclass(frozen=True)
class DemoClient:
    name: str
    key: str
    variant: int
    tier: str
    hours_per_month: tuple[float, float]  # range of support hours a month
    dev_share: float


# Made-up details whose check digits hold, so that the demo issues invoices and acts.
DEMO_COMPANY = {
    "full_name": "ООО «КИТ Консалтинг»",
    "inn": "7701234560",
    "kpp": "770101001",
    "ogrn": "1027700000019",
    "address": "123456, г. Москва, ул. Примерная, д. 1",
    "bank": "АО «Пример Банк», г. Москва",
    "bik": "044525999",
    "account": "40702810900000001234",
    "corr_account": "30101810600000000999",
    "signatory": "Генеральный директор Иванов И. И.",
}
DEMO_DETAILS = {
    "ACME": {"full_name": "Общество с ограниченной ответственностью «Акме»", "inn": "7723456782",
             "kpp": "772301001", "address": "115114, г. Москва, Кожевническая ул., д. 7"},
    "BETA": {"full_name": "Акционерное общество «Бета Логистик»", "inn": "7810000019",
             "kpp": "781001001", "address": "190000, г. Санкт-Петербург, Невский пр., д. 10"},
    "GAMMA": {"full_name": "Индивидуальный предприниматель Гаммов Г. Г.",
              "inn": "771234567859", "address": "141000, г. Мытищи, ул. Мира, д. 3"},
}  # fmt: skip
CLIENTS = (
    DemoClient("ООО «Акме»", "ACME", 1, "basic", (11, 19), 0.2),
    DemoClient("АО «Бета Логистик»", "BETA", 2, "standard", (30, 45), 0.3),
    DemoClient("ИП Гаммов", "GAMMA", 3, "optimal", (7, 12), 0.1),
)


@dataclass(frozen=True)
class Demo:
    folder: Path
    config: Path
    db_url: str
    months: tuple[Month, ...]  # the closed months, oldest first
    settings: Settings

    def store(self) -> AbstractContextManager[Store]:
        """One transaction on the demo ledger."""
        return _opened(self.db_url, self.settings)


def build_demo(folder: Path, now: datetime, seed: int = 2026) -> Demo:
    """Three clients (one per variant), three closed months of hours and incidents, and the
    current month so far."""
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder} is not a folder; the demo builds in a new or empty folder")
    if folder.exists() and any(folder.iterdir()):
        raise InputError(f"{folder} is not empty; the demo builds in a new or empty folder")
    private_dir(folder)
    config = folder / "config.toml"
    document = default_document()
    document["company"].update(DEMO_COMPANY)
    write_config(config, document)
    settings = load_settings(config, required=True)
    url = f"sqlite:///{folder / 'ledger.db'}"
    open_ledger(url, create=True)

    def ledger() -> AbstractContextManager[Store]:
        return _opened(url, settings)

    tz = ZoneInfo(settings.timezone)
    today = now.astimezone(tz).date()
    last = last_ended_month(today)
    months = (last.plus(-2), last.previous(), last)
    start = months[0].first_day
    rng = random.Random(seed)
    cal = BusinessCalendar(settings.schedule)
    with ledger() as s:
        for c in CLIENTS:
            _sign(s, settings, c, start, tz)
    for i, month in enumerate((*months, Month.of(today))):
        first, nxt = month.bounds
        days = [
            first + timedelta(days=n)
            for n in range((min(nxt, today + timedelta(days=1)) - first).days)
            if cal.is_working_day(first + timedelta(days=n))
        ]
        if not days:
            continue
        with ledger() as s:
            for c in CLIENTS:
                if c.variant == 3 and i in (1, 2):
                    topup(s, settings.catalog, c.key, None, first, "demo", _at(first, 9, tz))
                _month_of_work(s, settings, c, days, rng, tz, cal, now)
        if month in months:
            rollover(ledger, month, nxt, "cron", rules=CloseRules(settings.clock_terms))
    return Demo(folder, config, url, months, settings)


@contextmanager
def _opened(url: str, settings: Settings) -> Iterator[Store]:
    with transaction(url, settings.ledger_timeouts, write=True) as s:
        assert s is not None, "the demo ledger was created at the current revision"
        yield s


def _at(d: date, hour: int, tz: ZoneInfo, minute: int = 0) -> datetime:
    return datetime.combine(d, time(hour, minute), tzinfo=tz)


def _sign(s: Store, settings: Settings, c: DemoClient, start: date, tz: ZoneInfo) -> None:
    """The client's contract from ``start``, and its legal details for documents."""
    add_contract(
        s,
        settings.catalog,
        NewContract(
            client_name=c.name,
            key=c.key,
            variant=c.variant,
            tier=c.tier,
            start=start,
            months=12 if c.variant != 3 else None,
            prepaid_months=12 if c.variant == 1 else 3 if c.variant == 2 else None,
            hour_discount=Decimal({1: 10, 2: 30, 3: 15}[c.variant]),
        ),
        "demo",
        datetime.combine(start, time(9), tzinfo=tz),
    )
    set_client_details(s, c.key, DEMO_DETAILS[c.key], "demo")


def _month_of_work(
    s: Store,
    settings: Settings,
    c: DemoClient,
    days: list[date],
    rng: random.Random,
    tz: ZoneInfo,
    cal: BusinessCalendar,
    now: datetime,
) -> None:
    policy = WorkPolicy(settings.increment_minutes, settings.refuse_overdraft)
    share = len(days) / 21
    total = int(rng.uniform(*c.hours_per_month) * 60 * share)
    ticket_no = rng.randint(10, 40) + days[0].month * 100
    logged = 0
    while logged < total:
        day = rng.choice(days)
        minutes = rng.choice((15, 30, 45, 60, 90, 120, 180))
        kind = WorkKind.DEV if rng.random() < c.dev_share else WorkKind.SUPPORT
        ticket = f"{c.key}-{ticket_no + rng.randint(0, 6)}"
        hour = rng.randint(9, 16)
        moment = _at(day, hour, tz)
        if moment > now:
            break
        log_work(
            s,
            policy,
            settings.timezone,
            WorkLog(ticket=ticket, minutes=minutes, on=day, kind=kind, start=time(hour)),
            rng.choice(ENGINEERS),
            moment + timedelta(minutes=minutes),
        )
        logged += minutes
    for n in range(rng.randint(1, 3)):
        day = rng.choice(days)
        opened = _at(day, rng.randint(9, 18), tz, rng.choice((0, 15, 30, 45)))
        if opened > now:
            continue
        ticket = f"{c.key}-{900 + day.month * 10 + n}"
        open_incident(s, ticket, opened, _TITLES[rng.randrange(len(_TITLES))], None,
                      settings.timezone, "demo", opened)  # fmt: skip
        reaction = cal.add(opened, rng.choice((20, 45, 90, 150)))
        start = cal.add(reaction, rng.choice((30, 60, 120, 200)))
        if reaction <= now:
            record_event(s, ticket, Event.ACK, reaction, now, settings.timezone, user="demo")
        if start <= now:
            record_event(s, ticket, Event.START, start, now, settings.timezone, user="demo")
            resolved = cal.add(start, rng.choice((60, 240, 600)))
            if resolved <= now:
                record_event(
                    s, ticket, Event.RESOLVE, resolved, now, settings.timezone, user="demo"
                )


_TITLES = (
    "Не проходит оплата на сайте",
    "Ошибка синхронизации с 1С",
    "Не приходят письма с уведомлениями",
    "Отчёт по продажам формируется с ошибкой",
    "Медленно открывается карточка клиента",
)
