"""Listings stay bounded on a large ledger: the latest entries by default, every one on request,
JSON and CSV streamed; `incident list` shows what is open and this month's."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime

import pytest

from sla_cli.config import parse_settings
from sla_cli.domain.work import WorkLog, WorkPolicy
from sla_cli.ops.work import log_work
from sla_cli.store.engine import open_ledger
from tests.conftest import Sla

NOV = {"SLA_NOW": "2026-11-24T12:00:00+03:00"}
NOW = datetime.fromisoformat(NOV["SLA_NOW"])


def with_entries(sla: Sla, n: int) -> None:
    """ACME on variant 1 with ``n`` entries over October and November, logged in one go (by
    three engineers in turn: one person's day holds at most 24 h)."""
    sla.ok("contract", "add", "Acme", "--key", "ACME", "--variant", "1", "--tier", "basic",
           "--start", "2026-10-01", "--months", "12", env=NOV)  # fmt: skip
    ledger = open_ledger(sla.db_url)
    with ledger.store() as s:
        for i in range(n):
            on = date(2026, 10 + i % 2, 1 + i % 20)
            work = WorkLog(ticket=f"ACME-{i}", minutes=15 + i, on=on, note=f"task {i}")
            by = ("anna", "boris", "vera")[i // 40 % 3]
            log_work(s, WorkPolicy(), parse_settings({}).timezone, work, by, NOW)
    ledger.engine.dispose()


def ids_in_table(out: str) -> list[int]:
    cells = [line.strip("│ ").split("│")[0].strip() for line in out.splitlines()]
    return [int(c) for c in cells if c.isdigit()]


def test_the_table_shows_the_latest_hundred_and_says_how_to_see_more(ledger_sla: Sla) -> None:
    with_entries(ledger_sla, 105)
    r = ledger_sla.ok("entries", env=NOV)
    shown = ids_in_table(r.stdout)
    assert len(shown) == 100
    every = ledger_sla.ok("entries", "--format", "json", env=NOV).json()
    assert [e["id"] for e in every[-100:]] == shown  # the latest, oldest first
    text = " ".join(r.stdout.split())
    assert "the latest 100 of 105 entries: --all shows every one" in text
    assert len(ids_in_table(ledger_sla.ok("entries", "--all", env=NOV).stdout)) == 105
    assert ids_in_table(ledger_sla.ok("entries", "--limit", "3", env=NOV).stdout) == shown[-3:]
    october = ledger_sla.ok("entries", "--month", "2026-10", env=NOV)  # a filter shows them all
    assert len(ids_in_table(october.stdout)) == 53 and "latest" not in october.stdout


def test_a_months_table_is_bounded_too_and_says_how_to_see_the_rest(sla: Sla) -> None:
    """A month of a team is thousands of rows: its table is the latest 100 as well."""
    with_entries(sla, 230)  # 115 in October
    october = sla.ok("entries", "--month", "2026-10", env=NOV)
    every = sla.ok("entries", "--month", "2026-10", "--format", "json", env=NOV).json()
    assert len(every) == 115
    assert ids_in_table(october.stdout) == [e["id"] for e in every[-100:]]
    text = " ".join(october.stdout.split())
    assert "the latest 100 of 115 entries: --all shows every one, --limit N" in text
    assert "--month M" not in text  # it is narrowed already
    assert (
        len(ids_in_table(sla.ok("entries", "--month", "2026-10", "--all", env=NOV).stdout)) == 115
    )


def test_json_and_csv_stream_every_entry_in_the_same_shape(ledger_sla: Sla) -> None:
    with_entries(ledger_sla, 105)
    out = ledger_sla.ok("entries", "--format", "json", env=NOV).stdout
    data = json.loads(out)
    assert len(data) == 105
    assert out == json.dumps(data, ensure_ascii=False, indent=2) + "\n"  # as before streaming
    assert set(data[0]) == {"id", "client", "ticket", "on", "minutes", "type", "kind", "by",
                            "note", "reverses", "created_at"}  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(ledger_sla.ok("entries", "-f", "csv", env=NOV).stdout)))
    assert [int(r["id"]) for r in rows] == [e["id"] for e in data]
    latest = ledger_sla.ok("entries", "-f", "json", "--limit", "2", env=NOV).json()
    assert latest == data[-2:]


def test_an_empty_ledger_lists_nothing_in_every_format(sla: Sla) -> None:
    assert sla.ok("entries", "-f", "json").stdout == "[]\n"
    assert sla.ok("entries", "-f", "csv").stdout.startswith("id,client,ticket")
    assert "no entries" in sla.ok("entries").stdout


