"""The database driver under the store: one transaction, its queries run as written.

Every query of the store is written once, as SQL with named parameters (``:name``), and runs
through a driver: ``SqliteDb`` over the standard library's ``sqlite3``, or ``store.pg.PgDb`` over
psycopg. What differs between the two lives here, not in the queries: placeholders, how a new
row's id comes back, locks, a month's label from a date, streaming cursors, the clock rows are
stamped with, and the errors.

Values come back as the schema's column types say: dates, aware UTC moments, booleans (SQLite
keeps them as text and integers; its declared column types tell ``sqlite3`` how to read them).
A list or tuple given as a parameter stands for ``(:p_0, :p_1, …)`` in an ``IN``.

Nothing here imports SQLAlchemy: an everyday command loads only this and ``sqlite3``.
"""

from __future__ import annotations

import re
import sqlite3
from collections import namedtuple
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any, ClassVar

Params = Mapping[str, Any]
_NAME = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")


class Unreadable(ValueError):
    """A value stored in the ledger is not what its column's type allows (a damaged file)."""


def aware(value: Any) -> Any:
    """A parameter, refused when it is a moment without a time zone (which one would it be?)."""
    if isinstance(value, datetime) and value.tzinfo is None:
        raise ValueError("naive datetimes are not stored; give a time zone")
    return value


def moment(value: Any) -> datetime | None:
    """A moment an expression returned (``min(started_at)``): an aware UTC datetime."""
    if value is None:
        return None
    try:
        found = datetime.fromisoformat(value) if isinstance(value, str) else value
    except ValueError:
        raise Unreadable(f"not a moment: {value!r}") from None
    if not isinstance(found, datetime):
        raise Unreadable(f"not a moment: {value!r}")
    return found.replace(tzinfo=UTC) if found.tzinfo is None else found.astimezone(UTC)


def expand(sql: str, params: Params) -> tuple[str, dict[str, Any]]:
    """``IN (:ids)`` with a list becomes one parameter per value (``IN (NULL)`` for none)."""
    lists = {k: v for k, v in params.items() if isinstance(v, list | tuple)}
    if not lists:
        return sql, dict(params)
    flat = {k: v for k, v in params.items() if k not in lists}
    for name, values in lists.items():
        names = [f"{name}__{i}" for i in range(len(values))]
        flat.update(zip(names, values, strict=True))
        marks = ", ".join(f":{n}" for n in names) or "NULL"
        sql = re.sub(rf":{name}\b", marks, sql)
    return sql, flat


_ROW_TYPES: dict[tuple[str, ...], type] = {}


def row_type(names: tuple[str, ...]) -> type:
    """A named tuple for a result's columns (one per distinct set of names)."""
    found = _ROW_TYPES.get(names)
    if found is None:
        found = _ROW_TYPES[names] = namedtuple("Row", names, rename=True)
    return found


