"""Views that do not mislead, and names that cannot look alike: cancelled clocks read cancelled,
a contract's end stops its clocks, a top-up is not dated ahead, keys are ASCII, names and
authors NFKC with no invisible characters, and no CSV or Markdown carries a terminal escape."""

from __future__ import annotations

import sqlalchemy as sa

from tests.conftest import Sla

NOV = {"SLA_NOW": "2026-11-24T12:00:00+03:00"}


def acme(sla: Sla) -> None:
    sla.ok("contract", "add", "Acme", "--key", "ACME", "--variant", "1", "--tier", "basic",
           "--start", "2026-10-01", "--months", "12", env=NOV)  # fmt: skip


def sign(sla: Sla, name: str, key: str, *more: str) -> int:
    """Another client from November: the exit code."""
    return sla("contract", "add", name, "--key", key, "--variant", "1", "--tier", "basic",
               "--start", "2026-11-01", "--months", "3", *more, env=NOV).exit_code  # fmt: skip


def test_a_cancelled_incident_reads_cancelled(ledger_sla: Sla) -> None:
    acme(ledger_sla)
    ledger_sla.ok("incident", "open", "ACME-1", "--at", "2026-11-24T10:00", env=NOV)
    ledger_sla.ok("incident", "cancel", "ACME-1", "--note", "opened twice", env=NOV)
    (i,) = ledger_sla.ok("incident", "list", "--all", "-f", "json", env=NOV).json()
    assert (i["reaction_status"], i["start_status"]) == ("cancelled", "cancelled")
    table = ledger_sla.ok("incident", "list", "--all", env=NOV).stdout
    assert "cancelled" in table and "left" not in table and "running" not in table
    assert ledger_sla.ok("breaches", "-f", "json", env=NOV).json() == []


def test_an_incident_past_an_end_moved_earlier_leaves_breaches(ledger_sla: Sla) -> None:
    """ACME-4 opened on 30 November at 18:30 and was never acknowledged: breached by
    2 December. The contract's end then moves to 30 November: its clocks stop at the end, 30
    business minutes in, and it leaves `breaches` (logging on it is refused likewise)."""
    ledger_sla.ok("contract", "add", "Acme", "--key", "ACME", "--variant", "1", "--tier",
                  "basic", "--start", "2026-09-01", "--months", "12", env=NOV)  # fmt: skip
    evening = {"SLA_NOW": "2026-11-30T18:40:00+03:00"}
    ledger_sla.ok("incident", "open", "ACME-4", "--at", "2026-11-30T18:30", env=evening)
    dec = {"SLA_NOW": "2026-12-02T12:00:00+03:00"}
    breached = ledger_sla.ok("breaches", "-f", "json", env=dec).json()
    assert [(b["ticket"], b["clock"]) for b in breached] == [
        ("ACME-4", "reaction"),
        ("ACME-4", "start"),
    ]
    ledger_sla.ok("contract", "end", "ACME", "--on", "2026-11-30", env=dec)
    assert ledger_sla.ok("breaches", "-f", "json", env=dec).json() == []
    assert ledger_sla.ok("breaches", "--month", "2026-11", "-f", "json", env=dec).json() == []
    (i,) = ledger_sla.ok("incident", "list", "--all", "-f", "json", env=dec).json()
    assert (i["reaction_status"], i["start_status"]) == ("met", "met")
    assert ledger_sla("log", "1h", "ACME-4", env=dec).exit_code == 2


