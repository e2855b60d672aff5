"""No command hangs: a silent server, a lock held by another command, a writer and a reader.

How long each wait takes is a figure `bench/availability.py` prints; the tests check what a
busy machine cannot change: the exit code and message, that a wait for a lock lasted at least
its timeout, and that no command hangs (a child process still running after a minute fails).
"""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from sla_cli.config.defaults import default_document, write_config
from tests.conftest import Sla, pg_schema

NOV = {"SLA_NOW": "2026-11-05T12:00:00+03:00"}
HANG = 60  # seconds: far beyond every wait these tests configure (1 or 2 s)


def run(
    sla: Sla, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`sla ARGS` in a child process, so that a command that hangs fails the test."""
    full = {**os.environ, **sla.env, **(env or {})}
    try:
        return subprocess.run([sys.executable, "-m", "sla_cli", *args], env=full,
                              capture_output=True, text=True, timeout=HANG)  # fmt: skip
    except subprocess.TimeoutExpired:
        pytest.fail(f"sla {' '.join(args)} was still waiting after {HANG} s")


def quick(sla: Sla, tmp_path: Path, lock: int = 1, connect: int = 1) -> None:
    """The config with one-second waits, so a test of a wait takes seconds."""
    doc = default_document()
    doc["ledger"]["lock_timeout_seconds"] = lock
    doc["ledger"]["connect_timeout_seconds"] = connect
    write_config(sla.config, doc, force=True)


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A loopback port that accepts connections and never says a word."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    server.close()


def test_a_server_that_never_answers_is_unavailable_within_the_timeout(
    sla: Sla, tmp_path: Path, silent_server: int
) -> None:
    quick(sla, tmp_path, connect=2)
    url = f"postgresql://sla@127.0.0.1:{silent_server}/ledger"
    r = run(sla, "log", "1h", "ACME-1", env={"SLA_DATABASE_URL": url})
    assert r.returncode == 75, r.stderr
    assert "is unavailable" in r.stderr and "try again" in r.stderr
    assert "connection timeout expired" in r.stderr  # it gave up at the connect timeout


def signed(sla: Sla) -> None:
    sla.ok("contract", "add", "Acme", "--key", "ACME", "--variant", "1", "--tier", "basic",
           "--start", "2026-10-01", "--months", "12", env=NOV)  # fmt: skip
    sla.ok("log", "2h", "ACME-1", "--on", "2026-10-05", env=NOV)


def test_a_write_waits_for_the_sqlite_write_lock_then_says_unavailable(
    sla: Sla, tmp_path: Path
) -> None:
    signed(sla)
    quick(sla, tmp_path)
    holder = sqlite3.connect(tmp_path / "ledger.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        r = run(sla, "log", "1h", "ACME-1", env=NOV)  # bench/availability.py times the wait
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert r.returncode == 75, r.stderr
    assert "is unavailable" in r.stderr and "database is locked" in r.stderr
    assert len(sla.ok("entries", "--format", "json").json()) == 1  # nothing was written


def test_reads_never_wait_for_a_writer(sla: Sla, tmp_path: Path) -> None:
    signed(sla)
    quick(sla, tmp_path)
    holder = sqlite3.connect(tmp_path / "ledger.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute(  # a write under way, not committed: readers see the ledger before it
        "INSERT INTO clients (key, name, created_at, created_by) "
        "VALUES ('NEW', 'New', '2026-11-05 09:00:00', 'x')"
    )
    try:
        for command in (
            ("entries",),
            ("report", "--month", "2026-10"),
            ("incident", "list"),
            ("contract", "list"),
            ("breaches",),
            ("verify",),
        ):
            # the write lock is held throughout: a read that waited for it would exit 75
            r = sla.ok(*command, env=NOV)
            assert "NEW" not in r.stdout
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_a_read_only_transaction_refuses_a_write(backend_url: str) -> None:
    from sla_cli.errors import LedgerError
    from sla_cli.store.engine import open_ledger

    ledger = open_ledger(backend_url, create=True)
    try:
        with pytest.raises(LedgerError), ledger.store(write=False) as s:
            s.db.rows(
                "INSERT INTO clients (key, name, created_at, created_by) "
                "VALUES ('NEW', 'New', '2026-11-05 09:00:00', 'x')"
            )
        with ledger.store(write=False) as s:
            assert s.db.value("SELECT count(*) FROM clients") == 0
    finally:
        ledger.engine.dispose()


def test_a_lock_held_on_postgresql_is_waited_for_then_unavailable(sla: Sla, tmp_path: Path) -> None:
    from sla_cli.store.engine import open_ledger
    from sla_cli.store.months import MONTH_CLOSE_LOCK

    with pg_schema() as url:
        open_ledger(url, create=True).engine.dispose()
        sla.env["SLA_DATABASE_URL"] = url
        signed(sla)
        quick(sla, tmp_path)
        engine = sa.create_engine(url)
        with engine.connect() as holder:  # a month close under way, as far as a log can tell
            holder.execute(sa.text("SELECT pg_advisory_lock(:k)"), {"k": MONTH_CLOSE_LOCK})
            r = run(sla, "log", "1h", "ACME-1", env=NOV)  # bench/availability.py times it
            holder.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": MONTH_CLOSE_LOCK})
        engine.dispose()
        assert r.returncode == 75, r.stderr
        assert "lock timeout" in r.stderr and "is unavailable" in r.stderr
        assert len(sla.ok("entries", "--format", "json").json()) == 1  # nothing was written
