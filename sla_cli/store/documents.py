"""Closing documents, the payments of invoices, and clients' legal details."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

from sla_cli.store.base import Part
from sla_cli.store.convert import from_kopecks, to_kopecks

if TYPE_CHECKING:
    from sla_cli.domain.month import Month

# The first key of pg_advisory_xact_lock(int, int) an issue takes on its kind and year, so two
# issues at once never take the same number (SQLite's writing transaction is the only one).
DOCUMENT_LOCKS = 0x51A_D0C
DETAIL_KEYS = ("full_name", "inn", "kpp", "address")


class Issued(NamedTuple):
    """A document as the ledger holds it."""

    id: int
    kind: str
    year: int
    number: int
    client_id: int
    client: str  # the client's key
    month: str
    on: date
    amount: Decimal
    vat: Decimal
    content: str
    digest: str
    by: str
    paid: Decimal = Decimal(0)  # what its payments (less those undone) add up to
    last_paid: date | None = None


class PaymentRow(NamedTuple):
    id: int
    document_id: int
    on: date
    amount: Decimal
    by: str


_ISSUED = (
    'SELECT d.id, d.kind, d.year, d.number, d.client_id, c.key AS client, d.month, d."on", '
    'd.amount_kopecks, d.vat_kopecks, d.content, d.digest, d."by", '
    "(SELECT coalesce(sum(p.amount_kopecks), 0) FROM payments p WHERE p.document_id = d.id "
    " AND p.undoes IS NULL AND NOT EXISTS (SELECT 1 FROM payments u WHERE u.undoes = p.id)) "
    "AS paid, "
    '(SELECT max(p."on") FROM payments p WHERE p.document_id = d.id AND p.undoes IS NULL '
    " AND NOT EXISTS (SELECT 1 FROM payments u WHERE u.undoes = p.id)) AS last_paid "
    "FROM documents d JOIN clients c ON c.id = d.client_id"
)


def _issued(r: Any) -> Issued:
    last = r.last_paid
    if isinstance(last, str):  # SQLite's max() of a DATE column comes back as text
        last = date.fromisoformat(last)
    return Issued(
        r.id, r.kind, r.year, r.number, r.client_id, r.client, r.month, r.on,
        from_kopecks(r.amount_kopecks), from_kopecks(r.vat_kopecks), r.content, r.digest, r.by,
        from_kopecks(r.paid), last,
    )  # fmt: skip


class Documents(Part):
    """Invoices and acts as issued, their payments, and the clients' details they print."""

    def client_details(self, client_id: int) -> dict[str, str]:
        """The client's details in force (the latest recorded); empty when none were."""
        row = self.db.row(
            "SELECT full_name, inn, kpp, address FROM client_details WHERE client_id = :client "
            "ORDER BY id DESC LIMIT 1",
            {"client": client_id},
        )
        if row is None:
            return {}
        return {k: v for k, v in zip(DETAIL_KEYS, row, strict=True) if v}

    def add_client_details(self, client_id: int, values: dict[str, str], by: str) -> None:
        self.db.insert(
            "client_details",
            {"client_id": client_id, **{k: values.get(k) or None for k in DETAIL_KEYS},
             "by": by, "created_at": self.db.clock()},
        )  # fmt: skip

    def lock_numbers(self, kind: str, year: int) -> None:
        """Wait for any other issue of a ``kind`` document numbered in ``year`` to commit."""
        self.db.lock(DOCUMENT_LOCKS, f"{kind}-{year}")

    def issued(self, kind: str, client_id: int, month: Month) -> Issued | None:
        """The client's ``kind`` document of ``month``, when one was issued."""
        row = self.db.row(
            f"{_ISSUED} WHERE d.kind = :kind AND d.client_id = :client AND d.month = :month",
            {"kind": kind, "client": client_id, "month": str(month)},
        )
        return None if row is None else _issued(row)

    def last_issued(self, kind: str, year: int) -> tuple[int, str | None]:
        """The highest number of ``kind`` in ``year`` (0 for none) and the digest of the
        document of that kind issued last (the chain's end), if any."""
        number = self.db.number(
            "SELECT max(number) FROM documents WHERE kind = :kind AND year = :year",
            {"kind": kind, "year": year},
        )
        digest = self.db.value(
            "SELECT digest FROM documents WHERE kind = :kind ORDER BY id DESC LIMIT 1",
            {"kind": kind},
        )
        return number, digest

    def add_document(self, values: dict[str, Any], conflict: Exception) -> int:
        row = dict(values)
        row["amount_kopecks"] = to_kopecks(row.pop("amount"))
        row["vat_kopecks"] = to_kopecks(row.pop("vat"))
        row["created_at"] = self.db.clock()
        return self.db.insert("documents", row, conflict)

    def documents(
        self, kind: str | None = None, client_id: int | None = None, number: int | None = None,
        year: int | None = None,
    ) -> list[Issued]:  # fmt: skip
        """Documents, by kind, year and number (every one, or those asked for)."""
        conditions, params = ["1 = 1"], {}
        for name, value in (("kind", kind), ("client_id", client_id), ("number", number),
                            ("year", year)):  # fmt: skip
            if value is not None:
                conditions.append(f"d.{name} = :{name}")
                params[name] = value
        rows = self.db.rows(
            f"{_ISSUED} WHERE {' AND '.join(conditions)} ORDER BY d.kind, d.year, d.number",
            params,
        )
        return [_issued(r) for r in rows]

    def chain(self) -> list[Issued]:
        """Every document in the order it was issued (``id``), as the digests chain them."""
        return [_issued(r) for r in self.db.rows(f"{_ISSUED} ORDER BY d.id")]

    def add_payment(self, document_id: int, on: date, amount: Decimal, note: str | None,
                    by: str) -> int:  # fmt: skip
        return self.db.insert(
            "payments",
            {"document_id": document_id, "on": on, "amount_kopecks": to_kopecks(amount),
             "note": note, "by": by, "created_at": self.db.clock()},
        )  # fmt: skip

    def last_payment(self, document_id: int | None, by: str | None) -> PaymentRow | None:
        """The latest payment not undone (of the document, or recorded by ``by``)."""
        conditions = ["p.undoes IS NULL", "NOT EXISTS (SELECT 1 FROM payments u "
                      "WHERE u.undoes = p.id)"]  # fmt: skip
        params: dict[str, Any] = {}
        if document_id is not None:
            conditions.append("p.document_id = :document")
            params["document"] = document_id
        if by is not None:
            conditions.append('p."by" = :by')
            params["by"] = by
        row = self.db.row(
            f'SELECT p.id, p.document_id, p."on", p.amount_kopecks, p."by" FROM payments p '
            f"WHERE {' AND '.join(conditions)} ORDER BY p.id DESC LIMIT 1",
            params,
        )
        if row is None:
            return None
        return PaymentRow(row.id, row.document_id, row.on, from_kopecks(row.amount_kopecks),
                          row.by)  # fmt: skip

    def undo_payment(self, payment: PaymentRow, by: str, conflict: Exception) -> int:
        return self.db.insert(
            "payments",
            {"document_id": payment.document_id, "on": payment.on,
             "amount_kopecks": -to_kopecks(payment.amount), "undoes": payment.id,
             "note": None, "by": by, "created_at": self.db.clock()},
            conflict,
        )  # fmt: skip
