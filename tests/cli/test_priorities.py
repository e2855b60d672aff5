"""Incident priorities from the config, through the command line on both backends."""

from __future__ import annotations

from sla_cli.config.defaults import default_document, write_config
from sla_cli.formatting import NBSP
from tests.cli.test_waiting import listed
from tests.conftest import Sla

NOW = {"SLA_NOW": "2026-11-24T12:00:00+03:00"}
PRIORITIES = [
    {"key": "normal", "reaction_hours": 2, "start_hours": 4},
    {"key": "urgent", "reaction_hours": 0.5, "start_hours": 1, "resolve_hours": 8},
]


def configured(sla: Sla, priorities: list[dict[str, object]]) -> None:
    doc = default_document()
    doc["variants"]["1"]["priorities"] = priorities
    write_config(sla.config, doc, force=True)


def signed(sla: Sla) -> None:
    configured(sla, PRIORITIES)
    sla.ok("contract", "add", "Acme", "--key", "ACME", "--variant", "1", "--tier", "basic",
           "--start", "2026-10-01", "--months", "12", env=NOW)  # fmt: skip


def test_an_urgent_incident_has_its_targets_and_a_resolution_clock(ledger_sla: Sla) -> None:
    signed(ledger_sla)
    r = ledger_sla.ok("incident", "open", "ACME-1", "--at", "2026-11-24T09:00",
                      "--priority", "URGENT", env=NOW)  # fmt: skip
    assert "urgent" in r.stdout
    got = listed(ledger_sla)
    assert got["priority"] == "urgent"
    assert got["reaction_due"] == "2026-11-24T09:30:00+03:00"
    assert got["start_due"] == "2026-11-24T10:00:00+03:00"
    assert got["resolve_due"] == "2026-11-24T17:00:00+03:00"
    assert got["resolve_status"] == "running"
    clocks = {b["clock"] for b in ledger_sla.ok("breaches", "-f", "json", env=NOW).json()}
    assert clocks == {"reaction", "start"}  # the resolution clock is at 3 h of 8: running


def test_a_change_of_priority_keeps_the_time_run_and_is_undone(ledger_sla: Sla) -> None:
    signed(ledger_sla)
    ledger_sla.ok("incident", "open", "ACME-1", "--at", "2026-11-24T09:00", env=NOW)
    assert listed(ledger_sla)["start_due"] == "2026-11-24T13:00:00+03:00"  # normal: 4 h
    r = ledger_sla.ok("incident", "priority", "ACME-1", "urgent", "--at", "2026-11-24T11:00",
                      env=NOW)  # fmt: skip
    assert "is urgent from" in r.stdout
    raised = listed(ledger_sla)
    # urgent's 1 h from the opening, not from the change: due 10:00, breached by 2 h at noon
    assert (raised["start_due"], raised["start_status"]) == ("2026-11-24T10:00:00+03:00",
                                                             "breached")  # fmt: skip
    ledger_sla.ok("incident", "undo", "ACME-1", env=NOW)
    assert listed(ledger_sla)["priority"] == "normal"
    assert listed(ledger_sla)["resolve_due"] is None


def test_unknown_priorities_are_refused_naming_the_known_ones(ledger_sla: Sla) -> None:
    signed(ledger_sla)
    r = ledger_sla("incident", "open", "ACME-1", "--priority", "p1", env=NOW)
    assert r.exit_code == 2 and "its priorities: normal, urgent" in r.stderr
    ledger_sla.ok("incident", "open", "ACME-1", "--at", "2026-11-24T09:00", env=NOW)
    r = ledger_sla("incident", "priority", "ACME-1", "normal", env=NOW)
    assert r.exit_code == 2 and "is normal already" in r.stderr


def test_a_contract_keeps_the_priorities_it_was_signed_with(ledger_sla: Sla) -> None:
    signed(ledger_sla)
    configured(ledger_sla, [])  # the config no longer has them
    ledger_sla.ok("incident", "open", "ACME-1", "--at", "2026-11-24T09:00", "-p", "urgent",
                  env=NOW)  # fmt: skip
    assert listed(ledger_sla)["resolve_due"] == "2026-11-24T17:00:00+03:00"


def test_priorities_in_the_config_are_checked(sla: Sla) -> None:
    configured(sla, [{"key": "x", "reaction_hours": 5, "start_hours": 1}])
    r = sla("tariffs")
    assert r.exit_code == 2 and "variants.1.priorities[0].reaction_hours" in r.stderr
    configured(sla, [{"key": "x", "reaction_hours": 1, "start_hours": 2, "resolve": 3}])
    r = sla("tariffs")
    assert r.exit_code == 2 and "variants.1.priorities[0].resolve: unknown key" in r.stderr
    configured(sla, [PRIORITIES[0], PRIORITIES[0]])
    r = sla("tariffs")
    assert r.exit_code == 2 and "repeated" in r.stderr


def column(table: str, n: int) -> str:
    """The text of a table's column ``n``, every row's line of it joined by spaces."""
    cells = [line.split("│")[n + 1].strip() for line in table.splitlines() if "│" in line]
    return " ".join(c for c in cells if c)


def test_the_resolution_clock_and_the_wait_in_tables_and_statements(ledger_sla: Sla) -> None:
    """Listed and reported like the other clocks: the table of `incident list` (with the
    priority under the ticket), and every statement format."""
    signed(ledger_sla)
    ledger_sla.ok("incident", "open", "ACME-1", "--at", "2026-11-20T17:00", "-p", "urgent",
                  env=NOW)  # fmt: skip
    ledger_sla.ok("incident", "wait", "ACME-1", "--at", "2026-11-20T18:00", env=NOW)
    ledger_sla.ok("incident", "open", "ACME-2", "--at", "2026-11-23T10:00", "-p", "urgent",
                  env=NOW)  # fmt: skip
    ledger_sla.ok("incident", "resolve", "ACME-2", "--at", "2026-11-23T19:00", env=NOW)
    table = ledger_sla.ok("incident", "list", env=NOW).stdout
    # 8 h to resolve: 1 h run before the wait, 7 h left while it waits; ACME-2 took 9 h
    assert column(table, 0) == "ACME-1 urgent ACME-2 urgent"
    assert column(table, 4).endswith("resolve 7:00 left 2026-11-23 19:00+03:00 breached +1:00")
    md = ledger_sla.ok("report", "--month", "2026-11", "-f", "md", "--lang", "en", env=NOW).stdout
    assert "| Resolution due | Resolved | Resolution |" in md
    due, done = (f"2026-11-23 {t}{NBSP}+03:00" for t in ("18:00", "19:00"))
    assert f"| {due} | {done} | breached +1:00 |\n" in md  # the last incident's last cells
    shown = " ".join(ledger_sla.ok("report", "--month", "2026-11", env=NOW).stdout.split())
    assert "Решение 8:00" in shown and "Ожидание клиента" in shown
    html = ledger_sla.ok("report", "--month", "2026-11", "-f", "html", "-o", "-", env=NOW).stdout
    assert '<td rowspan="3" class="first">' in html and "Решение (8:00)" in html
