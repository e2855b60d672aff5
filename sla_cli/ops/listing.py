"""Listing the ledger's entries: filtered, streamed, summed by day."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from sla_cli.domain.kinds import WorkKind
from sla_cli.domain.month import Month
from sla_cli.domain.records import EntryRecord
from sla_cli.domain.text import normalise_ticket
from sla_cli.errors import InputError
from sla_cli.ops.lookup import client_id
from sla_cli.store.entries import EntryFilter

if TYPE_CHECKING:
    from sla_cli.domain.timesheet import Timesheet
    from sla_cli.store.store import Store


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


def _filter(s: Store, q: EntryQuery) -> EntryFilter:
    for flag, given in (("--ticket", q.ticket), ("--by", q.by)):
        if given is not None and not given.strip():  # would match nothing, and say nothing
            raise InputError(f"{flag} is empty; give a value, or leave {flag} out")
    if q.since is not None and q.until is not None and q.since > q.until:
        raise InputError(f"--since {q.since.isoformat()} is after --until {q.until.isoformat()}")
    ticket = None if q.ticket is None else normalise_ticket(q.ticket)
    by = None if q.by is None else q.by.strip()
    cid = client_id(s, q.client_key)
    return EntryFilter(q.month, cid, ticket, by, q.kind, q.since, q.until)


def stream_entries(s: Store, q: EntryQuery) -> Iterator[EntryRecord]:
    """Every entry asked for, oldest first, read as it is written out: memory stays flat."""
    return s.iter_entries(_filter(s, q))


def timesheet_of(s: Store, q: EntryQuery) -> Timesheet:
    """Who worked how long, by day and client, for the entries ``q`` asks for."""
    from sla_cli.domain.timesheet import timesheet

    return timesheet(s.worked_by_day(_filter(s, q)))


def worked_entries(s: Store, month: Month | None, client_key: str | None) -> Iterator[EntryRecord]:
    """The hours worked that count (no voids, nothing voided), oldest first: what exports carry."""
    return s.iter_entries(EntryFilter(month, client_id(s, client_key), worked=True))


def latest_entries(s: Store, q: EntryQuery, limit: int) -> tuple[Iterator[EntryRecord], int]:
    """The latest ``limit`` entries asked for, oldest first (read as they are written out),
    and how many there are in all."""
    return s.latest_entries(_filter(s, q), limit)


def last_entry_id(s: Store) -> int:
    return s.last_entry_id()
