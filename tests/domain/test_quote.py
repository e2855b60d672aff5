from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sla_cli.config import parse_settings
from sla_cli.domain.money import round_money
from sla_cli.domain.quote import make_quote
from sla_cli.errors import InputError

CATALOG = parse_settings({}).catalog


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
def test_total_is_fee_times_months_less_discount(variant: int, months: int) -> None:
    for o in make_quote(CATALOG, variant, months=months).options:
        assert o.monthly_fee is not None
        expected = round_money(o.monthly_fee * months * (100 - o.discount_percent) / 100)
        assert o.total == expected


@given(variant=st.sampled_from([1, 2, 3]), a=st.integers(3, 60), b=st.integers(3, 60))
def test_discount_never_falls_as_months_grow(variant: int, a: int, b: int) -> None:
    short, long = sorted((a, b))
    d_short = make_quote(CATALOG, variant, months=short).options[0].discount_percent
    d_long = make_quote(CATALOG, variant, months=long).options[0].discount_percent
    assert d_long >= d_short
