"""Each contract's own seal: ``closings.entries_digest``.

A close records, beside the digest of the whole month (``closed_months.digest``), a digest for
each contract it closed: over the contract's terms, what the month's clocks are computed with
and the contract's entries of the month (``domain.seal.SealPass``), so that a client's
statement of a closed month checks its own contracts' entries against its close, reading that
client's part of the month and not the whole month of every client. Like every close's row it
is append-only, verifying the ledger recomputes it with the month's own digest, and the seal's
chain holds it (``domain.chain.link_digest``, where it is not NULL). Closes recorded before
this revision have none (NULL): their statements are checked against the whole month, as
before.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("closings", sa.Column("entries_digest", sa.String(length=64), nullable=True))


def downgrade() -> None:
    """The contracts' digests go, and their closes are checked against the whole month again;
    refused while the seal's chain stays (a downgrade to 0008 or 0009) and a close recorded
    them: its link holds them, and without them it would no longer hold."""
    from alembic import context

    target = context.get_revision_argument()
    chain_stays = isinstance(target, str) and target >= "0008"
    sealed = "SELECT count(*) FROM closings WHERE entries_digest IS NOT NULL"
    if chain_stays and op.get_bind().execute(sa.text(sealed)).scalar():
        raise RuntimeError(
            "the ledger holds closes sealed contract by contract, which the seal's chain "
            f"of revision {target} cannot hold; nothing was changed (a downgrade below 0008 "
            "drops the chain, and the upgrade seals those months again)"
        )
    op.execute("ALTER TABLE closings DROP COLUMN entries_digest")
