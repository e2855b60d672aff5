"""The work report of a statement as text cells, shared by every human format: a row a ticket
(its hours by kind, engineers and days), a total row, and each ticket's log."""

from __future__ import annotations

from sla_cli.documents.labels import Formatter
from sla_cli.domain.statement import Statement
from sla_cli.domain.work_report import TicketWork

WORK_KEYS = (
    "work_ticket", "work_title", "work_support", "work_dev", "work_total", "work_engineers",
    "work_days",
)  # fmt: skip
WORK_ALIGN = "llrrrll"
DETAILS = ("summary", "tickets", "entries")  # how much of it a document shows


def ticket_name(t: TicketWork, fmt: Formatter) -> str:
    return t.ticket or fmt("no_ticket")


def days_text(t: TicketWork) -> str:
    """The days of the month worked on: ``2, 5, 12``."""
    return ", ".join(str(d.day) for d in t.days)


def work_rows(st: Statement, fmt: Formatter) -> list[list[str]]:
    """A row a ticket, then the total (which is the statement's hours used)."""
    rows = [
        [
            ticket_name(t, fmt),
            t.title,
            fmt.hours(t.support_minutes),
            fmt.hours(t.dev_minutes),
            fmt.hours(t.minutes),
            ", ".join(t.engineers),
            days_text(t),
        ]
        for t in st.work
    ]
    support = sum(t.support_minutes for t in st.work)
    dev = sum(t.dev_minutes for t in st.work)
    total = [fmt("work_sum"), "", fmt.hours(support), fmt.hours(dev), fmt.hours(support + dev)]
    return [*rows, [*total, "", ""]]


def log_lines(t: TicketWork, fmt: Formatter) -> list[str]:
    """The ticket's entries: ``05.11.2026 · 1:30 · anna · поддержка · the note``."""
    return [
        " · ".join(
            [
                fmt.day(w.on),
                fmt.hours(w.minutes),
                w.by,
                fmt(f"kind_{w.kind}"),
                *([w.note] if w.note else []),
            ]
        )
        for w in t.log
    ]
