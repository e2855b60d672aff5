"""Contract rules: signing (term, first day, prepaid months, overlap, closed months, a key
keeping its name) and ending. Given the facts, return the terms or raise."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sla_cli.domain.kinds import Billing
from sla_cli.domain.month import Month
from sla_cli.domain.records import ContractRecord
from sla_cli.domain.tariffs import Catalog, Tier, VariantTerms
from sla_cli.domain.text import MAX_NAME, MAX_USER, check_length, valid_key
from sla_cli.errors import ClosedPeriod, InputError

__all__ = ["ContractDraft", "NewContract", "Signing", "end_of", "sign"]


@dataclass(frozen=True)
class NewContract:
    """What `sla contract add` asks for."""

    client_name: str
    key: str
    variant: int
    tier: str
    start: date
    months: int | None = None  # default: the variant's minimum; packages: open-ended
    prepaid_months: int | None = None  # default 1
    hour_discount: Decimal = Decimal(0)
    timezone: str | None = None


@dataclass(frozen=True)
class Signing:
    """What the ledger knows that signing depends on."""

    client_name: str | None  # the name the key belongs to already; None: a new client
    latest_closed: Month | None
    others: tuple[ContractRecord, ...]  # the client's contracts
    now: datetime
    user: str


@dataclass(frozen=True)
class ContractDraft:
    """A contract to save: the client and the snapshot of the terms it is signed on."""

    key: str
    client_name: str
    variant: VariantTerms
    tier: Tier
    hour_rate: Decimal
    prepay_discount: Decimal
    hour_discount: Decimal
    start: date
    end: date | None
    months: int | None
    prepaid_months: int
    timezone: str | None

    @property
    def first_package(self) -> bool:
        """A package contract buys its first package when it is signed."""
        return self.variant.billing == Billing.PACKAGE


def sign(catalog: Catalog, new: NewContract, facts: Signing) -> ContractDraft:
    """Check a new contract against the offer and the ledger; return what to save."""
    variant = catalog.variant(new.variant)
    tier = variant.tier(new.tier)
    key = valid_key(new.key)
    name = new.client_name.strip()
    if not name:
        raise InputError("the client's name is empty")
    check_length(name, MAX_NAME, "the client's name")
    check_length(facts.user, MAX_USER, "the user name")
    months = _term(variant, new.months)
    prepaid = new.prepaid_months if new.prepaid_months is not None else 1
    if prepaid < 1 or (months is not None and prepaid > months):
        raise InputError(f"--prepaid-months must be between 1 and the term, not {prepaid}")
    variant.check_hour_discount(new.hour_discount)
    _check_start(variant, new.start, facts)
    if facts.client_name is not None and facts.client_name != name:
        raise InputError(
            f"the key {key} belongs to «{facts.client_name}»; give that name, or another --key"
        )
    end = None if months is None else Month.of(new.start).plus(months).first_day
    refuse_overlap(key, new.start, end, facts.others)
    monthly = variant.billing == Billing.MONTHLY
    return ContractDraft(
        key=key,
        client_name=name,
        variant=variant,
        tier=tier,
        hour_rate=catalog.hour_rate,
        prepay_discount=variant.prepay_discount(prepaid) if monthly else Decimal(0),
        hour_discount=new.hour_discount,
        start=new.start,
        end=end,
        months=months,
        prepaid_months=prepaid,
        timezone=new.timezone,
    )


def _term(variant: VariantTerms, months: int | None) -> int | None:
    if variant.billing == Billing.MONTHLY:
        term = months if months is not None else variant.min_months or 1
        variant.check_term(term)
        return term
    if months is not None and months < 1:
        raise InputError(f"the term must be at least 1 month, not {months}")
    return months


def _check_start(variant: VariantTerms, start: date, facts: Signing) -> None:
    if variant.billing == Billing.MONTHLY and start.day != 1:
        raise InputError(
            f"monthly contracts start on the first of a month (fees are per calendar month): "
            f"--start {start.replace(day=1).isoformat()}?"
        )
    if start.year > facts.now.year + 10:
        raise InputError(f"--start {start.isoformat()} is more than ten years ahead")
    closed = facts.latest_closed
    if closed is not None and Month.of(start) <= closed:
        raise ClosedPeriod(
            f"months up to {closed} are closed; a new contract starts in an open month"
        )


def refuse_overlap(
    key: str, start: date, end: date | None, others: tuple[ContractRecord, ...]
) -> None:
    """Contracts of one client may not overlap: a day would be billed twice."""
    for other in others:
        if (other.end is None or other.end > start) and (end is None or other.start < end):
            until = other.end.isoformat() if other.end else "open-ended"
            raise InputError(
                f"{key} already has a contract from {other.start.isoformat()} ({until}); "
                "contracts of one client may not overlap"
            )


def end_of(
    contract: ContractRecord, last: date, min_months: int | None, later_entries: int
) -> tuple[date, int | None]:
    """End a contract after ``last``, its last day: the new exclusive end and term in months.

    Monthly contracts end on a month's last day and keep their minimum term; nothing may be
    dated after the new end.
    """
    end = date.fromordinal(last.toordinal() + 1)
    months = Month.of(end).months_since(Month.of(contract.start))
    if contract.billing == Billing.MONTHLY:
        if end.day != 1:
            raise InputError(f"monthly contracts end on a month's last day, not {last.isoformat()}")
        minimum = min_months or 1
        if months < minimum:
            raise InputError(
                f"variant {contract.variant} has a minimum term of {minimum} months; "
                f"ending after {months} is too early"
            )
    if later_entries:
        raise InputError(
            f"{contract.client.key} has {later_entries} entries after {last.isoformat()}; "
            "void them first"
        )
    return end, (months if contract.months is not None else None)