def test_a_renewal_carries_the_sla_and_its_clocks_on(ledger_sla: Sla) -> None:
    """ACME's contract ends with November and a new one starts on 1 December: ACME-4, opened
    on 30 November at 18:30 and acknowledged on 1 December at 11:00, was due at 10:30 (30
    business minutes on the 30th, 90 on the 1st): breached by 30 minutes, not stopped (and met)
    at midnight. Cancelled, the renewal carries nothing, and the clocks stop at the end again."""
    for start, months in (("2026-09-01", "3"), ("2026-12-01", "12")):
        ledger_sla.ok("contract", "add", "Acme", "--key", "ACME", "--variant", "1", "--tier",
                      "basic", "--start", start, "--months", months, env=NOV)  # fmt: skip
    evening = {"SLA_NOW": "2026-11-30T18:40:00+03:00"}
    ledger_sla.ok("incident", "open", "ACME-4", "--at", "2026-11-30T18:30", env=evening)
    dec = {"SLA_NOW": "2026-12-02T12:00:00+03:00"}
    ledger_sla.ok("incident", "ack", "ACME-4", "--at", "2026-12-01T11:00", env=dec)
    (i,) = ledger_sla.ok("incident", "list", "--all", "-f", "json", env=dec).json()
    assert (i["reaction_due"], i["reaction_status"]) == ("2026-12-01T10:30:00+03:00", "breached")
    breached = ledger_sla.ok("breaches", "--month", "2026-11", "-f", "json", env=dec).json()
    assert [(b["clock"], b["at"], b["overdue_minutes"]) for b in breached] == [
        ("reaction", "2026-12-01T11:00:00+03:00", 30),
        ("start", None, 390 + 180),  # due on the 1st at 12:30, not started by the 2nd at 12:00
    ]
    ledger_sla.ok("contract", "cancel", "ACME", "--note", "signed by mistake", env=dec)
    (i,) = ledger_sla.ok("incident", "list", "--all", "-f", "json", env=dec).json()
    assert i["reaction_status"] == "met"  # 30 minutes of 2 h when the only contract ended


def test_a_renewal_signed_after_its_month_closed_changes_no_closed_clock(
    ledger_sla: Sla,
) -> None:
    """November closed with ACME-4's clocks stopped by the contract's end (met); a renewal
    from 1 December signed after that close carries nothing back: November's statement stays."""
    ledger_sla.ok("contract", "add", "Acme", "--key", "ACME", "--variant", "1", "--tier",
                  "basic", "--start", "2026-09-01", "--months", "3", env=NOV)  # fmt: skip
    ledger_sla.ok("incident", "open", "ACME-4", "--at", "2026-11-30T18:30",
                  env={"SLA_NOW": "2026-11-30T18:40:00+03:00"})  # fmt: skip
    dec = {"SLA_NOW": "2026-12-02T12:00:00+03:00"}
    ledger_sla.ok("rollover", env=dec)
    before = ledger_sla.ok("report", "--month", "2026-11", "-f", "json", env=dec).json()
    ledger_sla.ok("contract", "add", "Acme", "--key", "ACME", "--variant", "1", "--tier",
                  "basic", "--start", "2026-12-01", "--months", "12", env=dec)  # fmt: skip
    after = ledger_sla.ok("report", "--month", "2026-11", "-f", "json", env=dec).json()
    assert after["statements"] == before["statements"]
    assert ledger_sla.ok("breaches", "--month", "2026-11", "-f", "json", env=dec).json() == []


def test_a_top_up_is_dated_today_or_earlier(ledger_sla: Sla) -> None:
    ledger_sla.ok("contract", "add", "Pkg", "--key", "PKG", "--variant", "3", "--tier",
                  "minimal", "--start", "2026-10-01", env=NOV)  # fmt: skip
    r = ledger_sla("contract", "topup", "PKG", "--on", "2026-11-25", env=NOV)
    assert r.exit_code == 2 and "in the future" in r.stderr
    ledger_sla.ok("contract", "topup", "PKG", "--on", "2026-11-24", env=NOV)


def test_keys_are_ascii_and_names_cannot_look_alike(ledger_sla: Sla) -> None:
    acme(ledger_sla)
    looks_alike = (
        ("ＡＣＭＥ", "U+FF21"),
        ("АСМЕ", "U+0410"),
        ("AC-ME", "U+002D"),
        ("EPS\u212a", "U+212A"),
        ("EPS\u0131", "U+0131"),
    )  # Kelvin sign, dotless i
    for key, code in looks_alike:
        r = sla_error(ledger_sla, "Other", key)
        assert code in r, (key, r)
    for name in ("ACME", " acme ", "Ａｃｍｅ"):
        assert "already the name of client ACME" in sla_error(ledger_sla, name, "ACME2"), name
    assert sign(ledger_sla, "Acme", "ACME2", "--force") == 0
    assert "U+200B" in sla_error(ledger_sla, "Ac\u200bme", "ACME3")
    clients = {c["client"] for c in ledger_sla.ok("contract", "list", "-f", "json").json()}
    assert clients == {"ACME", "ACME2"}


def sla_error(sla: Sla, name: str, key: str) -> str:
    r = sla("contract", "add", name, "--key", key, "--variant", "1", "--tier", "basic",
            "--start", "2026-11-01", "--months", "3", env=NOV)  # fmt: skip
    assert r.exit_code == 2, r.stdout
    return r.stderr