class Db:
    """One transaction on the ledger, through a driver; what the dialects share."""

    dialect: ClassVar[str]

    def __init__(self, where: str) -> None:
        self.where = where  # the ledger as messages name it
        self.discarded = False  # roll back at the end instead of committing
        self.analyse = False  # refresh the query planner's statistics before committing

    # what each driver provides
    def _execute(self, sql: str, params: dict[str, Any]) -> Any:
        raise NotImplementedError

    def stream(self, sql: str, params: Params | None = None, batch: int = 1000) -> Iterator[Any]:
        """Rows read a batch at a time (memory stays flat however many there are)."""
        raise NotImplementedError

    def batches(self, sql: str, params: Params, size: int) -> Iterator[list[tuple[Any, ...]]]:
        """Rows as plain tuples (cheaper to make than named ones), ``size`` at a time."""
        raise NotImplementedError

    def insert(self, table: str, values: Params, conflict: Exception | None = None) -> int:
        """Append a row and return its id; ``conflict`` is raised when a unique column
        refuses it."""
        raise NotImplementedError

    def insert_many(self, table: str, rows: list[dict[str, Any]]) -> None:
        raise NotImplementedError

    def bulk(self, rows: int) -> None:
        """The transaction is about to write ``rows`` rows (an import): room for them."""

    def lock(self, first: int, key: str | None = None, shared: bool = False) -> None:
        """A lock held until the transaction ends (PostgreSQL's advisory locks; SQLite's
        writing transaction already holds the only write lock)."""

    def month_of(self, column: str) -> str:
        """SQL for ``YYYY-MM`` of a date column."""
        raise NotImplementedError

    def still_going(self, start: str, minutes: str, moment: str) -> str:
        """SQL: work begun at ``start`` that lasted ``minutes`` minutes ends after ``moment``
        (to the millisecond)."""
        raise NotImplementedError

    def whole(self, table: str) -> str:
        """SQL for ``table`` read whole, in the order it is stored (SQLite: past its indexes,
        which a range over most of it would otherwise be read through)."""
        return table

    def as_stored(self, column: str) -> str:
        """SQL for a date or moment column as the driver hands it over cheapest: the text
        SQLite keeps (``YYYY-MM-DD HH:MM:SS.ffffff``, UTC), PostgreSQL's own value."""
        return column

    def star(self, table: str, alias: str) -> str:
        """SQL for every column of ``table`` (as ``alias``) the session may read, the others
        as NULL or 0 (on PostgreSQL, the money of a ledger that hides rates from engineers;
        SQLite reads all)."""
        return f"{alias}.*"

    def columns(self, table: str) -> list[str]:
        """The names of ``table``'s columns, in order."""
        raise NotImplementedError

    def readable(self, table: str, column: str) -> str:
        """SQL for ``column`` of ``table``, or what stands for it where the session may not
        read it (as ``star``)."""
        return column

    def authors(self, table: str, row_id: int) -> dict[str, Any]:
        """The author and enterer of a row just added, as the database recorded them, where
        it sets them (PostgreSQL's triggers: a person's name, the role that entered it); on
        SQLite nothing (the author as given)."""
        return {}

    def clock(self) -> datetime:
        """The real clock rows are stamped with: never the moment a command is about
        (``SLA_NOW`` pins that one)."""
        raise NotImplementedError

    def commit_clock(self) -> datetime:
        """The real clock now (a month close's stamp, after any wait for its lock)."""
        return self.clock()

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """A part of the transaction undone alone when it raises (the rest goes on)."""
        self._execute("SAVEPOINT sla_part", {})
        try:
            yield
        except BaseException:
            self._execute("ROLLBACK TO SAVEPOINT sla_part", {})
            self._execute("RELEASE SAVEPOINT sla_part", {})
            raise
        self._execute("RELEASE SAVEPOINT sla_part", {})

    # the shared forms
    def run(self, sql: str, params: Params | None = None) -> None:
        """A statement that returns no rows (a GRANT)."""
        self._execute(*expand(sql, params or {}))

    def rows(self, sql: str, params: Params | None = None) -> list[Any]:
        return list(self._execute(*expand(sql, params or {})))

    def row(self, sql: str, params: Params | None = None) -> Any:
        found = self.rows(sql, params)
        return found[0] if found else None

    def value(self, sql: str, params: Params | None = None) -> Any:
        found = self.row(sql, params)
        return None if found is None else found[0]

    def number(self, sql: str, params: Params | None = None) -> int:
        """A count or a sum (0 for none)."""
        return int(self.value(sql, params) or 0)

    def column(self, sql: str, params: Params | None = None) -> list[Any]:
        """The first column of every row."""
        return [r[0] for r in self.rows(sql, params)]


# SQLite keeps dates and moments as text, booleans as integers: its declared types say which.
def _date(stored: bytes) -> date:
    try:
        return date.fromisoformat(stored.decode())
    except ValueError:
        raise Unreadable(f"not a date: {stored!r}") from None


