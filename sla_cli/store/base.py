"""What every part of the store shares: the driver it runs on, and the rows it is asked to
write. Nothing here imports a database library."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from sla_cli.domain.kinds import EntryType, WorkKind
    from sla_cli.domain.records import ClientRecord, ContractRecord
    from sla_cli.store.db import Db

__all__ = ["AlreadyEnded", "AlreadyReversed", "NewEntry", "NewTimer", "Part"]


class AlreadyReversed(Exception):
    """Another writer reversed the entry first (the unique ``reverses`` column said so)."""


class AlreadyEnded(Exception):
    """Another command ended the timer first (the unique ``timer_id`` of its end said so)."""


class NewEntry(NamedTuple):
    """An entry to append."""

    contract: ContractRecord
    on: date
    minutes: int
    type: EntryType
    by: str
    note: str | None = None
    ticket: str | None = None
    kind: WorkKind | None = None
    amount: Decimal | None = None
    started_at: datetime | None = None


class NewTimer(NamedTuple):
    """A timer to start."""

    client: ClientRecord
    ticket: str
    kind: WorkKind
    note: str | None
    started_at: datetime
    by: str


class Part:
    """A part of the store (``store.Store``): the queries on some of the ledger's tables, run
    in one transaction through ``db``."""

    def __init__(self, db: Db) -> None:
        self.db = db
