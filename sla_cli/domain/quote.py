"""Pricing a contract for sales: every tier of a variant with discounts and totals."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sla_cli.domain.money import HUNDRED, round_money
from sla_cli.domain.tariffs import Catalog, Tier, VariantTerms


@dataclass(frozen=True)
class QuoteOption:
    tier: Tier
    monthly_fee: Decimal | None  # None for packages
    discount_percent: Decimal
    total: Decimal
    hour_price: Decimal | None  # effective price of an included hour; None when unlimited


@dataclass(frozen=True)
class Quote:
    variant: VariantTerms
    months: int  # term in months; for packages, how many packages (one a month)
    currency: str
    options: tuple[QuoteOption, ...]


def default_months(variant: VariantTerms) -> int:
    return variant.min_months or 1


def price_option(variant: VariantTerms, tier: Tier, months: int) -> QuoteOption:
    """Total = price × months × (1 − discount), rounded to kopecks once."""
    discount = variant.prepay_discount(months)
    exact = tier.price * months * (HUNDRED - discount) / HUNDRED
    total = round_money(exact)
    hour_price = None if tier.hours is None else round_money(exact / (tier.hours * months))
    return QuoteOption(
        tier=tier,
        monthly_fee=tier.price if variant.billing == "monthly" else None,
        discount_percent=discount,
        total=total,
        hour_price=hour_price,
    )


def make_quote(
    catalog: Catalog, variant_number: int, tier: str | None = None, months: int | None = None
) -> Quote:
    variant = catalog.variant(variant_number)
    term = default_months(variant) if months is None else months
    variant.check_term(term)
    tiers = variant.tiers if tier is None else (variant.tier(tier),)
    return Quote(
        variant=variant,
        months=term,
        currency=catalog.currency,
        options=tuple(price_option(variant, t, term) for t in tiers),
    )
