"""A month report as one HTML file: an A4 sheet a client, with figures, chart and incidents.

The page carries its own CSS and prints as it shows (one sheet a page).
"""

from __future__ import annotations

import html
import re
from datetime import datetime

from sla_cli.documents.chart import chart_svg
from sla_cli.documents.figures import Row, client_text, dev_cap_note, document_title, figure_rows
from sla_cli.documents.labels import Formatter, in_zone
from sla_cli.documents.trend import trend_svg
from sla_cli.documents.work import (
    WORK_ALIGN,
    WORK_KEYS,
    compliance_rows,
    log_lines,
    medians_text,
    ticket_name,
    work_rows,
)
from sla_cli.domain.statement import MonthReport, Statement
from sla_cli.domain.text import visible

_CHART_CSS = """svg .ct { font-size: 10px; font-weight: bold; fill: #334e68 }
svg .cn { font-weight: normal; fill: #52606d }
svg .yl { font-size: 8px; fill: #52606d; text-anchor: end }
svg .xl { font-size: 7px; fill: #52606d; text-anchor: middle } svg .xw { fill: #b03a2e }
svg .gr { stroke: #e1e6eb; stroke-width: 1 } svg .ax { stroke: #9aa5b1; stroke-width: 1 }
svg .bar { fill: #3b7dbf }
svg .area { fill: #3b7dbf; fill-opacity: .15 }
svg .cum { fill: none; stroke: #1f5f99; stroke-width: 2 }
svg .cv { font-size: 9px; font-weight: bold; fill: #1f5f99; text-anchor: end }
svg .lim { stroke: #d68910; stroke-width: 1.5; stroke-dasharray: 5 3 }
svg .lt { font-size: 9px; fill: #a0640a }
"""
# the compliance trend's own classes; its title, grid and labels are the daily chart's
_TREND_CSS = """svg .tm { fill: #3b7dbf } svg .tb { fill: #e0796b }
svg .te { fill: #f5f7fa; stroke: #c5ccd3; stroke-width: 1; stroke-dasharray: 3 2 }
svg .tp { font-size: 8px; fill: #334e68; text-anchor: middle } svg .tn { fill: #9aa5b1 }
svg .tc { font-weight: bold; fill: #1d2733 }
svg .ty { font-size: 7px; fill: #9aa5b1; text-anchor: middle }
svg .lg { font-size: 8px; fill: #52606d }
"""

_CSS = (
    """
@page { size: A4; margin: 15mm }
* { box-sizing: border-box }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact }
body { margin: 0; background: #e8ecf0; color: #1d2733;
  font: 9.5pt/1.35 "DejaVu Sans", "Liberation Sans", "Segoe UI", Arial, sans-serif }
.sheet { width: 210mm; min-height: 297mm; margin: 8mm auto; padding: 15mm; background: #fff;
  box-shadow: 0 1px 5px rgba(0, 0, 0, .25); page-break-after: always; break-after: page }
.sheet:last-child { page-break-after: auto; break-after: auto }
header { display: flex; justify-content: space-between; align-items: flex-start;
  border-bottom: 2px solid #1f5f99; padding-bottom: 2mm; margin-bottom: 3mm }
.company { font-size: 9pt; color: #52606d; text-transform: uppercase; letter-spacing: .04em }
h1 { font-size: 15pt; margin: 1mm 0 0 }
h2 { font-size: 11pt; margin: 3mm 0 1.5mm; color: #1f5f99 }
.meta { font-size: 8.5pt; color: #52606d; text-align: right }
.parties { display: grid; grid-template-columns: 30mm 1fr; gap: .5mm 4mm; margin: 0 0 2mm }
.parties dt { color: #52606d } .parties dd { margin: 0; font-weight: bold }
.preview { border: 2px solid #c0392b; color: #c0392b; background: #fdf0ee; padding: 1mm 3mm;
  margin: 0 0 3mm; font-size: 8.5pt }
.preview b { font-size: 10pt; margin-right: 2mm }
.flag { border-left: 4px solid #d68910; background: #fef5e7; padding: 2mm 3mm; margin: 3mm 0 }
table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums }
th, td { padding: .7mm 2mm; border-bottom: 1px solid #d9dee3; vertical-align: top;
  text-align: left }
th { background: #eef2f6; font-size: 8.5pt; color: #334e68 }
table.figures { width: 75% }
table.figures td.v { text-align: right; white-space: nowrap }
table.figures tr.sub td.k { padding-left: 7mm; color: #52606d }
table.figures tr.strong td { font-weight: bold; font-size: 11pt; padding-top: 1.2mm;
  border-top: 2px solid #1d2733; border-bottom: none }
table.incidents { font-size: 8.5pt; table-layout: fixed }
table.work { font-size: 8.5pt }
table.work td.v, table.work th.v { text-align: right; white-space: nowrap }
table.work tr.strong td { font-weight: bold }
p.log { margin: 2mm 0 0; font-size: 8.5pt }
ul.log { margin: 0.5mm 0 0; padding-left: 5mm; font-size: 8pt; color: #323f4b }
table.incidents td, table.incidents th { padding: .8mm 1.5mm; overflow-wrap: anywhere }
table.incidents td.first { border-top: 1px solid #9aa5b1 }
.t { white-space: nowrap }
.tk { font-weight: bold; white-space: nowrap }
.badge { display: inline-block; padding: 0 1.5mm; border-radius: 1mm }
.met { background: #e3f4e8; color: #1e7b34 } .breached { background: #fbe4e1; color: #b03a2e }
.at_risk { background: #fdf2d0; color: #8a6100 } .running { background: #e1eefa; color: #1f5f99 }
.none { color: #52606d }
svg.chart, svg.trend { width: 100%; height: auto; display: block; margin: 1mm 0 2mm }
"""
    + _CHART_CSS
    + _TREND_CSS
    + """@media print {
  body { background: #fff }
  .sheet { width: auto; min-height: 0; margin: 0; padding: 0; box-shadow: none }
  tr { break-inside: avoid }
}
"""
)


