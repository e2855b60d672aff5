"""Money is ``Decimal``, never float; it is rounded to kopecks once, at the end."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from sla_cli.errors import InputError

KOPECK = Decimal("0.01")
HUNDRED = Decimal(100)
# The ledger keeps money as whole kopecks in a 64-bit integer: no amount may be larger.
MAX_MONEY = Decimal(2**63 - 1) / 100


def to_decimal(value: object) -> Decimal:
    """The one way to make a money or percent value (floats go through their text)."""
    if isinstance(value, bool):
        raise InputError("a number is expected, not a boolean")
    if isinstance(value, float):
        value = repr(value)
    try:
        result = Decimal(str(value).strip().replace(",", ".").replace(" ", ""))
    except InvalidOperation:
        raise InputError(f"not a number: {value!r}") from None
    if not result.is_finite():
        raise InputError(f"not a finite number: {value!r}")
    return result


def round_money(amount: Decimal) -> Decimal:
    """Round to kopecks, half up, as accountants do."""
    return amount.quantize(KOPECK, rounding=ROUND_HALF_UP)


def money_str(amount: Decimal) -> str:
    """The JSON form of money: a decimal string with two places."""
    return str(round_money(amount))


def percent_number(value: Decimal) -> int | float:
    """A percentage for JSON: an integer when whole (``5``), else a float (``7.5``)."""
    return int(value) if value == value.to_integral_value() else float(value)


def minutes_price(
    minutes: int, hour_rate: Decimal, discount_percent: Decimal = Decimal(0)
) -> Decimal:
    """The unrounded price of ``minutes`` at ``hour_rate`` less ``discount_percent``."""
    return Decimal(minutes) * hour_rate / 60 * (HUNDRED - discount_percent) / HUNDRED


def discounted_fee(price: Decimal, discount_percent: Decimal) -> Decimal:
    """A month's fee after a prepayment discount, rounded to kopecks: what a statement bills
    and what a quote totals."""
    return round_money(price * (HUNDRED - discount_percent) / HUNDRED)
