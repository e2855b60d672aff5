"""Typed records of the ledger, as the store loads them: immutable, documented, no SQL.

Money is ``Decimal``, durations whole minutes, moments aware ``datetime`` in UTC, days
``date``. The store turns rows into these; rules and views read only these.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple

from sla_cli.domain.billing import ContractTerms
from sla_cli.domain.kinds import Billing, ChangeKind, EntryType, WorkKind
from sla_cli.domain.month import Month
from sla_cli.domain.tariffs import DEFAULT_PRIORITY, Priority
from sla_cli.errors import InputError

__all__ = ["Cancellation", "ClientRecord", "ContractChange", "ContractRecord", "EntryRecord"]


class ClientRecord(NamedTuple):
    id: int
    key: str  # ACME: what tickets and commands name the client by
    name: str  # as on statements


class Cancellation(NamedTuple):
    """Who cancelled an incident or a contract, when and why."""

    by: str
    at: datetime
    note: str | None


class ContractChange(NamedTuple):
    """One row of a contract's append-only change log."""

    id: int  # in the order recorded
    kind: ChangeKind
    end: date | None  # an end change: the new exclusive end
    note: str | None
    by: str
    created_at: datetime
    months: int | None = None  # a payment in advance: the months it pays
    pays_from: date | None = None  # and the first of them, when unpaid months lie before it


class ContractRecord(NamedTuple):
    """A signed contract and the snapshot of the terms it was signed on."""

    id: int
    client: ClientRecord
    variant: int
    variant_name: str  # Russian, as in the offer
    variant_name_en: str
    billing: Billing
    burns: bool
    tier_key: str
    tier_name: str
    tier_name_en: str
    included_minutes: int | None  # a month's hours, or a package's; None: unlimited
    price: Decimal  # monthly fee, or package price
    prepay_discount: Decimal  # percent off the fee within the prepaid months
    hour_rate: Decimal
    hour_discount: Decimal  # percent off hours billed beyond the tariff
    dev_cap_minutes: int | None
    reaction_minutes: int
    start_minutes: int
    start: date
    signed_end: date | None  # exclusive, as signed; None: open-ended (packages)
    signed_months: int | None
    prepaid_months: int
    timezone: str | None  # the client's zone, for display
    created_at: datetime
    created_by: str
    changes: tuple[ContractChange, ...] = ()  # its end moved, or cancelled; oldest first
    priorities: tuple[Priority, ...] = ()  # as signed; none: the targets above as `normal`

    @property
    def priority_table(self) -> tuple[Priority, ...]:
        """The incident priorities it was signed with, the default first."""
        return self.priorities or (
            Priority(DEFAULT_PRIORITY, self.reaction_minutes, self.start_minutes),
        )

    def priority(self, key: str | None) -> Priority:
        """The priority ``key`` (None: the default); an unknown key is an error."""
        table = self.priority_table
        if key is None:
            return table[0]
        for p in table:
            if p.key == key.strip().lower():
                return p
        known = ", ".join(p.key for p in table)
        raise InputError(f"the contract has no priority {key!r}; its priorities: {known}")

    @property
    def end(self) -> date | None:
        """The exclusive end in force: the latest end change's, else the end as signed."""
        for change in reversed(self.changes):
            if change.kind == ChangeKind.END:
                return change.end
        return self.signed_end

    @property
    def months(self) -> int | None:
        """The term in months, as the end in force makes it (None: open-ended packages)."""
        end = self.end
        if self.signed_months is None or end is None or end == self.signed_end:
            return self.signed_months
        return Month.of(end).months_since(Month.of(self.start))

    def paid_spans(self) -> list[tuple[Month, Month]]:
        """The months paid in advance, as spans (the first month, the month after the last):
        those prepaid at signing, then those of each payment in advance recorded since, in
        order, each from the month after the ones paid before it, or from its own first month
        when months closed unpaid lie between."""
        start = Month.of(self.start)
        spans = [(start, start.plus(self.prepaid_months))]
        for c in self.changes:
            if c.kind == ChangeKind.PREPAY:
                first = spans[-1][1] if c.pays_from is None else Month.of(c.pays_from)
                spans.append((first, first.plus(c.months or 0)))
        return spans

    @property
    def paid_until(self) -> Month:
        """The month after the last one paid in advance (the start: none is)."""
        return self.paid_spans()[-1][1]

    def prepaid(self, month: Month) -> bool:
        """Whether ``month``'s fee was paid in advance."""
        return any(first <= month < after for first, after in self.paid_spans())

    @property
    def cancelled(self) -> Cancellation | None:
        """Signed by mistake and cancelled: who, when and why."""
        for change in self.changes:
            if change.kind == ChangeKind.CANCEL:
                return Cancellation(change.by, change.created_at, change.note)
        return None

    @property
    def last_day(self) -> date | None:
        """The last day the contract covers, the way people read a term."""
        return None if self.end is None else date.fromordinal(self.end.toordinal() - 1)

    def terms(self, month: Month | None = None) -> ContractTerms:
        """The contract's terms; for ``month``, the prepayment discount only within the prepaid
        months (a 12-month contract prepaid for 7 pays the full fee from its 8th month)."""
        prepaid = month is None or month.months_since(Month.of(self.start)) < self.prepaid_months
        return ContractTerms(
            variant=self.variant,
            billing=self.billing,
            burns=self.burns,
            tier_key=self.tier_key,
            tier_name=self.tier_name,
            included_minutes=self.included_minutes,
            price=self.price,
            prepay_discount=self.prepay_discount if prepaid else Decimal(0),
            hour_rate=self.hour_rate,
            hour_discount=self.hour_discount,
            dev_cap_minutes=self.dev_cap_minutes,
            reaction_minutes=self.reaction_minutes,
            start_minutes=self.start_minutes,
        )

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)


class EntryRecord(NamedTuple):
    """One line of the append-only ledger."""

    id: int
    contract_id: int
    client_id: int
    client_key: str
    ticket: str | None
    on: date
    minutes: int  # a reversal carries the negated amount of the entry it reverses
    type: EntryType
    category: EntryType  # what it counts toward: the reversed entry's type, for reversals
    kind: WorkKind | None  # work (and its reversals) only
    amount: Decimal | None  # a package's price, an overage's amount
    started_at: datetime | None  # when the work began (`--from`)
    by: str
    note: str | None
    reverses: int | None
    created_at: datetime
    entered_by: str | None = None  # on PostgreSQL, the database role that wrote it
