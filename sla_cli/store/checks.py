"""The schema's CHECK constraints, by table: the migrations create each with the same name and
condition, and a test reads them back from the database."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import CheckConstraint

from sla_cli.domain.kinds import Billing, ChangeKind, EntryType, EventKind, WorkKind


def one_of(column: str, values: Iterable[str]) -> str:
    """A CHECK condition: ``column`` holds one of ``values``."""
    return f"{column} IN ({', '.join(repr(str(v)) for v in values)})"


# The CHECK constraints; migration 0002 creates them with the same names and conditions.
CONTRACT_CHECKS = {
    "ck_contracts_billing": one_of("billing", Billing),
    "ck_contracts_end_after_start": '"end" IS NULL OR "end" > start',
    "ck_contracts_prepaid_months": "prepaid_months >= 0",  # 0013; was >= 1
    "ck_contracts_discounts": (
        "prepay_discount_bp BETWEEN 0 AND 10000 AND hour_discount_bp BETWEEN 0 AND 10000"
    ),
}
ENTRY_CHECKS = {
    "ck_entries_type": one_of("type", EntryType),
    # a reversal counts toward what it reverses, never another reversal
    "ck_entries_category": one_of("category", (t for t in EntryType if t != EntryType.REVERSAL)),
    "ck_entries_kind": f"kind IS NULL OR {one_of('kind', WorkKind)}",
    "ck_entries_category_of_type": "category = type OR type = 'reversal'",
    "ck_entries_kind_only_on_work": "kind IS NULL OR category = 'work'",
    "ck_entries_reversal_reverses": (
        "(type = 'reversal' AND reverses IS NOT NULL) OR (type <> 'reversal' AND reverses IS NULL)"
    ),
    # hours logged and posted at close are positive, a package may hold none, a reversal negates
    "ck_entries_minutes": (
        "(type = 'reversal' AND minutes <= 0) OR (type = 'topup' AND minutes >= 0)"
        " OR (type NOT IN ('reversal', 'topup') AND minutes > 0)"
    ),
}

# Migration 0003 creates these with the same names and conditions.
EVENT_CHECKS = {
    "ck_incident_events_kind": one_of("kind", EventKind),
    "ck_incident_events_undoes": (
        "(kind = 'undo' AND undoes IS NOT NULL) OR (kind <> 'undo' AND undoes IS NULL)"
    ),
}
# Migration 0004 creates this one with the same name and condition.
EVENT_VALUE_CHECK = {
    "ck_incident_events_value": (
        "(kind = 'priority' AND value IS NOT NULL) OR (kind <> 'priority' AND value IS NULL)"
    ),
}
CHANGE_CHECKS = {
    "ck_contract_changes_kind": one_of("kind", ChangeKind),
    "ck_contract_changes_end": (
        "(kind = 'end' AND \"end\" IS NOT NULL) OR (kind <> 'end' AND \"end\" IS NULL)"
    ),
}
# Migration 0005 creates this one with the same name and condition.
CHANGE_MONTHS_CHECK = {
    "ck_contract_changes_months": (
        "(kind = 'prepay' AND months IS NOT NULL AND months >= 1)"
        " OR (kind <> 'prepay' AND months IS NULL)"
    ),
}


def checks(conditions: dict[str, str]) -> tuple[CheckConstraint, ...]:
    return tuple(CheckConstraint(sql, name=name) for name, sql in conditions.items())
