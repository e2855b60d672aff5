"""`sla verify` reads every closed month in one pass: what it finds is what each month read on
its own gives, past months not closed, and with values of another type than the ledger's."""

from __future__ import annotations

import sqlalchemy as sa

from sla_cli.domain.month import Month
from sla_cli.ops.seals import live_figures, months_live_figures
from sla_cli.store.engine import open_ledger
from tests.conftest import Sla

NOW = {"SLA_NOW": "2026-12-05T12:00:00+03:00"}
MONTHS = [Month(2026, 9), Month(2026, 10), Month(2026, 11)]


def closed_ledger(sla: Sla) -> None:
    """September to November closed, with hours every month (some noted in Cyrillic, some
    with a start) on a contract and on a package topped up in October."""
    sla.ok("contract", "add", "Acme", "--key", "ACME", "--variant", "1", "--tier", "basic",
           "--start", "2026-09-01", "--months", "12", env=NOW)  # fmt: skip
    for day in ("2026-09-10", "2026-10-05", "2026-11-12"):
        sla.ok("log", "3h", "ACME-1", "--on", day, "--note", 'ночь "срочно"', env=NOW)
        sla.ok("log", "30m", "ACME-2", "--on", day, "--from", "09:15", "--kind", "dev", env=NOW)
    sla.ok("rollover", env=NOW)


def each_on_its_own(sla: Sla, months: list[Month]) -> None:
    opened = open_ledger(sla.db_url)
    try:
        with opened.store(write=False) as s:
            assert months_live_figures(s, months) == {m: live_figures(s, m) for m in months}
    finally:
        opened.engine.dispose()


def test_one_pass_gives_what_each_month_gives(ledger_sla: Sla) -> None:
    closed_ledger(ledger_sla)
    each_on_its_own(ledger_sla, MONTHS)
    each_on_its_own(ledger_sla, [MONTHS[0], MONTHS[2]])  # October between, not read
    each_on_its_own(ledger_sla, [MONTHS[1]])


def test_values_of_another_type_are_summed_as_the_database_sums_them(sla: Sla) -> None:
    """SQLite keeps what an integer column is given when it is no number: the month is
    summed in SQL, as a month read on its own is."""
    closed_ledger(sla)
    engine = sa.create_engine(sla.db_url)
    with engine.begin() as conn:
        names = conn.execute(
            sa.text(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'entries'"
            )
        ).scalars()
        for name in list(names):
            conn.execute(sa.text(f"DROP TRIGGER {name}"))
        conn.execute(sa.text("UPDATE entries SET minutes = 'many' WHERE ticket = 'ACME-2' "
                             "AND \"on\" = '2026-10-05'"))  # fmt: skip
    engine.dispose()
    each_on_its_own(sla, MONTHS)
    found = sla("verify", env=NOW)
    assert found.exit_code == 1
    assert "2026-10" in found.stdout
