"""Imported entries: which file they came from, and writing a whole file's at once."""

from __future__ import annotations

from sqlalchemy import func, insert
from sqlmodel import Session, select

from sla_cli.store.models import Entry
from sla_cli.store.port import NewEntry
from sla_cli.store.rows import wall_clock

__all__ = ["add_imported", "imported_from"]


def imported_from(s: Session, source: str) -> tuple[int, int] | None:
    """The first and last entry already imported from the file ``source`` names, if any."""
    first, last = s.exec(
        select(func.min(Entry.id), func.max(Entry.id)).where(Entry.source == source)
    ).one()
    return None if first is None or last is None else (first, last)


def add_imported(s: Session, new: list[tuple[NewEntry, int]], source: str) -> int:
    """Append the entries of an import at once (one statement), each with its line; returns
    how many."""
    stamp = wall_clock(s)
    rows = [
        {
            "contract_id": e.contract.id,
            "client_id": e.contract.client.id,
            "ticket": e.ticket,
            "on": e.on,
            "minutes": e.minutes,
            "type": e.type.value,
            "category": e.type.value,
            "kind": None if e.kind is None else e.kind.value,
            "started_at": e.started_at,
            "by": e.by,
            "note": e.note,
            "created_at": stamp,
            "source": source,
            "source_line": line,
        }
        for e, line in new
    ]
    if rows:
        s.execute(insert(Entry), rows)
    return len(rows)
