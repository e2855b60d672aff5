"""Invoices and acts as one self-contained HTML page each (A4), and as JSON records.

Russian, as a Russian client's accountant files them: the «Счёт на оплату» with the supplier's
bank details on top, the «Акт» with both parties' signatures; money as ``43 275,00``, the total
in words. The PDF is this page laid out by WeasyPrint (``documents.pdf``).
"""

from __future__ import annotations

from decimal import Decimal
from html import escape
from typing import Any

from sla_cli.domain.closing import ClosingDocument, DocKind
from sla_cli.domain.requisites import Party

__all__ = ["document_record", "render_closing_html"]

_STYLE = """
@page { size: A4; margin: 15mm }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10pt; color: #000;
       max-width: 180mm; margin: 0 auto }
h1 { font-size: 14pt; margin: 6mm 0 3mm; padding-bottom: 2mm; border-bottom: 2px solid #000 }
table { border-collapse: collapse; width: 100% }
table.bank td { border: 1px solid #000; padding: 1mm 2mm; vertical-align: top }
table.bank .label { white-space: nowrap; width: 14mm }
table.lines { margin-top: 3mm }
table.lines th, table.lines td { border: 1px solid #000; padding: 1mm 1.5mm }
table.lines th { background: #eee; white-space: nowrap }
td.num { text-align: right; white-space: nowrap }
table.totals { width: auto; margin: 2mm 0 0 auto }
table.totals td { padding: 0.5mm 0 0.5mm 4mm; text-align: right; font-weight: bold }
p.party { margin: 1.5mm 0 }
p.words { font-weight: bold; margin: 1mm 0 }
.signatures { display: flex; gap: 12mm; margin-top: 12mm }
.signatures div { flex: 1 }
.line { border-bottom: 1px solid #000; height: 8mm; margin-bottom: 1mm }
.small { font-size: 8pt; color: #333 }
"""


def _money(amount: Decimal) -> str:
    from babel.numbers import format_decimal

    return str(format_decimal(amount, format="#,##0.00", locale="ru_RU"))


def _quantity(value: Decimal) -> str:
    from babel.numbers import format_decimal

    return str(format_decimal(value.normalize(), format="#,##0.##", locale="ru_RU"))


def _date(d: Any) -> str:
    from babel.dates import format_date

    return f"{format_date(d, 'd MMMM y', locale='ru_RU')} г."


def _month(doc: ClosingDocument) -> str:
    from babel.dates import format_date

    return f"{format_date(doc.month.first_day, 'LLLL y', locale='ru_RU')} г."


def _party(p: Party) -> str:
    """A party in one line, as documents print it: name, ИНН, КПП, address."""
    parts = [p.name]
    parts += [f"{label} {value}" for label, value in (("ИНН", p.inn), ("КПП", p.kpp),
              ("ОГРН", p.ogrn)) if value]  # fmt: skip
    if p.address:
        parts.append(p.address)
    return escape(", ".join(parts))


def _title(doc: ClosingDocument) -> str:
    name = "Счёт на оплату" if doc.kind == DocKind.INVOICE else "Акт"
    return f"{name} № {doc.number} от {_date(doc.on)}"


def _vat_rows(doc: ClosingDocument) -> list[tuple[str, str]]:
    if doc.vat.rate is None:
        return [
            ("Итого:", _money(doc.net)),
            ("Без НДС", "—"),
            ("Всего к оплате:", _money(doc.total)),
        ]
    rate = _quantity(doc.vat.rate)
    vat = f"В том числе НДС ({rate} %):" if doc.vat.included else f"НДС ({rate} %):"
    return [
        ("Итого:", _money(doc.net)),
        (vat, _money(doc.vat_total)),
        ("Всего к оплате:", _money(doc.total)),
    ]


def _bank(p: Party) -> list[str]:
    return [
        '<table class="bank">',
        f'<tr><td rowspan="2" colspan="2">{escape(p.bank)}<br><span class="small">Банк '
        f'получателя</span></td><td class="label">БИК</td><td>{escape(p.bik)}</td></tr>',
        f'<tr><td class="label">Сч. №</td><td>{escape(p.corr_account)}</td></tr>',
        f"<tr><td>ИНН {escape(p.inn)}</td><td>КПП {escape(p.kpp)}</td>"
        f'<td class="label" rowspan="2">Сч. №</td><td rowspan="2">{escape(p.account)}</td></tr>',
        f'<tr><td colspan="2">{escape(p.name)}<br><span class="small">Получатель</span></td></tr>',
        "</table>",
    ]


