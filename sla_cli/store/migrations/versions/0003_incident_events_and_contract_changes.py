"""Corrections as rows: an incident's events and a contract's changes are append-only logs.

``incident_events`` holds every acknowledgement, start of work, resolution, cancellation,
reopening and undo; the events of older ledgers are copied from ``incidents.reacted_at``,
``started_at`` and ``resolved_at`` (kept, no longer written; the downgrade writes the state the
events add up to back into them). ``contract_changes`` holds a contract's end moved and its
cancellation; ``contracts.end`` stays the end as signed. Both tables refuse UPDATE and DELETE
(triggers, as ``entries``).

The value lists are copied here as literals: a migration says what the schema was at its
revision and must not change when the code does. New tables need no SQLite batch rebuild.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

EVENT_KINDS = ("ack", "start", "resolve", "undo", "cancel", "reopen")
CHANGE_KINDS = ("end", "cancel")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


EVENT_CHECKS = {
    "ck_incident_events_kind": _one_of("kind", EVENT_KINDS),
    "ck_incident_events_undoes": (
        "(kind = 'undo' AND undoes IS NOT NULL) OR (kind <> 'undo' AND undoes IS NULL)"
    ),
}
CHANGE_CHECKS = {
    "ck_contract_changes_kind": _one_of("kind", CHANGE_KINDS),
    "ck_contract_changes_end": (
        "(kind = 'end' AND \"end\" IS NOT NULL) OR (kind <> 'end' AND \"end\" IS NULL)"
    ),
}
APPEND_ONLY = ("incident_events", "contract_changes")
MESSAGE = "the ledger is append-only: post a reversing entry instead"
# incidents' columns, in the order their events are copied (a resolution last)
COPIED = (("reacted_at", "ack"), ("started_at", "start"), ("resolved_at", "resolve"))


def upgrade() -> None:
    op.create_table(
        "incident_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("undoes", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(length=1000), nullable=True),
        sa.Column("by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"]),
        sa.ForeignKeyConstraint(["undoes"], ["incident_events.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("undoes"),
        *(sa.CheckConstraint(sql, name=name) for name, sql in EVENT_CHECKS.items()),
    )
    op.create_index("ix_incident_events_incident_kind", "incident_events", ["incident_id", "kind"])
    op.create_table(
        "contract_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("end", sa.Date(), nullable=True),
        sa.Column("note", sa.String(length=1000), nullable=True),
        sa.Column("by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["contract_id"], ["contracts.id"]),
        sa.PrimaryKeyConstraint("id"),
        *(sa.CheckConstraint(sql, name=name) for name, sql in CHANGE_CHECKS.items()),
    )
    op.create_index(
        "ix_contract_changes_contract_kind", "contract_changes", ["contract_id", "kind"]
    )
    _copy_events()
    _append_only_triggers()


def _copy_events() -> None:
    """Each recorded moment becomes an event, by whoever opened the incident, recorded when it
    happened (the ledger kept no more)."""
    for column, kind in COPIED:
        op.execute(
            "INSERT INTO incident_events (incident_id, kind, at, by, created_at) "
            f"SELECT id, '{kind}', {column}, created_by, {column} FROM incidents "
            f"WHERE {column} IS NOT NULL ORDER BY id"
        )


def _append_only_triggers() -> None:
    dialect = op.get_bind().dialect.name
    for table in APPEND_ONLY:
        if dialect == "sqlite":
            for action in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
                )
        elif dialect == "postgresql":  # sla_append_only() is revision 0001's
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION sla_append_only()"
            )


def _live(kind: str) -> str:
    """When the incident's first ack or start that no undo reversed happened, or its latest
    resolution neither undone nor followed by a reopening."""
    return (
        f"SELECT e.at FROM incident_events e WHERE e.incident_id = incidents.id "
        f"AND e.kind = '{kind}' AND NOT EXISTS "
        "(SELECT 1 FROM incident_events u WHERE u.undoes = e.id) "
        + (
            "AND NOT EXISTS (SELECT 1 FROM incident_events o WHERE o.incident_id = e.incident_id "
            "AND o.kind = 'reopen' AND o.id > e.id "
            "AND NOT EXISTS (SELECT 1 FROM incident_events v WHERE v.undoes = o.id)) "
            if kind == "resolve"
            else ""
        )
        + f"ORDER BY e.id {'DESC' if kind == 'resolve' else 'ASC'} LIMIT 1"
    )


def downgrade() -> None:
    """The incidents' columns get the times the events add up to (a cancellation is lost)."""
    op.execute(
        "UPDATE incidents SET "
        + ", ".join(f"{column} = ({_live(kind)})" for column, kind in COPIED)
    )
    op.drop_table("contract_changes")
    op.drop_table("incident_events")
