"""The hours ledger: append-only entries, balances and month totals, aggregated in SQL."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import case, exists, extract, func
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from sla_cli.domain.billing import MonthUsage, PackageBalance
from sla_cli.domain.kinds import EntryType, WorkKind
from sla_cli.domain.month import Month
from sla_cli.domain.records import ContractRecord, EntryRecord
from sla_cli.store import convert
from sla_cli.store.convert import balance_since, entry_record, month_usages, to_kopecks
from sla_cli.store.models import Client, Closing, Entry
from sla_cli.store.port import AlreadyReversed, NewEntry
from sla_cli.store.rows import wall_clock


def add_entry(s: Session, new: NewEntry) -> EntryRecord:
    """Append an entry; ``created_at`` is the real clock (`rows.wall_clock`)."""
    row = Entry(
        contract_id=new.contract.id,
        client_id=new.contract.client.id,
        ticket=new.ticket,
        on=new.on,
        minutes=new.minutes,
        type=new.type.value,
        category=new.type.value,
        kind=None if new.kind is None else new.kind.value,
        amount_kopecks=None if new.amount is None else to_kopecks(new.amount),
        started_at=new.started_at,
        by=new.by,
        note=new.note,
        created_at=wall_clock(s),
    )
    s.add(row)
    s.flush()
    return entry_record(row, new.contract.client.key)


def add_reversal(s: Session, original: EntryRecord, by: str, note: str) -> EntryRecord:
    """Append the entry that reverses ``original``: the negated amount, same day and category."""
    row = Entry(
        contract_id=original.contract_id,
        client_id=original.client_id,
        ticket=original.ticket,
        on=original.on,
        minutes=-original.minutes,
        type=EntryType.REVERSAL.value,
        category=original.category.value,
        kind=None if original.kind is None else original.kind.value,
        amount_kopecks=None if original.amount is None else -to_kopecks(original.amount),
        by=by,
        note=note,
        reverses=original.id,
        created_at=wall_clock(s),
    )
    s.add(row)
    try:
        s.flush()
    except IntegrityError:
        raise AlreadyReversed from None
    return entry_record(row, original.client_key)


def entry(s: Session, entry_id: int) -> EntryRecord | None:
    if not 0 < entry_id < 2**63:
        return None
    found = s.exec(
        select(Entry, Client.key)
        .join(Client, col(Client.id) == col(Entry.client_id))
        .where(Entry.id == entry_id)
    ).first()
    return None if found is None else entry_record(*found)


def reversed_by(s: Session, entry_id: int) -> int | None:
    """The entry that reversed ``entry_id``, if any."""
    return s.exec(select(Entry.id).where(Entry.reverses == entry_id)).first()


def last_unreversed_work(s: Session, user: str) -> EntryRecord | None:
    """The user's most recent work entry that is not reversed yet."""
    reversed_ids = select(Entry.reverses).where(col(Entry.reverses).is_not(None))
    found = s.exec(
        select(Entry, Client.key)
        .join(Client, col(Client.id) == col(Entry.client_id))
        .where(Entry.by == user, Entry.type == EntryType.WORK.value)
        .where(col(Entry.id).not_in(reversed_ids))
        .order_by(col(Entry.id).desc())
        .limit(1)
    ).first()
    return None if found is None else entry_record(*found)


def _counting() -> Any:
    """Entries that count: not a reversal, and not reversed."""
    reversal = aliased(Entry)
    return (col(Entry.type) != EntryType.REVERSAL.value) & ~exists().where(
        col(reversal.reverses) == col(Entry.id)
    )


def day_minutes(s: Session, by: str, on: date) -> int:
    """What ``by`` has logged on ``on`` that counts (voided entries left out)."""
    total = s.exec(
        select(func.coalesce(func.sum(Entry.minutes), 0)).where(
            Entry.by == by, Entry.on == on, Entry.type == EntryType.WORK.value, _counting()
        )
    ).one()
    return int(total)


def day_totals(
    s: Session, authors: list[str], first: date, last: date
) -> dict[tuple[str, date], int]:
    """What each of ``authors`` logged that counts, on each day from ``first`` to ``last``."""
    if not authors:
        return {}
    rows = s.exec(
        select(col(Entry.by), col(Entry.on), func.sum(Entry.minutes))
        .where(col(Entry.by).in_(authors), Entry.on >= first, Entry.on <= last)
        .where(Entry.type == EntryType.WORK.value, _counting())
        .group_by(col(Entry.by), col(Entry.on))
    )
    return {(by, on): int(total) for by, on, total in rows}


def count_from(s: Session, contract_id: int, day: date) -> int:
    """How many of the contract's entries that count (not voided) are dated ``day`` or later."""
    return s.exec(
        select(func.count())
        .select_from(Entry)
        .where(Entry.contract_id == contract_id, col(Entry.on) >= day, _counting())
    ).one()