def _lines(doc: ClosingDocument) -> list[str]:
    what = "Товары (работы, услуги)" if doc.kind == DocKind.INVOICE else "Наименование работ, услуг"
    out = [
        '<table class="lines"><thead><tr><th>№</th>'
        f"<th>{what}</th><th>Кол-во</th><th>Ед.</th><th>Цена</th><th>Сумма</th></tr></thead>"
        "<tbody>"
    ]
    for n, line in enumerate(doc.lines, 1):
        out.append(
            f'<tr><td class="num">{n}</td><td>{escape(line.title)}</td>'
            f'<td class="num">{_quantity(line.quantity)}</td><td>{escape(line.unit)}</td>'
            f'<td class="num">{_money(line.price)}</td><td class="num">{_money(line.amount)}</td>'
            "</tr>"
        )
    out.append("</tbody></table>")
    out.append('<table class="totals">')
    out += [f"<tr><td>{escape(a)}</td><td>{b}</td></tr>" for a, b in _vat_rows(doc)]
    out.append("</table>")
    count = "Всего наименований" if doc.kind == DocKind.INVOICE else "Всего оказано услуг"
    out.append(f"<p>{count} {len(doc.lines)}, на сумму {_money(doc.total)} руб.</p>")
    out.append(f'<p class="words">{escape(doc.words)}</p>')
    return out


def _signature(role: str, p: Party) -> str:
    who = escape(p.signatory) if p.signatory else ""
    return (
        f'<div><b>{role}</b><br>{escape(p.name)}<div class="line"></div>'
        f'<span class="small">{who or "подпись, расшифровка подписи"}</span></div>'
    )


def render_closing_html(doc: ClosingDocument) -> str:
    """The document as one HTML page, A4, nothing loaded from elsewhere."""
    body: list[str] = []
    if doc.kind == DocKind.INVOICE:
        body += _bank(doc.supplier)
    body.append(f"<h1>{escape(_title(doc))}</h1>")
    supplier, buyer = (
        ("Поставщик (Исполнитель)", "Покупатель (Заказчик)")
        if doc.kind == DocKind.INVOICE
        else ("Исполнитель", "Заказчик")
    )
    body.append(f'<p class="party"><b>{supplier}:</b> {_party(doc.supplier)}</p>')
    body.append(f'<p class="party"><b>{buyer}:</b> {_party(doc.buyer)}</p>')
    body.append(f'<p class="party"><b>Основание:</b> {escape("; ".join(doc.basis))}</p>')
    body.append(f'<p class="party"><b>Период:</b> {escape(_month(doc))}</p>')
    body += _lines(doc)
    if doc.kind == DocKind.INVOICE:
        body.append(f"<p>Оплатить не позднее {doc.due_on:%d.%m.%Y}.</p>")
        body.append('<div class="signatures">' + _signature("Руководитель", doc.supplier)
                    + "<div></div></div>")  # fmt: skip
    else:
        body.append(
            "<p>Вышеперечисленные услуги выполнены полностью и в срок. Заказчик претензий по "
            "объёму, качеству и срокам оказания услуг не имеет.</p>"
        )
        body.append('<div class="signatures">' + _signature("Исполнитель", doc.supplier)
                    + _signature("Заказчик", doc.buyer) + "</div>")  # fmt: skip
    if doc.seal:
        body.append(f'<p class="small">Отпечаток журнала за период: {escape(doc.seal)}</p>')
    title = escape(_title(doc))
    return (
        '<!DOCTYPE html>\n<html lang="ru"><head><meta charset="utf-8">'
        f"<title>{title}</title><style>{_STYLE}</style></head><body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )


def document_record(doc: ClosingDocument) -> dict[str, Any]:
    """The document as JSON prints it: what it holds, its totals and the words."""
    return {
        **doc.record(),
        "net": str(doc.net),
        "vat": str(doc.vat_total),
        "total": str(doc.total),
        "in_words": doc.words,
        "due_on": doc.due_on.isoformat() if doc.kind == DocKind.INVOICE else None,
    }
