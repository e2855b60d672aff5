"""Records built in the domain's own words, for rules tested without a ledger."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from sla_cli.config import parse_settings
from sla_cli.domain.kinds import Billing, EntryType, WorkKind
from sla_cli.domain.records import ClientRecord, ContractRecord, EntryRecord
from sla_cli.domain.tariffs import Catalog

CREATED = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)
ACME = ClientRecord(1, "ACME", "ООО «Акме»")


def contract(variant: int = 1, **changes: Any) -> ContractRecord:
    """A contract on the offer's terms: variant 1 «Базовый», 2 «Стандартный», 3 «Минимальный»."""
    base = ContractRecord(
        id=1,
        client=ACME,
        variant=1,
        variant_name="Комплексное абонентское обслуживание",
        variant_name_en="Comprehensive subscription support",
        billing=Billing.MONTHLY,
        burns=True,
        tier_key="basic",
        tier_name="Базовый",
        tier_name_en="Basic",
        included_minutes=15 * 60,
        price=Decimal("42000.00"),
        prepay_discount=Decimal(0),
        hour_rate=Decimal("3000.00"),
        hour_discount=Decimal(0),
        dev_cap_minutes=40 * 60,
        reaction_minutes=120,
        start_minutes=240,
        start=date(2026, 10, 1),
        signed_end=date(2027, 1, 1),
        signed_months=3,
        prepaid_months=1,
        timezone=None,
        created_at=CREATED,
        created_by="anna",
    )
    by_variant: dict[int, dict[str, Any]] = {
        1: {},
        2: dict(variant=2, burns=False, tier_key="standard", tier_name="Стандартный",
                included_minutes=None, price=Decimal("250000.00"), dev_cap_minutes=None,
                reaction_minutes=60, start_minutes=180, signed_end=date(2026, 11, 1),
                signed_months=1),
        3: dict(variant=3, billing=Billing.PACKAGE, burns=False, tier_key="minimal",
                tier_name="Минимальный", included_minutes=10 * 60, price=Decimal("29000.00"),
                dev_cap_minutes=None, reaction_minutes=180, start_minutes=360, signed_end=None,
                signed_months=None),
    }  # fmt: skip
    return base._replace(**{**by_variant[variant], **changes})


def entry(type: EntryType = EntryType.WORK, **changes: Any) -> EntryRecord:
    base = EntryRecord(
        id=7,
        contract_id=1,
        client_id=1,
        client_key="ACME",
        ticket="ACME-12",
        on=date(2026, 10, 5),
        minutes=120,
        type=type,
        category=type,
        kind=WorkKind.SUPPORT if type == EntryType.WORK else None,
        amount=None,
        started_at=None,
        by="anna",
        note=None,
        reverses=None,
        created_at=CREATED,
    )
    return base._replace(**changes)


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """The offer's catalog, as the built-in config has it."""
    return parse_settings({}).catalog


@pytest.fixture
def make_contract() -> Callable[..., ContractRecord]:
    return contract


@pytest.fixture
def make_entry() -> Callable[..., EntryRecord]:
    return entry
