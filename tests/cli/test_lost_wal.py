"""A ledger that lost committed transactions (its -wal file removed before a checkpoint, or an
older copy put in its place) is whole and agrees with itself: only what this machine saw
committed (``LEDGER.anchor``) tells. Every command notices: reads warn, writes are refused,
`sla verify` fails naming what is missing."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from tests.conftest import Sla

NOW = {"SLA_NOW": "2026-12-05T12:00:00+03:00"}


def ledger_path(sla: Sla) -> Path:
    return Path(sla.db_url.removeprefix("sqlite:///"))


def test_a_removed_wal_file_is_noticed_by_every_command(sla: Sla, tmp_path: Path) -> None:
    path = ledger_path(sla)
    sla.ok("contract", "add", "Acme", "--key", "ACME", "--variant", "1", "--tier", "basic",
           "--start", "2026-10-01", "--months", "12", env=NOW)  # fmt: skip
    sla.ok("log", "3h", "ACME-1", "--on", "2026-10-05", env=NOW)
    sla.ok("rollover", "--month", "2026-10", env=NOW)
    held = sqlite3.connect(path)  # keeps the -wal file from being checkpointed on close
    held.execute("SELECT count(*) FROM entries").fetchall()
    try:
        sla.ok("log", "2h", "ACME-2", "--on", "2026-11-03", env=NOW)
        sla.ok("rollover", env=NOW)  # November closes: both only in the -wal file
        before_the_wal = tmp_path / "main-file-only.db"
        shutil.copy(path, before_the_wal)
    finally:
        held.close()
    shutil.copy(before_the_wal, path)
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)

    r = sla("entries", env=NOW)
    assert r.exit_code == 0
    assert "no longer holds what was committed to it: entries up to #" in r.stderr
    assert "the close of 2026-11" in r.stderr
    assert f"remove {path}.anchor to accept it" in r.stderr

    r = sla("log", "1h", "ACME-3", "--on", "2026-12-01", env=NOW)
    assert r.exit_code == 2
    assert "nothing was written" in r.stderr
    assert sqlite3.connect(path).execute("SELECT count(*) FROM entries").fetchone() == (2,)

    r = sla("verify", env=NOW)
    assert r.exit_code == 1
    assert "no longer holds what was committed to it" in r.stdout
    assert "the close of 2026-11" in r.stdout
    assert r.stderr.count("no longer holds") == 0  # said once, in the report

    Path(f"{path}.anchor").unlink()  # accepted as it is
    sla.ok("verify", env=NOW)
    sla.ok("log", "1h", "ACME-3", "--on", "2026-12-01", env=NOW)


def test_what_was_seen_only_grows_and_a_dry_run_records_nothing(sla: Sla) -> None:
    path = ledger_path(sla)
    anchor = Path(f"{path}.anchor")
    sla.ok("contract", "add", "Acme", "--key", "ACME", "--variant", "1", "--tier", "basic",
           "--start", "2026-10-01", "--months", "12", env=NOW)  # fmt: skip
    sla.ok("log", "3h", "ACME-1", "--on", "2026-10-05", env=NOW)
    first = anchor.read_text()
    sla.ok("rollover", "--dry-run", env=NOW)
    assert anchor.read_text() == first
    sla.ok("entries", env=NOW)  # a read writes nothing
    assert anchor.read_text() == first
    sla.ok("rollover", env=NOW)
    assert '"month": "2026-11"' in anchor.read_text()
