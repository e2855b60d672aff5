"""Timers: a row when one starts, a row when it ends; the running ones have no end yet."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import exists
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from sla_cli.domain.kinds import WorkKind
from sla_cli.domain.timers import TimerRecord
from sla_cli.store.models import Client, Timer, TimerEnd
from sla_cli.store.rows import pk, wall_clock

__all__ = ["AlreadyEnded", "add_timer", "end_timer", "running"]


class AlreadyEnded(Exception):
    """Another command ended the timer first (the unique ``timer_id`` of its end said so)."""


def running(s: Session, user: str | None = None) -> list[TimerRecord]:
    """The timers not ended yet (``user``'s only, when given), oldest first."""
    stmt = (
        select(Timer, Client.key)
        .join(Client, col(Client.id) == col(Timer.client_id))
        .where(~exists().where(col(TimerEnd.timer_id) == col(Timer.id)))
        .order_by(col(Timer.started_at), col(Timer.id))
    )
    if user is not None:
        stmt = stmt.where(Timer.by == user)
    return [_record(t, key) for t, key in s.exec(stmt)]


def _record(t: Timer, key: str) -> TimerRecord:
    return TimerRecord(pk(t), key, t.ticket, WorkKind(t.kind), t.note, t.started_at, t.by)


def add_timer(
    s: Session, client_id: int, client_key: str, ticket: str, kind: WorkKind,
    note: str | None, started_at: datetime, user: str,
) -> TimerRecord:  # fmt: skip
    row = Timer(
        client_id=client_id,
        ticket=ticket,
        kind=kind.value,
        note=note,
        started_at=started_at,
        by=user,
        created_at=wall_clock(s),
    )
    s.add(row)
    s.flush()
    return _record(row, client_key)


def end_timer(s: Session, timer_id: int, entry_id: int | None, user: str) -> None:
    """Record how the timer ended: logged as ``entry_id``, or discarded (None)."""
    s.add(
        TimerEnd(
            timer_id=timer_id,
            outcome="discarded" if entry_id is None else "logged",
            entry_id=entry_id,
            by=user,
            created_at=wall_clock(s),
        )
    )
    try:
        s.flush()
    except IntegrityError:
        raise AlreadyEnded(timer_id) from None
