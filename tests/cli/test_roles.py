"""Who may do what on a team's PostgreSQL ledger: each role runs the commands (the allowed ones
work, the others exit 77 with nothing written), the same attempts in raw SQL are refused, an
author is the database role, and verify finds rows and GRANTs the roles do not account for.

Real roles on the real server: each test makes its ledger's login roles (named after its
schema, unique to the run) and drops them. Its ledger is a copy of one migrated and seeded once
per module (and xdist worker), with group roles of its own (``LedgerTemplate``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
import sqlalchemy as sa

from sla_cli.config.defaults import default_document, write_config
from sla_cli.store.pg import conninfo
from tests.conftest import (
    LedgerTemplate,
    Result,
    Sla,
    as_login,
    ledger_template,
    pg_schema,
    team_logins,
)

MAILDIR = Path(__file__).parents[1] / "intake" / "maildir"  # a message from an unknown sender
NOW = {"SLA_NOW": "2026-11-10T12:00:00+03:00"}
LABELS = ("engineer", "manager", "auditor", "owner")
EVERYONE = frozenset(LABELS)
WRITERS = frozenset({"engineer", "manager", "owner"})
MANAGERS = frozenset({"manager", "owner"})
OWNER = frozenset({"owner"})


@dataclass
class Team:
    """A PostgreSQL ledger, its owner's runner (the superuser that created it, SLA_USER=tester)
    and a runner for a login role of each label."""

    url: str
    admin: Sla
    people: dict[str, Sla]
    logins: dict[str, str]
    engine: sa.Engine  # the owner's, a new connection each time (no pool)
    october: bool = False  # closed, for its documents (``closed_october``)

    def sql(self, *statements: str) -> list[Any]:
        with self.engine.begin() as conn:
            done = [conn.execute(sa.text(s)) for s in statements]
            return [r.fetchall() if r.returns_rows else [] for r in done]

    def value(self, statement: str) -> Any:
        return self.sql(statement)[0][0][0]

    def snapshot(self) -> dict[str, int]:
        """Every table's rows, and the grants of roles: what a refused command must not change."""
        with self.engine.begin() as conn:
            tables = conn.execute(
                sa.text(
                    "SELECT relname FROM pg_class WHERE relkind = 'r' "
                    "AND relnamespace = current_schema()::regnamespace ORDER BY relname"
                )
            ).scalars()
            counts = {
                t: conn.execute(sa.text(f'SELECT count(*) FROM "{t}"')).scalar_one()
                for t in tables.all()
            }
            counts["pg_auth_members"] = conn.execute(
                sa.text(
                    "SELECT count(*) FROM pg_auth_members a JOIN pg_roles g ON g.oid = a.roleid "
                    "WHERE g.rolname LIKE current_database() || '\\_' || current_schema() "
                    "|| '\\_%'"
                )
            ).scalar_one()
        return counts

    def entry_by_tester(self) -> str:
        """A new entry logged by the owner for ``tester``: its id."""
        r = self.admin.ok("log", "30m", "ACME-1", "--on", "2026-11-09", env=NOW)
        return r.stdout.split(":")[0].removeprefix("entry ")

    def contract(self, n: int, variant: str = "1") -> str:
        """A new contract signed by the owner: its key."""
        key = f"K{n}V{variant}"
        self.admin.ok("contract", "add", key, "--key", key, "--variant", variant, "--tier",
                      "basic", "--start", "2026-11-01", "--months", "6", env=NOW)  # fmt: skip
        return key

    def incident(self, n: int, *events: str) -> str:
        """A new incident opened by the owner (and its ``events`` recorded): its ticket."""
        ticket = f"ACME-{100 + n}"
        self.admin.ok("incident", "open", ticket, "--at", "2026-11-10 10:00", env=NOW)
        for minute, event in enumerate(events, 1):
            self.admin.ok("incident", event, ticket, "--at", f"2026-11-10 10:{minute:02}", env=NOW)
        return ticket

    def history(self, n: int) -> str:
        """A CSV of hours by ``tester`` to import: its path."""
        path = self.admin.config.with_name(f"history-{n}.csv")
        path.write_text(f"date,duration,ticket,by\n2026-11-0{n + 2},1h,ACME-{n + 50},tester\n")
        return str(path)

    def closed_october(self, invoiced: bool = False) -> str:
        """October closed by the owner, 3 h beyond ACME's tariff, with the company's and ACME's
        details for its documents (and its invoice issued): the month."""
        from sla_cli.config.defaults import default_document, write_config
        from tests.cli.test_closing_documents import ACME_INN, COMPANY

        if self.october:
            return "2026-10"
        self.october = True
        doc = default_document()
        doc["company"].update(COMPANY)
        write_config(self.admin.config, doc, force=True)
        self.admin.ok("client", "set", "ACME", "--full-name", "ООО «Акме»", "--inn", ACME_INN,
                      "--kpp", "772301001", "--address", "г. Москва", env=NOW)  # fmt: skip
        for day in ("2026-10-06", "2026-10-07"):  # past the 15 h the fee paid in advance covers
            self.admin.ok("log", "8h", "ACME-1", "--on", day, env=NOW)
        self.admin.ok("rollover", "--month", "2026-10", env=NOW)
        if invoiced:
            self.admin.ok("invoice", "ACME", "--month", "2026-10", env=NOW)
        return "2026-10"

    def invoiced(self) -> str:
        """October's invoice, issued by the owner: its number."""
        self.closed_october(invoiced=True)
        return "1"

    def run(self, who: str, *args: str) -> Result:
        return self.people[who](*args, env={**NOW, "SLA_USER": ""})


