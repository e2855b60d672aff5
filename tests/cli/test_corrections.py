"""Corrections, append-only, with who, when and why: contracts cancelled or their end moved,
incident events undone, incidents cancelled or reopened; on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.conftest import Sla

NOV = {"SLA_NOW": "2026-11-24T12:00:00+03:00"}


def just_now(stamp: str) -> bool:
    """Written by the real clock (rows are stamped when written, whatever SLA_NOW says)."""
    moment = datetime.fromisoformat(stamp)
    return abs(moment - datetime.now(UTC)) < timedelta(minutes=5) and moment.utcoffset() is not None


BORIS = {**NOV, "SLA_USER": "boris"}


def sign(sla: Sla, key: str, variant: str, tier: str, start: str, *extra: str) -> None:
    sla.ok(
        "contract", "add", f"{key} Ltd", "--key", key, "--variant", variant, "--tier", tier,
        "--start", start, *extra, env=NOV,
    )  # fmt: skip


def contracts(sla: Sla, *args: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = sla.ok("contract", "list", "-f", "json", *args, env=NOV).json()
    return out


def entries(sla: Sla) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = sla.ok("entries", "--format", "json", env=NOV).json()
    return out


def incidents(sla: Sla, *args: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = sla.ok("incident", "list", "-f", "json", *args, env=NOV).json()
    return out


def report_clients(sla: Sla, month: str = "2026-11") -> list[str]:
    data = sla.ok("report", "--month", month, "--format", "json", env=NOV).json()
    return [s["client"] for s in data["statements"]]


# --- contracts ----------------------------------------------------------------------------------


def test_a_contract_signed_by_mistake_is_cancelled_with_its_first_package(
    ledger_sla: Sla,
) -> None:
    sign(ledger_sla, "PK", "3", "minimal", "2026-11-01")
    r = ledger_sla.ok(
        "contract", "cancel", "pk", "--note", "signed for the wrong client", env=BORIS
    )
    assert "cancelled by boris; its first package reversed by entry 2" in r.stdout
    topup, reversal = entries(ledger_sla)
    assert (topup["type"], topup["minutes"]) == ("topup", 600)
    assert (reversal["type"], reversal["reverses"], reversal["minutes"]) == ("reversal", 1, -600)
    assert reversal["by"] == "boris" and "signed for the wrong client" in reversal["note"]
    assert contracts(ledger_sla) == []  # gone from listings
    assert report_clients(ledger_sla) == []  # and from statements
    (c,) = contracts(ledger_sla, "--all")
    assert (c["cancelled_by"], c["cancelled_note"]) == ("boris", "signed for the wrong client")
    assert just_now(c["cancelled_at"])  # the real clock, never SLA_NOW
    assert "cancelled" in ledger_sla.ok("contract", "list", "--all", env=NOV).stdout
    csv = ledger_sla.ok("contract", "list", "--all", "-f", "csv", env=NOV).stdout
    assert csv.splitlines()[0].endswith(",cancelled_by,cancelled_at,cancelled_note")
    # its days are free: the right contract is signed, and tickets find it
    sign(ledger_sla, "PK", "1", "basic", "2026-11-01")
    ledger_sla.ok("log", "1h", "PK-1", env=NOV)
    assert report_clients(ledger_sla) == ["PK"]
    again = ledger_sla("contract", "cancel", "PK", "--note", "x", env=NOV)
    assert again.exit_code == 2 and "void them first" in again.stderr


def test_cancel_is_refused_while_work_counts_on_the_contract(ledger_sla: Sla) -> None:
    sign(ledger_sla, "ACME", "1", "basic", "2026-11-01", "--months", "3")
    ledger_sla.ok("log", "1h", "ACME-1", env=NOV)
    ledger_sla.ok("log", "30m", "ACME-2", env=NOV)
    refused = ledger_sla("contract", "cancel", "ACME", "--note", "typo", env=NOV)
    assert refused.exit_code == 2
    assert "2 entries not reversed (1, 2); void them first (`sla void ID`)" in refused.stderr
    assert len(entries(ledger_sla)) == 2 and contracts(ledger_sla)[0]["cancelled_by"] is None
    ledger_sla.ok("incident", "open", "ACME-3", "--at", "2026-11-24 10:00", env=NOV)
    for entry_id in ("1", "2"):
        ledger_sla.ok("void", entry_id, env=NOV)
    busy = ledger_sla("contract", "cancel", "ACME", "--note", "typo", env=NOV)
    assert busy.exit_code == 2 and "has incidents ACME-3; cancel them first" in busy.stderr
    ledger_sla.ok("incident", "cancel", "ACME-3", "--note", "no contract", env=NOV)
    ledger_sla.ok("contract", "cancel", "ACME", "--note", "typo", env=NOV)
    assert contracts(ledger_sla) == []
    no_note = ledger_sla("contract", "cancel", "ACME", env=NOV)
    assert no_note.exit_code == 2 and "--note" in no_note.stderr


def test_cancel_is_refused_once_a_month_of_the_contract_is_closed(ledger_sla: Sla) -> None:
    sign(ledger_sla, "PK", "3", "minimal", "2026-10-01")
    ledger_sla.ok("rollover", env=NOV)
    refused = ledger_sla("contract", "cancel", "PK", "--note", "late", env=NOV)
    assert refused.exit_code == 2 and "2026-10 is closed" in refused.stderr
    assert "end it instead" in refused.stderr
    assert len(entries(ledger_sla)) == 2  # the package and October's carry, nothing more


def test_an_end_moves_later_and_earlier_and_show_tells_the_history(ledger_sla: Sla) -> None:
    sign(ledger_sla, "ACME", "1", "basic", "2026-10-01", "--months", "3")
    ledger_sla.ok("contract", "end", "ACME", "--on", "2027-06-30", "--note", "renewed", env=NOV)
    ledger_sla.ok("contract", "end", "ACME", "--on", "2027-03-31", env=BORIS)
    (c,) = contracts(ledger_sla)
    assert (c["end"], c["months"]) == ("2027-03-31", 6)
    ledger_sla.ok("contract", "end", "ACME", "--on", "2027-09-30", "--note", "again", env=NOV)
    ledger_sla.ok("log", "1h", "ACME-1", "--on", "2027-08-02", env={"SLA_NOW": "2027-08-02T12:00"})
    shown = ledger_sla.ok("contract", "show", "ACME", "-f", "json", env=NOV).json()
    assert (shown["end"], shown["signed_end"], shown["months"]) == ("2027-09-30", "2026-12-31", 12)
    assert shown["cancelled"] is None and shown["balance_minutes"] is None
    assert [(h["kind"], h["end"], h["by"], h["note"]) for h in shown["history"]] == [
        ("end", "2027-06-30", "tester", "renewed"),
        ("end", "2027-03-31", "boris", None),
        ("end", "2027-09-30", "tester", "again"),
    ]
    assert just_now(shown["history"][0]["created_at"])
    table = ledger_sla.ok("contract", "show", "ACME", env=NOV).stdout
    assert "signed through 2026-12-31" in table and "renewed" in table and "boris" in table
    # hours logged in August stop an end before them, until voided
    early = ledger_sla("contract", "end", "ACME", "--on", "2027-07-31", env=NOV)
    assert early.exit_code == 2 and "1 entries after 2027-07-31; void them first" in early.stderr
    ledger_sla.ok("void", "1", env=NOV)
    ledger_sla.ok("contract", "end", "ACME", "--on", "2027-07-31", env=NOV)
    same = ledger_sla("contract", "end", "ACME", "--on", "2027-07-31", env=NOV)
    assert same.exit_code == 2 and "already runs through 2027-07-31" in same.stderr


def test_an_end_moves_only_within_open_months(
    ledger_sla: Sla,
) -> None:
    sign(ledger_sla, "ACME", "2", "standard", "2026-08-01", "--months", "3")  # through October
    sign(ledger_sla, "ACME", "1", "basic", "2027-01-01")
    ledger_sla.ok("rollover", env=NOV)  # closes August to October
    closed = ledger_sla("contract", "end", "ACME", "--on", "2026-09-30", env=NOV)
    assert closed.exit_code == 2 and "up to 2026-10 are closed" in closed.stderr
    # later, over open months only: November and December
    ledger_sla.ok("contract", "end", "ACME", "--on", "2026-12-31", env=NOV)
    # a day of the next contract names that one: it cannot grow into it
    later = ledger_sla("contract", "end", "ACME", "--on", "2027-01-31", env=NOV)
    assert later.exit_code == 2 and "minimum term of 3 months" in later.stderr
    assert [c["end"] for c in contracts(ledger_sla)] == ["2026-12-31", "2027-03-31"]
    assert report_clients(ledger_sla) == ["ACME"]
    show = ledger_sla.ok("contract", "show", "ACME", "-f", "json", env=NOV).json()
    assert show["variant"] == 2 and len(show["history"]) == 1  # the one active today


def test_a_package_end_moves_later_and_the_month_covers_it_again(ledger_sla: Sla) -> None:
    sign(ledger_sla, "PK", "3", "minimal", "2026-09-01")
    ledger_sla.ok("contract", "end", "PK", "--on", "2026-10-31", env=NOV)
    assert report_clients(ledger_sla) == []
    missing = ledger_sla("log", "1h", "PK-1", env=NOV)
    assert missing.exit_code == 2 and "no contract active on 2026-11-24" in missing.stderr
    ledger_sla.ok("contract", "end", "PK", "--on", "2026-11-30", env=NOV)
    ledger_sla.ok("log", "1h", "PK-1", env=NOV)
    assert report_clients(ledger_sla) == ["PK"]
    shown = ledger_sla.ok("contract", "show", "PK", "-f", "json", env=NOV).json()
    assert (shown["end"], shown["signed_end"], shown["balance_minutes"]) == (
        "2026-11-30",
        None,
        540,
    )


# --- incidents ----------------------------------------------------------------------------------


def test_undo_walks_back_the_events_one_at_a_time(ledger_sla: Sla) -> None:
    sign(ledger_sla, "ACME", "1", "basic", "2026-11-01", "--months", "3")
    ledger_sla.ok("incident", "open", "ACME-1", "--at", "2026-11-24 09:00", env=NOV)
    nothing = ledger_sla("incident", "undo", "ACME-1", env=NOV)
    assert nothing.exit_code == 2 and "no event to undo" in nothing.stderr
    ledger_sla.ok("incident", "ack", "ACME-1", "--at", "2026-11-24 09:30", env=NOV)
    ledger_sla.ok("incident", "resolve", "ACME-1", "--at", "2026-11-24 10:00", env=NOV)
    r = ledger_sla.ok("incident", "undo", "ACME-1", "--note", "not fixed", env=BORIS)
    assert "undid resolve at 2026-11-24 10:00+03:00 (recorded by tester); open" in r.stdout
    (i,) = incidents(ledger_sla, "--open")
    assert (i["reacted_at"], i["resolved_at"], i["status"]) == (
        "2026-11-24T09:30:00+03:00",
        None,
        "open",
    )
    ledger_sla.ok("incident", "undo", "ACME-1", env=NOV)
    (i,) = incidents(ledger_sla)
    assert i["reacted_at"] is None and i["reaction_status"] == "breached"
    again = ledger_sla("incident", "undo", "ACME-1", env=NOV)
    assert again.exit_code == 2 and "no event to undo" in again.stderr
    ledger_sla.ok("incident", "ack", "ACME-1", "--at", "2026-11-24 09:45", env=NOV)
    assert incidents(ledger_sla)[0]["reacted_at"] == "2026-11-24T09:45:00+03:00"


def test_a_cancelled_incident_leaves_breaches_and_statements_and_undo_brings_it_back(
    ledger_sla: Sla,
) -> None:
    sign(ledger_sla, "ACME", "1", "basic", "2026-11-01", "--months", "3")
    ledger_sla.ok("incident", "open", "ACME-1", "--at", "2026-11-20 09:00", env=NOV)

    def statement_tickets() -> list[str]:
        data = ledger_sla.ok("report", "--month", "2026-11", "-f", "json", env=NOV).json()
        return [i["ticket"] for i in data["statements"][0]["incidents"]]

    assert statement_tickets() == ["ACME-1"]
    assert len(ledger_sla.ok("breaches", "-f", "json", env=NOV).json()) == 2
    no_note = ledger_sla("incident", "cancel", "ACME-1", env=NOV)
    assert no_note.exit_code == 2
    r = ledger_sla.ok("incident", "cancel", "ACME-1", "--note", "a duplicate", env=BORIS)
    assert "ACME-1 cancelled at 2026-11-24 12:00+03:00; it is cancelled" in r.stdout
    assert incidents(ledger_sla) == [] and statement_tickets() == []
    assert ledger_sla("breaches", "--fail", env=NOV).exit_code == 0
    (i,) = incidents(ledger_sla, "--all")
    assert (i["status"], i["reaction_status"], i["cancelled_by"], i["cancelled_note"]) == (
        "cancelled",
        "cancelled",
        "boris",
        "a duplicate",
    )
    assert "cancelled" in ledger_sla.ok("incident", "list", "--all", env=NOV).stdout
    ack = ledger_sla("incident", "ack", "ACME-1", env=NOV)
    assert ack.exit_code == 2 and "no incident" in ack.stderr  # a cancelled one is not found
    # a new incident on the ticket while the cancelled one is out of the way
    ledger_sla.ok("incident", "open", "ACME-1", "--at", "2026-11-24 11:00", env=NOV)
    twice = ledger_sla("incident", "undo", "ACME-1", env=NOV)  # the cancellation is the last event
    assert twice.exit_code == 2 and "has another open incident" in twice.stderr
    ledger_sla.ok("incident", "cancel", "ACME-1", "--note", "opened twice", env=NOV)
    ledger_sla.ok("incident", "undo", "ACME-1", env=NOV)  # the later cancellation goes first
    ledger_sla.ok("incident", "resolve", "ACME-1", env=NOV)
    ledger_sla.ok("incident", "undo", "ACME-1", env=NOV)  # the resolution
    ledger_sla.ok("incident", "resolve", "ACME-1", "--at", "2026-11-24 11:30", env=NOV)
    ledger_sla.ok("incident", "undo", "ACME-1", env=NOV)
    assert [i["status"] for i in incidents(ledger_sla, "--all")] == ["cancelled", "open"]


def test_reopen_resumes_the_clocks(ledger_sla: Sla) -> None:
    sign(ledger_sla, "ACME", "1", "basic", "2026-11-01", "--months", "3")
    ledger_sla.ok("incident", "open", "ACME-1", "--at", "2026-11-24 09:00", env=NOV)
    not_resolved = ledger_sla("incident", "reopen", "ACME-1", env=NOV)
    assert not_resolved.exit_code == 2 and "is not resolved" in not_resolved.stderr
    ledger_sla.ok("incident", "resolve", "ACME-1", "--at", "2026-11-24 09:30", env=NOV)
    (i,) = incidents(ledger_sla)
    assert (i["reaction_status"], i["start_status"]) == ("met", "met")
    early = ledger_sla("incident", "reopen", "ACME-1", "--at", "2026-11-24 09:15", env=NOV)
    assert early.exit_code == 2 and "before ACME-1 was resolved" in early.stderr
    r = ledger_sla.ok("incident", "reopen", "ACME-1", "--note", "still down", env=NOV)
    assert "ACME-1 reopened at 2026-11-24 12:00+03:00; open: reaction due" in r.stdout
    (i,) = incidents(ledger_sla, "--open")
    assert (i["resolved_at"], i["reaction_status"], i["start_status"]) == (
        None,
        "breached",
        "at_risk",
    )
    before = ledger_sla("incident", "resolve", "ACME-1", "--at", "2026-11-24 11:00", env=NOV)
    assert before.exit_code == 2 and "before ACME-1 was reopened" in before.stderr
    ledger_sla.ok("incident", "resolve", "ACME-1", env=NOV)
    assert incidents(ledger_sla)[0]["status"] == "resolved"


def test_events_out_of_order_are_refused_and_write_nothing(ledger_sla: Sla) -> None:
    sign(ledger_sla, "ACME", "1", "basic", "2026-11-01", "--months", "3")
    ledger_sla.ok("incident", "open", "ACME-1", "--at", "2026-11-24 09:00", env=NOV)
    ledger_sla.ok("incident", "ack", "ACME-1", "--at", "2026-11-24 10:00", env=NOV)
    before = incidents(ledger_sla)
    for event in ("ack", "start", "resolve"):
        r = ledger_sla("incident", event, "ACME-1", "--at", "2026-11-24 08:59", env=NOV)
        assert r.exit_code == 2 and "before the incident opened" in r.stderr, event
    r = ledger_sla("incident", "resolve", "ACME-1", "--at", "2026-11-24 09:30", env=NOV)
    assert r.exit_code == 2 and "before ACME-1 was acknowledged" in r.stderr
    assert incidents(ledger_sla) == before
    undo = ledger_sla.ok("incident", "undo", "ACME-1", env=NOV)
    assert "undid ack" in undo.stdout  # only the ack was ever recorded


def test_a_start_after_logged_hours_says_the_clock_kept_their_time(ledger_sla: Sla) -> None:
    sign(ledger_sla, "ACME", "1", "basic", "2026-11-01", "--months", "3")
    ledger_sla.ok("incident", "open", "ACME-1", "--at", "2026-11-24 09:00", env=NOV)
    ledger_sla.ok("log", "30m", "ACME-1", "--from", "09:20", env=NOV)
    r = ledger_sla.ok("incident", "start", "ACME-1", "--at", "2026-11-24 10:00", env=NOV)
    assert "hours logged already stopped the start-of-work clock at 2026-11-24 09:20" in r.stdout
    assert "this changes no clock" in r.stdout
    assert incidents(ledger_sla)[0]["started_at"] == "2026-11-24T09:20:00+03:00"
    ledger_sla.ok("log", "--undo", env=NOV)  # the recorded start counts once the hours are gone
    assert incidents(ledger_sla)[0]["started_at"] == "2026-11-24T10:00:00+03:00"


def test_closed_months_stay_final_for_corrections(ledger_sla: Sla) -> None:
    sign(ledger_sla, "ACME", "1", "basic", "2026-10-01", "--months", "3")
    ledger_sla.ok("incident", "open", "ACME-1", "--at", "2026-10-20 09:00", env=NOV)
    ledger_sla.ok("incident", "ack", "ACME-1", "--at", "2026-10-20 09:30", env=NOV)
    ledger_sla.ok("incident", "resolve", "ACME-1", "--at", "2026-10-21 09:30", env=NOV)
    ledger_sla.ok("rollover", env=NOV)  # closes October
    for args in (
        ("incident", "undo", "ACME-1"),
        ("incident", "reopen", "ACME-1"),
        ("incident", "cancel", "ACME-1", "--note", "late"),
    ):
        r = ledger_sla(*args, env=NOV)
        assert r.exit_code == 2 and "2026-10 is closed" in r.stderr, args
    assert incidents(ledger_sla, "--all")[0]["status"] == "resolved"
