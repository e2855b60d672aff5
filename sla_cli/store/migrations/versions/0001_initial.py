"""The first schema: clients, contracts, the append-only ledger, closed months, incidents.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

APPEND_ONLY = ("entries", "closed_months", "closings")
MESSAGE = "the ledger is append-only: post a reversing entry instead"


def upgrade() -> None:
    op.create_table(
        "clients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    op.create_table(
        "closed_months",
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_by", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("month"),
    )
    op.create_table(
        "contracts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("variant", sa.Integer(), nullable=False),
        sa.Column("billing", sa.String(length=16), nullable=False),
        sa.Column("burns", sa.Boolean(), nullable=False),
        sa.Column("tier_key", sa.String(length=32), nullable=False),
        sa.Column("tier_name", sa.String(length=100), nullable=False),
        sa.Column("included_minutes", sa.Integer(), nullable=True),
        sa.Column("price_kopecks", sa.Integer(), nullable=False),
        sa.Column("prepay_discount_bp", sa.Integer(), nullable=False),
        sa.Column("hour_rate_kopecks", sa.Integer(), nullable=False),
        sa.Column("hour_discount_bp", sa.Integer(), nullable=False),
        sa.Column("dev_cap_minutes", sa.Integer(), nullable=True),
        sa.Column("reaction_minutes", sa.Integer(), nullable=False),
        sa.Column("start_minutes", sa.Integer(), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=True),
        sa.Column("months", sa.Integer(), nullable=True),
        sa.Column("prepaid_months", sa.Integer(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_contracts_client_start", "contracts", ["client_id", "start"], unique=False)
    op.create_table(
        "closings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("burned_minutes", sa.Integer(), nullable=False),
        sa.Column("overage_minutes", sa.Integer(), nullable=False),
        sa.Column("overage_kopecks", sa.Integer(), nullable=False),
        sa.Column("carried_minutes", sa.Integer(), nullable=False),
        sa.Column("closing_balance_minutes", sa.Integer(), nullable=True),
        sa.Column("amount_due_kopecks", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["contracts.id"],
        ),
        sa.ForeignKeyConstraint(
            ["month"],
            ["closed_months.month"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("month", "contract_id", name="uq_closings_month_contract"),
    )
    op.create_index(
        "ix_closings_contract_month", "closings", ["contract_id", "month"], unique=False
    )
    op.create_table(
        "entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("ticket", sa.String(length=64), nullable=True),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=True),
        sa.Column("amount_kopecks", sa.Integer(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("by", sa.String(length=100), nullable=False),
        sa.Column("note", sa.String(length=1000), nullable=True),
        sa.Column("reverses", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
        ),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["contracts.id"],
        ),
        sa.ForeignKeyConstraint(
            ["reverses"],
            ["entries.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("reverses"),
    )
    op.create_index("ix_entries_by_id", "entries", ["by", "id"], unique=False)
    op.create_index("ix_entries_client_on", "entries", ["client_id", "on"], unique=False)
    op.create_index("ix_entries_contract_on", "entries", ["contract_id", "on"], unique=False)
    op.create_index("ix_entries_on", "entries", ["on"], unique=False)
    op.create_index("ix_entries_ticket", "entries", ["ticket"], unique=False)
    op.create_table(
        "incidents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("ticket", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reacted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
        ),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["contracts.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_incidents_client_opened", "incidents", ["client_id", "opened_at"], unique=False
    )
    op.create_index(op.f("ix_incidents_opened_at"), "incidents", ["opened_at"], unique=False)
    op.create_index("ix_incidents_ticket", "incidents", ["ticket"], unique=False)

    _append_only_triggers()


def _append_only_triggers() -> None:
    """Refuse UPDATE and DELETE on ledger tables in the database itself."""
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for table in APPEND_ONLY:
            for action in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
                )
    elif dialect == "postgresql":
        op.execute(
            "CREATE FUNCTION sla_append_only() RETURNS trigger AS $$ "
            f"BEGIN RAISE EXCEPTION '{MESSAGE}'; END $$ LANGUAGE plpgsql"
        )
        for table in APPEND_ONLY:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION sla_append_only()"
            )


def downgrade() -> None:
    for table in ("incidents", "entries", "closings", "contracts", "closed_months", "clients"):
        op.drop_table(table)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS sla_append_only()")
