"""The work report of a statement: what the month's hours were spent on, ticket by ticket.

The offer promises it: «Заказчик всегда знает, сколько часов и на что они были потрачены». Each
ticket of the month, with or without an incident, gets its hours by kind, its engineers, the days
worked and the log of its entries; the tickets' hours add up to the statement's hours used (the
entries that count: voided entries and their voids are left out, as they cancel out in the
totals).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import NamedTuple

from sla_cli.domain.kinds import WorkKind
from sla_cli.domain.records import EntryRecord

NO_TICKET = ""  # work logged without a ticket


class WorkLine(NamedTuple):
    """One entry of a ticket's log."""

    on: date
    minutes: int
    kind: WorkKind
    by: str
    note: str | None


class TicketWork(NamedTuple):
    """A ticket's work in the month."""

    ticket: str  # NO_TICKET for work logged without one
    title: str  # the incident's, else the first note of the month
    incident: bool  # the ticket has an incident
    support_minutes: int
    dev_minutes: int
    engineers: tuple[str, ...]  # in the order they first worked on it
    days: tuple[date, ...]  # the days worked, in order
    log: tuple[WorkLine, ...]  # the entries, in order

    @property
    def minutes(self) -> int:
        return self.support_minutes + self.dev_minutes


def work_report(
    entries: Iterable[EntryRecord], titles: Mapping[str, str | None]
) -> tuple[TicketWork, ...]:
    """The month's tickets from its work entries that count (oldest first), with the titles of
    the tickets that have an incident; the tickets with most hours first, then by ticket."""
    logs: dict[str, list[EntryRecord]] = {}
    for e in entries:
        logs.setdefault(e.ticket or NO_TICKET, []).append(e)
    tickets = [_ticket(ticket, log, titles) for ticket, log in logs.items()]
    return tuple(sorted(tickets, key=lambda t: (-t.minutes, t.ticket == NO_TICKET, t.ticket)))


def _ticket(ticket: str, log: list[EntryRecord], titles: Mapping[str, str | None]) -> TicketWork:
    lines = tuple(WorkLine(e.on, e.minutes, e.kind or WorkKind.SUPPORT, e.by, e.note) for e in log)
    dev = sum(line.minutes for line in lines if line.kind == WorkKind.DEV)
    notes = [line.note for line in lines if line.note]
    title = titles.get(ticket) or (notes[0] if notes else "")
    return TicketWork(
        ticket=ticket,
        title=title,
        incident=ticket in titles,
        support_minutes=sum(line.minutes for line in lines) - dev,
        dev_minutes=dev,
        engineers=tuple(dict.fromkeys(line.by for line in lines)),
        days=tuple(sorted({line.on for line in lines})),
        log=lines,
    )
