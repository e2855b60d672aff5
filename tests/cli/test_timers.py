"""Timers: `sla start`, `sla stop`, `sla status`, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from sla_cli.config import parse_settings
from sla_cli.domain.work import WorkPolicy
from sla_cli.errors import SlaError
from sla_cli.ops.timers import Desk, stop_timer
from sla_cli.store.engine import open_ledger
from tests.conftest import Sla
from tests.store.test_races import together

AT = "2026-11-24T{}+03:00"


def at(hhmm: str) -> dict[str, str]:
    return {"SLA_NOW": AT.format(hhmm)}


def signed(sla: Sla, variant: str = "1", tier: str = "basic") -> None:
    sla.ok("contract", "add", "Acme", "--key", "ACME", "--variant", variant, "--tier", tier,
           "--start", "2026-10-01", "--months", "12", env=at("09:00"))  # fmt: skip


def entries(sla: Sla) -> list[dict[str, object]]:
    return [e for e in sla.ok("entries", "-f", "json").json() if e["type"] == "work"]


def test_a_timer_logs_its_time_from_its_real_start(ledger_sla: Sla) -> None:
    signed(ledger_sla)
    ledger_sla.ok("start", "ACME-12", "--note", "checking logs", env=at("10:15"))
    status = ledger_sla.ok("status", "-f", "json", env=at("10:45")).json()
    assert [(t["ticket"], t["elapsed_minutes"], t["by"]) for t in status] == [
        ("ACME-12", 30, "tester")
    ]
    assert status[0]["hours_left_minutes"] == 15 * 60  # nothing used this month yet
    r = ledger_sla.ok("stop", env=at("11:02:30"))
    assert "48m from" in r.stdout  # 47 minutes 30 seconds, rounded up like any entry
    (entry,) = entries(ledger_sla)
    assert (entry["minutes"], entry["ticket"], entry["note"]) == (48, "ACME-12", "checking logs")
    assert ledger_sla.ok("status", "-f", "json", env=at("11:05")).json() == []
    shown = ledger_sla.ok("status", env=at("11:05")).stdout.splitlines()
    assert "no timer running for you" in [line.rstrip() for line in shown]  # on one line
    r = ledger_sla("stop", env=at("11:06"))
    assert r.exit_code == 2 and "no timer running" in r.stderr


def test_starting_another_stops_and_logs_the_first(ledger_sla: Sla) -> None:
    signed(ledger_sla)
    ledger_sla.ok("start", "ACME-1", env=at("10:00"))
    r = ledger_sla.ok("start", "ACME-2", "--kind", "dev", env=at("10:20"))
    assert "timer on ACME-1 stopped: entry" in r.stdout and "started on ACME-2 (dev)" in r.stdout
    assert [(e["ticket"], e["minutes"]) for e in entries(ledger_sla)] == [("ACME-1", 20)]
    (running,) = ledger_sla.ok("status", "-f", "json", env=at("10:30")).json()
    assert (running["ticket"], running["kind"]) == ("ACME-2", "dev")


def test_a_timer_starts_the_work_and_a_discard_takes_it_back(ledger_sla: Sla) -> None:
    signed(ledger_sla)
    ledger_sla.ok("incident", "open", "ACME-5", "--at", "2026-11-24T10:00", env=at("10:00"))
    ledger_sla.ok("start", "ACME-5", env=at("10:20"))
    (incident,) = ledger_sla.ok("incident", "list", "-f", "json", env=at("15:00")).json()
    assert incident["started_at"] == "2026-11-24T10:20:00+03:00"
    assert incident["start_status"] == "met"
    ledger_sla.ok("stop", "--discard", env=at("10:40"))
    assert entries(ledger_sla) == []
    (incident,) = ledger_sla.ok("incident", "list", "-f", "json", env=at("15:00")).json()
    assert (incident["started_at"], incident["start_status"]) == (None, "breached")


def test_a_timer_too_long_or_in_a_closed_month_is_refused_with_a_hint(ledger_sla: Sla) -> None:
    signed(ledger_sla)
    ledger_sla.ok("start", "ACME-1", env=at("10:00"))
    r = ledger_sla("stop", env={"SLA_NOW": "2026-11-25T10:01:00+03:00"})
    assert r.exit_code == 2 and "more than one entry may hold" in r.stderr
    assert "`sla stop --discard`" in r.stderr
    ledger_sla.ok("stop", "--discard", env=at("10:05"))
    # a timer that started in a month closed since (on a ledger the close did not see it on)
    ledger_sla.ok("start", "ACME-1", env={"SLA_NOW": "2026-10-31T18:00:00+03:00"})
    ledger_sla.ok("rollover", "--stop-timers", env={"SLA_NOW": "2026-11-01T01:00:00+03:00"})
    r = ledger_sla("stop", "--discard", "--note", "x")
    assert r.exit_code == 2


OCT_31 = {"SLA_NOW": "2026-10-31T18:00:00+03:00"}
NOV_1 = {"SLA_NOW": "2026-11-01T00:05:00+03:00"}


def test_a_close_never_strands_a_running_timer(ledger_sla: Sla) -> None:
    """A timer still running when cron closes its month: the close is refused naming it, or
    with --stop-timers the timer is logged up to the month's end and runs on from the next."""
    signed(ledger_sla)
    ledger_sla.ok("start", "ACME-1", "--note", "migration", env={**OCT_31, "SLA_USER": "anna"})
    before = ledger_sla.ok("entries", "-f", "json", env=NOV_1).json()
    for dry in ((), ("--dry-run",)):
        r = ledger_sla("rollover", *dry, env=NOV_1)
        assert r.exit_code == 2 and "anna on ACME-1 since 2026-10-31 18:00" in r.stderr
        assert "--stop-timers" in r.stderr and "SLA_USER=NAME sla stop" in r.stderr
    assert ledger_sla.ok("entries", "-f", "json", env=NOV_1).json() == before
    r = ledger_sla.ok("rollover", "--stop-timers", env=NOV_1)
    assert "stopped anna's timer on ACME-1 at the month's end: 6:00 logged" in r.stdout
    assert "running on from 2026-11-01 00:00+03:00" in r.stdout
    (logged,) = entries(ledger_sla)
    assert (logged["on"], logged["minutes"], logged["by"], logged["note"]) == (
        "2026-10-31",
        360,
        "anna",
        "migration",
    )
    anna = {"SLA_USER": "anna", "SLA_NOW": "2026-11-01T00:35:00+03:00"}
    (running,) = ledger_sla.ok("status", "-f", "json", env=anna).json()
    assert (running["ticket"], running["elapsed_minutes"]) == ("ACME-1", 35)
    ledger_sla.ok("stop", env=anna)
    assert [(e["on"], e["minutes"]) for e in entries(ledger_sla)] == [
        ("2026-10-31", 360),
        ("2026-11-01", 35),
    ]


