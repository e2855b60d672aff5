"""Closing documents of a closed month: the «Счёт на оплату» and the «Акт», numbered once per
kind and year, with exactly what the close posted, VAT as the config says and the total in
words; payments of invoices; the clients' details; `sla verify` over them.

October 2026, built by hand (figures computed by hand below); closed on 24 November:
- ACME, variant 1 «Базовый» (15 h, 42 000,00 a month), hour discount 10 % (2 700,00 an hour),
  from 1 September: ACME-12 (an incident «Не формируется счёт-фактура», acknowledged after
  0:30, work from 11:00: both met) anna 10:00 support and boris 3:00 development; ACME-40 (no
  incident) vera 4:00 support, and a 2:00 entry voided. Used 17:00: 2:00 beyond the tier,
  5 400,00. Due 47 400,00.
- BETA, variant 2 «Стандартный» (250 000,00 a month, unlimited support), hour discount 30 %
  (2 100,00 an hour), from 1 October, its first month paid at signing: BETA-3 boris 4:00
  development (8 400,00), BETA-7 anna 2:00 support. Due 258 400,00, of it 250 000,00 prepaid.
- GAMMA, variant 3 «Минимальный» package (10 h, 29 000,00), from 1 October: GAMMA-1 (an
  incident without a title, never acknowledged) vera 6:00 and 6:00 support: an overdraft of
  2:00 at 3 000,00, 6 000,00. Due 35 000,00.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from sla_cli.config.defaults import default_document, write_config
from tests.conftest import Sla

NOW = {"SLA_NOW": "2026-11-24T12:00:00+03:00"}
COMPANY = {
    "full_name": "ООО «КИТ Консалтинг»",
    "inn": "7701234560",
    "kpp": "770101001",
    "ogrn": "1027700000019",
    "address": "123456, г. Москва, ул. Примерная, д. 1",
    "bank": "АО «Пример Банк»",
    "bik": "044525999",
    "account": "40702810900000001234",
    "corr_account": "30101810600000000999",
    "signatory": "Генеральный директор Иванов И. И.",
}
ACME_INN = "7723456782"


def configure(sla: Sla, vat: str = "none", included: bool = True, **company: str) -> None:
    doc = default_document()
    doc["company"].update({**COMPANY, **company})
    doc["billing"].update({"vat": vat, "vat_included": included})
    write_config(sla.config, doc, force=True)


def build(sla: Sla) -> None:
    configure(sla)
    for args in (
        ("Acme", "--key", "ACME", "--variant", "1", "--tier", "basic", "--start", "2026-09-01",
         "--months", "12", "--hour-discount", "10"),
        ("Beta", "--key", "BETA", "--variant", "2", "--tier", "standard", "--start",
         "2026-10-01", "--months", "12", "--hour-discount", "30", "--prepaid-months", "1"),
        ("Gamma", "--key", "GAMMA", "--variant", "3", "--tier", "minimal", "--start",
         "2026-10-01"),
    ):  # fmt: skip
        sla.ok("contract", "add", *args, env=NOW)
    address = "г. Москва, ул. Кожевническая, д. 7"
    sla.ok("client", "set", "ACME", "--full-name", "ООО «Акме»", "--inn", ACME_INN,
           "--kpp", "772301001", "--address", address, env=NOW)  # fmt: skip
    sla.ok("incident", "open", "ACME-12", "--at", "2026-10-05T10:00",
           "--title", "Не формируется счёт-фактура", env=NOW)  # fmt: skip
    sla.ok("incident", "ack", "ACME-12", "--at", "2026-10-05T10:30", env=NOW)
    sla.ok("incident", "open", "GAMMA-1", "--at", "2026-10-09T10:00", env=NOW)
    for duration, ticket, on, by, kind in (
        ("10h", "ACME-12", "2026-10-05 --from 11:00", "anna", "support"),
        ("3h", "ACME-12", "2026-10-06", "boris", "dev"),
        ("4h", "ACME-40", "2026-10-08", "vera", "support"),
        ("4h", "BETA-3", "2026-10-12", "boris", "dev"),
        ("2h", "BETA-7", "2026-10-13", "anna", "support"),
        ("6h", "GAMMA-1", "2026-10-09", "vera", "support"),
        ("6h", "GAMMA-1", "2026-10-12", "vera", "support"),
    ):
        sla.ok("log", duration, ticket, "--on", *on.split(), "--kind", kind,
               env={**NOW, "SLA_USER": by})  # fmt: skip
    logged = sla.ok("log", "2h", "ACME-40", "--on", "2026-10-08", env=NOW).text
    found = re.match(r"entry (\d+):", logged)
    assert found is not None, logged
    sla.ok("void", found[1], env=NOW)
    sla.ok("rollover", env=NOW)


def issue(sla: Sla, kind: str, key: str, *args: str) -> dict[str, Any]:
    data: dict[str, Any] = sla.ok(kind, key, "--month", "2026-10", "-f", "json", *args,
                                  env=NOW).json()  # fmt: skip
    return data


def lines(doc: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    return [(x["title"].split(" (")[0].split(":")[0], x["quantity"], x["unit"], x["price"],
             x["amount"]) for x in doc["lines"]]  # fmt: skip


def test_the_months_statements_work_reports_and_compliance_by_hand(sla: Sla) -> None:
    build(sla)
    report = sla.ok("report", "--month", "2026-10", "-f", "json", env=NOW).json()
    found = {st["client"]: st for st in report["statements"]}
    acme, beta, gamma = found["ACME"], found["BETA"], found["GAMMA"]
    assert (acme["used_minutes"], acme["overage_minutes"], acme["amount_due"]) == (
        1020, 120, "47400.00")  # fmt: skip
    assert [(t["ticket"], t["minutes"], t["support_minutes"], t["dev_minutes"]) for t in
            acme["work"]] == [("ACME-12", 780, 600, 180), ("ACME-40", 240, 240, 0)]  # fmt: skip
    assert acme["work"][0]["title"] == "Не формируется счёт-фактура"
    assert sum(t["minutes"] for t in acme["work"]) == acme["used_minutes"]
    assert (beta["overage_minutes"], beta["overage_amount"], beta["amount_due"],
            beta["prepaid_offset"], beta["left_to_pay"]) == (
        240, "8400.00", "258400.00", "250000.00", "8400.00")  # fmt: skip
    assert [(t["ticket"], t["minutes"]) for t in beta["work"]] == [("BETA-3", 240), ("BETA-7", 120)]
    assert (gamma["overage_minutes"], gamma["overage_amount"], gamma["amount_due"]) == (
        120, "6000.00", "35000.00")  # fmt: skip
    assert gamma["closing_balance_minutes"] == 0
    reaction = {k: found[k]["compliance"]["month"][0] for k in ("ACME", "GAMMA")}
    assert found["BETA"]["compliance"]["month"] == []  # no incident
    assert (reaction["ACME"]["met"], reaction["ACME"]["breached"]) == (1, 0)
    assert (reaction["GAMMA"]["met"], reaction["GAMMA"]["breached"]) == (0, 1)
    assert acme["compliance"]["median_reaction_minutes"] == 30


def test_the_act_and_the_invoice_carry_what_the_close_posted(sla: Sla) -> None:
    build(sla)
    act = issue(sla, "act", "ACME")
    assert (act["kind"], act["number"], act["year"], act["on"]) == ("act", 1, 2026, "2026-10-31")
    assert lines(act) == [
        ("Абонентское обслуживание", "1", "мес.", "42000.00", "42000.00"),
        ("Часы сверх тарифа", "2.00", "ч", "2700.00", "5400.00"),
    ]
    assert (act["net"], act["vat"], act["total"], act["vat_rate"]) == (
        "47400.00", "0.00", "47400.00", None)  # fmt: skip
    assert act["in_words"] == "Сорок семь тысяч четыреста рублей 00 копеек"
    assert act["buyer"]["inn"] == ACME_INN and act["supplier"]["inn"] == COMPANY["inn"]
    assert act["buyer"]["name"] == "ООО «Акме»"
    # BETA's first month was paid at signing: the act lists it, the invoice asks only the rest
    beta_act, beta_invoice = issue(sla, "act", "BETA"), issue(sla, "invoice", "BETA")
    assert lines(beta_act) == [
        ("Абонентское обслуживание", "1", "мес.", "250000.00", "250000.00"),
        ("Заказная разработка", "4.00", "ч", "2100.00", "8400.00"),
    ]
    assert lines(beta_invoice) == [("Заказная разработка", "4.00", "ч", "2100.00", "8400.00")]
    assert beta_invoice["in_words"] == "Восемь тысяч четыреста рублей 00 копеек"
    assert (beta_act["number"], beta_invoice["number"]) == (2, 1)  # numbered per kind
    assert beta_invoice["due_on"] == "2026-11-10"  # ten days, the default
    gamma = issue(sla, "act", "GAMMA")
    assert lines(gamma) == [
        ("Пакет часов поддержки «Минимальный», 10 ч", "1", "шт.", "29000.00", "29000.00"),
        ("Перерасход часов сверх пакета", "2.00", "ч", "3000.00", "6000.00"),
    ]
    assert gamma["in_words"] == "Тридцать пять тысяч рублей 00 копеек"
    assert gamma["number"] == 3


@pytest.mark.parametrize(
    ("vat", "included", "line_vat", "vat_total", "total", "words"),
    [
        ("20", True, ["7000.00", "900.00"], "7900.00", "47400.00",
         "Сорок семь тысяч четыреста рублей 00 копеек"),
        ("20", False, ["8400.00", "1080.00"], "9480.00", "56880.00",
         "Пятьдесят шесть тысяч восемьсот восемьдесят рублей 00 копеек"),
        ("10", True, ["3818.18", "490.91"], "4309.09", "47400.00",
         "Сорок семь тысяч четыреста рублей 00 копеек"),
    ],
)  # fmt: skip
def test_vat_included_or_on_top_per_line_and_in_total(
    sla: Sla, vat: str, included: bool, line_vat: list[str], vat_total: str, total: str,
    words: str,
) -> None:  # fmt: skip
    build(sla)
    configure(sla, vat=vat, included=included)
    act = issue(sla, "act", "ACME")
    assert [x["vat"] for x in act["lines"]] == line_vat
    assert (act["vat"], act["total"], act["in_words"]) == (vat_total, total, words)
    html = sla.ok("act", "ACME", "--month", "2026-10", env=NOW).text
    label = "В том числе НДС" if included else "НДС"
    assert f"{label} ({vat} %):" in html and "Без НДС" not in html


def test_a_document_is_numbered_once_and_printed_the_same_ever_after(sla: Sla) -> None:
    build(sla)
    first = issue(sla, "invoice", "ACME")
    assert first["number"] == 1
    configure(sla, vat="20", included=False, full_name="ООО «Другое имя»")  # changed since
    again = issue(sla, "invoice", "ACME")
    assert again == first  # the same document: same number, parties and VAT as issued
    second = issue(sla, "invoice", "GAMMA")
    assert second["number"] == 2 and second["supplier"]["name"] == "ООО «Другое имя»"
    listed = sla.ok("invoices", "-f", "json", env=NOW).json()
    assert [(x["number"], x["client"], x["amount"]) for x in listed] == [
        (1, "ACME", "47400.00"),
        (2, "GAMMA", "42000.00"),  # 35 000,00 and 20 % on top
    ]
    assert sla.ok("verify", env=NOW).exit_code == 0


def test_a_months_invoice_and_act_charge_vat_alike(sla: Sla) -> None:
    """The invoice was issued without VAT; the config then adds 20 % on top. GAMMA's act of
    the same month states the invoice's total, 35 000,00, not 42 000,00; another client's
    first document of the month follows the config."""
    build(sla)
    invoice = issue(sla, "invoice", "GAMMA")
    configure(sla, vat="20", included=False)
    act = issue(sla, "act", "GAMMA")
    assert (invoice["total"], act["total"], act["vat"]) == ("35000.00", "35000.00", "0.00")
    assert issue(sla, "act", "ACME")["total"] == "56880.00"  # 47 400,00 and 20 % on top


def test_no_document_of_an_open_month_nor_without_the_companys_details(sla: Sla) -> None:
    build(sla)
    r = sla("act", "ACME", "--month", "2026-11", env=NOW)
    assert r.exit_code == 2 and "2026-11 is not closed" in r.stderr
    configure(sla, bik="", account="", corr_account="")
    r = sla("invoice", "ACME", "--month", "2026-10", env=NOW)
    assert r.exit_code == 2
    assert "needs company.bik, company.account in the config" in r.stderr
    assert sla.ok("invoices", "-f", "json", env=NOW).json() == []
    assert issue(sla, "act", "ACME")["number"] == 1  # an act needs no bank details


@pytest.mark.parametrize(
    ("key", "value", "said"),
    [
        ("inn", "7701234561", "company.inn: the ИНН (INN) 7701234561 has a wrong check digit"),
        ("account", "4070281090000000123", "company.account: a settlement account is 20 digits"),
        ("account", "40702810900000001235", "company.account: the settlement account"),
        ("kpp", "77010100", "company.kpp: a КПП (KPP) is 9 characters"),
        ("bik", "04452599", "company.bik: a БИК (BIC) is 9 digits"),
        ("ogrn", "1027700000018", "company.ogrn: the ОГРН (OGRN) 1027700000018 has a wrong"),
    ],
)
def test_bad_company_details_exit_2_naming_the_key_and_issue_nothing(
    sla: Sla, key: str, value: str, said: str
) -> None:
    build(sla)
    configure(sla, **{key: value})
    r = sla("invoice", "ACME", "--month", "2026-10", env=NOW)
    assert r.exit_code == 2, r.stderr
    assert said in r.stderr
    configure(sla)
    assert sla.ok("invoices", "-f", "json", env=NOW).json() == []


def test_a_clients_details_are_checked_and_kept(sla: Sla) -> None:
    build(sla)
    r = sla("client", "set", "ACME", "--inn", "7723456783", env=NOW)
    assert (
        r.exit_code == 2 and "--inn: the ИНН (INN) 7723456783 has a wrong check digit" in r.stderr
    )
    shown = sla.ok("client", "show", "ACME", "-f", "json", env=NOW).json()
    assert shown["inn"] == ACME_INN  # unchanged
    sla.ok("client", "set", "ACME", "--kpp", "", env=NOW)  # cleared
    shown = sla.ok("client", "show", "ACME", "-f", "json", env=NOW).json()
    assert shown["kpp"] is None and shown["full_name"] == "ООО «Акме»"


def test_payments_and_what_is_due(sla: Sla) -> None:
    build(sla)
    issue(sla, "invoice", "ACME")
    issue(sla, "invoice", "GAMMA")
    r = sla("paid", "1", "--on", "2026-11-12", "--amount", "0.004", env=NOW)
    assert r.exit_code == 2 and "not roubles and kopecks" in r.stderr  # nothing recorded
    paid = sla.ok("paid", "1", "--on", "2026-11-12", "--amount", "40000", "-f", "json", env=NOW)
    assert (paid.json()["payment"], paid.json()["paid"]) == ("40000.00", "40000.00")
    listed = {x["client"]: x for x in sla.ok("invoices", "-f", "json", env=NOW).json()}
    assert (listed["ACME"]["paid"], listed["ACME"]["left_to_pay"], listed["ACME"]["status"]) == (
        "40000.00", "7400.00", "overdue")  # fmt: skip
    assert listed["ACME"]["days_overdue"] == 14  # due 10 November, today the 24th
    r = sla("paid", "2026-1", "--on", "2026-11-20", "--amount", "7400.01", env=NOW)
    assert r.exit_code == 2 and "more than invoice 2026-1 still asks for (7400.00)" in r.stderr
    sla.ok("paid", "2026-1", "--on", "2026-11-20", env=NOW)  # the rest
    unpaid = sla.ok("invoices", "--unpaid", "-f", "json", env=NOW).json()
    assert [x["client"] for x in unpaid] == ["GAMMA"]
    r = sla("paid", "1", "--on", "2026-11-21", env=NOW)
    assert r.exit_code == 2 and "paid in full already" in r.stderr
    sla.ok("paid", "1", "--undo", env=NOW)
    unpaid = sla.ok("invoices", "--unpaid", "-f", "json", env=NOW).json()
    assert [(x["client"], x["left_to_pay"]) for x in unpaid] == [
        ("ACME", "7400.00"),
        ("GAMMA", "35000.00"),
    ]
    r = sla("paid", "3", "--on", "2026-11-20", env=NOW)
    assert r.exit_code == 3 or r.exit_code == 2
    assert "no invoice 3" in r.stderr
    r = sla("paid", "1", "--on", "2026-12-20", env=NOW)
    assert r.exit_code == 2 and "in the future" in r.stderr
    r = sla("paid", "1", "--on", "2026-10-15", "--amount", "100", env=NOW)  # issued 2026-10-31
    assert r.exit_code == 2 and "before invoice 2026-1 was issued (2026-10-31)" in r.stderr
    assert sla.ok("invoices", "-f", "json", env=NOW).json()[0]["paid"] == unpaid[0]["paid"]
    csv_text = sla.ok("invoices", "-f", "csv", env=NOW).text
    assert csv_text.splitlines()[0] == (
        "number,year,client,month,on,due_on,amount,paid,left_to_pay,days_overdue,status"
    )


def _ledger(sla: Sla) -> Path:
    return Path(sla.db_url.removeprefix("sqlite:///"))


def _unguarded(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'"):
        if name.startswith("documents_"):
            conn.execute(f'DROP TRIGGER "{name}"')
    return conn


def test_verify_notices_a_changed_document_and_a_missing_number(sla: Sla) -> None:
    build(sla)
    for key in ("ACME", "BETA", "GAMMA"):
        issue(sla, "act", key)
    assert sla.ok("verify", env=NOW).exit_code == 0
    conn = _unguarded(_ledger(sla))
    conn.execute("UPDATE documents SET content = replace(content, '42000.00', '41000.00') "
                 "WHERE number = 1")  # fmt: skip
    conn.execute("DELETE FROM documents WHERE number = 2")
    conn.commit()
    conn.close()
    r = sla("verify", env=NOW)
    assert r.exit_code == 1
    assert "act 2026-1 is not what was issued" in r.stdout
    assert "act 2026: numbers 2 are missing" in r.stdout
    assert "documents_no_update" in r.stdout  # and the dropped guards
    found = sla("verify", "-f", "json", env=NOW).json()
    assert {d["figure"] for d in found["differences"]} == {"document", "numbers"}


def test_the_pdf_act_and_invoice_read_back(sla: Sla, tmp_path: Path) -> None:
    pytest.importorskip("weasyprint")
    from pypdf import PdfReader

    build(sla)
    for kind, key in (("act", "ACME"), ("invoice", "GAMMA")):
        target = tmp_path / f"{kind}.pdf"
        r = sla.ok(kind, key, "--month", "2026-10", "-f", "pdf", "-o", str(target), env=NOW)
        assert f"{kind} 2026-1 for {key} 2026-10 (issued) written to" in r.text
        pdf = PdfReader(target)
        assert len(pdf.pages) == 1  # it fits the page
        box = pdf.pages[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4
        text = " ".join(pdf.pages[0].extract_text().split())
        title = "Акт № 1 от 31 октября 2026 г." if kind == "act" else "Счёт на оплату № 1"
        assert title in text
        assert COMPANY["inn"] in text
        if kind == "act":
            assert ACME_INN in text and "42 000,00" in text and "5 400,00" in text
            assert "47 400,00" in text and "Сорок семь тысяч четыреста рублей 00 копеек" in text
        else:
            assert COMPANY["account"] in text and COMPANY["bik"] in text
            assert "29 000,00" in text and "6 000,00" in text and "35 000,00" in text
            assert "Тридцать пять тысяч рублей 00 копеек" in text


def test_a_month_that_no_longer_matches_its_close_issues_no_document(sla: Sla) -> None:
    build(sla)
    conn = sqlite3.connect(_ledger(sla))
    conn.execute("DROP TRIGGER entries_open_month")  # as a restore of an old copy could leave it
    conn.execute(
        'INSERT INTO entries (contract_id, client_id, ticket, "on", minutes, type, category, '
        "kind, \"by\", created_at) SELECT id, client_id, 'ACME-99', '2026-10-20', 60, 'work', "
        "'work', 'support', 'x', '2026-11-01 09:00:00' FROM contracts WHERE id = 1"
    )
    conn.commit()
    conn.close()
    r = sla("act", "ACME", "--month", "2026-10", env=NOW)
    assert r.exit_code == 1, r.stderr
    assert "2026-10 no longer matches its close" in r.stderr
    assert sla.ok("invoices", "-f", "json", env=NOW).json() == []


def test_a_package_month_with_nothing_to_bill_says_so(sla: Sla) -> None:
    """Variant 3 has no fee: a month of hours within the balance bills nothing, and the
    invoice says why (not that a fee was paid in advance)."""
    configure(sla)
    sla.ok("contract", "add", "Gamma", "--key", "GAMMA", "--variant", "3", "--tier", "minimal",
           "--start", "2026-09-01", env=NOW)  # fmt: skip
    sla.ok("log", "1h", "GAMMA-1", "--on", "2026-10-05", env=NOW)
    sla.ok("rollover", env=NOW)
    r = sla("invoice", "GAMMA", "--month", "2026-10", env=NOW)
    assert r.exit_code == 2
    assert "nothing was billed for the month (no package bought, no hours beyond" in r.stderr
    assert "paid in advance" not in r.stderr
