"""A team's names for its database roles, and guards no session can shadow.

- ``people`` (both backends; used on PostgreSQL): the name a database role's rows carry as
  their author, given by the ledger's owner; append-only like every
  ledger table; a person's name is their latest row.
- PostgreSQL: the author triggers record that name: a row given no author, or its author's own
  login, is recorded under the session role's name (its login when it has none); a manager
  naming another person's login records that person's name; anyone else naming another author
  is refused, as in 0011. ``entered_by`` stays the login.
- PostgreSQL: row-level security on ``entries`` checks through ``sla_entry_allowed`` (an
  engineer posts work, and reverses only entries by their login or their name), so that
  ``verify`` can read the policy back whole.
- PostgreSQL: every ``sla_`` function runs with ``search_path`` set to the ledger's schema and
  ``pg_temp`` last: a temporary table named like a ledger table (which any role may create)
  no longer stands in for it inside a guard.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

UNCHANGEABLE = "sla ledger rows are never changed or removed: record a change instead"
AUTHOR_COLUMNS = ("by", "closed_by", "created_by", "sealed_by")
KINDS = ("engineer", "manager", "auditor", "owner")
PREFIX = (
    "current_database() || CASE current_schema() WHEN 'public' THEN '' "
    "ELSE '_' || current_schema() END"
)
MANAGER = f"{PREFIX} || '_manager'"
IS_MANAGER = f"pg_catalog.pg_has_role(session_user, {MANAGER}, 'MEMBER')"
NAME = "(SELECT p.name FROM people p WHERE p.login = session_user ORDER BY p.id DESC LIMIT 1)"
ENTRY_ALLOWED = (
    f"BEGIN RETURN {IS_MANAGER} OR entry_type = 'work' OR (entry_type = 'reversal' AND EXISTS "
    '(SELECT 1 FROM entries o WHERE o.id = reversed_id AND o."by" IN (session_user::text, '
    f"{NAME}))); END"
)
OLD_CHECK = (  # 0011's
    f"{IS_MANAGER} OR type = 'work' OR "
    "(type = 'reversal' AND EXISTS (SELECT 1 FROM entries o WHERE o.id = entries.reverses "
    'AND o."by" = session_user::text))'
)


def author_body(column: str) -> str:
    return (
        "DECLARE me text := coalesce(" + NAME + ", session_user); "
        "BEGIN NEW.entered_by := session_user; "
        f'IF NEW."{column}" IS NULL OR NEW."{column}" IN (session_user::text, me) THEN '
        f'NEW."{column}" := me; '
        f"ELSIF NOT {IS_MANAGER} THEN "
        f"RAISE EXCEPTION 'recording a row by % needs the manager role (%)', NEW.\"{column}\", "
        f"{MANAGER} USING ERRCODE = '42501'; "
        f'ELSE NEW."{column}" := coalesce((SELECT p.name FROM people p WHERE p.login = '
        f'NEW."{column}" ORDER BY p.id DESC LIMIT 1), NEW."{column}"); '
        "END IF; RETURN NEW; END"
    )


def old_author_body(column: str) -> str:  # 0011's
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


def _functions(bind: sa.Connection) -> list[str]:
    return [
        str(f)
        for f in bind.execute(
            sa.text(
                "SELECT p.oid::regprocedure::text FROM pg_proc p WHERE p.pronamespace = "
                "current_schema()::regnamespace AND p.proname LIKE 'sla\\_%' ORDER BY 1"
            )
        ).scalars()
    ]


def upgrade() -> None:
    op.create_table(
        "people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("login", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_people_login", "people", ["login"])
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER people_no_{action.lower()} BEFORE {action} ON people "
                f"BEGIN SELECT RAISE(ABORT, '{UNCHANGEABLE}'); END"
            )
        return
    op.execute(
        "CREATE TRIGGER people_append_only BEFORE UPDATE OR DELETE ON people "
        "FOR EACH ROW EXECUTE FUNCTION sla_unchangeable()"
    )
    op.execute(
        "CREATE TRIGGER people_no_truncate BEFORE TRUNCATE ON people "
        "FOR EACH STATEMENT EXECUTE FUNCTION sla_unchangeable()"
    )
    prefix = str(bind.execute(sa.text(f"SELECT {PREFIX}")).scalar())
    role = {k: _q(f"{prefix}_{k}") for k in KINDS}
    schema = str(bind.execute(sa.text("SELECT quote_ident(current_schema())")).scalar())
    for column in AUTHOR_COLUMNS:
        op.execute(
            f"CREATE OR REPLACE FUNCTION sla_author_{column}() RETURNS trigger AS $$ "
            f"{author_body(column)} $$ LANGUAGE plpgsql"
        )
    op.execute(
        "CREATE FUNCTION sla_entry_allowed(entry_type varchar, reversed_id integer) "
        f"RETURNS boolean AS $$ {ENTRY_ALLOWED} $$ LANGUAGE plpgsql STABLE"
    )
    op.execute("DROP POLICY entries_add ON entries")
    op.execute(
        "CREATE POLICY entries_add ON entries FOR INSERT "
        "WITH CHECK (sla_entry_allowed(type, reverses))"
    )
    for function in _functions(bind):
        op.execute(f"ALTER FUNCTION {function} SET search_path = {schema}, pg_temp")
        op.execute(f"ALTER FUNCTION {function} OWNER TO {role['owner']}")
    op.execute("ALTER TABLE people OWNER TO " + role["owner"])
    # read by every author trigger, whoever inserts (a role granted INSERT by hand too, which
    # verify then names): PUBLIC, as the names show in every listing anyway
    op.execute(f"GRANT SELECT ON people TO {', '.join(role.values())}, PUBLIC")
    op.execute(f"GRANT USAGE ON SEQUENCE people_id_seq TO {role['engineer']}")
    op.execute(f"GRANT SELECT ON SEQUENCE people_id_seq TO {role['auditor']}")


def downgrade() -> None:
    """People's names go; rows recorded under them keep them as their authors."""
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for function in _functions(bind):
            op.execute(f"ALTER FUNCTION {function} RESET search_path")
        op.execute("DROP POLICY entries_add ON entries")
        op.execute(f"CREATE POLICY entries_add ON entries FOR INSERT WITH CHECK ({OLD_CHECK})")
        op.execute("DROP FUNCTION sla_entry_allowed(varchar, integer)")
        for column in AUTHOR_COLUMNS:
            op.execute(
                f"CREATE OR REPLACE FUNCTION sla_author_{column}() RETURNS trigger AS $$ "
                f"{old_author_body(column)} $$ LANGUAGE plpgsql"
            )
        op.execute("DROP TRIGGER people_no_truncate ON people")
        op.execute("DROP TRIGGER people_append_only ON people")
    else:
        for action in ("update", "delete"):
            op.execute(f"DROP TRIGGER people_no_{action}")
    op.drop_index("ix_people_login", table_name="people")
    op.drop_table("people")
