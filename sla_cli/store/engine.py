"""Opening a ledger: the engine, SQLite pragmas, and the schema brought to the latest migration.

The check that the schema is current is one cheap query; Alembic is imported only when a ledger
is created or upgraded.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError
from sqlalchemy.pool import NullPool
from sqlmodel import Session

from sla_cli.errors import LedgerError, NoLedger
from sla_cli.files import create_private, private_dir

if TYPE_CHECKING:
    from alembic.config import Config

__all__ = ["Ledger", "LedgerError", "open_ledger"]

# The newest migration in store/migrations/versions; a test keeps the two equal.
SCHEMA_HEAD = "0004"
MIGRATIONS = Path(__file__).with_name("migrations")
_PG_MIGRATION_LOCK = 0x5_1A_1ED6  # pg_advisory_xact_lock key for schema changes


@dataclass
class Ledger:
    engine: Engine
    url: str

    @property
    def display_url(self) -> str:
        return make_url(self.url).render_as_string(hide_password=True)

    @property
    def sqlite_path(self) -> Path | None:
        u = make_url(self.url)
        if u.get_backend_name() != "sqlite" or u.database in (None, "", ":memory:"):
            return None
        return Path(u.database)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """One read-only transaction, for commands that change nothing."""
        with self.session() as s:
            yield s

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back on an error."""
        with Session(self.engine, expire_on_commit=False) as s:
            try:
                yield s
                s.commit()
            except DBAPIError as e:
                s.rollback()
                raise LedgerError(f"the ledger {self.display_url} refused: {_reason(e)}") from e
            except BaseException:
                s.rollback()
                raise


def normalise_url(url: str) -> str:
    """``postgresql://`` means psycopg 3 here; a bare path means a SQLite file."""
    if "://" not in url:
        return f"sqlite:///{Path(url).expanduser().resolve()}"
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def parse_url(url: str) -> URL:
    try:
        return make_url(url)
    except (ArgumentError, ValueError):
        raise LedgerError(
            f"cannot read the database URL {url!r}; use a SQLite file path or a URL "
            "like postgresql://user@host/db"
        ) from None


def make_engine(url: str, create: bool = False) -> Engine:
    """The engine for ``url``. A SQLite file is created (readable by its owner only, in a
    folder made the same way) only when ``create`` says so."""
    u = parse_url(url)
    if u.get_backend_name() == "sqlite":
        if u.database not in (None, "", ":memory:"):
            path = Path(u.database).expanduser()
            if create:
                private_dir(path.parent)
                create_private(path)
            elif not path.exists():
                raise NoLedger(str(path))
            _refuse_foreign_file(path)
        engine = create_engine(u, connect_args={"timeout": 60}, poolclass=NullPool)
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    try:
        return create_engine(u, pool_pre_ping=False)
    except (ImportError, SQLAlchemyError) as e:
        raise LedgerError(f"cannot use the database URL {u!r}: {e}") from None


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN IMMEDIATE: writers queue up on the busy
    # timeout instead of failing when a read lock cannot be upgraded.
    dbapi_connection.isolation_level = None
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA busy_timeout = 60000")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA synchronous = NORMAL")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.close()


def _sqlite_begin(conn: Any) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def open_ledger(url: str, create: bool = False, write: bool = True) -> Ledger:
    """The ledger at ``url``, upgraded to the current schema on first use.

    ``write`` False: the command only reads the ledger.

    A SQLite file that does not exist yet is created only when ``create`` says so (a new ledger,
    the default location): a mistyped path is an error, not a new empty ledger.
    """
    url = normalise_url(url)
    engine = make_engine(url, create)
    ledger = Ledger(engine, url)
    try:
        version = schema_version(engine)
        if version != SCHEMA_HEAD:
            refuse_foreign(ledger, version)
            upgrade(ledger)
    except DBAPIError as e:
        raise LedgerError(f"cannot open the ledger {ledger.display_url}: {_reason(e)}") from None
    return ledger


def refuse_foreign(ledger: Ledger, version: str | None) -> None:
    """A database holding tables that are not a ledger's is never migrated: say so instead."""
    tables = set(inspect(ledger.engine).get_table_names())
    _check_tables(ledger.display_url, tables, version is not None)


def _check_tables(where: str, tables: set[str], versioned: bool) -> None:
    """A ledger's database is empty (a new ledger) or has its ``entries``."""
    tables = tables - {"alembic_version"}
    if (bool(tables) and not versioned) or (versioned and "entries" not in tables):
        shown = ", ".join(sorted(tables)[:5]) + (", …" if len(tables) > 5 else "")
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
    finally:
        conn.close()
    _check_tables(str(path), names, "alembic_version" in names)


def _reason(e: DBAPIError) -> str:
    return str(e.orig).strip().splitlines()[0] if e.orig else str(e)


def schema_version(engine: Engine) -> str | None:
    """The ledger's Alembic revision, or None for an empty database."""
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DBAPIError as e:
        if "alembic_version" in str(e.orig) or "no such table" in str(e.orig):
            return None
        raise


def upgrade(ledger: Ledger) -> None:
    """Run the migrations up to head in one transaction, one process at a time.

    An existing SQLite ledger is first copied aside (with SQLite's backup API, WAL included).
    """
    from alembic import command
    from alembic.util import CommandError

    current = schema_version(ledger.engine)
    path = ledger.sqlite_path
    if current is not None and path is not None and path.exists():
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        backup_sqlite(path, path.with_name(f"{path.name}.{current}-{stamp}.bak"))
    with schema_change(ledger.engine) as conn:
        try:
            command.upgrade(alembic_config(conn), "head")
        except CommandError:
            raise LedgerError(
                f"the ledger {ledger.display_url} has schema version {current!r}, "
                "which this version of sla does not know; upgrade sla"
            ) from None


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
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").first()
                    if broken is not None:
                        raise LedgerError(
                            f"a schema change left {broken[0]} referring to a missing row "
                            f"of {broken[2]}; nothing was changed"
                        )
        finally:
            if raw is not None:
                raw.execute("PRAGMA foreign_keys = ON")


def backup_sqlite(source: Path, target: Path) -> None:
    create_private(target)  # a copy of the ledger is as private as the ledger
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
