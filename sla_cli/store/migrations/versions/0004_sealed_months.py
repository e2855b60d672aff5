"""Sealed months: every ledger table append-only, entries kept out of closed months, digests;
incidents that wait for the client, and priorities.

``clients``, ``contracts`` and ``incidents`` refuse UPDATE and DELETE, as the other tables
already do (their changes are rows of ``contract_changes`` and ``incident_events``); on
PostgreSQL every ledger table also refuses TRUNCATE. ``entries_open_month`` refuses an entry
dated in a closed month. ``closed_months.digest`` holds the SHA-256 of the month's entries and
terms, recorded by each close from now on (earlier closes keep none). ``incident_events.kind``
takes ``wait``, ``resume`` and ``priority`` too, the last with the new priority in ``value``
(SQLite rebuilds the table for it, and its triggers with it); ``incidents.priority`` holds the
priority an incident opened with and ``contracts.priorities`` the priorities signed with (JSON).

The names are copied here as literals: a migration says what the schema was at its revision.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from __future__ import annotations

from typing import Literal

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

NEWLY_APPEND_ONLY = ("clients", "contracts", "incidents", "timers", "timer_ends")
LEDGER_TABLES = (
    "clients", "contracts", "contract_changes", "entries", "closed_months", "closings",
    "incidents", "incident_events", "timers", "timer_ends",
)  # fmt: skip
TIMER_END_CHECK = (
    "(outcome = 'logged' AND entry_id IS NOT NULL) OR (outcome = 'discarded' AND entry_id IS NULL)"
)
UNCHANGEABLE = "sla ledger rows are never changed or removed: record a change instead"
CLOSED = "the month of this entry is closed: date the adjustment in an open month"
APPEND_ONLY = "the ledger is append-only: post a reversing entry instead"  # revision 0003's
EVENT_KINDS = (
    "ack", "start", "resolve", "undo", "cancel", "reopen", "wait", "resume", "priority",
)  # fmt: skip
VALUE_CHECK = "(kind = 'priority' AND value IS NOT NULL) OR (kind <> 'priority' AND value IS NULL)"
OLD_EVENT_KINDS = ("ack", "start", "resolve", "undo", "cancel", "reopen")


def _kinds(kinds: tuple[str, ...]) -> str:
    return f"kind IN ({', '.join(repr(k) for k in kinds)})"


def _event_kinds(kinds: tuple[str, ...]) -> None:
    """The CHECK on ``incident_events.kind``, and its ``value`` (a new priority) with the new
    kinds only; a rebuilt SQLite table gets its triggers again."""
    sqlite = op.get_bind().dialect.name == "sqlite"
    recreate: Literal["always", "never"] = "always" if sqlite else "never"
    with op.batch_alter_table("incident_events", recreate=recreate) as batch:
        batch.drop_constraint("ck_incident_events_kind", type_="check")
        batch.create_check_constraint("ck_incident_events_kind", _kinds(kinds))
        if kinds == EVENT_KINDS:
            batch.add_column(sa.Column("value", sa.String(length=32), nullable=True))
            batch.create_check_constraint("ck_incident_events_value", VALUE_CHECK)
        else:
            batch.drop_constraint("ck_incident_events_value", type_="check")
            batch.drop_column("value")
    if sqlite:
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER incident_events_no_{action.lower()} BEFORE {action} "
                f"ON incident_events BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END"
            )


def upgrade() -> None:
    op.add_column("closed_months", sa.Column("digest", sa.String(length=64), nullable=True))
    op.add_column("contracts", sa.Column("priorities", sa.String(length=4000), nullable=True))
    op.add_column("incidents", sa.Column("priority", sa.String(length=32), nullable=True))
    op.add_column("entries", sa.Column("source", sa.String(length=64), nullable=True))
    op.add_column("entries", sa.Column("source_line", sa.Integer(), nullable=True))
    op.create_index("ix_entries_source", "entries", ["source"])
    _event_kinds(EVENT_KINDS)
    _timers()
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_guards()
    else:
        _sqlite_guards()


def _timers() -> None:
    """Timers: a row when one starts, a row when it ends (logged or discarded), never updated."""
    op.create_table(
        "timers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("ticket", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("note", sa.String(length=1000), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_timers_by", "timers", ["by"])
    op.create_index("ix_timers_client_ticket", "timers", ["client_id", "ticket"])
    op.create_table(
        "timer_ends",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("timer_id", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=True),
        sa.Column("by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(TIMER_END_CHECK, name="ck_timer_ends_outcome"),
        sa.ForeignKeyConstraint(["timer_id"], ["timers.id"]),
        sa.ForeignKeyConstraint(["entry_id"], ["entries.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("timer_id"),
    )


def _sqlite_guards() -> None:
    for table in NEWLY_APPEND_ONLY:
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{UNCHANGEABLE}'); END"
            )
    op.execute(
        "CREATE TRIGGER entries_open_month BEFORE INSERT ON entries WHEN EXISTS "
        '(SELECT 1 FROM closed_months WHERE month = substr(NEW."on", 1, 7)) '
        f"BEGIN SELECT RAISE(ABORT, '{CLOSED}'); END"
    )


def _postgresql_guards() -> None:
    op.execute(
        "CREATE FUNCTION sla_unchangeable() RETURNS trigger AS $$ "
        f"BEGIN RAISE EXCEPTION '{UNCHANGEABLE}'; END $$ LANGUAGE plpgsql"
    )
    op.execute(
        "CREATE FUNCTION sla_open_month() RETURNS trigger AS $$ BEGIN "
        "IF EXISTS (SELECT 1 FROM closed_months WHERE month = to_char(NEW.\"on\", 'YYYY-MM')) "
        f"THEN RAISE EXCEPTION '{CLOSED}'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql"
    )
    for table in NEWLY_APPEND_ONLY:
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION sla_unchangeable()"
        )
    for table in LEDGER_TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION sla_unchangeable()"
        )
    op.execute(
        "CREATE TRIGGER entries_open_month BEFORE INSERT ON entries "
        "FOR EACH ROW EXECUTE FUNCTION sla_open_month()"
    )


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    op.execute("DROP TRIGGER entries_open_month" + (" ON entries" if postgresql else ""))
    if postgresql:
        for table in LEDGER_TABLES:
            op.execute(f"DROP TRIGGER {table}_no_truncate ON {table}")
        for table in NEWLY_APPEND_ONLY:
            op.execute(f"DROP TRIGGER {table}_append_only ON {table}")
        op.execute("DROP FUNCTION sla_open_month()")
        op.execute("DROP FUNCTION sla_unchangeable()")
    else:
        for table in NEWLY_APPEND_ONLY:
            for action in ("update", "delete"):
                op.execute(f"DROP TRIGGER {table}_no_{action}")
    op.drop_table("timer_ends")
    op.drop_table("timers")
    op.drop_column("closed_months", "digest")
    op.drop_column("incidents", "priority")
    op.drop_index("ix_entries_source", "entries")
    op.drop_column("entries", "source_line")
    op.drop_column("entries", "source")
    op.drop_column("contracts", "priorities")
    _event_kinds(OLD_EVENT_KINDS)  # fails while waits are recorded: they have no place in 0003
