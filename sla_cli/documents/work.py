"""The work report and the SLA compliance of a statement as text cells, shared by every human
format: a row a ticket (its hours by kind, engineers and days), a total row, each ticket's log;
a row a clock with the month's and the twelve months' deadlines met."""

from __future__ import annotations

from sla_cli.documents.labels import Formatter
from sla_cli.domain.compliance import ClockTally
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


def compliance_rows(st: Statement, fmt: Formatter) -> list[list[str]]:
    """A row a clock: its name, then the month's and the twelve months' outcomes."""
    c = st.compliance
    if c is None:
        return []
    year = {t.clock: t for t in c.year}
    month = {t.clock: t for t in c.month}
    return [
        [fmt(name), _tally(month.get(name), fmt), _tally(year[name], fmt)]
        for name in (t.clock for t in c.year)
    ]


def _tally(t: ClockTally | None, fmt: Formatter) -> str:
    if t is None or not t.total:
        return "—"
    decided = t.met + t.breached
    percent = (
        "—"
        if t.percent_met is None
        else f"{t.percent_met:g} %".replace(".", "," if fmt.lang == "ru" else ".")
    )
    text = fmt("met_of", met=str(t.met), decided=str(decided), percent=percent)
    return text + (fmt("running_too", running=str(t.running)) if t.running else "")


def medians_text(st: Statement, fmt: Formatter) -> str | None:
    c = st.compliance
    if c is None or (c.median_reaction_minutes is None and c.median_start_minutes is None):
        return None

    def shown(minutes: int | None) -> str:  # None: nothing to take a median of (not unlimited)
        return "—" if minutes is None else fmt.hours(minutes)

    return fmt("medians", reaction=shown(c.median_reaction_minutes),
               start=shown(c.median_start_minutes))  # fmt: skip


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
