"""Contract records: terms by month, the last day of a term."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from sla_cli.domain.contracts import plan_prepay
from sla_cli.domain.kinds import ChangeKind
from sla_cli.domain.month import Month
from sla_cli.domain.records import ContractChange
from sla_cli.errors import InputError
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


def _prepay(n: int, months: int, pays_from: date | None = None) -> ContractChange:
    at = datetime(2026, 12, 1, tzinfo=UTC)
    return ContractChange(n, ChangeKind.PREPAY, None, None, "anna", at, months, pays_from)


def test_months_paid_at_signing_then_by_each_payment_in_order() -> None:
    """A year from January 2026: two months paid at signing, then three that follow on
    (March to May), then, with June and July closed unpaid, two from August."""
    c = contract(start=date(2026, 1, 1), signed_end=date(2027, 1, 1), signed_months=12,
                 prepaid_months=2,
                 changes=(_prepay(1, 3), _prepay(2, 2, date(2026, 8, 1))))  # fmt: skip
    assert c.paid_spans() == [
        (Month(2026, 1), Month(2026, 3)), (Month(2026, 3), Month(2026, 6)),
        (Month(2026, 8), Month(2026, 10)),
    ]  # fmt: skip
    paid = [m for m in range(1, 13) if c.prepaid(Month(2026, m))]
    assert paid == [1, 2, 3, 4, 5, 8, 9]
    assert c.paid_until == Month(2026, 10)
    nothing = contract(prepaid_months=0)
    assert not any(nothing.prepaid(Month(2026, m)) for m in (10, 11, 12))
    assert nothing.paid_until == Month(2026, 10)  # the start: nothing paid ahead


def test_a_payment_in_advance_starts_after_the_paid_and_the_closed_months() -> None:
    c = contract(start=date(2026, 1, 1), signed_end=date(2027, 1, 1), signed_months=12,
                 prepaid_months=3)  # fmt: skip
    assert plan_prepay(c, 3, None) == (Month(2026, 4), Month(2026, 6))
    assert plan_prepay(c, 3, Month(2026, 2)) == (Month(2026, 4), Month(2026, 6))
    assert plan_prepay(c, 3, Month(2026, 4)) == (Month(2026, 5), Month(2026, 7))
    with pytest.raises(InputError, match="beyond its end"):
        plan_prepay(c, 3, Month(2026, 10))
