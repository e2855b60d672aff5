"""The support engineer's flows, on SQLite and (when configured) PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.conftest import Sla

NOV = {"SLA_NOW": "2026-11-24T12:00:00+03:00"}


def acme(sla: Sla, *extra: str) -> None:
    sla.ok(
        "contract", "add", "ACME Corp", "--key", "ACME", "--variant", "1", "--tier", "basic",
        "--start", "2026-10-01", "--months", "12", *extra, env=NOV,
    )  # fmt: skip


def entries(sla: Sla, *args: str) -> list[dict[str, object]]:
    out: list[dict[str, object]] = sla.ok("entries", "--format", "json", *args, env=NOV).json()
    return out


def test_log_two_hours_shows_120_minutes_for_acme(ledger_sla: Sla) -> None:
    acme(ledger_sla)
    r = ledger_sla.ok("log", "2h", "ACME-12", env=NOV)
    assert "2h on ACME-12 for ACME" in r.stdout
    (e,) = entries(ledger_sla)
    assert e["client"] == "ACME" and e["minutes"] == 120 and e["ticket"] == "ACME-12"
    assert e["type"] == "work" and e["kind"] == "support" and e["by"] == "tester"
    assert e["on"] == "2026-11-24" and e["reverses"] is None
    written = datetime.fromisoformat(str(e["created_at"]))  # the real clock, not SLA_NOW
    assert abs(written - datetime.now(UTC)) < timedelta(minutes=5)
    assert written.utcoffset() == timedelta(hours=3)
    assert set(e) == {
        "id", "client", "ticket", "on", "minutes", "type", "kind", "by", "note", "reverses",
        "created_at",
    }  # fmt: skip


def test_bad_input_exits_2_and_writes_nothing(ledger_sla: Sla) -> None:
    acme(ledger_sla)
    ledger_sla.ok("log", "1h", "ACME-1", env=NOV)
    before = entries(ledger_sla)
    for args, message in [
        (("2x", "ACME-12"), "cannot read the duration"),
        (("0h", "ACME-12"), "more than zero"),
        (("25h", "ACME-12"), "more than 24 hours"),
        (("1h", "NOPE-1"), "known keys: ACME"),
        (("1h", "ACME-1", "--on", "2026-09-30"), "no contract active on 2026-09-30"),
        (("1h", "ACME-1", "--kind", "sales"), "is not one of 'support', 'dev'"),
        (("1h", "ACME-1", "--on", "31/10/2026"), "cannot read the date"),
        (("1h", "ACME"), "KEY-NUMBER"),
    ]:
        r = ledger_sla("log", *args, env=NOV)
        assert r.exit_code == 2, (args, r.stdout, r.stderr)
        assert message in r.stderr, (args, r.stderr)
        assert r.stderr.count("\n") == 1
    assert entries(ledger_sla) == before


def test_entries_are_rounded_up_to_the_billing_increment(ledger_sla: Sla) -> None:
    text = ledger_sla.config.read_text(encoding="utf-8")
    ledger_sla.config.write_text(
        text.replace("increment_minutes = 1\n", "increment_minutes = 15\n"), encoding="utf-8"
    )
    acme(ledger_sla)
    r = ledger_sla.ok("log", "20m", "ACME-3", env=NOV)
    assert "rounded up from 20m" in r.stdout
    assert entries(ledger_sla)[0]["minutes"] == 30


def test_undo_reverses_the_callers_last_entry_only(ledger_sla: Sla) -> None:
    acme(ledger_sla)
    ledger_sla.ok("log", "1h", "ACME-1", env={**NOV, "SLA_USER": "anna"})
    ledger_sla.ok("log", "2h", "ACME-2", env={**NOV, "SLA_USER": "boris"})
    ledger_sla.ok("log", "--undo", env={**NOV, "SLA_USER": "anna"})
    rows = entries(ledger_sla)
    reversal = rows[-1]
    assert reversal["type"] == "reversal" and reversal["minutes"] == -60
    assert reversal["reverses"] == rows[0]["id"] and reversal["by"] == "anna"
    again = ledger_sla("log", "--undo", env={**NOV, "SLA_USER": "anna"})
    assert again.exit_code == 2 and "no entry to undo" in again.stderr


def test_void_reverses_any_entry_once(ledger_sla: Sla) -> None:
    acme(ledger_sla)
    ledger_sla.ok("log", "90m", "ACME-7", env=NOV)
    first_id = str(entries(ledger_sla)[0]["id"])
    ledger_sla.ok("void", first_id, "--note", "wrong ticket", env=NOV)
    twice = ledger_sla("void", first_id, env=NOV)
    assert twice.exit_code == 2 and "already voided" in twice.stderr
    missing = ledger_sla("void", "999", env=NOV)
    assert missing.exit_code == 2 and "no entry 999" in missing.stderr
    rows = entries(ledger_sla)
    assert [r["minutes"] for r in rows] == [90, -90]
    assert rows[1]["note"] == "wrong ticket"


def test_entries_filter_by_month_and_client(ledger_sla: Sla) -> None:
    acme(ledger_sla)
    ledger_sla.ok(
        "contract", "add", "Beta", "--key", "beta", "--variant", "2", "--tier", "standard",
        "--start", "2026-10-01", "--months", "3", env=NOV,
    )  # fmt: skip
    ledger_sla.ok("log", "1h", "ACME-1", "--on", "2026-10-15", env=NOV)
    ledger_sla.ok("log", "2h", "ACME-2", env=NOV)
    ledger_sla.ok("log", "3h", "BETA-1", env=NOV)
    assert [e["minutes"] for e in entries(ledger_sla, "--month", "2026-10")] == [60]
    assert [e["minutes"] for e in entries(ledger_sla, "--client", "BETA")] == [180]
    assert [
        e["minutes"] for e in entries(ledger_sla, "--month", "2026-11", "--client", "acme")
    ] == [120]
    csv = ledger_sla.ok("entries", "--format", "csv", env=NOV).stdout.splitlines()
    assert csv[0] == "id,client,ticket,on,minutes,type,kind,by,note,reverses,created_at"
    assert len(csv) == 4


def test_log_with_client_option_for_other_ticket_formats(ledger_sla: Sla) -> None:
    acme(ledger_sla)
    ledger_sla.ok("log", "45мин", "#4711", "--client", "ACME", "--kind", "dev", env=NOV)
    (e,) = entries(ledger_sla)
    assert (e["ticket"], e["minutes"], e["kind"]) == ("#4711", 45, "dev")


def test_contract_rules_come_from_the_config(ledger_sla: Sla) -> None:
    short = ledger_sla(
        "contract", "add", "X", "--key", "X", "--variant", "1", "--tier", "basic",
        "--start", "2026-10-01", "--months", "2", env=NOV,
    )  # fmt: skip
    assert short.exit_code == 2 and "minimum term of 3 months" in short.stderr
    greedy = ledger_sla(
        "contract", "add", "X", "--key", "X", "--variant", "1", "--tier", "basic",
        "--start", "2026-10-01", "--hour-discount", "20", env=NOV,
    )  # fmt: skip
    assert greedy.exit_code == 2 and "at most 15 %" in greedy.stderr
    acme(ledger_sla, "--prepaid-months", "12", "--hour-discount", "15")
    overlap = ledger_sla(
        "contract", "add", "ACME Corp", "--key", "ACME", "--variant", "2", "--tier", "standard",
        "--start", "2027-01-01", env=NOV,
    )  # fmt: skip
    assert overlap.exit_code == 2 and "may not overlap" in overlap.stderr
    renamed = ledger_sla(
        "contract", "add", "Other Ltd", "--key", "ACME", "--variant", "2", "--tier", "standard",
        "--start", "2027-10-01", env=NOV,
    )  # fmt: skip
    assert renamed.exit_code == 2 and "belongs to «ACME Corp»" in renamed.stderr
    mid_month = ledger_sla(
        "contract", "add", "Mid", "--key", "MID", "--variant", "1", "--tier", "basic",
        "--start", "2026-11-15", env=NOV,
    )  # fmt: skip
    assert mid_month.exit_code == 2 and "--start 2026-11-01?" in mid_month.stderr
    (c,) = ledger_sla.ok("contract", "list", "--format", "json", env=NOV).json()
    assert c["client"] == "ACME" and c["prepay_discount_percent"] == 5
    assert c["hour_discount_percent"] == 15 and c["end"] == "2027-09-30"  # the last day covered


def test_a_contract_keeps_its_terms_when_the_config_changes(ledger_sla: Sla) -> None:
    acme(ledger_sla)
    text = ledger_sla.config.read_text(encoding="utf-8")
    ledger_sla.config.write_text(text.replace('"42000.00"', '"99000.00"'), encoding="utf-8")
    (c,) = ledger_sla.ok("contract", "list", "--format", "json", env=NOV).json()
    assert c["price"] == "42000.00"


def test_package_contract_buys_a_package_and_warns_on_overdraft(ledger_sla: Sla) -> None:
    ledger_sla.ok(
        "contract", "add", "Gamma", "--key", "GAMMA", "--variant", "3", "--tier", "minimal",
        "--start", "2026-11-01", env=NOV,
    )  # fmt: skip
    r = ledger_sla.ok("log", "9h", "GAMMA-1", env=NOV)
    assert r.stdout.rstrip().endswith("; balance 1:00 h") and r.stderr == ""
    over = ledger_sla.ok("log", "2h", "GAMMA-1", env=NOV)
    assert "balance -1:00 h" in over.stdout
    assert "overdrawn by 1h" in over.stderr
    top = ledger_sla.ok("contract", "topup", "GAMMA", "--tier", "basic", env=NOV)
    assert "bought 15:00 h" in top.stdout
    assert top.stdout.rstrip().endswith("; balance 14:00 h")  # read as after `log`
    (c,) = ledger_sla.ok("contract", "list", "--format", "json", env=NOV).json()
    assert c["balance_minutes"] == 14 * 60
    types = [e["type"] for e in entries(ledger_sla)]
    assert types == ["topup", "work", "work", "topup"]


def test_overdraft_can_be_refused_by_config(ledger_sla: Sla) -> None:
    text = ledger_sla.config.read_text(encoding="utf-8")
    ledger_sla.config.write_text(
        text.replace("refuse_overdraft = false", "refuse_overdraft = true"), encoding="utf-8"
    )
    ledger_sla.ok(
        "contract", "add", "Gamma", "--key", "GAMMA", "--variant", "3", "--tier", "minimal",
        "--start", "2026-11-01", env=NOV,
    )  # fmt: skip
    r = ledger_sla("log", "11h", "GAMMA-1", env=NOV)
    assert r.exit_code == 2 and "refuse_overdraft" in r.stderr
    assert [e["type"] for e in entries(ledger_sla)] == ["topup"]


def test_tickets_are_matched_whatever_their_case(ledger_sla: Sla) -> None:
    acme(ledger_sla)
    ledger_sla.ok("incident", "open", "ACME-13", "--at", "2026-11-24 10:00", env=NOV)
    ledger_sla.ok("log", "15m", "acme-13", env=NOV)
    (e,) = entries(ledger_sla)
    assert e["ticket"] == "ACME-13"
    (i,) = ledger_sla.ok("incident", "list", "-f", "json", env=NOV).json()
    assert i["started_at"] == "2026-11-24T12:00:00+03:00"
    ledger_sla.ok("incident", "ack", "acme-13", "--at", "2026-11-24 10:30", env=NOV)


def test_a_ticket_of_another_client_is_not_booked_by_client_option(ledger_sla: Sla) -> None:
    acme(ledger_sla)
    ledger_sla.ok(
        "contract", "add", "Beta", "--key", "BETA", "--variant", "2", "--tier", "standard",
        "--start", "2026-11-01", env=NOV,
    )  # fmt: skip
    r = ledger_sla("log", "1h", "ACME-1", "--client", "BETA", env=NOV)
    assert r.exit_code == 2 and "names client ACME, not BETA" in r.stderr
    assert entries(ledger_sla) == []


def test_future_dates_and_absurd_terms_are_refused(ledger_sla: Sla) -> None:
    acme(ledger_sla)
    future = ledger_sla("log", "1h", "ACME-1", "--on", "2026-11-25", env=NOV)
    assert future.exit_code == 2 and "in the future" in future.stderr
    empty = ledger_sla("log", "1h", "ACME-", env=NOV)
    assert empty.exit_code == 2 and "KEY-NUMBER" in empty.stderr
    long = ledger_sla(
        "contract", "add", "Big", "--key", "BIG", "--variant", "1", "--tier", "basic",
        "--start", "2026-11-01", "--months", "100000", env=NOV,
    )  # fmt: skip
    assert long.exit_code == 2 and "too long" in long.stderr
    assert entries(ledger_sla) == []


def test_closed_months_take_no_new_contracts_or_incidents(ledger_sla: Sla) -> None:
    acme(ledger_sla)
    ledger_sla.ok("rollover", env=NOV)
    retro = ledger_sla(
        "contract", "add", "Retro", "--key", "RETRO", "--variant", "1", "--tier", "basic",
        "--start", "2026-08-01", env=NOV,
    )  # fmt: skip
    assert retro.exit_code == 2 and "months up to 2026-10 are closed" in retro.stderr
    late = ledger_sla("incident", "open", "ACME-99", "--at", "2026-10-10 10:00", env=NOV)
    assert late.exit_code == 2 and "2026-10 is closed" in late.stderr


def test_a_mistyped_ledger_path_is_an_error_not_a_new_ledger(sla: Sla, tmp_path: Path) -> None:
    for typo in (tmp_path / "ledgr.db", tmp_path / "typo" / "ledger.db"):
        r = sla("log", "1h", "ACME-1", env={"SLA_DATABASE_URL": f"sqlite:///{typo}"})
        assert r.exit_code == 2 and f"no ledger at {typo}" in r.stderr
        assert not typo.exists()
    url = f"sqlite:///{tmp_path / 'typo' / 'ledger.db'}"
    sla.ok("init", env={"SLA_DATABASE_URL": url})  # init creates it on purpose
    assert (tmp_path / "typo" / "ledger.db").exists()


def test_dates_as_russians_write_them(ledger_sla: Sla) -> None:
    acme(ledger_sla)
    ledger_sla.ok("log", "1h", "ACME-1", "--on", "05.11.2026", env=NOV)
    assert entries(ledger_sla)[0]["on"] == "2026-11-05"


def test_text_longer_than_its_column_is_refused(ledger_sla: Sla) -> None:
    acme(ledger_sla)
    r = ledger_sla("log", "1h", "ACME-1", "--note", "x" * 1200, env=NOV)
    assert r.exit_code == 2 and "--note is 1200 characters long; at most 1000" in r.stderr
    assert entries(ledger_sla) == []


def test_a_package_contract_can_end_and_the_client_move_to_another_variant(
    ledger_sla: Sla,
) -> None:
    ledger_sla.ok(
        "contract", "add", "Pk", "--key", "PK", "--variant", "3", "--tier", "minimal",
        "--start", "2026-09-01", env=NOV,
    )  # fmt: skip
    ledger_sla.ok("log", "2h", "PK-1", "--on", "2026-11-20", env=NOV)
    early = ledger_sla("contract", "end", "PK", "--on", "2026-11-10", env=NOV)
    assert early.exit_code == 2 and "1 entries after 2026-11-10" in early.stderr
    ledger_sla.ok("contract", "end", "PK", "--on", "2026-11-30", env=NOV)
    ledger_sla.ok(
        "contract", "add", "Pk", "--key", "PK", "--variant", "1", "--tier", "basic",
        "--start", "2026-12-01", env=NOV,
    )  # fmt: skip
    old, new = ledger_sla.ok("contract", "list", "-f", "json", env=NOV).json()
    assert (old["end"], new["start"]) == ("2026-11-30", "2026-12-01")


def test_a_monthly_contract_keeps_its_minimum_term(ledger_sla: Sla) -> None:
    acme(ledger_sla)  # from 2026-10-01 for 12 months
    short = ledger_sla("contract", "end", "ACME", "--on", "2026-11-30", env=NOV)
    assert short.exit_code == 2 and "minimum term of 3 months" in short.stderr
    mid = ledger_sla("contract", "end", "ACME", "--on", "2026-12-15", env=NOV)
    assert mid.exit_code == 2 and "last day" in mid.stderr
    ledger_sla.ok("contract", "end", "ACME", "--on", "2026-12-31", env=NOV)
    (c,) = ledger_sla.ok("contract", "list", "-f", "json", env=NOV).json()
    assert (c["end"], c["months"]) == ("2026-12-31", 3)


def test_empty_listings_still_print_their_csv_header(ledger_sla: Sla) -> None:
    for args, first in [
        (("contract", "list"), "id,client,client_name,variant,tier,tier_name,start,end"),
        (("entries",), "id,client,ticket,on,minutes,type,kind,by,note,reverses,created_at"),
        (("incident", "list"), "ticket,client,variant,opened_at"),
        (("breaches",), "ticket,client,clock,due,at,overdue_minutes,status"),
    ]:
        r = ledger_sla.ok(*args, "--format", "csv", env=NOV)
        assert r.stdout.splitlines() == [r.stdout.splitlines()[0]], args
        assert r.stdout.startswith(first), (args, r.stdout)


def test_kind_is_a_choice_shown_in_help(sla: Sla) -> None:
    r = sla.ok("log", "--help")
    assert "support" in r.stdout and "dev" in r.stdout
