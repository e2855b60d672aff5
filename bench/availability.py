"""How long `sla` waits before it says the ledger is unavailable, and reads beside a writer.

    python bench/availability.py [--runs N] [--pg URL]

Prints the median of ``--runs`` (default 5) runs of each:

- `sla log` against a loopback server that accepts connections and never answers, with
  `ledger.connect_timeout_seconds` at 2 and at its default (10): exit 75 after the timeout;
- `sla log` while another connection holds SQLite's write lock, with `lock_timeout_seconds`
  at 1: exit 75 after the timeout;
- the reading commands while a write is under way on their ledger, against the same on a ledger
  nobody writes, interleaved: they never wait for the writer;
- with ``--pg URL`` (a PostgreSQL database; the bench works in a schema of its own and drops it),
  `sla log` while a month close holds its lock, with `lock_timeout_seconds` at 1.

`tests/cli/test_availability.py` checks the behaviour (exit codes, messages, no hang); this
prints the times. Prints figures; not a pass/fail test.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _timing import interleaved, sla_command, wall

from sla_cli.config.defaults import default_document, write_config

NOW = "2026-11-05T12:00:00+03:00"
READS = (
    ("entries",),
    ("report", "--month", "2026-10"),
    ("incident", "list"),
    ("contract", "list"),
    ("breaches",),
    ("verify",),
)


@contextmanager
def silent_server() -> Iterator[int]:
    """A loopback port that accepts connections and never says a word."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    server.settimeout(0.2)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1]
    finally:
        stop.set()
        thread.join()
        for conn in accepted:
            conn.close()
        server.close()


def config(folder: Path, name: str, **ledger: int) -> Path:
    """A config named ``name`` in ``folder``: the defaults, with these ``ledger`` settings."""
    path = folder / f"{name}.toml"
    doc = default_document()
    doc["ledger"].update(ledger)
    write_config(path, doc, force=True)
    return path


def signed(sla: list[str], env: dict[str, str]) -> None:
    """A new ledger with a contract since October and an entry."""
    for args in (
        ("init",),
        ("contract", "add", "Acme", "--key", "ACME", "--variant", "1", "--tier", "basic",
         "--start", "2026-10-01", "--months", "12"),
        ("log", "2h", "ACME-1", "--on", "2026-10-05"),
    ):  # fmt: skip
        subprocess.run([*sla, *args], env={**os.environ, **env}, check=True, capture_output=True)


def median_of(runs: int, cmd: list[str], env: dict[str, str]) -> float:
    return statistics.median(wall(cmd, env, check=False) for _ in range(runs))


def connect_waits(sla: list[str], folder: Path, runs: int) -> None:
    with silent_server() as port:
        url = f"postgresql://sla@127.0.0.1:{port}/ledger"
        for label, cfg in (
            ("2 s", config(folder, "connect2", connect_timeout_seconds=2)),
            ("the default, 10 s", config(folder, "default")),
        ):
            env = {"SLA_CONFIG": str(cfg), "SLA_DATABASE_URL": url, "SLA_NOW": NOW}
            took = median_of(runs, [*sla, "log", "1h", "ACME-1"], env)
            print(f"a server that never answers, connect timeout {label:17} "
                  f"exit 75 after {took:5.2f} s")  # fmt: skip


def sqlite_waits(sla: list[str], folder: Path, runs: int) -> None:
    cfg = config(folder, "lock1", lock_timeout_seconds=1)
    busy, idle = folder / "busy.db", folder / "idle.db"
    env = {"SLA_CONFIG": str(cfg), "SLA_NOW": NOW, "SLA_DATABASE_URL": f"sqlite:///{busy}"}
    signed(sla, env)
    shutil.copy(busy, idle)
    holder = sqlite3.connect(busy, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute(  # a write under way, not committed
        "INSERT INTO clients (key, name, created_at, created_by) "
        "VALUES ('NEW', 'New', '2026-11-05 09:00:00', 'bench')"
    )
    try:
        took = median_of(runs, [*sla, "log", "1h", "ACME-1"], env)
        print(f"sla log while SQLite's write lock is held, lock timeout 1 s   "
              f"exit 75 after {took:5.2f} s")  # fmt: skip
        env_idle = {**env, "SLA_DATABASE_URL": f"sqlite:///{idle}"}
        for args in READS:
            cmd = [*sla, *args]
            during, alone = interleaved([(cmd, env), (cmd, env_idle)], runs)
            print(f"sla {' '.join(args):28} during a write {during * 1000:6.1f} ms, "
                  f"with none {alone * 1000:6.1f} ms")  # fmt: skip
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def postgres_waits(sla: list[str], folder: Path, runs: int, base: str) -> None:
    import sqlalchemy as sa

    from sla_cli.store.months import MONTH_CLOSE_LOCK

    name = f"sla_bench_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(base)
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{name}"'))
    url = f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{name}"
    env = {"SLA_CONFIG": str(config(folder, "lock1", lock_timeout_seconds=1)), "SLA_NOW": NOW,
           "SLA_DATABASE_URL": url}  # fmt: skip
    try:
        signed(sla, env)
        with engine.connect() as holder:  # a month close under way, as far as a log can tell
            holder.execute(sa.text("SELECT pg_advisory_lock(:k)"), {"k": MONTH_CLOSE_LOCK})
            took = median_of(runs, [*sla, "log", "1h", "ACME-1"], env)
            holder.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": MONTH_CLOSE_LOCK})
        print(f"sla log while a month close holds its PostgreSQL lock, 1 s   "
              f"exit 75 after {took:5.2f} s")  # fmt: skip
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{name}" CASCADE'))
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pg", metavar="URL", help="a PostgreSQL database to bench in")
    args = parser.parse_args()
    sla = sla_command()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(f"medians of {args.runs} runs")
        connect_waits(sla, folder, args.runs)
        sqlite_waits(sla, folder, args.runs)
        if args.pg:
            postgres_waits(sla, folder, args.runs, args.pg)


if __name__ == "__main__":
    main()
