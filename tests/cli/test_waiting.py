"""`sla incident wait` and `resume` through the command line, on SQLite and PostgreSQL."""

from __future__ import annotations

from tests.conftest import Sla

NOW = {"SLA_NOW": "2026-11-24T12:00:00+03:00"}


def setup(sla: Sla) -> None:
    sla.ok("contract", "add", "Acme", "--key", "ACME", "--variant", "1", "--tier", "basic",
           "--start", "2026-10-01", "--months", "12", env=NOW)  # fmt: skip
    sla.ok("incident", "open", "ACME-7", "--at", "2026-11-20T17:00", env=NOW)


def listed(sla: Sla) -> dict[str, object]:
    (incident,) = sla.ok("incident", "list", "-f", "json", env=NOW).json()
    return dict(incident)


def test_a_weekend_wait_moves_the_start_of_work_due(ledger_sla: Sla) -> None:
    setup(ledger_sla)
    r = ledger_sla.ok("incident", "wait", "ACME-7", "--at", "2026-11-20T18:00",
                      "--note", "asked for the logs", env=NOW)  # fmt: skip
    assert "waiting for the client" in r.stdout
    waiting = listed(ledger_sla)
    assert waiting["status"] == "waiting"
    assert waiting["waiting_minutes"] == 60 + 10 * 60 + 3 * 60  # Friday, Monday, Tuesday to 12:00
    table = " ".join(ledger_sla.ok("incident", "list", env=NOW).stdout.split())
    assert "waiting" in table
    ledger_sla.ok("incident", "resume", "ACME-7", "--at", "2026-11-23T11:00", env=NOW)
    ledger_sla.ok("log", "1h", "ACME-7", "--on", "2026-11-23", "--from", "14:00", env=NOW)
    done = listed(ledger_sla)
    assert done["status"] == "open" and done["waiting_minutes"] == 180
    assert done["start_due"] == "2026-11-23T14:00:00+03:00"
    assert done["start_status"] == "met"  # exactly 4 business hours counted
    breaches = ledger_sla.ok("breaches", "-f", "json", env=NOW).json()
    assert [(b["clock"], b["waiting_minutes"]) for b in breaches] == [("reaction", 180)]


def test_wait_is_undone_like_any_event(ledger_sla: Sla) -> None:
    setup(ledger_sla)
    ledger_sla.ok("incident", "wait", "ACME-7", "--at", "2026-11-20T18:00", env=NOW)
    r = ledger_sla("incident", "resume", "ACME-7", "--at", "2026-11-20T17:30", env=NOW)
    assert r.exit_code == 2 and "before the incident's last event" in r.stderr
    ledger_sla.ok("incident", "undo", "ACME-7", env=NOW)
    assert listed(ledger_sla)["status"] == "open"
    assert listed(ledger_sla)["waiting_minutes"] == 0
    r = ledger_sla("incident", "resume", "ACME-7", env=NOW)
    assert r.exit_code == 2 and "is not waiting" in r.stderr


def test_the_statement_notes_the_waiting_time(ledger_sla: Sla) -> None:
    setup(ledger_sla)
    ledger_sla.ok("incident", "wait", "ACME-7", "--at", "2026-11-20T18:00", env=NOW)
    ledger_sla.ok("incident", "resolve", "ACME-7", "--at", "2026-11-23T11:00", env=NOW)
    data = ledger_sla.ok("report", "--month", "2026-11", "-f", "json", env=NOW).json()
    (incident,) = data["statements"][0]["incidents"]
    assert incident["waiting_minutes"] == 180
    md = ledger_sla.ok("report", "--month", "2026-11", "-f", "md", env=NOW).stdout
    assert "ожидание ответа клиента: 3:00" in md


def test_hours_logged_while_waiting_start_the_work_and_keep_the_wait(ledger_sla: Sla) -> None:
    setup(ledger_sla)
    ledger_sla.ok("incident", "wait", "ACME-7", "--at", "2026-11-20T18:00", env=NOW)
    ledger_sla.ok("log", "30m", "ACME-7", "--on", "2026-11-23", "--from", "10:00", env=NOW)
    got = listed(ledger_sla)
    assert got["status"] == "waiting"  # logging does not end the wait
    assert got["started_at"] == "2026-11-23T10:00:00+03:00"
    assert got["start_status"] == "met"  # 1 h counted before the wait: within 4 h


