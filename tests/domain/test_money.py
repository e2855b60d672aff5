"""Money is Decimal, rounded half up to kopecks once."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sla_cli.domain.money import minutes_price, money_str, percent_number, round_money, to_decimal
from sla_cli.errors import InputError


@pytest.mark.parametrize(
    ("typed", "value"),
    [("3000", Decimal(3000)), ("1 234,50", Decimal("1234.50")), (0.1, Decimal("0.1")), (5, 5)],
)
def test_to_decimal(typed: object, value: Decimal) -> None:
    assert to_decimal(typed) == value


@pytest.mark.parametrize("typed", ["abc", "NaN", "Infinity", True, ""])
def test_to_decimal_refuses(typed: object) -> None:
    with pytest.raises(InputError):
        to_decimal(typed)


@pytest.mark.parametrize(
    ("amount", "rounded"),
    [("0.005", "0.01"), ("0.004", "0.00"), ("-0.005", "-0.01"), ("2.675", "2.68")],
)
def test_half_up(amount: str, rounded: str) -> None:
    assert money_str(round_money(Decimal(amount))) == rounded


def test_minutes_price_and_percent() -> None:
    assert round_money(minutes_price(50, Decimal(3000), Decimal(15))) == Decimal("2125.00")
    assert percent_number(Decimal(5)) == 5 and percent_number(Decimal("7.5")) == 7.5
