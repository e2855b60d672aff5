"""Closing documents of closed months: issuing invoices and acts (numbered once), the clients'
details they print, payments of invoices, and what `sla verify` checks of them."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple

from sla_cli.domain.closing import (
    ClosingDocument,
    DocKind,
    document_digest,
    document_lines,
    with_vat,
)
from sla_cli.domain.kinds import Billing
from sla_cli.domain.money import round_money
from sla_cli.domain.month import Month
from sla_cli.domain.requisites import Party, VatTerms, party_problems
from sla_cli.domain.seal import Difference
from sla_cli.domain.text import MAX_NOTE, MAX_TITLE, check_author, check_text
from sla_cli.errors import InputError, LedgerUnavailable, NotFound
from sla_cli.ops.lookup import client_by_key

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sla_cli.domain.calendar import BusinessCalendar
    from sla_cli.domain.records import ClientRecord
    from sla_cli.domain.statement import Letterhead, Statement
    from sla_cli.store.documents import Issued
    from sla_cli.store.store import Store

DETAIL_OPTIONS = {
    "full_name": "--full-name",
    "inn": "--inn",
    "kpp": "--kpp",
    "address": "--address",
}
_REQUIRED = {
    DocKind.ACT: ("inn", "address"),
    DocKind.INVOICE: ("inn", "address", "bank", "bik", "account"),
}
KIND_NAMES = {DocKind.INVOICE: "invoice", DocKind.ACT: "act"}


class IssueTerms(NamedTuple):
    """What a document takes from the config: the company's details, VAT, payment terms."""

    supplier: Party
    vat: VatTerms
    payment_days: int
    currency: str


class IssueResult(NamedTuple):
    document: ClosingDocument
    new: bool  # False: issued before, printed again as it was


class _Race(Exception):
    """Another issue took the number or the month first (a unique column said so)."""


def set_client_details(
    s: Store, key: str, given: Mapping[str, str | None], user: str
) -> tuple[str, str, dict[str, str], bool]:
    """Record the client's details as ``given`` change them (an empty value clears one); the
    client's key and name, its details in force, and whether anything changed."""
    user = check_author(user)
    client = client_by_key(s, key)
    s.lock_client(client.key)
    current = s.client_details(client.id)
    merged = dict(current)
    for name, value in given.items():
        if value is None:
            continue
        check_text(value, MAX_TITLE if name == "full_name" else MAX_NOTE, DETAIL_OPTIONS[name])
        if value.strip():
            merged[name] = value.strip()
        else:
            merged.pop(name, None)
    for name, problem in party_problems(merged):
        raise InputError(f"{DETAIL_OPTIONS[name]}: {problem}; nothing was recorded")
    if merged == current:
        return client.key, client.name, current, False
    s.add_client_details(client.id, merged, user)
    return client.key, client.name, merged, True


def client_details(s: Store, key: str) -> tuple[str, str, dict[str, str]]:
    """The client's key, name and details in force."""
    client = client_by_key(s, key)
    return client.key, client.name, s.client_details(client.id)


def issue(
    s: Store,
    kind: DocKind,
    key: str,
    month: Month,
    terms: IssueTerms,
    head: Letterhead,
    calendar: BusinessCalendar,
    user: str,
    now: datetime,
) -> IssueResult:
    """The client's ``kind`` document of the closed ``month``: the one issued before, printed
    as it was, or a new one numbered next in its kind and year. A month's invoice and act
    charge VAT alike: the second takes the terms the first was issued with, whatever the
    config says since."""
    from sla_cli.ops.statements import month_report

    user = check_author(user)
    client = client_by_key(s, key)
    if not s.is_closed(month):
        raise InputError(
            f"{month} is not closed, so it has no closing documents yet: they carry what its "
            "close posted (`sla rollover` closes a month once it is over)"
        )
    report = month_report(s, head, calendar, month, client.key, now)  # exit 1: changed since
    s.lock_numbers(str(kind), month.year)
    found = s.issued(str(kind), client.id, month)
    if found is not None:
        return IssueResult(ClosingDocument.from_json(found.content), False)
    missing = [k for k in _REQUIRED[kind] if not getattr(terms.supplier, k)]
    if missing:
        keys = ", ".join(f"company.{k}" for k in missing)
        raise InputError(f"an {KIND_NAMES[kind]} needs {keys} in the config; nothing was issued")
    if not report.statements:
        raise NotFound(f"{client.key} had no contract in force in {month}; nothing was issued")
    other = DocKind.ACT if kind == DocKind.INVOICE else DocKind.INVOICE
    companion = s.issued(str(other), client.id, month)
    if companion is not None:  # the pair states one total
        terms = terms._replace(vat=ClosingDocument.from_json(companion.content).vat)
    document, previous = _next_document(s, kind, client, month, report.statements, terms)
    content = document.to_json()
    values = {
        "kind": str(kind), "year": document.year, "number": document.number,
        "client_id": client.id, "month": str(month), "on": document.on,
        "amount": document.total, "vat": document.vat_total, "content": content,
        "digest": document_digest(content, s.digest_of(month), previous), "by": user,
    }  # fmt: skip
    try:
        s.add_document(values, _Race())
    except _Race:
        raise LedgerUnavailable(
            f"another {KIND_NAMES[kind]} was being issued at the same moment; run the command again"
        ) from None
    return IssueResult(document, True)


