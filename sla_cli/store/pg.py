"""PostgreSQL connections whose every wait the client bounds itself.

The server enforces ``lock_timeout`` and ``statement_timeout``, but its answer has to reach the
client: on a network that stalls mid-transaction (a proxy, a NAT or a VPN that stops forwarding
while the sockets stay open) the client would wait for it forever. So, besides the server's
timeouts:

- libpq's TCP keepalives and ``tcp_user_timeout`` let the kernel drop a connection whose peer
  stops acknowledging (a cable pulled, a host gone);
- every round trip with the server (a statement, a fetch of a cursor's rows, a commit) has a
  deadline of the statement timeout plus a few seconds (``DEADLINE_SLACK``), the time the
  server's own timeout needs to be heard. Past it the connection is shut down, and the command
  fails as when the server cannot be reached: the ledger is unavailable (exit 75).

Imported only for a PostgreSQL ledger.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import psycopg

from sla_cli.errors import CommitUnknown
from sla_cli.store import failures
from sla_cli.store.db import _NAME, Db, Params, aware, expand, row_type
from sla_cli.store.sqlite_url import display

DEADLINE_SLACK = 3  # seconds past the statement timeout for the server's answer to arrive


class StalledServer(psycopg.OperationalError):
    """No answer from the server within a round trip's deadline: the connection is closed."""


class BoundedConnection(psycopg.Connection[Any]):
    """A psycopg connection whose every wait for the server ends by ``deadline`` seconds."""

    deadline: float | None = None

    def wait(self, gen: Any, *args: Any, **kwargs: Any) -> Any:
        """Consume ``gen`` as psycopg does, shutting the socket down if the server has not
        answered by the deadline (which wakes psycopg's wait with a closed connection)."""
        if self.deadline is None:
            return super().wait(gen, *args, **kwargs)
        watch = _Watch(self.pgconn.socket)
        watchdog = threading.Timer(self.deadline, watch.expire)
        watchdog.daemon = True
        watchdog.start()
        try:
            return super().wait(gen, *args, **kwargs)
        except psycopg.OperationalError as e:
            if watch.expired:
                raise StalledServer(
                    f"no answer from the server within {self.deadline:g} s (the statement "
                    "timeout and a few seconds); the connection was closed"
                ) from e
            raise
        finally:
            watch.finish()
            watchdog.cancel()


