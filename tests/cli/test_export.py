"""`sla export`: hledger reproduces the statement's hours from the timeclock export."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import Sla

NOW = {"SLA_NOW": "2026-11-24T12:00:00+03:00"}


def hledger_hours(path: Path) -> dict[str, float]:
    """``hledger balance`` of a timeclock file, hours by top-level account (client)."""
    out = subprocess.run(
        ["hledger", "-f", str(path), "balance", "--depth", "1", "-O", "csv"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    rows = list(csv.reader(io.StringIO(out)))[1:]
    return {account: float(amount.rstrip("h")) for account, amount in rows if account != "total"}


@pytest.mark.skipif(shutil.which("hledger") is None, reason="hledger is not installed")
def test_hledger_gives_the_statements_hours(
    sla: Sla,
    demo_env: dict[str, str],
    tmp_path: Path,
) -> None:
    path = tmp_path / "october.timeclock"
    sla.ok("export", "--month", "2026-10", "-o", str(path), env=demo_env)
    report = sla.ok("report", "--month", "2026-10", "-f", "json", env=demo_env).json()
    expected = {s["client"]: s["used_minutes"] / 60 for s in report["statements"]}
    assert hledger_hours(path) == pytest.approx(expected)


def test_voids_are_left_out_and_each_format_carries_the_same_hours(sla: Sla) -> None:
    sla.ok("contract", "add", "Acme", "--key", "ACME", "--variant", "1", "--tier", "basic",
           "--start", "2026-10-01", "--months", "12", env=NOW)  # fmt: skip
    sla.ok("log", "2h", "ACME-1", "--on", "2026-11-02", "--note", "db: restore", env=NOW)
    sla.ok("log", "1h", "ACME 7: odd", "--client", "ACME", "--on", "2026-11-02", env=NOW)
    sla.ok("log", "5h", "ACME-2", "--on", "2026-11-03", env=NOW)
    sla.ok("log", "--undo", env=NOW)  # the 5 h are voided: neither they nor the void show
    data = sla.ok("export", "-f", "json", env=NOW).json()
    assert [(e["ticket"], e["minutes"]) for e in data] == [("ACME-1", 120), ("ACME 7: odd", 60)]
    rows = list(csv.DictReader(io.StringIO(sla.ok("export", "-f", "csv", env=NOW).stdout)))
    assert [int(r["minutes"]) for r in rows] == [120, 60]
    clock = sla.ok("export", env=NOW).stdout.splitlines()
    assert clock == [
        "i 2026-11-02 00:00:00 ACME:ACME-1  tester: db: restore",
        "o 2026-11-02 02:00:00",
        "i 2026-11-02 02:00:00 ACME:ACME 7_ odd  tester",
        "o 2026-11-02 03:00:00",
    ]
