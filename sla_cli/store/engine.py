"""Opening a ledger: the engine, SQLite pragmas, and the schema brought to the latest migration.

The check that the schema is current is one cheap query; Alembic is imported only when a ledger
is created or upgraded.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from sla_cli.errors import LedgerError, NoLedger, OldSchema, damaged
from sla_cli.files import create_private, private_dir, sweep_leftovers
from sla_cli.store import failures
from sla_cli.store.backups import copy_ledger
from sla_cli.store.revisions import REVISIONS, SCHEMA_HEAD
from sla_cli.store.sqlite_url import file_kind, normalise_url, refuse_write, sqlite_target

if TYPE_CHECKING:
    from alembic.config import Config

    from sla_cli.store.store import Store

__all__ = ["REVISIONS", "SCHEMA_HEAD", "Ledger", "LedgerError", "Timeouts", "open_ledger"]

# The tables of a ledger at any revision: a database holding some of them is an sla ledger.
SLA_TABLES = frozenset(
    {"clients", "contracts", "entries", "closed_months", "closings", "incidents"}
)
MIGRATIONS = Path(__file__).with_name("migrations")
_PG_MIGRATION_LOCK = 0x5_1A_1ED6  # pg_advisory_xact_lock key for schema changes
READ_ONLY = "sla_read_only"  # the execution option of read-only transactions


@dataclass(frozen=True)
class Timeouts:
    """How long a command waits for the database, in seconds, before it gives up and says the
    ledger is unavailable: to connect (PostgreSQL), for a lock another command holds (a row
    lock, a month close, SQLite's write lock), and for one statement (PostgreSQL)."""

    connect: int = 10
    lock: int = 30
    statement: int = 120


@dataclass
class Ledger:
    engine: Engine
    url: str

    @property
    def display_url(self) -> str:
        return make_url(self.url).render_as_string(hide_password=True)

    @property
    def sqlite_path(self) -> Path | None:
        target = sqlite_target(self.url)
        return None if target is None else target.path

    def store(self, write: bool = True) -> AbstractContextManager[Store]:
        """One transaction through the store (``store.store``), on the ledger as this opened
        it (created or upgraded): committed when the block ends, when ``write``."""
        return _opened(self.url, write)


@contextmanager
def _opened(url: str, write: bool) -> Iterator[Store]:
    from sla_cli.store.store import transaction

    with transaction(url, (Timeouts.connect, Timeouts.lock, Timeouts.statement), write) as s:
        if s is None:
            raise LedgerError(f"the ledger {url} is not at schema revision {SCHEMA_HEAD}")
        yield s


def database_error(where: str, e: DBAPIError, verb: str) -> LedgerError:
    """SQLAlchemy's wrapping of the driver's error, in the ledger's words."""
    return failures.database_error(where, e.orig or e, verb, e.connection_invalidated)


def parse_url(url: str) -> URL:
    try:
        return make_url(url)
    except (ArgumentError, ValueError):
        raise LedgerError(
            f"cannot read the database URL {url!r}; use a SQLite file path or a URL "
            "like postgresql://user@host/db"
        ) from None


def make_engine(
    url: str, create: bool = False, timeouts: Timeouts | None = None, write: bool = True
) -> Engine:
    """The engine for ``url``. A SQLite file is created (readable by its owner only, in a
    folder made the same way) only when ``create`` says so; a file that is not a ledger yet
    (missing, or empty) is left as it is. A read-only URL (``?mode=ro``) refuses ``write``."""
    t = timeouts or Timeouts()
    u = parse_url(url)
    if u.get_backend_name() == "sqlite":
        target = sqlite_target(url)
        if target is not None:
            path = target.path
            if target.read_only and (create or write):
                raise refuse_write(str(path))
            if create:
                private_dir(path.parent)
                create_private(path)
            elif file_kind(path) in ("missing", "empty"):
                raise NoLedger(str(path))
            if path.exists() and not path.is_file():  # a device or a FIFO would block
                raise LedgerError(f"{path} is not a regular file, so it is no ledger; name a file")
            _refuse_foreign_file(path)
            if create:
                _ensure_wal(path)
            u = make_url(target.engine_url())
        engine = create_engine(u, connect_args={"timeout": t.lock}, poolclass=NullPool)
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    try:
        return _pg_engine(u, t)
    except (ImportError, SQLAlchemyError) as e:
        raise LedgerError(f"cannot use the database URL {u!r}: {e}") from None


def _ensure_wal(path: Path) -> None:
    """Keep an SQLite ledger in WAL mode (readers never wait for a writer): set when it is
    created, and again by a command that writes, should a copy have lost it. Never by a command
    that only reads, nor on a file that is not a ledger: the mode is written into the file."""
    try:
        conn = sqlite3.connect(path, timeout=1)
    except sqlite3.Error:
        return  # the engine says what is wrong with it
    try:
        if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
    except sqlite3.Error:
        pass  # busy, or not a database: the engine says so, or the next writer sets it
    finally:
        conn.close()


def _pg_engine(u: URL, t: Timeouts) -> Engine:
    """A PostgreSQL engine whose connections bound every wait (``store.pg``)."""
    from sla_cli.store import pg

    given = u.query.get("options", "")
    options = " ".join([given] if isinstance(given, str) else given)
    engine = create_engine(
        u,
        pool_pre_ping=False,
        connect_args=pg.connect_args(t.connect, t.lock, t.statement, options),
    )
    deadline = t.statement + pg.DEADLINE_SLACK

    def connect(_dialect: Any, _record: Any, cargs: Any, cparams: dict[str, Any]) -> Any:
        return pg.bounded_connect(deadline, cargs, cparams)

    event.listen(engine, "do_connect", connect)
    return engine


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN IMMEDIATE: writers queue up on the busy
    # timeout (the lock timeout, set as the driver's timeout) instead of failing when a read
    # lock cannot be upgraded. Nothing here writes to the file (the journal mode is set by
    # `_ensure_wal`): a read-only command opens it as it is.
    dbapi_connection.isolation_level = None
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA synchronous = NORMAL")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.close()


def _sqlite_begin(conn: Any) -> None:
    """Writers take the write lock as they begin; a read-only transaction never does."""
    read_only = conn.get_execution_options().get(READ_ONLY, False)
    conn.exec_driver_sql(f"PRAGMA query_only = {int(read_only)}")  # a write in it is refused
    conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def open_ledger(
    url: str, create: bool = False, write: bool = True, timeouts: Timeouts | None = None
) -> Ledger:
    """The ledger at ``url``, at the current schema.

    Only ``create`` makes a new ledger: a SQLite file that does not exist yet, or an empty
    database (a mistyped path or an empty PostgreSQL database is an error, not a new empty
    ledger). A ledger at an older revision is upgraded by a command that writes (``write``; an
    SQLite file is first copied aside) and refused by one that only reads; a revision this
    version does not know (a newer one) is refused before anything is copied or changed.
    """
    url = normalise_url(url)
    engine = make_engine(url, create, timeouts, write)
    ledger = Ledger(engine, url)
    try:
        version = schema_version(engine)
        path = ledger.sqlite_path
        if version is not None and write and path is not None:
            _ensure_wal(path)
        if version == SCHEMA_HEAD:
            return ledger
        refuse_foreign(ledger, version)
        if version is None and not create:
            raise NoLedger(ledger.display_url)
        if version is not None and version not in REVISIONS:
            raise LedgerError(
                f"the ledger {ledger.display_url} has schema version {version!r}, which this "
                "version of sla does not know (a newer one wrote it); upgrade sla. "
                "Nothing was changed or copied"
            )
        if version is not None and not write:
            raise OldSchema(ledger.display_url, version, SCHEMA_HEAD)
        upgrade(ledger)
    except DBAPIError as e:
        raise database_error(ledger.display_url, e, "cannot be opened") from None
    return ledger


def refuse_foreign(ledger: Ledger, version: str | None) -> None:
    """A database holding tables that are not a ledger's is never migrated: say so instead."""
    tables = set(inspect(ledger.engine).get_table_names())
    _check_tables(ledger.display_url, tables, version is not None)


def _check_tables(where: str, tables: set[str], versioned: bool) -> None:
    """A ledger's database is empty (a new ledger) or has its ``entries``."""
    tables = tables - {"alembic_version"}
    shown = ", ".join(sorted(tables)[:5]) + (", …" if len(tables) > 5 else "")
    if tables and not versioned and tables & SLA_TABLES:
        raise LedgerError(
            f"{where} holds sla tables ({shown}) but no schema version (its alembic_version "
            "table is missing or empty), so it cannot be told which migrations it has had; "
            "it was left as it is"
        )
    if (bool(tables) and not versioned) or (versioned and "entries" not in tables):
        raise LedgerError(
            f"{where} is not an sla ledger (its tables: {shown or 'none'}); it was left as it is"
        )


def _refuse_foreign_file(path: Path) -> None:
    """Look at a SQLite file read-only before the engine opens it (which switches it to WAL)."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return  # the engine says what is wrong with it
    try:
        names = {n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.Error:
        return
    except UnicodeDecodeError:  # a name (or SQLite's message naming it) that is not UTF-8
        raise damaged(str(path)) from None
    finally:
        conn.close()
    _check_tables(str(path), names, "alembic_version" in names)


def schema_version(engine: Engine) -> str | None:
    """The ledger's Alembic revision, or None for an empty database."""
    try:
        with engine.execution_options(**{READ_ONLY: True}).connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DBAPIError as e:
        refused = getattr(e.orig, "sqlstate", None) == "42501"  # a role that may not read it
        if not refused and ("alembic_version" in str(e.orig) or "no such table" in str(e.orig)):
            return None
        raise


def upgrade(ledger: Ledger) -> None:
    """Run the migrations up to head in one transaction, one process at a time.

    An existing SQLite ledger is first copied aside (with SQLite's backup API, WAL included);
    the copy is removed again when the migration fails, as the ledger is then unchanged.
    """
    from alembic import command
    from alembic.util import CommandError

    current = schema_version(ledger.engine)
    if current == SCHEMA_HEAD:  # another process upgraded it meanwhile
        return
    path = ledger.sqlite_path
    copy = None
    if current is not None and path is not None and path.exists():
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        copy = path.with_name(f"{path.name}.{current}-{stamp}.bak")
        sweep_leftovers(copy, re.escape(path.name) + r"\.\w+-\d{8}T\d{6}\.bak")
        copy_ledger(path, copy)
    try:
        with schema_change(ledger.engine) as conn:
            try:
                command.upgrade(alembic_config(conn), "head")
            except CommandError:
                raise LedgerError(
                    f"the ledger {ledger.display_url} has schema version {current!r}, "
                    "which this version of sla does not know; upgrade sla"
                ) from None
    except BaseException:
        if copy is not None:  # the migration rolled back: the ledger is the copy, still
            copy.unlink(missing_ok=True)
        raise


def alembic_config(conn: Connection) -> Config:
    """An Alembic config that runs the ledger's migrations on ``conn``."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = conn
    return cfg


@contextmanager
def schema_change(engine: Engine) -> Iterator[Connection]:
    """One transaction for migrations, one process at a time.

    SQLite changes a table's constraints by rebuilding it, and dropping the old copy of a table
    others refer to would trip their foreign keys: they are off for the transaction (the pragma
    is a no-op inside one, so it is set before it begins) and every reference is checked before
    the commit instead.
    """
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        raw = conn.connection.driver_connection if sqlite else None
        if raw is not None:
            raw.execute("PRAGMA foreign_keys = OFF")
        try:
            with conn.begin():
                if conn.dialect.name == "postgresql":
                    conn.execute(
                        text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_MIGRATION_LOCK}
                    )
                yield conn
                if sqlite:
                    conn.exec_driver_sql("PRAGMA analysis_limit = 1000")
                    conn.exec_driver_sql("ANALYZE")  # the planner's statistics, as a write does
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").first()
                    if broken is not None:
                        raise LedgerError(
                            f"a schema change left {broken[0]} referring to a missing row "
                            f"of {broken[2]}; nothing was changed"
                        )
        finally:
            if raw is not None:
                raw.execute("PRAGMA foreign_keys = ON")
