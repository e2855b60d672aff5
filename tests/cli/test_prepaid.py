"""What the client owes against what was accrued: months paid in advance, at signing or later,
are offset on their statements, without changing the discount agreed at signing."""

from __future__ import annotations

from typing import Any

from tests.conftest import Sla

NOW = {"SLA_NOW": "2026-11-24T12:00:00+03:00"}


def statement(sla: Sla, month: str) -> dict[str, Any]:
    (st,) = sla.ok("report", "--month", month, "-f", "json", env=NOW).json()["statements"]
    assert isinstance(st, dict)
    return st


def test_prepaid_months_are_offset_and_the_rest_is_left_to_pay(ledger_sla: Sla) -> None:
    """Basic (15 h, 42 000 a month) from April, 7 months paid ahead (5 % off: 39 900): April to
    October are paid; October's 2 h beyond the tier are still owed; November owes its full fee
    (the discount is the prepaid term's), until it too is paid in advance."""
    ledger_sla.ok("contract", "add", "Acme", "--key", "ACME", "--variant", "1", "--tier",
                  "basic", "--start", "2026-04-01", "--months", "12", "--prepaid-months", "7",
                  env=NOW)  # fmt: skip
    ledger_sla.ok("log", "17h", "ACME-1", "--on", "2026-10-05", env=NOW)
    october, november = statement(ledger_sla, "2026-10"), statement(ledger_sla, "2026-11")
    assert (october["amount_due"], october["prepaid_offset"], october["left_to_pay"]) == (
        "45900.00",
        "39900.00",
        "6000.00",
    )
    assert (november["amount_due"], november["prepaid_offset"], november["left_to_pay"]) == (
        "42000.00",
        "0.00",
        "42000.00",
    )
    md = ledger_sla.ok("report", "--month", "2026-10", "-f", "md", env=NOW).text
    assert "| Начислено | 45 900,00 ₽ |" in md and "| Зачтено из предоплаты | -39 900,00 ₽ |" in md
    assert "| **К оплате** | **6 000,00 ₽** |" in md
    assert (
        "Итого к оплате: 6 000,00 ₽" in ledger_sla.ok("report", "--month", "2026-10", env=NOW).text
    )
    r = ledger_sla.ok("contract", "prepay", "ACME", "--months", "2", "--note", "invoice 17",
                      env=NOW)  # fmt: skip
    assert "paid 2026-11 to 2026-12 in advance" in r.stdout
    november, december = statement(ledger_sla, "2026-11"), statement(ledger_sla, "2026-12")
    assert (november["fee"], november["left_to_pay"], december["left_to_pay"]) == (
        "42000.00",
        "0.00",
        "0.00",
    )  # the discount agreed at signing stays the prepaid term's
    assert statement(ledger_sla, "2027-01")["left_to_pay"] == "42000.00"
    shown = ledger_sla.ok("contract", "show", "ACME", "-f", "json", env=NOW).json()
    assert shown["paid_until"] == "2026-12"
    assert [(h["kind"], h["months"], h["note"]) for h in shown["history"]] == [
        ("prepay", 2, "invoice 17")
    ]


def test_a_payment_in_advance_is_refused_past_the_end_or_into_a_closed_month(
    ledger_sla: Sla,
) -> None:
    ledger_sla.ok("contract", "add", "Acme", "--key", "ACME", "--variant", "1", "--tier",
                  "basic", "--start", "2026-10-01", "--months", "3", env=NOW)  # fmt: skip
    r = ledger_sla("contract", "prepay", "ACME", "--months", "3", env=NOW)
    assert r.exit_code == 2 and "beyond its end" in r.stderr
    ledger_sla.ok("rollover", env=NOW)  # October closed; November is the next month unpaid
    ledger_sla.ok("contract", "prepay", "ACME", "--months", "2", env=NOW)
    r = ledger_sla("contract", "prepay", "ACME", "--months", "1", env=NOW)
    assert r.exit_code == 2 and "beyond its end" in r.stderr
    ledger_sla.ok("contract", "add", "Pkg", "--key", "PKG", "--variant", "3", "--tier",
                  "minimal", "--start", "2026-11-01", env=NOW)  # fmt: skip
    r = ledger_sla("contract", "prepay", "PKG", "--months", "1", env=NOW)
    assert r.exit_code == 2 and "paid when it is bought" in r.stderr


def test_an_end_moved_before_months_paid_in_advance_says_so(ledger_sla: Sla) -> None:
    ledger_sla.ok("contract", "add", "Acme", "--key", "ACME", "--variant", "1", "--tier",
                  "basic", "--start", "2026-10-01", "--months", "12", "--prepaid-months", "7",
                  env=NOW)  # fmt: skip
    r = ledger_sla.ok("contract", "end", "ACME", "--on", "2026-12-31", env=NOW)
    assert "paid in advance through 2027-04, after the new end" in r.stderr
