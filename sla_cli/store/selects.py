"""The rows of the tables the store maps to records, as it selects them: every column the
session may read (``Db.star``: on PostgreSQL a ledger may hide its rates from engineers) and
what the records also name (a client's key and name)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sla_cli.store.db import Db


def entries_sql(db: Db) -> str:
    """Entries with their client's key."""
    return (
        f"SELECT {db.star('entries', 'e')}, k.key AS client_key FROM entries e "
        "JOIN clients k ON k.id = e.client_id"
    )


def contracts_sql(db: Db) -> str:
    """Contracts with their client's key and name."""
    return (
        f"SELECT {db.star('contracts', 'c')}, k.key AS client_key, k.name AS client_name "
        "FROM contracts c JOIN clients k ON k.id = c.client_id"
    )