def test_an_invisible_character_in_an_author_is_refused(ledger_sla: Sla) -> None:
    acme(ledger_sla)
    r = ledger_sla("log", "1h", "ACME-1", env={**NOV, "SLA_USER": "an\u200bna"})
    assert r.exit_code == 2 and "U+200B" in r.stderr
    r = ledger_sla("log", "1h", "ACME-1", "--by", "anna\ufeff", env=NOV)
    assert r.exit_code == 2 and "U+FEFF" in r.stderr
    ledger_sla.ok("log", "1h", "ACME-1", env={**NOV, "SLA_USER": "ａｎｎａ"})  # full width
    ledger_sla.ok("log", "1h", "ACME-1", env={**NOV, "SLA_USER": "anna"})
    sheet = ledger_sla.ok("timesheet", "--month", "2026-11", "-f", "json", env=NOV).json()
    assert [(e["by"], e["minutes"]) for e in sheet["engineers"]] == [("anna", 120)]


def test_csv_and_markdown_carry_no_terminal_escape_whatever_the_ledger_holds(sla: Sla) -> None:
    acme(sla)
    sla.ok("log", "1h", "ACME-1", "--note", "fine", env=NOV)
    engine = sa.create_engine(sla.db_url)
    try:
        with engine.begin() as conn:  # written by another tool, past every rule
            conn.execute(sa.text("DROP TRIGGER entries_no_update"))
            conn.execute(sa.text("DROP TRIGGER clients_no_update"))
            conn.execute(sa.text("UPDATE entries SET note = 'a\x1b[2Jb\rc'"))
            conn.execute(sa.text("UPDATE clients SET name = 'Ac\x1b]0;x\x07me'"))
    finally:
        engine.dispose()
    outputs = [
        sla.ok("entries", "-f", "csv", env=NOV).stdout,
        sla.ok("export", "-f", "csv", env=NOV).stdout,
        sla.ok("report", "--month", "2026-11", "-f", "csv", env=NOV).stdout,
        sla.ok("report", "--month", "2026-11", "-f", "md", env=NOV).stdout,
        sla.ok("timesheet", "--month", "2026-11", "-f", "md", env=NOV).stdout,
        sla.ok("report", "--month", "2026-11", "-f", "html", env=NOV).stdout,
    ]
    for out in outputs:
        assert "\x1b" not in out and "\x07" not in out and "\r" not in out, out
    assert "a\ufffd[2Jb\ufffdc" in outputs[0]


def test_a_resolution_is_neither_a_reaction_nor_a_start_of_work(ledger_sla: Sla) -> None:
    """ACME-5 was only resolved: the statement, like `incident list`, says nobody reacted and
    no work started (null), and its clocks say how they ended."""
    acme(ledger_sla)
    ledger_sla.ok("incident", "open", "ACME-5", "--at", "2026-11-23T10:00", env=NOV)
    ledger_sla.ok("incident", "resolve", "ACME-5", "--at", "2026-11-23T11:00", env=NOV)
    ledger_sla.ok("incident", "open", "ACME-6", "--at", "2026-11-23T10:00", env=NOV)
    ledger_sla.ok("incident", "ack", "ACME-6", "--at", "2026-11-23T10:20", env=NOV)
    ledger_sla.ok("log", "1h", "ACME-6", "--on", "2026-11-23", "--from", "10:30", env=NOV)
    (st,) = ledger_sla.ok("report", "--month", "2026-11", "-f", "json", env=NOV).json()[
        "statements"
    ]
    shown = {i["ticket"]: i for i in st["incidents"]}
    listed = {
        i["ticket"]: i for i in ledger_sla.ok("incident", "list", "--all", "-f", "json").json()
    }
    five, six = shown["ACME-5"], shown["ACME-6"]
    assert (five["reacted_at"], five["started_at"]) == (None, None)
    assert (five["reaction_status"], five["start_status"]) == ("met", "met")
    assert (six["reacted_at"], six["started_at"]) == (
        "2026-11-23T10:20:00+03:00",
        "2026-11-23T10:30:00+03:00",
    )
    for ticket in ("ACME-5", "ACME-6"):
        for key in ("reacted_at", "started_at"):
            assert shown[ticket][key] == listed[ticket][key], (ticket, key)
    md = ledger_sla.ok("report", "--month", "2026-11", "-f", "md", "--lang", "en", env=NOV).stdout
    (row,) = [line for line in md.splitlines() if line.startswith("| ACME-5")]
    assert row.count("11:00") == 1  # the resolution only, not as a reaction or a start


