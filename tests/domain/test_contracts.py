"""Signing and ending contracts, from the facts alone."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from sla_cli.domain.contracts import NewContract, Signing, end_of, sign
from sla_cli.domain.month import Month
from sla_cli.domain.tariffs import Catalog
from sla_cli.errors import ClosedPeriod, InputError
from tests.domain.conftest import contract

NOW = datetime(2026, 9, 15, 12, 0, tzinfo=UTC)
NEW = NewContract("ООО «Акме»", "acme", 1, "basic", date(2026, 10, 1))
FRESH = Signing(client_name=None, latest_closed=None, others=(), now=NOW, user="anna")


@pytest.mark.parametrize(
    ("changes", "end", "months", "prepay"),
    [
        ({}, date(2027, 1, 1), 3, Decimal(0)),  # the minimum term by default
        ({"months": 12, "prepaid_months": 12}, date(2027, 10, 1), 12, Decimal(5)),
        ({"months": 13, "prepaid_months": 13}, date(2027, 11, 1), 13, Decimal(10)),
        ({"months": 13, "prepaid_months": 6}, date(2027, 11, 1), 13, Decimal(0)),
        ({"variant": 2, "tier": "standard", "months": None}, date(2026, 11, 1), 1, Decimal(0)),
        ({"variant": 2, "tier": "1", "months": 3, "prepaid_months": 3}, None, 3, Decimal(10)),
        ({"variant": 3, "tier": "optimal", "start": date(2026, 10, 17)}, None, None, Decimal(0)),
    ],
)
def test_terms(
    catalog: Catalog,
    changes: dict[str, object],
    end: date | None,
    months: int | None,
    prepay: Decimal,
) -> None:
    draft = sign(catalog, replace(NEW, **changes), FRESH)  # type: ignore[arg-type]
    assert draft.key == "ACME"
    assert draft.months == months
    assert draft.prepay_discount == prepay
    if end is not None:
        assert draft.end == end
    assert draft.first_package == (draft.variant.number == 3)


@pytest.mark.parametrize(
    ("changes", "facts", "error", "words"),
    [
        ({"months": 2}, {}, InputError, "minimum term of 3 months"),
        ({"start": date(2026, 10, 5)}, {}, InputError, "--start 2026-10-01?"),
        ({"prepaid_months": 4}, {}, InputError, "between 1 and the term"),
        ({"hour_discount": Decimal(16)}, {}, InputError, "at most 15 %"),
        ({"key": "1ACME"}, {}, InputError, "client key"),
        ({"client_name": "  "}, {}, InputError, "name is empty"),
        ({"start": date(2040, 1, 1)}, {}, InputError, "ten years ahead"),
        ({}, {"latest_closed": Month(2026, 10)}, ClosedPeriod, "up to 2026-10 are closed"),
        ({}, {"client_name": "Другое"}, InputError, "belongs to «Другое»"),
        ({}, {"others": (contract(start=date(2026, 12, 1)),)}, InputError, "may not overlap"),
        ({}, {"others": (contract(variant=3, start=date(2025, 1, 1)),)}, InputError, "overlap"),
        ({"variant": 3, "tier": "nope"}, {}, InputError, "no tier 'nope'"),
    ],
)
def test_refusals(
    catalog: Catalog,
    changes: dict[str, object],
    facts: dict[str, object],
    error: type[Exception],
    words: str,
) -> None:
    with pytest.raises(error, match=None) as e:
        sign(catalog, replace(NEW, **changes), replace(FRESH, **facts))  # type: ignore[arg-type]
    assert words in str(e.value)


def test_a_contract_after_another_ends_is_fine(catalog: Catalog) -> None:
    before = contract(start=date(2026, 7, 1), end=date(2026, 10, 1))
    facts = replace(FRESH, others=(before,), client_name="ООО «Акме»")
    assert sign(catalog, NEW, facts).start == date(2026, 10, 1)


@pytest.mark.parametrize(
    ("record", "last", "minimum", "later", "result"),
    [
        (contract(months=12, end=date(2027, 10, 1)), date(2027, 3, 31), 3, 0,
         (date(2027, 4, 1), 6)),
        (contract(variant=3), date(2026, 12, 15), None, 0, (date(2026, 12, 16), None)),
    ],
)  # fmt: skip
def test_end(
    record: object, last: date, minimum: int | None, later: int, result: tuple[date, int | None]
) -> None:
    assert end_of(record, last, minimum, later) == result  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("last", "minimum", "later", "words"),
    [
        (date(2026, 11, 15), 3, 0, "end on a month's last day"),
        (date(2026, 11, 30), 3, 0, "minimum term of 3 months; ending after 2 is too early"),
        (date(2026, 12, 31), 3, 4, "4 entries after 2026-12-31; void them first"),
    ],
)
def test_end_refusals(last: date, minimum: int, later: int, words: str) -> None:
    with pytest.raises(InputError) as e:
        end_of(contract(), last, minimum, later)
    assert words in str(e.value)