def unreversed(s: Session, contract_id: int) -> list[EntryRecord]:
    """The contract's entries that count (not reversals, not reversed), oldest first."""
    stmt = (
        select(Entry, Client.key)
        .join(Client, col(Client.id) == col(Entry.client_id))
        .where(Entry.contract_id == contract_id, _counting())
        .order_by(col(Entry.id))
    )
    return [entry_record(e, key) for e, key in s.exec(stmt).all()]


def first_entry(s: Session, contract_id: int) -> int | None:
    """The id of the contract's first entry (a package contract's first package)."""
    return s.exec(select(func.min(Entry.id)).where(Entry.contract_id == contract_id)).one()


@dataclass(frozen=True)
class EntryFilter:
    """Which entries to list; days inclusive, every condition at once."""

    month: Month | None = None
    client_id: int | None = None
    ticket: str | None = None
    by: str | None = None
    kind: WorkKind | None = None  # work of this kind only
    since: date | None = None
    until: date | None = None
    worked: bool = False  # only work that counts: no reversals, nothing reversed


def _filtered(stmt: Any, f: EntryFilter) -> Any:
    if f.worked:
        reversal = aliased(Entry)
        stmt = stmt.where(Entry.type == EntryType.WORK.value).where(
            ~exists().where(col(reversal.reverses) == col(Entry.id))
        )
    if f.month is not None:
        first, nxt = f.month.bounds
        stmt = stmt.where(col(Entry.on) >= first, col(Entry.on) < nxt)
    if f.client_id is not None:
        stmt = stmt.where(Entry.client_id == f.client_id)
    if f.ticket is not None:
        stmt = stmt.where(Entry.ticket == f.ticket)
    if f.by is not None:
        stmt = stmt.where(Entry.by == f.by)
    if f.kind is not None:
        stmt = stmt.where(Entry.kind == f.kind.value)
    if f.since is not None:
        stmt = stmt.where(col(Entry.on) >= f.since)
    if f.until is not None:
        stmt = stmt.where(col(Entry.on) <= f.until)
    return stmt


def _rows(f: EntryFilter) -> Any:
    """Entries as plain rows (no ORM objects to track), with their client's key."""
    columns = [*Entry.__table__.columns, col(Client.key).label("client_key")]  # type: ignore[attr-defined]
    stmt = select(*columns).join(Client, col(Client.id) == col(Entry.client_id))
    return _filtered(stmt, f)


STREAM_BATCH = 1000  # rows fetched at a time by the listings that stream


def iter_entries(s: Session, f: EntryFilter) -> Iterator[EntryRecord]:
    """Entries, oldest first, fetched a thousand at a time (a server-side cursor on
    PostgreSQL): memory stays flat however many there are."""
    stmt = _rows(f).order_by(col(Entry.on), col(Entry.id))
    for row in s.exec(stmt.execution_options(yield_per=STREAM_BATCH)):
        yield entry_record(row, row.client_key)


def worked_by_day(s: Session, f: EntryFilter) -> list[tuple[str, str, date, int]]:
    """Minutes worked that count, summed in SQL by engineer, client and day."""
    worked = EntryFilter(**{**vars(f), "worked": True})
    stmt = (
        select(Entry.by, Client.key, Entry.on, func.sum(Entry.minutes))  # type: ignore[call-overload]
        .join(Client, col(Client.id) == col(Entry.client_id))
        .group_by(col(Entry.by), col(Client.key), col(Entry.on))
        .order_by(col(Entry.by), col(Entry.on), col(Client.key))
    )
    return [(by, key, on, int(m)) for by, key, on, m in s.exec(_filtered(stmt, worked))]


def entries(s: Session, month: Month | None, client_id: int | None) -> list[EntryRecord]:
    """Entries, oldest first."""
    return list(iter_entries(s, EntryFilter(month, client_id)))


# Up to this many, the latest entries are read newest first and turned around in memory.
_TURNED_IN_MEMORY = 10_000


def latest_entries(s: Session, f: EntryFilter, limit: int) -> tuple[Iterator[EntryRecord], int]:
    """The latest ``limit`` entries (by date, then as recorded), oldest first, and how many
    there are in all. A large ``limit`` is read oldest first past the ones left out, as it is
    written out."""
    if limit <= _TURNED_IN_MEMORY:
        stmt = _rows(f).order_by(col(Entry.on).desc(), col(Entry.id).desc())
        found = [entry_record(row, row.client_key) for row in s.exec(stmt.limit(limit))]
        total = len(found) if len(found) < limit else _count(s, f)
        return iter(found[::-1]), total
    total = _count(s, f)
    stmt = _rows(f).order_by(col(Entry.on), col(Entry.id)).offset(max(0, total - limit))
    rows = s.exec(stmt.execution_options(yield_per=STREAM_BATCH))
    return (entry_record(row, row.client_key) for row in rows), total


def _count(s: Session, f: EntryFilter) -> int:
    return int(s.exec(_filtered(select(func.count()).select_from(Entry), f)).one())


