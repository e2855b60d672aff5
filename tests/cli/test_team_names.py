"""A team ledger's names for its people (revision 0012): the rows of a database role carry the
name the owner gave it, set by the database; and guards no session can shadow or loosen
unseen (a temporary table named like a ledger table, a policy or a function redefined).

Real roles on the real server, as in ``test_roles``.
"""

from __future__ import annotations

from tests.cli.test_roles import NOW, Team, copy_of, one_command, refused, run_as, seeded, team

__all__ = ["one_command", "seeded", "team"]  # the fixtures, shared with test_roles

ANNA = "Anna Petrova"


def entry_of(stdout: str) -> str:
    return stdout.split(":")[0].removeprefix("entry ")


def named(team: Team, who: str = "engineer", name: str = ANNA) -> str:
    """``who``'s login, named ``name`` by the owner."""
    login = team.logins[who]
    r = team.admin.ok("role", "grant", login, who.rstrip("0123456789"), "--name", name, env=NOW)
    assert f"{login}'s rows now carry the name {name}" in r.stdout
    return login


def test_a_persons_rows_carry_the_name_the_owner_gave_them(team: Team) -> None:
    login = named(team)
    r = team.run("engineer", "log", "1h", "ACME-1")
    assert r.exit_code == 0, r.stderr
    assert f"by {ANNA}, entered by {login})" in r.stdout
    entry = entry_of(r.stdout)
    (row,) = team.sql(f'SELECT "by", entered_by FROM entries WHERE id = {entry}')[0]
    assert tuple(row) == (ANNA, login)
    data = team.run("auditor", "entries", "--format", "json").json()
    assert {e["by"] for e in data if str(e["id"]) == entry} == {ANNA}
    listed = team.admin.ok("role", "list", "--format", "json", env=NOW).json()
    assert {"name": login, "role": "engineer", "author": ANNA} in listed
    again = team.admin.ok("role", "grant", login, "engineer", "--name", ANNA, env=NOW)
    assert f"{login}'s rows already carry the name {ANNA}" in again.stdout

    # their own name or login is theirs to give; the name of no one else
    for by in (ANNA, login):
        r = team.run("engineer", "log", "30m", "ACME-1", "--by", by)
        assert r.exit_code == 0 and f"by {ANNA}, entered by {login})" in r.stdout, r.stderr
    r = team.run("engineer", "log", "30m", "ACME-1", "--by", "Boris")
    assert r.exit_code == 77 and "needs the manager role" in r.stderr


def test_a_named_engineer_undoes_voids_and_times_their_own_work(team: Team) -> None:
    named(team)
    mine = entry_of(team.run("engineer", "log", "1h", "ACME-1").stdout)
    r = team.run("engineer", "log", "--undo")
    assert r.exit_code == 0 and f"reversed entry {mine}" in r.stdout, r.stderr
    other = entry_of(team.run("engineer", "log", "2h", "ACME-1").stdout)
    assert team.run("engineer", "void", other).exit_code == 0
    theirs = team.entry_by_tester()
    assert team.run("engineer", "void", theirs).exit_code == 77
    r = team.people["engineer"]("start", "ACME-1", env={"SLA_NOW": "2026-11-10T10:00:00+03:00",
                                                        "SLA_USER": ""})  # fmt: skip
    assert r.exit_code == 0, r.stderr
    r = team.run("engineer", "stop")
    assert r.exit_code == 0 and f"by {ANNA}" in r.stdout, r.stderr


def test_a_managers_entry_for_a_login_records_that_persons_name(team: Team) -> None:
    engineer = named(team)
    manager = team.logins["manager"]
    r = team.run("manager", "log", "1h", "ACME-1", "--by", engineer)
    assert r.exit_code == 0 and f"by {ANNA}, entered by {manager})" in r.stdout, r.stderr


def test_a_name_is_one_persons_and_a_rename_keeps_the_rows_before_it(team: Team) -> None:
    login = named(team)
    other = team.logins["engineer2"]
    for name in (ANNA, team.logins["manager"]):
        r = team.admin("role", "grant", other, "engineer", "--name", name, env=NOW)
        assert r.exit_code == 2 and "give" in r.stderr and other in r.stderr, r.stderr
    before = entry_of(team.run("engineer", "log", "1h", "ACME-1").stdout)
    named(team, name="Anna Sidorova")
    after = entry_of(team.run("engineer", "log", "1h", "ACME-1").stdout)
    rows = team.sql(f'SELECT id, "by" FROM entries WHERE id IN ({before}, {after}) ORDER BY id')
    assert [r[1] for r in rows[0]] == [ANNA, "Anna Sidorova"]
    assert team.sql(f"SELECT count(*) FROM people WHERE login = '{login}'")[0][0][0] == 2
    e = refused(team, "owner", f"UPDATE people SET name = 'X' WHERE login = '{login}'")
    assert "never changed" in str(e)


def test_the_owner_alone_names_people_and_names_are_checked(team: Team) -> None:
    login = team.logins["engineer"]
    r = team.run("manager", "role", "grant", login, "engineer", "--name", ANNA)
    assert r.exit_code == 77 and "needs the owner role" in r.stderr
    r = team.admin("role", "grant", login, "engineer", "--name", "Anna\x1b[31m", env=NOW)
    assert r.exit_code == 2 and "U+001B" in r.stderr
    assert team.value("SELECT count(*) FROM people") == 0


