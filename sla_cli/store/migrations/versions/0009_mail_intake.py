"""Mail intake: every message read, once, and what became of those that waited for a decision.

``mail_messages`` holds one row per message read (``key``, unique: its Message-ID, or a digest
of its headers), written in the transaction that acts on it, so a message read twice (from two
mailboxes, by two runs at once) acts once. It keeps what the incident needs to show of it (id,
sender, subject, when the client wrote) and never the body: the outcome (``opened``, ``reply``,
``resumed``, ``reopened``, ``pending``, ``ignored``, ``set_aside``), its reason, the client and
the incident. ``mail_decisions`` holds the decision on a pending message (once each): the
client it was assigned to and the incident that opened, or none (dismissed). Both refuse
UPDATE and DELETE (and TRUNCATE on PostgreSQL), as every ledger table does.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

NEW_TABLES = ("mail_messages", "mail_decisions")
UNCHANGEABLE = "sla ledger rows are never changed or removed: record a change instead"


def upgrade() -> None:
    op.create_table(
        "mail_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("message_id", sa.String(length=300), nullable=True),
        sa.Column("sender", sa.String(length=320), nullable=True),
        sa.Column("subject", sa.String(length=500), nullable=True),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("incident_id", sa.Integer(), nullable=True),
        sa.Column("by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"]),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key", name="uq_mail_messages_key"),
    )
    op.create_index("ix_mail_messages_incident", "mail_messages", ["incident_id"])
    op.create_table(
        "mail_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("incident_id", sa.Integer(), nullable=True),
        sa.Column("by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["message_id"], ["mail_messages.id"]),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"]),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("message_id", name="uq_mail_decisions_message"),
    )
    if op.get_bind().dialect.name == "postgresql":
        for table in NEW_TABLES:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION sla_unchangeable()"
            )
            op.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION sla_unchangeable()"
            )
    else:
        for table in NEW_TABLES:
            for action in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{UNCHANGEABLE}'); END"
                )


def downgrade() -> None:
    """Refused while any message is recorded: which were read would be lost (and act again)."""
    bind = op.get_bind()
    if bind.execute(sa.text("SELECT count(*) FROM mail_messages")).scalar():
        raise RuntimeError(
            "the ledger holds mail read, which revision 0008 cannot keep; nothing was changed"
        )
    postgresql = bind.dialect.name == "postgresql"
    for table in reversed(NEW_TABLES):
        if postgresql:
            op.execute(f"DROP TRIGGER {table}_no_truncate ON {table}")
            op.execute(f"DROP TRIGGER {table}_append_only ON {table}")
        else:
            for action in ("update", "delete"):
                op.execute(f"DROP TRIGGER {table}_no_{action}")
    op.drop_index("ix_mail_messages_incident", table_name="mail_messages")
    for table in reversed(NEW_TABLES):
        op.drop_table(table)
