"""Pricing a contract for sales: every tier of a variant with discounts and totals."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sla_cli.domain.money import discounted_fee, round_money
from sla_cli.domain.tariffs import Catalog, Tier, VariantTerms


@dataclass(frozen=True)
class QuoteOption:
    tier: Tier
    monthly_fee: Decimal | None  # list price a month; None for packages
    discount_percent: Decimal
    total: Decimal
    hour_price: Decimal | None  # effective price of an included hour; None when unlimited
    package_price: Decimal | None = None  # a package's price; None for monthly billing


@dataclass(frozen=True)
class Quote:
    variant: VariantTerms
    months: int  # term in months; for packages, how many packages (one a month)
    currency: str
    options: tuple[QuoteOption, ...]


def default_months(variant: VariantTerms) -> int:
    return variant.min_months or 1


def price_option(variant: VariantTerms, tier: Tier, months: int) -> QuoteOption:
    """What the statements will bill: each month's fee after the discount, rounded to kopecks
    as a statement rounds it, times the months (packages: the package price times their count).
    The hour price is the total over the hours it includes."""
    discount = variant.prepay_discount(months)
    monthly = variant.billing == "monthly"
    total = discounted_fee(tier.price, discount) * months
    hour_price = None if tier.hours is None else round_money(total / (tier.hours * months))
    return QuoteOption(
        tier=tier,
        monthly_fee=tier.price if monthly else None,
        discount_percent=discount,
        total=total,
        hour_price=hour_price,
        package_price=None if monthly else tier.price,
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
