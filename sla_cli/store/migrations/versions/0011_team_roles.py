"""Who may do what on a team's ledger, enforced by PostgreSQL; authors set by the database.

On PostgreSQL (an SQLite ledger is one person's file: nothing changes there but the revision):

- four group roles, named after the ledger (``sla_roles.prefix``: the database, and the schema
  when it is not ``public``): ``<ledger>_engineer`` (reads, and writes hours, timers, incidents
  and their events, mail and alerts), ``<ledger>_manager`` (an engineer's rights and every other
  table: contracts, clients, voids of others' entries, month close, documents, payments),
  ``<ledger>_auditor`` (reads only) and ``<ledger>_owner``, which owns the tables (schema
  upgrades) and may grant the other roles;
- every table with an author gains ``entered_by``, which a trigger sets to ``session_user``; the
  same trigger fills in an author left out, and refuses (SQLSTATE 42501) an author other than
  ``session_user`` from anyone but a manager;
- row-level security on ``entries``: an engineer posts work, and reverses only entries by
  themselves; a manager posts anything;
- whoever upgrades the ledger, the tables' owner and every role already granted anything on
  them become ``owner``, so no current user loses a right they had (what was granted to them
  by hand is revoked: ``owner`` holds it).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# Each table with an author, and its author's column
AUTHORS = {
    "clients": "created_by",
    "contracts": "created_by",
    "contract_changes": "by",
    "entries": "by",
    "closed_months": "closed_by",
    "month_seals": "sealed_by",
    "incidents": "created_by",
    "incident_events": "by",
    "timers": "by",
    "timer_ends": "by",
    "client_details": "by",
    "documents": "by",
    "payments": "by",
    "notices": "by",
    "notice_attempts": "by",
    "mail_messages": "by",
    "mail_decisions": "by",
}
# What an engineer may add rows to (a manager may add to every table)
ENGINEER_TABLES = (
    "entries",
    "incidents",
    "incident_events",
    "timers",
    "timer_ends",
    "notices",
    "notice_attempts",
    "mail_messages",
    "mail_decisions",
)
KINDS = ("engineer", "manager", "auditor", "owner")
PREFIX = (
    "current_database() || CASE current_schema() WHEN 'public' THEN '' "
    "ELSE '_' || current_schema() END"
)
MANAGER = f"{PREFIX} || '_manager'"
ENGINEER_CHECK = (
    f"pg_catalog.pg_has_role(session_user, {MANAGER}, 'MEMBER') OR type = 'work' OR "
    "(type = 'reversal' AND EXISTS (SELECT 1 FROM entries o WHERE o.id = entries.reverses "
    'AND o."by" = session_user::text))'
)


def author_body(column: str) -> str:
    return (
        "BEGIN NEW.entered_by := session_user; "
        f'IF NEW."{column}" IS NULL THEN NEW."{column}" := session_user; '
        f'ELSIF NEW."{column}" <> session_user::text AND NOT '
        f"pg_catalog.pg_has_role(session_user, {MANAGER}, 'MEMBER') THEN "
        f"RAISE EXCEPTION 'recording a row by % needs the manager role (%)', NEW.\"{column}\", "
        f"{MANAGER} USING ERRCODE = '42501'; END IF; RETURN NEW; END"
    )


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _prefix(bind: sa.Connection) -> str:
    prefix = str(bind.execute(sa.text(f"SELECT {PREFIX}")).scalar())
    if len(prefix.encode()) > 54:
        raise RuntimeError(
            f"the ledger's name {prefix!r} is too long for its roles' names (at most 54 bytes); "
            "nothing was changed"
        )
    return prefix


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    prefix = _prefix(bind)
    role = {k: _q(f"{prefix}_{k}") for k in KINDS}
    schema = _q(str(bind.execute(sa.text("SELECT current_schema()")).scalar()))
    # the roles already using the ledger: its tables' owner and every grantee on them
    current = bind.execute(
        sa.text(
            "SELECT DISTINCT pg_get_userbyid(c.relowner) FROM pg_class c "
            "WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r' "
            "UNION SELECT DISTINCT pg_get_userbyid(a.grantee) FROM pg_class c, "
            "aclexplode(c.relacl) a WHERE c.relnamespace = current_schema()::regnamespace "
            "AND a.grantee <> 0 UNION SELECT session_user::text"
        )
    ).scalars()
    users = sorted(set(current))
    for kind in KINDS:
        op.execute(
            "DO $$ BEGIN CREATE ROLE " + role[kind] + " NOLOGIN; "
            "EXCEPTION WHEN duplicate_object THEN NULL; END $$"
        )
    op.execute(f"GRANT {role['engineer']} TO {role['manager']}")
    for kind in ("engineer", "manager", "auditor"):
        op.execute(f"GRANT {role[kind]} TO {role['owner']} WITH ADMIN OPTION")
    for user in users:
        op.execute(f"GRANT {role['owner']} TO {_q(user)} WITH ADMIN OPTION")
    # their rights granted by hand are the owner's now: revoked, so that verify finds none
    granted = bind.execute(
        sa.text(
            "SELECT DISTINCT c.oid::regclass::text, pg_get_userbyid(a.grantee) FROM pg_class c, "
            "aclexplode(c.relacl) a WHERE c.relnamespace = current_schema()::regnamespace "
            "AND a.grantee <> 0 AND a.grantee <> c.relowner ORDER BY 1, 2"
        )
    ).fetchall()
    for relation, grantee in granted:
        op.execute(f"REVOKE ALL ON {relation} FROM {_q(grantee)}")

    for table in AUTHORS:
        op.execute(f"ALTER TABLE {table} ADD COLUMN entered_by VARCHAR(100)")
    for column in sorted(set(AUTHORS.values())):
        op.execute(
            f"CREATE FUNCTION sla_author_{column}() RETURNS trigger AS $$ "
            f"{author_body(column)} $$ LANGUAGE plpgsql"
        )
    for table, column in AUTHORS.items():
        op.execute(
            f"CREATE TRIGGER {table}_author BEFORE INSERT ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION sla_author_{column}()"
        )

    op.execute("ALTER TABLE entries ENABLE ROW LEVEL SECURITY")
    op.execute("CREATE POLICY entries_read ON entries FOR SELECT USING (true)")
    op.execute(f"CREATE POLICY entries_add ON entries FOR INSERT WITH CHECK ({ENGINEER_CHECK})")

    tables = [
        str(t)
        for t in bind.execute(
            sa.text(
                # a table's sequences change owner with it
                "SELECT c.relname FROM pg_class c WHERE c.relkind IN ('r', 'v') "
                "AND c.relnamespace = current_schema()::regnamespace ORDER BY c.relname"
            )
        ).scalars()
    ]
    everyone = ", ".join(role[k] for k in KINDS)
    # anyone may see the tables' names (as pg_class shows them anyway), so that a role without
    # a ledger role is refused as such rather than told there is no ledger
    op.execute(f"GRANT USAGE ON SCHEMA {schema} TO {everyone}, PUBLIC")
    op.execute(f"GRANT CREATE ON SCHEMA {schema} TO {role['owner']}")  # later revisions' tables
    op.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {everyone}")
    op.execute(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {schema} TO {role['engineer']}")
    op.execute(f"GRANT SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role['auditor']}")  # dumps
    op.execute(f"GRANT INSERT ON {', '.join(ENGINEER_TABLES)} TO {role['engineer']}")
    others = [t for t in AUTHORS if t not in ENGINEER_TABLES] + ["closings"]
    op.execute(f"GRANT INSERT ON {', '.join(others)} TO {role['manager']}")
    for name in tables:
        op.execute(f"ALTER TABLE {_q(name)} OWNER TO {role['owner']}")
    functions = bind.execute(
        sa.text(
            "SELECT p.oid::regprocedure::text FROM pg_proc p "
            "WHERE p.pronamespace = current_schema()::regnamespace AND p.proname LIKE 'sla\\_%'"
        )
    ).scalars()
    for function in list(functions):
        op.execute(f"ALTER FUNCTION {function} OWNER TO {role['owner']}")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    prefix = _prefix(bind)
    role = {k: _q(f"{prefix}_{k}") for k in KINDS}
    me = _q(str(bind.execute(sa.text("SELECT session_user")).scalar()))
    op.execute(f"REASSIGN OWNED BY {role['owner']} TO {me}")
    schema = str(bind.execute(sa.text("SELECT current_schema()")).scalar())
    if schema != "public":  # public's USAGE for everyone is PostgreSQL's own default
        op.execute(f"REVOKE USAGE ON SCHEMA {_q(schema)} FROM PUBLIC")
    op.execute("DROP POLICY entries_add ON entries")
    op.execute("DROP POLICY entries_read ON entries")
    op.execute("ALTER TABLE entries DISABLE ROW LEVEL SECURITY")
    for table in AUTHORS:
        op.execute(f"DROP TRIGGER {table}_author ON {table}")
    for column in sorted(set(AUTHORS.values())):
        op.execute(f"DROP FUNCTION sla_author_{column}()")
    for table in AUTHORS:
        op.execute(f"ALTER TABLE {table} DROP COLUMN entered_by")
    for kind in KINDS:
        op.execute(f"DROP OWNED BY {role[kind]}")
        op.execute(f"DROP ROLE {role[kind]}")
