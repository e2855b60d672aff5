"""Imported entries: which file they came from, and writing a whole file's at once."""

from __future__ import annotations

from sqlalchemy import func, insert
from sqlmodel import Session, col, select

from sla_cli.store.models import Entry
from sla_cli.store.port import NewEntry
from sla_cli.store.rows import wall_clock

__all__ = ["add_imported", "imported_from", "known_rows"]

_CHUNK = 500  # keys a query looks up at once


def imported_from(s: Session, source: str) -> tuple[int, int] | None:
    """The first and last entry already imported from the file ``source`` names, if any."""
    first, last = s.exec(
        select(func.min(Entry.id), func.max(Entry.id)).where(Entry.source == source)
    ).one()
    return None if first is None or last is None else (first, last)


def known_rows(s: Session, keys: list[str]) -> dict[str, int]:
    """The rows of ``keys`` imported before, with the entry each became."""
    found: dict[str, int] = {}
    unique = sorted(set(keys))
    for i in range(0, len(unique), _CHUNK):
        chunk = unique[i : i + _CHUNK]
        rows = s.exec(select(Entry.import_key, Entry.id).where(col(Entry.import_key).in_(chunk)))
        found.update({k: n for k, n in rows if k is not None and n is not None})
    return found


def add_imported(s: Session, new: list[tuple[NewEntry, int, str]], source: str) -> int:
    """Append the entries of an import at once (one statement), each with its line and its
    identity; returns how many."""
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
            "import_key": key,
        }
        for e, line, key in new
    ]
    if rows:
        s.execute(insert(Entry), rows)
    return len(rows)
