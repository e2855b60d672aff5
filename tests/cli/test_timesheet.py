"""`sla timesheet`: who worked how long, by day and client; the demo's October adds up."""

from __future__ import annotations

import csv
import io

from tests.conftest import Sla


def test_the_demos_october_adds_up_to_its_entries(sla: Sla, demo_env: dict[str, str]) -> None:
    sheet = sla.ok("timesheet", "--month", "2026-10", "-f", "json", env=demo_env).json()
    entries = sla.ok("entries", "--month", "2026-10", "-f", "json", env=demo_env).json()
    worked = sum(e["minutes"] for e in entries if e["type"] == "work")
    voided = -sum(e["minutes"] for e in entries if e["type"] == "reversal")
    assert sum(e["minutes"] for e in sheet["engineers"]) == sheet["minutes"] == worked - voided
    for e in sheet["engineers"]:
        assert sum(d["minutes"] for d in e["days"]) == e["minutes"]
        assert sum(c["minutes"] for c in e["clients"]) == e["minutes"]
        mine = sum(x["minutes"] for x in entries if x["type"] == "work" and x["by"] == e["by"])
        assert e["minutes"] <= mine  # voided entries are left out
    report = sla.ok("report", "--month", "2026-10", "-f", "json", env=demo_env).json()
    used = {s["client"]: s["used_minutes"] for s in report["statements"]}
    assert {c["client"]: c["minutes"] for c in sheet["clients"]} == used


def test_one_engineer_csv_md_and_an_80_column_table(sla: Sla, demo_env: dict[str, str]) -> None:
    sheet = sla.ok("timesheet", "--month", "2026-10", "--by", "vera", "-f", "json",
                   env=demo_env).json()  # fmt: skip
    assert [e["by"] for e in sheet["engineers"]] == ["vera"]
    text = sla.ok("timesheet", "--month", "2026-10", "-f", "csv", env=demo_env).stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    total = sla.ok("timesheet", "--month", "2026-10", "-f", "json", env=demo_env).json()
    assert sum(int(r["minutes"]) for r in rows) == total["minutes"]
    md = sla.ok("timesheet", "--month", "2026-10", "-f", "md", env=demo_env).stdout
    assert md.startswith("# Timesheet 2026-10") and "| everyone | total |" in md
    table = sla.ok("timesheet", "--month", "2026-10", env={**demo_env, "COLUMNS": "80"}).stdout
    assert max(len(line) for line in table.splitlines()) <= 80
    assert "no hours in 2026-12" in sla.ok("timesheet", "--month", "2026-12", env=demo_env).stdout
