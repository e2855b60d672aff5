"""The store interface over the standard library's ``sqlite3``: the fast path on an SQLite ledger.

The commands an engineer runs all day (logging hours, its undo, timers, incident events, Tab
completion) start in a fraction of the time SQLAlchemy takes to import. This adapter loads
facts and saves rows; the rules are the domain's, shared with the SQLModel store, the schema of
record: its migrations own the tables, and this module writes every value as SQLAlchemy does
(dates ``YYYY-MM-DD``, moments as UTC ``YYYY-MM-DD HH:MM:SS.ffffff``). It opens only a ledger
at the current schema revision (read inside its transaction); anything else (no file, another
revision, a database it cannot read) is handed over to the full store, which upgrades, copies
aside, or says exactly what is wrong.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from sla_cli.domain.kinds import EntryType
from sla_cli.domain.records import ClientRecord, ContractChange, ContractRecord, EntryRecord
from sla_cli.errors import LedgerError, SlaError, damaged, ledger_failure
from sla_cli.store import convert
from sla_cli.store.lite_rows import as_row, row_clock, stored_moment
from sla_cli.store.lite_sql import (
    _BALANCE,
    _CHANGES,
    _CONTRACT_ON,
    _DAY_MINUTES,
    _ENTRY,
    _FIRST_WORK,
    _KEYS,
    _LAST_WORK,
    _LATEST,
    _OPEN_TICKETS,
    _RUNNING,
)
from sla_cli.store.port import AlreadyEnded, AlreadyReversed, NewEntry, NewTimer
from sla_cli.store.revisions import SCHEMA_HEAD
from sla_cli.store.sqlite_url import SqliteTarget, file_kind, refuse_write, sqlite_target

if TYPE_CHECKING:
    from sla_cli.domain.billing import MonthUsage, PackageBalance
    from sla_cli.domain.incidents import IncidentRecord, NewEvent
    from sla_cli.domain.month import Month
    from sla_cli.domain.timers import TimerRecord


class LiteStore:
    """One transaction on an SQLite ledger, through ``sqlite3``."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def _one(self, sql: str, params: Any = ()) -> Any:
        return self.conn.execute(sql, params).fetchone()

    def _all(self, sql: str, params: Any = ()) -> list[Any]:
        return self.conn.execute(sql, params).fetchall()

    def _plain(self, sql: str, params: Any = ()) -> list[tuple[Any, ...]]:
        """Rows as tuples: sums and single columns."""
        cur = self.conn.cursor()
        cur.row_factory = None
        return cur.execute(sql, params).fetchall()

    def _insert(self, table: str, values: dict[str, Any]) -> int:
        names = ", ".join(f'"{n}"' for n in values)
        marks = ", ".join("?" for _ in values)
        cur = self.conn.execute(
            f"INSERT INTO {table} ({names}) VALUES ({marks})", [*values.values()]
        )
        assert cur.lastrowid is not None
        return cur.lastrowid

    # clients and contracts

    def find_client(self, key: str) -> ClientRecord | None:
        row = self._one("SELECT * FROM clients WHERE key = ?", (key.upper(),))
        return None if row is None else convert.client_record(row)

    def known_keys(self) -> list[str]:
        return [r.key for r in self._all("SELECT key FROM clients ORDER BY key")]

    def contract_on(self, client_id: int, on: date) -> ContractRecord | None:
        row = self._one(_CONTRACT_ON, {"client": client_id, "on": on.isoformat()})
        if row is None:
            return None
        client = self._one("SELECT * FROM clients WHERE id = ?", (client_id,))
        found = convert.contract_record(row, client)
        changes = self._changes(row.id)
        return found._replace(changes=changes) if changes else found

    def _changes(self, contract_id: int) -> tuple[ContractChange, ...]:
        return tuple(convert.change_record(c) for c in self._all(_CHANGES, (contract_id,)))

    # locks: a writing transaction holds SQLite's write lock from its BEGIN IMMEDIATE

    def lock_client(self, key: str) -> None:
        pass

    def lock_user(self, user: str) -> None:
        pass

    def lock_for_write(self) -> None:
        pass

    def is_closed(self, month: Month) -> bool:
        return self._one("SELECT 1 FROM closed_months WHERE month = ?", (str(month),)) is not None

    # entries

    def package_balance(
        self, contract: ContractRecord, before: Month | None = None
    ) -> PackageBalance:
        bound = "9999-12" if before is None else str(before)
        close = self._one(
            "SELECT month, closing_balance_minutes FROM closings WHERE contract_id = ? "
            "AND month < ? ORDER BY month DESC LIMIT 1",
            (contract.id, bound),
        )
        last = None if close is None else (close.month, close.closing_balance_minutes)
        since = convert.balance_since(last, contract.start)
        end = "9999-12-31" if before is None else before.first_day.isoformat()
        rows = self._plain(
            _BALANCE, {"contract": contract.id, "since": since.isoformat(), "before": end}
        )
        return convert.package_balance(last, rows)

    def day_minutes(self, by: str, on: date) -> int:
        return int(self._plain(_DAY_MINUTES, (by, on.isoformat()))[0][0])

    def month_usage(self, contracts: list[ContractRecord], month: Month) -> dict[int, MonthUsage]:
        first, nxt = month.bounds
        ids = [c.id for c in contracts]
        marks = ", ".join("?" for _ in ids)
        rows = self._plain(
            "SELECT contract_id, category, kind, sum(minutes), sum(amount_kopecks) "
            f'FROM entries WHERE contract_id IN ({marks}) AND "on" >= ? AND "on" < ? '
            "AND category IN ('work', 'topup') GROUP BY contract_id, category, kind",
            (*ids, first.isoformat(), nxt.isoformat()),
        )
        return convert.month_usages(
            contracts, rows, lambda c: self.package_balance(c, month).opening_of(month)
        )

    def _entry(self, values: dict[str, Any], client_key: str) -> EntryRecord:
        now = row_clock()
        stored = {
            **values,
            "on": values["on"].isoformat(),
            "started_at": stored_moment(values["started_at"]),
            "created_at": stored_moment(now),
        }
        row = SimpleNamespace(**values, id=self._insert("entries", stored), created_at=now)
        return convert.entry_record(row, client_key)

    def add_entry(self, new: NewEntry) -> EntryRecord:
        return self._entry(
            {
                "contract_id": new.contract.id,
                "client_id": new.contract.client.id,
                "ticket": new.ticket,
                "on": new.on,
                "minutes": new.minutes,
                "type": new.type.value,
                "category": new.type.value,
                "kind": None if new.kind is None else new.kind.value,
                "amount_kopecks": None if new.amount is None else convert.to_kopecks(new.amount),
                "started_at": new.started_at,
                "by": new.by,
                "note": new.note,
                "reverses": None,
            },
            new.contract.client.key,
        )

    def add_reversal(self, original: EntryRecord, by: str, note: str) -> EntryRecord:
        amount = original.amount
        values = {
            "contract_id": original.contract_id,
            "client_id": original.client_id,
            "ticket": original.ticket,
            "on": original.on,
            "minutes": -original.minutes,
            "type": EntryType.REVERSAL.value,
            "category": original.category.value,
            "kind": None if original.kind is None else original.kind.value,
            "amount_kopecks": None if amount is None else -convert.to_kopecks(amount),
            "started_at": None,
            "by": by,
            "note": note,
            "reverses": original.id,
        }
        try:
            return self._entry(values, original.client_key)
        except sqlite3.IntegrityError:
            raise AlreadyReversed from None

    def entry(self, entry_id: int) -> EntryRecord | None:
        if not 0 < entry_id < 2**63:
            return None
        row = self._one(f"{_ENTRY} WHERE e.id = ?", (entry_id,))
        return None if row is None else convert.entry_record(row, row.client_key)

    def reversed_by(self, entry_id: int) -> int | None:
        row = self._one("SELECT id FROM entries WHERE reverses = ?", (entry_id,))
        return None if row is None else int(row.id)

    def last_unreversed_work(self, user: str) -> EntryRecord | None:
        row = self._one(_LAST_WORK, (user,))
        return None if row is None else convert.entry_record(row, row.client_key)

    # timers

    def running_timers(self, user: str | None) -> list[TimerRecord]:
        rows = self._all(_RUNNING, {"by": user})
        return [convert.timer_record(r, r.client_key) for r in rows]

    def add_timer(self, new: NewTimer) -> TimerRecord:
        values = {
            "client_id": new.client.id,
            "ticket": new.ticket,
            "kind": new.kind.value,
            "note": new.note,
            "started_at": new.started_at,
            "by": new.by,
        }
        stored = {
            **values,
            "started_at": stored_moment(new.started_at),
            "created_at": stored_moment(row_clock()),
        }
        row = SimpleNamespace(**values, id=self._insert("timers", stored))
        return convert.timer_record(row, new.client.key)

    def end_timer(self, timer_id: int, entry_id: int | None, user: str) -> None:
        values = {
            "timer_id": timer_id,
            "outcome": "discarded" if entry_id is None else "logged",
            "entry_id": entry_id,
            "by": user,
            "created_at": stored_moment(row_clock()),
        }
        try:
            self._insert("timer_ends", values)
        except sqlite3.IntegrityError:
            raise AlreadyEnded(timer_id) from None

    # incidents

    def latest_incident(
        self, client_id: int, ticket: str, open_only: bool
    ) -> IncidentRecord | None:
        found = self._one(_LATEST, {"ticket": ticket, "client": client_id, "open": open_only})
        return None if found is None else self._incident(found.id)

    def _incident(self, incident_id: int) -> IncidentRecord:
        row = self._one("SELECT * FROM incidents WHERE id = ?", (incident_id,))
        client = self._one("SELECT * FROM clients WHERE id = ?", (row.client_id,))
        contract = self._one("SELECT * FROM contracts WHERE id = ?", (row.contract_id,))
        work = self._one(_FIRST_WORK, (incident_id,))
        logged, timer = work.logged_at, work.timer_at
        first = logged if timer is None else timer if logged is None else min(timer, logged)
        events = tuple(
            convert.event_record(e)
            for e in self._all(
                "SELECT * FROM incident_events WHERE incident_id = ? ORDER BY id", (incident_id,)
            )
        )
        changes = self._changes(contract.id)
        return convert.incident_record(row, client, contract, first, events, changes)

    def add_event(self, incident_id: int, new: NewEvent, by: str) -> IncidentRecord:
        self._insert(
            "incident_events",
            {
                "incident_id": incident_id,
                "kind": new.kind.value,
                "at": stored_moment(new.at),
                "undoes": None if new.undoes is None else new.undoes.id,
                "note": new.note,
                "by": by,
                "created_at": stored_moment(row_clock()),
                "value": new.value,
            },
        )
        return self._incident(incident_id)

    # completion

    def completions(self, which: str, prefix: str) -> list[str]:
        """Client keys (``keys``) or open incidents' tickets (``tickets``) matching a LIKE
        pattern ``prefix``."""
        sql = _OPEN_TICKETS if which == "tickets" else _KEYS
        return [row[0] for row in self._plain(sql, {"prefix": prefix})]