def test_all_and_limit_together_are_refused(sla: Sla) -> None:
    r = sla("entries", "--all", "--limit", "5")
    assert r.exit_code == 2 and "--all and --limit" in r.stderr
    assert sla("entries", "--limit", "0").exit_code == 2


@pytest.fixture
def incidents(ledger_sla: Sla) -> Sla:
    """October: one resolved, one cancelled, one still open; November: one resolved."""
    sla = ledger_sla
    sla.ok("contract", "add", "Acme", "--key", "ACME", "--variant", "1", "--tier", "basic",
           "--start", "2026-10-01", "--months", "12", env=NOV)  # fmt: skip
    for ticket, day in (("ACME-1", "05"), ("ACME-2", "06"), ("ACME-3", "07")):
        sla.ok("incident", "open", ticket, "--at", f"2026-10-{day}T10:00", env=NOV)
    sla.ok("incident", "resolve", "ACME-1", "--at", "2026-10-05T15:00", env=NOV)
    sla.ok("incident", "cancel", "ACME-2", "--note", "a duplicate", env=NOV)
    sla.ok("incident", "open", "ACME-4", "--at", "2026-11-02T10:00", env=NOV)
    sla.ok("incident", "resolve", "ACME-4", "--at", "2026-11-02T12:00", env=NOV)
    return sla


def tickets(sla: Sla, *args: str) -> list[str]:
    return [i["ticket"] for i in sla.ok("incident", "list", "-f", "json", *args, env=NOV).json()]


def test_incident_list_shows_what_is_open_and_this_months(incidents: Sla) -> None:
    assert tickets(incidents) == ["ACME-3", "ACME-4"]  # open from October; opened in November
    assert tickets(incidents, "--open") == ["ACME-3"]
    assert tickets(incidents, "--all") == ["ACME-1", "ACME-2", "ACME-3", "ACME-4"]
    table = " ".join(incidents.ok("incident", "list", env=NOV).stdout.split())
    assert "--all lists every incident" in table


def test_another_incidents_reopening_leaves_a_resolved_one_resolved(incidents: Sla) -> None:
    """A reopening counts for its own incident only, however the events interleave."""
    incidents.ok("incident", "reopen", "ACME-4", "--at", "2026-11-03T10:00", env=NOV)
    assert tickets(incidents, "--open") == ["ACME-3", "ACME-4"]  # ACME-1 stays resolved
    assert "ACME-1" not in tickets(incidents)
    assert "ACME-1" not in [b["ticket"] for b in
                            incidents.ok("breaches", "-f", "json", env=NOV).json()]  # fmt: skip


def test_filters_combine(ledger_sla: Sla) -> None:
    sla = ledger_sla
    sla.ok("contract", "add", "Acme", "--key", "ACME", "--variant", "1", "--tier", "basic",
           "--start", "2026-10-01", "--months", "12", env=NOV)  # fmt: skip
    for args, who in (
        (("1h", "ACME-1", "--on", "2026-11-02"), "anna"),
        (("2h", "acme-1", "--on", "2026-11-03", "--kind", "dev"), "anna"),
        (("3h", "ACME-2", "--on", "2026-11-03", "--kind", "dev"), "boris"),
        (("4h", "ACME-1", "--on", "2026-11-05"), "boris"),
    ):
        sla.ok("log", *args, env={**NOV, "SLA_USER": who})

    def minutes(*filters: str) -> list[int]:
        found = sla.ok("entries", "-f", "json", *filters, env=NOV).json()
        return [e["minutes"] for e in found]

    assert minutes("--ticket", "acme-1") == [60, 120, 240]
    assert minutes("--by", "boris") == [180, 240]
    assert minutes("--kind", "dev", "--month", "2026-11") == [120, 180]
    assert minutes("--since", "2026-11-03", "--until", "03.11.2026") == [120, 180]
    assert minutes("--ticket", "ACME-1", "--by", "anna", "--kind", "dev") == [120]
    assert minutes("--client", "ACME", "--since", "2026-11-04") == [240]
    table = sla.ok("entries", "--by", "anna", env=NOV).stdout
    assert "latest" not in table and len(ids_in_table(table)) == 2  # a filter shows them all
    r = sla("entries", "--since", "2026-11-05", "--until", "2026-11-01", env=NOV)
    assert r.exit_code == 2 and "is after --until" in r.stderr


@pytest.mark.parametrize(
    "args",
    [("entries", "--by", ""), ("entries", "--ticket", ""), ("timesheet", "--by", "  "),
     ("entries", "--ticket", " ", "-f", "csv")],
)  # fmt: skip
def test_a_blank_filter_is_refused_not_an_empty_listing(sla: Sla, args: tuple[str, ...]) -> None:
    r = sla(*args)
    assert r.exit_code == 2 and f"{args[1]} is empty" in r.stderr and r.stdout == ""
