"""The catalog's rules: terms and hour discounts per variant."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sla_cli.domain.tariffs import Catalog
from sla_cli.errors import InputError


@pytest.mark.parametrize(("variant", "months"), [(1, 3), (1, 600), (2, 1), (3, 1)])
def test_terms_accepted(catalog: Catalog, variant: int, months: int) -> None:
    catalog.variant(variant).check_term(months)


@pytest.mark.parametrize(
    ("variant", "months", "words"),
    [(1, 2, "minimum term of 3 months"), (2, 0, "at least 1 month"), (1, 601, "too long")],
)
def test_terms_refused(catalog: Catalog, variant: int, months: int, words: str) -> None:
    with pytest.raises(InputError, match=words):
        catalog.variant(variant).check_term(months)


@pytest.mark.parametrize(("variant", "most"), [(1, 15), (2, 50), (3, 15)])
def test_hour_discount_up_to_the_variants_maximum(
    catalog: Catalog, variant: int, most: int
) -> None:
    v = catalog.variant(variant)
    v.check_hour_discount(Decimal(most))
    with pytest.raises(InputError, match=f"at most {most} %"):
        v.check_hour_discount(Decimal(most) + Decimal("0.5"))
    with pytest.raises(InputError, match="cannot be negative"):
        v.check_hour_discount(Decimal(-1))
