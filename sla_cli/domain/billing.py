"""Month close (SPEC §2, §4): what a contract's month costs, and what burns, overflows or carries.

Pure: the store hands in the month's aggregates, this module does the arithmetic.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import NamedTuple

from sla_cli.domain.kinds import Billing, EntryType
from sla_cli.domain.money import discounted_fee, minutes_price, round_money
from sla_cli.domain.month import Month


def carried(balance: int) -> int:
    """What a package balance carries into the next month: an overdraft is billed at the close
    and the balance returns to 0."""
    return max(0, balance)


class PackageBalance(NamedTuple):
    """A package contract's balance over its open months, each treated as the close will treat it.

    ``opening`` is what the last closed month carried on (0 before any close); ``changes`` are
    the open months with entries, oldest first, each with its packages bought less hours worked.
    An earlier open month's overdraft is billed at its close, so it never reaches a later month.
    """

    opening: int = 0
    changes: tuple[tuple[Month, int], ...] = ()

    def with_change(self, month: Month, minutes: int) -> PackageBalance:
        """The balance with ``minutes`` more (or fewer, when negative) in ``month``."""
        by_month = dict(self.changes)
        by_month[month] = by_month.get(month, 0) + minutes
        return self._replace(changes=tuple(sorted(by_month.items())))

    def month_ends(self) -> Iterator[tuple[Month, int, int]]:
        """Each open month with entries: its opening and its balance before the close."""
        balance = self.opening
        for month, change in self.changes:
            yield month, balance, balance + change
            balance = carried(balance + change)

    def opening_of(self, month: Month) -> int:
        """The balance ``month`` opens with: every earlier open month closed as the close will."""
        balance = self.opening
        for m, _, end in self.month_ends():
            if m >= month:
                break
            balance = carried(end)
        return balance

    def current(self, today: Month) -> int:
        """The balance as it stands: the latest month (``today``'s, or a later one a package was
        bought for) with every month before it closed; negative while overdrawn."""
        last = max([today, *(m for m, _ in self.changes)])
        return self.opening_of(last) + dict(self.changes).get(last, 0)

    def available(self, month: Month) -> int:
        """The most that can be worked in ``month`` without an overdraft in it or a later month."""
        ends = [end for m, _, end in self.month_ends() if m >= month]
        if month not in dict(self.changes):
            ends.append(self.opening_of(month))  # what it ends with, nothing changing it
        return max(0, min(ends))

    def overdraft_from(self, month: Month) -> int:
        """The overdraft the closes of ``month`` and later months will bill, as things stand."""
        return sum(max(0, -end) for m, _, end in self.month_ends() if m >= month)


class ContractTerms(NamedTuple):
    """The terms a contract was signed on; a later config change never rewrites them."""

    variant: int
    billing: Billing
    burns: bool
    tier_key: str
    tier_name: str
    included_minutes: int | None  # per month (monthly billing) or per package; None: unlimited
    price: Decimal  # monthly fee (monthly billing) or package price
    prepay_discount: Decimal  # percent off the monthly fee for the prepaid term
    hour_rate: Decimal  # base specialist rate
    hour_discount: Decimal  # percent off hours billed beyond what the tariff covers
    dev_cap_minutes: int | None  # custom development allowed a month; None: no cap
    reaction_minutes: int
    start_minutes: int

    @property
    def monthly_fee(self) -> Decimal:
        """The fee a month costs after the prepayment discount (0 for packages)."""
        if self.billing == "package":
            return Decimal(0)
        return discounted_fee(self.price, self.prepay_discount)

    def extra_hours_price(self, minutes: int) -> Decimal:
        """Hours beyond the tariff at the contract's discounted rate, rounded to kopecks."""
        return round_money(minutes_price(minutes, self.hour_rate, self.hour_discount))