def test_a_client_s_statement_is_in_the_client_s_zone(ledger_sla: Sla) -> None:
    ledger_sla.ok("contract", "add", "Ural", "--key", "URAL", "--variant", "1", "--tier",
                  "basic", "--start", "2026-10-01", "--months", "12", "--tz",
                  "Asia/Yekaterinburg", env=NOV)  # fmt: skip
    opened = ledger_sla.ok("incident", "open", "URAL-1", "--at", "2026-11-23T10:00", env=NOV)
    acked = ledger_sla.ok("incident", "ack", "URAL-1", "--at", "2026-11-23T10:30", env=NOV)
    assert "at 2026-11-23 12:00+05:00: reaction due 2026-11-23 14:00+05:00" in opened.stdout
    assert "acknowledged at 2026-11-23 12:30+05:00" in acked.stdout  # as `incident list`
    report = ledger_sla.ok("report", "--month", "2026-11", "-f", "json", env=NOV).json()
    (i,) = report["statements"][0]["incidents"]
    assert (i["opened_at"], i["reacted_at"]) == (
        "2026-11-23T12:00:00+05:00",
        "2026-11-23T12:30:00+05:00",
    )
    md = ledger_sla.ok("report", "--month", "2026-11", "-f", "md", "--lang", "en", env=NOV).text
    assert "client's time zone, Asia/Yekaterinburg" in md and "Europe/Moscow" in md
    assert "12:00" in md.split("### Incidents", 1)[1] and "10:00 +03" not in md
    html = ledger_sla.ok("report", "--month", "2026-11", "-f", "html", env=NOV).text
    assert "+05:00" in html and "часовом поясе клиента, Asia/Yekaterinburg" in html
    table = ledger_sla.ok("report", "--month", "2026-11", env=NOV).text
    assert "12:00+05:00" in table.replace(" ", "") or "12:00 +05:00" in table


def test_a_package_term_is_bounded_like_any_other(ledger_sla: Sla) -> None:
    for months in ("100000", "9223372036854775807", "601", "0"):
        r = ledger_sla("contract", "add", "Pkg", "--key", "PKG", "--variant", "3", "--tier",
                       "minimal", "--start", "2026-11-01", "--months", months, env=NOV)  # fmt: skip
        assert r.exit_code == 2 and "unexpected" not in r.stderr, (months, r.stderr)


def test_a_config_s_text_holds_no_control_character(sla: Sla) -> None:
    text = sla.config.read_text(encoding="utf-8")
    bad = text.replace('name = "КИТ Консалтинг"', 'name = "КИТ\\u001b[31mRED\\u0007"', 1)
    assert bad != text
    sla.config.write_text(bad, encoding="utf-8")
    r = sla("tariffs")
    assert r.exit_code == 2 and "company.name" in r.stderr and "U+001B" in r.stderr
    assert "\x1b" not in r.stderr


def test_a_combining_mark_on_a_plain_letter_is_refused(ledger_sla: Sla) -> None:
    acme(ledger_sla)
    r = ledger_sla("incident", "open", "ACME-5\u0300", env=NOV)
    assert r.exit_code == 2 and "U+0300" in r.stderr
    ledger_sla.ok("contract", "add", "नमस्ते", "--key", "HI", "--variant", "1", "--tier", "basic",
                  "--start", "2026-11-01", "--months", "3", env=NOV)  # fmt: skip


def test_small_input_rules(ledger_sla: Sla) -> None:
    acme(ledger_sla)
    r = ledger_sla("log", "1h30m", "ACME-1", "--on", "2026-11-20", "--from", "23:00", env=NOV)
    assert r.exit_code == 2 and "after midnight" in r.stderr
    for discount in ("1e1", "ten", "-5"):
        r = ledger_sla("contract", "add", "B", "--key", "B", "--variant", "1", "--tier", "basic",
                       "--start", "2026-11-01", "--hour-discount", discount, env=NOV)  # fmt: skip
        assert r.exit_code == 2 and "percentage" in r.stderr, discount
    r = ledger_sla("contract", "add", "P", "--key", "P", "--variant", "3", "--tier", "minimal",
                   "--start", "2026-11-01", "--prepaid-months", "5", env=NOV)  # fmt: skip
    assert r.exit_code == 2 and "paid when it is bought" in r.stderr
    ledger_sla.ok("status", env={"SLA_NOW": "18:30"})  # a time alone is today, as README says
