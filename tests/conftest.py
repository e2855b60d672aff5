"""Shared fixtures: an isolated config and ledger per test, and a CLI runner with fixed output."""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from sla_cli.cli.app import app
from sla_cli.config.defaults import default_document, write_config

pytest_plugins = ["tests.receivers"]  # an SMTP server and a webhook on loopback
FIXED_ENV = {"COLUMNS": "120", "NO_COLOR": "1", "TERM": "dumb", "SLA_USER": "tester"}


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def text(self) -> str:
        """stdout with non-breaking spaces (used inside figures) as plain ones."""
        return self.stdout.replace("\u00a0", " ")

    def json(self) -> Any:
        return json.loads(self.stdout)


class Sla:
    """Runs `sla` in-process through Typer's CliRunner against one ledger and config."""

    def __init__(self, config: Path, db_url: str) -> None:
        self.config = config
        self.db_url = db_url
        self.env: dict[str, str] = {
            **FIXED_ENV,
            "SLA_CONFIG": str(config),
            "SLA_DATABASE_URL": db_url,
        }

    def __call__(
        self, *args: str, env: dict[str, str] | None = None, input: bytes | None = None
    ) -> Result:
        runner = CliRunner()
        r = runner.invoke(
            app, list(args), input=input, env={**self.env, **(env or {})}, catch_exceptions=False
        )
        return Result(r.exit_code, r.stdout, r.stderr)

    def ok(
        self, *args: str, env: dict[str, str] | None = None, input: bytes | None = None
    ) -> Result:
        r = self(*args, env=env, input=input)
        assert r.exit_code == 0, f"sla {' '.join(args)} -> {r.exit_code}\n{r.stdout}\n{r.stderr}"
        return r


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


@pytest.fixture(scope="session")
def empty_ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new, migrated SQLite ledger, made once and copied for each test."""
    from sla_cli.store.engine import open_ledger

    path = tmp_path_factory.mktemp("template") / "ledger.db"
    open_ledger(sqlite_url(path), create=True).engine.dispose()
    return path


@pytest.fixture
def sla(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, empty_ledger: Path) -> Iterator[Sla]:
    """A runner on a new SQLite ledger (as `sla init` leaves it) and the default config."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    for key in ("SLA_NOW", "SLA_DEBUG"):
        monkeypatch.delenv(key, raising=False)
    config = tmp_path / "config.toml"
    write_config(config, default_document())
    shutil.copy(empty_ledger, tmp_path / "ledger.db")
    yield Sla(config, sqlite_url(tmp_path / "ledger.db"))


@pytest.fixture
def custom_config(tmp_path: Path) -> Callable[[str], Path]:
    def write(text: str) -> Path:
        path = tmp_path / "custom.toml"
        path.write_text(text, encoding="utf-8")
        return path

    return write


def pg_url() -> str | None:
    return os.environ.get("SLA_TEST_DATABASE_URL")


@contextmanager
def pg_schema(copy_of: LedgerTemplate | None = None) -> Iterator[str]:
    """A fresh PostgreSQL schema for one test (a copy of the ledger ``copy_of`` dumped, with
    group roles of its own, or empty); its URL puts it first on the search path."""
    base = pg_url()
    if not base:
        pytest.skip("SLA_TEST_DATABASE_URL is not set")
    import sqlalchemy as sa

    name = f"sla_test_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(base)
    with engine.begin() as conn:
        if copy_of is None:
            conn.execute(sa.text(f'CREATE SCHEMA "{name}"'))
        else:
            copy_of.restore(conn, name)
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options=-csearch_path%3D{name}"
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{name}" CASCADE'))
            drop_ledger_roles(
                conn, f"{conn.execute(sa.text('SELECT current_database()')).scalar()}_{name}"
            )
        engine.dispose()


LEDGER_ROLES = ("engineer", "manager", "auditor", "owner")


