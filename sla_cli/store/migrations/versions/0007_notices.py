"""Notices: what the alerts decided to send, and each attempt to deliver it.

``notices`` holds one row per subject, level and route (``uq_notices_key_route``), written in
the transaction that decides it, so no level is decided twice. ``notice_attempts`` holds a row
when a delivery begins (once per attempt number, ``uq_notice_attempts``) and a row that ends it
(``ended``, once) with its outcome. Both refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL),
as every ledger table does.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

NEW_TABLES = ("notices", "notice_attempts")
UNCHANGEABLE = "sla ledger rows are never changed or removed: record a change instead"


def upgrade() -> None:
    op.create_table(
        "notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("route", sa.String(length=64), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key", "route", name="uq_notices_key_route"),
    )
    op.create_table(
        "notice_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("ended", sa.Integer(), nullable=True),
        sa.Column("ok", sa.Boolean(), nullable=True),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.Column("by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["notice_id"], ["notices.id"]),
        sa.ForeignKeyConstraint(["ended"], ["notice_attempts.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("notice_id", "attempt", name="uq_notice_attempts"),
        sa.UniqueConstraint("ended"),
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
    """Refused while any notice is recorded: which were sent would be lost (and sent again)."""
    bind = op.get_bind()
    if bind.execute(sa.text("SELECT count(*) FROM notices")).scalar():
        raise RuntimeError(
            "the ledger holds notices sent, which revision 0006 cannot keep; nothing was changed"
        )
    postgresql = bind.dialect.name == "postgresql"
    for table in reversed(NEW_TABLES):
        if postgresql:
            op.execute(f"DROP TRIGGER {table}_no_truncate ON {table}")
            op.execute(f"DROP TRIGGER {table}_append_only ON {table}")
        else:
            for action in ("update", "delete"):
                op.execute(f"DROP TRIGGER {table}_no_{action}")
        op.drop_table(table)
