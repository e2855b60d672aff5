"""At 80 columns no table drops a column: a long value (a ticket that is a URL) wraps."""

from __future__ import annotations

import re

from tests.conftest import Sla, shown_author

NOV = {"SLA_NOW": "2026-11-24T12:00:00+03:00", "COLUMNS": "80"}
TICKET = "https://tracker.example.com/browse/SUPPORT-4711?focus=comment1"  # 62 characters


def columns(table: str) -> tuple[list[str], list[str]]:
    """A one-row table's headers and cells, each column's wrapped lines joined, blanks dropped."""
    lines = table.splitlines()
    top = next(i for i, line in enumerate(lines) if line.startswith("┏"))
    rule = next(i for i, line in enumerate(lines) if line.startswith("┡"))
    bottom = next(i for i, line in enumerate(lines) if line.startswith("└"))

    def joined(rows: list[str]) -> list[str]:
        cells = [re.split("[┃│]", row)[1:-1] for row in rows]
        assert all(len(c) == len(cells[0]) for c in cells)
        return ["".join("".join(c[j].split()) for c in cells) for j in range(len(cells[0]))]

    assert all(len(line) <= 80 for line in lines[top : bottom + 1])
    return joined(lines[top + 1 : rule]), joined(lines[rule + 1 : bottom])


def squeezed(*texts: str) -> list[str]:
    return ["".join(t.split()) for t in texts]


def setup(sla: Sla) -> None:
    sla.ok(
        "contract", "add", "ACME Corp", "--key", "ACME", "--variant", "1", "--tier", "basic",
        "--start", "2026-10-01", "--months", "12", env=NOV,
    )  # fmt: skip
    sla.ok("incident", "open", TICKET, "--client", "ACME", "--at", "2026-11-24 09:30", env=NOV)


def test_entries_wrap_a_long_ticket_and_keep_every_column(ledger_sla: Sla) -> None:
    setup(ledger_sla)
    note = "payment gateway timeout after the certificate was renewed on the proxy"
    by = "Anna Karenina-Vronskaya"
    ledger_sla.ok("log", "2h", TICKET, "--client", "ACME", "--note", note, "--by", by, env=NOV)
    headers, cells = columns(ledger_sla.ok("entries", env=NOV).stdout)
    assert headers == ["ID", "Date", "Ticket", "Hours", "Type", "By", "Note"]
    shown = shown_author(ledger_sla, by)  # on PostgreSQL: ", entered by" its database role
    assert cells == squeezed("1", "2026-11-24", TICKET, "2:00", "support", shown, note)


def test_incident_list_wraps_a_long_ticket_and_keeps_every_column(ledger_sla: Sla) -> None:
    setup(ledger_sla)
    headers, cells = columns(ledger_sla.ok("incident", "list", env=NOV).stdout)
    assert headers == squeezed("Ticket", "Opened", "Reaction", "Start of work", "Resolved")
    assert cells == squeezed(
        TICKET,
        "2026-11-24 09:30+03:00",
        "2026-11-24 11:30+03:00 breached +0:30",
        "2026-11-24 13:30+03:00 running, 1:30 left",
        "",
    )


def test_breaches_wrap_a_long_ticket_and_keep_every_column(ledger_sla: Sla) -> None:
    setup(ledger_sla)
    headers, cells = columns(ledger_sla.ok("breaches", env=NOV).stdout)
    assert headers == squeezed("Ticket", "Client", "Clock", "Due", "Stopped", "Status", "Late by")
    assert cells == squeezed(
        TICKET, "ACME", "reaction", "2026-11-24 11:30+03:00", "running", "breached", "0:30"
    )