@pytest.fixture(autouse=True, scope="module")
def one_command() -> Iterator[None]:
    """`sla` as Click's command, built once for the module's hundreds of runs: Typer's
    CliRunner builds it anew from the app for each (a tenth of a second), the same each time."""
    import typer.main
    import typer.testing

    from sla_cli.cli.app import app

    built = typer.main.get_command(app)

    def command(typer_app: Any) -> Any:
        return built if typer_app is app else typer.main.get_command(typer_app)

    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(typer.testing, "_get_command", command)
        yield


def seed(url: str, admin: Sla) -> None:
    """A new ledger at ``url`` as each test begins with it: ACME's contract from October, and
    2 h of its work logged by the owner."""
    from sla_cli.store.engine import open_ledger

    open_ledger(url, create=True).engine.dispose()
    admin.ok("contract", "add", "Acme", "--key", "ACME", "--variant", "1", "--tier", "basic",
             "--start", "2026-10-01", "--months", "12", env=NOW)  # fmt: skip
    admin.ok("log", "2h", "ACME-1", "--on", "2026-10-05", env=NOW)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> LedgerTemplate | None:
    """The ledger ``seed`` makes, made once (per xdist worker) and dumped, for each test to
    start from a copy of it; None without pg_dump (each test then seeds a ledger of its own).
    The schema it was made in is gone (and its roles) by the time a test runs."""
    folder = tmp_path_factory.mktemp("seeded")
    with pytest.MonkeyPatch.context() as env:  # as the ``sla`` fixture runs a command
        env.setenv("HOME", str(folder / "home"))
        for key in ("SLA_NOW", "SLA_DEBUG"):
            env.delenv(key, raising=False)
        config = folder / "config.toml"
        write_config(config, default_document())
        with pg_schema() as url:
            seed(url, Sla(config, url))
            return ledger_template(url)


@pytest.fixture
def team(sla: Sla, seeded: LedgerTemplate | None) -> Iterator[Team]:
    with pg_schema(copy_of=seeded) as url:
        admin = Sla(sla.config, url)
        if seeded is None:
            seed(url, admin)
        with team_logins(url, (*LABELS, "engineer2", "none")) as urls:
            people = {label: Sla(sla.config, u) for label, u in urls.items()}
            logins = {label: u.partition("//")[2].partition("@")[0] for label, u in urls.items()}
            engine = sa.create_engine(url, poolclass=sa.NullPool)
            try:
                yield Team(url, admin, people, logins, engine)
            finally:
                engine.dispose()


