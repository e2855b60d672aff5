"""Importing hours: every row through the rules of `sla log`, all or nothing, each row once.

A row is known by its identity, whatever file it comes in: a Watson frame by its id, any other
row by its normalised content (date, duration, ticket, author, start, note). A row imported
before is refused, or skipped when asked.

The facts the rules need (a ticket's client, the contract of a day, closed months, a package's
balance, a month's development, an engineer's day) are loaded once each and kept up to date in
memory as rows are planned, so ten thousand rows cost a handful of queries and one insert.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sla_cli.domain.billing import PackageBalance
from sla_cli.domain.kinds import Billing, EntryType, WorkKind
from sla_cli.domain.month import Month
from sla_cli.domain.records import ClientRecord, ContractRecord
from sla_cli.domain.text import MAX_NOTE, check_author, check_text, normalise_ticket
from sla_cli.domain.work import Standing, WorkLog, WorkPolicy, check_work, plan_work
from sla_cli.errors import InputError, SlaError
from sla_cli.importing import ImportRow
from sla_cli.ops.lookup import covering, ensure_open, ticket_client
from sla_cli.store.base import NewEntry

if TYPE_CHECKING:
    from sla_cli.store.store import Store


@dataclass(frozen=True)
class Imported:
    rows: int
    minutes: int
    first: date | None
    last: date | None
    written: bool  # False: a dry run
    skipped: int = 0  # rows imported before, skipped (`--skip-known`)


@dataclass
class _Facts:
    """What the rules read, loaded once and kept up to date as rows are planned."""

    clients: dict[tuple[str, str | None], ClientRecord] = field(default_factory=dict)
    contracts: dict[int, tuple[ContractRecord, ...]] = field(default_factory=dict)  # by client
    open_months: set[Month] = field(default_factory=set)
    packages: dict[int, PackageBalance] = field(default_factory=dict)
    dev: dict[tuple[int, Month], int] = field(default_factory=dict)
    days: dict[tuple[str, date], int] = field(default_factory=dict)  # by author and date
    names: _Names = field(default_factory=lambda: _Names())


class _Names:
    """Authors and tickets as the rules spell them (``check_author``, ``normalise_ticket``),
    each distinct one checked once: a year's history names a few of each on many rows."""

    def __init__(self) -> None:
        self._authors: dict[str, str] = {}
        self._tickets: dict[str, str] = {}

    def author(self, name: str) -> str:
        found = self._authors.get(name)
        if found is None:  # a name refused is checked (and refused) again on each row
            found = self._authors[name] = check_author(name)
        return found

    def ticket(self, ticket: str) -> str:
        found = self._tickets.get(ticket)
        if found is None:
            found = self._tickets[ticket] = normalise_ticket(ticket)
        return found


def import_rows(
    s: Store, rows: list[ImportRow], source: str, policy: WorkPolicy, zone: str, user: str,
    now: datetime, dry_run: bool, skip_known: bool = False,
) -> Imported:  # fmt: skip
    """Plan every row as `sla log` would, then write them all in one statement (unless
    ``dry_run``); any row refused refuses the file, naming its line. A row imported before (or
    twice in the file) is refused too, unless ``skip_known`` skips it."""
    if not rows:
        raise InputError("the file holds no rows to import")
    done = s.imported_from(source)
    if done is not None and not skip_known:
        raise InputError(
            f"this file was imported already (entries {done[0]} to {done[1]}); nothing was "
            "written (--skip-known skips the rows imported before)"
        )
    names = _Names()
    keyed = [(row, _identity(row, user, names)) for row in rows]
    facts = _Facts(days=_day_totals(s, rows, user, names), names=names)
    known = {} if done is not None else s.known_rows([k for _, k in keyed])
    planned: list[tuple[NewEntry, int, str]] = []
    seen: dict[str, int] = {}
    skipped = 0
    for row, key in keyed:
        if key in seen:  # twice in this file: which one is real is not for the import to guess
            raise InputError(
                f"line {row.line} repeats line {seen[key]} ({_same(row)}); a row is imported "
                "once: tell them apart (a note), or drop one; nothing was written"
            )
        seen[key] = row.line
        if done is not None or key in known:
            if not skip_known:
                where = f"entry {known[key]}" if key in known else "this very file"
                raise InputError(
                    f"line {row.line}: imported already ({where}: {_same(row)}); nothing was "
                    "written (--skip-known skips the rows imported before)"
                )
            skipped += 1
            continue
        try:
            planned.append((_plan(s, facts, row, policy, zone, user, now), row.line, key))
        except SlaError as e:
            raise type(e)(f"line {row.line}: {e.message}; nothing was written") from None
    if not dry_run:
        s.add_imported(planned, source)
        s.wrote_much()
    days = [e.on for e, _, _ in planned]
    total = sum(e.minutes for e, _, _ in planned)
    first, last = (min(days), max(days)) if days else (None, None)
    return Imported(len(planned), total, first, last, not dry_run, skipped)


