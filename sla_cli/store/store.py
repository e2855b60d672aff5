"""The store: every read and write the operations use, in one transaction on the ledger.

One class over one driver (``store.db``): ``sqlite3`` for an SQLite ledger, psycopg for a
PostgreSQL one. Each query is written once, in the part of the store that holds its tables.
A transaction opens only a ledger at the current schema revision; anything else (no file,
another revision, a database that is no ledger) is the schema's work (``store.engine``), which
upgrades, copies aside, or says exactly what is wrong: the caller hands over to it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from sla_cli.errors import LedgerError, damaged
from sla_cli.store import failures
from sla_cli.store.contracts import Contracts
from sla_cli.store.db import Db, SqliteDb, Unreadable
from sla_cli.store.documents import Documents
from sla_cli.store.entries import Entries
from sla_cli.store.guard_checks import GuardChecks
from sla_cli.store.imports import Imports
from sla_cli.store.incidents import Incidents
from sla_cli.store.mail import Mail
from sla_cli.store.months import Months
from sla_cli.store.notices import Notices
from sla_cli.store.revisions import SCHEMA_HEAD
from sla_cli.store.roles import Roles
from sla_cli.store.seals import Seals
from sla_cli.store.sqlite_url import SqliteTarget, file_kind, refuse_write, sqlite_target
from sla_cli.store.timers import Timers
from sla_cli.store.trend_sums import TrendSums

CLIENT_LOCKS = 0x51A_C11  # the first key of pg_advisory_xact_lock(int, int): the client locks
USER_LOCKS = 0x51A_05E  # and the engineers' (one running timer each)


class Store(
    Contracts,
    Entries,
    Incidents,
    Months,
    Seals,
    Timers,
    Imports,
    Documents,
    Notices,
    Mail,
    GuardChecks,
    TrendSums,
    Roles,
):
    """One transaction on the ledger: the facts the rules need, and the rows they decided on.

    Rows are stamped ``created_at`` by the real clock (PostgreSQL's on a shared ledger).
    """

    @property
    def where(self) -> str:
        return self.db.where

    def discard(self) -> None:
        """Roll the transaction back when it ends, whatever it wrote (a dry run)."""
        self.db.discarded = True

    def wrote_much(self) -> None:
        """The transaction changes much of the ledger (an import, a month close): SQLite's
        statistics are refreshed with it, so that the query planner keeps choosing the indexes
        it should (PostgreSQL's autovacuum keeps its own)."""
        self.db.analyse = True

    # Per-client locks: on PostgreSQL every "check, then insert" of a client's ledger (a
    # package's balance before a log, the contracts a new one must not overlap, the one open
    # incident of a ticket) takes a transaction-scoped advisory lock on the client first, so
    # two commands at once see each other's rows instead of both passing the check. SQLite
    # needs none: every writing transaction there is BEGIN IMMEDIATE, one writer at a time.
    # Taken before the month-close lock (shared); month close takes only its own.

    def lock_client(self, key: str) -> None:
        """Wait for any other write on the client ``key`` (a new client's key too) to commit."""
        self.db.lock(CLIENT_LOCKS, key.strip().upper())

    def lock_user(self, user: str) -> None:
        """Wait for any other change to ``user``'s timer to commit (taken before a client's)."""
        self.db.lock(USER_LOCKS, user)

    def completions(self, which: str, prefix: str) -> list[str]:
        """Client keys (``keys``) or open incidents' tickets (``tickets``) matching a LIKE
        pattern ``prefix``."""
        if which == "tickets":
            return self.open_tickets(prefix)
        return self.db.column(
            "SELECT key FROM clients WHERE key LIKE :prefix ESCAPE '\\' ORDER BY key LIMIT 200",
            {"prefix": prefix},
        )


@contextmanager
def transaction(url: str, timeouts: tuple[int, int, int], write: bool) -> Iterator[Store | None]:
    """One transaction on the ledger at ``url`` (committed when the block ends, when
    ``write``; rolled back otherwise and on any error), or None when the schema's work must
    open it first (``store.engine``). ``timeouts``: connect, lock and statement, in seconds."""
    if url.startswith("sqlite:"):
        with _sqlite(url, timeouts[1], write) as db:
            yield None if db is None else Store(db)
        return
    from sla_cli.store import pg

    with pg.transaction(url, timeouts, write) as found:
        yield None if found is None else Store(found)


def _connect(target: SqliteTarget, timeout: float, write: bool) -> sqlite3.Connection | None:
    """A connection at the current revision, its transaction begun; None: hand over.

    Only a file that already is an SQLite database is opened here, and for writing only in WAL
    mode (every ledger is; a copy may have lost it): an empty file, another program's database
    or anything else goes to the schema's work, which says what it is and leaves it as it is,
    or sets WAL mode again before a write (setting a journal mode writes into the file, so a
    command that only reads never does)."""
    if file_kind(target.path) not in (("wal",) if write else ("wal", "sqlite")):
        return None
    try:
        conn = sqlite3.connect(
            target.uri(), timeout=timeout, isolation_level=None, uri=True,
            detect_types=sqlite3.PARSE_DECLTYPES,
        )  # fmt: skip
    except sqlite3.Error:
        return None
    try:
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA query_only = {int(not write)}")
    except (sqlite3.Error, UnicodeDecodeError):  # the schema's work says what is wrong
        conn.close()
        return None
    try:
        conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        version = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError as e:
        conn.close()
        if failures.busy(e):
            raise
        return None
    except (sqlite3.Error, UnicodeDecodeError):
        conn.close()
        return None
    if version is None or version[0] != SCHEMA_HEAD:
        conn.execute("ROLLBACK")
        conn.close()
        return None
    return conn


@contextmanager
def _sqlite(url: str, timeout: float, write: bool) -> Iterator[Db | None]:
    target = sqlite_target(url)
    if target is not None and target.read_only and write:
        raise refuse_write(str(target.path))
    where = url
    try:
        conn = None if target is None else _connect(target, timeout, write)
    except sqlite3.Error as e:
        raise _failure(where, e) from None
    if conn is None:
        yield None
        return
    try:
        db = SqliteDb(conn, where)
        yield db
        if write and not db.discarded:
            if db.analyse:
                analyse(conn)
            conn.execute("COMMIT")
    except sqlite3.Error as e:
        raise _failure(where, e) from None
    except (UnicodeDecodeError, Unreadable):  # a row's text is not UTF-8, or not its type's
        raise damaged(where) from None
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        conn.close()


def analyse(conn: sqlite3.Connection) -> None:
    """Refresh SQLite's statistics, sampling at most a thousand rows an index (milliseconds,
    whatever the ledger's size)."""
    conn.execute("PRAGMA analysis_limit = 1000")
    conn.execute("ANALYZE")


def _failure(where: str, e: sqlite3.Error) -> LedgerError:
    from sla_cli.errors import ledger_failure

    return ledger_failure(where, failures.reason(e), failures.busy(e), "refused")
