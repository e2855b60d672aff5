"""Month close and statements through the CLI, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Sla

NOV = {"SLA_NOW": "2026-11-24T12:00:00+03:00"}


def basic(sla: Sla, key: str = "ACME", variant: str = "1", tier: str = "basic") -> None:
    sla.ok(
        "contract", "add", key, "--key", key, "--variant", variant, "--tier", tier,
        "--start", "2026-10-01", "--months", "3", env=NOV,
    )  # fmt: skip


def statement(sla: Sla, month: str, key: str) -> dict[str, Any]:
    data = sla.ok("report", "--month", month, "--format", "json", env=NOV).json()
    (st,) = [s for s in data["statements"] if s["client"] == key]
    result: dict[str, Any] = st
    return result


def test_unused_hours_burn(ledger_sla: Sla) -> None:
    basic(ledger_sla)
    ledger_sla.ok("log", "10h", "ACME-1", "--on", "2026-10-12", env=NOV)
    out = ledger_sla.ok("rollover", "--month", "2026-10", "--format", "json", env=NOV).json()
    assert out == {
        "closed": [
            {"month": "2026-10", "client": "ACME", "burned_minutes": 300,
             "overage_minutes": 0, "carried_minutes": 0},
        ],
        "already_closed": [],
    }  # fmt: skip
    st = statement(ledger_sla, "2026-10", "ACME")
    assert (st["burned_minutes"], st["amount_due"], st["fee"]) == (300, "42000.00", "42000.00")


def test_overage_is_billed_at_the_contract_rate(ledger_sla: Sla) -> None:
    basic(ledger_sla)
    ledger_sla.ok("log", "12h", "ACME-1", "--on", "2026-10-12", env=NOV)
    ledger_sla.ok("log", "8h", "ACME-2", "--on", "2026-10-13", "--kind", "dev", env=NOV)
    out = ledger_sla.ok("rollover", "--month", "2026-10", "--format", "json", env=NOV).json()
    assert out["closed"][0]["overage_minutes"] == 300
    st = statement(ledger_sla, "2026-10", "ACME")
    assert st["overage_minutes"] == 300 and st["overage_amount"] == "15000.00"  # 5 h × 3000
    assert st["amount_due"] == "57000.00"  # fee 42 000 + overage
    assert (st["support_minutes"], st["dev_minutes"], st["used_minutes"]) == (720, 480, 1200)
    types = [e["type"] for e in ledger_sla.ok("entries", "-f", "json", env=NOV).json()]
    assert types.count("overage") == 1 and "burn" not in types


def test_a_second_rollover_writes_nothing_and_closed_months_refuse_entries(
    ledger_sla: Sla,
) -> None:
    basic(ledger_sla)
    ledger_sla.ok("log", "10h", "ACME-1", "--on", "2026-10-12", env=NOV)
    ledger_sla.ok("rollover", env=NOV)  # default: the last ended month, 2026-10
    before = ledger_sla.ok("entries", "-f", "json", env=NOV).json()
    again = ledger_sla.ok("rollover", "--format", "json", env=NOV).json()
    assert again == {"closed": [], "already_closed": ["2026-10"]}
    assert "nothing to do" in ledger_sla.ok("rollover", env=NOV).stdout
    assert ledger_sla.ok("entries", "-f", "json", env=NOV).json() == before
    late = ledger_sla("log", "1h", "ACME-3", "--on", "2026-10-30", env=NOV)
    assert late.exit_code == 2 and "2026-10 is closed" in late.stderr
    assert "adjustment" in late.stderr
    void = ledger_sla("void", str(before[0]["id"]), env=NOV)
    assert void.exit_code == 2 and "closed" in void.stderr


def test_a_month_that_has_not_ended_is_refused(ledger_sla: Sla) -> None:
    basic(ledger_sla)
    r = ledger_sla("rollover", "--month", "2026-11", env=NOV)
    assert r.exit_code == 2 and "has not ended" in r.stderr


def test_rollover_catches_up_on_missed_months_oldest_first(ledger_sla: Sla) -> None:
    basic(ledger_sla, "GAMMA", "3", "minimal")
    ledger_sla.ok("log", "4h", "GAMMA-1", "--on", "2026-10-12", env=NOV)
    late = {"SLA_NOW": "2026-12-01T12:00:00+03:00"}  # cron missed October's close
    ledger_sla.ok("contract", "topup", "GAMMA", "--on", "2026-11-02", env=late)
    ledger_sla.ok("log", "9h", "GAMMA-2", "--on", "2026-11-03", env=late)
    out = ledger_sla.ok("rollover", "--format", "json", env=late).json()
    assert [(r["month"], r["carried_minutes"], r["overage_minutes"]) for r in out["closed"]] == [
        ("2026-10", 360, 0),
        ("2026-11", 360 + 600 - 540, 0),
    ]
    nov = statement(ledger_sla, "2026-11", "GAMMA")
    assert (nov["opening_balance_minutes"], nov["closing_balance_minutes"]) == (360, 420)


def test_package_overdraft_is_billed_and_the_balance_returns_to_zero(ledger_sla: Sla) -> None:
    basic(ledger_sla, "GAMMA", "3", "minimal")
    ledger_sla.ok("log", "12h", "GAMMA-1", "--on", "2026-10-12", env=NOV)
    out = ledger_sla.ok("rollover", "--format", "json", env=NOV).json()
    assert out["closed"][0]["overage_minutes"] == 120
    st = statement(ledger_sla, "2026-10", "GAMMA")
    assert st["closing_balance_minutes"] == 0 and st["overage_amount"] == "6000.00"
    assert st["amount_due"] == "35000.00"  # the package 29 000 + 2 h overdraft
    (c,) = ledger_sla.ok("contract", "list", "-f", "json", env=NOV).json()
    assert c["balance_minutes"] == 0


def test_unlimited_variant_bills_custom_development_only(ledger_sla: Sla) -> None:
    ledger_sla.ok(
        "contract", "add", "B", "--key", "BETA", "--variant", "2", "--tier", "standard",
        "--start", "2026-10-01", "--months", "3", "--prepaid-months", "3",
        "--hour-discount", "50", env=NOV,
    )  # fmt: skip
    ledger_sla.ok("log", "20h", "BETA-1", "--on", "2026-10-12", env=NOV)
    ledger_sla.ok("log", "4h", "BETA-2", "--on", "2026-10-13", "--kind", "dev", env=NOV)
    ledger_sla.ok("rollover", env=NOV)
    st = statement(ledger_sla, "2026-10", "BETA")
    assert st["included_minutes"] is None and st["burned_minutes"] == 0
    assert st["fee"] == "225000.00"  # 250 000 less 10 % for three months prepaid
    assert st["overage_amount"] == "6000.00"  # 4 h × 3000 × 50 %
    assert st["amount_due"] == "231000.00"


def test_dry_run_shows_the_close_and_writes_nothing(ledger_sla: Sla) -> None:
    basic(ledger_sla)
    ledger_sla.ok("log", "10h", "ACME-1", "--on", "2026-10-12", env=NOV)
    out = ledger_sla.ok("rollover", "--dry-run", env=NOV).stdout
    assert "would close 2026-10" in out and "burned 5:00" in out
    assert (
        ledger_sla.ok("report", "--month", "2026-10", "-f", "json", env=NOV).json()["closed"]
        is False
    )
    ledger_sla.ok("log", "1h", "ACME-1", "--on", "2026-10-13", env=NOV)


def test_report_month_alone_is_the_current_month_as_a_preview(ledger_sla: Sla) -> None:
    basic(ledger_sla)
    ledger_sla.ok("log", "3h", "ACME-1", env=NOV)
    data = ledger_sla.ok("report", "--month", "--format", "json", env=NOV).json()
    assert data["month"] == "2026-11" and data["closed"] is False
    assert data["statements"][0]["used_minutes"] == 180
    last = ledger_sla.ok("report", "--format", "json", env=NOV).json()
    assert last["month"] == "2026-10"
    table = ledger_sla.ok("report", "--month", "--lang", "en", env=NOV).stdout
    assert "PRELIMINARY" in table


def test_report_writes_documents(ledger_sla: Sla, tmp_path: Path) -> None:
    basic(ledger_sla)
    ledger_sla.ok("log", "10h", "ACME-1", "--on", "2026-10-12", env=NOV)
    ledger_sla.ok("incident", "open", "ACME-5", "--at", "2026-10-12 10:00", env=NOV)
    ledger_sla.ok("rollover", env=NOV)
    html = tmp_path / "statement.html"
    r = ledger_sla.ok("report", "--month", "2026-10", "--format", "html", "-o", str(html), env=NOV)
    assert str(html) in r.stdout
    text = html.read_text(encoding="utf-8")
    assert "<svg" in text and "ACME-5" in text and "42 000,00" in text.replace("\u00a0", " ")
    md = ledger_sla.ok("report", "--month", "2026-10", "--format", "md", env=NOV).stdout
    assert md.startswith("#") and "ACME" in md
    csv = ledger_sla.ok("report", "--month", "2026-10", "--format", "csv", env=NOV).stdout
    assert csv.splitlines()[0].count(",") > 10
    bad = ledger_sla("report", "-o", str(tmp_path / "x"), env=NOV)
    assert bad.exit_code == 2 and "--format" in bad.stderr


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_demo_prints_statements_from_a_fresh_ledger(sla: Sla, tmp_path: Path, lang: str) -> None:
    out = sla.ok("demo", "--dir", str(tmp_path / "demo"), "--lang", lang, env=NOV).text
    for key in ("ACME", "BETA", "GAMMA"):
        assert key in out
    assert ("Итого к оплате" if lang == "ru" else "Total due") in out
    assert (tmp_path / "demo" / "ledger.db").exists()
    demo_env = {
        **NOV,
        "SLA_CONFIG": str(tmp_path / "demo" / "config.toml"),
        "SLA_DATABASE_URL": f"sqlite:///{tmp_path / 'demo' / 'ledger.db'}",
    }
    again = sla.ok("rollover", "--format", "json", env=demo_env).json()
    assert again["closed"] == [] and again["already_closed"] == ["2026-08", "2026-09", "2026-10"]


def test_demo_refuses_a_folder_that_holds_anything(sla: Sla, tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "ledger.db").write_bytes(b"precious")
    r = sla("demo", "--dir", str(folder), env=NOV)
    assert r.exit_code == 2 and "not empty" in r.stderr
    assert (folder / "ledger.db").read_bytes() == b"precious"


def test_a_closed_months_figures_stay_and_its_incidents_show_their_outcome(
    ledger_sla: Sla,
) -> None:
    basic(ledger_sla)
    ledger_sla.ok("incident", "open", "ACME-1", "--at", "2026-10-30 18:00", env=NOV)
    ledger_sla.ok("rollover", env={"SLA_NOW": "2026-11-02T09:00:00+03:00"})
    first = statement(ledger_sla, "2026-10", "ACME")
    ledger_sla.ok("incident", "ack", "ACME-1", "--at", "2026-11-02 09:30", env=NOV)
    early = ledger_sla("incident", "start", "ACME-1", "--at", "2026-10-31 10:00", env=NOV)
    assert early.exit_code == 2 and "2026-10 is closed" in early.stderr
    again = statement(ledger_sla, "2026-10", "ACME")
    money = ("fee", "used_minutes", "burned_minutes", "overage_amount", "amount_due")
    assert {k: again[k] for k in money} == {k: first[k] for k in money}
    (incident,) = again["incidents"]
    assert incident["reaction_status"] == "met"  # acknowledged within 2 business hours


def test_the_prepayment_discount_covers_the_prepaid_months_only(ledger_sla: Sla) -> None:
    ledger_sla.ok(
        "contract", "add", "P", "--key", "PRE", "--variant", "1", "--tier", "minimal",
        "--start", "2026-01-01", "--months", "12", "--prepaid-months", "7", env=NOV,
    )  # fmt: skip
    assert statement(ledger_sla, "2026-07", "PRE")["fee"] == "27075.00"  # 7th month: 5 % off
    assert statement(ledger_sla, "2026-08", "PRE")["fee"] == "28500.00"  # 8th: the list fee


def test_report_output_needs_an_existing_folder(ledger_sla: Sla, tmp_path: Path) -> None:
    basic(ledger_sla)
    target = tmp_path / "nowhere" / "statement.html"
    r = ledger_sla("report", "--month", "2026-10", "-f", "html", "-o", str(target), env=NOV)
    assert r.exit_code == 2 and "no folder" in r.stderr
    assert not target.parent.exists()


def test_months_and_dates_out_of_range_are_input_errors(ledger_sla: Sla) -> None:
    basic(ledger_sla)
    for args in (
        ("report", "--month", "0000-01"),
        ("entries", "--month", "9999-12"),
        ("log", "1h", "ACME-1", "--on", "0001-01-01"),
        ("incident", "open", "ACME-1", "--at", "0001-01-01 10:00"),
        ("void", "99999999999999999999999"),
    ):
        r = ledger_sla(*args, env=NOV)
        assert r.exit_code == 2, (args, r.stderr)
        assert r.stderr.count("\n") == 1 and "unexpected" not in r.stderr


def test_now_with_another_offset_is_read_in_the_company_zone(ledger_sla: Sla) -> None:
    basic(ledger_sla)
    late = {"SLA_NOW": "2026-11-30T22:30:00Z"}  # 01:30 on 1 December in Moscow
    ledger_sla.ok("log", "30m", "ACME-9", env=late)
    (e,) = ledger_sla.ok("entries", "-f", "json", env=late).json()
    assert e["on"] == "2026-12-01" and str(e["created_at"]).endswith("+03:00")
