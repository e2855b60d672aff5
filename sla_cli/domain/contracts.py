"""Contract rules: signing (term, first day, prepaid months, overlap, closed months, a key
keeping its name), moving the end and cancelling. Given the facts, return what to save or
raise."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sla_cli.domain.kinds import Billing, EntryType
from sla_cli.domain.month import Month
from sla_cli.domain.records import ContractRecord, EntryRecord
from sla_cli.domain.tariffs import MAX_TERM_MONTHS, Catalog, Tier, VariantTerms
from sla_cli.domain.text import (
    MAX_NAME,
    MAX_NOTE,
    MAX_USER,
    check_length,
    check_name,
    name_key,
    valid_key,
)
from sla_cli.errors import ClosedPeriod, InputError

__all__ = [
    "Cancelling",
    "ContractDraft",
    "Ending",
    "NewContract",
    "Signing",
    "plan_cancel",
    "plan_end",
    "plan_prepay",
    "refuse_overlap",
    "sign",
]


@dataclass(frozen=True)
class NewContract:
    """What `sla contract add` asks for."""

    client_name: str
    key: str
    variant: int
    tier: str
    start: date
    months: int | None = None  # default: the variant's minimum; packages: open-ended
    prepaid_months: int | None = None  # months paid ahead at signing; default none
    hour_discount: Decimal = Decimal(0)
    timezone: str | None = None
    same_name: bool = False  # a new client may have the name of another (`--force`)


@dataclass(frozen=True)
class Signing:
    """What the ledger knows that signing depends on."""

    client_name: str | None  # the name the key belongs to already; None: a new client
    latest_closed: Month | None
    others: tuple[ContractRecord, ...]  # the client's contracts
    now: datetime
    user: str
    # the other clients, by key: their names, which a new client's may not repeat
    names: tuple[tuple[str, str], ...] = ()


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
    name = check_name(new.client_name, MAX_NAME, "the client's name")
    if not name:
        raise InputError("the client's name is empty")
    check_length(facts.user, MAX_USER, "the user name")
    months = _term(variant, new.months)
    if variant.billing == Billing.PACKAGE and new.prepaid_months not in (None, 1):
        raise InputError(
            "--prepaid-months is for monthly contracts: a package is paid when it is bought"
        )
    if variant.billing == Billing.PACKAGE:
        prepaid = 1  # a package is paid when it is bought
    else:
        prepaid = new.prepaid_months if new.prepaid_months is not None else 0
    if prepaid < 0 or (months is not None and prepaid > months):
        raise InputError(f"--prepaid-months must be between 0 and the term, not {prepaid}")
    variant.check_hour_discount(new.hour_discount)
    _check_start(variant, new.start, facts)
    if facts.client_name is not None:
        if name_key(facts.client_name) != name_key(name):
            raise InputError(
                f"the key {key} belongs to «{facts.client_name}»; give that name, or another --key"
            )
        name = facts.client_name  # as the client is already named
    elif not new.same_name:
        alike = [k for k, other in facts.names if k != key and name_key(other) == name_key(name)]
        if alike:
            raise InputError(
                f"«{name}» is already the name of client {alike[0]}: `--key {alike[0]}` signs "
                "another contract for it, or --force signs a new client of the same name"
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
    if months is not None and not 1 <= months <= MAX_TERM_MONTHS:
        raise InputError(f"the term is 1 to {MAX_TERM_MONTHS} months, not {months}")
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
            last = other.last_day
            until = f"through {last.isoformat()}" if last else "open-ended"
            raise InputError(
                f"{key} already has a contract from {other.start.isoformat()} ({until}); "
                "contracts of one client may not overlap"
            )


@dataclass(frozen=True)
class Ending:
    """What the ledger knows that moving a contract's end depends on."""

    min_months: int | None  # the variant's minimum term
    latest_closed: Month | None
    later_entries: int  # the contract's entries not reversed, dated on or after the new end
    others: tuple[ContractRecord, ...]  # the client's other contracts, not cancelled


