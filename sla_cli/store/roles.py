"""Who may do what on a team's PostgreSQL ledger: its four group roles (revision 0011), the
people granted them, and what ``verify`` finds that the roles do not account for.

The database enforces the roles (GRANTs, row-level security on ``entries``, the author
triggers of ``store.guards``); this module names them, grants and revokes them, and reads
them back. An SQLite ledger has no roles: it is one person's file. Nothing here imports a
database library.
"""

from __future__ import annotations

import re
from typing import Literal, NamedTuple

from sla_cli.errors import InputError, NotFound, PermissionRefused
from sla_cli.store.base import Part
from sla_cli.store.guards import AUTHORS, NAME, NAME_OF, PREFIX

Kind = Literal["engineer", "manager", "auditor", "owner"]
KINDS: tuple[Kind, ...] = ("engineer", "manager", "auditor", "owner")

# What each role may add rows to (revision 0011); every role reads every table. A manager is
# also an engineer, an owner also a manager and an auditor, and owns the tables.
ENGINEER_TABLES = frozenset(
    {
        "entries",
        "incidents",
        "incident_events",
        "timers",
        "timer_ends",
        "notices",
        "notice_attempts",
        "mail_messages",
        "mail_decisions",
    }
)
MANAGER_TABLES = frozenset(AUTHORS) - ENGINEER_TABLES | {"closings"}
# What a ledger may hide from its engineers (its owner decides): the money columns of the tables
# an engineer's own commands read (rates), and the documents' tables (documents). A revision that
# adds a column to one of these tables grants its SELECT to the engineer role where it has none
# of the table (rates hidden)
RATES: dict[str, frozenset[str]] = {
    "contracts": frozenset({"price_kopecks", "hour_rate_kopecks"}),
    "entries": frozenset({"amount_kopecks"}),
    "closings": frozenset({"overage_kopecks", "amount_due_kopecks"}),
}
DOCUMENTS = ("documents", "payments", "client_details")
Hidden = Literal["rates", "documents"]
HIDDEN: tuple[Hidden, ...] = ("rates", "documents")
MAY_DO: dict[Kind, str] = {
    "engineer": "log hours, timers, incidents and their events, mail intake, alerts; read all",
    "manager": "what an engineer may, and contracts, clients, voids of others' entries, "
    "month close, documents, payments",
    "auditor": "read everything: listings, reports, verify, backup",
    "owner": "everything, schema upgrades, and granting roles",
}


class Member(NamedTuple):
    """A database role granted one of the ledger's roles, and the name its rows carry."""

    name: str
    role: Kind
    author: str  # its name in the ledger (``people``), else the login itself


class AuthorProblem(NamedTuple):
    """Rows of ``table`` entered by a database role that holds none of the ledger's roles."""

    table: str
    author: str
    rows: int


class ExtraGrant(NamedTuple):
    """A privilege on a table that the ledger's roles do not give (a GRANT added by hand)."""

    role: str
    privilege: str
    table: str


_TABLE = re.compile(r'(?:table|relation|sequence) "?([\w.]+)"?')


def needed_role(reason: str) -> Kind:
    """The role a refusal of the database (SQLSTATE 42501) asks for, from its words."""
    text = reason.lower()
    for kind in KINDS:
        if f"needs the {kind} role" in text:
            return kind
    if "row-level security" in text:
        return "manager"  # an engineer posts work and reverses their own entries only
    if any(w in text for w in ("must be owner", "admin option", "grant role", "create role")):
        return "owner"  # creating the ledger's roles also needs CREATEROLE (see A team ledger)
    found = _TABLE.search(text)
    table = found.group(1).rsplit(".", 1)[-1] if found else ""
    if table == "alembic_version":  # what every command reads first: any role reads it
        return "auditor"
    if table in ENGINEER_TABLES:
        return "engineer"
    if "sequence" in text:
        return "engineer"
    return "manager"


