"""The database's own guards: the triggers that keep the ledger append-only and closed months
final. Migrations create them (their names are copied there as literals); verifying a ledger checks
every one is still in place and enabled (``Store.missing_guards``)."""

from __future__ import annotations

# Every table of the ledger: rows are added, never changed or deleted.
LEDGER_TABLES = (
    "clients", "contracts", "contract_changes", "entries", "closed_months", "closings",
    "incidents", "incident_events", "timers", "timer_ends", "client_details", "documents",
    "payments", "notices", "notice_attempts", "month_seals",
)  # fmt: skip
# refuse an entry dated, an incident opened or an event dated (or undone) in a closed month
OPEN_MONTH = ("entries_open_month", "incidents_open_month", "incident_events_open_month")


def expected(dialect: str) -> set[str]:
    """The guard triggers a ledger at the current revision has on ``dialect``."""
    if dialect == "postgresql":
        per_table = ("append_only", "no_truncate")
    else:
        per_table = ("no_update", "no_delete")
    return {f"{t}_{g}" for t in LEDGER_TABLES for g in per_table} | set(OPEN_MONTH)