def plan_end(contract: ContractRecord, last: date, facts: Ending, note: str | None) -> date:
    """Move a contract's end to after ``last``, its new last day, earlier or later, any number
    of times: the new exclusive end.

    Monthly contracts end on a month's last day and keep their minimum term; nothing may be
    dated after the new end; every month the move touches (the days between the old and the new
    end) is open; and the contract may not grow into another of the client's.
    """
    check_length(note, MAX_NOTE, "--note")
    key = contract.client.key
    if contract.cancelled is not None:
        raise InputError(f"{key}'s contract {contract.id} is cancelled")
    end = date.fromordinal(last.toordinal() + 1)
    if end <= contract.start:
        raise InputError(
            f"{key}'s contract starts on {contract.start.isoformat()}; it cannot end before"
        )
    if end == contract.end:
        raise InputError(f"{key}'s contract already runs through {last.isoformat()}")
    months = Month.of(end).months_since(Month.of(contract.start))
    if contract.billing == Billing.MONTHLY:
        if end.day != 1:
            raise InputError(f"monthly contracts end on a month's last day, not {last.isoformat()}")
        minimum = facts.min_months or 1
        if months < minimum:
            raise InputError(
                f"variant {contract.variant} has a minimum term of {minimum} months; "
                f"ending after {months} is too early"
            )
    old_end = contract.end
    first_touched = Month.of(end if old_end is None else min(old_end, end))
    closed = facts.latest_closed
    if closed is not None and first_touched <= closed:
        raise ClosedPeriod(
            f"months up to {closed} are closed; {key}'s contract end moves only within open months"
        )
    if facts.later_entries:
        raise InputError(
            f"{key} has {facts.later_entries} entries after {last.isoformat()}; void them first"
        )
    refuse_overlap(key, contract.start, end, facts.others)
    return end


@dataclass(frozen=True)
class Cancelling:
    """What the ledger knows that cancelling a contract depends on."""

    latest_closed: Month | None
    first_entry: int | None  # the contract's first entry (a package contract's first package)
    unreversed: tuple[EntryRecord, ...]  # its entries that count: not reversals, not reversed
    incidents: tuple[str, ...]  # tickets of its incidents not cancelled


def plan_cancel(contract: ContractRecord, note: str, facts: Cancelling) -> EntryRecord | None:
    """A contract signed by mistake is cancelled, saying why, while none of its months is
    closed and nothing but its own first package counts on it: the package to reverse with it.
    """
    key = contract.client.key
    cancelled = contract.cancelled
    if cancelled is not None:
        raise InputError(
            f"{key}'s contract {contract.id} was cancelled by {cancelled.by} "
            f"on {cancelled.at.date().isoformat()}"
        )
    if not note.strip():
        raise InputError("say why the contract is cancelled: --note TEXT")
    check_length(note, MAX_NOTE, "--note")
    closed = facts.latest_closed
    if closed is not None and Month.of(contract.start) <= closed:
        raise ClosedPeriod(
            f"{closed} is closed and {key}'s contract {contract.id} has months in it; "
            "a contract with a closed month is not cancelled: end it instead (`sla contract end`)"
        )
    package = next(
        (
            e
            for e in facts.unreversed
            if e.id == facts.first_entry and e.type == EntryType.TOPUP and e.on == contract.start
        ),
        None,
    )
    others = [e.id for e in facts.unreversed if e is not package]
    if others:
        shown = ", ".join(str(i) for i in others[:10]) + (", …" if len(others) > 10 else "")
        raise InputError(
            f"{key}'s contract {contract.id} has {len(others)} entries not reversed "
            f"({shown}); void them first (`sla void ID`)"
        )
    if facts.incidents:
        raise InputError(
            f"{key}'s contract {contract.id} has incidents {', '.join(facts.incidents)}; "
            "cancel them first (`sla incident cancel TICKET --note TEXT`)"
        )
    return package


def plan_prepay(
    contract: ContractRecord, months: int, latest_closed: Month | None
) -> tuple[Month, Month]:
    """A payment in advance of ``months`` monthly fees after signing: the first and the last
    month it pays, the months after those paid already, and after the closed ones (a closed
    month's statement is final: one closed unpaid stays billed). The discount agreed at signing
    stays; the months must be the contract's."""
    key = contract.client.key
    if contract.billing != Billing.MONTHLY:
        raise InputError(f"{key} is on packages: a package is paid when it is bought")
    if contract.cancelled is not None:
        raise InputError(f"{key}'s contract {contract.id} is cancelled")
    if not 1 <= months <= 120:
        raise InputError(f"--months is 1 to 120 months paid in advance, not {months}")
    first = contract.paid_until
    if latest_closed is not None and first <= latest_closed:
        first = latest_closed.next()
    last = first.plus(months - 1)
    end = contract.end
    if end is not None and last >= Month.of(end):
        raise InputError(
            f"{key}'s contract runs through {Month.of(end).previous()}: {months} months paid "
            f"from {first} would pay beyond its end; move the end first (`sla contract end`)"
        )
    return first, last
