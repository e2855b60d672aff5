"""`sla invoice`, `sla act` (closing documents of a closed month), `sla invoices`, `sla paid`,
and `sla client` (the client's legal details the documents print)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from sla_cli.cli import complete
from sla_cli.cli.options import Format, FormatOption, state
from sla_cli.errors import InputError

if TYPE_CHECKING:
    from sla_cli.cli.options import State
    from sla_cli.domain.closing import ClosingDocument
    from sla_cli.ops.closing import InvoiceLine, Paid

client_app = typer.Typer(
    help="A client's legal details for invoices and acts: set, show.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(client_app, name="client")
    app.command("invoice")(invoice)
    app.command("act")(act)
    app.command("invoices")(invoices)
    app.command("paid")(paid)


class DocFormat(StrEnum):
    html = "html"
    pdf = "pdf"
    json = "json"


KeyArgument = Annotated[
    str, typer.Argument(help="Client key.", autocompletion=complete.client_keys)
]
MonthOption = Annotated[
    str | None,
    typer.Option("--month", help="The closed month, YYYY-MM (default: the last ended)."),
]
DocFormatOption = Annotated[
    DocFormat, typer.Option("--format", "-f", help="html, pdf (to a file: -o) or json.")
]
OutputOption = Annotated[
    str | None,
    typer.Option("--output", "-o", help="Write to this file instead of stdout (- for stdout)."),
]


@client_app.command("set")
def client_set(
    ctx: typer.Context,
    key: KeyArgument,
    full_name: Annotated[
        str | None, typer.Option("--full-name", help="Full legal name, as documents print it.")
    ] = None,
    inn: Annotated[str | None, typer.Option("--inn", help="ИНН: 10 or 12 digits.")] = None,
    kpp: Annotated[str | None, typer.Option("--kpp", help="КПП: 9 characters.")] = None,
    address: Annotated[str | None, typer.Option("--address", help="Legal address.")] = None,
    format: FormatOption = Format.table,
) -> None:
    """Record the client's legal details (an empty value clears one); each is checked (ИНН
    check digits, КПП), and nothing is recorded when one is wrong."""
    from sla_cli.ops.closing import set_client_details

    st = state(ctx)
    given = {"full_name": full_name, "inn": inn, "kpp": kpp, "address": address}
    if all(v is None for v in given.values()):
        raise InputError("give the details to set: --full-name, --inn, --kpp, --address")
    with st.store() as s:
        client, name, details, changed = set_client_details(s, key, given, st.user())
    _details_out(client, {"name": name, **details}, format, "recorded" if changed else "unchanged")


@client_app.command("show")
def client_show(ctx: typer.Context, key: KeyArgument, format: FormatOption = Format.table) -> None:
    """The client's legal details, as its documents print them."""
    from sla_cli.ops.closing import client_details

    st = state(ctx)
    with st.reading() as s:
        client, name, details = client_details(s, key)
    _details_out(client, {"name": name, **details}, format, None)


def _details_out(client: str, details: dict[str, str], format: Format, said: str | None) -> None:
    from sla_cli.render import json_out, lines, records_csv
    from sla_cli.store.documents import DETAIL_KEYS

    record: dict[str, Any] = {"client": client, "name": details["name"]}
    record.update({k: details.get(k) for k in DETAIL_KEYS})  # null: not set
    if format == Format.json:
        json_out(record)
    elif format == Format.csv:
        records_csv([record], list(record))
    else:
        head = f"{client}: details {said}" if said else client
        shown = [f"  {k}: {v}" for k, v in record.items() if k != "client" and v]
        lines("\n".join([head, *(shown or ["  no details recorded: `sla client set`"])]))


def invoice(
    ctx: typer.Context,
    key: KeyArgument,
    month: MonthOption = None,
    format: DocFormatOption = DocFormat.html,
    output: OutputOption = None,
) -> None:
    """The «Счёт на оплату» of a client's closed month: issued with the next number of its year
    the first time, the same document with the same number every time after."""
    _issue(ctx, "invoice", key, month, format, output)


def act(
    ctx: typer.Context,
    key: KeyArgument,
    month: MonthOption = None,
    format: DocFormatOption = DocFormat.html,
    output: OutputOption = None,
) -> None:
    """The «Акт выполненных работ (оказанных услуг)» of a client's closed month: numbered once,
    like invoices."""
    _issue(ctx, "act", key, month, format, output)


def _issue(
    ctx: typer.Context, kind: str, key: str, month: str | None, format: DocFormat,
    output: str | None,
) -> None:  # fmt: skip
    from sla_cli.cli.needs import business_calendar, document_target, letterhead
    from sla_cli.domain.closing import DocKind
    from sla_cli.domain.month import Month
    from sla_cli.ops.closing import IssueTerms, issue
    from sla_cli.ops.statements import last_ended_month

    st = state(ctx)
    target = document_target(st, output, False, format == DocFormat.pdf, f"{kind} ", "")
    label = Month.parse(month) if month is not None else last_ended_month(st.today())
    settings = st.settings()
    terms = IssueTerms(settings.supplier, settings.vat, settings.payment_days,
                       settings.catalog.currency)  # fmt: skip
    head, cal = letterhead(settings), business_calendar(settings)
    with st.store() as s:
        result = issue(s, DocKind(kind), key, label, terms, head, cal, st.user(), st.now())
    _document_out(result.document, format, target, result.new)