class MonthUsage(NamedTuple):
    """A contract's ledger totals for one month."""

    support_minutes: int = 0
    dev_minutes: int = 0
    topup_minutes: int = 0  # packages bought this month (variant 3)
    topup_amount: Decimal = Decimal(0)  # what they cost
    opening_balance: int = 0  # variant 3 balance carried into the month

    @property
    def used_minutes(self) -> int:
        return self.support_minutes + self.dev_minutes


class MonthClose(NamedTuple):
    fee: Decimal  # monthly fee after prepayment discount, or packages bought (variant 3)
    included_minutes: int | None  # None: unlimited
    used_minutes: int
    support_minutes: int
    dev_minutes: int
    burned_minutes: int  # unused hours that burn (variant 1)
    overage_minutes: (
        int  # billed beyond the tariff: v1 overage, v2 custom development, v3 overdraft
    )
    overage_amount: Decimal
    opening_balance_minutes: int | None  # variant 3 only
    closing_balance_minutes: int | None  # variant 3 only
    carried_minutes: int  # balance carried into the next month (variant 3)
    amount_due: Decimal
    dev_cap_exceeded: bool
    dev_over_cap_minutes: int  # custom development past the monthly cap (variant 1), else 0


def close_month(terms: ContractTerms, usage: MonthUsage) -> MonthClose:
    """One contract's month: hours are never created or lost.

    Variant 1 (monthly, burns): used + burned − overage = included.
    Variant 2 (unlimited): nothing burns; custom development is billed at the discounted rate.
    Variant 3 (packages): closing = opening + packages − used + overdraft billed, never negative.
    """
    used = usage.used_minutes
    cap = terms.dev_cap_minutes
    over_cap = 0 if cap is None else max(0, usage.dev_minutes - cap)
    opening: int | None = None
    closing: int | None = None
    burned = overage = carried_on = 0
    if terms.billing == "package":
        fee = usage.topup_amount
        included: int | None = usage.topup_minutes
        opening = usage.opening_balance
        balance = opening + usage.topup_minutes - used
        closing = carried(balance)
        overage = closing - balance
        carried_on = closing
    elif terms.included_minutes is None:
        fee = terms.monthly_fee
        included = None
        overage = usage.dev_minutes
    else:
        fee = terms.monthly_fee
        included = terms.included_minutes
        if terms.burns:
            burned = max(0, included - used)
        overage = max(0, used - included)
    overage_amount = terms.extra_hours_price(overage)
    return MonthClose(
        fee=fee,
        included_minutes=included,
        used_minutes=used,
        support_minutes=usage.support_minutes,
        dev_minutes=usage.dev_minutes,
        burned_minutes=burned,
        overage_minutes=overage,
        overage_amount=overage_amount,
        opening_balance_minutes=opening,
        closing_balance_minutes=closing,
        carried_minutes=carried_on,
        amount_due=fee + overage_amount,
        dev_cap_exceeded=over_cap > 0,
        dev_over_cap_minutes=over_cap,
    )


class ClosePost(NamedTuple):
    """An entry month close posts on the month's last day."""

    type: EntryType  # burn, overage or carry
    minutes: int
    amount: Decimal | None  # what an overage bills
    note: str


def close_posts(terms: ContractTerms, month: Month, figures: MonthClose) -> list[ClosePost]:
    """What the close of ``month`` writes for one contract: burned, billed and carried hours."""
    posts = []
    if figures.burned_minutes:
        posts.append(
            ClosePost(EntryType.BURN, figures.burned_minutes, None, f"{month}: unused hours burn")
        )
    if figures.overage_minutes:
        if terms.billing == Billing.PACKAGE:
            what = "overdraft billed, balance back to 0"
        elif terms.included_minutes is None:
            what = "custom development billed"
        else:
            what = "hours beyond the tier billed"
        posts.append(
            ClosePost(
                EntryType.OVERAGE,
                figures.overage_minutes,
                figures.overage_amount,
                f"{month}: {what}",
            )
        )
    if figures.carried_minutes:
        posts.append(
            ClosePost(
                EntryType.CARRY, figures.carried_minutes, None, f"{month}: balance carried on"
            )
        )
    return posts