def last_entry_id(s: Session) -> int:
    """The largest id an entry has (0 for none): how wide an id column may need to be."""
    return int(s.exec(select(func.max(Entry.id))).one() or 0)


# --- sums ---------------------------------------------------------------------------------------

_BALANCE_DELTA = case(
    (col(Entry.category) == EntryType.TOPUP.value, col(Entry.minutes)),
    (col(Entry.category) == EntryType.OVERAGE.value, col(Entry.minutes)),  # an overdraft billed
    (col(Entry.category) == EntryType.WORK.value, -col(Entry.minutes)),
    else_=0,
)


def package_balance(
    s: Session, contract: ContractRecord, before: Month | None = None
) -> PackageBalance:
    """A package contract's balance facts (those dated before ``before``, default: all).

    The last month closed gives the opening; the open months since are summed per month in one
    grouped query, so the cost grows with the months open, not with the ledger.
    """
    closings = select(Closing.month, Closing.closing_balance_minutes).where(
        Closing.contract_id == contract.id
    )
    if before is not None:
        closings = closings.where(col(Closing.month) < str(before))
    found = s.exec(closings.order_by(col(Closing.month).desc()).limit(1)).first()
    last = None if found is None else (found[0], found[1])
    year, month = extract("year", col(Entry.on)), extract("month", col(Entry.on))
    per_month = (
        select(year, month, func.sum(_BALANCE_DELTA))
        .where(
            Entry.contract_id == contract.id, col(Entry.on) >= balance_since(last, contract.start)
        )
        .group_by(year, month)
    )
    if before is not None:
        per_month = per_month.where(col(Entry.on) < before.first_day)
    return convert.package_balance(last, s.exec(per_month))


def month_usage(s: Session, contracts: list[ContractRecord], month: Month) -> dict[int, MonthUsage]:
    """Each contract's totals for the month, in one grouped query (plus balances for packages)."""
    first, nxt = month.bounds
    ids = [c.id for c in contracts]
    rows: Sequence[Any] = ()
    if ids:
        rows = s.exec(
            select(  # type: ignore[call-overload]
                Entry.contract_id,
                Entry.category,
                Entry.kind,
                func.sum(Entry.minutes),
                func.sum(Entry.amount_kopecks),
            )
            .where(col(Entry.contract_id).in_(ids), col(Entry.on) >= first, col(Entry.on) < nxt)
            .where(col(Entry.category).in_((EntryType.WORK.value, EntryType.TOPUP.value)))
            .group_by(col(Entry.contract_id), col(Entry.category), col(Entry.kind))
        ).all()
    return month_usages(contracts, rows, lambda c: package_balance(s, c, month).opening_of(month))


def packages_bought(
    s: Session, contracts: list[ContractRecord], month: Month
) -> dict[int, list[EntryRecord]]:
    """The month's top-up entries that no reversal undid, oldest first, by contract."""
    first, nxt = month.bounds
    out: dict[int, list[EntryRecord]] = defaultdict(list)
    ids = [c.id for c in contracts]
    if not ids:
        return out
    reversal = aliased(Entry)
    undone = select(reversal.id).where(col(reversal.reverses) == col(Entry.id)).exists()
    rows = s.exec(
        select(Entry, Client.key)
        .join(Client, col(Client.id) == col(Entry.client_id))
        .where(col(Entry.contract_id).in_(ids), col(Entry.on) >= first, col(Entry.on) < nxt)
        .where(Entry.type == EntryType.TOPUP.value, ~undone)
        .order_by(col(Entry.on), col(Entry.id))
    )
    for e, key in rows:
        out[e.contract_id].append(entry_record(e, key))
    return out


def daily_minutes(
    s: Session, contracts: list[ContractRecord], month: Month
) -> dict[int, list[tuple[date, int]]]:
    """Hours logged per day of the month, by contract."""
    first, nxt = month.bounds
    out: dict[int, list[tuple[date, int]]] = defaultdict(list)
    ids = [c.id for c in contracts]
    if not ids:
        return out
    rows = s.exec(
        select(Entry.contract_id, Entry.on, func.sum(Entry.minutes))  # type: ignore[call-overload]
        .where(col(Entry.contract_id).in_(ids), col(Entry.on) >= first, col(Entry.on) < nxt)
        .where(Entry.category == EntryType.WORK.value)
        .group_by(col(Entry.contract_id), col(Entry.on))
        .order_by(col(Entry.on))
    )
    for contract_id, on, minutes in rows:
        out[contract_id].append((on, int(minutes or 0)))
    return out


__all__ = [
    "AlreadyReversed",
    "EntryFilter",
    "NewEntry",
    "add_entry",
    "add_reversal",
    "count_from",
    "daily_minutes",
    "entries",
    "entry",
    "first_entry",
    "iter_entries",
    "last_entry_id",
    "last_unreversed_work",
    "latest_entries",
    "month_usage",
    "package_balance",
    "packages_bought",
    "reversed_by",
    "unreversed",
    "worked_by_day",
]
