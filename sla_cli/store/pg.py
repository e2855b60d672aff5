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
from typing import Any

import psycopg

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
