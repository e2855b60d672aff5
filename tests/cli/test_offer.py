"""The offer's rules, end to end: clocks by business time, the development cap, packages that
must cover development, previews that equal the closes, quotes that equal the statements."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from tests.conftest import Sla

FEB = {"SLA_NOW": "2027-02-10T12:00:00+03:00"}
# a month closes once it is over by the real clock: the closes are of months long past
FEB26 = {"SLA_NOW": "2026-02-10T12:00:00+03:00"}
MAR26 = {"SLA_NOW": "2026-03-01T12:00:00+03:00"}


def gamma(sla: Sla, tier: str = "minimal", year: int = 2027) -> None:
    """GAMMA on variant 3 from 1 January 2027 (or ``year``), with its first package bought
    that day."""
    sla.ok(
        "contract", "add", "Gamma", "--key", "GAMMA", "--variant", "3", "--tier", tier,
        "--start", f"{year}-01-01", env=FEB if year == 2027 else FEB26,
    )  # fmt: skip


def statement(sla: Sla, month: str, env: dict[str, str]) -> dict[str, Any]:
    report = sla.ok("report", "--month", month, "--format", "json", env=env).json()
    (st,) = report["statements"]
    assert isinstance(st, dict)
    return st


def balance(sla: Sla, env: dict[str, str]) -> int:
    (c,) = sla.ok("contract", "list", "--format", "json", env=env).json()
    return int(c["balance_minutes"])


def test_an_ack_after_closing_time_for_a_deadline_at_closing_time_is_met(ledger_sla: Sla) -> None:
    ledger_sla.ok(
        "contract", "add", "Acme", "--key", "ACME", "--variant", "1", "--tier", "basic",
        "--start", "2027-01-01", "--months", "3", env=FEB,
    )  # fmt: skip
    # opened Friday 17:00 with a 2 h reaction target: due 19:00; acked at 19:30
    ledger_sla.ok("incident", "open", "ACME-1", "--at", "2027-02-05 17:00", env=FEB)
    ledger_sla.ok("incident", "ack", "ACME-1", "--at", "2027-02-05 19:30", env=FEB)
    # the start-of-work clock (4 h, due Monday 11:00) runs on: at Monday 11:01 it is 1 min late
    monday = {"SLA_NOW": "2027-02-08T11:01:00+03:00"}
    (i,) = ledger_sla.ok("incident", "list", "--format", "json", env=monday).json()
    assert i["reaction_due"] == "2027-02-05T19:00:00+03:00"
    assert (i["reaction_status"], i["start_status"]) == ("met", "breached")
    found = ledger_sla.ok("breaches", "--format", "json", env=monday).json()
    assert [(b["clock"], b["overdue_minutes"]) for b in found] == [("start", 1)]


def test_development_past_the_variant_1_cap_warns_and_the_statement_carries_it(
    ledger_sla: Sla,
) -> None:
    ledger_sla.ok(
        "contract", "add", "Acme", "--key", "ACME", "--variant", "1", "--tier", "basic",
        "--start", "2027-01-01", "--months", "3", env=FEB,
    )  # fmt: skip
    for day in ("01", "02", "03", "04"):
        r = ledger_sla.ok(
            "log", "10h", "ACME-1", "--kind", "dev", "--on", f"2027-02-{day}", env=FEB
        )
        assert "custom development" not in r.stderr  # 40 h is within the cap
    r = ledger_sla.ok("log", "1h30m", "ACME-1", "--kind", "dev", "--on", "2027-02-05", env=FEB)
    warning = r.stderr.strip().splitlines()
    assert len(warning) == 1
    assert "ACME's custom development in 2027-02 is 41:30 h, 1:30 h over" in warning[0]
    assert "40:00 h" in warning[0]
    assert "warning" not in ledger_sla.ok("log", "3h", "ACME-2", env=FEB).stderr  # support
    st = statement(ledger_sla, "2027-02", FEB)
    assert st["dev_minutes"] == 41 * 60 + 30 and st["dev_over_cap_minutes"] == 90
    csv = ledger_sla.ok("report", "--month", "2027-02", "--format", "csv", env=FEB).stdout
    header, row = csv.splitlines()
    assert dict(zip(header.split(","), row.split(","), strict=True))["dev_over_cap_minutes"] == "90"


def test_package_development_needs_prepaid_hours_that_cover_it(ledger_sla: Sla) -> None:
    gamma(ledger_sla)  # 10 h
    ledger_sla.ok("log", "9h", "GAMMA-1", "--kind", "dev", "--on", "2027-02-01", env=FEB)
    before = ledger_sla.ok("entries", "--format", "json", env=FEB).json()
    r = ledger_sla("log", "2h", "GAMMA-1", "--kind", "dev", env=FEB)
    assert r.exit_code == 2 and r.stdout == ""
    assert "GAMMA has 1h of prepaid hours left for 2027-02" in r.stderr
    assert "`sla contract topup GAMMA`" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert ledger_sla.ok("entries", "--format", "json", env=FEB).json() == before
    # support past the balance still only warns (billing.refuse_overdraft is off)
    over = ledger_sla.ok("log", "2h", "GAMMA-1", env=FEB)
    assert "overdrawn by 1h" in over.stderr
    ledger_sla.ok("contract", "topup", "GAMMA", env=FEB)
    # the overdraft of 1 h is billed at February's close: 10 h of the new package remain
    ledger_sla.ok("log", "2h", "GAMMA-1", "--kind", "dev", env=FEB)


def test_an_open_earlier_months_overdraft_is_not_counted_again(ledger_sla: Sla) -> None:
    gamma(ledger_sla, year=2026)  # 10 h bought 1 January
    ledger_sla.ok("log", "12h", "GAMMA-1", "--on", "2026-01-20", env=FEB26)  # January: −2 h
    ledger_sla.ok("contract", "topup", "GAMMA", "--on", "2026-02-01", env=FEB26)  # February: 10 h
    ledger_sla.ok("log", "1h", "GAMMA-2", "--on", "2026-02-02", env=FEB26)
    assert balance(ledger_sla, FEB26) == 9 * 60  # not 7 h: January's close bills its overdraft
    r = ledger_sla.ok("log", "9h", "GAMMA-2", env=FEB26)
    assert "balance 0:00 h" in r.stdout and "warning" not in r.stderr
    jan, feb = (
        statement(ledger_sla, "2026-01", FEB26),
        statement(ledger_sla, "2026-02", FEB26),
    )
    assert (jan["overage_minutes"], jan["closing_balance_minutes"]) == (120, 0)
    assert (feb["opening_balance_minutes"], feb["closing_balance_minutes"]) == (0, 0)
    # work logged into January now, while it is open, overdraws January, not February
    r = ledger_sla.ok("log", "30m", "GAMMA-3", "--on", "2026-01-29", env=FEB26)
    assert "overdrawn by 2h30m" in r.stderr and "balance 0:00 h" in r.stdout
    ledger_sla.ok("rollover", env=MAR26)
    after = statement(ledger_sla, "2026-01", MAR26)
    assert (after["overage_minutes"], after["overage_amount"]) == (150, "7500.00")
    assert statement(ledger_sla, "2026-02", MAR26)["opening_balance_minutes"] == 0
    assert balance(ledger_sla, MAR26) == 0


def test_a_package_statement_names_the_packages_bought_in_its_month(ledger_sla: Sla) -> None:
    gamma(ledger_sla, "basic")
    ledger_sla.ok("contract", "topup", "GAMMA", "--tier", "optimal", "--on", "2027-02-03", env=FEB)
    bought = ledger_sla.ok("contract", "topup", "GAMMA", "--tier", "minimal", env=FEB)
    ledger_sla.ok("void", bought.stdout.split(":")[0].removeprefix("entry "), env=FEB)
    jan, feb = statement(ledger_sla, "2027-01", FEB), statement(ledger_sla, "2027-02", FEB)
    assert jan["packages"] == [
        {"on": "2027-01-01", "tier_name": "Базовый", "minutes": 900, "price": "42750.00"}
    ]
    assert feb["packages"] == [
        {"on": "2027-02-03", "tier_name": "Оптимальный", "minutes": 1800, "price": "81000.00"}
    ]
    assert feb["tier"] == "basic"  # the contract's own tier, as before
    md = ledger_sla.ok("report", "--month", "2027-02", "--format", "md", env=FEB).stdout
    assert "| Пакеты за месяц | «Оптимальный» (30:00) |" in md
    en = ledger_sla.ok(
        "report", "--month", "2027-01", "--format", "md", "--lang", "en", env=FEB
    ).stdout
    assert "| Packages this month | “Basic” (15:00) |" in en
    table = ledger_sla.ok("report", "--month", "2027-02", env=FEB).text
    assert "«Оптимальный» (30:00)" in table and "Базовый" not in table


def test_a_quote_totals_what_the_statements_bill(
    sla: Sla, custom_config: Callable[[str], Path]
) -> None:
    path = custom_config(
        '[[variants.1.tiers]]\nkey = "basic"\nname = "Базовый"\nhours = 15\nprice = "33333.33"\n'
    )
    env = {"SLA_CONFIG": str(path), "SLA_NOW": "2028-03-01T12:00:00+03:00"}
    q = sla.ok("quote", "--variant", "1", "--months", "13", "--format", "json", env=env).json()
    (o,) = q["options"]
    # 33 333.33 less 10 % is 29 999.997: a statement bills 30 000.00 a month
    assert (o["monthly_fee"], o["total"]) == ("33333.33", "390000.00")
    assert o["hour_price"] == "2000.00" and o["package_price"] is None
    sla.ok(
        "contract", "add", "Acme", "--key", "ACME", "--variant", "1", "--tier", "basic",
        "--start", "2027-01-01", "--months", "13", "--prepaid-months", "13", env=env,
    )  # fmt: skip
    fees = [statement(sla, f"{2027 + (m // 12)}-{m % 12 + 1:02d}", env)["fee"] for m in range(13)]
    assert sum(Decimal(f) for f in fees) == Decimal(o["total"])


def test_a_package_quote_carries_the_package_price(sla: Sla) -> None:
    q = sla.ok("quote", "--variant", "3", "--tier", "optimal", "--format", "json").json()
    (o,) = q["options"]
    assert (o["package_price"], o["total"], o["hour_price"]) == ("81000.00", "81000.00", "2700.00")
    csv = sla.ok("quote", "--variant", "3", "--tier", "optimal", "--format", "csv").stdout
    header, row = csv.splitlines()
    assert dict(zip(header.split(","), row.split(","), strict=True))["package_price"] == "81000.00"