def drop_ledger_roles(conn: Any, prefix: str) -> None:
    """Drop the group roles a ledger's revision 0011 made (``<prefix>_engineer`` …), once its
    schema is gone, with whatever privileges they still hold in the database."""
    import sqlalchemy as sa

    for kind in LEDGER_ROLES:
        role = f"{prefix}_{kind}"
        if conn.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first():
            conn.execute(sa.text(f'DROP OWNED BY "{role}"'))
            conn.execute(sa.text(f'DROP ROLE "{role}"'))


@dataclass(frozen=True)
class LedgerTemplate:
    """A PostgreSQL ledger as ``pg_dump`` writes it (its tables, rows, functions, triggers,
    policies, owners and GRANTs), with what the dump leaves out: its group roles and their
    memberships. ``pg_schema(copy_of=...)`` restores it into a new schema, under that schema's
    names, much faster than the migrations make a ledger."""

    schema: str  # the schema it was dumped from: every name in it that is the ledger's
    script: str  # the dump, without psql's meta-commands (``\restrict``)
    roles: tuple[tuple[str, str], ...]  # each group role, and its attributes for CREATE ROLE
    members: tuple[tuple[str, str, bool], ...]  # (group role, member, admin option)

    def named(self, text: str, schema: str) -> str:
        return text.replace(self.schema, schema)

    def restore(self, conn: Any, schema: str) -> None:
        """Make the ledger in the new ``schema`` (and its group roles), in ``conn``'s
        transaction."""
        import sqlalchemy as sa

        for role, attributes in self.roles:
            conn.execute(sa.text(f'CREATE ROLE "{self.named(role, schema)}" {attributes}'))
        for role, member, admin in self.members:
            conn.execute(
                sa.text(
                    f'GRANT "{self.named(role, schema)}" TO "{self.named(member, schema)}"'
                    + (" WITH ADMIN OPTION" if admin else "")
                )
            )
        # many statements and no parameters: psycopg sends the dump's text as it is; then the
        # session's settings it made (an empty search_path, …) are undone
        driver = conn.connection.driver_connection
        driver.execute(self.named(self.script, schema))
        driver.execute("RESET ALL")