_SVG_OPENING = re.compile(r'(<svg class="(?:chart|trend)"[^>]*>)')  # the charts' own tags

_INCIDENT_COLUMNS = (20, 13, 14, 13, 13, 14, 13)  # widths in percent: ticket … resolved


def _h(text: str) -> str:
    """Text as HTML shows it literally; a control character (from a ledger or a config written
    by other tools) as U+FFFD."""
    return html.escape(visible(text, keep=""), quote=True)


def inline_chart_styles(document: str) -> str:
    """The statement with each chart's styles (the daily chart's and the compliance trend's)
    inside its SVG too, for renderers that style an inline SVG by its own stylesheet only
    (WeasyPrint): the same look, the page CSS kept."""
    rules = (_CHART_CSS + _TREND_CSS).replace("svg .", ".")
    return _SVG_OPENING.sub(lambda m: f"{m[1]}<style>{rules}</style>", document)


def _html_moment(fmt: Formatter, moment: datetime | None) -> str:
    if moment is None:
        return '<span class="none">—</span>'
    d, t = fmt.moment_parts(moment)
    return f'{_h(d)} <span class="t">{_h(t)}</span>'


def _incident_head(fmt: Formatter) -> str:
    cols = "".join(f'<col style="width:{w}%">' for w in _INCIDENT_COLUMNS)
    keys = ("ticket", "opened", "sla_clock", "due", "stopped", "status", "resolved")
    heads = "".join(f"<th>{_h(fmt(k))}</th>" for k in keys)
    return (
        f'<table class="incidents"><colgroup>{cols}</colgroup>'
        f"<thead><tr>{heads}</tr></thead><tbody>"
    )


def _html_incidents(st: Statement, fmt: Formatter) -> list[str]:
    if not st.incidents:
        return [f"<p>{_h(fmt('no_incidents'))}</p>"]
    out = [_incident_head(fmt)]
    for line in st.incidents:
        span = len(line.clocks)  # a row a clock: reaction, start of work, resolution if set
        for n, clock in enumerate(line.clocks):
            name = clock.name
            cells: list[str] = []
            if n == 0:
                titled = fmt.titled(line.title, line.waiting_minutes, line.channel)
                cells.append(
                    f'<td rowspan="{span}" class="first"><span class="tk">{_h(line.ticket)}'
                    f"</span><br>{_h(titled)}</td>"
                    f'<td rowspan="{span}" class="first">{_html_moment(fmt, line.opened_at)}</td>'
                )
            cls = ' class="first"' if n == 0 else ""
            status = str(clock.status)
            target = fmt.hours(clock.target_minutes)
            cells.append(
                f"<td{cls}>{_h(fmt(name))} ({_h(target)})</td>"
                f"<td{cls}>{_html_moment(fmt, clock.due)}</td>"
                f"<td{cls}>{_html_moment(fmt, line.done(name))}</td>"
                f'<td{cls}><span class="badge {_h(status)}">'
                f"{_h(fmt.clock_status(line, name))}</span></td>"
            )
            if n == 0:
                cells.append(
                    f'<td rowspan="{span}" class="first">{_html_moment(fmt, line.resolved_at)}</td>'
                )
            out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return out


def _html_compliance(st: Statement, fmt: Formatter) -> list[str]:
    rows = compliance_rows(st, fmt)
    if not rows:
        return []
    keys = ("compliance_clock", "compliance_month", "compliance_year")
    heads = "".join(f"<th>{_h(fmt(k))}</th>" for k in keys)
    out = [f"<h2>{_h(fmt('compliance'))}</h2>", f'<table class="work"><thead><tr>{heads}</tr>'
           "</thead><tbody>"]  # fmt: skip
    out += ["<tr>" + "".join(f"<td>{_h(c)}</td>" for c in r) + "</tr>" for r in rows]
    out.append("</tbody></table>")
    medians = medians_text(st, fmt)
    trend = trend_svg(st.compliance, fmt)
    return out + ([f"<p>{_h(medians)}</p>"] if medians else []) + ([trend] if trend else [])


