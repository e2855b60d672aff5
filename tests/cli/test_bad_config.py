"""A config that contradicts itself stops every command that reads it; nothing is written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sla_cli.config.defaults import default_document, write_config
from tests.conftest import Sla

JAN12_11 = {"SLA_NOW": "2026-01-12T11:00:00+03:00"}


def bad_config(tmp_path: Path, **schedule: Any) -> Path:
    document = default_document()
    document["schedule"] = {**document["schedule"], **schedule}
    path = tmp_path / "bad.toml"
    write_config(path, document)
    return path


@pytest.mark.parametrize(
    "args",
    [
        ("calendar", "--month", "2026-12"),
        ("breaches",),
        ("incident", "open", "ACME-1", "--at", "2026-01-12 10:00"),
    ],
    ids=" ".join,
)
def test_a_date_both_holiday_and_workday_is_named_and_exits_2(
    sla: Sla, tmp_path: Path, args: tuple[str, ...]
) -> None:
    path = bad_config(tmp_path, extra_holidays=["2026-12-01"], extra_workdays=["2026-12-01"])
    r = sla(*args, env={**JAN12_11, "SLA_CONFIG": str(path)})
    assert r.exit_code == 2
    assert r.stdout == ""
    assert r.stderr.strip() == (
        f"sla: error: {path}: schedule.extra_workdays: 2026-12-01 is also in extra_holidays"
    )


def test_a_shortened_day_of_an_hour_is_named(sla: Sla, tmp_path: Path) -> None:
    path = bad_config(tmp_path, day_start="09:00", day_end="10:00", shorten_preholiday=True)
    r = sla("calendar", env={**JAN12_11, "SLA_CONFIG": str(path)})
    assert r.exit_code == 2
    assert f"{path}: schedule.shorten_preholiday: needs a working day longer" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_an_incident_under_a_bad_config_is_not_written(sla: Sla, tmp_path: Path) -> None:
    sla.ok(
        "contract", "add", "ACME", "--key", "ACME", "--variant", "1", "--tier", "basic",
        "--start", "2025-12-01", "--months", "3", env=JAN12_11,
    )  # fmt: skip
    path = bad_config(tmp_path, extra_holidays=["2026-12-01"], extra_workdays=["2026-12-01"])
    bad = sla("incident", "open", "ACME-1", "--at", "2026-01-12 10:00",
              env={**JAN12_11, "SLA_CONFIG": str(path)})  # fmt: skip
    assert bad.exit_code == 2
    assert sla.ok("incident", "list", "--format", "json", env=JAN12_11).json() == []