def test_a_timer_forgotten_for_days_stops_the_close_even_with_stop_timers(
    ledger_sla: Sla,
) -> None:
    signed(ledger_sla)
    ledger_sla.ok("start", "ACME-1", env={"SLA_NOW": "2026-10-29T18:00:00+03:00"})
    r = ledger_sla("rollover", "--stop-timers", env=NOV_1)
    assert r.exit_code == 2 and "more than 24 hours" in r.stderr and "stop --discard" in r.stderr
    report = ledger_sla.ok("report", "--month", "2026-10", "-f", "json", env=NOV_1).json()
    assert report["closed"] is False


def test_a_timer_cannot_start_in_a_closed_month(ledger_sla: Sla) -> None:
    signed(ledger_sla)
    ledger_sla.ok("rollover", env=NOV_1)
    r = ledger_sla("start", "ACME-1", env={"SLA_NOW": "2026-10-30T10:00:00+03:00"})
    assert r.exit_code == 2 and "2026-10" in r.stderr and "closed" in r.stderr
    assert ledger_sla.ok("status", "--all", "-f", "json", env=NOV_1).json() == []


def test_everyone_s_timers_show_with_all(ledger_sla: Sla) -> None:
    signed(ledger_sla)
    ledger_sla.ok("start", "ACME-1", env={**at("10:00"), "SLA_USER": "anna"})
    ledger_sla.ok("start", "ACME-2", env={**at("10:05"), "SLA_USER": "boris"})
    mine = ledger_sla.ok("status", "-f", "json", env={**at("10:10"), "SLA_USER": "anna"}).json()
    assert [t["by"] for t in mine] == ["anna"]
    team = ledger_sla.ok("status", "--all", "-f", "json", env=at("10:10")).json()
    assert [(t["by"], t["ticket"]) for t in team] == [("anna", "ACME-1"), ("boris", "ACME-2")]
    assert "2 timers running" in ledger_sla.ok("status", "--all", env=at("10:10")).stdout


