"""Monthly contracts signed with nothing paid ahead; payments in advance past unpaid months.

- ``contracts.prepaid_months`` may be 0: a monthly contract signed without paying ahead, whose
  first month is billed like the others (signing used to count one month paid). Contracts
  signed before keep what they were signed with.
- ``contract_changes.pays_from``: the first month a payment in advance pays when it does not
  follow on the months paid before it (months closed unpaid lie between); NULL: it follows on,
  as every payment recorded before does.

SQLite rebuilds ``contracts`` for its new CHECK, and its triggers with it. The conditions and
messages are copied here as literals: a migration says what the schema was at its revision.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-08
"""

from __future__ import annotations

from typing import Literal

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

UNCHANGEABLE = "sla ledger rows are never changed or removed: record a change instead"
PREPAID_CHECK = "ck_contracts_prepaid_months"


def _prepaid_at_least(least: int) -> None:
    """The CHECK on ``contracts.prepaid_months``; a rebuilt SQLite table gets its triggers."""
    sqlite = op.get_bind().dialect.name == "sqlite"
    recreate: Literal["always", "never"] = "always" if sqlite else "never"
    with op.batch_alter_table("contracts", recreate=recreate) as batch:
        batch.drop_constraint(PREPAID_CHECK, type_="check")
        batch.create_check_constraint(PREPAID_CHECK, f"prepaid_months >= {least}")
    if sqlite:
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER contracts_no_{action.lower()} BEFORE {action} "
                f"ON contracts BEGIN SELECT RAISE(ABORT, '{UNCHANGEABLE}'); END"
            )


def upgrade() -> None:
    _prepaid_at_least(0)
    op.add_column("contract_changes", sa.Column("pays_from", sa.Date(), nullable=True))


def downgrade() -> None:
    """Refused while a contract was signed with nothing paid ahead or a payment skips unpaid
    months: revision 0012 can hold neither."""
    bind = op.get_bind()
    unpaid = bind.execute(sa.text("SELECT count(*) FROM contracts WHERE prepaid_months = 0"))
    skips = bind.execute(
        sa.text("SELECT count(*) FROM contract_changes WHERE pays_from IS NOT NULL")
    )
    if unpaid.scalar() or skips.scalar():
        raise RuntimeError(
            "the ledger holds contracts signed with nothing paid ahead, or payments in advance "
            "that skip unpaid months, which revision 0012 cannot hold; nothing was changed"
        )
    op.execute("ALTER TABLE contract_changes DROP COLUMN pays_from")
    _prepaid_at_least(1)
