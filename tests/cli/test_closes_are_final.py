"""A close is final: it never happens before its month is over by the real clock, and what its
SLA clocks were computed with is sealed in it, so a later change of the config rewrites no
closed month (and `sla verify` says the config would now give other clocks)."""

from __future__ import annotations

from typing import Any

from sla_cli.config.defaults import default_document, write_config
from tests.conftest import Sla

NOV = {"SLA_NOW": "2026-11-05T12:00:00+03:00"}


def acme(sla: Sla) -> None:
    sla.ok("contract", "add", "Acme", "--key", "ACME", "--variant", "1", "--tier", "basic",
           "--start", "2026-10-01", "--months", "12", env=NOV)  # fmt: skip


def report(sla: Sla, month: str) -> dict[str, Any]:
    data: dict[str, Any] = sla.ok("report", "--month", month, "-f", "json", env=NOV).json()
    return data


def test_a_pinned_clock_ahead_of_the_real_one_closes_nothing(ledger_sla: Sla) -> None:
    acme(ledger_sla)
    ledger_sla.ok("log", "2h", "ACME-1", "--on", "2026-10-05", env=NOV)
    future = {"SLA_NOW": "2027-06-15T10:00:00+03:00"}
    before = ledger_sla.ok("entries", "-f", "json", env=NOV).json()
    for args in ((), ("--dry-run",), ("--month", "2027-01"), ("--month", "2027-05")):
        r = ledger_sla("rollover", *args, env=future)
        assert r.exit_code == 2, (args, r.stderr)
        assert "has not ended by the real clock" in r.stderr
    assert ledger_sla.ok("entries", "-f", "json", env=NOV).json() == before
    assert report(ledger_sla, "2026-10")["closed"] is False
    # months that are over by the real clock close as before, whatever the pinned clock says
    ledger_sla.ok("rollover", "--month", "2026-10", env=future)
    assert report(ledger_sla, "2026-10")["closed"] is True
    r = ledger_sla("rollover", "--month", "2027-01", env=NOV)
    assert r.exit_code == 2 and "has not ended yet" in r.stderr


def breached_reaction(sla: Sla) -> None:
    """ACME-7 opened on Friday 9 October at 17:00, acknowledged on Monday at 10:30 and resolved
    at 12:00: its 2 h reaction was due on Friday at 19:00, breached by 1:30 h, and its 4 h start
    of work (stopped by the resolution) on Monday at 11:00, breached by 1 h; October is closed."""
    acme(sla)
    sla.ok("incident", "open", "ACME-7", "--at", "2026-10-09T17:00", env=NOV)
    sla.ok("incident", "ack", "ACME-7", "--at", "2026-10-12T10:30", env=NOV)
    sla.ok("incident", "resolve", "ACME-7", "--at", "2026-10-12T12:00", env=NOV)
    sla.ok("rollover", env=NOV)


def test_a_config_change_after_the_close_rewrites_no_closed_month(ledger_sla: Sla) -> None:
    breached_reaction(ledger_sla)
    (st,) = report(ledger_sla, "2026-10")["statements"]
    assert st["breaches"] == 2
    shown = ledger_sla.ok("breaches", "--month", "2026-10", "-f", "json", env=NOV).json()
    assert [(b["ticket"], b["clock"], b["overdue_minutes"]) for b in shown] == [
        ("ACME-7", "reaction", 90),
        ("ACME-7", "start", 60),
    ]
    assert ledger_sla.ok("verify", env=NOV).exit_code == 0
    # the Friday becomes a day off in the config: by it the clocks would start on Monday, met
    doc = default_document()
    doc["schedule"]["extra_holidays"] = ["2026-10-09"]
    write_config(ledger_sla.config, doc, force=True)
    (st,) = report(ledger_sla, "2026-10")["statements"]
    assert st["breaches"] == 2  # as sealed
    assert st["incidents"][0]["reaction_due"] == "2026-10-09T19:00:00+03:00"
    again = ledger_sla.ok("breaches", "--month", "2026-10", "-f", "json", env=NOV).json()
    assert again == shown
    # and so does November's statement, whose twelve months show October as sealed
    (nov,) = report(ledger_sla, "2026-11")["statements"]
    trend = {t["month"]: t["clocks"] for t in nov["compliance"]["trend"]}
    assert [(c["clock"], c["met"], c["breached"]) for c in trend["2026-10"]] == [
        ("reaction", 0, 1),
        ("start", 0, 1),
    ]
    assert [(c["clock"], c["breached"]) for c in nov["compliance"]["year"]] == [
        ("reaction", 1),
        ("start", 1),
    ]
    (listed,) = ledger_sla.ok("incident", "list", "--all", "-f", "json", env=NOV).json()
    assert (listed["reaction_status"], listed["start_status"]) == ("breached", "breached")
    assert listed["reaction_due"] == "2026-10-09T19:00:00+03:00"
    r = ledger_sla("verify", env=NOV)
    assert r.exit_code == 1
    assert "ACME-7 reaction was breached, due 2026-10-09T19:00:00+03:00" in r.stdout
    assert "would be met, due 2026-10-12T11:00:00+03:00" in r.stdout
    found = ledger_sla("verify", "-f", "json", env=NOV).json()
    assert [(d["figure"], d["at_close"]["status"], d["now"]["status"]) for d in
            found["differences"]] == [("clock", "breached", "met")] * 2  # fmt: skip
    # the time zone moved: the same
    doc = default_document()
    doc["company"]["timezone"] = "Asia/Yekaterinburg"
    write_config(ledger_sla.config, doc, force=True)
    (st,) = report(ledger_sla, "2026-10")["statements"]
    assert st["breaches"] == 2
    assert ledger_sla("verify", env=NOV).exit_code == 1


def test_the_sealed_clock_terms_are_part_of_the_months_digest(ledger_sla: Sla) -> None:
    import sqlalchemy as sa

    breached_reaction(ledger_sla)
    engine = sa.create_engine(ledger_sla.db_url)
    try:
        with engine.begin() as conn:
            if engine.dialect.name == "sqlite":
                conn.execute(sa.text("DROP TRIGGER closed_months_no_update"))
            else:
                conn.execute(sa.text("ALTER TABLE closed_months DISABLE TRIGGER USER"))
            conn.execute(
                sa.text("UPDATE closed_months SET clock_terms = replace(clock_terms, "
                        "'\"extra_holidays\": []', '\"extra_holidays\": [\"2026-10-09\"]')")
            )  # fmt: skip
    finally:
        engine.dispose()
    r = ledger_sla("verify", "-f", "json", env=NOV)
    assert r.exit_code == 1
    assert "digest" in {d["figure"] for d in r.json()["differences"]}
