"""The store interface the everyday operations use, and the records they save.

Two adapters implement it: ``store.gateway.SqlStore`` over a SQLModel session (every backend, and
every command), and ``store.lite.LiteStore`` over the standard library's ``sqlite3`` (an SQLite
ledger at the current schema, for the commands an engineer runs all day: logging, undo, timers,
incident events, completion). The rules live in the domain and the operations; an adapter only
loads facts and saves rows, so the two must leave the same rows behind.

Nothing here imports a database library: the fast path imports this module.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple, Protocol

if TYPE_CHECKING:
    from sla_cli.domain.billing import MonthUsage, PackageBalance
    from sla_cli.domain.incidents import IncidentRecord, NewEvent
    from sla_cli.domain.kinds import EntryType, WorkKind
    from sla_cli.domain.month import Month
    from sla_cli.domain.records import ClientRecord, ContractRecord, EntryRecord
    from sla_cli.domain.timers import TimerRecord

__all__ = ["AlreadyEnded", "AlreadyReversed", "NewEntry", "NewTimer", "Store"]


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


class Store(Protocol):
    """One transaction on the ledger: the facts the rules need, and the rows they decided on.

    Rows are stamped ``created_at`` by the real clock (PostgreSQL's on a shared ledger).
    """

    # clients and contracts
    def find_client(self, key: str) -> ClientRecord | None: ...
    def known_keys(self) -> list[str]: ...
    def contract_on(self, client_id: int, on: date) -> ContractRecord | None:
        """The client's contract (not cancelled) active on ``on``."""
        ...

    # locks (PostgreSQL; SQLite's writing transactions hold the write lock from their start)
    def lock_client(self, key: str) -> None: ...
    def lock_user(self, user: str) -> None: ...
    def lock_for_write(self) -> None:
        """Before a write dated in a month: wait for any month close under way."""
        ...

    def is_closed(self, month: Month) -> bool: ...

    # entries
    def package_balance(
        self, contract: ContractRecord, before: Month | None = None
    ) -> PackageBalance: ...
    def month_usage(
        self, contracts: list[ContractRecord], month: Month
    ) -> dict[int, MonthUsage]: ...
    def day_minutes(self, by: str, on: date) -> int:
        """What ``by`` has logged on ``on`` that counts (voided entries left out)."""
        ...

    def add_entry(self, new: NewEntry) -> EntryRecord: ...
    def add_reversal(self, original: EntryRecord, by: str, note: str) -> EntryRecord:
        """Raises ``AlreadyReversed`` when another writer reversed it first."""
        ...

    def entry(self, entry_id: int) -> EntryRecord | None: ...
    def reversed_by(self, entry_id: int) -> int | None: ...
    def last_unreversed_work(self, user: str) -> EntryRecord | None: ...

    # timers
    def running_timers(self, user: str | None) -> list[TimerRecord]:
        """Timers not ended yet (``user``'s, or everyone's), oldest first."""
        ...

    def add_timer(self, new: NewTimer) -> TimerRecord: ...
    def end_timer(self, timer_id: int, entry_id: int | None, user: str) -> None:
        """Logged as ``entry_id``, or discarded (None); raises ``AlreadyEnded``."""
        ...

    # incidents
    def latest_incident(
        self, client_id: int, ticket: str, open_only: bool
    ) -> IncidentRecord | None:
        """The ticket's latest incident not cancelled (or its open one)."""
        ...

    def add_event(self, incident_id: int, new: NewEvent, by: str) -> IncidentRecord:
        """Append an event; the incident as it stands after it."""
        ...