class _Watch:
    """One wait: shut down when its deadline expires, unless it finished first."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.expired = False
        self._done = False
        self._lock = threading.Lock()

    def finish(self) -> None:
        with self._lock:
            self._done = True

    def expire(self) -> None:
        """Shut the socket down in both directions: the wait on it returns at once."""
        with self._lock:
            if self._done:
                return
            self.expired = True
            with contextlib.suppress(OSError):
                sock = socket.socket(fileno=os.dup(self.fd))
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                finally:
                    sock.close()


def connect_args(connect: int, lock: int, statement: int, given_options: str) -> dict[str, Any]:
    """libpq's options for the ledger's timeouts: how long to connect, TCP keepalives and the
    user timeout, and the server's lock and statement timeouts (after any options the URL
    gives, such as a search path)."""
    timeouts = f"-c lock_timeout={lock * 1000} -c statement_timeout={statement * 1000}"
    options = f"{given_options} {timeouts}"
    return {
        "connect_timeout": connect,
        "options": options.strip(),
        "keepalives": 1,
        "keepalives_idle": max(1, min(connect, 10)),
        "keepalives_interval": 1,
        "keepalives_count": 3,
        "tcp_user_timeout": (statement + DEADLINE_SLACK) * 1000,
    }


def bounded_connect(deadline: float, cargs: Any, cparams: dict[str, Any]) -> BoundedConnection:
    """A connection (SQLAlchemy's ``do_connect``) whose round trips end by ``deadline``."""
    conn = BoundedConnection.connect(*cargs, **cparams)
    conn.deadline = deadline
    return conn


def _pg_sql(sql: str) -> str:
    """``:name`` placeholders as psycopg's ``%(name)s`` (a literal ``%`` doubled)."""
    found = _CONVERTED.get(sql)
    if found is None:
        found = _CONVERTED[sql] = _NAME.sub(r"%(\1)s", sql.replace("%", "%%"))
    return found


_CONVERTED: dict[str, str] = {}


def _utc(value: Any) -> Any:
    return value.astimezone(UTC) if isinstance(value, datetime) and value.tzinfo else value


def _pg_tuple(cursor: Any) -> Any:
    """Rows as plain tuples, moments in UTC."""

    def build(values: Sequence[Any]) -> Any:
        return tuple(_utc(v) for v in values)

    return build


def _pg_row(cursor: Any) -> Any:
    """Rows as named tuples, moments in UTC (as SQLite's come back)."""
    names = tuple(d.name for d in cursor.description or ())
    make = row_type(names)

    def build(values: Sequence[Any]) -> Any:
        return make(*(_utc(v) for v in values))

    return build


class PgDb(Db):
    """A transaction on a PostgreSQL ledger through psycopg."""

    dialect = "postgresql"

    def __init__(self, conn: psycopg.Connection[Any], where: str) -> None:
        super().__init__(where)
        self.conn = conn
        self._stamp: datetime | None = None
        self._streams = 0
        self._stars: dict[str, dict[str, str]] = {}

    def _execute(self, sql: str, params: dict[str, Any]) -> Any:
        cur = self.conn.cursor(row_factory=_pg_row)
        return cur.execute(_pg_sql(sql), {k: aware(v) for k, v in params.items()})

    def stream(self, sql: str, params: Params | None = None, batch: int = 1000) -> Iterator[Any]:
        sql, flat = expand(sql, params or {})
        self._streams += 1
        with self.conn.cursor(name=f"sla_stream_{self._streams}", row_factory=_pg_row) as cur:
            cur.itersize = batch
            cur.execute(_pg_sql(sql), {k: aware(v) for k, v in flat.items()})
            yield from cur

    def batches(self, sql: str, params: Params, size: int) -> Iterator[list[tuple[Any, ...]]]:
        sql, flat = expand(sql, params)
        self._streams += 1
        with self.conn.cursor(name=f"sla_stream_{self._streams}", row_factory=_pg_tuple) as cur:
            cur.execute(_pg_sql(sql), {k: aware(v) for k, v in flat.items()})
            while rows := cur.fetchmany(size):
                yield rows

    def insert(self, table: str, values: Params, conflict: Exception | None = None) -> int:
        names = ", ".join(f'"{n}"' for n in values)
        marks = ", ".join(f":{n}" for n in values)
        sql = f"INSERT INTO {table} ({names}) VALUES ({marks}) RETURNING id"
        try:
            return int(self._execute(sql, dict(values)).fetchone()[0])
        except psycopg.errors.UniqueViolation:
            if conflict is not None:
                raise conflict from None
            raise

    def insert_many(self, table: str, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        names = ", ".join(f'"{n}"' for n in rows[0])
        marks = ", ".join(f":{n}" for n in rows[0])
        with self.conn.cursor() as cur:
            cur.executemany(
                _pg_sql(f"INSERT INTO {table} ({names}) VALUES ({marks})"),
                [{k: aware(v) for k, v in r.items()} for r in rows],
            )

    def lock(self, first: int, key: str | None = None, shared: bool = False) -> None:
        name = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
        if key is None:
            self.rows(f"SELECT {name}(:first)", {"first": first})
        else:
            self.rows(f"SELECT {name}(:first, hashtext(:key))", {"first": first, "key": key})

    def month_of(self, column: str) -> str:
        return f"to_char({column}, 'YYYY-MM')"

    def still_going(self, start: str, minutes: str, moment: str) -> str:
        return f"{start} + {minutes} * interval '1 minute' > {moment}"

    def readable(self, table: str, column: str) -> str:
        return self._hidden(table).get(column, column)

    def star(self, table: str, alias: str) -> str:
        hidden = self._hidden(table)
        if not hidden:
            return f"{alias}.*"
        return ", ".join(
            f'{alias}."{n}"' if n not in hidden else f'{hidden[n]} AS "{n}"'
            for n in self.columns(table)
        )

    def columns(self, table: str) -> list[str]:
        return self.column(
            "SELECT attname FROM pg_attribute WHERE attrelid = CAST(:t AS regclass) "
            "AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
            {"t": table},
        )

    def _hidden(self, table: str) -> dict[str, str]:
        """The rates of ``table`` the session may not read (a ledger that hides them from
        engineers), each with what stands for it: 0, or NULL where the column allows it.
        Any other column it may not read is read as it is, and the database refuses."""
        from sla_cli.store.roles import RATES

        if table in self._stars:
            return self._stars[table]
        self._stars[table] = {}
        if table not in RATES or self.value(
            "SELECT has_table_privilege(:t, 'SELECT')", {"t": table}
        ):
            return {}
        rows = self.rows(
            "SELECT attname AS name, attnotnull AS not_null FROM pg_attribute "
            "WHERE attrelid = CAST(:t AS regclass) AND attname IN (:names) "
            "AND NOT has_column_privilege(attrelid, attnum, 'SELECT')",
            {"t": table, "names": sorted(RATES[table])},
        )
        self._stars[table] = {r.name: "0" if r.not_null else "CAST(NULL AS integer)" for r in rows}
        return self._stars[table]

    def authors(self, table: str, row_id: int) -> dict[str, Any]:
        row = self.row(f'SELECT "by", entered_by FROM {table} WHERE id = :id', {"id": row_id})
        return {"by": row.by, "entered_by": row.entered_by}

    def clock(self) -> datetime:
        """PostgreSQL's clock (the transaction's start), so a team's ledger stamps rows by one
        clock."""
        if self._stamp is None:
            stamp = self.value("SELECT CURRENT_TIMESTAMP")
            self._stamp = stamp.astimezone(UTC).replace(microsecond=0)
        return self._stamp

    def commit_clock(self) -> datetime:
        stamp = self.value("SELECT clock_timestamp()")
        return stamp.astimezone(UTC).replace(microsecond=0)  # type: ignore[no-any-return]


def conninfo(url: str) -> tuple[str, str]:
    """libpq's URI for ``url`` (any ``+driver`` dropped), and the ``options`` it gives apart
    (the ledger's timeouts are added to them)."""
    parts = urlsplit(url)
    scheme = parts.scheme.partition("+")[0]
    query = parse_qsl(parts.query, keep_blank_values=True)
    options = " ".join(v for k, v in query if k == "options")
    rest = urlencode([(k, v) for k, v in query if k != "options"])
    return urlunsplit(parts._replace(scheme=scheme, query=rest)), options


@contextmanager
def transaction(url: str, timeouts: tuple[int, int, int], write: bool) -> Iterator[PgDb | None]:
    """One transaction on the PostgreSQL ledger at ``url`` (``store.store.transaction``);
    None when it is not at the current schema revision (or not a ledger at all)."""
    from sla_cli.store.revisions import SCHEMA_HEAD

    where = display(url)
    connect, lock, statement = timeouts
    info, options = conninfo(url)
    try:
        conn = BoundedConnection.connect(info, **connect_args(connect, lock, statement, options))
    except psycopg.Error as e:
        raise failures.database_error(where, e, "cannot be opened") from None
    conn.deadline = statement + DEADLINE_SLACK
    try:
        if not write:
            conn.execute("SET TRANSACTION READ ONLY")
        found = conn.execute("SELECT to_regclass('alembic_version')").fetchone()
        if found is not None and found[0] is not None:
            found = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        if found is None or found[0] != SCHEMA_HEAD:
            yield None
            return
        db = PgDb(conn, where)
        yield db
        if write and not db.discarded:
            try:
                conn.commit()
            except psycopg.Error as e:
                if failures.lost(e):
                    raise CommitUnknown(where, failures.reason(e)) from None
                raise
    except psycopg.Error as e:
        raise failures.database_error(where, e, "refused") from None
    finally:
        conn.close()
