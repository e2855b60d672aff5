"""Golden statements of a fixed ledger: the demo, built at a pinned moment, closed through October.

`SLA_UPDATE_GOLDEN=1` rewrites the files after a deliberate change; review the diff.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.conftest import Sla

GOLDEN = Path(__file__).resolve().parent.parent / "golden"
NOW = {"SLA_NOW": "2026-11-24T12:00:00+03:00"}
# a seal's fingerprint covers the rows' real-clock stamps: the same ledger built twice has two
SEAL = re.compile(r"\b(\d{4}-\d{2}):[0-9a-f]{4}(-[0-9a-f]{4}){3}\b")


def sealed(text: str) -> str:
    """``text`` with each fingerprint's digits left out (its month kept)."""
    return SEAL.sub(r"\1:xxxx-xxxx-xxxx-xxxx", text)


@pytest.mark.parametrize(
    ("fmt", "lang"), [("json", "ru"), ("csv", "ru"), ("md", "ru"), ("md", "en")]
)
def test_statement_of_the_demo_ledger(
    sla: Sla, demo_env: dict[str, str], fmt: str, lang: str
) -> None:
    out = sla.ok(
        "report", "--month", "2026-10", "--format", fmt, "--lang", lang, env=demo_env
    ).stdout
    assert fmt == "csv" or SEAL.search(out), "a closed month's statement shows its seal"
    out = sealed(out)
    golden = GOLDEN / f"demo-2026-10.{lang}.{fmt}"
    if os.environ.get("SLA_UPDATE_GOLDEN") == "1":
        golden.write_text(out, encoding="utf-8")
    assert out == golden.read_text(encoding="utf-8")


def test_entries_of_the_demo_ledger_balance(sla: Sla, demo_env: dict[str, str]) -> None:
    """Every month-close entry matches the statement it closed."""
    entries = sla.ok("entries", "--month", "2026-10", "--format", "json", env=demo_env).json()
    report = sla.ok("report", "--month", "2026-10", "--format", "json", env=demo_env).json()
    for st in report["statements"]:
        mine = [e for e in entries if e["client"] == st["client"]]
        burned = sum(e["minutes"] for e in mine if e["type"] == "burn")
        billed = sum(e["minutes"] for e in mine if e["type"] == "overage")
        worked = sum(e["minutes"] for e in mine if e["type"] == "work")
        assert (burned, billed, worked) == (
            st["burned_minutes"],
            st["overage_minutes"],
            st["used_minutes"],
        )
