"""`sla backup`: a consistent copy of an SQLite ledger, taken while others write."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import Sla, pg_schema

NOW = {"SLA_NOW": "2026-11-24T12:00:00+03:00"}
WRITER = """
import sys
from datetime import date, datetime
from sla_cli.domain.work import WorkLog, WorkPolicy
from sla_cli.ops.work import log_work
from sla_cli.store.engine import open_ledger
ledger = open_ledger(sys.argv[1])
now = datetime.fromisoformat("2026-11-24T12:00:00+03:00")
for i in range(int(sys.argv[3])):
    with ledger.store() as s:
        work = WorkLog(ticket="ACME-1", minutes=1 + i % 10, on=date(2026, 11, 1 + i % 20))
        log_work(s, WorkPolicy(), "Europe/Moscow", work, sys.argv[2], now)
"""


def signed(sla: Sla) -> None:
    sla.ok("contract", "add", "Acme", "--key", "ACME", "--variant", "1", "--tier", "basic",
           "--start", "2026-10-01", "--months", "12", env=NOW)  # fmt: skip


def test_a_backup_is_a_ledger_with_the_same_entries(sla: Sla, tmp_path: Path) -> None:
    signed(sla)
    sla.ok("log", "2h", "ACME-1", env=NOW)
    copy = tmp_path / "copy.db"
    r = sla.ok("backup", str(copy))
    assert f"copied to {copy}" in r.stdout
    assert oct(copy.stat().st_mode & 0o777) == "0o600"  # as private as the ledger
    before = sla.ok("entries", "-f", "json").json()
    assert sla.ok("entries", "-f", "json", env={"SLA_DATABASE_URL": str(copy)}).json() == before
    again = sla("backup", str(copy))
    assert again.exit_code == 2 and "--force replaces it" in again.stderr
    sla.ok("backup", str(copy), "--force")
    assert sla("backup", sla.db_url.removeprefix("sqlite:///"), "--force").exit_code == 2


def test_a_postgresql_ledger_points_to_pg_dump(sla: Sla) -> None:
    with pg_schema() as url:
        sla.ok("init", env={"SLA_DATABASE_URL": url})
        r = sla("backup", "copy.db", env={"SLA_DATABASE_URL": url})
        assert r.exit_code == 2 and "pg_dump" in r.stderr


def test_a_backup_taken_during_four_writers_is_whole_and_a_prefix(sla: Sla, tmp_path: Path) -> None:
    signed(sla)
    env = {**os.environ, **sla.env}
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, sla.db_url, f"w{n}", "300"], env=env)
        for n in range(4)
    ]
    copies: list[Path] = []
    ledger = Path(sla.db_url.removeprefix("sqlite:///"))
    while not _entries(ledger) and all(w.poll() is None for w in writers):
        time.sleep(0.05)  # the writers are under way
    while any(w.poll() is None for w in writers) or not copies:
        copy = tmp_path / f"copy{len(copies)}.db"
        sla.ok("backup", str(copy))
        copies.append(copy)
        time.sleep(0.2)
    assert [w.wait(timeout=120) for w in writers] == [0, 0, 0, 0]
    final = _entries(ledger)
    assert len(final) == 1200
    for copy in copies:
        with sqlite3.connect(copy) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        held = _entries(copy)
        for writer in {by for _, by in final}:
            theirs = [i for i, by in final if by == writer]
            mine = [i for i, by in held if by == writer]
            assert mine == theirs[: len(mine)]  # what each writer committed first, in order
    assert len(_entries(copies[0])) < len(final)  # taken while they wrote


def _entries(path: Path) -> list[tuple[int, str]]:
    with sqlite3.connect(path) as conn:
        return list(conn.execute('SELECT id, "by" FROM entries ORDER BY id'))
