"""Rows in, records out: the conversions between the ledger's rows and the domain's records.

Money is stored as whole kopecks, percentages as basis points (1/100 %). A row is any object with
the table's columns as attributes, with Python values as the column types say (``store.db``).
One mapping per table: each record is read here, and each row written by one writer of the
store. Nothing here imports a database library.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol

from sla_cli.domain.kinds import Billing, ChangeKind, EntryType, EventKind, WorkKind
from sla_cli.domain.money import round_money
from sla_cli.domain.month import Month
from sla_cli.domain.records import ClientRecord, ContractChange, ContractRecord, EntryRecord
from sla_cli.domain.tariffs import Priority
from sla_cli.errors import LedgerError

if TYPE_CHECKING:  # each loaded by the conversion that needs it: logging hours loads no incident
    from sla_cli.domain.billing import MonthUsage, PackageBalance
    from sla_cli.domain.incident_events import IncidentEvent
    from sla_cli.domain.incidents import IncidentRecord
    from sla_cli.domain.timers import TimerRecord


class Keyed(Protocol):
    id: int | None


def pk(row: Keyed) -> int:
    """The primary key of a flushed row."""
    assert row.id is not None, "row not flushed yet"
    return row.id


def to_kopecks(amount: Decimal) -> int:
    """Whole kopecks, as the ledger's 64-bit money columns hold them."""
    kopecks = int(round_money(amount) * 100)
    if not -(2**63) <= kopecks < 2**63:
        raise LedgerError(f"the amount {amount} is too large for the ledger")
    return kopecks


def from_kopecks(value: int) -> Decimal:
    return (Decimal(value) / 100).quantize(Decimal("0.01"))


def to_bp(percent: Decimal) -> int:
    return int((percent * 100).to_integral_value())


def from_bp(value: int) -> Decimal:
    return Decimal(value) / 100


def client_record(row: Any) -> ClientRecord:
    return ClientRecord(id=pk(row), key=row.key, name=row.name)


def contract_record(row: Any, client: ClientRecord | None = None) -> ContractRecord:
    """A contract from its row; the client from the row's ``client_key`` and ``client_name``
    when not given."""
    return ContractRecord(
        id=pk(row),
        client=client or ClientRecord(row.client_id, row.client_key, row.client_name),
        variant=row.variant,
        variant_name=row.variant_name,
        variant_name_en=row.variant_name_en,
        billing=Billing(row.billing),
        burns=row.burns,
        tier_key=row.tier_key,
        tier_name=row.tier_name,
        tier_name_en=row.tier_name_en,
        included_minutes=row.included_minutes,
        price=from_kopecks(row.price_kopecks),
        prepay_discount=from_bp(row.prepay_discount_bp),
        hour_rate=from_kopecks(row.hour_rate_kopecks),
        hour_discount=from_bp(row.hour_discount_bp),
        dev_cap_minutes=row.dev_cap_minutes,
        reaction_minutes=row.reaction_minutes,
        start_minutes=row.start_minutes,
        start=row.start,
        signed_end=row.end,
        signed_months=row.months,
        prepaid_months=row.prepaid_months,
        timezone=row.timezone,
        created_at=row.created_at,
        created_by=row.created_by,
        priorities=priorities_from_json(row.priorities),
    )


def change_record(row: Any) -> ContractChange:
    return ContractChange(
        pk(row), ChangeKind(row.kind), row.end, row.note, row.by, row.created_at,
        getattr(row, "months", None), getattr(row, "pays_from", None),
    )  # fmt: skip


def priorities_to_json(priorities: Sequence[Priority]) -> str:
    import json

    return json.dumps([p._asdict() for p in priorities], separators=(",", ":"))


def priorities_from_json(text: str | None) -> tuple[Priority, ...]:
    if not text:
        return ()
    import json

    return tuple(Priority(**p) for p in json.loads(text))


