"""Closing documents of a client's closed month: the «Счёт на оплату» and the «Акт выполненных
работ (оказанных услуг)».

Their lines are exactly what the month's close posted for each of the client's contracts: the
monthly fee (or the packages bought), the hours beyond the tariff, custom development or a
package's overdraft at the contract's discounted rate. An invoice leaves out a fee paid in
advance (the act, which lists what was rendered, keeps it). VAT is the config's: none («Без
НДС»), or a rate included in the amounts or added on top, figured per line to the kopeck.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from enum import StrEnum
from hashlib import sha256
from typing import Any, NamedTuple

from sla_cli.domain.durations import hours_text
from sla_cli.domain.kinds import Billing
from sla_cli.domain.money import round_money
from sla_cli.domain.month import Month
from sla_cli.domain.requisites import Party, VatTerms
from sla_cli.domain.statement import Statement
from sla_cli.formatting import money_text

__all__ = [
    "ClosingDocument",
    "DocKind",
    "DocumentLine",
    "VatTerms",
    "amount_in_words",
    "document_digest",
    "document_lines",
]

_HOUR = Decimal(60)


class DocKind(StrEnum):
    INVOICE = "invoice"
    ACT = "act"


class DocumentLine(NamedTuple):
    title: str
    quantity: Decimal
    unit: str
    price: Decimal
    amount: Decimal  # as the close posted it (VAT in it when included, before VAT otherwise)
    vat: Decimal = Decimal("0.00")


def document_lines(statements: Sequence[Statement], kind: DocKind) -> list[DocumentLine]:
    """What a document of the month lists, from the client's statements: an invoice leaves out
    a monthly fee paid in advance."""
    out: list[DocumentLine] = []
    for st in statements:
        out += _statement_lines(st, kind)
    return out


def _statement_lines(st: Statement, kind: DocKind) -> list[DocumentLine]:
    fig, terms = st.figures, st.terms
    contract = f"«{st.variant_name}», тариф «{terms.tier_name}»"
    lines: list[DocumentLine] = []
    if terms.billing == Billing.PACKAGE:
        for p in st.packages:
            hours = Decimal(p.minutes) / _HOUR
            lines.append(
                DocumentLine(
                    f"Пакет часов поддержки «{p.tier_name}», {_number(hours)} ч ({contract})",
                    Decimal(1),
                    "шт.",
                    p.price,
                    p.price,
                )
            )
    elif fig.fee and not (kind == DocKind.INVOICE and st.prepaid_offset >= fig.fee):
        lines.append(
            DocumentLine(
                f"Абонентское обслуживание: {contract}",
                Decimal(1),
                "мес.",
                fig.fee,
                fig.fee,
            )
        )
    if fig.overage_minutes and fig.overage_amount:
        if terms.billing == Billing.PACKAGE:
            what = "Перерасход часов сверх пакета"
        elif terms.included_minutes is None:
            what = "Заказная разработка"
        else:
            what = "Часы сверх тарифа"
        rate = round_money(terms.hour_rate * (100 - terms.hour_discount) / 100)
        lines.append(_hours_line(what, contract, fig.overage_minutes, rate, fig.overage_amount))
    return lines


def _hours_line(
    what: str, contract: str, minutes: int, rate: Decimal, amount: Decimal
) -> DocumentLine:
    """Hours at ``rate`` as a line whose quantity times price is its amount: in hours when they
    come to whole hundredths that do (4.00 ч × 2 100,00 = 8 400,00), else one service with the
    hours and the rate in its name (70 minutes are 1.1666… h: 1.17 × 2 700,00 would be
    3 159,00, not the 3 150,00 the close posted)."""
    hours = round_money(Decimal(minutes) / _HOUR)
    if hours * rate == amount:
        return DocumentLine(f"{what} ({contract})", hours, "ч", rate, amount)
    shown = money_text(rate).replace(".", ",")
    named = f"{what}, {hours_text(minutes)} ч по {shown} ₽/ч ({contract})"
    return DocumentLine(named, Decimal(1), "усл.", amount, amount)


def _number(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text.replace(".", ",")


class ClosingDocument(NamedTuple):
    """An invoice or an act as issued: everything it prints."""

    kind: DocKind
    number: int
    year: int
    on: date  # the month's last day
    month: Month
    client: str  # the client's key
    supplier: Party
    buyer: Party
    basis: tuple[str, ...]  # the contracts it is issued under: «Договор № 3 от 01.09.2026»
    lines: tuple[DocumentLine, ...]
    vat: VatTerms
    currency: str
    payment_days: int = 0  # an invoice: days after its date it is due
    seal: str | None = None  # the month's seal (`domain.chain.fingerprint`) when issued

    @property
    def net(self) -> Decimal:
        """The lines' amounts added up (VAT in it when included)."""
        return sum((line.amount for line in self.lines), Decimal("0.00"))

    @property
    def vat_total(self) -> Decimal:
        return sum((line.vat for line in self.lines), Decimal("0.00"))

    @property
    def total(self) -> Decimal:
        """What the client pays, VAT included."""
        return self.net if self.vat.included else self.net + self.vat_total

    @property
    def due_on(self) -> date:
        from datetime import timedelta

        return self.on + timedelta(days=self.payment_days)

    @property
    def words(self) -> str:
        return amount_in_words(self.total)

    def to_json(self) -> str:
        """What the ledger keeps of it: every figure and name it prints, in a stable form."""
        return json.dumps(self.record(), ensure_ascii=False, sort_keys=True)

    def record(self) -> dict[str, Any]:
        """Every figure and name, money as decimal strings."""
        return {
            "kind": str(self.kind),
            "number": self.number,
            "year": self.year,
            "on": self.on.isoformat(),
            "month": str(self.month),
            "client": self.client,
            "supplier": self.supplier._asdict(),
            "buyer": self.buyer._asdict(),
            "basis": list(self.basis),
            "lines": [
                {
                    "title": x.title,
                    "quantity": str(x.quantity),
                    "unit": x.unit,
                    "price": str(x.price),
                    "amount": str(x.amount),
                    "vat": str(x.vat),
                }
                for x in self.lines
            ],
            "vat_rate": None if self.vat.rate is None else str(self.vat.rate),
            "vat_included": self.vat.included,
            "currency": self.currency,
            "payment_days": self.payment_days,
            **({} if self.seal is None else {"seal": self.seal}),
        }

    @classmethod
    def from_json(cls, text: str) -> ClosingDocument:
        d = json.loads(text)
        return cls(
            kind=DocKind(d["kind"]),
            number=d["number"],
            year=d["year"],
            on=date.fromisoformat(d["on"]),
            month=Month.parse(d["month"]),
            client=d["client"],
            supplier=Party(**d["supplier"]),
            buyer=Party(**d["buyer"]),
            basis=tuple(d["basis"]),
            lines=tuple(
                DocumentLine(
                    x["title"],
                    Decimal(x["quantity"]),
                    x["unit"],
                    Decimal(x["price"]),
                    Decimal(x["amount"]),
                    Decimal(x["vat"]),
                )
                for x in d["lines"]
            ),
            vat=VatTerms(
                None if d["vat_rate"] is None else Decimal(d["vat_rate"]), d["vat_included"]
            ),
            currency=d["currency"],
            payment_days=d["payment_days"],
            seal=d.get("seal"),
        )


def with_vat(lines: Sequence[DocumentLine], vat: VatTerms) -> tuple[DocumentLine, ...]:
    return tuple(line._replace(vat=vat.of(line.amount)) for line in lines)


def document_digest(content: str, month_digest: str | None, previous: str | None) -> str:
    """The SHA-256 a document is sealed with: what it printed, the seal of its month and the
    digest of the document of its kind issued before it (so a changed one breaks the chain)."""
    h = sha256()
    for part in (content, month_digest or "", previous or ""):
        h.update(part.encode())
        h.update(b"\x00")
    return h.hexdigest()


def amount_in_words(amount: Decimal) -> str:
    """The amount in Russian words, roubles in words and kopecks in figures, as Russian
    documents write it: «Сорок три тысячи двести семьдесят пять рублей 00 копеек»."""
    from num2words import num2words

    text: str = num2words(
        round_money(amount), lang="ru", to="currency", currency="RUB", cents=False, separator=""
    )
    text = " ".join(text.split())
    return text[:1].upper() + text[1:]
