"""Logging hours, reversing entries, listing the ledger."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple
from zoneinfo import ZoneInfo

from sla_cli.domain.kinds import Billing, EntryType, WorkKind
from sla_cli.domain.month import Month
from sla_cli.domain.records import ContractRecord, EntryRecord
from sla_cli.domain.reversals import check_reversible, reversal_note
from sla_cli.domain.text import MAX_NOTE, MAX_TICKET, check_author, check_text, normalise_ticket
from sla_cli.domain.work import (
    DevOverCap,
    Overdraft,
    Standing,
    WorkLog,
    WorkPolicy,
    check_work,
    levels_passed,
    plan_work,
)
from sla_cli.errors import ClosedPeriod, InputError, NotFound
from sla_cli.ops.lookup import contract_on, ensure_open, ticket_client
from sla_cli.store.base import AlreadyReversed, NewEntry

if TYPE_CHECKING:
    from sla_cli.store.store import Store


class Logged(NamedTuple):
    entry: EntryRecord
    contract: ContractRecord
    balance: int | None  # package contracts: the balance after this entry
    overdraft: Overdraft | None
    dev_over_cap: DevOverCap | None = None
    used: tuple[int, int, list[int]] | None = None  # the month's use, of included, levels passed


def log_work(
    s: Store, policy: WorkPolicy, zone: str, work: WorkLog, user: str, now: datetime
) -> Logged:
    """Append a work entry, rounded up to the billing increment."""
    check_text(work.ticket, MAX_TICKET, "the ticket")
    check_text(work.note, MAX_NOTE, "--note")
    user = check_author(user)
    ticket = normalise_ticket(work.ticket)
    tz = ZoneInfo(zone)
    check_work(work, ticket, user, now.astimezone(tz).date())
    client = ticket_client(s, ticket, work.client_key)
    s.lock_client(client.key)  # the balance and the month's development, read once at a time
    contract = contract_on(s, client, work.on)
    ensure_open(s, work.on)
    plan = plan_work(work, contract, _standing(s, contract, work, user), policy, tz, now)
    new = NewEntry(
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
    saved = s.add_entry(new)
    used = None
    if policy.used_percent and contract.burns and contract.included_minutes:
        after = s.month_usage([contract], Month.of(work.on))[contract.id].used_minutes
        passed = levels_passed(policy.used_percent, contract.included_minutes,
                               after - plan.minutes, after)  # fmt: skip
        used = (after, contract.included_minutes, passed) if passed else None
    return Logged(saved, contract, plan.balance_after, plan.overdraft, plan.dev_over_cap, used)


def _standing(s: Store, contract: ContractRecord, work: WorkLog, by: str) -> Standing:
    """What the entry's rules need from the ledger: a package's balance, the month's
    development, the author's day."""
    package = s.package_balance(contract) if contract.billing == Billing.PACKAGE else None
    dev = 0
    if work.kind == WorkKind.DEV and contract.dev_cap_minutes is not None:
        dev = s.month_usage([contract], Month.of(work.on))[contract.id].dev_minutes
    return Standing(package, dev, s.day_minutes(by, work.on))


def reverse(
    s: Store, original: EntryRecord, user: str, note: str | None, undo: bool
) -> EntryRecord:
    text = reversal_note(original, note, undo)
    s.lock_client(original.client_key)
    check_reversible(original, s.reversed_by(original.id))
    try:
        ensure_open(s, original.on)
    except ClosedPeriod as e:
        raise ClosedPeriod(
            f"entry {original.id} ({original.on.isoformat()}): {e.message}"
        ) from None
    try:
        return s.add_reversal(original, user, text)
    except AlreadyReversed:  # another process voided it first
        raise InputError(f"entry {original.id} is already voided") from None


def void(s: Store, entry_id: int, user: str, note: str | None = None) -> EntryRecord:
    """Reverse any entry once."""
    check_text(note, MAX_NOTE, "--note")
    user = check_author(user)
    original = s.entry(entry_id)
    if original is None:
        raise NotFound(f"there is no entry {entry_id}")
    return reverse(s, original, user, note, undo=False)


def undo_last(s: Store, user: str) -> EntryRecord:
    """Reverse the user's most recent work entry that is not reversed yet."""
    user = check_author(user)
    last = s.last_unreversed_work(user)
    if last is None:
        raise NotFound(f"{user} has no entry to undo")
    return reverse(s, last, user, None, undo=True)