def test_a_tests_ledger_is_a_copy_of_the_seeded_one(
    team: Team, seeded: LedgerTemplate | None
) -> None:
    """What the tests here run on: a copy dumps as the ledger the migrations made did (under
    its own names), and its group roles are as they made theirs (besides the team's logins).
    Only its CHECK constraints read differently: PostgreSQL parses the text a dump gives them
    anew (``x IN ('a', 'b')`` on a VARCHAR comes back with its casts elsewhere), the same test;
    nothing in sla reads them."""
    if seeded is None:
        pytest.skip("no pg_dump: each test's ledger is made by the migrations")

    def checks_aside(script: str) -> str:
        return re.sub(r"(CONSTRAINT \w+ CHECK ).*?(,?)$", r"\1…\2", script, flags=re.M)

    schema = team.value("SELECT current_schema()")
    copy = ledger_template(team.url)
    assert copy is not None
    assert checks_aside(copy.script) == checks_aside(seeded.named(seeded.script, schema))
    assert copy.roles == tuple((seeded.named(r, schema), a) for r, a in seeded.roles)
    logins = set(team.logins.values())
    assert [m for m in copy.members if m[1] not in logins] == [
        (seeded.named(group, schema), seeded.named(member, schema), admin)
        for group, member, admin in seeded.members
    ]


# -- each role runs the commands ----------------------------------------------------------------

Args = Callable[[Team, str, int], tuple[str, ...]]


def _contract(t: Team, who: str, n: int) -> tuple[str, ...]:
    return ("contract", "add", f"Beta {who}", "--key", f"BETA{n}", "--variant", "1", "--tier",
            "basic", "--start", "2026-11-01", "--months", "3")  # fmt: skip


