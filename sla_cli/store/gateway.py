"""The store interface (``store.port.Store``) over a SQLModel session: every backend."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session

from sla_cli.domain.billing import MonthUsage, PackageBalance
from sla_cli.domain.incidents import IncidentRecord, NewEvent
from sla_cli.domain.month import Month
from sla_cli.domain.records import ClientRecord, ContractRecord, EntryRecord
from sla_cli.domain.timers import TimerRecord
from sla_cli.store import contracts, entries, incidents, locks, months, timers
from sla_cli.store.port import NewEntry, NewTimer


class SqlStore:
    """One SQLModel session's transaction, seen through the store interface."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def find_client(self, key: str) -> ClientRecord | None:
        return contracts.find_client(self.session, key)

    def known_keys(self) -> list[str]:
        return contracts.known_keys(self.session)

    def contract_on(self, client_id: int, on: date) -> ContractRecord | None:
        return contracts.contract_on(self.session, client_id, on)

    def lock_client(self, key: str) -> None:
        locks.lock_client(self.session, key)

    def lock_user(self, user: str) -> None:
        locks.lock_user(self.session, user)

    def lock_for_write(self) -> None:
        months.lock_for_write(self.session)

    def is_closed(self, month: Month) -> bool:
        return months.is_closed(self.session, month)

    def package_balance(
        self, contract: ContractRecord, before: Month | None = None
    ) -> PackageBalance:
        return entries.package_balance(self.session, contract, before)

    def month_usage(self, contracts: list[ContractRecord], month: Month) -> dict[int, MonthUsage]:
        return entries.month_usage(self.session, contracts, month)

    def day_minutes(self, by: str, on: date) -> int:
        return entries.day_minutes(self.session, by, on)

    def add_entry(self, new: NewEntry) -> EntryRecord:
        return entries.add_entry(self.session, new)

    def add_reversal(self, original: EntryRecord, by: str, note: str) -> EntryRecord:
        return entries.add_reversal(self.session, original, by, note)

    def entry(self, entry_id: int) -> EntryRecord | None:
        return entries.entry(self.session, entry_id)

    def reversed_by(self, entry_id: int) -> int | None:
        return entries.reversed_by(self.session, entry_id)

    def last_unreversed_work(self, user: str) -> EntryRecord | None:
        return entries.last_unreversed_work(self.session, user)

    def running_timers(self, user: str | None) -> list[TimerRecord]:
        return timers.running(self.session, user)

    def add_timer(self, new: NewTimer) -> TimerRecord:
        return timers.add_timer(self.session, new)

    def end_timer(self, timer_id: int, entry_id: int | None, user: str) -> None:
        timers.end_timer(self.session, timer_id, entry_id, user)

    def latest_incident(
        self, client_id: int, ticket: str, open_only: bool
    ) -> IncidentRecord | None:
        return incidents.latest(self.session, client_id, ticket, open_only)

    def add_event(self, incident_id: int, new: NewEvent, by: str) -> IncidentRecord:
        return incidents.add_event(self.session, incident_id, new, by)

    # beyond the interface: what only the full store does

    def add_incident(
        self, contract: ContractRecord, ticket: str, title: str | None, at: datetime,
        user: str, priority: str | None,
    ) -> IncidentRecord:  # fmt: skip
        return incidents.add_incident(self.session, contract, ticket, title, at, user, priority)

    def ticket_incidents(self, client_id: int, ticket: str) -> list[IncidentRecord]:
        return incidents.ticket_incidents(self.session, client_id, ticket)
