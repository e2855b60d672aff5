"""Tab completion: what the shell is offered, from the ledger and the config, and nothing
(never an error) when there is nothing to read."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Sla

NOW = {"SLA_NOW": "2026-11-24T12:00:00+03:00"}
SLA = Path(sys.executable).with_name("sla")


def offered(sla: Sla, line: str, **env: str) -> list[str]:
    """What Tab offers after ``line`` (a trailing space: a new word)."""
    words = line.split()
    cword = len(words) if line.endswith(" ") else len(words) - 1
    run_env = {**os.environ, **sla.env, "COMP_WORDS": line, "COMP_CWORD": str(cword),
               "_SLA_COMPLETE": "complete_bash", **env}  # fmt: skip
    done = subprocess.run([str(SLA)], env=run_env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stderr == ""
    return done.stdout.split()


@pytest.fixture
def desk(sla: Sla) -> Sla:
    if not SLA.exists():
        pytest.skip("the sla script is not installed beside this Python")
    for key in ("ACME", "BETA"):
        sla.ok("contract", "add", key, "--key", key, "--variant", "1", "--tier", "basic",
               "--start", "2026-10-01", "--months", "12", env=NOW)  # fmt: skip
    for ticket in ("ACME-1", "ACME-2", "BETA-9"):
        sla.ok("incident", "open", ticket, "--at", "2026-11-24T10:00", env=NOW)
    sla.ok("incident", "resolve", "ACME-2", "--at", "2026-11-24T11:00", env=NOW)
    return sla


def test_tickets_of_open_incidents_and_client_keys(desk: Sla) -> None:
    assert offered(desk, "sla incident ack ") == ["ACME-1", "BETA-9"]  # ACME-2 is resolved
    assert offered(desk, "sla incident ack AC") == ["ACME-1"]
    assert offered(desk, "sla log 1h ") == ["ACME-1", "BETA-9", "ACME-", "BETA-"]
    assert offered(desk, "sla contract show B") == ["BETA"]
    assert offered(desk, "sla entries --client ") == ["ACME", "BETA"]


def test_variants_tiers_and_priorities_from_the_config(desk: Sla) -> None:
    assert offered(desk, "sla quote --variant ") == ["1", "2", "3"]
    assert offered(desk, "sla quote --variant 3 --tier m") == ["maximal", "minimal"]
    assert offered(desk, "sla incident open ACME-3 --priority ") == ["normal"]


def test_nothing_to_read_completes_to_nothing(sla: Sla, tmp_path: Path) -> None:
    if not SLA.exists():
        pytest.skip("the sla script is not installed beside this Python")
    gone = {"SLA_DATABASE_URL": str(tmp_path / "missing.db")}
    assert offered(sla, "sla incident ack ", **gone) == []
    broken = tmp_path / "broken.toml"
    broken.write_text("[billing\n", encoding="utf-8")
    assert offered(sla, "sla quote --variant ", SLA_CONFIG=str(broken)) == []