def _document_out(doc: ClosingDocument, format: DocFormat, target: Path | None, new: bool) -> None:
    from sla_cli.documents.closing import document_record, render_closing_html
    from sla_cli.files import atomic_write
    from sla_cli.render import json_out, lines, notice, text_out

    if format == DocFormat.json and target is None:
        json_out(document_record(doc))
    elif format == DocFormat.json:
        import json

        assert target is not None
        atomic_write(target, json.dumps(document_record(doc), ensure_ascii=False, indent=2) + "\n")
    else:
        html = render_closing_html(doc)
        if format == DocFormat.pdf:
            from sla_cli.documents.pdf import render_pdf

            assert target is not None
            atomic_write(target, render_pdf(html))
        elif target is None:
            text_out(html)
        else:
            atomic_write(target, html)
    said = "issued" if new else "issued before; the same document again"
    what = f"{doc.kind} {doc.year}-{doc.number} for {doc.client} {doc.month} ({said})"
    if target is not None:
        lines(f"{what} written to {target}")
    elif new:
        notice(what)


def invoices(
    ctx: typer.Context,
    client: complete.ClientOption = None,
    unpaid: Annotated[bool, typer.Option("--unpaid", help="Only those not paid in full.")] = False,
    format: FormatOption = Format.table,
) -> None:
    """Invoices issued: what each asks, what is paid, what is due, and the days it is overdue."""
    from sla_cli.ops.closing import invoices as listing

    st = state(ctx)
    with st.reading() as s:
        found = listing(s, client, unpaid, st.today())
    _invoices_out(found, format)


INVOICE_FIELDS = ("number", "year", "client", "month", "on", "due_on", "amount", "paid",
                  "left_to_pay", "days_overdue", "status")  # fmt: skip


def _invoice_record(line: InvoiceLine) -> dict[str, Any]:
    d = line.invoice
    return {
        "number": d.number,
        "year": d.year,
        "client": d.client,
        "month": d.month,
        "on": d.on.isoformat(),
        "due_on": line.due_on.isoformat(),
        "amount": str(d.amount),
        "paid": str(d.paid),
        "left_to_pay": str(line.due),
        "days_overdue": line.days_overdue,
        "status": line.status,
    }


def _invoices_out(found: list[InvoiceLine], format: Format) -> None:
    from decimal import Decimal

    from sla_cli.formatting import money_text
    from sla_cli.render import Column, json_out, records_csv, table

    records = [_invoice_record(x) for x in found]
    if format == Format.json:
        json_out(records)
        return
    if format == Format.csv:
        records_csv(records, INVOICE_FIELDS)
        return
    heads = ("Invoice", "Client", "Month", "Amount", "Due", "Status")
    rows = [
        [f"{x.invoice.year}-{x.invoice.number}", x.invoice.client, x.invoice.month,
         money_text(x.invoice.amount), money_text(x.due),
         f"{x.status} {x.days_overdue} d" if x.days_overdue else x.status]
        for x in found
    ]  # fmt: skip
    total = sum((x.due for x in found), Decimal(0))
    table(
        [Column(h, "right" if h in ("Amount", "Due") else "left") for h in heads],
        rows,
        title="Invoices (-f json or csv: what is paid, due dates)",
        caption=f"Due in all: {money_text(total)}" if found
        else "No invoices issued yet: `sla invoice KEY --month M` issues one.",
    )  # fmt: skip


def paid(
    ctx: typer.Context,
    number: Annotated[
        str | None,
        typer.Argument(help="The invoice: N (the latest year's) or YYYY-N.", show_default=False),
    ] = None,
    on: Annotated[
        str | None, typer.Option("--on", help="When the money arrived, YYYY-MM-DD.")
    ] = None,
    amount: Annotated[
        str | None, typer.Option("--amount", help="What arrived (default: all that is due).")
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="A payment order's number.")] = None,
    undo: Annotated[
        bool,
        typer.Option("--undo", help="Undo the invoice's latest payment (or your latest one)."),
    ] = False,
    format: FormatOption = Format.table,
) -> None:
    """Record a payment of an invoice (or `--undo` one)."""
    from sla_cli.domain.money import to_decimal
    from sla_cli.ops.closing import record_payment, undo_payment
    from sla_cli.timeparse import parse_date

    st = state(ctx)
    if undo:
        if on is not None or amount is not None:
            raise InputError("--undo takes no --on or --amount")
        with st.store() as s:
            result = undo_payment(s, number, st.user())
        _paid_out(st, result, format, "undone")
        return
    if number is None or on is None:
        raise InputError("name the invoice and the day the money arrived: sla paid N --on DATE")
    day = parse_date(on, st.today())
    sum_ = None if amount is None else to_decimal(amount)
    with st.store() as s:
        result = record_payment(s, number, day, sum_, note, st.user(), st.today())
    _paid_out(st, result, format, "recorded")


def _paid_out(st: State, result: Paid, format: Format, said: str) -> None:
    from sla_cli.formatting import money_text
    from sla_cli.render import json_out, lines, records_csv

    d = result.invoice
    record = {"number": d.number, "year": d.year, "client": d.client, "payment": str(result.amount),
              "paid": str(result.paid), "left_to_pay": str(result.due)}  # fmt: skip
    if format == Format.json:
        json_out(record)
    elif format == Format.csv:
        records_csv([record], list(record))
    else:
        lines(
            f"payment of {money_text(abs(result.amount))} {said} on invoice {d.year}-{d.number} "
            f"({d.client} {d.month}): paid {money_text(result.paid)}, due {money_text(result.due)}"
        )