def test_a_temporary_table_does_not_stand_in_for_a_ledger_table(team: Team) -> None:
    """Any role may create temporary tables, which PostgreSQL looks in first unless told
    otherwise: each guard looks in the ledger's schema, temporary tables last."""
    team.closed_october()
    login = named(team)
    theirs = team.entry_by_tester()
    before = team.snapshot()
    shadowed = (
        "CREATE TEMP TABLE closed_months (month text); "
        "CREATE TEMP TABLE people (id int, login text, name text); "
        f"INSERT INTO pg_temp.people VALUES (1, '{login}', 'Boss'); "
    )
    october = copy_of(theirs, login).replace(
        "\"on\", minutes, 'work'", "DATE '2026-10-20', minutes, 'work'"
    )
    assert "2026-10-20" in october
    e = refused(team, "engineer", shadowed + october)
    assert "closed" in str(e)
    assert team.snapshot() == before
    run_as(team, "engineer", shadowed + copy_of(theirs, login))
    rows = team.sql(f"SELECT \"by\" FROM entries WHERE entered_by = '{login}'")[0]
    assert [r[0] for r in rows] == [ANNA]


def test_verify_finds_a_loosened_policy_and_a_guard_without_its_search_path(team: Team) -> None:
    team.sql(
        "DROP POLICY entries_add ON entries",
        "CREATE POLICY entries_add ON entries FOR INSERT WITH CHECK (true)",
        "ALTER FUNCTION sla_open_month() RESET search_path",
    )
    data = team.run("auditor", "verify", "--format", "json").json()
    assert data["ok"] is False
    assert {"entries_add", "sla_open_month"} <= set(data["changed_guards"])
    r = team.run("auditor", "verify")
    assert r.exit_code == 1
    assert "entries_add" in r.stdout and "WITH CHECK «true»" in r.stdout
    assert "it runs without search_path=" in r.stdout


# -- what a ledger hides from its engineers ---------------------------------------------------


def test_a_ledger_hides_rates_and_documents_from_its_engineers(team: Team) -> None:
    team.invoiced()  # October closed, its invoice issued
    r = team.run("engineer", "role", "hide", "rates")
    assert r.exit_code == 77 and "needs the owner role" in r.stderr
    for what in ("rates", "documents"):
        r = team.admin.ok("role", "hide", what, env=NOW)
        assert f"{what} are now hidden from engineers" in r.stdout
    again = team.admin.ok("role", "hide", "Rates", env=NOW)
    assert "rates were already hidden from engineers" in again.stdout
    shown = team.admin("role", "list", env={**NOW, "COLUMNS": "200"})
    assert "Hidden from engineers: rates, documents." in shown.stdout

    # an engineer's own work goes on as before
    for args in (
        ("log", "1h", "ACME-1"),
        ("log", "--undo"),
        ("entries", "--format", "json"),
        ("status",),
        ("incident", "open", "ACME-7", "--at", "2026-11-10 10:00"),
        ("incident", "list"),
        ("breaches",),
        ("timesheet",),
    ):
        r = team.run("engineer", *args)
        assert r.exit_code == 0, (args, r.stderr)
    # what shows money, or documents, is refused, naming why
    for args in (("contract", "list"), ("contract", "show", "ACME"), ("report", "--month",
                 "2026-11"), ("trends",), ("verify",)):  # fmt: skip
        r = team.run("engineer", *args)
        assert r.exit_code == 77, (args, r.stdout)
        assert "needs the manager role" in r.stderr and "hides rates" in r.stderr, r.stderr
    r = team.run("engineer", "invoices")
    assert r.exit_code == 77 and "needs the manager role" in r.stderr
    # and so is the same in raw SQL; the rest of each table stays readable
    for statement in (
        "SELECT price_kopecks FROM contracts",
        "SELECT * FROM entries",
        "SELECT amount_due_kopecks FROM closings",
        "SELECT * FROM payments",
        "SELECT * FROM documents",
    ):
        e = refused(team, "engineer", statement)
        assert getattr(e, "sqlstate", None) == "42501", f"{statement}: {e}"
    run_as(team, "engineer", 'SELECT ticket, minutes, "by" FROM entries')

    # managers and auditors read it all; verify finds no grant the roles do not give
    for who, args in (("manager", ("contract", "list")), ("manager", ("invoices",)),
                      ("auditor", ("report", "--month", "2026-10"))):  # fmt: skip
        r = team.run(who, *args)
        assert r.exit_code == 0, (who, args, r.stderr)
    data = team.run("auditor", "verify", "--format", "json").json()
    assert data["extra_grants"] == [] and data["changed_guards"] == []
    stranger = team.logins["none"]
    team.sql(f'GRANT SELECT (price_kopecks) ON contracts TO "{stranger}"')
    data = team.run("auditor", "verify", "--format", "json").json()
    assert data["extra_grants"] == [
        {"role": stranger, "privilege": "SELECT", "table": "contracts.price_kopecks"}
    ]
    r = team.run("auditor", "verify")
    assert f"REVOKE SELECT (price_kopecks) ON contracts FROM {stranger}" in r.stdout
    team.sql(f'REVOKE SELECT (price_kopecks) ON contracts FROM "{stranger}"')

    for what in ("rates", "documents"):
        r = team.admin.ok("role", "unhide", what, env=NOW)
        assert f"{what} are now readable by engineers" in r.stdout
    for args in (("contract", "list"), ("invoices",)):
        assert team.run("engineer", *args).exit_code == 0
    run_as(team, "engineer", "SELECT price_kopecks FROM contracts")
    data = team.run("auditor", "verify", "--format", "json").json()
    assert data["extra_grants"] == []
    r = team.admin("role", "hide", "salaries", env=NOW)
    assert r.exit_code == 2 and "rates or documents" in r.stderr
