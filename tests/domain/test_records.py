"""Contract records: terms by month, the last day of a term."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from sla_cli.domain.month import Month
from tests.domain.conftest import contract


@pytest.mark.parametrize(
    ("prepaid", "month", "discount"),
    [(7, Month(2026, 10), Decimal(5)), (7, Month(2027, 4), Decimal(5)), (7, Month(2027, 5), 0)],
)
def test_prepayment_discount_within_prepaid_months(
    prepaid: int, month: Month, discount: Decimal
) -> None:
    record = contract(prepaid_months=prepaid, prepay_discount=Decimal(5), signed_months=12)
    assert record.terms(month).prepay_discount == discount


def test_term_as_people_read_it() -> None:
    c = contract()  # October to December 2026
    assert c.last_day == date(2026, 12, 31)
    assert c.covers(date(2026, 10, 1)) and c.covers(date(2026, 12, 31))
    assert not c.covers(date(2027, 1, 1)) and not c.covers(date(2026, 9, 30))
    assert contract(variant=3).last_day is None
