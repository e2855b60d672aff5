"""Logging hours, reversing entries, listing the ledger."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from sla_cli.domain.kinds import Billing, EntryType, WorkKind
from sla_cli.domain.month import Month
from sla_cli.domain.records import ContractRecord, EntryRecord
from sla_cli.domain.reversals import check_reversible, reversal_note
from sla_cli.domain.text import MAX_NOTE, MAX_TICKET, check_author, check_text, normalise_ticket
from sla_cli.domain.timesheet import Timesheet, timesheet
from sla_cli.domain.work import (
    DevOverCap,
    Overdraft,
    Standing,
    WorkLog,
    WorkPolicy,
    check_work,
    plan_work,
)
from sla_cli.errors import ClosedPeriod, InputError, NotFound
from sla_cli.ops.lookup import client_id, contract_on, ensure_open, ticket_client
from sla_cli.store import entries as store
from sla_cli.store.locks import lock_client


@dataclass(frozen=True)
class Logged:
    entry: EntryRecord
    contract: ContractRecord
    balance: int | None  # package contracts: the balance after this entry
    overdraft: Overdraft | None
    dev_over_cap: DevOverCap | None = None


def log_work(
    s: Session, policy: WorkPolicy, zone: str, work: WorkLog, user: str, now: datetime
) -> Logged:
    """Append a work entry, rounded up to the billing increment."""
    check_text(work.ticket, MAX_TICKET, "the ticket")
    check_text(work.note, MAX_NOTE, "--note")
    user = check_author(user)
    ticket = normalise_ticket(work.ticket)
    tz = ZoneInfo(zone)
    check_work(work, ticket, user, now.astimezone(tz).date())
    client = ticket_client(s, ticket, work.client_key)
    lock_client(s, client.key)  # the balance and the month's development, read once at a time
    contract = contract_on(s, client, work.on)
    ensure_open(s, work.on)
    plan = plan_work(work, contract, _standing(s, contract, work), policy, tz, now)
    new = store.NewEntry(
        contract=contract,
        on=work.on,
        minutes=plan.minutes,
        type=EntryType.WORK,
        by=user,
        note=work.note,
        ticket=ticket,
        kind=work.kind,
        started_at=plan.started_at,
    )
    saved = store.add_entry(s, new)
    return Logged(saved, contract, plan.balance_after, plan.overdraft, plan.dev_over_cap)


def _standing(s: Session, contract: ContractRecord, work: WorkLog) -> Standing:
    """What the entry's rules need from the ledger: a package's balance, the month's development."""
    package = store.package_balance(s, contract) if contract.billing == Billing.PACKAGE else None
    dev = 0
    if work.kind == WorkKind.DEV and contract.dev_cap_minutes is not None:
        dev = store.month_usage(s, [contract], Month.of(work.on))[contract.id].dev_minutes
    return Standing(package, dev)


def reverse(
    s: Session, original: EntryRecord, user: str, note: str | None, undo: bool
) -> EntryRecord:
    text = reversal_note(original, note, undo)
    lock_client(s, original.client_key)
    check_reversible(original, store.reversed_by(s, original.id))
    try:
        ensure_open(s, original.on)
    except ClosedPeriod as e:
        raise ClosedPeriod(
            f"entry {original.id} ({original.on.isoformat()}): {e.message}"
        ) from None
    try:
        return store.add_reversal(s, original, user, text)
    except store.AlreadyReversed:  # another process voided it first
        raise InputError(f"entry {original.id} is already voided") from None


def void(s: Session, entry_id: int, user: str, note: str | None = None) -> EntryRecord:
    """Reverse any entry once."""
    check_text(note, MAX_NOTE, "--note")
    user = check_author(user)
    original = store.entry(s, entry_id)
    if original is None:
        raise NotFound(f"there is no entry {entry_id}")
    return reverse(s, original, user, note, undo=False)


def undo_last(s: Session, user: str) -> EntryRecord:
    """Reverse the user's most recent work entry that is not reversed yet."""
    user = check_author(user)
    last = store.last_unreversed_work(s, user)
    if last is None:
        raise NotFound(f"{user} has no entry to undo")
    return reverse(s, last, user, None, undo=True)


def list_entries(s: Session, month: Month | None, client_key: str | None) -> list[EntryRecord]:
    return store.entries(s, month, client_id(s, client_key))


@dataclass(frozen=True)
class EntryQuery:
    """What `sla entries` asks for; days inclusive, every condition at once."""

    month: Month | None = None
    client_key: str | None = None
    ticket: str | None = None
    by: str | None = None
    kind: WorkKind | None = None
    since: date | None = None
    until: date | None = None

    @property
    def filtered(self) -> bool:
        return any(v is not None for v in vars(self).values())


def _filter(s: Session, q: EntryQuery) -> store.EntryFilter:
    if q.since is not None and q.until is not None and q.since > q.until:
        raise InputError(f"--since {q.since.isoformat()} is after --until {q.until.isoformat()}")
    ticket = None if q.ticket is None else normalise_ticket(q.ticket)
    by = None if q.by is None else q.by.strip()
    cid = client_id(s, q.client_key)
    return store.EntryFilter(q.month, cid, ticket, by, q.kind, q.since, q.until)


def stream_entries(s: Session, q: EntryQuery) -> Iterator[EntryRecord]:
    """Every entry asked for, oldest first, read as it is written out: memory stays flat."""
    return store.iter_entries(s, _filter(s, q))


def timesheet_of(s: Session, q: EntryQuery) -> Timesheet:
    """Who worked how long, by day and client, for the entries ``q`` asks for."""
    return timesheet(store.worked_by_day(s, _filter(s, q)))


def worked_entries(
    s: Session, month: Month | None, client_key: str | None
) -> Iterator[EntryRecord]:
    """The hours worked that count (no voids, nothing voided), oldest first: what exports carry."""
    return store.iter_entries(s, store.EntryFilter(month, client_id(s, client_key), worked=True))


def latest_entries(s: Session, q: EntryQuery, limit: int) -> tuple[list[EntryRecord], int]:
    """The latest ``limit`` entries asked for, oldest first, and how many there are in all."""
    return store.latest_entries(s, _filter(s, q), limit)
