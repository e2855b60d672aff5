"""Imported rows known by their identity, the clock terms a close seals, payments in advance.

``entries.import_key`` holds the identity of an imported row (a Watson frame's id, or a CSV
row's normalised content, hashed), unique: a row is imported once, whatever file it comes in;
``ix_entries_by_on`` finds an engineer's day (at most 24 hours of it).
``closed_months.clock_terms`` holds what a close computed its incidents' clocks with (the
schedule, the time zone, the at-risk share and the pausing clocks, as JSON): statements of the
month use them, and verifying the ledger says when the config would give other clocks; months
closed before this revision have none. ``contract_changes.kind`` takes ``prepay``, a payment in
advance recorded after signing, with the months it pays in ``months`` (SQLite rebuilds the
table for the new CHECKs, and its triggers with it).

The value lists are copied here as literals: a migration says what the schema was at its
revision.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

from typing import Literal

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

CHANGE_KINDS = ("end", "cancel", "prepay")
OLD_CHANGE_KINDS = ("end", "cancel")
MONTHS_CHECK = (
    "(kind = 'prepay' AND months IS NOT NULL AND months >= 1)"
    " OR (kind <> 'prepay' AND months IS NULL)"
)
APPEND_ONLY = "the ledger is append-only: post a reversing entry instead"  # revision 0003's


def _kinds(kinds: tuple[str, ...]) -> str:
    return f"kind IN ({', '.join(repr(k) for k in kinds)})"


def _change_kinds(kinds: tuple[str, ...]) -> None:
    """The CHECK on ``contract_changes.kind``, and its ``months`` with the new kind only; a
    rebuilt SQLite table gets its triggers again."""
    sqlite = op.get_bind().dialect.name == "sqlite"
    recreate: Literal["always", "never"] = "always" if sqlite else "never"
    with op.batch_alter_table("contract_changes", recreate=recreate) as batch:
        batch.drop_constraint("ck_contract_changes_kind", type_="check")
        batch.create_check_constraint("ck_contract_changes_kind", _kinds(kinds))
        if kinds == CHANGE_KINDS:
            batch.add_column(sa.Column("months", sa.Integer(), nullable=True))
            batch.create_check_constraint("ck_contract_changes_months", MONTHS_CHECK)
        else:
            batch.drop_constraint("ck_contract_changes_months", type_="check")
            batch.drop_column("months")
    if sqlite:
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER contract_changes_no_{action.lower()} BEFORE {action} "
                f"ON contract_changes BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END"
            )


def upgrade() -> None:
    op.add_column("entries", sa.Column("import_key", sa.String(length=64), nullable=True))
    op.create_index("uq_entries_import_key", "entries", ["import_key"], unique=True)
    op.create_index("ix_entries_by_on", "entries", ["by", "on"])  # an engineer's day
    op.add_column("closed_months", sa.Column("clock_terms", sa.Text(), nullable=True))
    _change_kinds(CHANGE_KINDS)


def downgrade() -> None:
    _change_kinds(OLD_CHANGE_KINDS)  # fails while payments in advance are recorded
    op.drop_column("closed_months", "clock_terms")
    op.drop_index("ix_entries_by_on", "entries")
    op.drop_index("uq_entries_import_key", "entries")
    op.drop_column("entries", "import_key")
