"""A month report as Markdown: one section a client, its figures and its incidents."""

from __future__ import annotations

from collections.abc import Sequence

from sla_cli.documents import work as cells
from sla_cli.documents.figures import Row, client_text, dev_cap_note, document_title, figure_rows
from sla_cli.documents.labels import Formatter, in_zone
from sla_cli.domain.statement import MonthReport, Statement
from sla_cli.domain.text import visible

# every character that can start markup inside a line: emphasis, code, links, HTML, entities
# (``&copy;``), GitHub's tables and strike-through (``~~``)
_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|#&~"})

_INCIDENT_KEYS = (
    "ticket", "title", "opened", "reaction_due", "reaction_at", "reaction_status",
    "start_due", "start_at", "start_status", "resolved",
)  # fmt: skip


def _md(text: str) -> str:
    """Text as Markdown shows it literally, on one line (safe inside a table cell)."""
    return " ".join(text.translate(_MD_SPECIAL).splitlines())


def _md_table(header: Sequence[str], rows: Sequence[Sequence[str]], align: str) -> list[str]:
    """A table of cells already in Markdown."""
    marks = {"l": "---", "r": "---:"}
    out = ["| " + " | ".join(header) + " |", "|" + "|".join(marks[a] for a in align) + "|"]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return out


def _md_figure(row: Row) -> list[str]:
    label, value = _md(row.label), _md(row.value)
    if row.strong:
        return [f"**{label}**", f"**{value}**"]
    return [f"— {label}" if row.sub else label, value]


def _incidents(st: Statement, fmt: Formatter) -> list[str]:
    out = [f"### {_md(fmt('incidents'))}", ""]
    if not st.incidents:
        return [*out, _md(fmt("no_incidents")), ""]
    resolving = any(i.resolve is not None for i in st.incidents)  # its columns only then
    incident_rows = [
        [
            _md(text)
            for text in (
                i.ticket,
                fmt.titled(i.title, i.waiting_minutes, i.channel),
                fmt.moment(i.opened_at),
                fmt.moment(i.reaction.due),
                fmt.moment(i.reacted_at),
                fmt.clock_status(i, "reaction"),
                fmt.moment(i.start.due),
                fmt.moment(i.started_at),
                fmt.clock_status(i, "start"),
                *([fmt.moment(None if i.resolve is None else i.resolve.due)] if resolving else []),
                fmt.moment(i.resolved_at),
                *([fmt.clock_status(i, "resolve")] if resolving else []),
            )
        ]
        for i in st.incidents
    ]
    keys: tuple[str, ...] = _INCIDENT_KEYS
    if resolving:
        keys = (*keys[:-1], "resolve_due", keys[-1], "resolve_status")
    out += _md_table([_md(fmt(k)) for k in keys], incident_rows, "l" * len(keys))
    return [*out, ""]


def _compliance(st: Statement, fmt: Formatter) -> list[str]:
    rows = cells.compliance_rows(st, fmt)
    if not rows:
        return []
    keys = ("compliance_clock", "compliance_month", "compliance_year")
    out = [f"### {_md(fmt('compliance'))}", ""]
    out += _md_table([_md(fmt(k)) for k in keys], [[_md(c) for c in r] for r in rows], "lll")
    medians = cells.medians_text(st, fmt)
    return [*out, "", *([_md(medians), ""] if medians else [])]


def _work(st: Statement, fmt: Formatter, detail: str) -> list[str]:
    out = [f"### {_md(fmt('work'))}", ""]
    if not st.work:
        return [*out, _md(fmt("no_work")), ""]
    rows = [[_md(cell) for cell in row] for row in cells.work_rows(st, fmt)]
    rows[-1] = [f"**{cell}**" if cell else "" for cell in rows[-1]]
    out += [*_md_table([_md(fmt(k)) for k in cells.WORK_KEYS], rows, cells.WORK_ALIGN), ""]
    if detail == "entries":
        out += [f"#### {_md(fmt('work_log'))}", ""]
        for t in st.work:
            head = " — ".join(x for x in (cells.ticket_name(t, fmt), t.title) if x)
            out += [
                f"**{_md(head)}**",
                "",
                *(f"- {_md(line)}" for line in cells.log_lines(t, fmt)),
                "",
            ]
    return out


def _statement(st: Statement, fmt: Formatter, detail: str) -> list[str]:
    out = [f"## {_md(client_text(st))}", ""]
    if st.timezone is not None:
        out += [f"_{_md(fmt('client_timezone_note', tz=st.timezone))}_", ""]
    rows = [_md_figure(r) for r in figure_rows(st, fmt)]
    out += _md_table([_md(fmt("item")), _md(fmt("value"))], rows, "lr")
    out.append("")
    note = dev_cap_note(st, fmt)
    if note:
        out += [f"> **{_md(note)}**", ""]
    out += _incidents(st, fmt) + _compliance(st, fmt)
    return out + (_work(st, fmt, detail) if detail != "summary" else [])


def markdown_document(report: MonthReport, fmt: Formatter, detail: str = "tickets") -> str:
    out = [f"# {_md(document_title(report, fmt))}", ""]
    if not report.closed:
        out += [f"> **{_md(fmt('preview_badge'))}.** {_md(fmt('preview_note'))}", ""]
    out += [
        f"- {_md(fmt('provider'))}: {_md(report.company)}",
        f"- {_md(fmt('generated'))}: {_md(fmt.moment(report.generated_at))}",
        f"- {_md(fmt('timezone_note', tz=report.timezone))}",
        *([f"- {_md(fmt('fingerprint'))}: `{report.fingerprint}`"] if report.fingerprint else []),
        "",
    ]
    for st in report.statements:
        out += _statement(st, in_zone(fmt, st.timezone), detail)
    # whatever the ledger or the config holds, no control character reaches a terminal
    return visible("\n".join(out).rstrip("\n")) + "\n"
