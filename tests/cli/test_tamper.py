"""Every route a trial took to change closed months behind sla's back, each found by `sla verify`
(exit 1, naming the month and what changed) and by the statements of the month, on SQLite and
PostgreSQL. The guards are got past as the trial did: on SQLite dropped around the edit and
recreated, on PostgreSQL as the ``replica`` role, which skips triggers."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import Sla

NOW = {"SLA_NOW": "2026-12-05T12:00:00+03:00"}


@dataclass
class Ledger:
    sla: Sla
    engine: sa.Engine

    @property
    def sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def moment(self, text: str) -> str:
        """A UTC moment ``YYYY-MM-DD HH:MM`` as the database keeps it."""
        return f"'{text}:00.000000'" if self.sqlite else f"'{text}:00+00'"

    def behind(self, *statements: str, tables: tuple[str, ...] = ()) -> None:
        """Run ``statements`` past the guards: on SQLite the triggers of ``tables`` are dropped
        and put back as they were; on PostgreSQL as the replica role."""
        with self.engine.begin() as conn:
            saved = []
            if self.sqlite:
                for table in tables:
                    found = conn.execute(
                        sa.text(
                            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                            "AND tbl_name = :t"
                        ),
                        {"t": table},
                    ).all()
                    saved += [sql for _, sql in found]
                    for name, _ in found:
                        conn.execute(sa.text(f"DROP TRIGGER {name}"))
            else:
                conn.execute(sa.text("SET LOCAL session_replication_role = replica"))
            for statement in statements:
                conn.execute(sa.text(statement))
            for sql in saved:
                conn.execute(sa.text(sql))

    def forget_what_was_seen(self) -> None:
        """Remove what this machine saw committed to an SQLite ledger (``LEDGER.anchor``), as
        whoever forges the ledger, or restores an older one on another machine, has none."""
        if self.sqlite:
            Path(self.sla.db_url.removeprefix("sqlite:///") + ".anchor").unlink()

    def value(self, query: str) -> object:
        with self.engine.connect() as conn:
            return conn.execute(sa.text(query)).scalar()


@pytest.fixture
def ledger(ledger_sla: Sla) -> Iterator[Ledger]:
    """September to November closed: ACME on variant 1 basic (15 h), hours each month, and an
    incident in October acknowledged the same day."""
    sla = ledger_sla
    # the first month paid at signing, as revisions before 0013 held every contract: the tests
    # below take the ledger down to them
    sla.ok("contract", "add", "Acme", "--key", "ACME", "--variant", "1", "--tier", "basic",
           "--start", "2026-09-01", "--months", "12", "--prepaid-months", "1", env=NOW)  # fmt: skip
    for day in ("2026-09-10", "2026-10-05", "2026-11-12"):
        sla.ok("log", "3h", "ACME-1", "--on", day, env=NOW)
    sla.ok("incident", "open", "ACME-2", "--at", "2026-10-06T10:00", env=NOW)
    sla.ok("incident", "ack", "ACME-2", "--at", "2026-10-06T10:30", env=NOW)
    sla.ok("incident", "open", "ACME-3", "--at", "2026-11-16T10:00", env=NOW)
    sla.ok("rollover", env=NOW)
    engine = sa.create_engine(sla.db_url)
    yield Ledger(sla, engine)
    engine.dispose()


def ack_of(ledger: Ledger) -> int:
    found = ledger.value("SELECT id FROM incident_events WHERE kind = 'ack'")
    assert isinstance(found, int)
    return found


def forge_seals(ledger: Ledger, months: list[str]) -> None:
    """Seal ``months`` anew with sla's own code, over the rows as they stand (a forger who
    holds the database and the code)."""
    from sla_cli.domain.month import Month
    from sla_cli.ops.seals import seal_link
    from sla_cli.store.engine import open_ledger

    for_months = ", ".join(f"'{m}'" for m in months)
    ledger.behind(f"DELETE FROM month_seals WHERE month IN ({for_months})", tables=("month_seals",))
    opened = open_ledger(ledger.sla.db_url)
    try:
        with opened.store() as s:
            for m in months:
                seal_link(s, Month.parse(m), "cron")
    finally:
        opened.engine.dispose()


@dataclass(frozen=True)
class Route:
    name: str
    tamper: Callable[[Ledger], None]
    month: str
    says: str


ROUTES = [
    Route(
        "an undo of an ack inserted",
        lambda x: x.behind(
            "INSERT INTO incident_events (incident_id, kind, at, undoes, by, created_at) "
            f"VALUES (1, 'undo', {x.moment('2026-12-04 09:00')}, {ack_of(x)}, 'x', "
            f"{x.moment('2026-12-04 09:00')})",
            tables=("incident_events",),
        ),
        "2026-10",
        "ACME-2's undo (event",
    ),
    Route(
        "an incident dated in a closed month inserted",
        lambda x: x.behind(
            "INSERT INTO incidents (contract_id, client_id, ticket, title, opened_at, "
            f"created_at, created_by) VALUES (1, 1, 'ACME-9', 'late', "
            f"{x.moment('2026-10-20 08:00')}, {x.moment('2026-12-04 09:00')}, 'x')",
            tables=("incidents",),
        ),
        "2026-10",
        "the month's incidents or their events changed after the close",
    ),
    Route(
        "an ack made late",
        lambda x: x.behind(
            f"UPDATE incident_events SET at = {x.moment('2026-10-06 12:00')} WHERE kind = 'ack'",
            tables=("incident_events",),
        ),
        "2026-10",
        "the month's incidents or their events changed after the close",
    ),
    Route(
        "an incident's opening moved",
        lambda x: x.behind(
            f"UPDATE incidents SET opened_at = {x.moment('2026-10-07 08:00')} "
            "WHERE ticket = 'ACME-2'",
            tables=("incidents",),
        ),
        "2026-10",
        "the month's incidents or their events changed after the close",
    ),
    Route(
        "incident events deleted",
        lambda x: x.behind("DELETE FROM incident_events", tables=("incident_events",)),
        "2026-10",
        "the month's incidents or their events changed after the close",
    ),
    Route(
        "the last closed month reopened",
        lambda x: x.behind(
            "DELETE FROM month_seals WHERE month = '2026-11'",
            "DELETE FROM closings WHERE month = '2026-11'",
            "DELETE FROM closed_months WHERE month = '2026-11'",
            tables=("month_seals", "closings", "closed_months"),
        ),
        "2026-11",
        "holds the posts of a close (burn, overage or carry) but is not closed",
    ),
    Route(
        "the last close removed, its seal left",
        lambda x: x.behind(
            "DELETE FROM closings WHERE month = '2026-11'",
            "DELETE FROM closed_months WHERE month = '2026-11'",
            tables=("closings", "closed_months"),
        ),
        "2026-11",
        "was sealed, but is no longer closed",
    ),
    Route(
        "a month in the middle reopened",
        lambda x: x.behind(
            "DELETE FROM month_seals WHERE month = '2026-10'",
            "DELETE FROM closings WHERE month = '2026-10'",
            "DELETE FROM closed_months WHERE month = '2026-10'",
            tables=("month_seals", "closings", "closed_months"),
        ),
        "2026-11",
        "the chain breaks here",
    ),
    Route(
        "a close written behind sla's back",
        lambda x: x.behind(
            "INSERT INTO closed_months (month, closed_at, closed_by) VALUES "
            f"('2026-12', {x.moment('2026-12-04 09:00')}, 'x')"
        ),
        "2026-12",
        "closed, but its close has no seal",
    ),
    Route(
        "a close's figures edited",
        lambda x: x.behind(
            "UPDATE closings SET amount_due_kopecks = 1 WHERE month = '2026-09'",
            tables=("closings",),
        ),
        "2026-09",
        "amount due",
    ),
]


@pytest.mark.parametrize("route", ROUTES, ids=[r.name for r in ROUTES])
def test_each_route_is_found(ledger: Ledger, route: Route) -> None:
    sla = ledger.sla
    sla.ok("verify", env=NOW)
    route.tamper(ledger)
    r = sla("verify", env=NOW)
    assert r.exit_code == 1, r.stdout
    named = [line for line in r.stdout.splitlines() if line.startswith(route.month)]
    assert any(route.says in line for line in named), r.stdout
    assert "missing or disabled" not in r.stdout  # the guards are back as they were
    data = sla("verify", "--format", "json", env=NOW).json()
    assert data["ok"] is False
    assert route.month in {d["month"] for d in data["differences"]}
    month_closed = ledger.value(f"SELECT count(*) FROM closed_months WHERE month = '{route.month}'")
    if month_closed:  # a statement of the tampered month says so, and prints no figures
        for client in ((), ("--client", "ACME")):  # every client's, and the client's own
            report = sla("report", "--month", route.month, *client, env=NOW)
            assert report.exit_code == 1
            assert f"{route.month} no longer matches its close" in report.stderr
            assert report.stdout == ""


def test_the_database_refuses_incidents_and_events_dated_in_a_closed_month(
    ledger: Ledger,
) -> None:
    for statement in (
        "INSERT INTO incidents (contract_id, client_id, ticket, opened_at, created_at, "
        f"created_by) VALUES (1, 1, 'ACME-9', {ledger.moment('2026-11-20 08:00')}, "
        f"{ledger.moment('2026-12-04 09:00')}, 'x')",
        "INSERT INTO incident_events (incident_id, kind, at, by, created_at) VALUES "
        f"(2, 'ack', {ledger.moment('2026-11-30 20:00')}, 'x', "
        f"{ledger.moment('2026-12-04 09:00')})",
        "INSERT INTO incident_events (incident_id, kind, at, undoes, by, created_at) VALUES "
        f"(1, 'undo', {ledger.moment('2026-12-04 09:00')}, {ack_of(ledger)}, 'x', "
        f"{ledger.moment('2026-12-04 09:00')})",
    ):
        refused = pytest.raises(sa.exc.DBAPIError, match="closed month")
        with refused, ledger.engine.begin() as conn:
            conn.execute(sa.text(statement))
    # an event of November's open incident, dated in December, is the ordinary case
    ledger.sla.ok("incident", "ack", "ACME-3", "--at", "2026-12-02T10:00", env=NOW)
    ledger.sla.ok("verify", env=NOW)


def test_sla_refuses_to_undo_an_ack_of_a_closed_month(ledger: Ledger) -> None:
    r = ledger.sla("incident", "undo", "ACME-2", env=NOW)
    assert r.exit_code == 2
    assert "2026-10 is closed" in r.stderr


def head(sla: Sla) -> str:
    return sla.ok("verify", "--head", env=NOW).stdout.strip()


def test_a_forged_chain_is_found_only_by_a_fingerprint_kept_outside(ledger: Ledger) -> None:
    sla = ledger.sla
    kept = head(sla)
    assert kept.startswith("2026-11:")
    ledger.behind(
        f"UPDATE incident_events SET at = {ledger.moment('2026-10-06 12:00')} WHERE kind = 'ack'",
        tables=("incident_events",),
    )
    forge_seals(ledger, ["2026-10", "2026-11"])
    if ledger.sqlite:  # what this machine saw sealed is not what the ledger holds now
        r = sla("verify", env=NOW)
        assert r.exit_code == 1
        assert "no longer holds what was committed to it: the close of 2026-11 as sealed" in (
            r.stdout
        )
        ledger.forget_what_was_seen()
    sla.ok("verify", env=NOW)  # the forger's chain holds: the database alone cannot tell
    r = sla("verify", "--expect", kept, env=NOW)
    assert r.exit_code == 1
    assert f"2026-11: the fingerprint {kept} kept outside the ledger is not in its chain" in (
        r.stdout
    )
    assert "rolled back to an older copy, or its chain forged anew" in r.stdout


def test_a_rollback_to_an_older_copy_is_found_by_a_kept_fingerprint(
    ledger: Ledger, tmp_path: Path
) -> None:
    """The ledger put back as it was before November closed (an older backup, or an older
    dump restored)."""
    sla = ledger.sla
    october = sla.ok("verify", "--format", "json", env=NOW).json()["chain"][1]["fingerprint"]
    kept = tmp_path / "fingerprints.txt"
    kept.write_text(f"# sent with the statements\n{october}\n{head(sla)}\n")
    sla.ok("verify", "--expect-file", str(kept), env=NOW)
    if ledger.sqlite:
        path = Path(sla.db_url.removeprefix("sqlite:///"))
        older = tmp_path / "older.db"
        ledger.engine.dispose()
        sla.ok("backup", str(older), env=NOW)
        ledger.behind(  # what the copy would be had it been taken before November closed
            "DELETE FROM month_seals WHERE month = '2026-11'",
            "DELETE FROM closings WHERE month = '2026-11'",
            "DELETE FROM closed_months WHERE month = '2026-11'",
            "DELETE FROM entries WHERE type = 'burn' AND \"on\" = '2026-11-30'",
            tables=("month_seals", "closings", "closed_months", "entries"),
        )
        ledger.engine.dispose()
        shutil.copy(path, older)
        shutil.copy(older, path)
    else:
        ledger.behind(
            "DELETE FROM month_seals WHERE month = '2026-11'",
            "DELETE FROM closings WHERE month = '2026-11'",
            "DELETE FROM closed_months WHERE month = '2026-11'",
            "DELETE FROM entries WHERE type = 'burn' AND \"on\" = '2026-11-30'",
        )
    if ledger.sqlite:  # on this machine, what it saw committed is missing
        r = sla("entries", env=NOW)
        assert r.exit_code == 0 and "no longer holds what was committed to it" in r.stderr
        assert "the close of 2026-11" in r.stderr
        ledger.forget_what_was_seen()
    sla.ok("verify", env=NOW)  # consistent with itself: an older ledger, whole
    r = sla("verify", "--expect-file", str(kept), env=NOW)
    assert r.exit_code == 1
    assert "2026-11: the fingerprint 2026-11:" in r.stdout and "no close" in r.stdout
    assert f"fingerprint {october} found in the chain" in r.stdout


def test_fingerprints_that_cannot_be_read_are_refused(ledger: Ledger) -> None:
    r = ledger.sla("verify", "--expect", "2026-11:xyz", env=NOW)
    assert r.exit_code == 2
    assert "cannot read the fingerprint '2026-11:xyz'" in r.stderr


def test_a_ledger_closed_before_the_chain_verifies_and_its_months_are_sealed_late(
    ledger: Ledger,
) -> None:
    """The same months closed by a version without the chain (revision 0007): the upgrade
    seals them, oldest first, and from then on the chain finds what it finds on a new ledger.
    (Ledgers from revision 0004 on: tests/store/test_migrations.py.)"""
    from tests.store.test_migrations import migrate

    sla = ledger.sla
    ledger.engine.dispose()
    migrate(sla.db_url, "0007", down=True)
    ledger.forget_what_was_seen()  # a version without the chain kept none
    sla.ok("upgrade", env=NOW)
    r = sla.ok("verify", env=NOW)
    assert "sealed late, by the upgrade that brought the chain" in r.stdout
    assert "2026-09, 2026-10, 2026-11" in r.stdout
    data = sla.ok("verify", "--format", "json", env=NOW).json()
    assert [(x["month"], x["late"]) for x in data["chain"]] == [
        ("2026-09", True), ("2026-10", True), ("2026-11", True),
    ]  # fmt: skip
    ledger.behind(
        f"UPDATE incident_events SET at = {ledger.moment('2026-10-06 12:00')} WHERE kind = 'ack'",
        tables=("incident_events",),
    )
    r = sla("verify", env=NOW)
    assert r.exit_code == 1
    assert "2026-10: the month's incidents or their events changed after the close" in r.stdout


def test_what_sla_records_after_a_close_keeps_the_chain_whole(ledger: Ledger) -> None:
    """Every ordinary thing done after November closed, on an incident it holds and on new
    ones: verify stays clean and the statements print."""
    sla = ledger.sla
    dec = {"SLA_NOW": "2026-12-10T15:00:00+03:00"}
    steps = [
        ("incident", "wait", "ACME-3", "--at", "2026-12-01T10:00"),  # November's, still open
        ("incident", "resume", "ACME-3", "--at", "2026-12-02T10:00"),
        ("incident", "undo", "ACME-3"),  # the resumption, dated in December
        ("incident", "resume", "ACME-3", "--at", "2026-12-02T11:00"),
        ("incident", "ack", "ACME-3", "--at", "2026-12-03T10:00"),
        ("log", "1h", "ACME-3", "--on", "2026-12-03", "--from", "11:00"),
        ("incident", "resolve", "ACME-3", "--at", "2026-12-04T10:00"),
        ("incident", "reopen", "ACME-3", "--at", "2026-12-07T10:00"),
        ("incident", "resolve", "ACME-3", "--at", "2026-12-08T10:00"),
        ("incident", "open", "ACME-4", "--at", "2026-12-08T11:00"),
        ("incident", "cancel", "ACME-4", "--note", "opened by mistake"),
        ("incident", "undo", "ACME-4"),
    ]
    for step in steps:
        sla.ok(*step, env=dec)
    assert "2026-10 is closed" in sla("incident", "undo", "ACME-2", env=dec).stderr
    sla.ok("verify", env=dec)
    for month in ("2026-09", "2026-10", "2026-11"):
        sla.ok("report", "--month", month, env=dec)


@pytest.fixture
def two_clients(ledger_sla: Sla) -> Iterator[Ledger]:
    """November closed for ACME (contract 1) and BETA (contract 2), both on variant 1."""
    sla = ledger_sla
    for name in ("ACME", "BETA"):  # paid at signing: revisions before 0013 can hold it
        sla.ok("contract", "add", name.title(), "--key", name, "--variant", "1", "--tier",
               "basic", "--start", "2026-11-01", "--months", "12", "--prepaid-months", "1",
               env=NOW)  # fmt: skip
        sla.ok("log", "2h", f"{name}-1", "--on", "2026-11-12", "--note", "setup", env=NOW)
    sla.ok("rollover", env=NOW)
    engine = sa.create_engine(sla.db_url)
    yield Ledger(sla, engine)
    engine.dispose()


def edit_betas_entry(x: Ledger) -> None:
    x.behind(
        "UPDATE entries SET note = 'forged' WHERE client_id = 2 AND type = 'work'",
        tables=("entries",),
    )


def test_a_clients_statement_checks_its_own_part_of_the_month(two_clients: Ledger) -> None:
    """Each contract's own seal: an entry of BETA's changed behind sla's back stops BETA's
    statement and the month's, not ACME's, whose own entries are as closed; verify names both
    the month and BETA's contract."""
    sla = two_clients.sla
    assert two_clients.value("SELECT count(entries_digest) FROM closings") == 2
    edit_betas_entry(two_clients)
    beta = sla("report", "--month", "2026-11", "--client", "BETA", env=NOW)
    assert beta.exit_code == 1
    assert "2026-11 BETA (contract 2): its entries or terms changed after the close" in (
        beta.stderr
    )
    assert sla("report", "--month", "2026-11", env=NOW).exit_code == 1
    acme = sla.ok("report", "--month", "2026-11", "--client", "acme", "--format", "json", env=NOW)
    assert [s["client"] for s in acme.json()["statements"]] == ["ACME"]
    r = sla("verify", env=NOW)
    assert r.exit_code == 1
    assert "2026-11: the month's entries or contract terms changed after the close" in r.stdout
    assert "2026-11 BETA (contract 2): its entries or terms changed after the close" in r.stdout


