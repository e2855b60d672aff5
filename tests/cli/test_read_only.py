"""Looking never writes: a file that is not a ledger, and a ledger named read-only."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.conftest import Sla

NOV = {"SLA_NOW": "2026-11-05T12:00:00+03:00"}
COMMANDS = [
    ("entries",),
    ("incident", "list"),
    ("report", "--month", "2026-10"),
    ("status",),
    ("verify",),
    ("log", "1h", "ACME-1"),
    ("start", "ACME-1"),
    ("incident", "ack", "ACME-1"),
    ("upgrade",),
]


def _not_a_ledger(path: Path, kind: str) -> None:
    if kind == "empty":
        path.write_bytes(b"")
        return
    conn = sqlite3.connect(path)
    try:
        if kind == "other tables":
            conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
        else:  # an SQLite database with no table at all (its header written by a VACUUM)
            conn.execute("VACUUM")
        conn.commit()
    finally:
        conn.close()


@pytest.mark.parametrize("kind", ["empty", "no tables", "other tables"])
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_a_file_that_is_not_a_ledger_is_left_byte_for_byte(
    sla: Sla, tmp_path: Path, kind: str, args: tuple[str, ...]
) -> None:
    other = tmp_path / "other.db"
    _not_a_ledger(other, kind)
    before = other.read_bytes()
    r = sla(*args, env={**NOV, "SLA_DATABASE_URL": str(other)})
    assert r.exit_code == 2, r.stderr
    assert "no ledger" in r.stderr or "not an sla ledger" in r.stderr
    assert other.read_bytes() == before  # not even a header or a journal mode written
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("other")) == ["other.db"]


def _signed(sla: Sla) -> Path:
    sla.ok("contract", "add", "Acme", "--key", "ACME", "--variant", "1", "--tier", "basic",
           "--start", "2026-10-01", "--months", "12", env=NOV)  # fmt: skip
    sla.ok("log", "2h", "ACME-1", "--on", "2026-11-02", env=NOV)
    sla.ok("incident", "open", "ACME-1", "--at", "2026-11-05 10:00", env=NOV)
    return Path(sla.db_url.removeprefix("sqlite:///"))


WRITES = [
    ("log", "1h", "ACME-1"),
    ("log", "--undo"),
    ("start", "ACME-2"),
    ("incident", "ack", "ACME-1"),
    ("incident", "resolve", "ACME-1"),
    ("void", "1"),
    ("rollover",),
    ("upgrade",),
    ("contract", "topup", "ACME"),
]


@pytest.mark.parametrize("args", WRITES, ids=" ".join)
def test_a_read_only_url_refuses_every_write_and_writes_nothing(
    sla: Sla, args: tuple[str, ...]
) -> None:
    ledger = _signed(sla)
    before = ledger.read_bytes()
    url = f"sqlite:///{ledger}?mode=ro"
    r = sla(*args, env={**NOV, "SLA_DATABASE_URL": url})
    assert r.exit_code == 2, r.stderr
    assert "read-only (?mode=ro)" in r.stderr and "nothing was written" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert ledger.read_bytes() == before
    assert len(sla.ok("entries", "--format", "json").json()) == 1


def test_a_read_only_url_still_reads(sla: Sla) -> None:
    ledger = _signed(sla)
    env = {**NOV, "SLA_DATABASE_URL": f"sqlite:///{ledger}?mode=ro"}
    assert [e["ticket"] for e in sla.ok("entries", "--format", "json", env=env).json()] == [
        "ACME-1"
    ]
    assert sla.ok("incident", "list", "--format", "json", env=env).json()[0]["ticket"] == "ACME-1"
    assert sla.ok("status", "--format", "json", env=env).json() == []


@pytest.mark.parametrize("option", ["cache=shared", "mode=memory", "timeout=5", "mode="])
@pytest.mark.parametrize("args", [("entries",), ("log", "1h", "ACME-1")], ids=" ".join)
def test_a_url_option_sla_does_not_understand_is_refused(
    sla: Sla, option: str, args: tuple[str, ...]
) -> None:
    ledger = _signed(sla)
    before = ledger.read_bytes()
    r = sla(*args, env={**NOV, "SLA_DATABASE_URL": f"sqlite:///{ledger}?{option}"})
    assert r.exit_code == 2, r.stderr
    assert f"option {option} is not one sla understands" in r.stderr
    assert ledger.read_bytes() == before


def _journal_mode(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return str(conn.execute("PRAGMA journal_mode").fetchone()[0])
    finally:
        conn.close()


def test_a_copy_that_lost_wal_mode_is_read_as_it_is_and_written_in_wal_mode(sla: Sla) -> None:
    ledger = _signed(sla)
    conn = sqlite3.connect(ledger)
    conn.execute("PRAGMA journal_mode = DELETE")  # as some copies and restores leave a file
    conn.close()
    before = ledger.read_bytes()
    for args in (("entries", "--format", "json"), ("incident", "list"), ("report", "--month",
                 "2026-11"), ("breaches",), ("verify",), ("status",)):  # fmt: skip
        sla.ok(*args, env=NOV)
    assert ledger.read_bytes() == before  # looking set no journal mode
    assert _journal_mode(ledger) == "delete"
    sla.ok("log", "1h", "ACME-1", "--on", "2026-11-03", env=NOV)
    assert _journal_mode(ledger) == "wal"
    assert len(sla.ok("entries", "--format", "json", env=NOV).json()) == 2
