"""Timers: a row when one starts, a row when it ends; the running ones have no end yet."""

from __future__ import annotations

from sqlalchemy import exists
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from sla_cli.domain.timers import TimerRecord
from sla_cli.store.convert import timer_record
from sla_cli.store.models import Client, Timer, TimerEnd
from sla_cli.store.port import AlreadyEnded, NewTimer
from sla_cli.store.rows import wall_clock

__all__ = ["AlreadyEnded", "add_timer", "end_timer", "running"]


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
    return [timer_record(t, key) for t, key in s.exec(stmt)]


def add_timer(s: Session, new: NewTimer) -> TimerRecord:
    row = Timer(
        client_id=new.client.id,
        ticket=new.ticket,
        kind=new.kind.value,
        note=new.note,
        started_at=new.started_at,
        by=new.by,
        created_at=wall_clock(s),
    )
    s.add(row)
    s.flush()
    return timer_record(row, new.client.key)


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