def test_a_contracts_seal_edited_is_found(two_clients: Ledger) -> None:
    """The seal's chain holds each contract's own: one rewritten breaks the month's link, so
    every statement of the month refuses, and verify names the contract too."""
    sla = two_clients.sla
    two_clients.behind(
        f"UPDATE closings SET entries_digest = '{'0' * 64}' WHERE contract_id = 1",
        tables=("closings",),
    )
    r = sla("verify", env=NOW)
    assert r.exit_code == 1
    assert "2026-11 ACME (contract 1): its entries or terms changed after the close" in r.stdout
    assert "2026-11: its seal no longer holds" in r.stdout
    for client in ("ACME", "BETA"):
        report = sla("report", "--month", "2026-11", "--client", client, env=NOW)
        assert report.exit_code == 1 and "its seal no longer holds" in report.stderr


def test_entries_and_their_contracts_seal_rewritten_together_are_found(
    two_clients: Ledger,
) -> None:
    """A forger who edits ACME's entry and writes its contract's seal anew, with sla's own
    code: the chain holds the seal as the close recorded it, so ACME's statement refuses."""
    from sla_cli.domain.month import Month
    from sla_cli.ops.seals import seal
    from sla_cli.store.engine import open_ledger

    two_clients.behind(
        "UPDATE entries SET note = 'on-site visit' WHERE client_id = 1 AND type = 'work'",
        tables=("entries",),
    )
    opened = open_ledger(two_clients.sla.db_url)
    try:
        with opened.store() as s:
            nov = Month(2026, 11)
            _, digests = seal(s, nov, s.active_contracts(nov), s.clock_terms_of(nov))
    finally:
        opened.engine.dispose()
    two_clients.behind(
        f"UPDATE closings SET entries_digest = '{digests[1]}' WHERE contract_id = 1",
        tables=("closings",),
    )
    acme = two_clients.sla("report", "--month", "2026-11", "--client", "ACME", env=NOW)
    assert acme.exit_code == 1 and "its seal no longer holds" in acme.stderr


def test_closes_without_contract_seals_are_checked_by_the_whole_month(two_clients: Ledger) -> None:
    """A ledger closed before revision 0010 (down to 0007 and back: its closes have no
    contracts' seals, and are sealed late) verifies; a client's statement then checks the
    whole month, as before. A downgrade that keeps the chain is refused: it holds them."""
    from tests.store.test_migrations import migrate

    sla = two_clients.sla
    two_clients.engine.dispose()
    with pytest.raises(RuntimeError, match="closes sealed contract by contract"):
        migrate(sla.db_url, "0009", down=True)
    migrate(sla.db_url, "0007", down=True)
    two_clients.forget_what_was_seen()  # a version without the chain kept none
    sla.ok("upgrade", env=NOW)
    assert two_clients.value("SELECT count(entries_digest) FROM closings") == 0
    sla.ok("verify", env=NOW)
    sla.ok("report", "--month", "2026-11", "--client", "ACME", env=NOW)
    edit_betas_entry(two_clients)
    acme = sla("report", "--month", "2026-11", "--client", "ACME", env=NOW)
    assert acme.exit_code == 1
    assert "the month's entries or contract terms changed after the close" in acme.stderr