_MEMBERS = f"""
SELECT m.rolname AS name, g.rolname AS role,
  coalesce({NAME_OF.format(login="m.rolname")}, m.rolname) AS author
FROM pg_auth_members a JOIN pg_roles g ON g.oid = a.roleid JOIN pg_roles m ON m.oid = a.member
WHERE g.rolname IN (:groups) AND m.rolname NOT IN (:groups) ORDER BY m.rolname, g.rolname
"""
_GRANTS = """
SELECT c.relname AS "table", c.relkind AS kind, c.relowner = a.grantee AS own,
  CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END AS role,
  a.privilege_type AS privilege
FROM pg_class c, aclexplode(c.relacl) a
WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'v', 'S')
ORDER BY 4, 1, 5
"""

_COLUMN_GRANTS = """
SELECT c.relname AS "table", t.attname AS "column",
  CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END AS role,
  a.privilege_type AS privilege
FROM pg_class c JOIN pg_attribute t ON t.attrelid = c.oid, aclexplode(t.attacl) a
WHERE c.relnamespace = current_schema()::regnamespace AND t.attnum > 0 AND t.attacl IS NOT NULL
  AND a.grantee <> c.relowner
ORDER BY 3, 1, 2, 4
"""


def expected_grants(prefix: str, table: str, kind: str) -> set[tuple[str, str]]:
    """The (role, privilege) pairs the ledger's roles hold on ``table`` (of ``pg_class``
    kind ``kind``: r a table, v a view, S a sequence)."""
    name = {k: f"{prefix}_{k}" for k in KINDS}
    if kind == "S":  # an auditor's pg_dump reads where each sequence stands
        return {(name["engineer"], "USAGE"), (name["auditor"], "SELECT")}
    out = {(name[k], "SELECT") for k in KINDS}
    if table == "people":  # every author trigger reads it, whoever inserts (revision 0012)
        out.add(("PUBLIC", "SELECT"))
    if table in ENGINEER_TABLES:
        out.add((name["engineer"], "INSERT"))
    if table in MANAGER_TABLES:
        out.add((name["manager"], "INSERT"))
    return out