def _next_document(
    s: Store, kind: DocKind, client: ClientRecord, month: Month,
    statements: Sequence[Statement], terms: IssueTerms,
) -> tuple[ClosingDocument, str | None]:  # fmt: skip
    """The client's next ``kind`` document of ``month``, numbered next in its year (refused
    when it would bill nothing), and the digest of the last one of its kind (the chain's end)."""
    lines = with_vat(document_lines(statements, kind), terms.vat)
    details = s.client_details(client.id)
    contracts = {c.id: c for c in s.active_contracts(month, client.id)}
    number, previous = s.last_issued(str(kind), month.year)
    document = ClosingDocument(
        kind=kind,
        number=number + 1,
        year=month.year,
        on=month.last_day,
        month=month,
        client=client.key,
        supplier=terms.supplier,
        buyer=Party(
            name=details.get("full_name") or client.name,
            inn=details.get("inn", ""),
            kpp=details.get("kpp", ""),
            address=details.get("address", ""),
        ),
        basis=tuple(
            f"Договор № {c.id} от {c.start:%d.%m.%Y}"
            for c in (contracts[st.contract_id] for st in statements)
        ),
        lines=lines,
        vat=terms.vat,
        currency=terms.currency,
        payment_days=terms.payment_days if kind == DocKind.INVOICE else 0,
        seal=_seal(s, month),
    )
    if not lines or document.total <= 0:
        why = _nothing_billed(kind, [c.billing for c in contracts.values()])
        raise InputError(f"{client.key} {month}: {why}; no {KIND_NAMES[kind]} was issued")
    return document, previous


def _nothing_billed(kind: DocKind, billing: list[Billing]) -> str:
    """Why a document of the month would bill nothing."""
    if Billing.MONTHLY not in billing:  # packages only: none bought, none overdrawn
        return "nothing was billed for the month (no package bought, no hours beyond the balance)"
    if kind == DocKind.INVOICE:
        return "nothing is left to pay (the fee was paid in advance)"
    return "nothing was billed"


def _seal(s: Store, month: Month) -> str | None:

    link = s.link_of(month)
    return None if link is None else link.fingerprint


def invoice_by_number(s: Store, text: str) -> Issued:
    """The invoice ``N`` (of the latest year that has one) or ``YYYY-N``."""
    year: int | None = None
    head, _, tail = text.strip().partition("-")
    try:
        number = int(tail if tail else head)
        if tail:
            year = int(head)
    except ValueError:
        raise InputError(f"an invoice number is N or YYYY-N (7, 2026-7), got {text!r}") from None
    found = s.documents(str(DocKind.INVOICE), number=number, year=year)
    if not found:
        raise NotFound(f"no invoice {text}; `sla invoices` lists them")
    return found[-1]


class Paid(NamedTuple):
    invoice: Issued
    amount: Decimal  # what this payment recorded (negative: one undone)
    paid: Decimal  # what is paid of the invoice now
    due: Decimal  # what is still due


