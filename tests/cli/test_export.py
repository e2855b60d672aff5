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
    # logged on the 24th for the 2nd, without --from: no start is known on the 2nd
    assert [e["started_at"] for e in data] == [None, None]
    rows = list(csv.DictReader(io.StringIO(sla.ok("export", "-f", "csv", env=NOW).stdout)))
    assert [int(r["minutes"]) for r in rows] == [120, 60]
    clock = sla.ok("export", env=NOW).stdout.splitlines()
    assert clock == [
        "i 2026-11-02 00:00:00 ACME:ACME-1  tester: db: restore",
        "o 2026-11-02 02:00:00",
        "i 2026-11-02 02:00:00 ACME:ACME 7_ odd  tester",
        "o 2026-11-02 03:00:00",
    ]


def monthly_hours(path: Path) -> dict[tuple[str, str], float]:
    """``hledger balance -M`` of a timeclock file: hours by client and month."""
    out = subprocess.run(
        ["hledger", "-f", str(path), "balance", "-M", "--depth", "1", "-O", "csv"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    header, *rows = list(csv.reader(io.StringIO(out)))
    return {
        (account, month): float(amount.rstrip("h") or 0)
        for account, *amounts in rows
        if account != "total"
        for month, amount in zip(header[1:], amounts, strict=True)
        if amount and float(amount.rstrip("h") or 0)
    }


@pytest.mark.skipif(shutil.which("hledger") is None, reason="hledger is not installed")
def test_each_entry_stays_on_its_date_whatever_the_team_logs(sla: Sla, tmp_path: Path) -> None:
    """Five engineers log 7 h each on 30 November (35 h in all, more than a day holds), some
    at their real start late in the evening: every minute stays in November."""
    sla.ok("contract", "add", "Acme", "--key", "ACME", "--variant", "1", "--tier", "basic",
           "--start", "2026-10-01", "--months", "12", env=NOW)  # fmt: skip
    dec = {"SLA_NOW": "2026-12-01T12:00:00+03:00"}
    for n in range(5):
        who = {**dec, "SLA_USER": f"eng{n}"}
        sla.ok("log", "4h", f"ACME-{n}", "--on", "2026-11-30", env=who)
        sla.ok("log", "3h", f"ACME-{n}", "--on", "2026-11-30", "--from", "20:30", env=who)
    sla.ok("log", "1h", "ACME-9", "--on", "2026-12-01", "--from", "09:00", env=dec)
    path = tmp_path / "all.timeclock"
    sla.ok("export", "-o", str(path), env=dec)
    months = monthly_hours(path)
    assert len(months) == 2 and sum(months.values()) == pytest.approx(36)
    (nov,) = [h for (_, m), h in months.items() if "11" in m]
    (dec_hours,) = [h for (_, m), h in months.items() if "12" in m]
    assert (nov, dec_hours) == (pytest.approx(35), pytest.approx(1))
    lines = path.read_text(encoding="utf-8").splitlines()
    assert all(line.split()[1] in ("2026-11-30", "2026-12-01") for line in lines)
    assert sum(line.split()[1] == "2026-12-01" for line in lines) == 2  # the December entry


def test_a_start_on_the_entrys_own_date_is_exported(sla: Sla) -> None:
    sla.ok("contract", "add", "Acme", "--key", "ACME", "--variant", "1", "--tier", "basic",
           "--start", "2026-10-01", "--months", "12", env=NOW)  # fmt: skip
    sla.ok("log", "1h", "ACME-1", "--on", "2026-11-02", "--from", "10:00", env=NOW)
    sla.ok("log", "30m", "ACME-2", env=NOW)  # today, recorded at 12:00
    data = sla.ok("export", "-f", "json", env=NOW).json()
    assert [e["started_at"] for e in data] == [
        "2026-11-02T10:00:00+03:00",
        "2026-11-24T12:00:00+03:00",
    ]
