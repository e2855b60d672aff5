"""Closing documents: clients' legal details, invoices and acts, payments; money in 64 bits;
an index for an incident's first work.

``client_details`` holds a client's full legal name, ИНН, КПП and address (the latest row is in
force). ``documents`` holds each invoice and act as issued: numbered once per kind and year
(``uq_documents_number``), one per kind, client and closed month (``uq_documents_month``), with
what it printed (``content``) and its ``digest``. ``payments`` records what was paid of an
invoice, and undoes a payment by a row that names it. All three refuse UPDATE and DELETE (and
TRUNCATE on PostgreSQL), as every ledger table does. On PostgreSQL the money columns become
BIGINT (INTEGER stops at 21 474 836,47 roubles); SQLite's INTEGER holds 64 bits already.
``ix_entries_client_ticket`` finds when work on a client's ticket began from the index alone
(the incidents' clocks ask it for every incident a statement's trend shows).

The names are copied here as literals: a migration says what the schema was at its revision.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

NEW_TABLES = ("client_details", "documents", "payments")
MONEY = (
    ("contracts", "price_kopecks", False),
    ("contracts", "hour_rate_kopecks", False),
    ("entries", "amount_kopecks", True),
    ("closings", "overage_kopecks", False),
    ("closings", "amount_due_kopecks", False),
)
UNCHANGEABLE = "sla ledger rows are never changed or removed: record a change instead"


def _kopecks() -> sa.types.TypeEngine[int]:
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "client_details",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("full_name", sa.String(length=500), nullable=True),
        sa.Column("inn", sa.String(length=12), nullable=True),
        sa.Column("kpp", sa.String(length=9), nullable=True),
        sa.Column("address", sa.String(length=1000), nullable=True),
        sa.Column("by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_client_details_client", "client_details", ["client_id", "id"])
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("amount_kopecks", _kopecks(), nullable=False),
        sa.Column("vat_kopecks", _kopecks(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('invoice', 'act')", name="ck_documents_kind"),
        sa.CheckConstraint("number >= 1", name="ck_documents_number"),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"]),
        sa.ForeignKeyConstraint(["month"], ["closed_months.month"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kind", "year", "number", name="uq_documents_number"),
        sa.UniqueConstraint("kind", "client_id", "month", name="uq_documents_month"),
    )
    op.create_table(
        "payments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("amount_kopecks", _kopecks(), nullable=False),
        sa.Column("undoes", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(length=1000), nullable=True),
        sa.Column("by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"]),
        sa.ForeignKeyConstraint(["undoes"], ["payments.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("undoes"),
    )
    op.create_index("ix_payments_document", "payments", ["document_id"])
    op.create_index(
        "ix_entries_client_ticket",
        "entries",
        ["client_id", "ticket", "type", "created_at", "started_at"],
    )
    if op.get_bind().dialect.name == "postgresql":
        for table, column, nullable in MONEY:
            op.alter_column(table, column, type_=sa.BigInteger(), existing_nullable=nullable)
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
    """Refused while any document, payment or client's details are recorded: they would be
    lost."""
    bind = op.get_bind()
    for table in NEW_TABLES:
        if bind.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar():
            raise RuntimeError(
                f"the ledger holds {table.replace('_', ' ')}, which revision 0005 cannot keep; "
                "nothing was changed"
            )
    postgresql = bind.dialect.name == "postgresql"
    for table in reversed(NEW_TABLES):
        if postgresql:
            op.execute(f"DROP TRIGGER {table}_no_truncate ON {table}")
            op.execute(f"DROP TRIGGER {table}_append_only ON {table}")
        else:
            for action in ("update", "delete"):
                op.execute(f"DROP TRIGGER {table}_no_{action}")
    op.drop_index("ix_entries_client_ticket", table_name="entries")
    op.drop_index("ix_payments_document", table_name="payments")
    op.drop_table("payments")
    op.drop_table("documents")
    op.drop_index("ix_client_details_client", table_name="client_details")
    op.drop_table("client_details")
    if postgresql:
        for table, column, nullable in MONEY:
            op.alter_column(table, column, type_=sa.Integer(), existing_nullable=nullable)
