"""The offer's catalog: variants, tiers, discounts and SLA targets (SPEC §1, §2)."""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from sla_cli.domain.kinds import Billing
from sla_cli.errors import InputError

MAX_TERM_MONTHS = 600


class Tier(NamedTuple):
    """One tier of a variant: a monthly allowance (variants 1–2) or a package (variant 3)."""

    key: str
    name: str
    name_en: str
    hours: int | None  # None: unlimited
    price: Decimal  # monthly fee for monthly billing, package price for packages

    @property
    def minutes(self) -> int | None:
        return None if self.hours is None else self.hours * 60


class PrepayDiscount(NamedTuple):
    """A prepayment discount that applies from ``min_months`` months of prepayment on."""

    min_months: int
    percent: Decimal


class Priority(NamedTuple):
    """An incident priority's SLA targets, in business minutes; no resolution target: None."""

    key: str
    reaction_minutes: int
    start_minutes: int
    resolve_minutes: int | None = None


DEFAULT_PRIORITY = "normal"
MAX_PRIORITY_KEY = 32  # characters of a priority's key
MAX_PRIORITIES = 20  # a variant's priorities: a contract's snapshot of them stays small
MAX_TARGET_HOURS = 10_000  # an SLA target (business hours): far beyond any that makes sense


class VariantTerms(NamedTuple):
    number: int
    name: str
    name_en: str
    billing: Billing
    burns: bool  # unused hours burn at the end of every month
    min_months: int | None  # minimum contract term; None for packages
    prepay_discounts: tuple[PrepayDiscount, ...]
    reaction_minutes: int
    start_minutes: int
    max_hour_discount: Decimal
    dev_cap_hours: int | None  # custom development per month; None: no cap
    tiers: tuple[Tier, ...]
    priorities: tuple[Priority, ...] = ()  # none configured: the offer's targets as `normal`

    @property
    def priority_table(self) -> tuple[Priority, ...]:
        """The incident priorities, the default first."""
        return self.priorities or (
            Priority(DEFAULT_PRIORITY, self.reaction_minutes, self.start_minutes),
        )

    def tier(self, ref: str) -> Tier:
        """Find a tier by key, Russian or English name, or 1-based position."""
        wanted = ref.strip().casefold()
        for i, t in enumerate(self.tiers, start=1):
            if wanted in (t.key.casefold(), t.name.casefold(), t.name_en.casefold(), str(i)):
                return t
        known = ", ".join(t.key for t in self.tiers)
        raise InputError(f"variant {self.number} has no tier {ref!r}; its tiers: {known}")

    def prepay_discount(self, months: int) -> Decimal:
        """The prepayment discount for paying ``months`` ahead (thresholds as configured)."""
        best = Decimal(0)
        for d in self.prepay_discounts:
            if months >= d.min_months and d.percent > best:
                best = d.percent
        return best

    def check_term(self, months: int) -> None:
        if months < 1:
            raise InputError(f"the term must be at least 1 month, not {months}")
        if months > MAX_TERM_MONTHS:
            raise InputError(f"a term of {months} months is too long (at most {MAX_TERM_MONTHS})")
        if self.min_months is not None and months < self.min_months:
            raise InputError(
                f"variant {self.number} has a minimum term of {self.min_months} months; "
                f"{months} is too short"
            )

    def check_hour_discount(self, percent: Decimal) -> None:
        if percent < 0:
            raise InputError(f"an hour discount cannot be negative ({percent} %)")
        if percent > self.max_hour_discount:
            raise InputError(
                f"variant {self.number} allows an hour discount of at most "
                f"{self.max_hour_discount} %, not {percent} %"
            )


class Catalog(NamedTuple):
    currency: str
    hour_rate: Decimal  # base specialist rate per hour
    variants: tuple[VariantTerms, ...]

    def variant(self, number: int) -> VariantTerms:
        for v in self.variants:
            if v.number == number:
                return v
        known = ", ".join(str(v.number) for v in self.variants)
        raise InputError(f"there is no variant {number}; variants: {known}")