def test_breaches_show_a_waiting_incident(ledger_sla: Sla) -> None:
    setup(ledger_sla)
    ledger_sla.ok("incident", "wait", "ACME-7", "--at", "2026-11-20T18:00", env=NOW)
    table = " ".join(ledger_sla.ok("breaches", env=NOW).stdout.split())
    assert "waiting (14:00)" in table  # the reaction clock ran on: breached while waiting


def test_a_wait_across_a_month_close_is_resumed_and_resolved(ledger_sla: Sla) -> None:
    """October closes while the incident waits: the client's answer in November is recorded
    (in an open month), while a resumption back-dated into October is refused."""
    october = {"SLA_NOW": "2026-10-30T18:00:00+03:00"}
    november = {"SLA_NOW": "2026-11-05T12:00:00+03:00"}
    ledger_sla.ok("contract", "add", "Acme", "--key", "ACME", "--variant", "1", "--tier",
                  "basic", "--start", "2026-10-01", "--months", "12", env=october)  # fmt: skip
    ledger_sla.ok("incident", "open", "ACME-7", "--at", "2026-10-30T10:00", env=october)
    ledger_sla.ok("incident", "wait", "ACME-7", "--at", "2026-10-30T11:00", env=october)
    ledger_sla.ok("rollover", "--month", "2026-10", env=november)
    r = ledger_sla("incident", "resume", "ACME-7", "--at", "2026-10-30T17:00", env=november)
    assert r.exit_code == 2 and "2026-10 is closed" in r.stderr
    ledger_sla.ok("incident", "resume", "ACME-7", "--at", "2026-11-03T10:00", env=november)
    ledger_sla.ok("incident", "undo", "ACME-7", env=november)  # its undo is November's too
    ledger_sla.ok("incident", "resolve", "ACME-7", "--at", "2026-11-03T10:00", env=november)
    (got,) = ledger_sla.ok("incident", "list", "--all", "-f", "json", env=november).json()
    assert got["status"] == "resolved"
    # waited: Friday 30 October 11:00–19:00 (8 h), Monday 2 November (10 h) and Tuesday
    # 3 November 9:00–10:00 (1 h)
    assert got["waiting_minutes"] == (8 + 10 + 1) * 60
    r = ledger_sla("incident", "undo", "ACME-7", env=november)  # the resolution, in November
    assert r.exit_code == 0, r.stderr
    r = ledger_sla("incident", "undo", "ACME-7", env=november)  # the wait began in October
    assert r.exit_code == 2 and "2026-10 is closed" in r.stderr


def test_the_config_names_the_clocks_a_wait_pauses(ledger_sla: Sla) -> None:
    """With the reaction clock in `sla.pausing_clocks` its due moves on too (1 h on Friday, the
    other hour from the resumption); with none, nothing moves."""
    from sla_cli.config.defaults import default_document, write_config

    setup(ledger_sla)
    ledger_sla.ok("incident", "wait", "ACME-7", "--at", "2026-11-20T18:00", env=NOW)
    ledger_sla.ok("incident", "resume", "ACME-7", "--at", "2026-11-23T11:00", env=NOW)
    for pausing, reaction_due, start_due in (
        (["reaction", "start"], "2026-11-23T12:00:00+03:00", "2026-11-23T14:00:00+03:00"),
        ([], "2026-11-20T19:00:00+03:00", "2026-11-23T11:00:00+03:00"),
    ):
        doc = default_document()
        doc["sla"]["pausing_clocks"] = pausing
        write_config(ledger_sla.config, doc, force=True)
        got = listed(ledger_sla)
        assert (got["reaction_due"], got["start_due"]) == (reaction_due, start_due)
        assert got["waiting_minutes"] == 180  # waited, whichever clocks it paused
