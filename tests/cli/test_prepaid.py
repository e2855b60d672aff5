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


def test_a_contract_signed_without_paying_ahead_owes_its_first_month(ledger_sla: Sla) -> None:
    """Basic (42 000 a month) from October, nothing paid at signing: October's statement owes
    its whole fee, like every month after it, and `contract show` has nothing paid ahead."""
    ledger_sla.ok("contract", "add", "Acme", "--key", "ACME", "--variant", "1", "--tier",
                  "basic", "--start", "2026-10-01", "--months", "3", env=NOW)  # fmt: skip
    october = statement(ledger_sla, "2026-10")
    assert (october["amount_due"], october["prepaid_offset"], october["left_to_pay"]) == (
        "42000.00",
        "0.00",
        "42000.00",
    )
    shown = ledger_sla.ok("contract", "show", "ACME", "-f", "json", env=NOW).json()
    assert (shown["prepaid_months"], shown["paid_until"]) == (0, None)
    ledger_sla.ok("contract", "add", "Beta", "--key", "BETA", "--variant", "1", "--tier",
                  "basic", "--start", "2026-10-01", "--months", "3", "--prepaid-months", "0",
                  env=NOW)  # fmt: skip
    r = ledger_sla("contract", "add", "Gamma", "--key", "GAM", "--variant", "1", "--tier",
                   "basic", "--start", "2026-10-01", "--months", "3", "--prepaid-months", "4",
                   env=NOW)  # fmt: skip
    assert r.exit_code == 2 and "between 0 and the term" in r.stderr


def test_a_payment_in_advance_skips_the_closed_months_and_stops_at_the_end(
    ledger_sla: Sla,
) -> None:
    """October to December, nothing paid ahead. Four months would pay beyond the end. Once
    October is closed unpaid (its statement final, its fee owed), two months pay November and
    December, and a third would pass the end."""
    ledger_sla.ok("contract", "add", "Acme", "--key", "ACME", "--variant", "1", "--tier",
                  "basic", "--start", "2026-10-01", "--months", "3", env=NOW)  # fmt: skip
    r = ledger_sla("contract", "prepay", "ACME", "--months", "4", env=NOW)
    assert r.exit_code == 2 and "beyond its end" in r.stderr
    ledger_sla.ok("rollover", env=NOW)  # October closed; November is the next month unpaid
    r = ledger_sla.ok("contract", "prepay", "ACME", "--months", "2", env=NOW)
    assert "paid 2026-11 to 2026-12 in advance" in r.stdout
    assert statement(ledger_sla, "2026-10")["left_to_pay"] == "42000.00"  # closed, still owed
    assert statement(ledger_sla, "2026-11")["left_to_pay"] == "0.00"
    r = ledger_sla("contract", "prepay", "ACME", "--months", "1", env=NOW)
    assert r.exit_code == 2 and "beyond its end" in r.stderr
    ledger_sla.ok("contract", "add", "Pkg", "--key", "PKG", "--variant", "3", "--tier",
                  "minimal", "--start", "2026-11-01", env=NOW)  # fmt: skip
    r = ledger_sla("contract", "prepay", "PKG", "--months", "1", env=NOW)
    assert r.exit_code == 2 and "paid when it is bought" in r.stderr


def test_a_payment_after_months_closed_unpaid_pays_the_next_open_ones(ledger_sla: Sla) -> None:
    """January to March paid at signing; April closed unpaid; in May three months pay May to
    July (3 × 42 000), and April stays owed."""
    jan = {"SLA_NOW": "2026-01-10T10:00:00+03:00"}
    may = {"SLA_NOW": "2026-05-10T10:00:00+03:00"}
    ledger_sla.ok("contract", "add", "Acme", "--key", "ACME", "--variant", "1", "--tier",
                  "basic", "--start", "2026-01-01", "--months", "12", "--prepaid-months", "3",
                  env=jan)  # fmt: skip
    ledger_sla.ok("rollover", env=may)
    r = ledger_sla.ok("contract", "prepay", "ACME", "--months", "3", "--note", "May-Jul", env=may)
    assert "paid 2026-05 to 2026-07 in advance" in r.stdout
    owed = {m: statement(ledger_sla, m)["left_to_pay"] for m in ("2026-03", "2026-04", "2026-05",
                                                                 "2026-07", "2026-08")}  # fmt: skip
    assert owed == {"2026-03": "0.00", "2026-04": "42000.00", "2026-05": "0.00",
                    "2026-07": "0.00", "2026-08": "42000.00"}  # fmt: skip
    shown = ledger_sla.ok("contract", "show", "ACME", "-f", "json", env=may).json()
    assert shown["paid_until"] == "2026-07"
    r = ledger_sla.ok("contract", "prepay", "ACME", "--months", "1", env=may)  # follows on
    assert "paid 2026-08 in advance; paid through 2026-08" in r.stdout


def test_an_end_moved_before_months_paid_in_advance_says_so(ledger_sla: Sla) -> None:
    ledger_sla.ok("contract", "add", "Acme", "--key", "ACME", "--variant", "1", "--tier",
                  "basic", "--start", "2026-10-01", "--months", "12", "--prepaid-months", "7",
                  env=NOW)  # fmt: skip
    r = ledger_sla.ok("contract", "end", "ACME", "--on", "2026-12-31", env=NOW)
    assert "paid in advance through 2027-04, after the new end" in r.stderr


def test_a_downgrade_below_0013_refuses_what_0012_cannot_hold(ledger_sla: Sla) -> None:
    """Revision 0012 has no contract signed with nothing paid ahead: the downgrade changes
    nothing and says why; with every contract paid at signing, it goes through."""
    import pytest

    from tests.store.test_migrations import migrate

    ledger_sla.ok("contract", "add", "Acme", "--key", "ACME", "--variant", "1", "--tier",
                  "basic", "--start", "2026-10-01", "--months", "3", env=NOW)  # fmt: skip
    with pytest.raises(RuntimeError, match="revision 0012 cannot hold; nothing was changed"):
        migrate(ledger_sla.db_url, "0012", down=True)
    assert statement(ledger_sla, "2026-10")["left_to_pay"] == "42000.00"  # still at 0013