def record_payment(
    s: Store, number: str, on: date, amount: Decimal | None, note: str | None, user: str,
    today: date,
) -> Paid:  # fmt: skip
    """A payment of the invoice ``number`` on ``on``: what is still due, unless ``amount``."""
    user = check_author(user)
    check_text(note, MAX_NOTE, "--note")
    if on > today:
        raise InputError(f"--on {on} is in the future; record a payment once it has arrived")
    invoice = invoice_by_number(s, number)
    s.lock_numbers(str(DocKind.INVOICE), invoice.year)
    invoice = invoice_by_number(s, f"{invoice.year}-{invoice.number}")  # as it stands now
    if on < invoice.on:
        raise InputError(
            f"--on {on} is before invoice {invoice.year}-{invoice.number} was issued "
            f"({invoice.on}); a payment in advance is `sla contract prepay`; nothing was recorded"
        )
    due = invoice.amount - invoice.paid
    if due <= 0:
        raise InputError(f"invoice {invoice.year}-{invoice.number} is paid in full already")
    if amount is not None and amount != round_money(amount):
        raise InputError(
            f"--amount {amount} is not roubles and kopecks (two decimals at most); "
            "nothing was recorded"
        )
    paying = due if amount is None else round_money(amount)
    if paying <= 0:
        raise InputError(f"--amount must be above zero, got {amount}")
    if paying > due:
        raise InputError(
            f"--amount {paying} is more than invoice {invoice.year}-{invoice.number} still "
            f"asks for ({due}); nothing was recorded"
        )
    s.add_payment(invoice.id, on, paying, note.strip() if note else None, user)
    return Paid(invoice, paying, invoice.paid + paying, due - paying)


def undo_payment(s: Store, number: str | None, user: str) -> Paid:
    """Undo the latest payment of the invoice ``number`` (None: the latest ``user`` recorded)."""
    user = check_author(user)
    invoice = None if number is None else invoice_by_number(s, number)
    payment = s.last_payment(
        None if invoice is None else invoice.id, user if invoice is None else None
    )
    if payment is None:
        which = f"invoice {number}" if number is not None else f"{user}'s"
        raise NotFound(f"no payment of {which} to undo")
    try:
        s.undo_payment(payment, user, _Race())
    except _Race:
        raise LedgerUnavailable(
            "the payment was undone at the same moment; nothing more was"
        ) from None
    (after,) = [d for d in s.documents(str(DocKind.INVOICE)) if d.id == payment.document_id]
    return Paid(after, -payment.amount, after.paid, after.amount - after.paid)


class InvoiceLine(NamedTuple):
    invoice: Issued
    due_on: date
    due: Decimal
    days_overdue: int

    @property
    def status(self) -> str:
        if self.due <= 0:
            return "paid"
        if self.days_overdue:
            return "overdue"
        return "partly paid" if self.invoice.paid else "unpaid"


def invoices(s: Store, client_key: str | None, unpaid: bool, today: date) -> list[InvoiceLine]:
    """Issued invoices with what is paid, what is due and the days past their due date."""
    client = None if client_key is None else client_by_key(s, client_key)
    out = []
    for d in s.documents(str(DocKind.INVOICE), None if client is None else client.id):
        doc = ClosingDocument.from_json(d.content)
        due = d.amount - d.paid
        late = max(0, (today - doc.due_on).days) if due > 0 else 0
        if unpaid and due <= 0:
            continue
        out.append(InvoiceLine(d, doc.due_on, due, late))
    return out


def document_differences(s: Store) -> list[Difference]:
    """What `sla verify` finds wrong with the documents issued: a changed one (its digest, or
    the chain of its kind, no longer holds; its columns say otherwise than what it printed), or
    a number missing in its kind and year."""
    out: list[Difference] = []
    previous: dict[str, str | None] = {}
    numbers: dict[tuple[str, int], list[int]] = {}
    for d in s.chain():
        label = f"{KIND_NAMES.get(DocKind(d.kind), d.kind)} {d.year}-{d.number}"
        month = Month.parse(d.month)
        expected = document_digest(d.content, s.digest_of(month), previous.get(d.kind))
        previous[d.kind] = d.digest
        numbers.setdefault((d.kind, d.year), []).append(d.number)
        try:
            doc = ClosingDocument.from_json(d.content)
            shown = (str(doc.kind), doc.year, doc.number, doc.client, str(doc.month), doc.total,
                     doc.vat_total)  # fmt: skip
        except (ValueError, KeyError, TypeError):
            shown = None
        stored = (d.kind, d.year, d.number, d.client, d.month, d.amount, d.vat)
        if expected != d.digest or shown != stored:
            out.append(Difference(month, d.client, None, "document",
                                  {"document": label, "digest": d.digest},
                                  {"document": label, "digest": expected}))  # fmt: skip
    for (kind, year), found in numbers.items():
        missing = sorted(set(range(1, max(found) + 1)) - set(found))
        if missing:
            name = KIND_NAMES.get(DocKind(kind), kind)
            gap = {"document": f"{name} {year}", "missing": missing}
            out.append(Difference(Month(year, 12), "", None, "numbers", gap, None))
    return out