class Roles(Part):
    """The ledger's roles on PostgreSQL (none on SQLite)."""

    def _postgresql(self) -> None:
        if self.db.dialect != "postgresql":
            raise InputError(
                "an SQLite ledger has no roles: it is one person's file (a team shares a "
                "PostgreSQL ledger, whose roles the database enforces)"
            )

    def role_prefix(self) -> str:
        return str(self.db.value(f"SELECT {PREFIX}"))

    def role_name(self, kind: Kind) -> str:
        """The database's name of the ledger's role ``kind``."""
        return f"{self.role_prefix()}_{kind}"

    def session_role(self) -> str:
        """The database role the command runs as (the author of what it writes)."""
        return str(self.db.value("SELECT session_user"))

    def holds(self, kind: Kind) -> bool:
        """Whether the session's role holds the ledger's role ``kind`` (a superuser holds
        every one)."""
        return bool(
            self.db.value(
                "SELECT pg_has_role(session_user, :r, 'MEMBER')", {"r": self.role_name(kind)}
            )
        )

    def require(self, kind: Kind, what: str) -> None:
        """Refuse (exit 77) unless the session's role holds ``kind``."""
        self._postgresql()
        if not self.holds(kind):
            raise PermissionRefused(self.db.where, kind, f"{what}, as {self.session_role()}")

    def members(self) -> list[Member]:
        """Who holds which of the ledger's roles (granted directly); none on SQLite."""
        if self.db.dialect != "postgresql":
            return []
        self.require("owner", "listing the roles")
        groups = {self.role_name(k): k for k in KINDS}
        rows = self.db.rows(_MEMBERS, {"groups": list(groups)})
        return [Member(r.name, groups[r.role], r.author) for r in rows]

    def author_name(self) -> str:
        """The name the session role's rows are recorded under: its name in the ledger, else
        its login (what the author triggers write when a command names no one else)."""
        return str(self.db.value(f"SELECT coalesce({NAME}, session_user)"))

    def name_person(self, login: str, name: str) -> bool:
        """Record ``name`` as what the rows of the database role ``login`` carry as their
        author; False when it was already. Refused for a name another login or person has,
        so that no one's rows can pass for someone else's."""
        self.require("owner", "naming people")
        login = self._existing(login)
        now = self.db.value(NAME_OF.format(login=":login"), {"login": login})
        if now == name:
            return False
        taken = self.db.value(
            "SELECT r.rolname FROM pg_roles r WHERE r.rolname = :name AND r.rolname <> :login "
            "UNION ALL SELECT l.login FROM (SELECT DISTINCT p.login FROM people p) l "
            f"WHERE l.login <> :login AND {NAME_OF.format(login='l.login')} = :name LIMIT 1",
            {"name": name, "login": login},
        )
        if taken is not None:
            whose = "a database role's login" if taken == name else f"the name of {taken}"
            raise InputError(f"{name!r} is {whose}: give {login} a name of their own")
        self.db.insert(
            "people",
            {"login": login, "name": name, "by": self.author_name(), "created_at": self.db.clock()},
        )
        return True

    def _existing(self, name: str) -> str:
        found = self.db.value("SELECT rolname FROM pg_roles WHERE rolname = :n", {"n": name})
        if found is None:
            raise NotFound(
                f"no database role {name!r}: create it first (CREATE ROLE {name} LOGIN, "
                "as a role that may create roles)"
            )
        if found in {self.role_name(k) for k in KINDS}:
            raise InputError(f"{name} is one of the ledger's own roles; name a person's role")
        return str(found)

    def grant(self, name: str, kind: Kind) -> bool:
        """Grant ``kind`` to the database role ``name``; False when it held it already."""
        self.require("owner", f"granting {kind}")
        name = self._existing(name)
        if self._direct(name, kind):
            return False
        admin = " WITH ADMIN OPTION" if kind == "owner" else ""
        self.db.run(f"GRANT {_q(self.role_name(kind))} TO {_q(name)}{admin}")
        return True

    def revoke(self, name: str, kind: Kind) -> bool:
        """Revoke ``kind`` from ``name``; False when it did not hold it."""
        self.require("owner", f"revoking {kind}")
        name = self._existing(name)
        if not self._direct(name, kind):
            return False
        self.db.run(f"REVOKE {_q(self.role_name(kind))} FROM {_q(name)}")
        return True

    def _direct(self, name: str, kind: Kind) -> bool:
        return bool(
            self.db.value(
                "SELECT count(*) FROM pg_auth_members a JOIN pg_roles g ON g.oid = a.roleid "
                "JOIN pg_roles m ON m.oid = a.member WHERE g.rolname = :g AND m.rolname = :m",
                {"g": self.role_name(kind), "m": name},
            )
        )

    # -- what the ledger hides from its engineers ---------------------------------------

    def hidden(self) -> list[Hidden]:
        """What the ledger hides from its engineers (by what its engineer role may read);
        nothing on SQLite."""
        if self.db.dialect != "postgresql":
            return []
        engineer = self.role_name("engineer")
        sample = {"rates": "contracts", "documents": DOCUMENTS[0]}
        return [
            what
            for what in HIDDEN
            if not self.db.value(
                "SELECT has_table_privilege(:r, :t, 'SELECT')", {"r": engineer, "t": sample[what]}
            )
        ]

    def hide(self, what: Hidden, hide: bool) -> bool:
        """Hide ``what`` from the ledger's engineers (``hide``), or show it again; False when
        it was already so. Rates: the money columns of ``RATES`` (every other column stays
        readable); documents: the tables of ``DOCUMENTS``. Managers and auditors read both."""
        self.require("owner", f"{'hiding' if hide else 'showing'} {what}")
        if (what in self.hidden()) == hide:
            return False
        engineer = _q(self.role_name("engineer"))
        if what == "documents":
            verb = "REVOKE SELECT ON {} FROM {}" if hide else "GRANT SELECT ON {} TO {}"
            self.db.run(verb.format(", ".join(DOCUMENTS), engineer))
            return True
        for table, money in sorted(RATES.items()):
            rest = ", ".join(_q(c) for c in self.db.columns(table) if c not in money)
            if hide:
                self.db.run(f"REVOKE SELECT ON {table} FROM {engineer}")
                self.db.run(f"GRANT SELECT ({rest}) ON {table} TO {engineer}")
            else:
                self.db.run(f"GRANT SELECT ON {table} TO {engineer}")
                self.db.run(f"REVOKE SELECT ({rest}) ON {table} FROM {engineer}")
        return True

    def require_rates(self, what: str) -> None:
        """Refuse (exit 77) ``what``, which shows money, to a session the ledger hides rates
        from (an engineer's), rather than show its rates as zero."""
        if self.db.dialect == "postgresql" and not self.db.value(
            "SELECT has_column_privilege('contracts', 'price_kopecks', 'SELECT')"
        ):
            raise PermissionRefused(
                self.db.where, "manager", f"{what}: the ledger hides rates from engineers"
            )

    # -- what verify reports --------------------------------------------------------------

    def author_problems(self) -> list[AuthorProblem]:
        """Rows entered (``entered_by``) by a role that is gone or holds none of the ledger's
        roles (none on SQLite, where the column does not exist)."""
        if self.db.dialect != "postgresql":
            return []
        known = self._known()
        out: list[AuthorProblem] = []
        for table in AUTHORS:
            rows = self.db.rows(
                f"SELECT entered_by AS author, count(*) AS n FROM {table} "
                "WHERE entered_by IS NOT NULL GROUP BY entered_by ORDER BY entered_by"
            )
            out.extend(
                AuthorProblem(table, r.author, int(r.n)) for r in rows if r.author not in known
            )
        return out

    def _known(self) -> set[str]:
        """The roles that hold one of the ledger's roles, and the superusers."""
        names = {f"g{i}": self.role_name(k) for i, k in enumerate(KINDS)}
        held = " OR ".join(f"pg_has_role(r.oid, :{n}, 'MEMBER')" for n in names)
        return set(
            self.db.column(f"SELECT r.rolname FROM pg_roles r WHERE r.rolsuper OR {held}", names)
        )

    def extra_grants(self) -> list[ExtraGrant]:
        """Privileges on the ledger's tables, views and sequences that its roles do not give:
        to another role directly, to PUBLIC, or to a ledger role beyond its own."""
        if self.db.dialect != "postgresql":
            return []
        prefix = self.role_prefix()
        out = []
        for r in self.db.rows(_GRANTS):
            if r.own:
                continue
            if (r.role, r.privilege) not in expected_grants(prefix, r.table, r.kind):
                out.append(ExtraGrant(r.role, r.privilege, r.table))
        # column privileges: only the engineer role's SELECT of what hiding rates leaves it
        engineer = f"{prefix}_engineer"
        for r in self.db.rows(_COLUMN_GRANTS):
            left = r.role == engineer and r.privilege == "SELECT" and r.table in RATES
            if not left or r.column in RATES[r.table]:
                out.append(ExtraGrant(r.role, r.privilege, f"{r.table}.{r.column}"))
        return out


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def kind_of(text: str) -> Kind:
    """A role's kind as typed (``Manager``, ``owner``)."""
    for kind in KINDS:
        if kind == _typed(text):
            return kind
    raise InputError(f"no role {text!r}: the roles are {', '.join(KINDS)}")


def hidden_of(text: str) -> Hidden:
    """What may be hidden from engineers, as typed (``Rates``, ``documents``)."""
    for what in HIDDEN:
        if what == _typed(text):
            return what
    raise InputError(f"no {text!r} to hide: engineers may be kept from {' or '.join(HIDDEN)}")


def _typed(text: str) -> str:
    return text.strip().lower()
