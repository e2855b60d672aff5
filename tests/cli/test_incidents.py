"""Incidents, clocks and breaches through the CLI, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from tests.conftest import Sla

JAN12_11 = {"SLA_NOW": "2026-01-12T11:00:00+03:00"}


def contract(sla: Sla, variant: str = "1", tier: str = "basic", key: str = "ACME") -> None:
    sla.ok(
        "contract", "add", key, "--key", key, "--variant", variant, "--tier", tier,
        "--start", "2025-12-01", "--months", "3", env=JAN12_11,
    )  # fmt: skip


def listing(sla: Sla, *args: str, env: dict[str, str] = JAN12_11) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = sla.ok(
        "incident", "list", "--format", "json", *args, env=env
    ).json()
    return out


def test_new_year_break_deadlines(ledger_sla: Sla) -> None:
    contract(ledger_sla)
    r = ledger_sla.ok("incident", "open", "ACME-1", "--at", "2025-12-30 18:30", env=JAN12_11)
    assert "at 2025-12-30 18:30+03:00: reaction due 2026-01-12 10:30+03:00" in r.stdout
    (i,) = listing(ledger_sla)
    assert i["reaction_due"] == "2026-01-12T10:30:00+03:00"
    assert i["start_due"] == "2026-01-12T12:30:00+03:00"
    assert i["opened_at"] == "2025-12-30T18:30:00+03:00"
    assert (i["reaction_status"], i["start_status"]) == ("breached", "running")
    assert (i["client"], i["variant"]) == ("ACME", 1)


def test_ack_and_logged_hours_stop_the_clocks(ledger_sla: Sla) -> None:
    contract(ledger_sla)
    ledger_sla.ok("incident", "open", "ACME-2", "--at", "2026-01-12 09:00", env=JAN12_11)
    ack = ledger_sla.ok("incident", "ack", "ACME-2", "--at", "2026-01-12 10:30", env=JAN12_11)
    assert ack.stdout.startswith("ACME-2 acknowledged at 2026-01-12 10:30+03:00: reaction due")
    ledger_sla.ok("log", "15m", "ACME-2", "--on", "2026-01-12", "--from", "10:45", env=JAN12_11)
    (i,) = listing(ledger_sla)
    assert i["reacted_at"] == "2026-01-12T10:30:00+03:00"
    assert i["started_at"] == "2026-01-12T10:45:00+03:00"
    assert (i["reaction_status"], i["start_status"]) == ("met", "met")
    late = ledger_sla("incident", "ack", "ACME-2", env=JAN12_11)
    assert late.exit_code == 2 and "already acknowledged" in late.stderr


def test_logging_without_from_stops_the_clock_when_recorded(ledger_sla: Sla) -> None:
    contract(ledger_sla)
    ledger_sla.ok("incident", "open", "ACME-3", "--at", "2026-01-12 09:00", env=JAN12_11)
    ledger_sla.ok("log", "1h", "ACME-3", env=JAN12_11)
    (i,) = listing(ledger_sla)
    assert i["started_at"] == "2026-01-12T11:00:00+03:00"


def test_at_risk_and_breached_clocks_are_listed_with_fail(ledger_sla: Sla) -> None:
    contract(ledger_sla)
    ledger_sla.ok("incident", "open", "ACME-4", "--at", "2026-01-12 09:25", env=JAN12_11)
    ledger_sla.ok("incident", "open", "ACME-5", "--at", "2025-12-30 18:30", env=JAN12_11)
    r = ledger_sla("breaches", "--format", "json", "--fail", env=JAN12_11)
    assert r.exit_code == 1
    found = {(b["ticket"], b["clock"]): b for b in r.json()}
    assert set(found) == {("ACME-4", "reaction"), ("ACME-5", "reaction")}
    assert found[("ACME-5", "reaction")]["overdue_minutes"] == 30
    assert found[("ACME-5", "reaction")]["at"] is None
    assert found[("ACME-4", "reaction")]["overdue_minutes"] == 0  # at risk: 95 of 120 minutes
    table = ledger_sla("breaches", env=JAN12_11)
    assert "at_risk" in table.stdout and "breached" in table.stdout
    december = ledger_sla.ok("breaches", "--month", "2025-12", "--format", "json", env=JAN12_11)
    assert [b["ticket"] for b in december.json()] == ["ACME-5"]


def test_breaches_fail_passes_when_all_is_well(ledger_sla: Sla) -> None:
    contract(ledger_sla)
    ledger_sla.ok("incident", "open", "ACME-6", "--at", "2026-01-12 10:50", env=JAN12_11)
    r = ledger_sla("breaches", "--fail", env=JAN12_11)
    assert r.exit_code == 0 and "no breaches" in r.stdout


def test_variant_targets_differ(ledger_sla: Sla) -> None:
    contract(ledger_sla, "2", "standard", "BETA")
    contract(ledger_sla, "3", "minimal", "GAMMA")
    ledger_sla.ok("incident", "open", "BETA-1", "--at", "2026-01-12 09:00", env=JAN12_11)
    ledger_sla.ok("incident", "open", "GAMMA-1", "--at", "2026-01-12 09:00", env=JAN12_11)
    beta, gamma = listing(ledger_sla)
    assert (beta["reaction_due"], beta["start_due"]) == (
        "2026-01-12T10:00:00+03:00",
        "2026-01-12T12:00:00+03:00",
    )
    assert (gamma["reaction_due"], gamma["start_due"]) == (
        "2026-01-12T12:00:00+03:00",
        "2026-01-12T15:00:00+03:00",
    )


def test_bad_moments_are_refused(ledger_sla: Sla) -> None:
    contract(ledger_sla)
    future = ledger_sla("incident", "open", "ACME-7", "--at", "2026-01-13 09:00", env=JAN12_11)
    assert future.exit_code == 2 and "in the future" in future.stderr
    ledger_sla.ok("incident", "open", "ACME-7", "--at", "2026-01-12 10:00", env=JAN12_11)
    before = ledger_sla("incident", "ack", "ACME-7", "--at", "2026-01-12 09:00", env=JAN12_11)
    assert before.exit_code == 2 and "before the incident opened" in before.stderr
    twice = ledger_sla("incident", "open", "ACME-7", env=JAN12_11)
    assert twice.exit_code == 2 and "already has an open incident" in twice.stderr
    unknown = ledger_sla("incident", "ack", "ACME-99", env=JAN12_11)
    assert unknown.exit_code == 2 and "no incident" in unknown.stderr
    garbled = ledger_sla("incident", "open", "ACME-8", "--at", "yesterday-ish", env=JAN12_11)
    assert garbled.exit_code == 2 and "cannot read the time" in garbled.stderr


def test_open_filter_and_resolution(ledger_sla: Sla) -> None:
    contract(ledger_sla)
    ledger_sla.ok("incident", "open", "ACME-8", "--at", "2026-01-12 09:00", env=JAN12_11)
    ledger_sla.ok("incident", "open", "ACME-9", "--at", "2026-01-12 09:10", env=JAN12_11)
    ledger_sla.ok("incident", "resolve", "ACME-8", "--at", "2026-01-12 09:40", env=JAN12_11)
    assert [i["ticket"] for i in listing(ledger_sla, "--open")] == ["ACME-9"]
    resolved = listing(ledger_sla)[0]
    assert resolved["reaction_status"] == "met"  # resolving stops clocks nothing stopped
    assert resolved["resolved_at"] == "2026-01-12T09:40:00+03:00"


def test_calendar_year_json_has_the_official_counts(sla: Sla) -> None:
    data = sla.ok("calendar", "--year", "2025", "--format", "json").json()
    assert data["year"] == 2025
    assert (data["working_days"], data["working_minutes"]) == (247, 148200)
    assert data["working_weekend_days"] == ["2025-11-01"]
    assert "2025-12-31" in data["holidays"]


def test_calendar_month_grid_marks_the_working_saturday(sla: Sla) -> None:
    out = sla.ok("calendar", "--month", "2025-11").stdout
    assert "1*" in out and "19 working days, 190 hours" in out
    bad = sla("calendar", "--year", "2025", "--month", "2025-11")
    assert bad.exit_code == 2 and "not both" in bad.stderr


def test_undoing_the_first_hours_restarts_the_start_clock(ledger_sla: Sla) -> None:
    contract(ledger_sla)
    ledger_sla.ok("incident", "open", "ACME-30", "--at", "2026-01-12 09:00", env=JAN12_11)
    ledger_sla.ok("log", "15m", "ACME-30", "--from", "09:30", env=JAN12_11)
    assert listing(ledger_sla)[0]["started_at"] == "2026-01-12T09:30:00+03:00"
    ledger_sla.ok("log", "--undo", env=JAN12_11)
    (i,) = listing(ledger_sla)
    assert i["started_at"] is None and i["start_status"] == "running"
    ledger_sla.ok("incident", "start", "ACME-30", "--at", "2026-01-12 10:00", env=JAN12_11)


def test_work_begun_before_the_incident_was_opened_stops_the_clock_at_opening(
    ledger_sla: Sla,
) -> None:
    contract(ledger_sla)
    ledger_sla.ok("incident", "open", "ACME-31", "--at", "2026-01-12 09:05", env=JAN12_11)
    ledger_sla.ok("log", "55m", "ACME-31", "--from", "09:00", env=JAN12_11)
    (i,) = listing(ledger_sla)
    assert i["started_at"] == "2026-01-12T09:05:00+03:00" and i["start_status"] == "met"


def test_work_still_going_at_the_opening_counts_whichever_was_recorded_first(
    ledger_sla: Sla,
) -> None:
    """Hours from 09:00 for 55 m were still going when the incident opened at 09:05: the start
    clock stops at the opening, as it does when the incident is recorded first (the test
    above). Hours that ended by the opening, recorded before it, were other work."""
    contract(ledger_sla)
    ledger_sla.ok("log", "55m", "ACME-33", "--from", "09:00", env=JAN12_11)
    ledger_sla.ok("log", "1h", "ACME-34", "--from", "08:05", env=JAN12_11)  # ends 09:05
    for ticket in ("ACME-33", "ACME-34"):
        ledger_sla.ok("incident", "open", ticket, "--at", "2026-01-12 09:05", env=JAN12_11)
    going, ended = sorted(listing(ledger_sla), key=lambda i: i["ticket"])
    assert going["started_at"] == "2026-01-12T09:05:00+03:00" and going["start_status"] == "met"
    assert ended["started_at"] is None and ended["start_status"] == "running"
    breaches = ledger_sla.ok(
        "breaches", "--format", "json", env={"SLA_NOW": "2026-01-12T15:00:00+03:00"}
    ).json()
    started_late = [b["ticket"] for b in breaches if b["clock"] == "start"]
    assert started_late == ["ACME-34"]  # 4 h to start, due 13:05


def test_a_timer_running_when_the_incident_opens_starts_its_work_at_the_opening(
    ledger_sla: Sla,
) -> None:
    contract(ledger_sla)
    ledger_sla.ok("start", "ACME-35", env={"SLA_NOW": "2026-01-12T09:00:00+03:00"})
    ledger_sla.ok("incident", "open", "ACME-35", "--at", "2026-01-12 09:05", env=JAN12_11)
    (i,) = listing(ledger_sla)
    assert i["started_at"] == "2026-01-12T09:05:00+03:00" and i["start_status"] == "met"
    ledger_sla.ok("stop", "--discard", env=JAN12_11)  # a discarded timer was no work
    (i,) = listing(ledger_sla)
    assert i["started_at"] is None and i["start_status"] == "running"


def test_hours_after_resolution_do_not_rewrite_the_incident(ledger_sla: Sla) -> None:
    contract(ledger_sla)
    ledger_sla.ok("incident", "open", "ACME-32", "--at", "2026-01-12 09:00", env=JAN12_11)
    ledger_sla.ok("incident", "resolve", "ACME-32", "--at", "2026-01-12 09:40", env=JAN12_11)
    before = listing(ledger_sla)
    ledger_sla.ok("log", "1h", "ACME-32", "--note", "follow-up", env=JAN12_11)
    assert listing(ledger_sla) == before
    assert before[0]["start_status"] == "met"


def test_the_same_ticket_number_at_two_clients_is_two_incidents(ledger_sla: Sla) -> None:
    contract(ledger_sla)
    contract(ledger_sla, "2", "standard", "BETA")
    for key in ("ACME", "BETA"):
        ledger_sla.ok("incident", "open", "#4711", "--client", key, "--at", "2026-01-12 09:00",
                      env=JAN12_11)  # fmt: skip
    ledger_sla.ok("log", "1h", "#4711", "--client", "BETA", "--from", "09:10", env=JAN12_11)
    ledger_sla.ok("incident", "ack", "#4711", "--client", "ACME", "--at", "2026-01-12 09:20",
                  env=JAN12_11)  # fmt: skip
    acme, beta = sorted(listing(ledger_sla), key=lambda i: str(i["client"]))
    assert (acme["reacted_at"], acme["started_at"]) == ("2026-01-12T09:20:00+03:00", None)
    assert (beta["reacted_at"], beta["started_at"]) == (None, "2026-01-12T09:10:00+03:00")
