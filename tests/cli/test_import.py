"""`sla import`: all or nothing, once per file, every rule of `sla log`; CSV and Watson."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from tests.conftest import Sla

NOW = {"SLA_NOW": "2026-11-24T12:00:00+03:00"}
HEADER = "date,duration,ticket,client,kind,by,from,note\n"


def signed(sla: Sla) -> None:
    for key, variant, tier in (("ACME", "1", "extended"), ("PKG", "3", "maximal")):
        months = ["--months", "12"] if variant == "1" else []
        sla.ok("contract", "add", key, "--key", key, "--variant", variant, "--tier", tier,
               "--start", "2026-10-01", *months, env=NOW)  # fmt: skip


def big_csv(path: Path, rows: int, bad: int | None = None) -> Path:
    lines = [HEADER]
    for n in range(rows):
        day = f"2026-11-{n % 20 + 1:02d}"
        duration = "2x" if n == bad else ("15m", "1h", "0:30", "1ч30м")[n % 4]
        lines.append(f"{day},{duration},ACME-{n % 40},,support,eng{n % 5},09:00,task {n}\n")
    path.write_text("".join(lines), encoding="utf-8")
    return path


def work_count(sla: Sla) -> int:
    return sum(e["type"] == "work" for e in sla.ok("entries", "-f", "json", env=NOW).json())


def test_ten_thousand_rows_in_seconds_and_never_twice(ledger_sla: Sla, tmp_path: Path) -> None:
    signed(ledger_sla)
    path = big_csv(tmp_path / "hours.csv", 10_000)
    started = time.monotonic()
    r = ledger_sla.ok("import", str(path), env=NOW)
    took = time.monotonic() - started
    assert "imported 10000 entries" in r.stdout
    assert took < 5, took
    assert work_count(ledger_sla) == 10_000
    again = ledger_sla("import", str(path), env=NOW)
    assert again.exit_code == 2 and "imported already" in again.stderr
    assert work_count(ledger_sla) == 10_000


def test_one_bad_row_among_ten_thousand_writes_nothing(ledger_sla: Sla, tmp_path: Path) -> None:
    signed(ledger_sla)
    path = big_csv(tmp_path / "hours.csv", 10_000, bad=7_345)
    r = ledger_sla("import", str(path), env=NOW)
    assert r.exit_code == 2
    assert "line 7347, duration:" in r.stderr and "nothing was written" in r.stderr
    assert work_count(ledger_sla) == 0


@pytest.mark.parametrize(
    ("row", "words"),
    [
        ("2026-11-02,1h,NOPE-1,,,,,", "line 2: unknown client key 'NOPE'"),
        ("2026-09-02,1h,ACME-1,,,,,", "line 2: ACME has no contract active on 2026-09-02"),
        ("2026-12-02,1h,ACME-1,,,,,", "line 2: --on 2026-12-02 is in the future"),
        ("2026-11-02,1h,ACME-1,,sales,,,", "line 2, kind: 'sales' is not one of"),
        ("2026-11-02,,ACME-1,,,,,", "line 2, duration: empty"),
    ],
)
def test_every_rule_of_log_applies(ledger_sla: Sla, tmp_path: Path, row: str, words: str) -> None:
    signed(ledger_sla)
    path = tmp_path / "one.csv"
    path.write_text(HEADER + row + "\n", encoding="utf-8")
    r = ledger_sla("import", str(path), env=NOW)
    assert r.exit_code == 2 and words in r.stderr, r.stderr
    assert work_count(ledger_sla) == 0


def test_rounding_closed_months_overdraft_and_a_dry_run(sla: Sla, tmp_path: Path) -> None:
    signed(sla)
    sla.ok("rollover", env=NOW)  # October is closed
    path = tmp_path / "late.csv"
    path.write_text(HEADER + "2026-10-30,1h,ACME-1,,,,,\n", encoding="utf-8")
    r = sla("import", str(path), env=NOW)
    assert r.exit_code == 2 and "2026-10 is closed" in r.stderr
    path.write_text(HEADER + "2026-11-02,7m,ACME-1,,dev,vera,10:00,fix\n", encoding="utf-8")
    dry = sla.ok("import", str(path), "--dry-run", env=NOW)
    assert "would import 1 entries" in dry.stdout and work_count(sla) == 0
    sla.ok("import", str(path), env=NOW)
    (entry,) = [e for e in sla.ok("entries", "-f", "json").json() if e["type"] == "work"]
    assert (entry["minutes"], entry["by"], entry["kind"], entry["note"]) == (
        7,
        "vera",
        "dev",
        "fix",
    )


def test_watsons_frames_by_project_or_tag(sla: Sla, tmp_path: Path) -> None:
    signed(sla)
    frames = [
        {"id": "a", "start": "2026-11-02T10:00:00+03:00", "stop": "2026-11-02T11:30:00+03:00",
         "project": "ACME-3", "tags": ["PKG-1", "backup"]},
        {"id": "b", "start": "2026-11-03T07:00:00+00:00", "stop": "2026-11-03T07:45:00+00:00",
         "project": "ACME-4", "tags": ["PKG-2"]},
    ]  # fmt: skip
    path = tmp_path / "watson.json"
    path.write_text(json.dumps(frames), encoding="utf-8")
    sla.ok("import", str(path), "--dry-run", env=NOW)
    sla.ok("import", str(path), "--ticket-from", "tag", env=NOW)
    found = [(e["ticket"], e["minutes"], e["on"]) for e in
             sla.ok("entries", "-f", "json").json() if e["type"] == "work"]  # fmt: skip
    assert found == [("PKG-1", 90, "2026-11-02"), ("PKG-2", 45, "2026-11-03")]
    path.write_text(json.dumps([{**frames[0], "stop": "nope"}]), encoding="utf-8")
    r = sla("import", str(path), env=NOW)
    assert r.exit_code == 2 and "frame 1, stop:" in r.stderr


def test_a_package_is_never_overdrawn_past_its_balance_by_an_import(
    sla: Sla, tmp_path: Path
) -> None:
    from sla_cli.config import default_document, write_config

    doc = default_document()
    doc["billing"]["refuse_overdraft"] = True
    doc["billing"]["increment_minutes"] = 15
    write_config(sla.config, doc, force=True)
    signed(sla)  # PKG holds 50 h
    path = tmp_path / "pkg.csv"
    rows = [f"2026-11-{n % 20 + 1:02d},50m,PKG-{n},,,,,\n" for n in range(60)]
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    r = sla("import", str(path), env=NOW)
    # 50 minutes round up to 1 h: the 51st row (line 52) is the first past the 50 h
    assert r.exit_code == 2 and "line 52:" in r.stderr and "nothing was written" in r.stderr
    path.write_text(HEADER + "".join(rows[:50]), encoding="utf-8")
    sla.ok("import", str(path), env=NOW)
    assert {
        e["minutes"] for e in sla.ok("entries", "-f", "json").json() if e["type"] == "work"
    } == {60}