def test_a_timer_outlives_its_process_and_is_logged_once(ledger_sla: Sla, tmp_path: Path) -> None:
    signed(ledger_sla)
    env = {**os.environ, **ledger_sla.env, **at("10:00")}
    started = subprocess.Popen([sys.executable, "-m", "sla_cli", "start", "ACME-3"], env=env)
    started.wait(timeout=60)
    started.kill()  # the shell that started it is long gone
    shown = subprocess.run([sys.executable, "-m", "sla_cli", "status", "-f", "json"],
                           env={**env, **at("10:30")}, capture_output=True, text=True)  # fmt: skip
    assert '"ticket": "ACME-3"' in shown.stdout
    ledger = open_ledger(ledger_sla.db_url)
    desk = Desk(WorkPolicy(), parse_settings({}).timezone, "tester",
                datetime.fromisoformat(AT.format("10:30")))  # fmt: skip
    try:
        results = together(ledger, 2, lambda s, _: stop_timer(s, desk, None, False))
    finally:
        ledger.engine.dispose()
    stopped = [r for r in results if not isinstance(r, SlaError)]
    assert len(stopped) == 1  # two stops at once: one logs, the other finds nothing to stop
    assert [(e["ticket"], e["minutes"]) for e in entries(ledger_sla)] == [("ACME-3", 30)]


@pytest.mark.parametrize("kind", ["support", "dev"])
def test_a_timer_entry_is_rounded_like_any_entry(sla: Sla, kind: str) -> None:
    from sla_cli.config.defaults import default_document, write_config

    doc = default_document()
    doc["billing"]["increment_minutes"] = 15
    write_config(sla.config, doc, force=True)
    signed(sla)
    sla.ok("start", "ACME-1", "--kind", kind, env=at("10:00"))
    sla.ok("stop", env=at("10:07"))
    assert [(e["minutes"], e["kind"]) for e in entries(sla)] == [(15, kind)]


def test_a_timer_stopped_at_once_logs_the_increment_and_says_so(ledger_sla: Sla) -> None:
    from sla_cli.config.defaults import default_document, write_config

    doc = default_document()
    doc["billing"]["increment_minutes"] = 15
    write_config(ledger_sla.config, doc, force=True)
    signed(ledger_sla)
    ledger_sla.ok("start", "ACME-13", "--note", "certificate renewal", env=at("10:00:10"))
    r = ledger_sla.ok("stop", env=at("10:00:40"))  # within one wall-clock minute, off :00
    assert "15m from" in r.stdout and "ran under a minute: logged rounded up" in r.stdout
    (entry,) = entries(ledger_sla)
    assert (entry["minutes"], entry["note"]) == (15, "certificate renewal")