def ledger_template(url: str) -> LedgerTemplate | None:
    """The PostgreSQL ledger at ``url``, dumped to be copied (None without ``pg_dump``)."""
    import shutil
    import subprocess

    import sqlalchemy as sa

    from sla_cli.store.pg import conninfo

    if shutil.which("pg_dump") is None:
        return None
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            schema, database = conn.execute(
                sa.text("SELECT current_schema(), current_database()")
            ).one()
            roles = tuple(f"{database}_{schema}_{kind}" for kind in LEDGER_ROLES)
            flags = conn.execute(
                sa.text(
                    "SELECT rolname, rolsuper, rolinherit, rolcreaterole, rolcreatedb, "
                    "rolcanlogin, rolreplication, rolbypassrls FROM pg_roles "
                    "WHERE rolname IN :roles ORDER BY rolname"
                ).bindparams(sa.bindparam("roles", expanding=True)),
                {"roles": roles},
            ).all()
            members = conn.execute(
                sa.text(
                    "SELECT g.rolname, m.rolname, a.admin_option FROM pg_auth_members a "
                    "JOIN pg_roles g ON g.oid = a.roleid JOIN pg_roles m ON m.oid = a.member "
                    "WHERE g.rolname IN :roles ORDER BY 1, 2"
                ).bindparams(sa.bindparam("roles", expanding=True)),
                {"roles": roles},
            ).all()
    finally:
        engine.dispose()
    names = ("SUPERUSER", "INHERIT", "CREATEROLE", "CREATEDB", "LOGIN", "REPLICATION", "BYPASSRLS")
    attributes = tuple(
        (role, " ".join(n if on else f"NO{n}" for n, on in zip(names, rest, strict=True)))
        for role, *rest in flags
    )
    done = subprocess.run(
        ["pg_dump", "-d", conninfo(url)[0], "-n", schema, "--inserts"],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    if done.returncode != 0 or len(attributes) != len(LEDGER_ROLES):
        return None
    script = "\n".join(line for line in done.stdout.splitlines() if not line.startswith("\\"))
    return LedgerTemplate(schema, script, attributes, tuple(tuple(m) for m in members))


@pytest.fixture(params=["sqlite", "postgresql"])
def backend_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh ledger URL on each backend; PostgreSQL only when SLA_TEST_DATABASE_URL is set."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path / "ledger.db")  # the `sla` fixture puts an empty ledger there
    else:
        with pg_schema() as url:
            yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def ledger_backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """A backend's name and a fresh ledger URL on it."""
    if request.param == "sqlite":
        yield request.param, sqlite_url(tmp_path / "ledger.db")
    else:
        with pg_schema() as url:
            yield request.param, url


@pytest.fixture
def ledger_sla(sla: Sla, ledger_backend: tuple[str, str]) -> Sla:
    """Like ``sla``, on SQLite and on PostgreSQL (a new ledger, as `sla init` leaves it)."""
    name, backend_url = ledger_backend
    if name == "postgresql":
        from sla_cli.store.engine import open_ledger

        open_ledger(backend_url, create=True).engine.dispose()
    sla.db_url = backend_url
    sla.env["SLA_DATABASE_URL"] = backend_url
    return sla


@pytest.fixture
def demo_env(sla: Sla, tmp_path: Path) -> dict[str, str]:
    """The demo ledger (closed through October), built at a pinned moment: its environment."""
    now = {"SLA_NOW": "2026-11-24T12:00:00+03:00"}
    folder = tmp_path / "demo"
    sla.ok("demo", "--dir", str(folder), env=now)
    return {
        **now,
        "SLA_CONFIG": str(folder / "config.toml"),
        "SLA_DATABASE_URL": f"sqlite:///{folder / 'ledger.db'}",
    }


def as_login(url: str, name: str) -> str:
    """``url`` connecting as the database role ``name`` (the server trusts loopback)."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{name}@{host}"))


@contextmanager
def team_logins(url: str, kinds: tuple[str, ...]) -> Iterator[dict[str, str]]:
    """A login role for each of ``kinds`` (a ledger role, ``engineer2`` for a second one, or
    ``none``) on the PostgreSQL ledger at ``url``, granted it, named after the ledger's schema
    (unique to the run): each one's URL. The roles are dropped afterwards."""
    import sqlalchemy as sa

    from sla_cli.store.engine import open_ledger
    from sla_cli.store.roles import kind_of

    engine = sa.create_engine(url)
    with engine.connect() as conn:
        schema = conn.execute(sa.text("SELECT current_schema()")).scalar_one()
    names = {label: f"{schema}_{label}" for label in kinds}
    try:
        with engine.begin() as conn:
            for name in names.values():
                conn.execute(sa.text(f'CREATE ROLE "{name}" LOGIN'))
        ledger = open_ledger(url)
        try:
            with ledger.store() as s:
                for label, name in names.items():
                    if label != "none":
                        s.grant(name, kind_of(label.rstrip("0123456789")))
        finally:
            ledger.engine.dispose()
        yield {kind: as_login(url, name) for kind, name in names.items()}
    finally:
        with engine.begin() as conn:
            for name in names.values():
                found = conn.execute(
                    sa.text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": name}
                ).first()
                if found:
                    conn.execute(sa.text(f'DROP OWNED BY "{name}"'))
                    conn.execute(sa.text(f'DROP ROLE "{name}"'))
        engine.dispose()


def shown_author(sla: Sla, by: str) -> str:
    """How `sla entries` shows an entry logged ``--by`` someone: on PostgreSQL with the role
    that entered it (the superuser the tests connect as, a manager), as "by X, entered by Y"."""
    from sla_cli.cli.options import database_user

    if sla.db_url.startswith("sqlite"):
        return by
    return f"{by}, entered by {database_user(sla.db_url)}"
