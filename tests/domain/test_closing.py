"""Closing documents in the domain: their lines from statements, VAT, the words, the seal."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sla_cli.domain.closing import (
    ClosingDocument,
    DocKind,
    _hours_line,
    amount_in_words,
    document_digest,
    document_lines,
    with_vat,
)
from sla_cli.domain.month import Month
from sla_cli.domain.requisites import Party, VatTerms
from tests.report_fixture import acme, gamma

money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999999.99"), places=2)


def test_the_lines_are_what_the_statement_accrued() -> None:
    for st_ in (acme(), gamma()):
        found = document_lines([st_], DocKind.ACT)
        assert sum(x.amount for x in found) == st_.figures.amount_due


def test_an_invoice_leaves_out_a_fee_paid_in_advance_the_act_keeps_it() -> None:
    prepaid = replace(acme(), prepaid_offset=acme().figures.fee)
    act, invoice = (
        document_lines([prepaid], DocKind.ACT),
        document_lines([prepaid], DocKind.INVOICE),
    )
    assert sum(x.amount for x in act) == prepaid.figures.amount_due
    assert sum(x.amount for x in invoice) == prepaid.left_to_pay


@given(money, st.sampled_from([Decimal(10), Decimal(20), Decimal("12.5")]))
def test_vat_included_is_inside_the_amount_and_added_is_on_top(
    amount: Decimal, rate: Decimal
) -> None:
    inside, on_top = VatTerms(rate, True).of(amount), VatTerms(rate, False).of(amount)
    cent = Decimal("0.01")  # half a kopeck rounds up, as money does everywhere in the ledger
    assert inside == (amount * rate / (100 + rate)).quantize(cent, ROUND_HALF_UP)
    assert on_top == (amount * rate / 100).quantize(cent, ROUND_HALF_UP)
    assert 0 <= inside <= on_top
    assert VatTerms().of(amount) == 0


def test_amounts_in_words() -> None:
    assert amount_in_words(Decimal("43275.00")) == (
        "Сорок три тысячи двести семьдесят пять рублей 00 копеек"
    )
    assert amount_in_words(Decimal("1.01")) == "Один рубль 01 копейка"
    assert amount_in_words(Decimal("2002.52")) == "Две тысячи два рубля 52 копейки"
    assert amount_in_words(Decimal("1000000")) == "Один миллион рублей 00 копеек"


@given(money, st.booleans())
def test_a_document_keeps_every_figure_through_the_ledger(amount: Decimal, included: bool) -> None:
    lines = with_vat(document_lines([acme()], DocKind.ACT), VatTerms(Decimal(20), included))
    lines = (*lines, lines[0]._replace(amount=amount, price=amount))
    doc = ClosingDocument(
        DocKind.ACT, 7, 2026, date(2026, 10, 31), Month(2026, 10), "ACME",
        Party("ООО «КИТ»", inn="7701234560"), Party("ООО «Акме»"), ("Договор № 1",),
        lines, VatTerms(Decimal(20), included), "RUB",
    )  # fmt: skip
    assert ClosingDocument.from_json(doc.to_json()) == doc
    assert doc.total == (doc.net if included else doc.net + doc.vat_total)


def test_a_documents_digest_chains_it_to_its_month_and_the_one_before() -> None:
    a = document_digest("{}", "month", None)
    assert a != document_digest("{} ", "month", None)
    assert a != document_digest("{}", "other month", None)
    assert a != document_digest("{}", "month", "previous")
    assert a == document_digest("{}", "month", None)


@pytest.mark.parametrize(
    ("minutes", "rate", "amount", "line"),
    [
        (240, "2100.00", "8400.00", ("4.00", "ч", "2100.00")),  # whole hundredths of an hour
        (70, "2700.00", "3150.00", ("1", "усл.", "3150.00")),  # 1.1666… h
        (1, "2550.00", "42.50", ("1", "усл.", "42.50")),
    ],
)
def test_an_hours_line_adds_up_to_its_amount(
    minutes: int, rate: str, amount: str, line: tuple[str, str, str]
) -> None:
    """Quantity × price is the amount the close posted on every line: hours that do not come
    to whole hundredths are one service, the hours and the rate in its name."""
    found = _hours_line("Часы сверх тарифа", "«Базовый»", minutes, Decimal(rate), Decimal(amount))
    assert (str(found.quantity), found.unit, str(found.price)) == line
    assert found.quantity * found.price == found.amount == Decimal(amount)
    if found.unit == "усл.":
        assert found.title.startswith("Часы сверх тарифа, ") and " ч по " in found.title