sqlite3.register_converter("DATE", _date)
sqlite3.register_converter("DATETIME", lambda b: moment(b.decode()))
sqlite3.register_converter("BOOLEAN", lambda b: b not in (b"0", b""))


def sqlite_value(value: Any) -> Any:
    """A parameter as SQLAlchemy stored it on SQLite: dates ISO, moments UTC without zone."""
    if isinstance(value, datetime):
        return aware(value).astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _sqlite_row(cursor: sqlite3.Cursor, values: tuple[Any, ...]) -> Any:
    return row_type(tuple(d[0] for d in cursor.description))(*values)


class SqliteDb(Db):
    """A transaction on an SQLite ledger through ``sqlite3``."""

    dialect = "sqlite"

    def __init__(self, conn: sqlite3.Connection, where: str) -> None:
        super().__init__(where)
        conn.row_factory = _sqlite_row
        self.conn = conn

    def _execute(self, sql: str, params: dict[str, Any]) -> Any:
        return self.conn.execute(sql, {k: sqlite_value(v) for k, v in params.items()})

    def stream(self, sql: str, params: Params | None = None, batch: int = 1000) -> Iterator[Any]:
        cur = self._execute(*expand(sql, params or {}))
        cur.arraysize = batch
        while rows := cur.fetchmany():
            yield from rows

    def batches(self, sql: str, params: Params, size: int) -> Iterator[list[tuple[Any, ...]]]:
        sql, flat = expand(sql, params)
        cur = self.conn.cursor()
        cur.row_factory = None
        cur.execute(sql, {k: sqlite_value(v) for k, v in flat.items()})
        while rows := cur.fetchmany(size):
            yield rows

    def insert(self, table: str, values: Params, conflict: Exception | None = None) -> int:
        names = ", ".join(f'"{n}"' for n in values)
        marks = ", ".join(f":{n}" for n in values)
        try:
            cur = self._execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", dict(values))
        except sqlite3.IntegrityError as e:
            if conflict is not None and "UNIQUE" in str(e):
                raise conflict from None
            raise
        assert cur.lastrowid is not None
        return int(cur.lastrowid)

    def bulk(self, rows: int) -> None:
        # The page cache grows from SQLite's 2 MB to about 256 bytes a row (at most 256 MB),
        # so that the indexes the rows go into stay in memory: an import row's identity is a
        # random key, and with the default cache nearly every row would read and write back a
        # page of its index (at a million rows, a third of the time spent in the kernel).
        kib = min(256 * 1024, rows // 4)
        if kib > 2000:
            self.conn.execute(f"PRAGMA cache_size = -{kib}")

    def insert_many(self, table: str, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        names = ", ".join(f'"{n}"' for n in rows[0])
        marks = ", ".join(f":{n}" for n in rows[0])
        spelt: dict[date, str] = {}  # each date or moment spelt once (the rows' stamp is one)
        self.conn.executemany(
            f"INSERT INTO {table} ({names}) VALUES ({marks})",
            [{k: v if not isinstance(v, date)
              else spelt.get(v) or spelt.setdefault(v, sqlite_value(v))
              for k, v in r.items()} for r in rows],
        )  # fmt: skip

    def month_of(self, column: str) -> str:
        return f"strftime('%Y-%m', {column})"

    def still_going(self, start: str, minutes: str, moment: str) -> str:
        gap = f"round((julianday({start}) - julianday({moment})) * 86400000)"  # milliseconds
        return f"{gap} + 60000 * {minutes} > 0"

    def whole(self, table: str) -> str:
        return f"{table} NOT INDEXED"

    def as_stored(self, column: str) -> str:
        return f"CAST({column} AS TEXT)"  # an expression: no declared type, no converter

    def clock(self) -> datetime:
        return datetime.now(UTC).replace(microsecond=0)  # this machine's clock
