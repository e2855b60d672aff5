"""Monthly statements as documents: JSON, CSV, Markdown, HTML (A4), and a terminal view.

A statement is rendered from a `MonthReport` alone; this package never touches the ledger.
Client documents are Russian by default (``lang="ru"``), English on request. Babel, which
formats money the way a reader of that language writes it, is imported only when needed.

- `records`: the JSON record and CSV;
- `labels`: what each language says, and how it writes money and times;
- `figures`: a statement's title and figures, shared by every human format;
- `work`: the work report (hours by ticket, and each ticket's log) as text cells;
- `markdown`, `html` (with `chart`, the SVG chart of hours and its layout, and `trend`, the
  SLA compliance month by month): the documents;
- `table`: the terminal view.
"""

from __future__ import annotations

from sla_cli.documents.html import html_document
from sla_cli.documents.labels import LANGS, formatter
from sla_cli.documents.markdown import markdown_document
from sla_cli.documents.records import (
    CSV_FIELDS,
    STATEMENT_FIELDS,
    csv_document,
    json_document,
    report_record,
)
from sla_cli.documents.table import print_report_table
from sla_cli.domain.statement import MonthReport
from sla_cli.errors import InputError

__all__ = [
    "CSV_FIELDS",
    "FORMATS",
    "LANGS",
    "STATEMENT_FIELDS",
    "print_report_table",
    "render_document",
    "report_record",
]

FORMATS = ("json", "csv", "md", "html")


def render_document(
    report: MonthReport, fmt: str, lang: str = "ru", detail: str | None = None
) -> str:
    """The report as a ``json``, ``csv``, ``md`` or ``html`` document (``lang``: ru or en),
    with its work report in ``detail`` (``summary``: none, ``tickets``, ``entries``; default:
    ``tickets`` in Markdown and HTML, ``summary`` in CSV). JSON always carries all of it."""
    if fmt == "json":
        return json_document(report)
    if fmt == "csv":
        return csv_document(report, detail or "summary")
    f = formatter(report, lang)
    if fmt == "md":
        return markdown_document(report, f, detail or "tickets")
    if fmt == "html":
        return html_document(report, f, detail or "tickets")
    raise InputError(f"unknown report format {fmt!r}; use one of: {', '.join(FORMATS)}")
