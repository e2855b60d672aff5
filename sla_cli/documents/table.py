"""The report in a terminal: a summary table, then each client's incidents with coloured clocks.

Rich is reached through `sla_cli.render`, imported when the table is drawn.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from sla_cli.documents.figures import client_text, dev_cap_note, document_title, tier_text
from sla_cli.documents.labels import Formatter, formatter, in_zone
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

if TYPE_CHECKING:
    from sla_cli.render import Cell

_SUMMARY_KEYS = (
    "client", "variant", "tier", "opening", "included", "used", "burned", "overage", "balance",
    "due", "breaches",
)  # fmt: skip
_LEFT = {"client", "tier"}


def _status(text: str, cell: str | tuple[str, str]) -> tuple[str, str]:
    """A status cell from `render.status_cell` with its text in the statement's language."""
    return (text, cell[1] if isinstance(cell, tuple) else "")


def _summary_row(st: Statement, f: Formatter) -> list[Cell]:
    fig = st.figures
    return [
        st.client,
        str(st.variant),
        tier_text(st, f),
        # a package's figures add up across: opening + bought - used + overdraft = balance
        "—" if fig.opening_balance_minutes is None else f.hours(fig.opening_balance_minutes),
        f.hours(fig.included_minutes),
        f.hours(fig.used_minutes),
        f.hours(fig.burned_minutes) if st.terms.burns else "—",
        f.hours(fig.overage_minutes),
        "—" if fig.closing_balance_minutes is None else f.hours(fig.closing_balance_minutes),
        f.money(st.left_to_pay),
        (str(st.breaches), "bold red") if st.breaches else "0",
    ]


def _summary(report: MonthReport, f: Formatter) -> None:
    """One table when the terminal is wide; else a small figure table per client."""
    from sla_cli.render import Column, fits, lines, table

    rows = [_summary_row(st, f) for st in report.statements]
    total = sum((st.left_to_pay for st in report.statements), Decimal(0))
    title = f"{document_title(report, f)} — {report.company}"
    caption = f("total_due", amount=f.money(total))
    keys = _SUMMARY_KEYS
    wide = [Column(f(f"col_{k}"), "left" if k in _LEFT else "right", no_wrap=True) for k in keys]
    if fits(wide, rows):  # one table when every figure fits whole, else one a client
        table(wide, rows, title=title, caption=caption)
        return
    lines(title)
    for st, row in zip(report.statements, rows, strict=True):  # every figure whole
        table(
            [Column(f("col_client")), Column(st.client, "right", no_wrap=True)],
            [[f(f"col_{k}"), cell] for k, cell in zip(keys[1:], row[1:], strict=True)],
            title=f"{st.client_name} ({st.client})",
        )
    lines(caption)


def _incident_rows(st: Statement, f: Formatter) -> list[list[Cell]]:
    from sla_cli.render import status_cell

    rows: list[list[Cell]] = []
    for i in st.incidents:
        rows.append(
            [
                f"{i.ticket}\n{f.titled(i.title, 0, i.channel)}",
                f("opened"),
                "",
                f.moment(i.opened_at),
                "",
            ]
        )
        if i.waiting_minutes:
            rows.append(["", f("waiting"), "", f.hours(i.waiting_minutes), ""])
        for clock in i.clocks:  # the resolution clock, when set, on the resolution's row
            rows.append(
                [
                    "",
                    f"{f(clock.name)} {f.hours(clock.target_minutes)}",
                    f.moment(clock.due),
                    f.moment(i.done(clock.name)),
                    _status(f.clock_status(i, clock.name), status_cell(str(clock.status))),
                ]
            )
        if i.resolve is None:
            rows.append(["", f("resolved"), "", f.moment(i.resolved_at), ""])
    return rows


def _incidents(st: Statement, f: Formatter) -> None:
    from sla_cli.render import Column, table

    table(
        [
            Column(f("ticket")),
            Column(f("col_event"), no_wrap=True),
            Column(f("due")),
            Column(f("stopped")),
            Column(f("status"), no_wrap=True),
        ],
        _incident_rows(st, f),
        title=f"{f('incidents')}: {client_text(st)}",
    )


def _compliance(st: Statement, f: Formatter) -> None:
    """How many SLA deadlines were met: the month's and the twelve months', and the medians."""
    from sla_cli.render import Column, table

    rows = compliance_rows(st, f)
    if not rows:
        return
    keys = ("compliance_clock", "compliance_month", "compliance_year")
    table(
        [Column(f(k)) for k in keys],
        [list(row) for row in rows],
        title=f"{f('compliance')}: {client_text(st)}",
        caption=medians_text(st, f),
    )


def _work(st: Statement, f: Formatter, detail: str) -> None:
    from sla_cli.render import Column, lines, table

    if not st.work:
        lines(f"{f('work')}: {client_text(st)}: {f('no_work')}")
        return
    columns = [
        Column(f(k), "left" if a == "l" else "right", no_wrap=a == "r")
        for k, a in zip(WORK_KEYS, WORK_ALIGN, strict=True)
    ]
    found = work_rows(st, f)
    rows: list[list[Cell]] = [list(row) for row in found[:-1]]
    rows.append([(cell, "bold") for cell in found[-1]])
    table(columns, rows, title=f"{f('work')}: {client_text(st)}")
    if detail == "entries":
        for t in st.work:
            head = " — ".join(x for x in (ticket_name(t, f), t.title) if x)
            lines("\n".join([head, *(f"  {line}" for line in log_lines(t, f))]))


def print_report_table(report: MonthReport, lang: str = "ru", detail: str = "summary") -> None:
    """The terminal view: a summary table, then each client's incidents with coloured clocks;
    with ``detail`` ``tickets`` (or ``entries``), each client's work report (and its log)."""
    from sla_cli.render import lines, paragraph

    f = formatter(report, lang)
    if not report.closed:
        paragraph(f"{f('preview_badge')}: {f('preview_note')}")
    _summary(report, f)
    if report.fingerprint:
        lines(f"{f('fingerprint')}: {report.fingerprint}")
    for st in report.statements:
        note = dev_cap_note(st, f)
        if note:
            lines(f"{st.client}: {note}")
        if st.incidents:
            _incidents(st, in_zone(f, st.timezone))
        if st.incidents or detail != "summary":  # a quiet month's compliance when asked
            _compliance(st, f)
        if detail != "summary":
            _work(st, in_zone(f, st.timezone), detail)