def sqlite_file(url: str) -> Path | None:
    """The file of an ``sqlite:///PATH`` URL (``?mode=ro`` too); None for another database."""
    try:
        target = sqlite_target(url)
    except SlaError:
        return None
    return None if target is None else target.path


def _connect(target: SqliteTarget, timeout: float, write: bool) -> sqlite3.Connection | None:
    """A connection at the current revision, its transaction begun; None: hand over.

    Only a file that already is an SQLite database in WAL mode (every ledger is) is opened
    here: an empty file, another program's database or anything else goes to the full store,
    which says what it is and leaves it as it is (setting a journal mode, as opening for
    writing here would, writes into the file)."""
    if file_kind(target.path) != "wal":
        return None
    try:
        conn = sqlite3.connect(target.uri(), timeout=timeout, isolation_level=None, uri=True)
    except sqlite3.Error:
        return None
    try:
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA query_only = {int(not write)}")
    except (sqlite3.Error, UnicodeDecodeError):  # the full store says what is wrong
        conn.close()
        return None
    try:
        conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        version = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError as e:
        conn.close()
        if _busy(e):
            raise
        return None
    except (sqlite3.Error, UnicodeDecodeError):  # the full store says what is wrong
        conn.close()
        return None
    if version is None or version[0] != SCHEMA_HEAD:
        conn.execute("ROLLBACK")
        conn.close()
        return None
    conn.row_factory = as_row
    return conn


def _busy(e: sqlite3.Error) -> bool:
    return any(word in str(e).lower() for word in ("locked", "busy"))


@contextmanager
def transaction(url: str, timeout: float, write: bool) -> Iterator[LiteStore | None]:
    """One transaction on the SQLite ledger at ``url`` (committed when the block ends, when
    ``write``; rolled back otherwise and on any error), or None when the full store must open
    it. A busy ledger is unavailable, a refused write is the database's refusal: in the words
    the full store uses."""
    target = sqlite_target(url)
    if target is not None and target.read_only and write:
        raise refuse_write(str(target.path))
    try:
        conn = None if target is None else _connect(target, timeout, write)
    except sqlite3.Error as e:
        raise _failure(url, e) from None
    if conn is None:
        yield None
        return
    try:
        yield LiteStore(conn)
        if write:
            conn.execute("COMMIT")
    except sqlite3.Error as e:
        raise _failure(url, e) from None
    except UnicodeDecodeError:  # a row's text as SQLite holds it is not UTF-8
        raise damaged(url) from None
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        conn.close()


def _failure(url: str, e: sqlite3.Error) -> LedgerError:
    reason = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    return ledger_failure(url, reason, _busy(e), "refused")
