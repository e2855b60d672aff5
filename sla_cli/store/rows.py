"""What only the SQLModel store needs beside the conversions (``store.convert``): the real
clock rows are stamped with, and append-only logs loaded for many records at once."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlmodel import Session, SQLModel, col
from sqlmodel import select as select_rows


def wall_clock(s: Session) -> datetime:
    """When a row is written: the real clock, never the moment a command is about (``SLA_NOW``
    pins that one). PostgreSQL's own clock (``CURRENT_TIMESTAMP``, the transaction's start), so
    a team's ledger stamps rows by one clock; this machine's on SQLite."""
    if s.get_bind().dialect.name == "postgresql":
        stamp: datetime = s.execute(select(func.current_timestamp())).scalar_one()
        return stamp.astimezone(UTC).replace(microsecond=0)
    return datetime.now(UTC).replace(microsecond=0)


Row = TypeVar("Row", bound=SQLModel)


def children(s: Session, model: type[Row], parent: Any, ids: Sequence[int]) -> dict[int, list[Row]]:
    """The rows of ``model`` whose ``parent`` column holds one of ``ids``, by parent id, oldest
    first: append-only logs (events, changes) loaded for many records in a few queries."""
    found: dict[int, list[Row]] = {i: [] for i in ids}
    for chunk in range(0, len(ids), 500):
        part = ids[chunk : chunk + 500]
        rows = s.exec(select_rows(model).where(col(parent).in_(part)).order_by(col(model.id)))  # type: ignore[attr-defined]
        for row in rows:
            found[getattr(row, parent.key)].append(row)
    return found