CASES: dict[str, tuple[Args, frozenset[str]]] = {
    "log": (lambda t, who, n: ("log", "1h", "ACME-1"), WRITERS),
    "log --by": (lambda t, who, n: ("log", "1h", "ACME-1", "--by", "tester"), MANAGERS),
    "log --undo": (lambda t, who, n: ("log", "--undo"), WRITERS),
    "start": (lambda t, who, n: ("start", f"ACME-{20 + n}"), WRITERS),
    "incident open": (lambda t, who, n: ("incident", "open", f"ACME-{10 + n}"), WRITERS),
    "void another's": (lambda t, who, n: ("void", t.entry_by_tester()), MANAGERS),
    "contract add": (_contract, MANAGERS),
    "client set": (lambda t, who, n: ("client", "set", "ACME", "--full-name", who), MANAGERS),
    "rollover": (lambda t, who, n: ("rollover", "--month", "2026-10"), MANAGERS),
    "role grant": (lambda t, who, n: ("role", "grant", t.logins["none"], "auditor"), OWNER),
    "role list": (lambda t, who, n: ("role", "list"), OWNER),
    "role grant --name": (
        lambda t, who, n: ("role", "grant", t.logins["engineer2"], "engineer", "--name", who),
        OWNER,
    ),
    "role hide": (lambda t, who, n: ("role", "hide", "documents"), OWNER),
    "role unhide": (lambda t, who, n: ("role", "unhide", "rates"), OWNER),
    "contract end": (
        lambda t, who, n: ("contract", "end", t.contract(n), "--on", "2027-01-31"),
        MANAGERS,
    ),
    "contract cancel": (
        lambda t, who, n: ("contract", "cancel", t.contract(n), "--note", "by mistake"),
        MANAGERS,
    ),
    "contract prepay": (
        lambda t, who, n: ("contract", "prepay", t.contract(n), "--months", "2"),
        MANAGERS,
    ),
    "contract topup": (lambda t, who, n: ("contract", "topup", t.contract(n, "3")), MANAGERS),
    "incident ack": (lambda t, who, n: ("incident", "ack", t.incident(n)), WRITERS),
    "incident start": (lambda t, who, n: ("incident", "start", t.incident(n)), WRITERS),
    "incident resolve": (lambda t, who, n: ("incident", "resolve", t.incident(n, "ack")), WRITERS),
    "incident wait": (lambda t, who, n: ("incident", "wait", t.incident(n)), WRITERS),
    "incident undo": (lambda t, who, n: ("incident", "undo", t.incident(n, "ack")), WRITERS),
    "incident cancel": (
        lambda t, who, n: ("incident", "cancel", t.incident(n), "--note", "spam"),
        WRITERS,
    ),
    "incident reopen": (
        lambda t, who, n: ("incident", "reopen", t.incident(n, "resolve")),
        WRITERS,
    ),
    "import": (lambda t, who, n: ("import", t.history(n)), MANAGERS),
    "intake": (lambda t, who, n: ("intake", "--maildir", str(MAILDIR)), WRITERS),
    "role revoke": (lambda t, who, n: ("role", "revoke", t.logins["engineer2"], "engineer"), OWNER),
    "status": (lambda t, who, n: ("status", "--all"), EVERYONE),
    "breaches": (lambda t, who, n: ("breaches",), EVERYONE),
    "contract show": (lambda t, who, n: ("contract", "show", "ACME"), EVERYONE),
    "client show": (lambda t, who, n: ("client", "show", "ACME"), EVERYONE),
    "invoices": (lambda t, who, n: ("invoices",), EVERYONE),
    "export": (lambda t, who, n: ("export", "--month", "2026-10"), EVERYONE),
    "notices": (lambda t, who, n: ("notices",), EVERYONE),
    "entries": (lambda t, who, n: ("entries",), EVERYONE),
    "contract list": (lambda t, who, n: ("contract", "list"), EVERYONE),
    "incident list": (lambda t, who, n: ("incident", "list", "--all"), EVERYONE),
    "report": (lambda t, who, n: ("report", "--month", "2026-10"), EVERYONE),
    "timesheet": (lambda t, who, n: ("timesheet", "--month", "2026-10"), EVERYONE),
    "verify": (lambda t, who, n: ("verify",), EVERYONE),
    "invoice": (lambda t, who, n: ("invoice", "ACME", "--month", t.closed_october()), MANAGERS),
    "act": (lambda t, who, n: ("act", "ACME", "--month", t.closed_october()), MANAGERS),
    "paid": (
        lambda t, who, n: ("paid", t.invoiced(), "--on", "2026-11-09", "--amount", "100"),
        MANAGERS,
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_each_role_runs_what_it_may_and_is_refused_the_rest(team: Team, case: str) -> None:
    args, allowed = CASES[case]
    if case == "log --undo":  # each has an entry of their own to undo
        for who in LABELS:
            team.admin.ok("log", "15m", "ACME-1", "--by", team.logins[who], env=NOW)
    refused = [w for w in LABELS if w not in allowed]
    for n, who in enumerate([*refused, *(w for w in LABELS if w in allowed)]):
        given = args(team, who, n)
        before = team.snapshot()
        r = team.run(who, *given)
        if who in allowed:  # intake: 1 for the maildir's .keep, set aside (no From address)
            ok = (0, 1) if case == "intake" else (0,)
            assert r.exit_code in ok, f"{who}: sla {' '.join(given)}: {r.stderr}"
            continue
        assert r.exit_code == 77, f"{who}: sla {' '.join(given)}: {r.stdout}{r.stderr}"
        line = r.stderr.strip()
        assert "\n" not in line and "nothing was written" in line
        needs = (
            "engineer"
            if who == "auditor" and "engineer" in allowed
            else min(allowed, key=LABELS.index)
        )
        if who != "auditor" or needs == "engineer":
            assert f"needs the {needs} role" in line, line
        else:
            assert "needs the " in line, line
        assert team.snapshot() == before, f"{who}: sla {' '.join(given)} wrote"


def test_a_role_the_ledger_does_not_know_reads_nothing(team: Team) -> None:
    r = team.run("none", "entries")
    assert r.exit_code == 77 and "permission denied" in r.stderr
    assert "needs the auditor role" in r.stderr


def test_an_engineer_voids_their_own_entries_only(team: Team) -> None:
    mine = team.run("engineer", "log", "1h", "ACME-1").stdout.split(":")[0].removeprefix("entry ")
    theirs = team.entry_by_tester()
    refused = team.run("engineer", "void", theirs)
    assert refused.exit_code == 77 and "needs the manager role" in refused.stderr
    assert team.run("engineer", "void", mine).exit_code == 0
    assert team.run("manager", "void", theirs).exit_code == 0


# -- authors --------------------------------------------------------------------------------


def test_an_engineers_log_by_someone_else_is_refused_and_a_managers_records_both(
    team: Team,
) -> None:
    engineer, manager = team.logins["engineer"], team.logins["manager"]
    before = team.snapshot()
    r = team.run("engineer", "log", "1h", "ACME-1", "--by", manager)
    assert r.exit_code == 77 and "needs the manager role" in r.stderr
    assert team.snapshot() == before
    r = team.people["engineer"]("log", "1h", "ACME-1", env={**NOW, "SLA_USER": manager})
    assert r.exit_code == 77, "SLA_USER is --by by another name"

    r = team.run("manager", "log", "1h", "ACME-1", "--by", engineer)
    assert r.exit_code == 0, r.stderr
    assert f"by {engineer}, entered by {manager}" in r.stdout
    entry = r.stdout.split(":")[0].removeprefix("entry ")
    (row,) = team.sql(f'SELECT "by", entered_by FROM entries WHERE id = {entry}')[0]
    assert tuple(row) == (engineer, manager)
    shown = team.people["auditor"]("entries", env={**NOW, "SLA_USER": "", "COLUMNS": "300"})
    assert f"{engineer}, entered by {manager}" in shown.stdout
    data = team.run("auditor", "entries", "--format", "json").json()
    assert {e["by"] for e in data if str(e["id"]) == entry} == {engineer}  # the shape as ever

    r = team.run("engineer", "log", "1h", "ACME-1")  # no SLA_USER: the database role
    assert f"by {engineer})" in r.stdout


# -- the same in raw SQL --------------------------------------------------------------------

COLUMNS = ('contract_id, client_id, ticket, "on", minutes, type, category, kind, '
           'amount_kopecks, started_at, "by", note, reverses, created_at')  # fmt: skip


def copy_of(entry: str, by: str, type_: str = "work", reverses: str = "NULL") -> str:
    """An INSERT of entries copying ``entry`` with another author, type or reversal."""
    return (
        f'INSERT INTO entries ({COLUMNS}) SELECT contract_id, client_id, ticket, "on", '
        f"minutes, '{type_}', category, kind, amount_kopecks, started_at, '{by}', note, "
        f"{reverses}, created_at FROM entries WHERE id = {entry}"
    )


def refused(team: Team, who: str, statement: str) -> BaseException:
    """``statement`` run as ``who`` in a transaction of its own: the error it raised."""
    info, options = conninfo(team.people[who].db_url)
    with psycopg.connect(info, options=options) as conn:
        try:
            conn.execute(statement)
        except psycopg.Error as e:
            return e
    raise AssertionError(f"{who} may {statement}")


def run_as(team: Team, who: str, statement: str) -> None:
    info, options = conninfo(team.people[who].db_url)
    with psycopg.connect(info, options=options) as conn:
        conn.execute(statement)


def test_raw_sql_as_an_engineer_is_held_to_the_same_rules(team: Team) -> None:
    theirs = team.entry_by_tester()
    me, manager = team.logins["engineer"], team.logins["manager"]
    group = team.value("SELECT current_database() || '_' || current_schema() || '_manager'")
    before = team.snapshot()
    for statement in (
        "INSERT INTO contracts (client_id) VALUES (1)",
        "INSERT INTO closed_months (month) VALUES ('2026-10')",
        "UPDATE entries SET minutes = 1",
        "DELETE FROM entries",
        "TRUNCATE entries",
        copy_of(theirs, "tester"),  # work by someone else
        copy_of(theirs, me, "burn"),  # a month close's posting
        copy_of(theirs, me, "reversal", theirs),  # a void of another's entry
        f"SET ROLE {group}",
        f'SET ROLE "{manager}"',
        f'SET SESSION AUTHORIZATION "{manager}"',
        f'GRANT {group} TO "{me}"',
        "ALTER TABLE entries DISABLE TRIGGER entries_author",
        "ALTER TABLE entries DISABLE ROW LEVEL SECURITY",
        "DROP POLICY entries_add ON entries",
        "SET session_replication_role = replica",
        "CREATE OR REPLACE FUNCTION sla_author_by() RETURNS trigger AS $$ BEGIN RETURN NEW; "
        "END $$ LANGUAGE plpgsql",
    ):
        e = refused(team, "engineer", statement)
        assert getattr(e, "sqlstate", None) == "42501", f"{statement}: {e}"
    # the author functions run only as the triggers that set the author
    e = refused(team, "engineer", "SELECT sla_author_by()")
    assert "trigger" in str(e)
    assert team.snapshot() == before
    # an engineer's own work goes in, with entered_by set by the database, whatever was given
    run_as(team, "engineer", copy_of(theirs, me).replace(
        f"INSERT INTO entries ({COLUMNS})", f"INSERT INTO entries ({COLUMNS}, entered_by)"
    ).replace(" FROM entries WHERE", ", 'tester' FROM entries WHERE"))  # fmt: skip
    rows = team.sql(f"SELECT entered_by FROM entries WHERE \"by\" = '{me}'")[0]
    assert [r[0] for r in rows] == [me]


def test_raw_sql_as_an_auditor_and_a_manager(team: Team) -> None:
    theirs = team.entry_by_tester()
    auditor, manager = team.logins["auditor"], team.logins["manager"]
    owner = team.value("SELECT current_database() || '_' || current_schema() || '_owner'")
    for statement in (copy_of(theirs, auditor), "INSERT INTO incidents (ticket) VALUES ('X-1')"):
        e = refused(team, "auditor", statement)
        assert getattr(e, "sqlstate", None) == "42501", f"{statement}: {e}"
    for statement in (
        "UPDATE entries SET minutes = 1",
        "DELETE FROM contracts",
        "ALTER TABLE entries DISABLE TRIGGER entries_append_only",
        f'GRANT {owner} TO "{manager}"',
        f'SET SESSION AUTHORIZATION "{auditor}"',
    ):
        e = refused(team, "manager", statement)
        assert getattr(e, "sqlstate", None) == "42501", f"{statement}: {e}"
    run_as(team, "manager", copy_of(theirs, "tester"))  # a manager enters work by others
    rows = team.sql(f"SELECT \"by\" FROM entries WHERE entered_by = '{manager}'")[0]
    assert [r[0] for r in rows] == ["tester"]


# -- roles, granted and listed; verify --------------------------------------------------------


def test_the_owner_grants_lists_and_revokes_roles(team: Team) -> None:
    nobody = team.logins["none"]
    owner = team.people["owner"]
    r = owner("role", "grant", nobody, "Manager", env=NOW)
    assert r.exit_code == 0 and f"{nobody} is now manager" in r.stdout
    assert owner("role", "grant", nobody, "manager", env=NOW).stdout.startswith(
        f"{nobody} is already"
    )
    listed = owner("role", "list", "--format", "json", env=NOW).json()
    assert {"name": nobody, "role": "manager", "author": nobody} in listed
    engineer = team.logins["engineer"]
    assert {"name": engineer, "role": "engineer", "author": engineer} in listed
    assert team.run("none", "contract", "list").exit_code == 0
    r = owner("role", "revoke", nobody, "manager", env=NOW)
    assert r.exit_code == 0 and "is no longer manager" in r.stdout
    assert team.run("none", "contract", "list").exit_code == 77
    assert owner("role", "grant", nobody, "admin", env=NOW).exit_code == 2
    assert owner("role", "grant", "no-such-role-anywhere", "auditor", env=NOW).exit_code == 2


def test_an_upgrade_makes_every_current_user_an_owner(sla: Sla) -> None:
    """A ledger at 0009 used by a role granted rights by hand: after `sla upgrade` it is an
    owner (it lists the roles), and loses nothing."""
    from tests.store.test_migrations import migrate

    with pg_schema() as url:
        migrate(url, "0009")
        engine = sa.create_engine(url)
        with engine.connect() as conn:
            schema = conn.execute(sa.text("SELECT current_schema()")).scalar_one()
        login = f"{schema}_old"
        with engine.begin() as conn:
            conn.execute(sa.text(f'CREATE ROLE "{login}" LOGIN'))
            conn.execute(
                sa.text(f'GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA "{schema}" TO "{login}"')
            )
        try:
            Sla(sla.config, url).ok("upgrade")
            old = Sla(sla.config, as_login(url, login))
            listed = old("role", "list", "--format", "json", env={"SLA_USER": ""})
            assert listed.exit_code == 0, listed.stderr
            assert {"name": login, "role": "owner", "author": login} in listed.json()
            checked = old("verify", env={"SLA_USER": ""})
            assert checked.exit_code == 0, checked.stdout
        finally:
            with engine.begin() as conn:
                conn.execute(sa.text(f'DROP OWNED BY "{login}"'))
                conn.execute(sa.text(f'DROP ROLE "{login}"'))
            engine.dispose()


def test_verify_finds_rows_of_no_known_role_and_grants_added_by_hand(team: Team) -> None:
    assert team.run("auditor", "verify").exit_code == 0
    stranger = team.logins["none"]
    team.sql(
        f'GRANT INSERT, SELECT ON entries TO "{stranger}"',
        f'GRANT USAGE ON SEQUENCE entries_id_seq TO "{stranger}"',
        f'GRANT SELECT ON closed_months TO "{stranger}"',
    )
    theirs = team.entry_by_tester()
    run_as(team, "none", copy_of(theirs, stranger))
    r = team.run("auditor", "verify")
    assert r.exit_code == 1
    assert (
        f"row(s) of entries entered by {stranger}, which holds none of the ledger's roles"
        in r.stdout
    )
    assert f"{stranger} holds INSERT on entries" in r.stdout
    data = team.run("auditor", "verify", "--format", "json").json()
    assert data["ok"] is False
    assert {"table": "entries", "author": stranger, "rows": 1} in data["unknown_authors"]
    assert {"role": stranger, "privilege": "INSERT", "table": "entries"} in data["extra_grants"]
    team.sql(
        f'REVOKE ALL ON entries FROM "{stranger}"',
        f'REVOKE ALL ON SEQUENCE entries_id_seq FROM "{stranger}"',
        f'REVOKE ALL ON closed_months FROM "{stranger}"',
    )
    data = team.run("auditor", "verify", "--format", "json").json()
    assert data["extra_grants"] == [] and data["unknown_authors"]
    team.admin.ok("role", "grant", stranger, "engineer")
    assert team.run("auditor", "verify").exit_code == 0  # now a known role
    team.sql("ALTER TABLE entries DISABLE ROW LEVEL SECURITY")
    r = team.run("auditor", "verify")
    assert r.exit_code == 1 and "entries_row_security" in r.stdout


def test_an_sqlite_ledger_has_no_roles(sla: Sla) -> None:
    r = sla("role", "grant", "alice", "engineer")
    assert r.exit_code == 2 and "SQLite ledger has no roles" in r.stderr
    assert sla.ok("role", "list", "--format", "json").json() == []


@pytest.mark.parametrize(
    ("reason", "role"),
    [
        ('new row violates row-level security policy for table "entries"', "manager"),
        ("permission denied for table contracts", "manager"),
        ("permission denied for table timers", "engineer"),
        ("permission denied for sequence entries_id_seq", "engineer"),
        ("permission denied for table alembic_version", "auditor"),
        ("must be owner of table entries", "owner"),
        ('must have admin option on role "x_manager"', "owner"),
        ("permission denied to create role", "owner"),
        ("recording a row by bob needs the manager role (x_manager)", "manager"),
    ],
)
def test_a_refusal_names_the_role_it_needs(reason: str, role: str) -> None:
    from sla_cli.store.roles import needed_role

    assert needed_role(reason) == role


def test_an_auditor_backs_the_ledger_up_with_pg_dump(team: Team, tmp_path: Path) -> None:
    import shutil
    import subprocess

    if shutil.which("pg_dump") is None:
        pytest.skip("no pg_dump")
    schema = team.value("SELECT current_schema()")
    database = team.value("SELECT current_database()")
    dump = tmp_path / "ledger.sql"
    done = subprocess.run(
        ["pg_dump", "-h", "127.0.0.1", "-U", team.logins["auditor"], "-d", database, "-n", schema,
         "--enable-row-security", "-f", str(dump)],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "COPY" in dump.read_text() and "entered_by" in dump.read_text()
