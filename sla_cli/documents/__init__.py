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

from typing import TYPE_CHECKING, Any

from sla_cli.errors import InputError

if TYPE_CHECKING:
    from sla_cli.domain.statement import MonthReport

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
        from sla_cli.documents.records import json_document

        return json_document(report)
    if fmt == "csv":
        from sla_cli.documents.records import csv_document

        return csv_document(report, detail or "summary")
    if fmt not in FORMATS:
        raise InputError(f"unknown report format {fmt!r}; use one of: {', '.join(FORMATS)}")
    from sla_cli.documents.labels import formatter

    f = formatter(report, lang)
    if fmt == "md":
        from sla_cli.documents.markdown import markdown_document

        return markdown_document(report, f, detail or "tickets")
    from sla_cli.documents.html import html_document

    return html_document(report, f, detail or "tickets")


# Each name from the module that holds it, imported when first asked for: the terminal view
# needs neither the HTML (with its chart) nor the Markdown, JSON or CSV writers.
_HOME = {
    "CSV_FIELDS": "records",
    "STATEMENT_FIELDS": "records",
    "report_record": "records",
    "LANGS": "labels",
    "formatter": "labels",
    "print_report_table": "table",
}


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    found = getattr(import_module(f"{__name__}.{_HOME[name]}"), name)
    globals()[name] = found
    return found
