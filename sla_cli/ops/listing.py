"""Listing the ledger's entries: filtered, streamed, summed by day (the full store)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from sla_cli.domain.kinds import WorkKind
from sla_cli.domain.month import Month
from sla_cli.domain.records import EntryRecord
from sla_cli.domain.text import normalise_ticket
from sla_cli.domain.timesheet import Timesheet, timesheet
from sla_cli.errors import InputError
from sla_cli.ops.lookup import client_id
from sla_cli.store import entries as store
from sla_cli.store.gateway import SqlStore


def list_entries(s: Session, month: Month | None, client_key: str | None) -> list[EntryRecord]:
    return store.entries(s, month, client_id(SqlStore(s), client_key))


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
    cid = client_id(SqlStore(s), q.client_key)
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
    return store.iter_entries(
        s, store.EntryFilter(month, client_id(SqlStore(s), client_key), worked=True)
    )


def latest_entries(s: Session, q: EntryQuery, limit: int) -> tuple[Iterator[EntryRecord], int]:
    """The latest ``limit`` entries asked for, oldest first (read as they are written out),
    and how many there are in all."""
    return store.latest_entries(s, _filter(s, q), limit)


def last_entry_id(s: Session) -> int:
    return store.last_entry_id(s)