def _same(row: ImportRow) -> str:
    """What makes a row the same as another."""
    if row.identity is not None:
        return f"Watson frame {row.identity!r}"
    return "the same date, duration, ticket, author, start and note"


def _identity(row: ImportRow, user: str, names: _Names) -> str:
    """What a row is known by: its Watson frame's id, else its content as `sla log` reads it
    (SHA-256, hex). A row that fails the rules gets one too; it is refused when planned."""
    import hashlib
    import json

    if row.identity is not None:
        content: list[object] = ["watson", row.identity]
    else:
        w = row.work
        try:
            ticket, by = names.ticket(w.ticket), names.author(row.by or user)
        except SlaError:
            ticket, by = w.ticket, row.by or user
        start = None if w.start is None else w.start.strftime("%H:%M")
        content = ["row", w.on.isoformat(), w.minutes, ticket, by, start, w.note]
    return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()


def _plan(
    s: Store, facts: _Facts, row: ImportRow, policy: WorkPolicy, zone: str, user: str,
    now: datetime,
) -> NewEntry:  # fmt: skip
    work = row.work
    ticket = facts.names.ticket(work.ticket)  # checked as text first, then as a name
    check_text(work.note, MAX_NOTE, "the note")
    by = facts.names.author(row.by or user)
    tz = ZoneInfo(zone)
    check_work(work, ticket, by, now.astimezone(tz).date())
    contract = _contract(s, facts, ticket, work.client_key, work.on)
    month = Month.of(work.on)
    if month not in facts.open_months:
        ensure_open(s, work.on)
        facts.open_months.add(month)
    plan = plan_work(work, contract, _standing(s, facts, contract, work, by),
                     policy, tz, now)  # fmt: skip
    if contract.id in facts.packages:
        facts.packages[contract.id] = facts.packages[contract.id].with_change(month, -plan.minutes)
    if work.kind == WorkKind.DEV and (contract.id, month) in facts.dev:
        facts.dev[contract.id, month] += plan.minutes
    facts.days[by, work.on] += plan.minutes
    return NewEntry(
        contract=contract, on=work.on, minutes=plan.minutes, type=EntryType.WORK, by=by,
        note=work.note, ticket=ticket, kind=work.kind, started_at=plan.started_at,
    )  # fmt: skip


def _day_totals(
    s: Store, rows: list[ImportRow], user: str, names: _Names
) -> dict[tuple[str, date], int]:
    """What each author of the rows has logged on each day the rows span, in one query."""
    authors = set()
    for row in rows:
        try:
            authors.add(names.author(row.by or user))
        except SlaError:
            continue  # refused when its row is planned
    days = [row.work.on for row in rows]
    return s.day_totals(sorted(authors), min(days), max(days)) if rows else {}


def _contract(
    s: Store, facts: _Facts, ticket: str, client_key: str | None, on: date
) -> ContractRecord:
    key = (ticket.partition("-")[0], client_key)
    if key not in facts.clients:
        facts.clients[key] = client = ticket_client(s, ticket, client_key)
        s.lock_client(client.key)
    client = facts.clients[key]
    if client.id not in facts.contracts:  # once a client, whatever the days its rows name
        facts.contracts[client.id] = s.client_contracts(client.id)
    return covering(client, facts.contracts[client.id], on)


def _standing(
    s: Store, facts: _Facts, contract: ContractRecord, work: WorkLog, by: str
) -> Standing:
    month, on = Month.of(work.on), work.on
    if contract.billing == Billing.PACKAGE and contract.id not in facts.packages:
        facts.packages[contract.id] = s.package_balance(contract)
    dev = work.kind == WorkKind.DEV and contract.dev_cap_minutes is not None
    if dev and (contract.id, month) not in facts.dev:  # development's cap, as `sla log` reads it
        usage = s.month_usage([contract], month)[contract.id]
        facts.dev[contract.id, month] = usage.dev_minutes
    facts.days.setdefault((by, on), 0)
    return Standing(
        facts.packages.get(contract.id),
        facts.dev.get((contract.id, month), 0),
        facts.days[by, on],
    )
