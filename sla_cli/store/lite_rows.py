"""Rows of the ``sqlite3`` adapter (``store.lite``) as SQLAlchemy's types read and write them."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime
from types import SimpleNamespace
from typing import Any

_DATES = frozenset({"on", "start", "end"})


def as_row(cursor: sqlite3.Cursor, values: tuple[Any, ...]) -> SimpleNamespace:
    """A row as attributes, with the values SQLAlchemy's types would give: dates, aware UTC
    moments (every ``*_at`` column), booleans."""
    row = SimpleNamespace()
    for (name, *_), value in zip(cursor.description, values, strict=True):
        if isinstance(value, str) and name in _DATES:
            value = date.fromisoformat(value)
        elif isinstance(value, str) and (name == "at" or name.endswith("_at")):
            value = datetime.fromisoformat(value).replace(tzinfo=UTC)
        elif name == "burns":
            value = bool(value)
        setattr(row, name, value)
    return row


def stored_moment(value: datetime | None) -> str | None:
    """A moment as SQLAlchemy's DateTime stores it on SQLite: UTC, without a zone."""
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("naive datetimes are not stored; give a time zone")
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def row_clock() -> datetime:
    """The real clock rows are stamped with (``store.rows.wall_clock`` on SQLite)."""
    return datetime.now(UTC).replace(microsecond=0)
