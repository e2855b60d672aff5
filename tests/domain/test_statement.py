"""Statements assembled from a month's facts, and what month close posts."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from sla_cli.domain.billing import MonthUsage, close_month, close_posts
from sla_cli.domain.calendar import BusinessCalendar, Schedule
from sla_cli.domain.incidents import IncidentRecord
from sla_cli.domain.kinds import EntryType
from sla_cli.domain.month import Month
from sla_cli.domain.statement import Letterhead, MonthFacts, assemble
from tests.domain.conftest import ACME, contract

OCT = Month(2026, 10)
NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
HEAD = Letterhead("КИТ Консалтинг", "RUB", "Europe/Moscow", 75)


def test_statement_from_month_facts() -> None:
    one = contract(tier_name_en="Basic (as signed)", variant_name_en="V1 as signed")
    pkg = contract(variant=3)._replace(id=2)
    incident = IncidentRecord(1, ACME, one, "ACME-5", "Down", datetime(2026, 10, 5, 7, tzinfo=UTC))
    facts = MonthFacts(
        month=OCT,
        closed=True,
        contracts=(one, pkg),
        usage={1: MonthUsage(support_minutes=600), 2: MonthUsage(topup_minutes=600)},
        daily={1: [(date(2026, 10, 5), 600)]},
        incidents=(incident,),
    )
    report = assemble(facts, HEAD, BusinessCalendar(Schedule()), NOW)
    assert (report.label, report.closed, report.company) == ("2026-10", True, "КИТ Консалтинг")
    first, second = report.statements
    assert first.tier_name_en == "Basic (as signed)"  # the contract's snapshot, not the config
    assert first.variant_name_en == "V1 as signed"
    assert first.figures.burned_minutes == 300
    assert first.daily_minutes == ((date(2026, 10, 5), 600),)
    assert [i.ticket for i in first.incidents] == ["ACME-5"]
    assert first.breaches == 2  # neither clock was ever stopped
    assert second.incidents == () and second.figures.carried_minutes == 600


@pytest.mark.parametrize(
    ("record", "usage", "posts"),
    [
        (contract(), MonthUsage(support_minutes=600), [(EntryType.BURN, 300, None)]),
        (contract(), MonthUsage(support_minutes=960),
         [(EntryType.OVERAGE, 60, Decimal("3000.00"))]),
        (contract(), MonthUsage(support_minutes=900), []),
        (contract(variant=2), MonthUsage(dev_minutes=30),
         [(EntryType.OVERAGE, 30, Decimal("1500.00"))]),
        (contract(variant=3), MonthUsage(support_minutes=700, topup_minutes=600),
         [(EntryType.OVERAGE, 100, Decimal("5000.00"))]),
        (contract(variant=3), MonthUsage(support_minutes=100, opening_balance=600),
         [(EntryType.CARRY, 500, None)]),
    ],
)  # fmt: skip
def test_close_posts(
    record: object, usage: MonthUsage, posts: list[tuple[EntryType, int, Decimal | None]]
) -> None:
    terms = record.terms(OCT)  # type: ignore[attr-defined]
    made = close_posts(terms, OCT, close_month(terms, usage))
    assert [(p.type, p.minutes, p.amount) for p in made] == posts
    assert all(p.note.startswith("2026-10: ") for p in made)
