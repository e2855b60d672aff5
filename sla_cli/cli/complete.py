"""Tab completion: client keys and open tickets from the ledger, variants, tiers and
priorities from the config.

Completion runs the program on every Tab, so this reads an SQLite ledger with the standard
library's sqlite3, read-only, and never prints an error: anything it cannot read completes to
nothing. (A PostgreSQL ledger completes from the config only.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer


def _root(ctx: typer.Context) -> dict[str, Any]:
    return ctx.find_root().params


def _ledger_file(ctx: typer.Context) -> Path | None:
    """The SQLite ledger the command would open, if it is one."""
    from sla_cli.cli.options import ledger_url
    from sla_cli.store.sqlite_url import normalise_url, sqlite_file

    return sqlite_file(normalise_url(ledger_url(_root(ctx).get("db"))))


def _like(incomplete: str) -> str:
    escaped = incomplete.upper().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"


def _query(ctx: typer.Context, which: str, incomplete: str) -> list[str]:
    path = _ledger_file(ctx)
    if path is None or not path.is_file():
        return []
    import sqlite3

    from sla_cli.store.db import SqliteDb
    from sla_cli.store.store import Store

    try:  # read-only, waiting at most 0.2 s for a lock; nothing (never an error) when unreadable
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=0.2)
        try:
            return Store(SqliteDb(conn, str(path))).completions(which, _like(incomplete))
        finally:
            conn.close()
    except sqlite3.Error:
        return []


def client_keys(ctx: typer.Context, incomplete: str) -> list[str]:
    return _query(ctx, "keys", incomplete)


def open_tickets(ctx: typer.Context, incomplete: str) -> list[str]:
    return _query(ctx, "tickets", incomplete)


def tickets(ctx: typer.Context, incomplete: str) -> list[str]:
    """Open incidents' tickets, then each client's key and a dash to type a number after."""
    keys = [f"{k}-" for k in client_keys(ctx, incomplete.partition("-")[0])]
    found = open_tickets(ctx, incomplete)
    return found + [k for k in keys if k.startswith(incomplete.upper()) and k not in found]


def _catalog(ctx: typer.Context) -> Any:
    try:
        from sla_cli.config import config_path, load_settings

        return load_settings(config_path(_root(ctx).get("config"))).catalog
    except Exception:  # a broken config completes to nothing; the command itself says why
        return None


def variants(ctx: typer.Context, incomplete: str) -> list[str]:
    catalog = _catalog(ctx)
    numbers = [] if catalog is None else [str(v.number) for v in catalog.variants]
    return [n for n in numbers if n.startswith(incomplete)]


def tiers(ctx: typer.Context, incomplete: str) -> list[str]:
    """The tiers of the variant given (``--variant``), else of every variant."""
    catalog = _catalog(ctx)
    if catalog is None:
        return []
    wanted = ctx.params.get("variant")
    keys = [t.key for v in catalog.variants if wanted in (None, v.number) for t in v.tiers]
    return sorted({k for k in keys if k.startswith(incomplete.lower())})


def priorities(ctx: typer.Context, incomplete: str) -> list[str]:
    catalog = _catalog(ctx)
    if catalog is None:
        return []
    keys = {p.key for v in catalog.variants for p in v.priority_table}
    return sorted(k for k in keys if k.startswith(incomplete.lower()))


# Options that complete, for the commands' signatures.
ClientOption = Annotated[
    str | None, typer.Option("--client", help="Client key.", autocompletion=client_keys)
]
VariantOption = Annotated[
    int, typer.Option("--variant", help="1, 2 or 3.", autocompletion=variants)
]
TierOption = Annotated[
    str, typer.Option("--tier", help="Tier key, name or number.", autocompletion=tiers)
]
TicketClientOption = Annotated[
    str | None,
    typer.Option(
        "--client", help="Client key, for tickets not named KEY-N.", autocompletion=client_keys
    ),
]