def entry_record(row: Any, client_key: str) -> EntryRecord:
    return EntryRecord(
        id=pk(row),
        contract_id=row.contract_id,
        client_id=row.client_id,
        client_key=client_key,
        ticket=row.ticket,
        on=row.on,
        minutes=row.minutes,
        type=EntryType(row.type),
        category=EntryType(row.category),
        kind=None if row.kind is None else WorkKind(row.kind),
        amount=None if row.amount_kopecks is None else from_kopecks(row.amount_kopecks),
        started_at=row.started_at,
        by=row.by,
        note=row.note,
        reverses=row.reverses,
        created_at=row.created_at,
        entered_by=getattr(row, "entered_by", None),
    )


def timer_record(row: Any, client_key: str) -> TimerRecord:
    from sla_cli.domain.timers import TimerRecord

    return TimerRecord(
        pk(row), client_key, row.ticket, WorkKind(row.kind), row.note, row.started_at, row.by
    )


def event_record(row: Any) -> IncidentEvent:
    from sla_cli.domain.incident_events import IncidentEvent

    return IncidentEvent(
        pk(row), EventKind(row.kind), row.at, row.undoes, row.note, row.by, row.created_at,
        row.value,
    )  # fmt: skip


def incident_record(
    row: Any,
    c: ContractRecord,
    first_work: Any,
    events: tuple[IncidentEvent, ...],
    renewals: tuple[date | None, ...] = (),
) -> IncidentRecord:
    """An incident with the facts its clocks need: its contract with its changes (an end moved
    stops the clocks, unless another contract follows it: ``renewals``), its events, and when
    the first work on its ticket began."""
    from sla_cli.domain.incidents import IncidentRecord

    return IncidentRecord(
        id=pk(row),
        client=c.client,
        contract=c,
        ticket=row.ticket,
        title=row.title,
        opened_at=row.opened_at,
        events=events,
        first_work=first_work,
        opened_priority=row.priority,
        mail_from=row.mail_from,
        renewals=renewals,
    )


def month_usages(
    contracts: Sequence[ContractRecord],
    sums: Iterable[tuple[int, str, str | None, int | None, int | None]],
    opening: Callable[[ContractRecord], int],
) -> dict[int, MonthUsage]:
    """Each contract's month from its entries summed by contract, category and kind (minutes,
    kopecks), with ``opening`` the balance a package carried into the month."""
    from sla_cli.domain.billing import MonthUsage

    totals: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for contract_id, category, kind, minutes, kopecks in sums:
        bucket = totals[contract_id]
        if category == EntryType.WORK:
            bucket[WorkKind.DEV if kind == WorkKind.DEV else WorkKind.SUPPORT] += int(minutes or 0)
        else:
            bucket["topup"] += int(minutes or 0)
            bucket["topup_kopecks"] += int(kopecks or 0)
    return {
        c.id: MonthUsage(
            support_minutes=totals[c.id][WorkKind.SUPPORT],
            dev_minutes=totals[c.id][WorkKind.DEV],
            topup_minutes=totals[c.id]["topup"],
            topup_amount=from_kopecks(totals[c.id]["topup_kopecks"]),
            opening_balance=opening(c) if c.billing == Billing.PACKAGE else 0,
        )
        for c in contracts
    }


def package_balance(
    last_close: tuple[str, int | None] | None, per_month: Iterable[tuple[int, int, int | None]]
) -> PackageBalance:
    """A package's balance from its last close before the months asked for (month, balance)
    and its balance changes summed per (year, month) since (``balance_since``)."""
    from sla_cli.domain.billing import PackageBalance

    opening = 0 if last_close is None else last_close[1] or 0
    changes = sorted((Month(int(y), int(m)), int(total or 0)) for y, m, total in per_month)
    return PackageBalance(int(opening), tuple(changes))


def balance_since(last_close: tuple[str, int | None] | None, start: date) -> date:
    """The first day whose entries change a package's balance after its last close."""
    return start if last_close is None else Month.parse(last_close[0]).next().first_day
