"""What a trial run as a new user found: dates as Russians write them in --at, zone names that
mean one place, terms shown by their last day, company time in messages, a demo of its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Sla

NOV = {"SLA_NOW": "2026-11-05T15:00:00+03:00"}


def acme(sla: Sla, *extra: str) -> None:
    sla.ok("contract", "add", "Acme", "--key", "ACME", "--variant", "1", "--tier", "basic",
           "--start", "2026-11-01", *extra, env=NOV)  # fmt: skip


def test_at_takes_dates_as_russians_write_them(sla: Sla) -> None:
    acme(sla)
    r = sla.ok("incident", "open", "ACME-1", "--at", "05.11.2026 10:00", env=NOV)
    assert "at 2026-11-05 10:00+03:00" in r.stdout
    sla.ok("incident", "ack", "ACME-1", "--at", "05.11.2026 10:30", env=NOV)
    (found,) = sla.ok("incident", "list", "-f", "json", env=NOV).json()
    assert found["reacted_at"] == "2026-11-05T10:30:00+03:00"


@pytest.mark.parametrize("zone", ["EST", "localtime", "Factory", "posixrules", "MSK"])
def test_a_zone_is_a_region_and_a_city(sla: Sla, zone: str) -> None:
    r = sla("contract", "add", "Acme", "--key", "ACME", "--variant", "3", "--tier", "minimal",
            "--start", "2026-11-01", "--tz", zone, env=NOV)  # fmt: skip
    assert r.exit_code == 2 and "unknown time zone" in r.stderr
    assert sla.ok("contract", "list", "-f", "json", env=NOV).json() == []


def test_a_zone_named_properly_is_kept(sla: Sla) -> None:
    acme(sla, "--tz", "Asia/Kolkata")
    (c,) = sla.ok("contract", "list", "-f", "json", env=NOV).json()
    assert c["timezone"] == "Asia/Kolkata"


def test_an_overlap_names_the_other_contracts_last_day(sla: Sla) -> None:
    acme(sla)  # three months: November to January
    r = sla("contract", "add", "Acme", "--key", "ACME", "--variant", "1", "--tier", "basic",
            "--start", "2026-12-01", env=NOV)  # fmt: skip
    assert r.exit_code == 2
    assert "from 2026-11-01 (through 2027-01-31)" in r.stderr


def test_another_open_incident_is_named_in_company_time(sla: Sla) -> None:
    acme(sla)
    sla.ok("incident", "open", "ACME-5", "--at", "2026-11-05T10:00", env=NOV)
    sla.ok("incident", "cancel", "ACME-5", "--note", "by mistake", env=NOV)
    sla.ok("incident", "open", "ACME-5", "--at", "2026-11-05T14:00", env=NOV)
    r = sla("incident", "undo", "ACME-5", env=NOV)
    assert r.exit_code == 2
    assert "opened 2026-11-05T14:00:00+03:00" in r.stderr


def test_the_demo_needs_no_config_of_the_user(sla: Sla, tmp_path: Path) -> None:
    missing = tmp_path / "not-written-yet.toml"
    r = sla.ok("demo", "--dir", str(tmp_path / "demo"), env={"SLA_CONFIG": str(missing)})
    assert "Demo ledger:" in r.stdout and not missing.exists()


def test_an_overdraft_of_a_month_not_closed_yet_reads_with_its_balance(sla: Sla) -> None:
    """October's entry logged in November overdraws October; the balance shown is November's,
    as October's close will leave it, and the line says so beside the overdraft's warning."""
    sla.ok("contract", "add", "P", "--key", "P3", "--variant", "3", "--tier", "minimal",
           "--start", "2026-10-01", env=NOV)  # fmt: skip
    r = sla.ok("log", "12h", "P3-1", "--on", "2026-10-30", env=NOV)
    assert "balance 0:00 h once 2026-10 closes, billing its overdraft" in r.stdout
    assert "overdrawn by 2h" in r.stderr