def test_a_timer_is_rounded_up_to_the_increment_like_any_entry(ledger_sla: Sla) -> None:
    from sla_cli.config.defaults import default_document, write_config

    doc = default_document()
    doc["billing"]["increment_minutes"] = 15
    write_config(ledger_sla.config, doc, force=True)
    signed(ledger_sla)
    ledger_sla.ok("start", "ACME-1", env=at("10:00:00"))
    ledger_sla.ok("stop", env=at("10:15:59"))  # 15 minutes and 59 seconds: the second quarter
    ledger_sla.ok("start", "ACME-2", env=at("11:00:00"))
    ledger_sla.ok("stop", env=at("11:15:00"))  # exactly a quarter
    assert [e["minutes"] for e in entries(ledger_sla)] == [30, 15]


def test_a_timer_that_started_after_now_says_so(ledger_sla: Sla) -> None:
    signed(ledger_sla)
    ledger_sla.ok("start", "ACME-4", env=at("12:00"))
    for args in (("start", "ACME-5"), ("stop",)):
        r = ledger_sla(*args, env=at("11:00"))
        assert r.exit_code == 2 and "started at 2026-11-24 12:00, after now" in r.stderr
        assert "--from" not in r.stderr
    assert entries(ledger_sla) == []
    ledger_sla.ok("stop", "--discard", env=at("11:00"))


def test_a_timer_past_midnight_is_rounded_once_not_each_day(ledger_sla: Sla) -> None:
    """23:55 to 00:05 with 15-minute increments: 10 minutes of work, one increment billed (on
    the day it began), not one on each day."""
    from sla_cli.config.defaults import default_document, write_config

    doc = default_document()
    doc["billing"]["increment_minutes"] = 15
    write_config(ledger_sla.config, doc, force=True)
    signed(ledger_sla)
    ledger_sla.ok("start", "ACME-1", env=at("23:55"))
    ledger_sla.ok("stop", env={"SLA_NOW": "2026-11-25T00:05+03:00"})
    assert [(e["on"], e["minutes"]) for e in entries(ledger_sla)] == [("2026-11-24", 15)]


def test_a_timer_across_a_month_the_close_catches_up_on_closes_nothing(ledger_sla: Sla) -> None:
    """Started on 31 October at 22:00 and still running when a late cron closes October and
    November: logged up to October's end, it would run all of November, more than an entry
    holds; so nothing is closed, and it says so."""
    signed(ledger_sla)
    ledger_sla.ok("start", "ACME-1", env={"SLA_NOW": "2026-10-31T22:00:00+03:00"})
    dec = {"SLA_NOW": "2026-12-01T01:00:00+03:00"}
    r = ledger_sla("rollover", "--stop-timers", env=dec)
    assert r.exit_code == 2 and "nothing was closed" in r.stderr
    assert entries(ledger_sla) == []
    for month in ("2026-10", "2026-11"):
        shown = ledger_sla.ok("report", "--month", month, "-f", "json", env=dec).json()
        assert shown["closed"] is False


def test_a_timer_past_midnight_logs_each_day_on_its_date(ledger_sla: Sla) -> None:
    """23 h logged on 30 November, then a timer from 23:00 to 01:30: an hour that day, an hour
    and a half the next; neither day past 24 h."""
    signed(ledger_sla)
    ledger_sla.ok(
        "log", "23h", "ACME-1", "--on", "2026-11-30", env={"SLA_NOW": "2026-12-01T12:00:00+03:00"}
    )
    ledger_sla.ok("start", "ACME-2", env={"SLA_NOW": "2026-11-30T23:00:00+03:00"})
    r = ledger_sla.ok("stop", env={"SLA_NOW": "2026-12-01T01:30:00+03:00"})
    assert "past midnight" in r.stdout
    assert [(e["on"], e["minutes"]) for e in entries(ledger_sla)] == [
        ("2026-11-30", 23 * 60),
        ("2026-11-30", 60),
        ("2026-12-01", 90),
    ]
