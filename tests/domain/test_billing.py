"""Month close arithmetic, table-driven: hours are never created or lost."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sla_cli.domain.billing import (
    MonthClose,
    MonthUsage,
    PackageBalance,
    carried,
    close_month,
    discounted_fee,
)
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
         dict(dev_cap_exceeded=True, dev_over_cap_minutes=1 * H, overage_minutes=26 * H)),
        (contract(), MonthUsage(dev_minutes=40 * H),
         dict(dev_cap_exceeded=False, dev_over_cap_minutes=0)),
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


SEP, NOV, DEC = Month(2026, 9), Month(2026, 11), Month(2026, 12)


@pytest.mark.parametrize(
    ("balance", "month", "opening", "available", "overdraft"),
    [
        (PackageBalance(), OCT, 0, 0, 0),
        (PackageBalance(120), OCT, 120, 120, 0),
        # October overdrawn by 3 h: its close bills them, November opens at 0
        (PackageBalance(0, ((OCT, -3 * H),)), NOV, 0, 0, 0),
        (PackageBalance(0, ((OCT, -3 * H),)), OCT, 0, 0, 3 * H),
        # October carries 2 h into November, which overdraws by 1 h
        (PackageBalance(0, ((OCT, 2 * H), (NOV, -3 * H))), NOV, 2 * H, 0, 1 * H),
        (PackageBalance(0, ((OCT, 2 * H), (NOV, -3 * H))), OCT, 0, 0, 1 * H),
        (PackageBalance(0, ((OCT, 2 * H), (NOV, -3 * H))), DEC, 0, 0, 0),
        # a month with no entries keeps what it opened with
        (PackageBalance(30, ((SEP, 90), (NOV, 10))), OCT, 120, 120, 0),
        (PackageBalance(30, ((SEP, 90), (NOV, -10))), OCT, 120, 110, 0),
    ],
)
def test_package_balance_closes_each_open_month_as_the_close_will(
    balance: PackageBalance, month: Month, opening: int, available: int, overdraft: int
) -> None:
    assert balance.opening_of(month) == opening
    assert balance.available(month) == available
    assert balance.overdraft_from(month) == overdraft


@pytest.mark.parametrize(
    ("balance", "today", "current"),
    [
        (PackageBalance(60), OCT, 60),
        (PackageBalance(0, ((OCT, -3 * H),)), OCT, -3 * H),  # overdrawn now
        (PackageBalance(0, ((SEP, -3 * H),)), OCT, 0),  # September's close bills it
        (PackageBalance(0, ((SEP, 5 * H), (OCT, -H))), OCT, 4 * H),
        (PackageBalance(0, ((OCT, -H), (DEC, 10 * H))), OCT, 10 * H),  # a package bought ahead
    ],
)
def test_current_balance(balance: PackageBalance, today: Month, current: int) -> None:
    assert balance.current(today) == current


def test_with_change_adds_to_a_month_in_order() -> None:
    b = PackageBalance(0, ((OCT, 60),)).with_change(SEP, -30).with_change(OCT, 10)
    assert b.changes == ((SEP, -30), (OCT, 70))


@pytest.mark.parametrize(("balance", "out"), [(-5, 0), (0, 0), (7, 7)])
def test_carried(balance: int, out: int) -> None:
    assert carried(balance) == out


@pytest.mark.parametrize(
    ("price", "discount", "fee"),
    [
        (Decimal("42000.00"), Decimal(5), Decimal("39900.00")),
        (Decimal("33333.33"), Decimal(5), Decimal("31666.66")),  # 31 666.6635 → kopecks
        (Decimal("100.01"), Decimal(10), Decimal("90.01")),  # 90.009
    ],
)
def test_discounted_fee_is_rounded_to_kopecks(
    price: Decimal, discount: Decimal, fee: Decimal
) -> None:
    assert discounted_fee(price, discount) == fee
