from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sla_cli.config import parse_settings
from sla_cli.domain.billing import MonthUsage, close_month
from sla_cli.domain.money import discounted_fee, round_money
from sla_cli.domain.month import Month
from sla_cli.domain.quote import make_quote
from sla_cli.domain.tariffs import Catalog
from sla_cli.errors import InputError
from tests.domain.conftest import contract

CATALOG = parse_settings({}).catalog
OCT = Month(2026, 10)


@pytest.mark.parametrize(
    ("variant", "months", "discount"),
    [
        (1, 3, 0),
        (1, 6, 0),
        (1, 7, 5),  # «более 6 месяцев», read literally
        (1, 12, 5),
        (1, 13, 10),  # «более 12 месяцев»
        (1, 36, 10),
        (2, 1, 0),
        (2, 2, 0),
        (2, 3, 10),  # «3 месяца и более»
        (2, 12, 10),
        (3, 1, 0),
    ],
)
def test_prepayment_discount_at_every_threshold(variant: int, months: int, discount: int) -> None:
    q = make_quote(CATALOG, variant, months=months)
    assert {o.discount_percent for o in q.options} == {Decimal(discount)}


def test_variant_1_refuses_a_term_under_three_months() -> None:
    with pytest.raises(InputError, match="minimum term of 3 months"):
        make_quote(CATALOG, 1, months=2)


def test_variant_1_basic_for_a_year_is_priced_with_five_percent_off() -> None:
    (option,) = make_quote(CATALOG, 1, "basic", 12).options
    assert option.monthly_fee == Decimal("42000.00")
    assert option.total == Decimal("478800.00")  # 42 000 × 12 × 0.95
    assert option.hour_price == Decimal("2660.00")  # 478 800 / (15 h × 12)


def test_variant_2_is_unlimited_and_has_no_hour_price() -> None:
    (option,) = make_quote(CATALOG, 2, months=3).options
    assert option.tier.hours is None
    assert option.hour_price is None
    assert option.total == Decimal("675000.00")


def test_variant_3_quotes_packages_without_a_monthly_fee() -> None:
    q = make_quote(CATALOG, 3)
    assert [o.tier.hours for o in q.options] == [10, 15, 30, 50]
    assert all(o.monthly_fee is None for o in q.options)
    assert q.options[0].total == Decimal("29000.00")


def test_tier_is_found_by_key_name_or_number() -> None:
    v = CATALOG.variant(1)
    assert v.tier("basic") == v.tier("Базовый") == v.tier("2") == v.tier("BASIC")
    with pytest.raises(InputError, match="minimal, basic, optimal, extended"):
        v.tier("gold")


def test_unknown_variant_is_an_input_error() -> None:
    with pytest.raises(InputError, match="no variant 4"):
        make_quote(CATALOG, 4)


@given(variant=st.sampled_from([1, 2]), months=st.integers(min_value=3, max_value=60))
def test_total_is_the_discounted_monthly_fee_times_months(variant: int, months: int) -> None:
    for o in make_quote(CATALOG, variant, months=months).options:
        assert o.monthly_fee is not None
        fee = round_money(o.monthly_fee * (100 - o.discount_percent) / 100)
        assert o.total == fee * months


def _catalog_with_price(price: Decimal) -> Catalog:
    v1 = CATALOG.variant(1)
    tiers = (v1.tiers[0]._replace(price=price),)
    return CATALOG._replace(variants=(v1._replace(tiers=tiers), *CATALOG.variants[1:]))


@given(
    price=st.decimals(min_value=1, max_value=10**6, places=2),
    months=st.integers(min_value=3, max_value=36),
)
def test_quote_total_is_what_the_statements_bill(price: Decimal, months: int) -> None:
    """The statement of every prepaid month bills the discounted fee rounded to kopecks."""
    (o,) = make_quote(_catalog_with_price(price), 1, "minimal", months).options
    signed = contract(price=price, prepay_discount=o.discount_percent, prepaid_months=months)
    billed = sum(close_month(signed.terms(OCT.plus(i)), MonthUsage()).fee for i in range(months))
    assert o.total == billed


@pytest.mark.parametrize(
    ("price", "months", "total"),
    [
        # 33 333.33 × 0.9 = 29 999.997 → 30 000.00 a month; not 389 999.96 rounded once
        ("33333.33", 13, "390000.00"),
        # 10 000.01 × 0.95 = 9 500.0095 → 9 500.01 a month
        ("10000.01", 7, "66500.07"),
    ],
)
def test_quote_rounds_each_month_as_the_statement_does(price: str, months: int, total: str) -> None:
    (o,) = make_quote(_catalog_with_price(Decimal(price)), 1, "minimal", months).options
    assert o.total == Decimal(total)
    assert o.monthly_fee is not None
    assert discounted_fee(o.monthly_fee, o.discount_percent) * months == o.total


def test_package_quote_carries_the_package_price() -> None:
    q = make_quote(CATALOG, 3, "optimal", 2)
    (o,) = q.options
    assert (o.package_price, o.monthly_fee, o.total) == (
        Decimal("81000.00"),
        None,
        Decimal("162000.00"),
    )
    assert o.hour_price == Decimal("2700.00")
    assert make_quote(CATALOG, 1, "basic", 3).options[0].package_price is None


@given(variant=st.sampled_from([1, 2, 3]), a=st.integers(3, 60), b=st.integers(3, 60))
def test_discount_never_falls_as_months_grow(variant: int, a: int, b: int) -> None:
    short, long = sorted((a, b))
    d_short = make_quote(CATALOG, variant, months=short).options[0].discount_percent
    d_long = make_quote(CATALOG, variant, months=long).options[0].discount_percent
    assert d_long >= d_short