def _html_work(st: Statement, fmt: Formatter, detail: str) -> list[str]:
    out = [f"<h2>{_h(fmt('work'))}</h2>"]
    if not st.work:
        return [*out, f"<p>{_h(fmt('no_work'))}</p>"]
    align = ["" if a == "l" else ' class="v"' for a in WORK_ALIGN]
    heads = "".join(f"<th{a}>{_h(fmt(k))}</th>" for k, a in zip(WORK_KEYS, align, strict=True))
    out.append(f'<table class="work"><thead><tr>{heads}</tr></thead><tbody>')
    rows = work_rows(st, fmt)
    for n, row in enumerate(rows):
        cls = ' class="strong"' if n == len(rows) - 1 else ""
        cells = "".join(f"<td{a}>{_h(c)}</td>" for c, a in zip(row, align, strict=True))
        out.append(f"<tr{cls}>{cells}</tr>")
    out.append("</tbody></table>")
    if detail == "entries":
        out.append(f"<h3>{_h(fmt('work_log'))}</h3>")
        for t in st.work:
            head = " — ".join(x for x in (ticket_name(t, fmt), t.title) if x)
            items = "".join(f"<li>{_h(line)}</li>" for line in log_lines(t, fmt))
            out.append(f'<p class="log"><b>{_h(head)}</b></p><ul class="log">{items}</ul>')
    return out


def _header(report: MonthReport, fmt: Formatter, title: str) -> list[str]:
    out = [
        f'<header><div><div class="company">{_h(report.company)}</div>'
        f"<h1>{_h(title)}</h1></div>"
        f'<div class="meta">{_h(fmt("generated"))}<br>'
        f"{_html_moment(fmt, report.generated_at)}<br>"
        f"{_h(fmt('timezone_note', tz=report.timezone))}"
        + (
            f'<br>{_h(fmt("fingerprint"))}: <span class="seal">{_h(report.fingerprint)}</span>'
            if report.fingerprint
            else ""
        )
        + "</div></header>"
    ]
    if not report.closed:
        out.append(
            f'<div class="preview"><b>{_h(fmt("preview_badge"))}</b>{_h(fmt("preview_note"))}</div>'
        )
    return out


def _figures(rows: list[Row], fmt: Formatter) -> list[str]:
    out = [
        f'<table class="figures"><thead><tr><th>{_h(fmt("item"))}</th>'
        f'<th style="text-align:right">{_h(fmt("value"))}</th></tr></thead><tbody>'
    ]
    for r in rows:
        if r.contract:
            continue
        cls = "strong" if r.strong else ("sub" if r.sub else "")
        attr = f' class="{cls}"' if cls else ""
        out.append(
            f'<tr{attr}><td class="k">{_h(r.label)}</td><td class="v">{_h(r.value)}</td></tr>'
        )
    out.append("</tbody></table>")
    return out


def _sheet(
    report: MonthReport, st: Statement, fmt: Formatter, title: str, detail: str
) -> list[str]:
    out = ['<section class="sheet">', *_header(report, fmt, title)]
    rows = figure_rows(st, fmt)
    parties = [(fmt("provider"), report.company), (fmt("client"), client_text(st))]
    parties += [(r.label, r.value) for r in rows if r.contract]
    out.append(
        '<dl class="parties">'
        + "".join(f"<dt>{_h(k)}</dt><dd>{_h(v)}</dd>" for k, v in parties)
        + "</dl>"
    )
    out.append(f"<h2>{_h(fmt('figures'))}</h2>")
    out += _figures(rows, fmt)
    note = dev_cap_note(st, fmt)
    if note:
        out.append(f'<p class="flag">{_h(note)}</p>')
    out.append(chart_svg(report, st, fmt))
    out.append(f"<h2>{_h(fmt('incidents'))}</h2>")
    if st.timezone is not None:
        out.append(f"<p>{_h(fmt('client_timezone_note', tz=st.timezone))}</p>")
    out += _html_incidents(st, fmt)
    out += _html_compliance(st, fmt)
    if detail != "summary":
        out += _html_work(st, fmt, detail)
    out.append("</section>")
    return out


def html_document(report: MonthReport, fmt: Formatter, detail: str = "tickets") -> str:
    title = document_title(report, fmt)
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{fmt.lang}">',
        '<head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_h(title)} — {_h(report.company)}</title>",
        f"<style>{_CSS}</style></head>",
        "<body>",
    ]
    for st in report.statements:
        out += _sheet(report, st, in_zone(fmt, st.timezone), title, detail)
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"
