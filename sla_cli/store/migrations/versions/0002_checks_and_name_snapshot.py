"""CHECK constraints for the closed sets (entry types, work kinds, billing) and the ledger's
invariants; contracts keep the variant's and tier's names in both languages.

The value lists and the names are copied here as literals: a migration says what the schema
was at its revision and must not change when the code does.

SQLite cannot add a CHECK constraint or a NOT NULL column in place, so there both tables are
rebuilt (`batch_alter_table`); the rebuild keeps the indexes, the foreign keys and the unique
``reverses``, and the append-only triggers of ``entries`` are created again.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

from typing import Literal

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

ENTRY_TYPES = ("work", "topup", "burn", "overage", "carry", "reversal")
CATEGORIES = ("work", "topup", "burn", "overage", "carry")  # a reversal counts as what it reverses
WORK_KINDS = ("support", "dev")
BILLINGS = ("monthly", "package")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


ENTRY_CHECKS = {
    "ck_entries_type": _one_of("type", ENTRY_TYPES),
    "ck_entries_category": _one_of("category", CATEGORIES),
    "ck_entries_kind": f"kind IS NULL OR {_one_of('kind', WORK_KINDS)}",
    "ck_entries_category_of_type": "category = type OR type = 'reversal'",
    "ck_entries_kind_only_on_work": "kind IS NULL OR category = 'work'",
    "ck_entries_reversal_reverses": (
        "(type = 'reversal' AND reverses IS NOT NULL) OR (type <> 'reversal' AND reverses IS NULL)"
    ),
    "ck_entries_minutes": (
        "(type = 'reversal' AND minutes <= 0) OR (type = 'topup' AND minutes >= 0)"
        " OR (type NOT IN ('reversal', 'topup') AND minutes > 0)"
    ),
}
CONTRACT_CHECKS = {
    "ck_contracts_billing": _one_of("billing", BILLINGS),
    "ck_contracts_end_after_start": '"end" IS NULL OR "end" > start',
    "ck_contracts_prepaid_months": "prepaid_months >= 1",
    "ck_contracts_discounts": (
        "prepay_discount_bp BETWEEN 0 AND 10000 AND hour_discount_bp BETWEEN 0 AND 10000"
    ),
}

# The built-in catalog's names at this revision, for contracts signed before it.
VARIANT_NAMES = {
    1: ("Комплексное абонентское обслуживание", "Comprehensive subscription support"),
    2: (
        "Безлимитное комплексное абонентское обслуживание",
        "Unlimited comprehensive subscription support",
    ),
    3: ("Сопровождение и поддержка без «сгорания часов»", "Support without burning hours"),
}
# (variant, tier key, Russian name) -> English name; a tier renamed in the config keeps its own.
TIER_NAMES_EN = {
    (1, "minimal", "Минимальный"): "Minimal",
    (1, "basic", "Базовый"): "Basic",
    (1, "optimal", "Оптимальный"): "Optimal",
    (1, "extended", "Расширенный"): "Extended",
    (2, "standard", "Стандартный"): "Standard",
    (3, "minimal", "Минимальный"): "Minimal",
    (3, "basic", "Базовый"): "Basic",
    (3, "optimal", "Оптимальный"): "Optimal",
    (3, "maximal", "Максимальный"): "Maximal",
}
NAME_COLUMNS = (("variant_name", 200), ("variant_name_en", 200), ("tier_name_en", 100))

APPEND_ONLY_MESSAGE = "the ledger is append-only: post a reversing entry instead"


def upgrade() -> None:
    with op.batch_alter_table("contracts") as batch:
        for name, length in NAME_COLUMNS:
            batch.add_column(sa.Column(name, sa.String(length=length), nullable=True))
    _backfill_names()
    with op.batch_alter_table("contracts", recreate=_recreate()) as batch:
        for name, length in NAME_COLUMNS:
            batch.alter_column(name, existing_type=sa.String(length=length), nullable=False)
        for name, condition in CONTRACT_CHECKS.items():
            batch.create_check_constraint(name, condition)
    with op.batch_alter_table("entries", recreate=_recreate()) as batch:
        for name, condition in ENTRY_CHECKS.items():
            batch.create_check_constraint(name, condition)
    _entries_triggers()


def downgrade() -> None:
    with op.batch_alter_table("entries", recreate=_recreate()) as batch:
        for name in ENTRY_CHECKS:
            batch.drop_constraint(name, type_="check")
    _entries_triggers()
    with op.batch_alter_table("contracts", recreate=_recreate()) as batch:
        for name in CONTRACT_CHECKS:
            batch.drop_constraint(name, type_="check")
        for name, _ in NAME_COLUMNS:
            batch.drop_column(name)


def _recreate() -> Literal["always", "never"]:
    return "always" if op.get_bind().dialect.name == "sqlite" else "never"


def _backfill_names() -> None:
    contracts = sa.table(
        "contracts",
        sa.column("variant", sa.Integer),
        sa.column("tier_key", sa.String),
        sa.column("tier_name", sa.String),
        sa.column("variant_name", sa.String),
        sa.column("variant_name_en", sa.String),
        sa.column("tier_name_en", sa.String),
    )
    c = contracts.c
    for number, (name, name_en) in VARIANT_NAMES.items():
        op.execute(
            contracts.update()
            .where(c.variant == number)
            .values(variant_name=name, variant_name_en=name_en)
        )
    for (number, key, name), name_en in TIER_NAMES_EN.items():
        op.execute(
            contracts.update()
            .where(c.variant == number, c.tier_key == key, c.tier_name == name)
            .values(tier_name_en=name_en)
        )
    variant = sa.cast(c.variant, sa.String)
    op.execute(
        contracts.update()
        .where(c.variant_name.is_(None))
        .values(variant_name="Вариант " + variant, variant_name_en="Variant " + variant)
    )
    op.execute(contracts.update().where(c.tier_name_en.is_(None)).values(tier_name_en=c.tier_name))


def _entries_triggers() -> None:
    """A rebuilt SQLite table loses its triggers: the append-only ones of 0001, again."""
    if op.get_bind().dialect.name != "sqlite":
        return
    for action in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER entries_no_{action.lower()} BEFORE {action} ON entries "
            f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END"
        )
