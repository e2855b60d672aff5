"""Timers: a row when one starts, a row when it ends; the running ones have no end yet."""

from __future__ import annotations

from types import SimpleNamespace
from typing import TYPE_CHECKING

from sla_cli.store.base import AlreadyEnded, NewTimer, Part
from sla_cli.store.convert import timer_record

if TYPE_CHECKING:  # loaded by the conversion, when a timer is read: a report reads none
    from sla_cli.domain.timers import TimerRecord


class Timers(Part):
    """Running timers, and how each ended."""

    def running_timers(self, user: str | None = None) -> list[TimerRecord]:
        """The timers not ended yet (``user``'s only, when given), oldest first."""
        mine = "" if user is None else 'AND t."by" = :by '
        rows = self.db.rows(
            "SELECT t.*, k.key AS client_key FROM timers t JOIN clients k ON k.id = t.client_id "
            "WHERE NOT EXISTS (SELECT 1 FROM timer_ends x WHERE x.timer_id = t.id) "
            f"{mine}ORDER BY t.started_at, t.id",
            {"by": user},
        )
        return [timer_record(r, r.client_key) for r in rows]

    def add_timer(self, new: NewTimer) -> TimerRecord:
        values = {
            "client_id": new.client.id,
            "ticket": new.ticket,
            "kind": new.kind.value,
            "note": new.note,
            "started_at": new.started_at,
            "by": new.by,
            "created_at": self.db.clock(),
        }
        row = SimpleNamespace(**values, id=self.db.insert("timers", values))
        return timer_record(row, new.client.key)

    def end_timer(self, timer_id: int, entry_id: int | None, user: str) -> None:
        """Record how the timer ended: logged as ``entry_id``, or discarded (None); raises
        ``AlreadyEnded`` when another command ended it first."""
        values = {
            "timer_id": timer_id,
            "outcome": "discarded" if entry_id is None else "logged",
            "entry_id": entry_id,
            "by": user,
            "created_at": self.db.clock(),
        }
        self.db.insert("timer_ends", values, AlreadyEnded(timer_id))
