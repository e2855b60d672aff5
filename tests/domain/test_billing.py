"""Month close arithmetic, table-driven: hours are never created or lost."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sla_cli.domain.billing import MonthClose, MonthUsage, close_month
from sla_cli.domain.month import Month
from tests.domain.conftest import contract

OCT = Month(2026, 10)
H = 60


@pytest.mark.parametrize(
    ("record", "usage", "expected"),
    [
        # variant 1 «Базовый» 15 h: 10 h used, 5 h burn; 20 h used, 5 h billed at 3000 ₽/h
        (contract(), MonthUsage(support_minutes=10 * H),
         dict(burned_minutes=5 * H, overage_minutes=0, amount_due=Decimal("42000.00"))),
        (contract(), MonthUsage(support_minutes=16 * H, dev_minutes=4 * H),
         dict(burned_minutes=0, overage_minutes=5 * H, overage_amount=Decimal("15000.00"),
              amount_due=Decimal("57000.00"))),
        # the hour discount applies to the overage, the prepayment discount to the fee
        (contract(hour_discount=Decimal(10), prepay_discount=Decimal(5), prepaid_months=12),
         MonthUsage(support_minutes=16 * H),
         dict(overage_amount=Decimal("2700.00"), fee=Decimal("39900.00"))),
        # more than 40 h of custom development is flagged
        (contract(), MonthUsage(dev_minutes=41 * H),
         dict(dev_cap_exceeded=True, overage_minutes=26 * H)),
        # variant 2: nothing burns; custom development billed at the discounted rate
        (contract(variant=2, hour_discount=Decimal(50)), MonthUsage(support_minutes=100 * H,
         dev_minutes=2 * H), dict(burned_minutes=0, overage_minutes=2 * H,
         overage_amount=Decimal("3000.00"), included_minutes=None)),
        # variant 3: closing = opening + packages − used + overdraft billed, never negative
        (contract(variant=3), MonthUsage(support_minutes=5 * H, topup_minutes=10 * H,
         topup_amount=Decimal("29000.00"), opening_balance=2 * H),
         dict(opening_balance_minutes=2 * H, closing_balance_minutes=7 * H,
              carried_minutes=7 * H, fee=Decimal("29000.00"))),
        (contract(variant=3), MonthUsage(support_minutes=13 * H, opening_balance=10 * H),
         dict(overage_minutes=3 * H, closing_balance_minutes=0, carried_minutes=0,
              overage_amount=Decimal("9000.00"), fee=Decimal(0))),
    ],
)  # fmt: skip
def test_close_month(record: object, usage: MonthUsage, expected: dict[str, object]) -> None:
    figures: MonthClose = close_month(record.terms(OCT), usage)  # type: ignore[attr-defined]
    for name, value in expected.items():
        assert getattr(figures, name) == value, name
    assert figures.used_minutes == usage.support_minutes + usage.dev_minutes
